"""CaseIn keeps names and free text out: every field refused when it is not a reference, an id or a date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from guidebot.cases.models import CASE_STATUSES, CaseIn, CaseInvalid, normalise_case_ref
from guidebot.config import Settings
from guidebot.store.models import CASE_STATUSES as TABLE_STATUSES

GOOD: dict[str, Any] = {
    "case_ref": "A123456",
    "programme": "IDAP",
    "group_start": "2026-01-05",
    "om": "U01ABCDEF",
    "team_channel": "C01TEAM",
    "order_date": "2025-11-20",
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


def _problems(data: dict[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(CaseInvalid) as caught:
        CaseIn.parse(data, **kwargs)
    return caught.value.problems


def test_a_good_case_is_parsed_into_dates_and_ids() -> None:
    case = CaseIn.parse(GOOD)
    assert case.case_ref == "A123456" and case.programme == "IDAP"
    assert case.group_start == date(2026, 1, 5) and case.order_date == date(2025, 11, 20)
    assert case.om == "U01ABCDEF" and case.team_channel == "C01TEAM"
    assert case.gap_weeks == () and case.status is None


def test_the_default_pattern_is_the_settings_default() -> None:
    assert CaseIn.parse(GOOD, pattern=Settings().case_ref_pattern).case_ref == "A123456"


@pytest.mark.parametrize("typed", ["a123456", " A123456 ", "\ta123456\n"])
def test_a_lower_case_or_padded_crn_is_accepted_and_upper_cased(typed: str) -> None:
    assert CaseIn.parse(_with(case_ref=typed)).case_ref == "A123456"


@pytest.mark.parametrize(
    "typed", ["John Smith", "j smith", "JSMITH", "Smith", "A12345", "A1234567", "AB123456", "A 123456", "", "A123456X"]
)
def test_names_and_near_misses_are_refused_as_case_refs(typed: str) -> None:
    (problem,) = _problems(_with(case_ref=typed))
    assert problem.startswith("case_ref: ")


def test_a_refused_case_ref_is_not_echoed_back() -> None:
    """The message may be posted in Slack: a name typed in the wrong box must not travel with it."""
    problems = _problems(_with(case_ref="John Smith", om="Jane Doe"))
    assert problems and all("John" not in p and "JOHN" not in p and "Jane" not in p for p in problems)


def test_a_configured_pattern_replaces_the_crn() -> None:
    pattern = r"^X[0-9]{4}$"
    assert CaseIn.parse(_with(case_ref="x1234"), pattern=pattern).case_ref == "X1234"
    (problem,) = _problems(GOOD, pattern=pattern)
    assert problem == "case_ref: not a case reference (expected GUIDEBOT_CASE_REF_PATTERN ^X[0-9]{4}$)"


def test_a_case_ref_longer_than_the_column_is_refused_even_if_the_pattern_allows_it() -> None:
    (problem,) = _problems(_with(case_ref="A" * 33), pattern=r"^A+$")
    assert problem.startswith("case_ref: too long")


def test_normalise_case_ref_is_the_same_rule_on_its_own() -> None:
    assert normalise_case_ref(" b654321 ") == "B654321"
    with pytest.raises(ValueError, match="not a case reference"):
        normalise_case_ref("Bob")


@pytest.mark.parametrize(("typed", "stored"), [("idap", "IDAP"), (" Kaizen ", "KAIZEN"), ("up2u", "UP2U")])
def test_programmes_are_case_insensitive_and_stored_upper_case(typed: str, stored: str) -> None:
    assert CaseIn.parse(_with(programme=typed)).programme == stored


def test_an_unknown_programme_is_refused_and_the_known_ones_listed() -> None:
    assert _problems(_with(programme="Anger management")) == [
        "programme: unknown programme (expected one of BBR, CDVP, HRP, IDAP, KAIZEN, UP2U)"
    ]


def test_the_known_programmes_are_passed_in() -> None:
    assert CaseIn.parse(_with(programme="new"), programmes={"NEW"}).programme == "NEW"
    assert _problems(GOOD, programmes={"NEW"})[0].startswith("programme: unknown programme")


@pytest.mark.parametrize("typed", ["05/01/2026", "2026-1-5", "20260105", "2026-W02-1", "soon", "0226-01-05"])
def test_dates_must_be_iso(typed: str) -> None:
    (problem,) = _problems(_with(group_start=typed))
    assert problem.startswith("group_start: ")


def test_an_impossible_date_is_refused() -> None:
    assert _problems(_with(order_date="2026-02-30")) == ["order_date: no such date (expected YYYY-MM-DD)"]


def test_an_empty_order_date_is_none() -> None:
    assert CaseIn.parse(_with(order_date="")).order_date is None
    assert CaseIn.parse({k: v for k, v in GOOD.items() if k != "order_date"}).order_date is None


@pytest.mark.parametrize("typed", ["2026-02-16 2026-02-23", "2026-02-23;2026-02-16", " 2026-02-16 ; 2026-02-23 "])
def test_gap_weeks_are_read_from_one_cell_sorted(typed: str) -> None:
    case = CaseIn.parse(_with(group_start="", gap_weeks=typed))
    assert case.gap_weeks == (date(2026, 2, 16), date(2026, 2, 23)) and case.group_start is None


def test_gap_weeks_may_be_a_list_and_repeats_collapse() -> None:
    case = CaseIn.parse(_with(gap_weeks=["2026-02-23", date(2026, 2, 16), "2026-02-23"]))
    assert case.gap_weeks == (date(2026, 2, 16), date(2026, 2, 23))


def test_a_bad_gap_week_is_refused() -> None:
    assert _problems(_with(gap_weeks="2026-02-16 next week")) == ["gap_weeks: not a date (expected YYYY-MM-DD)"]


def test_too_many_gap_weeks_do_not_fit_the_column() -> None:
    many = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(37)]
    assert _problems(_with(gap_weeks=many)) == ["gap_weeks: too many dates (at most 36)"]


def test_group_start_or_gap_weeks_is_required() -> None:
    assert _problems(_with(group_start="", gap_weeks="")) == ["group_start or gap_weeks: one is required"]
    assert CaseIn.parse(_with(group_start="", gap_weeks="2026-02-16")).group_start is None


@pytest.mark.parametrize("typed", ["U01ABC", "W0XYZ12", "<@U01ABC>", "<@U01ABC|jane>"])
def test_om_is_a_slack_user_id_or_a_mention_of_one(typed: str) -> None:
    assert CaseIn.parse(_with(om=typed)).om in {"U01ABC", "W0XYZ12"}


@pytest.mark.parametrize("typed", ["Jane Doe", "Will", "u01abc", "C01ABC", "U1", "", "U01ABC!"])
def test_om_that_is_not_a_slack_user_id_is_refused(typed: str) -> None:
    (problem,) = _problems(_with(om=typed))
    assert problem in {"om: not a Slack user id (expected U... or W...)", "om: required"}


@pytest.mark.parametrize("typed", ["C01TEAM", "G01PRIV", "<#C01TEAM|probation-north>"])
def test_team_channel_is_a_slack_channel_id(typed: str) -> None:
    assert CaseIn.parse(_with(team_channel=typed)).team_channel in {"C01TEAM", "G01PRIV"}


@pytest.mark.parametrize("typed", ["#probation-north", "U01ABC", "c01team", "D01DM"])
def test_team_channel_that_is_not_a_channel_id_is_refused(typed: str) -> None:
    assert _problems(_with(team_channel=typed)) == ["team_channel: not a Slack channel id (expected C... or G...)"]


def test_missing_fields_and_unknown_fields_are_named() -> None:
    assert _problems({"case_ref": "A123456", "notes": "lives with"}) == [
        "programme: required",
        "om: required",
        "team_channel: required",
        "notes: unknown field",
        "group_start or gap_weeks: one is required",
    ]


def test_values_that_are_not_text_are_refused_without_a_crash() -> None:
    assert _problems(_with(case_ref=123456, om=None)) == ["case_ref: must be text", "om: must be text"]


def test_status_is_optional_and_one_of_the_table_statuses() -> None:
    assert CASE_STATUSES == TABLE_STATUSES
    assert CaseIn.parse(_with(status="Paused")).status == "paused"
    assert CaseIn.parse(_with(status="")).status is None
    assert _problems(_with(status="closed"))[0].startswith("status: unknown status")


def test_a_case_is_immutable() -> None:
    case = CaseIn.parse(GOOD)
    with pytest.raises(ValueError, match="frozen"):
        case.om = "U0OTHER"  # type: ignore[misc]
