"""Pydantic models of a referral checklist: steps that ask one thing each, and the outcomes they lead to.

A step's `next` maps each possible answer to what follows: another step's id, or `outcome:<id>`.

- `yes_no`: the keys are exactly "yes" and "no" (quote them in YAML: unquoted yes/no are read as true/false).
- `choice`: one key per entry of `choices`, spelled the same.
- `number` (a whole number) and `date` (YYYY-MM-DD): the keys are conditions, tried in the order written, and
  the first that holds wins. A condition is an operator and a value: `<18`, `<=17`, `>17`, `>=18`, `=0`
  (for a date: `<2020-01-01`, `>=2020-01-01`), or `"*"` (quoted: a bare * starts a YAML alias) or `otherwise`,
  which holds for anything (put it last). Together the conditions must cover every possible value; the model
  checks that when the file is loaded.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,60}$"
OUTCOME_PREFIX = "outcome:"
OTHERWISE = "*"
OTHERWISE_WORD = "otherwise"
YES_NO = ("yes", "no")

Kind = Literal["yes_no", "choice", "number", "date"]
Verdict = Literal["suitable", "not_suitable", "refer_elsewhere", "discuss_with_treatment_manager"]

VERDICT_LABELS: dict[str, str] = {
    "suitable": "Suitable",
    "not_suitable": "Not suitable",
    "refer_elsewhere": "Refer elsewhere",
    "discuss_with_treatment_manager": "Discuss with the treatment manager",
}

_CONDITION = re.compile(r"^(<=|>=|<|>|=)\s*(\S+)$")
_INTEGER = re.compile(r"^[+-]?\d{1,9}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_value(kind: Kind, text: str) -> int | None:
    """A number or date answer as an integer (dates as day ordinals, so both order the same way); None if it isn't one."""
    text = text.strip()
    if kind == "number":
        return int(text) if _INTEGER.match(text) else None
    if kind == "date" and _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text).toordinal()
        except ValueError:
            return None
    return None


def parse_condition(kind: Kind, key: str) -> tuple[str, int] | None:
    """A `next` key of a number/date step as (operator, value); ("*", 0) for otherwise; None if malformed."""
    key = key.strip()
    if key in (OTHERWISE, OTHERWISE_WORD):
        return (OTHERWISE, 0)
    match = _CONDITION.match(key)
    if not match:
        return None
    value = parse_value(kind, match.group(2))
    return None if value is None else (match.group(1), value)


def condition_holds(condition: tuple[str, int], value: int) -> bool:
    op, bound = condition
    return {
        OTHERWISE: True,
        "<": value < bound,
        "<=": value <= bound,
        ">": value > bound,
        ">=": value >= bound,
        "=": value == bound,
    }[op]


def uncovered_value(conditions: list[tuple[str, int]]) -> int | None:
    """An integer no condition holds for (the gaps are checked at their edges), or None when all are covered."""
    if any(op == OTHERWISE for op, _ in conditions):
        return None
    candidates = {-(10**12), 10**12}
    for _, bound in conditions:
        candidates.update({bound - 1, bound, bound + 1})
    for value in sorted(candidates):
        if not any(condition_holds(c, value) for c in conditions):
            return value
    return None


def _yaml_bool_hint(value: object) -> str | None:
    if isinstance(value, bool):
        word = "yes" if value else "no"
        return f"{str(value).lower()} is not text: YAML reads an unquoted {word}/on/off/true/false as true/false; quote it ('{word}')"
    return None


class Citation(BaseModel):
    """Where a step's reason comes from: a document id, its section heading and a short verbatim quote."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: StrictStr = Field(min_length=1)
    section: StrictStr = Field(min_length=1)
    quote: StrictStr = Field(min_length=1, max_length=300)


class Step(BaseModel):
    """One question, why it is asked (with its source), the kind of answer it takes and where each answer leads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: StrictStr = Field(pattern=ID_PATTERN)
    prompt: StrictStr = Field(min_length=1)
    help: StrictStr = Field(min_length=1)
    citation: Citation
    kind: Kind
    choices: list[StrictStr] = Field(default_factory=list)
    next: dict[StrictStr, StrictStr]

    @model_validator(mode="before")
    @classmethod
    def _explain_yaml_booleans(cls, data: object) -> object:
        """Unquoted yes/no arrive as booleans; say so plainly instead of "Input should be a valid string"."""
        if isinstance(data, dict):
            for field in ("choices", "next"):
                value = data.get(field)
                items = value if isinstance(value, list) else list(value) if isinstance(value, dict) else []
                if isinstance(value, dict):
                    items += list(value.values())
                for item in items:
                    hint = _yaml_bool_hint(item)
                    if hint:
                        raise ValueError(f"in '{field}': {hint}")
        return data

    @field_validator("choices")
    @classmethod
    def _choices_unique(cls, choices: list[str]) -> list[str]:
        repeated = sorted({c for c in choices if choices.count(c) > 1})
        if repeated:
            raise ValueError(f"choice(s) {repeated} listed more than once")
        return choices

    @model_validator(mode="after")
    def _answers_fit_kind(self) -> Step:
        keys = list(self.next)
        if self.kind == "choice":
            if len(self.choices) < 2:
                raise ValueError("a choice step needs at least two choices")
            expected: list[str] | None = list(self.choices)
        elif self.choices:
            raise ValueError(f"'choices' is only for a choice step, not {self.kind}")
        else:
            expected = list(YES_NO) if self.kind == "yes_no" else None
        if expected is not None:
            missing = [a for a in expected if a not in keys]
            if missing:
                raise ValueError(f"answer(s) {missing} have no 'next'")
            extra = [k for k in keys if k not in expected]
            if extra:
                raise ValueError(f"'next' has key(s) {extra} that are not answers to this step ({expected})")
            return self
        bad = [k for k in keys if parse_condition(self.kind, k) is None]
        if bad:
            example = "'<18', '>=18' or '*'" if self.kind == "number" else "'<2020-01-01', '>=2020-01-01' or '*'"
            raise ValueError(f"'next' key(s) {bad} are not conditions; write them like {example}")
        gap = uncovered_value([c for k in keys if (c := parse_condition(self.kind, k)) is not None])
        if gap is not None:
            if self.kind == "number":
                shown = str(gap)
            elif 1 <= gap <= date.max.toordinal():
                shown = date.fromordinal(gap).isoformat()
            else:
                shown = "dates before or after those named"
            raise ValueError(f"the conditions in 'next' do not cover every {self.kind} (e.g. {shown}); add '*'")
        return self


class Outcome(BaseModel):
    """Where a run ends: a verdict, what it means and what the offender manager does next."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: StrictStr = Field(pattern=ID_PATTERN)
    verdict: Verdict
    text: StrictStr = Field(min_length=1)
    next_steps: list[StrictStr] = Field(default_factory=list)
    citation: Citation | None = None


class Checklist(BaseModel):
    """A whole checklist file; links between steps are checked by the loader, which knows each step's line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: StrictStr = Field(pattern=ID_PATTERN)
    title: StrictStr = Field(min_length=1)
    programme: StrictStr = Field(min_length=1)
    summary: StrictStr = Field(min_length=1)
    sources: list[StrictStr] = Field(min_length=1)
    start: StrictStr | None = None
    steps: list[Step] = Field(min_length=1)
    outcomes: list[Outcome] = Field(min_length=1)

    @property
    def start_id(self) -> str:
        return self.start if self.start is not None else self.steps[0].id

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)
