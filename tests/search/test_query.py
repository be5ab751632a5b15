"""Query understanding: glossary acronyms and synonyms both ways, programmes named, question words dropped."""

from __future__ import annotations

import pytest

from guidebot.knowledge.loader import load_knowledge
from guidebot.knowledge.models import Glossary, ProgrammeName, Term
from guidebot.search.query import Concept, QueryUnderstanding, stems, words_of
from tests.helpers_core import SHIPPED_KNOWLEDGE


@pytest.fixture(scope="module")
def qu() -> QueryUnderstanding:
    knowledge = load_knowledge(SHIPPED_KNOWLEDGE)
    return QueryUnderstanding(knowledge.glossary, knowledge.documents)


def _concept(qu: QueryUnderstanding, text: str, label: str) -> Concept:
    concepts = qu.understand(text).concepts
    matches = [c for c in concepts if c.label.lower() == label.lower()]
    assert matches, f"no concept {label!r} in {[c.label for c in concepts]}"
    return matches[0]


def test_wsw_expands_to_womens_safety_worker(qu: QueryUnderstanding) -> None:
    concept = _concept(qu, "what does a WSW do", "WSW")
    assert concept.from_glossary
    assert concept.variants[0] == ["wsw"], "the typed wording comes first"
    assert stems("women's safety worker") in concept.variants
    assert stems("partner link worker") in concept.variants


def test_womens_safety_worker_expands_to_wsw(qu: QueryUnderstanding) -> None:
    concepts = qu.understand("what does a women's safety worker do").concepts
    (concept,) = [c for c in concepts if c.from_glossary]
    assert concept.variants[0] == stems("women's safety worker")
    assert ["wsw"] in concept.variants
    # the phrase is one concept, not three separate words
    assert [c.label for c in concepts] == ["women's safety worker"]


def test_plural_phrase_finds_the_same_group(qu: QueryUnderstanding) -> None:
    concept = _concept(qu, "women's safety workers", "women's safety workers")
    assert ["wsw"] in concept.variants


def test_lower_case_so_is_a_word_not_sexual_offending(qu: QueryUnderstanding) -> None:
    concepts = qu.understand("so what is the target group").concepts
    assert [c.label for c in concepts] == ["target", "group"]
    assert not any(stems("sexual offending") in c.variants for c in concepts)


def test_capital_so_is_sexual_offending(qu: QueryUnderstanding) -> None:
    concept = _concept(qu, "which risk tool for SO cases", "SO")
    assert concept.from_glossary
    assert stems("sexual offending") in concept.variants


@pytest.mark.parametrize(
    ("question", "programme"),
    [
        ("how many sessions is bbr", "BBR"),
        ("how many sessions is BBR", "BBR"),
        ("what is Building Better Relationships", "BBR"),
        ("who can go on kaizen", "Kaizen"),
        ("Kaizen risk tool", "Kaizen"),
        ("who can refer to up2u", "Up2U"),
    ],
)
def test_programmes_named_are_found(qu: QueryUnderstanding, question: str, programme: str) -> None:
    assert programme in qu.understand(question).programmes
    assert programme in qu.programmes_in(question)


def test_programme_named_by_full_name_is_one_concept(qu: QueryUnderstanding) -> None:
    understood = qu.understand("is Building Better Relationships accredited")
    assert understood.programmes == ["BBR"]
    assert [c.programme for c in understood.concepts].count("BBR") == 1


def test_two_programmes_are_both_found_in_order(qu: QueryUnderstanding) -> None:
    assert qu.understand("compare kaizen and bbr sessions").programmes == ["Kaizen", "BBR"]


def test_no_programme_named(qu: QueryUnderstanding) -> None:
    assert qu.understand("what does the treatment manager do").programmes == []


def test_question_words_are_dropped(qu: QueryUnderstanding) -> None:
    labels = [c.label.lower() for c in qu.understand("How many sessions does he have to do, please?").concepts]
    assert labels == ["sessions"]
    assert qu.understand("what is it? how? who?").concepts == []


