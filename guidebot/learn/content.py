"""Loading the learning content: programme facts (programmes.yaml), tour cards (tour.yaml), quiz (quiz.yaml).

Each entry is validated and its citations checked against the documents; a bad entry is named by file, line
and field and left out, and the rest load, so one typo never takes the quiz away from a training day.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from guidebot.knowledge.citations import Citation, Sources
from guidebot.knowledge.files import FileProblem, entry_error, file_error, list_entries
from guidebot.knowledge.loader import Knowledge, load_knowledge
from guidebot.knowledge.models import KnowledgeError

PROGRAMMES_FILE = "programmes.yaml"
TOUR_FILE = "tour.yaml"
QUIZ_FILE = "quiz.yaml"

# The facts a programme can have, in the order they are shown, with the label a reader sees.
FACTS: dict[str, str] = {
    "setting": "Setting",
    "target_group": "Who it is for",
    "risk": "Risk level and tools",
    "sessions": "Sessions and intensity",
    "delivery": "Delivery",
    "theory": "Theory and approach",
    "partner_support": "Partner support",
    "delivered_by": "Who delivers it",
    "volume": "Volume",
}


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: StrictStr = Field(min_length=1, max_length=400)
    source: Citation


class ProgrammeFacts(BaseModel):
    """A programme as new staff meet it: its names and the facts the documents give about it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: StrictStr = Field(min_length=1)
    name: StrictStr = Field(min_length=1)
    facts: dict[StrictStr, Fact] = Field(default_factory=dict)

    @field_validator("facts")
    @classmethod
    def _known_facts(cls, facts: dict[str, Fact]) -> dict[str, Fact]:
        unknown = sorted(set(facts) - set(FACTS))
        if unknown:
            raise ValueError(f"unknown fact(s) {unknown}; the facts are: {', '.join(FACTS)}")
        return {key: facts[key] for key in FACTS if key in facts}


class TourCard(BaseModel):
    """A card of the tour: either a programme (drawn from its facts) or a titled text with its sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    programme: StrictStr | None = None
    title: StrictStr | None = Field(default=None, min_length=1, max_length=150)
    text: StrictStr | None = Field(default=None, min_length=1, max_length=1500)
    sources: list[Citation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> TourCard:
        if self.programme and (self.title or self.text):
            raise ValueError("a card is either `programme:` or `title:` with `text:`, not both")
        if not self.programme and not (self.title and self.text):
            raise ValueError("a card needs `programme:`, or both `title:` and `text:`")
        return self


class QuizQuestion(BaseModel):
    """A multiple-choice question with exactly one right answer, its explanation and where that comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: StrictStr = Field(pattern=r"^[A-Za-z0-9_-]{1,20}$")
    question: StrictStr = Field(min_length=1, max_length=300)
    choices: list[StrictStr] = Field(min_length=2, max_length=5)
    answer: StrictStr = Field(min_length=1)
    explanation: StrictStr = Field(min_length=1, max_length=600)
    source: Citation
    topic: StrictStr = ""

    @field_validator("choices")
    @classmethod
    def _distinct(cls, choices: list[str]) -> list[str]:
        cleaned = [c.strip() for c in choices]
        if any(not c or len(c) > 75 for c in cleaned):
            raise ValueError("each choice needs text of at most 75 characters")
        if len({c.lower() for c in cleaned}) != len(cleaned):
            raise ValueError("two choices are the same")
        return cleaned

    @field_validator("answer")
    @classmethod
    def _one_right_answer(cls, answer: str, info: ValidationInfo) -> str:
        choices = info.data.get("choices")
        if choices is not None and [c for c in choices if c == answer.strip()] != [answer.strip()]:
            raise ValueError(f"must be copied exactly from one of the choices; '{answer}' is not one")
        return answer

    @property
    def right(self) -> int:
        """The index of the right choice."""
        return self.choices.index(self.answer.strip())


Entry = TypeVar("Entry", bound=BaseModel)


@dataclass
class Learning:
    """The learning content that loaded, and what was left out and why."""

    programmes: dict[str, ProgrammeFacts] = field(default_factory=dict)
    tour: list[TourCard] = field(default_factory=list)
    quiz: list[QuizQuestion] = field(default_factory=list)
    errors: list[KnowledgeError] = field(default_factory=list)

    def programme(self, name: str) -> ProgrammeFacts | None:
        """A programme by id or name, any case."""
        wanted = name.strip().lower()
        return next((p for p in self.programmes.values() if wanted in (p.id.lower(), p.name.lower())), None)


