"""define, compare and the tour over the shipped knowledge: what is found, what is suggested, what is refused."""

from __future__ import annotations

import pytest

from guidebot.knowledge.citations import Sources
from guidebot.knowledge.loader import Knowledge, load_knowledge
from guidebot.knowledge.questions import normalise
from guidebot.learn.compare import NOT_STATED, CompareError, compare
from guidebot.learn.content import FACTS, Learning, learning_from
from guidebot.learn.define import define
from guidebot.learn.results import Comparison, Definition, Unknown
from guidebot.learn.tour import tour_card
from tests.helpers_core import SHIPPED_KNOWLEDGE

PROGRAMMES = ["IDAP", "CDVP", "HRP", "BBR", "Kaizen", "Up2U"]


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(SHIPPED_KNOWLEDGE)


@pytest.fixture(scope="module")
def loaded(knowledge: Knowledge) -> tuple[Learning, Sources]:
    return learning_from(knowledge)


def _define(knowledge: Knowledge, sources: Sources, asked: str) -> Definition | Unknown:
    learning, _ = learning_from(knowledge)
    return define(knowledge.glossary, knowledge.passages, sources, asked, learning.programmes)


def _quoted_in_passage(knowledge: Knowledge, doc_id: str, section: str, quote: str) -> bool:
    return any(
        normalise(quote) in normalise(p.text) for p in knowledge.passages if p.doc_id == doc_id and p.section == section
    )


# -- define ------------------------------------------------------------------------------------------


def test_sara_is_defined_with_quotes_that_really_occur_where_cited(
    knowledge: Knowledge, loaded: tuple[Learning, Sources]
) -> None:
    _, sources = loaded
    result = _define(knowledge, sources, "SARA")
    assert isinstance(result, Definition)
    assert result.term == "SARA" and result.expansion.lower() == "spousal assault risk assessment"
    assert "OASys" in result.meaning
    assert len(result.sources) >= 2 and result.passages >= len(result.sources)
    assert len({s.citation.doc_id for s in result.sources}) == len(result.sources)  # one quote per document
    for cited in result.sources:
        c = cited.citation
        assert "SARA" in c.quote or "spousal assault risk assessment" in c.quote.lower()
        assert _quoted_in_passage(knowledge, c.doc_id, c.section, c.quote), c
        assert sources.problem(c) is None
        assert cited.label.endswith(c.section)


@pytest.mark.parametrize("asked", ["sara", "Sara", "  SARA ", "Spousal Assault Risk Assessment"])
def test_define_ignores_case_and_takes_the_expansion(
    knowledge: Knowledge, loaded: tuple[Learning, Sources], asked: str
) -> None:
    result = _define(knowledge, loaded[1], asked)
    assert isinstance(result, Definition) and result.term == "SARA"


@pytest.mark.parametrize(("asked", "meant"), [("SRA", "SARA"), ("MARC", "MARAC"), ("IDPA", "IDAP"), ("OAsis", "OASys")])
def test_a_misspelling_gets_did_you_mean(
    knowledge: Knowledge, loaded: tuple[Learning, Sources], asked: str, meant: str
) -> None:
    result = _define(knowledge, loaded[1], asked)
    assert isinstance(result, Unknown) and result.asked == asked
    assert meant in result.did_you_mean


def test_kaizan_suggests_kaizen(knowledge: Knowledge, loaded: tuple[Learning, Sources]) -> None:
    result = _define(knowledge, loaded[1], "kaizan")
    assert isinstance(result, Unknown) and "Kaizen" in result.did_you_mean


def test_an_unknown_term_lists_the_known_ones(knowledge: Knowledge, loaded: tuple[Learning, Sources]) -> None:
    result = _define(knowledge, loaded[1], "zzzz")
    assert isinstance(result, Unknown)
    assert result.did_you_mean == []
    assert {"SARA", "OASys", "MARAC", "BBR"} <= set(result.known)
    assert result.known == sorted(result.known, key=str.lower)


def test_every_glossary_definition_cites_sections_that_resolve(
    knowledge: Knowledge, loaded: tuple[Learning, Sources]
) -> None:
    sources = loaded[1]
    bad = []
    for term in knowledge.glossary.terms:
        result = _define(knowledge, sources, term.abbr)
        assert isinstance(result, Definition)
        bad += [f"{term.abbr}: {p}" for c in result.sources if (p := sources.problem(c.citation))]
    assert bad == []


# -- compare -----------------------------------------------------------------------------------------


