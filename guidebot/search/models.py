"""The result of answering a question: one model that every renderer (terminal, Block Kit, JSON) reads."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Status(StrEnum):
    answered = "answered"
    no_answer = "no_answer"
    urgent = "urgent"


class Result(BaseModel):
    """One cited passage: the whole text plus where it comes from."""

    doc_id: str
    title: str
    publisher: str
    year: int | str
    section: str
    text: str
    highlights: list[str] = Field(default_factory=list, description="matched terms, as they appear in text")
    score: float
    passage_id: str = ""
    source_kind: str = Field("", description="what kind of source, in plain words: guidance, research finding ...")


def one_line(result: Result, limit: int = 110) -> str:
    """A result in one line for "Also relevant": its section (or title) and the start of its text."""
    text = " ".join(result.text.replace("**", "").split())
    text = text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return f"{result.section or result.title} ({result.publisher}, {result.year}): {text}"


class Answer(BaseModel):
    """What guidebot says back: status, the cited passages (best first), and a message for the user."""

    question: str
    status: Status
    results: list[Result] = Field(default_factory=list)
    message: str = ""
    escalation: list[str] = Field(default_factory=list, description="urgent only: the steps, in order")
    did_you_mean: str | None = None
    programmes: list[str] = Field(default_factory=list, description="programmes named in the question")
    safety_line: str | None = Field(None, description="ends an ordinary answer to a message about risk")
    caution: str | None = Field(
        None, description="under an answer whose question is nearly as close to one no document answers"
    )
