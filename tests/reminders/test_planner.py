"""The planner: which sends fall in a window, in what order, and properties that hold for any case."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidebot.reminders.calendar import WorkingCalendar
from guidebot.reminders.planner import plan
from guidebot.reminders.programmes import load_programmes
from guidebot.reminders.rules import CaseInfo
from tests.helpers_core import SHIPPED_KNOWLEDGE

NINE = time(9, 0)
LONDON = ZoneInfo("Europe/London")
PROGRAMMES = load_programmes(SHIPPED_KNOWLEDGE)
CALENDAR = WorkingCalendar()  # shared on purpose: its caches must not change any answer


def _case(ref: str = "X000001", **fields: object) -> CaseInfo:
    base: dict[str, object] = {"case_ref": ref, "programme": "IDAP", "om": "U1", "team_channel": "C1"}
    return CaseInfo(**(base | fields))  # type: ignore[arg-type]


def _bank_holiday(d: date) -> bool:
    """An oracle independent of WorkingCalendar's caches."""
    return d in holidays.country_holidays("GB", subdiv="ENG", years=d.year)


def test_plan_keeps_sends_in_the_half_open_window() -> None:
    case = _case(group_start=date(2026, 1, 7))
    # gap week 1: first Mon 26 Jan, nudge Fri 30 Jan
    planned = plan([case], PROGRAMMES, CALENDAR, NINE, date(2026, 1, 26), date(2026, 1, 30))
    assert [(r.rule, r.stage, r.send_at.date()) for r in planned] == [("gap_week", "first", date(2026, 1, 26))]
    planned = plan([case], PROGRAMMES, CALENDAR, NINE, date(2026, 1, 27), date(2026, 1, 31))
    assert [(r.rule, r.stage, r.send_at.date()) for r in planned] == [("gap_week", "nudge", date(2026, 1, 30))]


def test_plan_sorts_by_send_time_then_case_rule_stage() -> None:
    cases = [
        _case("X000003", group_start=date(2026, 1, 7), order_date=date(2026, 1, 23)),
        _case("X000002", programme="bbr", group_start=date(2026, 1, 7), order_date=date(2026, 1, 23)),
        _case("X000001", group_start=date(2026, 1, 6)),
    ]
    planned = plan(cases, PROGRAMMES, CALENDAR, NINE, date(2026, 1, 26), date(2026, 2, 9))
    keys = [(r.send_at, r.case_ref, r.rule, r.stage) for r in planned]
    assert keys == sorted(keys)
    assert [(r.case_ref, r.rule, r.stage) for r in planned if r.send_at.date() == date(2026, 1, 26)] == [
        ("X000001", "gap_week", "first"),
        ("X000002", "partner_referral", "first"),
        ("X000003", "gap_week", "first"),
        ("X000003", "partner_referral", "first"),
    ]


