"""The glossary: every abbreviation practitioners type is there, and a broken glossary never stops search."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebot.config import Settings
from guidebot.knowledge.loader import Knowledge, load_knowledge
from guidebot.search.engine import Engine
from guidebot.search.models import Status
from tests.helpers_core import GOOD_DOC_ID, GOOD_MARKER, knowledge_dir

# Copied from ../shared/design/DOMAIN.md, "Words and abbreviations users type" (CI may not have ../shared).
DOMAIN_ABBREVIATIONS = [
    "OM", "PO", "WSW", "PLW", "IDVA", "TM", "PM", "GT", "IPV", "DA", "DV", "SO", "GV", "SARA", "E-SARA",
    "OASys", "OVP", "RM2000", "PNA", "LS/RNR", "DASH", "CRAIQ", "PSR", "MARAC", "MAPPA", "HMPPS", "CSAAP",
    "LDC", "MI", "CBT", "ISP", "VAWG", "CAF", "DAPP", "WTE",
]  # fmt: skip


def test_every_domain_abbreviation_is_a_glossary_term(shipped: Knowledge) -> None:
    terms = {t.abbr for t in shipped.glossary.terms}
    assert [a for a in DOMAIN_ABBREVIATIONS if a not in terms] == []


def test_terms_have_an_expansion_and_a_meaning(shipped: Knowledge) -> None:
    missing = [t.abbr for t in shipped.glossary.terms if not t.expansion.strip() or not t.meaning.strip()]
    assert missing == []


def test_abbreviations_are_not_defined_twice(shipped: Knowledge) -> None:
    abbrs = [t.abbr.lower() for t in shipped.glossary.terms]
    assert sorted({a for a in abbrs if abbrs.count(a) > 1}) == []


def test_issue_synonym_groups_are_present(shipped: Knowledge) -> None:
    def group_of(word: str) -> set[str]:
        for group in shipped.glossary.synonyms:
            if word in {w.lower() for w in group}:
                return {w.lower() for w in group}
        return set()

    assert {"partner link worker", "partner support worker"} <= group_of("women's safety worker")
    assert {"perpetrator", "service user", "offender", "client"} <= group_of("participant")
    assert {"ex-partner", "victim"} <= group_of("partner")
    assert "facilitator" in group_of("tutor")


def test_programme_names_include_the_shipped_programmes(shipped: Knowledge) -> None:
    names = {p.name for p in shipped.glossary.programmes}
    assert {"BBR", "Kaizen", "Up2U"} <= names


MALFORMED = {
    "missing-expansion": ("terms:\n  - abbr: WSW\n", "terms.0.expansion"),
    "unknown-key": (
        "terms:\n  - abbr: WSW\n    expansion: women's safety worker\n    meening: typo\n",
        "terms.0.meening",
    ),
    "one-word-synonym-group": ("synonyms:\n  - [tutor]\n", "synonyms"),
    "related-without-wordings": ("related:\n  clean wing: []\n", "related"),
    "related-not-a-list": ("related:\n  clean wing: drug-free wing\n", "related.clean wing"),
    "not-a-mapping": ("- just\n- a list\n", None),
    "bad-yaml": ("terms: [unclosed\n", None),
    "alias": ("a: &a [x]\nsynonyms: [*a, *a]\n", None),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_glossary_is_reported_and_search_still_works(tmp_path: Path, name: str) -> None:
    text, field = MALFORMED[name]
    root = knowledge_dir(tmp_path / "k", glossary=False)
    glossary = root / "glossary.yaml"
    glossary.write_text(text, encoding="utf-8")

    knowledge = load_knowledge(root)
    assert len(knowledge.errors) == 1, knowledge.errors
    (error,) = knowledge.errors
    assert Path(error.path) == glossary
    assert "glossary.yaml" in str(error)
    if field:
        assert error.field == field
        assert field in str(error)
    assert knowledge.glossary.terms == []
    assert [d.id for d in knowledge.documents] == [GOOD_DOC_ID]

    engine = Engine.from_settings(Settings(knowledge_dir=root, index_dir=tmp_path / "ix"))
    answer = engine.ask(f"{GOOD_MARKER} referral")
    assert answer.status is Status.answered
    assert answer.results[0].doc_id == GOOD_DOC_ID


def test_missing_glossary_is_not_an_error(tmp_path: Path) -> None:
    knowledge = load_knowledge(knowledge_dir(tmp_path / "k", glossary=False))
    assert knowledge.errors == []
    assert knowledge.glossary.terms == []
