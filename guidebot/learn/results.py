"""What the learning features return: one model per result, rendered by the terminal and by Slack alike."""

from __future__ import annotations

from pydantic import BaseModel, Field

from guidebot.knowledge.citations import Citation


class Cited(BaseModel):
    """A citation with the plain label readers see ("HMPPS template, 2019 · Target group")."""

    citation: Citation
    label: str


class Definition(BaseModel):
    """A glossary term: what it stands for, what it means, and where the documents use it."""

    term: str
    expansion: str
    meaning: str
    sources: list[Cited] = Field(default_factory=list)
    passages: int = 0  # how many passages use it in all


class Unknown(BaseModel):
    """A name or term guidebot does not hold: close spellings first, then everything it does know."""

    asked: str
    did_you_mean: list[str] = Field(default_factory=list)
    known: list[str] = Field(default_factory=list)


class Cell(BaseModel):
    text: str
    source: Cited | None = None  # None: the documents say nothing about this for the programme


class Row(BaseModel):
    fact: str
    label: str
    values: dict[str, Cell]


class Comparison(BaseModel):
    programmes: list[str]
    names: dict[str, str]
    rows: list[Row]


class Card(BaseModel):
    """One card of the tour: a title, a short text or a few labelled facts, and the sources behind them."""

    number: int
    total: int
    title: str
    text: str = ""
    facts: list[tuple[str, str]] = Field(default_factory=list)
    sources: list[Cited] = Field(default_factory=list)


class QuizItem(BaseModel):
    """A quiz question as shown: the choices, and once answered which was chosen and which is right."""

    id: str
    question: str
    choices: list[str]
    right: int
    explanation: str
    source: Cited


class Scored(BaseModel):
    item: QuizItem
    chosen: int | None


class QuizScore(BaseModel):
    right: int
    total: int
    answers: list[Scored]


class Standing(BaseModel):
    user: str
    points: int
    rank: int