def test_plan_looks_programmes_up_case_insensitively() -> None:
    planned = plan(
        [_case(programme="idap", group_start=date(2026, 1, 7))],
        PROGRAMMES,
        CALENDAR,
        NINE,
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert sum(r.rule == "gap_week" for r in planned) == 16


def test_plan_leaves_out_cases_that_are_not_active() -> None:
    cases = [
        _case("X000001", group_start=date(2026, 1, 7), status="paused"),
        _case("X000002", group_start=date(2026, 1, 7), status="withdrawn"),
        _case("X000003", group_start=date(2026, 1, 7)),
    ]
    planned = plan(cases, PROGRAMMES, CALENDAR, NINE, date(2026, 1, 1), date(2026, 12, 31))
    assert {r.case_ref for r in planned} == {"X000003"}


def test_to_json_gives_iso_dates_and_the_local_offset() -> None:
    planned = plan(
        [_case(group_start=date(2026, 1, 7))], PROGRAMMES, CALENDAR, NINE, date(2026, 1, 26), date(2026, 4, 21)
    )
    winter, summer = planned[0], planned[-1]
    assert winter.to_json() == {
        "case_ref": "X000001",
        "rule": "gap_week",
        "label": "gap week 1 of 8",
        "due_date": "2026-01-26",
        "stage": "first",
        "send_at": "2026-01-26T09:00:00+00:00",
        "window_end": "2026-02-01",
    }
    assert summer.to_json()["send_at"] == "2026-04-20T09:00:00+01:00"
    assert summer.to_json()["label"] == "gap week 4 of 8"


def test_planned_reminders_are_frozen() -> None:
    (reminder, *_) = plan(
        [_case(group_start=date(2026, 1, 7))], PROGRAMMES, CALENDAR, NINE, date(2026, 1, 1), date(2026, 12, 31)
    )
    with pytest.raises(AttributeError):
        reminder.stage = "again"  # type: ignore[misc]


# --- properties over random cases -------------------------------------------------------------------------

DAYS_2025_2027 = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def cases(draw: st.DrawFn) -> list[CaseInfo]:
    out = []
    for i in range(draw(st.integers(min_value=1, max_value=6))):
        out.append(
            CaseInfo(
                case_ref=f"X{i:06d}",
                programme=draw(st.sampled_from([*PROGRAMMES, "idap", "Up2U", "UNKNOWN"])),
                group_start=draw(st.none() | DAYS_2025_2027),
                gap_weeks=tuple(draw(st.lists(DAYS_2025_2027, max_size=5))),
                om="U1",
                team_channel="C1",
                order_date=draw(st.none() | DAYS_2025_2027),
                status=draw(st.sampled_from(["active", "active", "active", "paused"])),
            )
        )
    return out


CLOCKS = st.times().map(lambda t: t.replace(second=0, microsecond=0))
WINDOWS = st.tuples(DAYS_2025_2027, st.integers(min_value=1, max_value=400))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), CLOCKS, WINDOWS)
def test_every_send_is_on_a_working_day_at_the_clock_in_the_zone(
    drawn: list[CaseInfo], clock: time, window: tuple[date, int]
) -> None:
    start, days = window
    end = start + timedelta(days=days)
    planned = plan(drawn, PROGRAMMES, CALENDAR, clock, start, end)
    for reminder in planned:
        local = reminder.send_at.astimezone(LONDON)
        assert reminder.send_at.utcoffset() == local.utcoffset()
        assert local.time() == clock
        assert start <= local.date() < end
        assert local.weekday() < 5 and not _bank_holiday(local.date()), reminder
        assert reminder.due_date <= reminder.window_end


@settings(max_examples=150, deadline=None)
@given(cases(), WINDOWS)
def test_no_two_planned_reminders_share_case_rule_due_date_and_stage(
    drawn: list[CaseInfo], window: tuple[date, int]
) -> None:
    start, days = window
    planned = plan(drawn, PROGRAMMES, CALENDAR, NINE, start, start + timedelta(days=days))
    keys = [(r.case_ref, r.rule, r.due_date, r.stage) for r in planned]
    assert len(keys) == len(set(keys))


@settings(max_examples=100, deadline=None)
@given(cases(), WINDOWS, st.integers(min_value=0, max_value=400))
def test_planning_two_windows_equals_planning_their_union(
    drawn: list[CaseInfo], window: tuple[date, int], cut: int
) -> None:
    start, days = window
    middle, end = start + timedelta(days=min(cut, days)), start + timedelta(days=days)
    whole = plan(drawn, PROGRAMMES, CALENDAR, NINE, start, end)
    halves = plan(drawn, PROGRAMMES, CALENDAR, NINE, start, middle) + plan(
        drawn, PROGRAMMES, CALENDAR, NINE, middle, end
    )
    assert whole == halves
    assert whole == plan(drawn, PROGRAMMES, WorkingCalendar(), NINE, start, end)  # a fresh calendar agrees


def test_one_calendar_serves_many_cases_without_asking_for_holidays_per_case(monkeypatch: pytest.MonkeyPatch) -> None:
    from guidebot.reminders import calendar as calendar_module

    asked: list[object] = []
    real = calendar_module.holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> object:
        asked.append(kwargs.get("years"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(calendar_module.holidays, "country_holidays", counting)
    many = [
        _case(f"X{i:06d}", group_start=date(2026, 1, 5) + timedelta(days=i % 200), order_date=date(2025, 12, 1))
        for i in range(2_000)
    ]
    planned = plan(many, PROGRAMMES, WorkingCalendar(), NINE, date(2026, 3, 2), date(2026, 5, 25))
    assert planned
    assert len(asked) == len(set(asked)) <= 4  # each year once: 2025, 2026, 2027 (follow-ups), maybe 2028
