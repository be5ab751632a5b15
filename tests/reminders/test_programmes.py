"""knowledge/programmes.yaml: the shipped calendars, their sources, and errors that name the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebot.knowledge.loader import Knowledge, load_knowledge
from guidebot.reminders.programmes import PROGRAMMES_FILE, Programme, ProgrammesFileError, load_programmes
from tests.helpers_core import SHIPPED_KNOWLEDGE

GOOD_ENTRY = """\
  - id: IDAP
    name: Integrated Domestic Abuse Programme
    schedule:
      weeks: 35
      gap_weeks: [4, 8]
      source: {doc_id: d, section: s, quote: q}
"""


@pytest.fixture(scope="module")
def shipped() -> dict[str, Programme]:
    return load_programmes(SHIPPED_KNOWLEDGE)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(SHIPPED_KNOWLEDGE)


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / PROGRAMMES_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def _problem(tmp_path: Path, text: str) -> ProgrammesFileError:
    with pytest.raises(ProgrammesFileError) as caught:
        load_programmes(_write(tmp_path, text))
    assert caught.value.problem.path == str(tmp_path / PROGRAMMES_FILE)
    return caught.value


def test_the_six_programmes_are_keyed_by_upper_case_id(shipped: dict[str, Programme]) -> None:
    assert set(shipped) == {"IDAP", "CDVP", "HRP", "BBR", "KAIZEN", "UP2U"}
    assert shipped["KAIZEN"].id == "Kaizen"


def test_idap_has_eight_gap_weeks_after_each_theme_but_the_last(shipped: dict[str, Programme]) -> None:
    schedule = shipped["IDAP"].schedule
    assert schedule.weeks == 35 == 9 * 3 + 8
    assert schedule.gap_weeks == (4, 8, 12, 16, 20, 24, 28, 32)


def test_other_programmes_have_no_gap_weeks(shipped: dict[str, Programme]) -> None:
    assert all(p.schedule.gap_weeks == () for key, p in shipped.items() if key != "IDAP")


def test_every_source_quote_is_in_the_cited_document_and_section(
    shipped: dict[str, Programme], knowledge: Knowledge
) -> None:
    assert knowledge.errors == []
    for key, programme in shipped.items():
        source = programme.schedule.source
        document = knowledge.document(source.doc_id)
        assert document is not None, f"{key}: no document '{source.doc_id}'"
        quote = _normalise(source.quote)
        assert quote in _normalise(document.body), f"{key}: quote not in {source.doc_id}"
        sections = {p.section for p in knowledge.passages if p.doc_id == source.doc_id and quote in _normalise(p.text)}
        assert source.section in sections, f"{key}: quote is in {sections}, not '{source.section}'"


def test_idap_source_is_the_gap_week_passage(shipped: dict[str, Programme]) -> None:
    assert "gap week" in shipped["IDAP"].schedule.source.quote


def test_facts_and_other_future_keys_under_a_programme_are_ignored(tmp_path: Path) -> None:
    text = "programmes:\n" + GOOD_ENTRY + "    facts:\n      - text: rolling\n        doc_id: x\n    colour: blue\n"
    programmes = load_programmes(_write(tmp_path, "owner: workforce team\n" + text))
    assert programmes["IDAP"].schedule.gap_weeks == (4, 8)


def test_an_unknown_key_in_schedule_is_an_error_naming_field_and_line(tmp_path: Path) -> None:
    text = (
        "programmes:\n" + GOOD_ENTRY + "  - id: BBR\n    name: B\n    schedule:\n      weeks: 30\n      gap_week: []\n"
    )
    text += "      source: {doc_id: d, section: s, quote: q}\n"
    error = _problem(tmp_path, text)
    assert error.problem.line == 8
    assert error.problem.field == "schedule.gap_week"
    assert PROGRAMMES_FILE in str(error) and "line 8" in str(error)


@pytest.mark.parametrize(
    ("gap_weeks", "needle"),
    [("[0, 4]", "outside"), ("[4, 36]", "outside"), ("[4, 8, 4]", "more than once"), ("[four]", "integer")],
)
def test_gap_weeks_must_be_unique_and_within_the_programme(tmp_path: Path, gap_weeks: str, needle: str) -> None:
    error = _problem(tmp_path, "programmes:\n" + GOOD_ENTRY.replace("[4, 8]", gap_weeks))
    assert error.problem.field is not None and error.problem.field.startswith("schedule.gap_weeks")
    assert needle in error.problem.message
    assert error.problem.line == 2


@pytest.mark.parametrize(("weeks", "field"), [("35 weeks", "schedule.weeks"), ("0", "schedule.weeks")])
def test_weeks_must_be_a_positive_whole_number(tmp_path: Path, weeks: str, field: str) -> None:
    error = _problem(tmp_path, "programmes:\n" + GOOD_ENTRY.replace("weeks: 35", f"weeks: {weeks}"))
    assert error.problem.field == field


def test_a_schedule_needs_its_source(tmp_path: Path) -> None:
    error = _problem(
        tmp_path, "programmes:\n" + GOOD_ENTRY.replace("      source: {doc_id: d, section: s, quote: q}\n", "")
    )
    assert error.problem.field == "schedule.source"


def test_the_same_id_twice_is_an_error_whatever_the_case(tmp_path: Path) -> None:
    error = _problem(tmp_path, "programmes:\n" + GOOD_ENTRY + GOOD_ENTRY.replace("id: IDAP", "id: idap"))
    assert error.problem.field == "id"
    assert error.problem.line == 8
    assert "line 2" in error.problem.message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("programmes: [\n", "not valid YAML"),
        ("programme:\n" + GOOD_ENTRY, "'programmes:' list"),
        ("", "empty"),
        ("base: &b {id: X}\nprogrammes:\n  - *b\n", "aliases"),
    ],
)
def test_a_broken_file_is_named(tmp_path: Path, text: str, needle: str) -> None:
    assert needle in str(_problem(tmp_path, text))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProgrammesFileError, match=PROGRAMMES_FILE):
        load_programmes(tmp_path)