def _entries(path: Path, key: str, errors: list[KnowledgeError]) -> Iterator[tuple[int, object]]:
    if not path.exists():
        errors.append(KnowledgeError(path=str(path), message="missing"))
        return
    try:
        _, entries = list_entries(path, key)
    except (FileProblem, OSError) as exc:
        errors.append(file_error(path, exc))
        return
    yield from entries


def _valid(path: Path, key: str, model: type[Entry], errors: list[KnowledgeError]) -> Iterator[tuple[int, Entry]]:
    """Each entry of the file's `key:` list that validates, with its line; the others reported and skipped."""
    for line, item in _entries(path, key, errors):
        try:
            yield line, model.model_validate(item)
        except ValidationError as exc:
            errors.append(entry_error(path, line, exc))


def _bad_citation(path: Path, line: int, where: str, citation: Citation, sources: Sources) -> KnowledgeError | None:
    problem = sources.problem(citation)
    return KnowledgeError(path=str(path), line=line, field=where, message=problem) if problem else None


def _programmes(root: Path, sources: Sources, errors: list[KnowledgeError]) -> dict[str, ProgrammeFacts]:
    path = root / PROGRAMMES_FILE
    found: dict[str, ProgrammeFacts] = {}
    for line, programme in _valid(path, "programmes", ProgrammeFacts, errors):
        kept = {}
        for key, fact in programme.facts.items():
            bad = _bad_citation(path, line, f"facts.{key}.source", fact.source, sources)
            if bad:
                errors.append(bad.model_copy(update={"message": f"{programme.id}: {bad.message}"}))
            else:
                kept[key] = fact
        found[programme.id.upper()] = programme.model_copy(update={"facts": kept})
    return found


def _tour(
    root: Path, sources: Sources, programmes: dict[str, ProgrammeFacts], errors: list[KnowledgeError]
) -> list[TourCard]:
    path = root / TOUR_FILE
    cards = []
    for line, card in _valid(path, "cards", TourCard, errors):
        if card.programme and card.programme.upper() not in programmes:
            errors.append(
                KnowledgeError(path=str(path), line=line, field="programme", message=f"no programme '{card.programme}'")
            )
            continue
        bad = next(
            (e for n, c in enumerate(card.sources) if (e := _bad_citation(path, line, f"sources.{n}", c, sources))),
            None,
        )
        if bad:
            errors.append(bad)
            continue
        cards.append(card)
    return cards


def _quiz(root: Path, sources: Sources, errors: list[KnowledgeError]) -> list[QuizQuestion]:
    path = root / QUIZ_FILE
    questions: dict[str, QuizQuestion] = {}
    for line, question in _valid(path, "questions", QuizQuestion, errors):
        if question.id in questions:
            errors.append(
                KnowledgeError(path=str(path), line=line, field="id", message=f"'{question.id}' is used twice")
            )
            continue
        bad = _bad_citation(path, line, "source", question.source, sources)
        if bad:
            errors.append(bad)
            continue
        questions[question.id] = question
    return list(questions.values())


def load_learning(root: Path, sources: Sources) -> Learning:
    """Programme facts, tour and quiz from the knowledge folder `root`, citations checked against `sources`."""
    errors: list[KnowledgeError] = []
    programmes = _programmes(root, sources, errors)
    tour = _tour(root, sources, programmes, errors)
    quiz = _quiz(root, sources, errors)
    return Learning(programmes=programmes, tour=tour, quiz=quiz, errors=errors)


def learning_from(knowledge: Knowledge) -> tuple[Learning, Sources]:
    """The learning content beside already-loaded knowledge, and the sources its citations are named by."""
    sources = Sources(knowledge.documents, knowledge.passages)
    return load_learning(knowledge.root, sources), sources


@dataclass(frozen=True)
class Library:
    """What the learning features read: the knowledge (glossary, passages), the learning content, its sources."""

    knowledge: Knowledge
    learning: Learning
    sources: Sources


def open_library(root: Path) -> Library:
    """Load the knowledge folder `root` and its learning content (problems are in `learning.errors`)."""
    knowledge = load_knowledge(root)
    learning, sources = learning_from(knowledge)
    return Library(knowledge, learning, sources)