def test_repeated_concept_counted_once(qu: QueryUnderstanding) -> None:
    labels = [c.label for c in qu.understand("WSW WSW women's safety worker").concepts]
    assert len(labels) == 1


def test_words_of_ignores_syntax_and_caps_length() -> None:
    assert words_of('body:kaizen AND "x" [a TO z] *') == ["body", "kaizen", "AND", "x", "a", "TO", "z"]
    assert len(" ".join(words_of("word " * 5000))) <= 1000


def test_synonym_group_and_term_sharing_a_member_merge() -> None:
    glossary = Glossary(
        terms=[Term(abbr="GT", expansion="group tutor")],
        synonyms=[["group tutor", "facilitator"]],
        programmes=[ProgrammeName(name="Kaizen", aliases=["kaizen programme"])],
    )
    qu = QueryUnderstanding(glossary)
    concept = _concept(qu, "facilitator training", "facilitator")
    assert ["gt"] in concept.variants and stems("group tutor") in concept.variants
    assert qu.understand("the kaizen programme").programmes == ["Kaizen"]


def test_empty_glossary_still_understands_words() -> None:
    understood = QueryUnderstanding(Glossary()).understand("WSW training")
    assert [c.label for c in understood.concepts] == ["WSW", "training"]
    assert all(len(c.variants) == 1 for c in understood.concepts)


def test_related_wording_is_searched_one_way(qu: QueryUnderstanding) -> None:
    concept = _concept(qu, "should he go onto a clean wing first", "clean wing")
    assert concept.variants[0] == stems("clean wing")
    assert stems("drug-free wing") in concept.variants
    # one way: the guidance's wording does not expand to the slang
    back = _concept(qu, "is a drug-free wing used", "drug")
    assert stems("clean wing") not in back.variants


def test_slang_for_a_new_partner_reaches_the_guidance_wording(qu: QueryUnderstanding) -> None:
    concept = _concept(qu, "he has a new gf", "gf")
    assert stems("new relationship") in concept.variants


def test_naming_a_document_selects_it(qu: QueryUnderstanding) -> None:
    concept = _concept(qu, "which prisons were in the MoJ study", "MoJ study")
    assert concept.documents == ("moj-delivery-of-da-programmes-2010",)
    publisher = _concept(qu, "what does the Local Government Association say", "Local Government Association")
    assert publisher.documents == ("up2u-lga-2018",)
    # one name may stand for several documents
    assert len(_concept(qu, "what do the HMPPS templates say", "HMPPS templates").documents) == 2


def test_without_documents_no_concept_selects_one() -> None:
    understood = QueryUnderstanding(load_knowledge(SHIPPED_KNOWLEDGE).glossary).understand("the MoJ study")
    assert all(c.documents == () for c in understood.concepts)


def test_question_words_and_function_words_are_not_concepts(qu: QueryUnderstanding) -> None:
    concepts = qu.understand("he's never been on it but would he still be ok for kaizen").concepts
    labels = [c.label.lower() for c in concepts]
    assert "been" not in labels and "but" not in labels and "still" not in labels
    assert "kaizen" in labels


def test_a_heading_made_of_question_words_is_a_name() -> None:
    knowledge = load_knowledge(SHIPPED_KNOWLEDGE)
    with_headings = QueryUnderstanding(knowledge.glossary, headings=["(1) Getting Going", "Module 3 Relationships"])
    concept = _concept(with_headings, "how many sessions is getting going", "getting going")
    assert concept.variants == [stems("getting going")]
    without = QueryUnderstanding(knowledge.glossary).understand("how many sessions is getting going")
    assert [c.label for c in without.concepts] == ["sessions"]


def test_related_wordings_of_words_with_one_stem_add_up() -> None:
    glossary = Glossary(related={"house": ["home"], "housing": ["accommodation"]})
    concept = _concept(QueryUnderstanding(glossary), "can sessions be at his house", "house")
    assert ["home"] in concept.variants and stems("accommodation") in concept.variants


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        ("how many sessions is BBR", True),
        ("How long does HRP take?", True),
        ("what number of men complete", True),
        ("who can refer to up2u", False),
        ("how is risk managed in HRP", False),
    ],
)
def test_quantity_questions_are_recognised(qu: QueryUnderstanding, question: str, wants: bool) -> None:
    assert qu.understand(question).wants_number is wants


