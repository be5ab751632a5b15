"""Citations: a document id, a section and a short verbatim quote, checked against the loaded passages.

Learning content (programme facts, tour cards, quiz questions) shows a source beside every fact; checking each
quote when the content loads keeps the facts from drifting away from the documents they claim to come from.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from guidebot.knowledge.models import Document, Passage
from guidebot.knowledge.questions import normalise


class Citation(BaseModel):
    """Where a fact comes from: a document id, the section as guidebot names it, and a quote from it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: StrictStr = Field(min_length=1)
    section: StrictStr = Field(min_length=1)
    quote: StrictStr = Field(min_length=1, max_length=300)


class Sources:
    """The documents and passages citations are checked against, and named by."""

    def __init__(self, documents: list[Document], passages: list[Passage]) -> None:
        self._documents = {d.id: d for d in documents}
        self._texts: dict[tuple[str, str], list[str]] = {}
        for p in passages:
            self._texts.setdefault((p.doc_id, p.section), []).append(normalise(p.text))

    def problem(self, citation: Citation) -> str | None:
        """Why the citation does not hold (no such document, section, or quote there), or None."""
        if citation.doc_id not in self._documents:
            return f"no document '{citation.doc_id}'"
        texts = self._texts.get((citation.doc_id, citation.section))
        if texts is None:
            return f"no section '{citation.section}' in {citation.doc_id}"
        quote = normalise(citation.quote)
        if not any(quote in text for text in texts):
            return f"the quote is not in '{citation.section}' of {citation.doc_id}"
        return None

    def label(self, citation: Citation) -> str:
        """How a reader sees the source: "HMPPS template, 2019 · Duration of the perpetrator programme"."""
        document = self._documents.get(citation.doc_id)
        if document is None:
            return f"{citation.doc_id} · {citation.section}"
        name = document.source_note or f"{document.publisher}, {document.year}"
        if len(document.programmes) == 1 and document.programmes[0].lower() not in name.lower():
            name += f" ({document.programmes[0]})"  # the BBR and Kaizen templates share a note
        return f"{name} · {citation.section}"
