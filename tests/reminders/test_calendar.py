"""Working days in England and Wales (weekends, bank holidays and their substitute days) and local send times."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from guidebot.reminders import calendar as calendar_module
from guidebot.reminders.calendar import WorkingCalendar

NINE = time(9, 0)


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.mark.parametrize("day", [date(2026, 1, 5) + timedelta(days=i) for i in range(7)], ids=lambda d: f"{d:%a}")
def test_week_start_is_the_monday_for_every_weekday(day: date) -> None:
    assert WorkingCalendar.week_start(day) == date(2026, 1, 5)


def test_christmas_2026_boxing_day_substitute_is_not_a_working_day(cal: WorkingCalendar) -> None:
    # 25 Dec is a Friday, Boxing Day a Saturday, so Monday 28 Dec is the substitute bank holiday
    for day in (date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 27), date(2026, 12, 28)):
        assert not cal.is_working_day(day), day
    assert cal.is_working_day(date(2026, 12, 24))
    assert cal.is_working_day(date(2026, 12, 29))
    assert cal.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)


def test_christmas_2027_both_substitute_days(cal: WorkingCalendar) -> None:
    # 25 and 26 Dec 2027 are a weekend: Monday 27 and Tuesday 28 are the substitutes
    assert not cal.is_working_day(date(2027, 12, 27))
    assert not cal.is_working_day(date(2027, 12, 28))
    assert cal.first_working_day_on_or_after(date(2027, 12, 25)) == date(2027, 12, 29)


def test_easter_2026_good_friday_and_easter_monday(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2026, 4, 3))
    assert not cal.is_working_day(date(2026, 4, 6))
    assert cal.next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)
    assert cal.last_working_day_on_or_before(date(2026, 4, 6)) == date(2026, 4, 2)


def test_next_working_day_is_strictly_after(cal: WorkingCalendar) -> None:
    assert cal.next_working_day(date(2026, 1, 5)) == date(2026, 1, 6)
    assert cal.next_working_day(date(2026, 1, 9)) == date(2026, 1, 12)  # Friday -> Monday


def test_on_or_after_and_on_or_before_keep_a_working_day(cal: WorkingCalendar) -> None:
    monday = date(2026, 1, 5)
    assert cal.first_working_day_on_or_after(monday) == monday
    assert cal.last_working_day_on_or_before(monday) == monday
    assert cal.first_working_day_on_or_after(date(2026, 1, 10)) == date(2026, 1, 12)
    assert cal.last_working_day_on_or_before(date(2026, 1, 11)) == date(2026, 1, 9)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 1, 6), 0, date(2026, 1, 6)),  # a working day stays
        (date(2026, 1, 10), 0, date(2026, 1, 12)),  # Saturday -> Monday
        (date(2026, 1, 9), 1, date(2026, 1, 12)),
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Easter
        (date(2026, 4, 7), -1, date(2026, 4, 2)),  # back over Easter
        (date(2026, 12, 24), 5, date(2027, 1, 5)),  # 29, 30, 31 Dec, (1 Jan a bank holiday), 4, 5 Jan
        (date(2026, 1, 7), -5, date(2025, 12, 30)),  # back over New Year's Day
        (date(2026, 1, 10), -1, date(2026, 1, 9)),  # from a Saturday
    ],
)
def test_add_working_days(cal: WorkingCalendar, start: date, n: int, expected: date) -> None:
    assert cal.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 28), 9),  # the day before the clocks go forward: GMT
        (date(2026, 3, 29), 8),  # clocks went forward at 01:00: BST
        (date(2026, 3, 30), 8),
        (date(2026, 10, 24), 8),  # the day before the clocks go back: BST
        (date(2026, 10, 25), 9),  # clocks went back at 02:00: GMT
        (date(2026, 10, 26), 9),
    ],
)
def test_at_is_nine_local_across_the_clock_changes(cal: WorkingCalendar, day: date, utc_hour: int) -> None:
    moment = cal.at(day, NINE)
    assert moment.tzinfo == ZoneInfo("Europe/London")
    assert (moment.hour, moment.minute) == (9, 0)
    assert moment.astimezone(UTC) == datetime(day.year, day.month, day.day, utc_hour, 0, tzinfo=UTC)


def test_at_honours_the_configured_zone() -> None:
    cal = WorkingCalendar(ZoneInfo("America/New_York"))
    assert cal.at(date(2026, 1, 6), NINE).astimezone(UTC).hour == 14
    assert WorkingCalendar("Europe/London").zone == ZoneInfo("Europe/London")


def test_closures_are_not_working_days() -> None:
    cal = WorkingCalendar(closures=[date(2026, 12, 29), date(2026, 12, 30)])
    assert cal.next_working_day(date(2026, 12, 24)) == date(2026, 12, 31)


def test_a_calendar_with_no_working_days_says_so() -> None:
    start = date(2026, 6, 1)
    cal = WorkingCalendar(closures=[start + timedelta(days=i) for i in range(200)])
    with pytest.raises(ValueError, match="no working day"):
        cal.next_working_day(start)


def test_bank_holidays_are_asked_for_once_a_year(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []
    real = calendar_module.holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> object:
        asked.append(kwargs.get("years"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(calendar_module.holidays, "country_holidays", counting)
    cal = WorkingCalendar()
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        cal.is_working_day(day)
        cal.next_working_day(day)
        day += timedelta(days=1)
    # 2028 too: the day after 31 Dec 2027 is looked for in 2028; each year once, not once a day
    assert sorted(asked) == [2026, 2027, 2028]  # type: ignore[type-var]
