"""A case as given (`CaseIn`) and as read back (`CaseView`): a reference, a programme, dates and Slack ids only.

Nothing here may hold a name or free text (reliability.md §6): the case reference must match
GUIDEBOT_CASE_REF_PATTERN, every other field is an id from a closed set, a Slack id or a date. Error messages
name the field and the problem and never repeat what was typed, so they are safe to post in Slack even when
someone typed a name into the wrong box.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator

CaseStatus = Literal["active", "paused", "completed", "withdrawn"]
CASE_STATUSES: tuple[str, ...] = get_args(CaseStatus)

DEFAULT_CASE_REF_PATTERN = r"^[A-Z][0-9]{6}$"  # an nDelius CRN, as Settings.case_ref_pattern
PROGRAMMES = frozenset({"IDAP", "CDVP", "HRP", "BBR", "KAIZEN", "UP2U"})

# Column widths of the `cases` table (guidebot/store/models.py): refused here rather than by the database.
REF_MAX = 32
PROGRAMME_MAX = 16
GAP_WEEKS_MAX = 36  # 36 ISO dates and their commas fit the 400-character column

_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
_SLACK_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")
# What Slack sends for a mention (<@U123|name>, <#C123|name>): only the id is kept, the label is dropped.
_SLACK_MENTION = re.compile(r"^<[@#]([A-Za-z0-9]+)(?:\|[^>]*)?>$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATE_SEPARATORS = re.compile(r"[\s;,]+")
# A year typed as 0225 or 2205 is a typo, not a programme date.
_FIRST_DATE = date(2000, 1, 1)
_LAST_DATE = date(2099, 12, 31)


class CaseInvalid(ValueError):
    """A case refused at the boundary; `problems` are short "field: problem" lines, safe to show in Slack."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _compiled(pattern: str | re.Pattern[str]) -> re.Pattern[str]:
    return pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value.strip()


def normalise_case_ref(value: Any, pattern: str | re.Pattern[str] = DEFAULT_CASE_REF_PATTERN) -> str:
    """The reference stripped and upper-cased, or ValueError; the pattern is what keeps names out of the store.

    The message shows the pattern, never the value: a refused value may be a person's name.
    """
    ref = _text(value).upper()
    if not ref:
        raise ValueError("required")
    if len(ref) > REF_MAX:
        raise ValueError(f"too long for a case reference (at most {REF_MAX} characters)")
    compiled = _compiled(pattern)
    if compiled.fullmatch(ref) is None:
        raise ValueError(f"not a case reference (expected GUIDEBOT_CASE_REF_PATTERN {compiled.pattern})")
    return ref


def _slack_id(value: Any, shape: re.Pattern[str], what: str, example: str) -> str:
    text = _text(value)
    mention = _SLACK_MENTION.fullmatch(text)
    ident = mention.group(1) if mention else text  # not upper-cased: 'Will' must not become an id
    if not ident:
        raise ValueError("required")
    if len(ident) > REF_MAX or shape.fullmatch(ident) is None:
        raise ValueError(f"not a Slack {what} id (expected {example})")
    return ident


def _iso_date(value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date | str):
        raise ValueError("not a date (expected YYYY-MM-DD)")
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.fullmatch(text) is None:
            raise ValueError("not a date (expected YYYY-MM-DD)")
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise ValueError("no such date (expected YYYY-MM-DD)") from None
    if not _FIRST_DATE <= value <= _LAST_DATE:
        raise ValueError(f"date out of range ({_FIRST_DATE.year}-{_LAST_DATE.year})")
    return value


def _optional_date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _iso_date(value)


_NO_START = "group_start or gap_weeks: one is required"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and not "".join(map(str, value)).strip())


def _context(info: ValidationInfo, key: str, default: Any) -> Any:
    context = info.context or {}
    return context.get(key, default)


