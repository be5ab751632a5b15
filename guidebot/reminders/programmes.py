"""knowledge/programmes.yaml: each programme's calendar (length, gap weeks) and the source it comes from.

The file is edited by non-programmers and shared with other features (a programme's `facts:` ...), so unknown
keys under a programme are ignored while `schedule` is validated strictly.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from guidebot.knowledge.files import FileProblem, entry_error, file_error, list_entries
from guidebot.knowledge.models import KnowledgeError

PROGRAMMES_FILE = "programmes.yaml"
MAX_WEEKS = 520  # ten years: anything longer is a typo, not a programme


class ProgrammesFileError(ValueError):
    """programmes.yaml can't be used; carries the KnowledgeError (file, line, field) for the person who fixes it.

    KnowledgeError is a pydantic model, not an exception, so it travels inside this one.
    """

    def __init__(self, problem: KnowledgeError) -> None:
        super().__init__(str(problem))
        self.problem = problem


class Source(BaseModel):
    """Where a calendar comes from: a document, its section and a verbatim quote anyone can check."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: StrictStr = Field(min_length=1)
    section: StrictStr = Field(min_length=1)
    quote: StrictStr = Field(min_length=1)


class Schedule(BaseModel):
    """A programme's length in calendar weeks from the week of group start, and its gap weeks (week numbers)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weeks: StrictInt = Field(ge=1, le=MAX_WEEKS)
    gap_weeks: tuple[StrictInt, ...] = ()
    source: Source

    @field_validator("gap_weeks")
    @classmethod
    def _within_programme(cls, value: tuple[int, ...], info: ValidationInfo) -> tuple[int, ...]:
        weeks = info.data.get("weeks")
        if weeks is not None:
            outside = [w for w in value if not 1 <= w <= weeks]
            if outside:
                raise ValueError(f"gap week(s) {outside} outside the programme's weeks 1..{weeks}")
        repeated = sorted({w for w in value if value.count(w) > 1})
        if repeated:
            raise ValueError(f"gap week(s) {repeated} listed more than once")
        return tuple(sorted(value))


class Programme(BaseModel):
    """One programme entry; keys other than these (e.g. `facts`) belong to other features and are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: StrictStr = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,15}$")
    name: StrictStr = Field(min_length=1)
    schedule: Schedule


def load_programmes(knowledge_dir: Path) -> dict[str, Programme]:
    """Every programme in knowledge_dir/programmes.yaml keyed by upper-cased id.

    Unlike documents, a bad entry stops the load: reminders computed from a half-read calendar would be wrong
    silently, so the error (file, line, field) is raised for someone to fix.
    """
    path = knowledge_dir / PROGRAMMES_FILE
    try:
        _, entries = list_entries(path, "programmes")
    except (FileProblem, OSError) as exc:
        raise ProgrammesFileError(file_error(path, exc)) from None
    programmes: dict[str, Programme] = {}
    lines: dict[str, int] = {}
    for line, item in entries:
        try:
            programme = Programme.model_validate(item)
        except ValidationError as exc:
            raise ProgrammesFileError(entry_error(path, line, exc)) from None
        key = programme.id.upper()
        if key in programmes:
            raise ProgrammesFileError(
                KnowledgeError(
                    path=str(path), line=line, field="id", message=f"'{programme.id}' is also at line {lines[key]}"
                )
            )
        programmes[key] = programme
        lines[key] = line
    return programmes
