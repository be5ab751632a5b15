"""The questions each passage answers: tied by section and quote; bad, ambiguous and missing quotes named."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebot.knowledge.loader import load_knowledge
from tests.helpers_core import GOOD_DOC_ID, SHIPPED_KNOWLEDGE, knowledge_dir

# Passages that answer nothing a practitioner asks: covers, disclaimers, acknowledgements, table captions,
# reference lists. Named by section (and the words that mark them) so a new content passage can't hide here.
NO_QUESTIONS = ("Disclaimer", "Acknowledgements", "References", "Bibliography", "Notes")
BOILERPLATE = {
    "moj-delivery-of-da-programmes-2010#1": "what the MoJ's Analytical Services do",
    "up2u-lga-2018#111": "the LGA's address and copyright page",
    "wwp-policy-recommendations#33": "the EU funding disclaimer",
}


def _write(root: Path, body: str) -> Path:
    folder = root / "questions"
    folder.mkdir(exist_ok=True)
    path = folder / f"{GOOD_DOC_ID}.yaml"
    path.write_text(f"document: {GOOD_DOC_ID}\npassages:\n{body}", encoding="utf-8")
    return path


def test_questions_attach_to_the_passage_their_quote_names(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path)
    _write(
        root,
        '  - section: Referral\n    quote: "every participant gives *informed* consent"\n'
        "    questions: [who refers to it, does he have to agree]\n",
    )
    knowledge = load_knowledge(root)
    assert knowledge.errors == []
    assert knowledge.questions == {f"{GOOD_DOC_ID}#0": ["who refers to it", "does he have to agree"]}


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ('  - section: Referral\n    quote: "not in the passage at all"\n    questions: [q]\n', "quote", "no passage"),
        ('  - section: Referral\n    quote: "the"\n    questions: [q]\n', None, None),
        ('  - section: Nowhere\n    quote: "informed consent"\n    questions: [q]\n', "section", "no section"),
        ('  - section: Referral\n    quote: "informed consent"\n    questions: []\n', "questions", "at least 1"),
        ('  - section: Referral\n    quote: "informed consent"\n    questions: [q]\n    extra: 1\n', "extra", "Extra"),
    ],
)
def test_a_bad_entry_is_named_by_file_line_and_field(
    tmp_path: Path, entry: str, field: str | None, message: str | None
) -> None:
    root = knowledge_dir(tmp_path)
    good = '  - section: Referral\n    quote: "assessment"\n    questions: [kept]\n'
    path = _write(root, good + entry)
    knowledge = load_knowledge(root)
    if field is None:  # "the" occurs once in this one passage: fine, if a poor quote
        assert knowledge.errors == []
        return
    assert len(knowledge.errors) == 1
    error = knowledge.errors[0]
    assert (error.path, error.line, error.field) == (str(path), 6, field)
    assert message in error.message
    assert knowledge.questions[f"{GOOD_DOC_ID}#0"] == ["kept"]


def test_a_quote_in_several_passages_is_ambiguous(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path)
    long = "Every participant gives informed consent before the programme starts, and the offender manager " * 3
    doc = root / "documents" / "a-good.md"
    doc.write_text(doc.read_text() + f"\n{long}first.\n\n{long}second.\n", encoding="utf-8")
    path = _write(
        root, '  - section: Referral\n    quote: "gives informed consent before the programme"\n    questions: [q]\n'
    )
    knowledge = load_knowledge(root)
    assert [(e.path, e.line, e.field) for e in knowledge.errors] == [(str(path), 3, "quote")]
    assert "2 passages" in knowledge.errors[0].message


def test_a_file_for_an_unknown_document_is_reported(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path)
    (root / "questions").mkdir()
    (root / "questions" / "x.yaml").write_text("document: nope\npassages: []\n", encoding="utf-8")
    assert [e.field for e in load_knowledge(root).errors] == ["document"]


def test_changing_a_questions_file_changes_the_fingerprint(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path)
    before = load_knowledge(root).fingerprint
    _write(root, '  - section: Referral\n    quote: "informed consent"\n    questions: [q]\n')
    assert load_knowledge(root).fingerprint != before


def test_every_shipped_passage_with_content_has_questions() -> None:
    knowledge = load_knowledge(SHIPPED_KNOWLEDGE)
    assert knowledge.errors == []
    assert sum(len(q) for q in knowledge.questions.values()) >= 800
    missing = [
        p.id
        for p in knowledge.passages
        if p.id not in knowledge.questions
        and p.position > 0  # the cover page
        and not any(name in p.section for name in NO_QUESTIONS)
        and "|" not in p.text.splitlines()[-1][:1]  # a table's caption or empty header row
        and p.words >= 25
        and p.id not in BOILERPLATE
    ]
    assert missing == [], missing


def _write_unanswered(root: Path, name: str, body: str) -> Path:
    folder = root / "unanswered"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def test_unanswered_questions_load_near_their_passage_and_off_topic(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path)
    _write_unanswered(
        root,
        f"{GOOD_DOC_ID}.yaml",
        f'document: {GOOD_DOC_ID}\npassages:\n  - section: Referral\n    quote: "informed consent"\n'
        "    questions: [what is the pass mark]\n",
    )
    _write_unanswered(root, "off-topic.yaml", "questions:\n  - how do i reset my password\n")
    knowledge = load_knowledge(root)
    assert knowledge.errors == []
    assert sorted(knowledge.unanswered) == ["how do i reset my password", "what is the pass mark"]
    assert knowledge.questions == {}  # never taken for questions a passage answers


def test_a_bad_unanswered_entry_is_named_and_the_rest_load(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path)
    path = _write_unanswered(
        root,
        f"{GOOD_DOC_ID}.yaml",
        f'document: {GOOD_DOC_ID}\npassages:\n  - section: Referral\n    quote: "informed consent"\n'
        '    questions: [kept]\n  - section: Referral\n    quote: "not there"\n    questions: [lost]\n',
    )
    off = _write_unanswered(root, "off-topic.yaml", "questions:\n  - fine\n  - {a: 1}\n")
    knowledge = load_knowledge(root)
    assert sorted(knowledge.unanswered) == ["fine", "kept"]
    problems = {(e.path, e.line, e.field) for e in knowledge.errors}
    assert problems == {(str(path), 6, "quote"), (str(off), 3, None)}


def test_changing_an_unanswered_file_changes_the_fingerprint(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path)
    before = load_knowledge(root).fingerprint
    _write_unanswered(root, "off-topic.yaml", "questions:\n  - how do i reset my password\n")
    assert load_knowledge(root).fingerprint != before