def test_an_abbreviation_that_is_an_english_word_expands_only_in_capitals(qu: QueryUnderstanding) -> None:
    assert stems("DRIVE project") in _concept(qu, "who evaluated DRIVE", "DRIVE").variants
    assert _concept(qu, "he doesn't drive, can he still get there", "drive").variants == [["drive"]]


@pytest.mark.parametrize(
    ("transcript", "joined"),
    [
        ("um how many sessions is b b r", "um how many sessions is BBR"),
        ("the c d v p moderate one", "the CDVP moderate one"),
        ("hi its about kai zen group size", "hi its about Kaizen group size"),
        ("how does I dap run", "how does IDAP run"),
        ("he did a b b r course", "he did a BBR course"),
        ("the w s w said", "the WSW said"),
        ("how many sessions is b b r?", "how many sessions is BBR?"),
        ("is it the kai zen, or c d v p.", "is it the Kaizen, or CDVP."),
        ("how many sessions is bee bee are altogether", "how many sessions is BBR altogether"),
        ("where did see dee vee pee come from", "where did CDVP come from"),
        ("aitch are pee the high intensity one?", "HRP the high intensity one?"),
    ],
)
def test_a_name_a_speech_recogniser_split_is_joined_back(qu: QueryUnderstanding, transcript: str, joined: str) -> None:
    assert qu.join_spoken(transcript) == (joined, True)


@pytest.mark.parametrize(
    "text",
    [
        "a b c d",
        "ring me at 3 p m",
        "is it up to you",
        "so it is",
        "how many sessions",
        "are you ok to see me",
        "why are you asking",
        "see you tuesday oh and ring me",
    ],
)
def test_pieces_that_make_no_known_name_stay_apart(qu: QueryUnderstanding, text: str) -> None:
    assert qu.join_spoken(text) == (text, False)


@pytest.mark.parametrize(
    ("transcript", "joined"),
    [
        ("the dad we referred to up to you is asking", "the dad we referred to Up2U is asking"),
        ("he's on up to you.", "he's on Up2U."),
        ("what does the sarah need to come out as", "what does SARA need to come out as"),
        ("high on e sarah for kaizen", "high on E-SARA for kaizen"),
        ("an eye dap case", "an IDAP case"),
        ("what did the oasis say", "what did the OASys say"),
    ],
)
def test_a_spoken_form_from_the_glossary_reads_as_its_name(
    qu: QueryUnderstanding, transcript: str, joined: str
) -> None:
    assert qu.join_spoken(transcript) == (joined, True)


@pytest.mark.parametrize(
    "text", ["it's up to you whether he goes", "that's up to you", "hi it's sarah from the wsw team"]
)
def test_the_idiom_and_a_name_are_not_read_as_a_programme(qu: QueryUnderstanding, text: str) -> None:
    assert qu.join_spoken(text) == (text, False)


def test_spoken_forms_come_from_the_glossary() -> None:
    glossary = Glossary(programmes=[ProgrammeName(name="Kaizen", spoken=["ki zen", "kaisen"])])
    qu = QueryUnderstanding(glossary)
    assert qu.join_spoken("is he on kaisen or ki zen?") == ("is he on Kaizen or Kaizen?", True)
    assert QueryUnderstanding(Glossary()).join_spoken("is he on kaisen") == ("is he on kaisen", False)


def test_an_acronym_in_a_heading_is_joined_back_when_spelled_out() -> None:
    qu = QueryUnderstanding(Glossary(), headings=iter(["(3) New Me MOT"]))
    assert qu.join_spoken("who does the new me m o t") == ("who does the new me MOT", True)
    assert qu.join_spoken("who does the new me em oh tee") == ("who does the new me MOT", True)
    assert [c.label for c in qu.understand("who does the new me MOT").concepts][-1] == "new me MOT"
