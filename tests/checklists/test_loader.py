"""Loading knowledge/checklists/*.yaml: each broken link is an error naming the file, line and step."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebot.checklists.loader import load_checklists
from guidebot.knowledge.models import KnowledgeError

CITE = "    citation: {doc_id: d, section: s, quote: q}\n"


def step(
    step_id: str, kind: str = "yes_no", next_: str = '{"yes": "outcome:ok", "no": "outcome:no"}', extra: str = ""
) -> str:
    return f"  - id: {step_id}\n    prompt: Q {step_id}?\n    help: why\n{CITE}    kind: {kind}\n{extra}    next: {next_}\n"


OUTCOMES = """\
outcomes:
  - id: ok
    verdict: suitable
    text: fine
    next_steps: [refer]
  - id: "no"
    verdict: not_suitable
    text: not fine
"""


def checklist(steps: str, head: str = "", outcomes: str = OUTCOMES) -> str:
    return f"id: test\ntitle: T\nprogramme: P\nsummary: S\nsources: [d]\n{head}steps:\n{steps}{outcomes}"


GOOD = checklist(step("first", next_='{"yes": second, "no": "outcome:no"}') + step("second"))


def _load(tmp_path: Path, text: str, name: str = "test.yaml") -> tuple[dict, list[KnowledgeError]]:
    folder = tmp_path / "checklists"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return load_checklists(tmp_path)


def _one_error(tmp_path: Path, text: str) -> KnowledgeError:
    checklists, errors = _load(tmp_path, text)
    assert checklists == {}
    assert len(errors) >= 1, errors
    assert all(e.path == str(tmp_path / "checklists" / "test.yaml") for e in errors)
    return errors[0]


def test_a_good_checklist_loads_and_starts_at_its_first_step(tmp_path: Path) -> None:
    checklists, errors = _load(tmp_path, GOOD)
    assert errors == []
    assert checklists["test"].start_id == "first"
    assert checklists["test"].step("second").next == {"yes": "outcome:ok", "no": "outcome:no"}


def test_no_folder_means_no_checklists_and_no_errors(tmp_path: Path) -> None:
    assert load_checklists(tmp_path) == ({}, [])


def test_an_unknown_step_in_next_names_the_step_and_line(tmp_path: Path) -> None:
    text = checklist(step("first", next_='{"yes": secnd, "no": "outcome:no"}') + step("second"))
    error = _one_error(tmp_path, text)
    assert error.line == 7
    assert error.field == "next.yes"
    assert "step 'first'" in error.message and "unknown step 'secnd'" in error.message


def test_an_unknown_outcome_in_next_is_an_error(tmp_path: Path) -> None:
    error = _one_error(tmp_path, checklist(step("first", next_='{"yes": "outcome:okay", "no": "outcome:no"}')))
    assert "unknown outcome 'outcome:okay'" in error.message and error.field == "next.yes"


def test_an_outcome_written_without_its_prefix_gets_a_hint(tmp_path: Path) -> None:
    error = _one_error(tmp_path, checklist(step("first", next_='{"yes": ok, "no": "outcome:no"}')))
    assert "outcome:ok" in error.message


def test_an_unreachable_step_is_an_error(tmp_path: Path) -> None:
    text = checklist(step("first") + step("orphan"))
    error = _one_error(tmp_path, text)
    assert "step 'orphan'" in error.message and "no answer leads to this step" in error.message
    assert error.line == 13


def test_an_outcome_nothing_leads_to_is_an_error(tmp_path: Path) -> None:
    text = checklist(step("first"), outcomes=OUTCOMES + "  - id: spare\n    verdict: suitable\n    text: t\n")
    error = _one_error(tmp_path, text)
    assert "outcome 'spare'" in error.message and error.line == 21


def test_a_cycle_is_an_error_naming_the_step_it_returns_to(tmp_path: Path) -> None:
    text = checklist(
        step("first", next_='{"yes": second, "no": "outcome:no"}')
        + step("second", next_='{"yes": first, "no": "outcome:ok"}')
    )
    error = _one_error(tmp_path, text)
    assert "step 'first'" in error.message and "cycle" in error.message


def test_a_loop_with_no_way_out_never_reaches_an_outcome(tmp_path: Path) -> None:
    text = checklist(
        step("first", next_='{"yes": second, "no": "outcome:no"}')
        + step("second", next_='{"yes": third, "no": third}')
        + step("third", next_='{"yes": second, "no": second}'),
        outcomes=OUTCOMES.replace("  - id: ok\n    verdict: suitable\n    text: fine\n    next_steps: [refer]\n", ""),
    )
    _, errors = _load(tmp_path, text)
    messages = [e.message for e in errors]
    assert any("step 'second'" in m and "cycle" in m for m in messages)
    assert any("step 'third'" in m and "no path from this step reaches an outcome" in m for m in messages)


@pytest.mark.parametrize(
    ("next_", "needle"),
    [
        ('{"yes": "outcome:ok"}', "['no'] have no 'next'"),
        ('{"yes": "outcome:ok", "no": "outcome:no", "maybe": "outcome:no"}', "not answers to this step"),
    ],
)
def test_a_yes_no_step_needs_exactly_yes_and_no(tmp_path: Path, next_: str, needle: str) -> None:
    error = _one_error(tmp_path, checklist(step("first", next_=next_)))
    assert needle in error.message and "step 'first'" in error.message
    assert error.line == 7


def test_an_unquoted_yes_is_explained_not_just_rejected(tmp_path: Path) -> None:
    error = _one_error(tmp_path, checklist(step("first", next_='{yes: "outcome:ok", "no": "outcome:no"}')))
    assert "quote it" in error.message and "'yes'" in error.message


def test_a_choice_without_its_next_is_an_error(tmp_path: Path) -> None:
    text = checklist(step("first", kind="choice", next_='{"a": "outcome:ok"}', extra="    choices: [a, b]\n"))
    error = _one_error(tmp_path, text)
    assert "['b'] have no 'next'" in error.message


@pytest.mark.parametrize(
    ("next_", "needle"),
    [
        ('{"<18": "outcome:no", ">18": "outcome:ok"}', "e.g. 18"),
        ('{"<18": "outcome:no"}', "do not cover every number"),
        ('{"under 18": "outcome:no", "*": "outcome:ok"}', "not conditions"),
    ],
)
def test_number_conditions_must_be_valid_and_cover_every_value(tmp_path: Path, next_: str, needle: str) -> None:
    error = _one_error(tmp_path, checklist(step("first", kind="number", next_=next_)))
    assert needle in error.message


@pytest.mark.parametrize(
    "next_",
    [
        '{"<18": "outcome:no", ">=18": "outcome:ok"}',
        '{"<18": "outcome:no", "*": "outcome:ok"}',
        '{"<=17": "outcome:no", "otherwise": "outcome:ok"}',
        '{"<0": "outcome:no", "=0": "outcome:no", ">0": "outcome:ok"}',
    ],
)
def test_number_conditions_that_cover_everything_load(tmp_path: Path, next_: str) -> None:
    checklists, errors = _load(tmp_path, checklist(step("first", kind="number", next_=next_)))
    assert errors == [] and "test" in checklists


def test_date_conditions_must_cover_every_date(tmp_path: Path) -> None:
    error = _one_error(
        tmp_path,
        checklist(step("first", kind="date", next_='{"<2020-01-01": "outcome:no", ">2020-01-01": "outcome:ok"}')),
    )
    assert "2020-01-01" in error.message
    checklists, _ = _load(
        tmp_path, checklist(step("first", kind="date", next_='{"<2020-01-01": "outcome:no", "*": "outcome:ok"}'))
    )
    assert "test" in checklists


def test_duplicate_step_ids_name_the_repeat(tmp_path: Path) -> None:
    text = checklist(step("first", next_='{"yes": first2, "no": "outcome:no"}') + step("first2") + step("first2"))
    errors = _load(tmp_path, text)[1]
    assert any("step 'first2'" in e.message and "used twice" in e.message and e.line == 19 for e in errors)


def test_duplicate_outcome_ids_are_an_error(tmp_path: Path) -> None:
    text = checklist(step("first"), outcomes=OUTCOMES + "  - id: ok\n    verdict: suitable\n    text: t\n")
    errors = _load(tmp_path, text)[1]
    assert any("outcome 'ok'" in e.message and "used twice" in e.message for e in errors)


def test_a_start_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    error = _one_error(tmp_path, checklist(step("first"), head="start: begin\n"))
    assert error.field == "start" and "'begin' does not exist" in error.message


def test_a_named_start_is_used(tmp_path: Path) -> None:
    text = checklist(step("first") + step("zero", next_='{"yes": first, "no": "outcome:no"}'), head="start: zero\n")
    checklists, errors = _load(tmp_path, text)
    assert errors == [] and checklists["test"].start_id == "zero"


def test_a_citation_of_a_document_not_in_sources_is_an_error(tmp_path: Path) -> None:
    error = _one_error(tmp_path, GOOD.replace("sources: [d]", "sources: [other]"))
    assert error.field == "sources" and "'d'" in error.message


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (GOOD.replace("kind: yes_no", "kind: yesno", 1), "kind"),
        (GOOD.replace("verdict: suitable", "verdict: great"), "verdict"),
        (GOOD.replace("    help: why\n", "", 1), "help"),
        (GOOD.replace("title: T", "title: 2019"), "title"),
    ],
)
def test_a_bad_field_is_named_with_its_line(tmp_path: Path, text: str, field: str) -> None:
    error = _one_error(tmp_path, text)
    assert error.field == field


def test_a_bad_step_field_names_the_step_and_its_line(tmp_path: Path) -> None:
    error = _one_error(tmp_path, GOOD.replace("kind: yes_no", "kind: yesno", 1))
    assert error.line == 7 and "step 'first'" in error.message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("id: x\nsteps: [\n", "not valid YAML"),
        ("", "empty"),
        (GOOD.replace("outcomes:", "results:"), "'outcomes:' list"),
    ],
)
def test_a_broken_file_is_named(tmp_path: Path, text: str, needle: str) -> None:
    error = _one_error(tmp_path, text)
    assert needle in error.message


def test_a_broken_checklist_is_left_out_and_the_others_load(tmp_path: Path) -> None:
    _load(tmp_path, GOOD.replace("id: test", "id: good"), name="good.yaml")
    checklists, errors = _load(tmp_path, checklist(step("first") + step("orphan")), name="broken.yaml")
    assert set(checklists) == {"good"}
    assert len(errors) == 1 and errors[0].path.endswith("broken.yaml")


def test_two_files_with_the_same_id_keep_the_first(tmp_path: Path) -> None:
    _load(tmp_path, GOOD, name="a.yaml")
    checklists, errors = _load(tmp_path, GOOD, name="b.yaml")
    assert set(checklists) == {"test"}
    assert errors[0].path.endswith("b.yaml") and "a.yaml" in errors[0].message
