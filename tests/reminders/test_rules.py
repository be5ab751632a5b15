"""The due-contact rules against worked dates: gap weeks, partner referral and evaluation measures."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from guidebot.reminders.calendar import WorkingCalendar
from guidebot.reminders.programmes import Programme, load_programmes
from guidebot.reminders.rules import (
    RULES,
    CaseInfo,
    Due,
    add_months,
    evaluation_measures,
    gap_week,
    parse_gap_weeks,
    partner_referral,
)
from tests.helpers_core import SHIPPED_KNOWLEDGE

NINE = time(9, 0)
IDAP_GAP_MONDAYS_FROM_7_JAN_2026 = [
    date(2026, 1, 26),
    date(2026, 2, 23),
    date(2026, 3, 23),
    date(2026, 4, 20),
    date(2026, 5, 18),
    date(2026, 6, 15),
    date(2026, 7, 13),
    date(2026, 8, 10),
]


@pytest.fixture(scope="module")
def programmes() -> dict[str, Programme]:
    return load_programmes(SHIPPED_KNOWLEDGE)


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def _case(**fields: object) -> CaseInfo:
    base: dict[str, object] = {"case_ref": "X000001", "programme": "IDAP", "om": "U1", "team_channel": "C1"}
    return CaseInfo(**(base | fields))  # type: ignore[arg-type]


def _sends(due: Due) -> list[tuple[str, date]]:
    return [(send.stage, send.at.date()) for send in due.sends]


def test_rules_run_gap_week_first() -> None:
    assert list(RULES) == ["gap_week", "partner_referral", "evaluation_measures"]


def test_idap_gap_weeks_from_a_wednesday_start(programmes: dict[str, Programme], cal: WorkingCalendar) -> None:
    dues = gap_week(_case(group_start=date(2026, 1, 7)), programmes["IDAP"], cal, NINE)
    assert [due.due_date for due in dues] == IDAP_GAP_MONDAYS_FROM_7_JAN_2026
    assert [due.label for due in dues] == [f"gap week {n} of 8" for n in range(1, 9)]
    for due in dues:
        assert due.rule == "gap_week"
        assert due.window_end == due.due_date + timedelta(days=6)  # the Sunday
        assert due.window_end.weekday() == 6
        assert _sends(due) == [("first", due.due_date), ("nudge", due.due_date + timedelta(days=4))]
        assert all(send.at.time() == NINE for send in due.sends)


@pytest.mark.parametrize("offset", range(7), ids=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
def test_week_one_is_the_week_of_group_start_whatever_the_weekday(
    programmes: dict[str, Programme], cal: WorkingCalendar, offset: int
) -> None:
    start = date(2026, 1, 5) + timedelta(days=offset)
    dues = gap_week(_case(group_start=start), programmes["IDAP"], cal, NINE)
    assert [due.due_date for due in dues] == IDAP_GAP_MONDAYS_FROM_7_JAN_2026


def test_gap_week_over_easter_moves_first_and_nudge(programmes: dict[str, Programme], cal: WorkingCalendar) -> None:
    # week 4 from a start in the week of 9 Mar 2026 is 30 Mar - 5 Apr: Good Friday 3 Apr
    good_friday_week = gap_week(_case(group_start=date(2026, 3, 10)), programmes["IDAP"], cal, NINE)[0]
    assert good_friday_week.due_date == date(2026, 3, 30)
    assert _sends(good_friday_week) == [("first", date(2026, 3, 30)), ("nudge", date(2026, 4, 2))]
    # week 4 from a start in the week of 16 Mar is 6 - 12 Apr: Easter Monday 6 Apr
    easter_monday_week = gap_week(_case(group_start=date(2026, 3, 18)), programmes["IDAP"], cal, NINE)[0]
    assert easter_monday_week.due_date == date(2026, 4, 7)
    assert easter_monday_week.window_end == date(2026, 4, 12)
    assert _sends(easter_monday_week) == [("first", date(2026, 4, 7)), ("nudge", date(2026, 4, 10))]


def test_gap_weeks_over_christmas_2026(cal: WorkingCalendar) -> None:
    case = _case(gap_weeks=(date(2026, 12, 23), date(2026, 12, 30)))
    christmas, new_year = gap_week(case, None, cal, NINE)
    assert _sends(christmas) == [("first", date(2026, 12, 21)), ("nudge", date(2026, 12, 24))]
    # Mon 28 Dec is the Boxing Day substitute and Fri 1 Jan New Year's Day
    assert christmas.window_end == date(2026, 12, 27)
    assert _sends(new_year) == [("first", date(2026, 12, 29)), ("nudge", date(2026, 12, 31))]
    assert new_year.window_end == date(2027, 1, 3)


def test_a_week_with_one_working_day_gets_no_nudge() -> None:
    cal = WorkingCalendar(closures=[date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23)])
    (due,) = gap_week(_case(gap_weeks=(date(2026, 12, 22),)), None, cal, NINE)
    assert due.due_date == date(2026, 12, 24)
    assert _sends(due) == [("first", date(2026, 12, 24))]


def test_a_week_with_no_working_day_is_due_that_monday_and_sent_when_offices_reopen() -> None:
    closed = [date(2026, 12, 21) + timedelta(days=i) for i in range(4)]  # Mon-Thu; Fri is Christmas Day
    cal = WorkingCalendar(closures=closed)
    (due,) = gap_week(_case(gap_weeks=(date(2026, 12, 23),)), None, cal, NINE)
    assert due.due_date == date(2026, 12, 21)
    assert _sends(due) == [("first", date(2026, 12, 29))]  # Mon 28 Dec is a bank holiday too
    assert due.window_end == date(2026, 12, 29)


def test_explicit_gap_weeks_win_over_the_programme(programmes: dict[str, Programme], cal: WorkingCalendar) -> None:
    case = _case(group_start=date(2026, 1, 7), gap_weeks=(date(2026, 2, 19), date(2026, 2, 4), date(2026, 2, 6)))
    dues = gap_week(case, programmes["IDAP"], cal, NINE)
    # two dates in the week of 2 Feb count once; sorted by date
    assert [due.due_date for due in dues] == [date(2026, 2, 2), date(2026, 2, 16)]
    assert [due.label for due in dues] == ["gap week 1 of 2", "gap week 2 of 2"]


def test_other_programmes_have_no_gap_weeks_unless_the_case_lists_them(
    programmes: dict[str, Programme], cal: WorkingCalendar
) -> None:
    for name in ("CDVP", "HRP", "BBR", "KAIZEN", "UP2U"):
        assert gap_week(_case(programme=name, group_start=date(2026, 1, 7)), programmes[name], cal, NINE) == []
    listed = _case(programme="BBR", group_start=date(2026, 1, 7), gap_weeks=(date(2026, 3, 4),))
    assert [due.due_date for due in gap_week(listed, programmes["BBR"], cal, NINE)] == [date(2026, 3, 2)]


def test_no_group_start_no_programme_gap_weeks(programmes: dict[str, Programme], cal: WorkingCalendar) -> None:
    assert gap_week(_case(), programmes["IDAP"], cal, NINE) == []


def test_partner_referral_across_easter(cal: WorkingCalendar) -> None:
    (due,) = partner_referral(_case(order_date=date(2026, 4, 2)), None, cal, NINE)
    assert due.rule == "partner_referral"
    assert due.label == "partner referral"
    assert due.due_date == date(2026, 4, 7)  # not Good Friday, not Easter Monday
    assert _sends(due) == [("first", date(2026, 4, 7)), ("again", date(2026, 4, 14))]
    assert due.window_end == date(2026, 4, 14)


def test_partner_referral_across_christmas(cal: WorkingCalendar) -> None:
    (due,) = partner_referral(_case(order_date=date(2026, 12, 24)), None, cal, NINE)
    assert _sends(due) == [("first", date(2026, 12, 29)), ("again", date(2027, 1, 6))]


def test_partner_referral_is_the_working_day_after_the_order_not_the_same_day(cal: WorkingCalendar) -> None:
    (due,) = partner_referral(_case(order_date=date(2026, 1, 6)), None, cal, NINE)
    assert due.due_date == date(2026, 1, 7)


def test_partner_referral_needs_an_order_date(cal: WorkingCalendar) -> None:
    assert partner_referral(_case(group_start=date(2026, 1, 7)), None, cal, NINE) == []


def test_evaluation_measures_for_idap(programmes: dict[str, Programme], cal: WorkingCalendar) -> None:
    dues = evaluation_measures(_case(group_start=date(2026, 1, 7)), programmes["IDAP"], cal, NINE)
    assert [(due.label, due.due_date, due.window_end) for due in dues] == [
        # five working days before Wed 7 Jan, skipping New Year's Day
        ("pre-programme measures", date(2025, 12, 30), date(2026, 1, 7)),
        # week 35 ends Sun 6 Sep 2026: the last working day on or before it
        ("end-of-programme measures", date(2026, 9, 4), date(2026, 9, 11)),
        # 4 Sep + six months = Thu 4 Mar 2027
        ("six-month follow-up measures", date(2027, 3, 4), date(2027, 3, 11)),
    ]
    assert all(due.rule == "evaluation_measures" for due in dues)
    assert all(_sends(due) == [("first", due.due_date)] for due in dues)


def test_evaluation_follow_up_moves_off_a_weekend(programmes: dict[str, Programme], cal: WorkingCalendar) -> None:
    # CDVP 12 weeks from the week of 5 Jan 2026 ends Fri 27 Mar; six months on is Sun 27 Sep -> Mon 28 Sep
    dues = evaluation_measures(_case(programme="CDVP", group_start=date(2026, 1, 5)), programmes["CDVP"], cal, NINE)
    assert [due.due_date for due in dues[1:]] == [date(2026, 3, 27), date(2026, 9, 28)]


def test_evaluation_without_a_known_programme_is_only_pre(cal: WorkingCalendar) -> None:
    dues = evaluation_measures(_case(programme="OTHER", group_start=date(2026, 1, 7)), None, cal, NINE)
    assert [due.label for due in dues] == ["pre-programme measures"]


def test_evaluation_needs_a_group_start(programmes: dict[str, Programme], cal: WorkingCalendar) -> None:
    assert evaluation_measures(_case(order_date=date(2026, 1, 2)), programmes["IDAP"], cal, NINE) == []


@pytest.mark.parametrize("status", ["paused", "completed", "withdrawn"])
def test_only_active_cases_owe_contacts(programmes: dict[str, Programme], cal: WorkingCalendar, status: str) -> None:
    case = _case(
        group_start=date(2026, 1, 7), order_date=date(2026, 1, 2), gap_weeks=(date(2026, 2, 4),), status=status
    )
    for rule in RULES.values():
        assert rule(case, programmes["IDAP"], cal, NINE) == []
    active = _case(group_start=date(2026, 1, 7), order_date=date(2026, 1, 2), gap_weeks=(date(2026, 2, 4),))
    assert all(rule(active, programmes["IDAP"], cal, NINE) for rule in RULES.values())


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 9, 4), 6, date(2027, 3, 4)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 12, 31), 6, date(2027, 6, 30)),
        (date(2026, 6, 15), 6, date(2026, 12, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_parse_gap_weeks_reads_the_store_column() -> None:
    assert parse_gap_weeks(None) == ()
    assert parse_gap_weeks("") == ()
    assert parse_gap_weeks("2026-01-26, 2026-02-23,") == (date(2026, 1, 26), date(2026, 2, 23))


def test_shipped_idap_calendar_matches_the_issue(programmes: dict[str, Programme]) -> None:
    assert Path(SHIPPED_KNOWLEDGE / "programmes.yaml").is_file()
    assert programmes["IDAP"].schedule.weeks == 35
    assert programmes["IDAP"].schedule.gap_weeks == (4, 8, 12, 16, 20, 24, 28, 32)
