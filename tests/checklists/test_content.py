"""The shipped checklists: every one loads, and every quote is in the document and section it cites."""

from __future__ import annotations

import pytest

from guidebot.checklists.loader import checklist_files, load_checklists
from guidebot.checklists.models import Checklist, Citation
from guidebot.knowledge.loader import Knowledge, load_knowledge
from tests.helpers_core import SHIPPED_KNOWLEDGE

EXPECTED = {"bbr", "kaizen", "up2u", "idap-cdvp", "hrp", "information-sharing"}


@pytest.fixture(scope="module")
def shipped() -> dict[str, Checklist]:
    checklists, errors = load_checklists(SHIPPED_KNOWLEDGE)
    assert [str(e) for e in errors] == []
    return checklists


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(SHIPPED_KNOWLEDGE)


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _citations(checklist: Checklist) -> list[tuple[str, Citation]]:
    found = [(f"step {s.id}", s.citation) for s in checklist.steps]
    return found + [(f"outcome {o.id}", o.citation) for o in checklist.outcomes if o.citation is not None]


def test_every_shipped_checklist_loads_without_errors(shipped: dict[str, Checklist]) -> None:
    assert set(shipped) == EXPECTED
    assert len(checklist_files(SHIPPED_KNOWLEDGE)) == len(EXPECTED)


def test_every_quote_is_in_its_document_under_the_cited_section(
    shipped: dict[str, Checklist], knowledge: Knowledge
) -> None:
    assert knowledge.errors == []
    missing = []
    for checklist in shipped.values():
        for where, citation in _citations(checklist):
            document = knowledge.document(citation.doc_id)
            if document is None:
                missing.append(f"{checklist.id} {where}: no document '{citation.doc_id}'")
                continue
            quote = _normalise(citation.quote)
            sections = {
                p.section for p in knowledge.passages if p.doc_id == citation.doc_id and quote in _normalise(p.text)
            }
            if citation.section not in sections:
                missing.append(f"{checklist.id} {where}: quote found under {sections or 'no section'}")
    assert missing == []


def test_quotes_are_short(shipped: dict[str, Checklist]) -> None:
    long = [(c.id, w) for c in shipped.values() for w, cit in _citations(c) if len(cit.quote.split()) > 30]
    assert long == []


def test_every_checklist_lists_the_documents_it_cites(shipped: dict[str, Checklist]) -> None:
    for checklist in shipped.values():
        assert {cit.doc_id for _, cit in _citations(checklist)} <= set(checklist.sources), checklist.id


def test_every_checklist_has_a_suitable_and_a_negative_outcome(shipped: dict[str, Checklist]) -> None:
    for checklist in shipped.values():
        verdicts = {o.verdict for o in checklist.outcomes}
        assert "suitable" in verdicts, checklist.id
        assert verdicts - {"suitable"}, checklist.id
