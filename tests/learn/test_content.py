"""The learning content: every shipped citation resolves, and a bad entry is named by file, line and field while
the rest still load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from guidebot.knowledge.citations import Citation
from guidebot.knowledge.loader import Knowledge, load_knowledge
from guidebot.knowledge.models import KnowledgeError
from guidebot.knowledge.questions import normalise
from guidebot.learn.content import FACTS, Learning, QuizQuestion, learning_from
from tests.helpers_core import SHIPPED_KNOWLEDGE, copy_shipped

VALID = {"doc_id": "bbr-hmpps-2019", "section": "Risk assessment", "quote": "Medium or High Risk (Community)"}


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(SHIPPED_KNOWLEDGE)


@pytest.fixture(scope="module")
def learning(knowledge: Knowledge) -> Learning:
    return learning_from(knowledge)[0]


def _citations(learning: Learning) -> list[tuple[str, Citation]]:
    found = [(f"{p.id} {key}", fact.source) for p in learning.programmes.values() for key, fact in p.facts.items()]
    found += [(f"card {n}", c) for n, card in enumerate(learning.tour, 1) for c in card.sources]
    return found + [(q.id, q.source) for q in learning.quiz]


def test_the_shipped_content_loads_without_errors(knowledge: Knowledge, learning: Learning) -> None:
    assert knowledge.errors == []
    assert [str(e) for e in learning.errors] == []


def test_every_shipped_quote_is_in_the_section_it_cites(knowledge: Knowledge, learning: Learning) -> None:
    texts: dict[tuple[str, str], list[str]] = {}
    for passage in knowledge.passages:
        texts.setdefault((passage.doc_id, passage.section), []).append(normalise(passage.text))
    citations = _citations(learning)
    missing = [
        f"{where}: {c.doc_id} / {c.section}"
        for where, c in citations
        if not any(normalise(c.quote) in text for text in texts.get((c.doc_id, c.section), []))
    ]
    assert len(citations) > 100 and missing == []


def test_every_programme_of_programmes_yaml_has_facts(learning: Learning) -> None:
    raw = yaml.safe_load((SHIPPED_KNOWLEDGE / "programmes.yaml").read_text(encoding="utf-8"))
    ids = {p["id"].upper() for p in raw["programmes"]}
    assert ids == set(learning.programmes) and len(ids) >= 6
    for programme in learning.programmes.values():
        assert programme.facts, programme.id
        assert set(programme.facts) <= set(FACTS)
        assert list(programme.facts) == [key for key in FACTS if key in programme.facts]


def test_the_quiz_has_thirty_questions_each_with_exactly_one_right_answer(learning: Learning) -> None:
    assert len(learning.quiz) >= 30
    assert len({q.id for q in learning.quiz}) == len(learning.quiz)
    for question in learning.quiz:
        assert [c for c in question.choices if c == question.answer] == [question.choices[question.right]]
        assert len({c.lower() for c in question.choices}) == len(question.choices)
        assert question.explanation and question.topic


def _question(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "qx",
        "question": "Which risk levels does BBR take in the community?",
        "choices": ["Low", "Medium or high", "High only"],
        "answer": "Medium or high",
        "explanation": "SARA medium or high risk in the community.",
        "source": VALID,
    }
    return {**base, **changes}


def test_the_question_model_wants_the_answer_among_the_choices_once() -> None:
    assert QuizQuestion.model_validate(_question()).right == 1
    with pytest.raises(ValidationError, match="copied exactly"):
        QuizQuestion.model_validate(_question(answer="Medium"))
    with pytest.raises(ValidationError, match="same"):
        QuizQuestion.model_validate(_question(choices=["Low", "low", "Medium or high"]))


# -- a broken copy: each bad entry named, the rest loaded ------------------------------------------------

BAD_PROGRAMMES = f"""
  - id: TESTPROG
    name: Test programme
    facts:
      setting:
        text: "A setting the documents never give."
        source: {{doc_id: bbr-hmpps-2019, section: "Risk assessment", quote: "this sentence is nowhere in the document"}}
      risk:
        text: "Medium or high risk in the community."
        source: {VALID}
  - id: BADFACT
    name: A programme with an unknown fact
    facts:
      colour:
        text: "Blue."
        source: {VALID}