class CaseIn(BaseModel):
    """A case as a person or a CSV row gives it; build it with `CaseIn.parse` so the configured pattern applies.

    `status` is None unless the row says otherwise: a new case is then active and an existing one keeps its
    status (an exported file carries the status, so importing it elsewhere restores paused and closed cases).
    Constructed directly, the default pattern and programmes apply.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    case_ref: str
    programme: str
    group_start: date | None = None
    gap_weeks: tuple[date, ...] = ()
    om: str
    team_channel: str
    order_date: date | None = None
    status: CaseStatus | None = None

    @classmethod
    def parse(
        cls,
        data: Mapping[str, Any],
        pattern: str | re.Pattern[str] = DEFAULT_CASE_REF_PATTERN,
        programmes: Collection[str] = PROGRAMMES,
    ) -> CaseIn:
        """Validate untrusted input against the configured reference pattern and programme ids.

        Raises CaseInvalid with one "field: problem" line per bad field.
        """
        try:
            return cls.model_validate(dict(data), context={"pattern": pattern, "programmes": programmes})
        except ValidationError as error:
            problems = [_problem(detail) for detail in error.errors(include_input=False)]
            if _NO_START not in problems and _blank(data.get("group_start")) and _blank(data.get("gap_weeks")):
                problems.append(_NO_START)  # pydantic skips the rule when a field failed; say it all at once
            raise CaseInvalid(problems) from None

    @field_validator("case_ref", mode="before")
    @classmethod
    def _case_ref(cls, value: Any, info: ValidationInfo) -> str:
        return normalise_case_ref(value, _context(info, "pattern", DEFAULT_CASE_REF_PATTERN))

    @field_validator("programme", mode="before")
    @classmethod
    def _programme(cls, value: Any, info: ValidationInfo) -> str:
        known = sorted({p.strip().upper() for p in _context(info, "programmes", PROGRAMMES)})
        programme = _text(value).upper()
        if not programme:
            raise ValueError("required")
        if programme not in known or len(programme) > PROGRAMME_MAX:
            raise ValueError(f"unknown programme (expected one of {', '.join(known)})")
        return programme

    @field_validator("group_start", "order_date", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> date | None:
        return _optional_date(value)

    @field_validator("gap_weeks", mode="before")
    @classmethod
    def _gap_weeks(cls, value: Any) -> tuple[date, ...]:
        """Dates separated by spaces, ';' or ',' (one CSV cell), or a list; kept sorted and without repeats."""
        if value is None:
            return ()
        if isinstance(value, str):
            items: list[Any] = [part for part in _DATE_SEPARATORS.split(value) if part]
        elif isinstance(value, list | tuple | set | frozenset):
            items = list(value)
        else:
            raise ValueError("not a list of dates (expected YYYY-MM-DD separated by spaces or ';')")
        dates = sorted({_iso_date(item) for item in items})
        if len(dates) > GAP_WEEKS_MAX:
            raise ValueError(f"too many dates (at most {GAP_WEEKS_MAX})")
        return tuple(dates)

    @field_validator("om", mode="before")
    @classmethod
    def _om(cls, value: Any) -> str:
        return _slack_id(value, _SLACK_USER, "user", "U... or W...")

    @field_validator("team_channel", mode="before")
    @classmethod
    def _team_channel(cls, value: Any) -> str:
        return _slack_id(value, _SLACK_CHANNEL, "channel", "C... or G...")

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> str | None:
        if value is None:
            return None
        status = _text(value).lower()
        if not status:
            return None
        if status not in CASE_STATUSES:
            raise ValueError(f"unknown status (expected one of {', '.join(CASE_STATUSES)})")
        return status

    @model_validator(mode="after")
    def _has_a_start(self) -> CaseIn:
        if self.group_start is None and not self.gap_weeks:
            raise ValueError(_NO_START)
        return self


def _problem(detail: Mapping[str, Any]) -> str:
    """One pydantic error as "field: problem", in words a practitioner can act on, without the value."""
    field = ".".join(str(part) for part in detail["loc"][:1])
    kind = detail["type"]
    if kind == "value_error":
        message = str(detail["ctx"]["error"])
    elif kind == "missing":
        message = "required"
    elif kind == "extra_forbidden":
        message = "unknown field"
    else:
        message = "invalid value"
    return f"{field}: {message}" if field else message


class CaseView(BaseModel):
    """A case as stored, for lists, exports and Slack replies."""

    model_config = ConfigDict(frozen=True)

    case_ref: str
    programme: str
    group_start: date | None
    gap_weeks: tuple[date, ...]
    om: str
    team_channel: str
    order_date: date | None
    status: CaseStatus
    created_at: datetime
    updated_at: datetime
