"""Loading the shipped knowledge into documents and passages, and refusing bad files one at a time."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from guidebot.config import Settings
from guidebot.knowledge.loader import Knowledge, fingerprint, load_knowledge
from guidebot.knowledge.models import Kind
from guidebot.knowledge.passages import split_passages
from guidebot.search.engine import Engine
from guidebot.search.models import Status
from tests.helpers_core import GOOD_DOC_ID, GOOD_MARKER, SHIPPED_KNOWLEDGE, front_matter, knowledge_dir

SHIPPED_IDS = {
    "bbr-hmpps-2019",
    "kaizen-hmpps-2019",
    "moj-delivery-of-da-programmes-2010",
    "up2u-lga-2018",
    "wwp-policy-recommendations",
}
TEMPLATE_PROMPTS = [
    "Describe the length and intensity",
    "Is the perpetrator programme evaluated",
    "Briefly describe the key elements",
]
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


# -- the shipped knowledge -----------------------------------------------------------------------------


def test_every_shipped_document_loads_without_errors(shipped: Knowledge) -> None:
    assert shipped.errors == []
    assert {d.id for d in shipped.documents} == SHIPPED_IDS
    files = sorted(p.name for p in (SHIPPED_KNOWLEDGE / "documents").glob("*.md"))
    assert len(files) == len(shipped.documents)
    for doc in shipped.documents:
        assert doc.title and doc.publisher and 1900 <= doc.year <= 2100
        assert isinstance(doc.kind, Kind)
        assert doc.body.strip()
        assert not doc.body.lstrip().startswith("---"), "front matter left in the body"


def test_every_document_has_passages(shipped: Knowledge) -> None:
    per_doc = {d.id: [p for p in shipped.passages if p.doc_id == d.id] for d in shipped.documents}
    assert all(per_doc.values()), {k: len(v) for k, v in per_doc.items()}


def _is_table(text: str) -> bool:
    return all(TABLE_ROW.match(line) for line in text.splitlines())


def test_passages_are_readable_units(shipped: Knowledge) -> None:
    words = [p.words for p in shipped.passages]
    assert min(words) >= 1
    within = sum(30 <= w <= 200 for w in words) / len(words)
    assert within >= 0.8, f"only {within:.0%} of passages have 30-200 words"
    too_long = [(p.id, p.words) for p in shipped.passages if p.words > 230 and not _is_table(p.text)]
    assert too_long == []


def test_passages_know_document_section_and_position_in_order(shipped: Knowledge) -> None:
    doc_order = [d.id for d in shipped.documents]
    seen_docs = list(dict.fromkeys(p.doc_id for p in shipped.passages))
    assert seen_docs == doc_order, "passages of one document must be contiguous and in document order"
    for doc in shipped.documents:
        passages = [p for p in shipped.passages if p.doc_id == doc.id]
        assert [p.position for p in passages] == list(range(len(passages)))
        assert [p.id for p in passages] == [f"{doc.id}#{i}" for i in range(len(passages))]
        headings = {m.strip().strip("*").strip() for m in re.findall(r"^#{1,6}\s+(.*?)\s*#*\s*$", doc.body, re.M)}
        for p in passages:
            for part in filter(None, p.section.split(" > ")):
                assert part in headings, f"{p.id}: section part {part!r} is not a heading of {doc.id}"
        # each passage's text is found in the document in reading order
        flat = " ".join(doc.body.split())
        cursor = 0
        for p in passages:
            first_line = " ".join(p.text.splitlines()[0].split())[:60]
            if _is_table(p.text):
                first_line = " ".join(p.text.splitlines()[-1].split())[:40]
            found = flat.find(first_line, cursor)
            assert found >= 0, f"{p.id} is out of order or not from the document: {first_line!r}"
            cursor = found


def test_most_passages_sit_under_a_section(shipped: Knowledge) -> None:
    with_section = sum(bool(p.section) for p in shipped.passages)
    assert with_section / len(shipped.passages) >= 0.9


def test_bbr_template_prompts_are_never_a_passage(shipped: Knowledge) -> None:
    for prompt in TEMPLATE_PROMPTS:
        assert [p.id for p in shipped.passages if prompt.lower() in p.text.lower()] == []
        assert [p.id for p in shipped.passages if prompt.lower() in p.section.lower()] == []


def test_not_answered_placeholder_is_never_a_passage(shipped: Knowledge) -> None:
    assert [p.id for p in shipped.passages if "not answered in the source" in p.text.lower()] == []


def test_moj_table_row_is_a_passage_with_its_header(shipped: Knowledge) -> None:
    rows = [
        p for p in shipped.passages if p.doc_id == "moj-delivery-of-da-programmes-2010" and "| Derbyshire |" in p.text
    ]
    assert len(rows) == 1
    lines = rows[0].text.splitlines()
    assert len(lines) == 2
    assert "Programme Manager (PM)" in lines[0] and "Women's Safety Worker (WSW)" in lines[0]
    assert lines[1].startswith("| Derbyshire |")
    # the separator line of a markdown table is never shown
    assert not any(re.search(r"\|\s*-{3}", p.text) for p in shipped.passages)


# -- passage splitting on small bodies ------------------------------------------------------------------


def test_placeholder_section_gives_no_passage() -> None:
    body = "## Key features\n\n_Not answered in the source._\n\n## Target group\n\n" + "Men aged over 18. " * 8
    passages = split_passages("d", body)
    assert [p.section for p in passages] == ["Target group"]
    assert "Not answered" not in passages[0].text


def test_long_paragraph_is_split_at_sentences_within_limit() -> None:
    sentence = "The group tutor records attendance and behaviour in every session of the programme. "
    body = "## Delivery\n\n" + sentence * 60  # ~840 words
    passages = split_passages("d", body)
    assert len(passages) >= 4
    assert all(p.words <= 200 for p in passages)
    assert all(p.text.endswith(".") for p in passages)
    assert " ".join(" ".join(p.text for p in passages).split()) == " ".join((sentence * 60).split())


def test_short_paragraphs_join_a_neighbour_in_their_section() -> None:
    body = "## A\n\nShort one.\n\n" + "Longer paragraph with words. " * 10 + "\n\n## B\n\nAlone."
    passages = split_passages("d", body)
    assert [p.section for p in passages] == ["A", "B"]
    assert passages[0].text.startswith("Short one.")


def test_nested_headings_make_a_section_path() -> None:
    body = "## Findings\n\n### Gap week\n\n" + "Men wait between modules. " * 10
    (p,) = split_passages("d", body)
    assert p.section == "Findings > Gap week"


def test_plain_text_is_not_read_as_markdown() -> None:
    body = "# not a heading\n\n" + "| not | a table |\n" + "Words here. " * 10
    passages = split_passages("d", body, plain=True)
    assert all(p.section == "" for p in passages)
    assert "# not a heading" in passages[0].text


# -- bad files ------------------------------------------------------------------------------------------

GOOD_FM = front_matter()
BODY = "\n## Section\n\nSome text about the programme and the people who run it.\n"
BAD_FILES: dict[str, tuple[bytes, str | None, str]] = {
    # name: (content, field, a word the message must contain)
    "invalid-yaml": (b"---\nid: bad-yaml\ntitle: [unclosed\n---\n" + BODY.encode(), "front matter", "YAML"),
    "no-front-matter": (BODY.encode(), "front matter", "front matter"),
    "missing-title": (front_matter(id="missing-title", title=None).encode() + BODY.encode(), "title", "required"),
    "unknown-kind": (front_matter(id="unknown-kind", kind="novel").encode() + BODY.encode(), "kind", "programme"),
    "empty": (b"", None, "empty"),
    "binary": (b"---\nid: bin\n---\n\x00\x01\x02\x00binary" + bytes(range(256)), None, "binary"),
    "latin1": (
        front_matter(id="latin1").encode() + "\nCaf\u00e9 na\u00efve r\u00e9sum\u00e9\n".encode("latin-1"),
        None,
        "UTF-8",
    ),
    "alias-bomb": (
        b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"id: bomb\ntitle: Bomb\npublisher: X\nyear: 2020\nkind: programme_guidance\n---\n" + BODY.encode(),
        "front matter",
        "alias",
    ),
    "title-no": (front_matter(id="title-no", title="no").encode() + BODY.encode(), "title", "string"),
    "names-not-a-list": (front_matter(id="names-not-a-list", names='"MoJ"').encode() + BODY.encode(), "names", "list"),
    "zz-duplicate-id": (front_matter(id=GOOD_DOC_ID).encode() + BODY.encode(), "id", GOOD_DOC_ID),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_reported_by_name_and_field_and_the_good_one_loads(tmp_path: Path, name: str) -> None:
    content, field, word = BAD_FILES[name]
    root = knowledge_dir(tmp_path / "k")
    bad = root / "documents" / f"{name}.md"
    bad.write_bytes(content)

    knowledge = load_knowledge(root)

    assert [d.id for d in knowledge.documents] == [GOOD_DOC_ID]
    assert {p.doc_id for p in knowledge.passages} == {GOOD_DOC_ID}
    assert len(knowledge.errors) == 1, knowledge.errors
    error = knowledge.errors[0]
    assert Path(error.path) == bad
    assert error.field == field
    assert word.lower() in error.message.lower()
    shown = str(error)
    assert f"{name}.md" in shown
    if field:
        assert field in shown


def test_all_bad_files_at_once_still_index_and_find_the_good_document(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path / "k")
    for name, (content, _, _) in BAD_FILES.items():
        (root / "documents" / f"{name}.md").write_bytes(content)
    (root / "documents" / "notes.pdf").write_bytes(b"%PDF-1.4 not read")  # unknown endings are ignored

    engine = Engine.from_settings(Settings(knowledge_dir=root, index_dir=tmp_path / "ix"))

    assert sorted(Path(e.path).stem for e in engine.knowledge.errors) == sorted(BAD_FILES)
    answer = engine.ask(f"who refers to the {GOOD_MARKER} programme?")
    assert answer.status is Status.answered
    assert answer.results[0].doc_id == GOOD_DOC_ID


def test_txt_document_is_loaded_as_plain_text(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path / "k")
    (root / "documents" / "plain.txt").write_text(
        front_matter(id="plain-doc") + "\n# a line with a hash\n\nThe plain text body is one passage of words.\n",
        encoding="utf-8",
    )
    knowledge = load_knowledge(root)
    assert knowledge.errors == []
    passages = [p for p in knowledge.passages if p.doc_id == "plain-doc"]
    assert len(passages) == 1 and "# a line with a hash" in passages[0].text


def test_missing_documents_folder_is_an_error_not_a_crash(tmp_path: Path) -> None:
    knowledge = load_knowledge(tmp_path)
    assert knowledge.documents == []
    assert len(knowledge.errors) == 1 and "documents" in knowledge.errors[0].path


def test_front_matter_extra_field_is_refused_by_name(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path / "k")
    bad = root / "documents" / "typo.md"
    bad.write_text(front_matter(id="typo", titel='"Typo"') + BODY, encoding="utf-8")
    (error,) = load_knowledge(root).errors
    assert Path(error.path) == bad and error.field == "titel"


# -- fingerprint ----------------------------------------------------------------------------------------


def test_fingerprint_changes_when_a_file_changes_and_not_otherwise(tmp_path: Path) -> None:
    root = tmp_path / "k"
    shutil.copytree(SHIPPED_KNOWLEDGE, root)
    first = fingerprint(root)
    assert fingerprint(root) == first
    doc = root / "documents" / "bbr-hmpps-2019.md"
    doc.touch()  # a new mtime alone is not a change
    assert fingerprint(root) == first
    (root / "README.md").write_text("edited", encoding="utf-8")  # not something search depends on
    assert fingerprint(root) == first

    original = doc.read_bytes()
    doc.write_bytes(original + b"\nOne more line.\n")
    changed = fingerprint(root)
    assert changed != first
    doc.write_bytes(original)
    assert fingerprint(root) == first

    glossary = root / "glossary.yaml"
    glossary.write_bytes(glossary.read_bytes() + b"\n# comment\n")
    assert fingerprint(root) not in {first, changed}
    glossary.write_bytes((SHIPPED_KNOWLEDGE / "glossary.yaml").read_bytes())
    assert fingerprint(root) == first

    (root / "documents" / "new.md").write_text(GOOD_FM + BODY, encoding="utf-8")
    assert fingerprint(root) != first


def test_fingerprint_notices_a_renamed_file(tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path / "k")
    first = fingerprint(root)
    (root / "documents" / "a-good.md").rename(root / "documents" / "b-good.md")
    assert fingerprint(root) != first