def test_compare_two_programmes_fact_by_fact_with_sources(loaded: tuple[Learning, Sources]) -> None:
    learning, sources = loaded
    result = compare(learning, sources, ["bbr", "KAIZEN"])
    assert isinstance(result, Comparison)
    assert result.programmes == ["BBR", "Kaizen"]
    assert result.names["BBR"] == "Building Better Relationships"
    assert [r.fact for r in result.rows] == [k for k in FACTS if k in {r.fact for r in result.rows}]
    assert {"setting", "target_group", "risk", "sessions"} <= {r.fact for r in result.rows}
    for row in result.rows:
        assert row.label == FACTS[row.fact] and set(row.values) == {"BBR", "Kaizen"}
        for programme, cell in row.values.items():
            fact = learning.programme(programme).facts.get(row.fact)  # type: ignore[union-attr]
            if fact is None:
                assert cell.text == NOT_STATED and cell.source is None
            else:
                assert cell.text == fact.text and cell.source is not None
                assert cell.source.citation == fact.source and sources.problem(fact.source) is None


def test_compare_three_programmes_by_id_or_name(loaded: tuple[Learning, Sources]) -> None:
    result = compare(*loaded, ["Building Better Relationships", "up2u", "IDAP"])
    assert isinstance(result, Comparison)
    assert result.programmes == ["BBR", "Up2U", "IDAP"]
    assert all(set(row.values) == {"BBR", "Up2U", "IDAP"} for row in result.rows)


def test_an_unknown_programme_lists_the_known_ones(loaded: tuple[Learning, Sources]) -> None:
    result = compare(*loaded, ["BBR", "Kaizn"])
    assert isinstance(result, Unknown)
    assert result.asked == "Kaizn" and result.did_you_mean == ["Kaizen"]
    assert result.known == PROGRAMMES


@pytest.mark.parametrize(
    "names",
    [
        ["BBR"],
        ["BBR", "Kaizen", "Up2U", "IDAP"],
        ["BBR", "BBR"],
        ["BBR", "bbr"],
        ["BBR", "Building Better Relationships"],
        [],
    ],
)
def test_one_four_or_the_same_twice_is_refused(loaded: tuple[Learning, Sources], names: list[str]) -> None:
    with pytest.raises(CompareError):
        compare(*loaded, names)


def test_a_missing_fact_is_not_stated_and_a_fact_nobody_has_is_left_out(loaded: tuple[Learning, Sources]) -> None:
    learning, sources = loaded

    def without(key: str, *facts: str) -> object:
        programme = learning.programmes[key]
        return programme.model_copy(update={"facts": {k: v for k, v in programme.facts.items() if k not in facts}})

    trimmed = Learning(programmes={"BBR": without("BBR", "volume", "theory"), "IDAP": without("IDAP", "theory")})
    result = compare(trimmed, sources, ["BBR", "IDAP"])
    assert isinstance(result, Comparison)
    volume = next(r for r in result.rows if r.fact == "volume")
    assert volume.values["BBR"].text == NOT_STATED and volume.values["BBR"].source is None
    assert volume.values["IDAP"].source is not None
    assert "theory" not in {r.fact for r in result.rows}


# -- tour --------------------------------------------------------------------------------------------


def test_the_tour_has_cards_one_to_n_and_none_outside(loaded: tuple[Learning, Sources]) -> None:
    learning, sources = loaded
    total = len(learning.tour)
    assert total >= 10
    cards = [tour_card(learning, sources, n) for n in range(1, total + 1)]
    assert [(c.number, c.total) for c in cards if c] == [(n, total) for n in range(1, total + 1)]
    assert tour_card(learning, sources, 0) is None
    assert tour_card(learning, sources, total + 1) is None
    assert all(c and c.title and c.sources and (c.text or c.facts) for c in cards)


def test_a_programme_card_shows_its_facts_and_their_sources(loaded: tuple[Learning, Sources]) -> None:
    learning, sources = loaded
    number = next(n for n, entry in enumerate(learning.tour, 1) if entry.programme == "BBR")
    card = tour_card(learning, sources, number)
    assert card is not None
    assert card.title == "Building Better Relationships (BBR)" and card.text == ""
    bbr = learning.programmes["BBR"]
    assert ("Sessions and intensity", bbr.facts["sessions"].text) in card.facts
    assert {label for label, _ in card.facts} <= set(FACTS.values())
    assert card.sources and all(sources.problem(s.citation) is None for s in card.sources)
    assert {s.citation for s in card.sources} <= {f.source for f in bbr.facts.values()}


def test_a_written_card_has_its_text_and_sources(loaded: tuple[Learning, Sources]) -> None:
    learning, sources = loaded
    card = tour_card(learning, sources, 1)
    assert card is not None and card.title == "Welcome" and card.facts == []
    assert "IDAP" in card.text
    assert [s.citation for s in card.sources] == list(learning.tour[0].sources)
