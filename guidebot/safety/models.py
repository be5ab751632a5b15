"""Pydantic models of safety: a labelled message (content in knowledge/safety/) and an Assessment (a result)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, StrictStr


class Label(StrEnum):
    urgent = "urgent"
    ordinary = "ordinary"


class Register(StrEnum):
    """How staff write: a detector that knows only one register fails on the others."""

    chatty = "chatty"
    case_note = "case_note"
    forwarded = "forwarded"
    voicemail = "voicemail"
    mixed = "mixed"
    question = "question"


class LabelledMessage(BaseModel):
    """One message and its label, with a note a safeguarding lead can check."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    text: StrictStr = Field(min_length=1)
    label: Label
    why: StrictStr = Field(min_length=1, description="the sign of danger now, or why it is not one")
    # "register" is the YAML key; pydantic's BaseModel has a method of that name
    style: Register | None = Field(None, alias="register")
    review: StrictStr | None = Field(None, description="a doubt about the label, for the safeguarding lead")


class Assessment(BaseModel):
    """Urgent or not, and why: the hard sign that matched, or the classifier's probability."""

    urgent: bool
    reason: str = Field(description="'hard sign: <name>', 'classifier' or 'hard signs only'")
    hard_sign: str | None = None
    probability: float | None = Field(None, description="the classifier's probability that this is urgent")
    risk_topic: bool = Field(False, description="not urgent, but about risk: the answer ends with the safety line")