"""

BAD_TOUR = """
  - {programme: BBR, title: "Both kinds at once", text: "Not allowed."}
"""

BAD_QUIZ = f"""
  - id: q-bad-answer
    question: "Which risk levels does BBR take in the community?"
    choices: ["Low", "Medium or high", "High only"]
    answer: "Medium"
    explanation: "The answer is not one of the choices."
    source: {VALID}
  - id: q-same
    question: "Which risk levels does BBR take in the community?"
    choices: ["Low", "Medium or high", "medium or HIGH"]
    answer: "Low"
    explanation: "Two choices are the same."
    source: {VALID}
  - id: q-section
    question: "Which risk levels does BBR take in the community?"
    choices: ["Low", "Medium or high", "High only"]
    answer: "Medium or high"
    explanation: "The section does not exist."
    source: {{doc_id: bbr-hmpps-2019, section: "No such section", quote: "Medium or High Risk (Community)"}}
  - id: q-good
    question: "Which risk levels does BBR take in the community?"
    choices: ["Low", "Medium or high", "High only"]
    answer: "Medium or high"
    explanation: "SARA medium or high risk in the community."
    source: {VALID}
"""


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Learning]:
    root = copy_shipped(tmp_path_factory.mktemp("broken") / "knowledge")
    for name, extra in (("programmes.yaml", BAD_PROGRAMMES), ("tour.yaml", BAD_TOUR), ("quiz.yaml", BAD_QUIZ)):
        with (root / name).open("a", encoding="utf-8") as file:
            file.write(extra)
    return root, learning_from(load_knowledge(root))[0]


def _error(learning: Learning, path: Path, line: int) -> KnowledgeError:
    found = [e for e in learning.errors if e.path == str(path) and e.line == line]
    assert len(found) == 1, [str(e) for e in learning.errors]
    return found[0]


def _names_field(error: KnowledgeError, field: str) -> bool:
    """The field is named: as the error's field, or, for a check across fields, in backticks in its message."""
    return error.field == field or (error.field is None and f"`{field}" in error.message)


@pytest.mark.parametrize(
    ("file", "needle", "field", "message"),
    [
        ("quiz.yaml", "id: q-bad-answer", "answer", "'Medium' is not one"),
        ("quiz.yaml", "id: q-same", "choices", "same"),
        ("quiz.yaml", "id: q-section", "source", "no section 'No such section' in bbr-hmpps-2019"),
        ("programmes.yaml", "id: TESTPROG", "facts.setting.source", "TESTPROG: the quote is not in 'Risk assessment'"),
        ("programmes.yaml", "id: BADFACT", "facts", "unknown fact(s) ['colour']"),
        ("tour.yaml", "Both kinds at once", "programme", "not both"),
    ],
)
def test_a_bad_entry_is_named_by_file_line_and_field(
    broken: tuple[Path, Learning], file: str, needle: str, field: str, message: str
) -> None:
    root, learning = broken
    error = _error(learning, root / file, _line_of(root / file, needle))
    assert _names_field(error, field), str(error)
    assert message in error.message


def test_the_other_entries_still_load(broken: tuple[Path, Learning], learning: Learning) -> None:
    _, damaged = broken
    assert len(damaged.errors) == 6
    assert [q.id for q in damaged.quiz] == [q.id for q in learning.quiz] + ["q-good"]
    assert len(damaged.tour) == len(learning.tour)
    assert "BADFACT" not in damaged.programmes
    assert list(damaged.programmes["TESTPROG"].facts) == ["risk"]
    for key, programme in learning.programmes.items():
        assert damaged.programmes[key] == programme
