"""Pydantic models of the knowledge: documents, the passages cut from them, and the glossary."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator


class Kind(StrEnum):
    programme_guidance = "programme_guidance"
    policy_recommendation = "policy_recommendation"
    implementation_finding = "implementation_finding"
    local_service = "local_service"


# How each kind is named to a reader, so a 2010 research finding never passes for current guidance.
KIND_LABELS = {
    Kind.programme_guidance: "Programme guidance",
    Kind.policy_recommendation: "Policy recommendation",
    Kind.implementation_finding: "Research finding",
    Kind.local_service: "A local service's own description",
}


class DocumentMeta(BaseModel):
    """The YAML front matter of a knowledge document; strict so a typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid")

    id: StrictStr = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,80}$")
    title: StrictStr = Field(min_length=1)
    publisher: StrictStr = Field(min_length=1)
    year: int = Field(ge=1900, le=2100)
    kind: Kind
    programmes: list[StrictStr] = Field(default_factory=list)
    source_file: StrictStr = ""
    attribution: StrictStr = ""
    # What practitioners call the document ("the MoJ study"): naming it in a question selects it.
    names: list[StrictStr] = Field(default_factory=list)
    # Shown beside the kind, in plain words: which source, how old, what has changed since.
    source_note: StrictStr = ""
    # Codes that mark quoted interviewees ("(WSW2)") and who they are: "WSW: women's safety worker".
    speakers: dict[StrictStr, StrictStr] = Field(default_factory=dict)

    def describe(self, passage_text: str) -> str:
        """What kind of source a passage is, in plain words, e.g. "Research finding (MoJ 2010 study ...)"."""
        note = f" ({self.source_note})" if self.source_note else ""
        if self.speakers:
            for code in re.findall(r"\(([A-Za-z]{1,5})\d{1,3}\)", passage_text):
                if code in self.speakers:
                    return f"An interviewee's words ({self.speakers[code]}) in a research study{note}"
        return KIND_LABELS[self.kind] + note


class Document(DocumentMeta):
    """A loaded document: its metadata, its body text and where it came from."""

    model_config = ConfigDict(extra="forbid")

    path: str
    body: str


class Passage(BaseModel):
    """A readable unit of a document (paragraph, list, table row) that search returns and cites."""

    id: str
    doc_id: str
    section: str = Field(description="section path, e.g. 'Risk assessment' or 'Findings > Gap week'")
    position: int = Field(description="order of the passage within its document, from 0")
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


class Term(BaseModel):
    """An abbreviation users type, what it stands for and what it means."""

    model_config = ConfigDict(extra="forbid")

    abbr: StrictStr = Field(min_length=1)
    expansion: StrictStr = Field(min_length=1)
    meaning: StrictStr = ""
    also: list[StrictStr] = Field(default_factory=list)
    # how a voicemail's speech-to-text writes it ("the sarah" for SARA): read as the abbreviation
    spoken: list[StrictStr] = Field(default_factory=list)


class ProgrammeName(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: StrictStr = Field(min_length=1)
    aliases: list[StrictStr] = Field(default_factory=list)
    # how a voicemail's speech-to-text writes the name ("up to you" for Up2U): read as the name
    spoken: list[StrictStr] = Field(default_factory=list)


class Glossary(BaseModel):
    """glossary.yaml: abbreviations, synonym groups and programme names that query understanding uses."""

    model_config = ConfigDict(extra="forbid")

    terms: list[Term] = Field(default_factory=list)
    synonyms: list[list[StrictStr]] = Field(default_factory=list)
    # One way: how practitioners put it -> how the guidance words it ("clean wing" -> "drug-free wing").
    related: dict[StrictStr, list[StrictStr]] = Field(default_factory=dict)
    programmes: list[ProgrammeName] = Field(default_factory=list)

    @field_validator("synonyms")
    @classmethod
    def _groups_have_two(cls, groups: list[list[str]]) -> list[list[str]]:
        for i, group in enumerate(groups):
            if len(group) < 2:
                raise ValueError(f"synonym group {i + 1} needs at least two entries: {group}")
        return groups

    @field_validator("related")
    @classmethod
    def _related_not_empty(cls, related: dict[str, list[str]]) -> dict[str, list[str]]:
        for phrase, wordings in related.items():
            if not wordings or not all(w.strip() for w in wordings):
                raise ValueError(f"related '{phrase}' needs at least one wording the guidance uses")
        return related


class KnowledgeError(BaseModel):
    """A problem with one knowledge file, named so a non-programmer can find and fix it."""

    path: str
    field: str | None = None
    line: int | None = None
    message: str

    def __str__(self) -> str:
        where = (
            self.path + (f" line {self.line}" if self.line else "") + (f" (field '{self.field}')" if self.field else "")
        )
        return f"{where}: {self.message}"
