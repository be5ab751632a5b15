"""Working days in England and Wales and local clock times, for when reminders are due and sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

ONE_DAY = timedelta(days=1)
# Far enough to cross any run of closures (Christmas plus a local shutdown); a longer run is a data error.
MAX_SEARCH_DAYS = 60


class WorkingCalendar:
    """Weekends and England and Wales bank holidays (substitute days included) are not working days.

    Bank holidays are computed lazily per year and the answers cached, so planning for tens of thousands of
    cases asks `holidays` once a year, not once a case. `closures` adds local non-working days (an office
    shut between Christmas and New Year).
    """

    def __init__(self, tz: str | ZoneInfo = "Europe/London", closures: Iterable[date] = ()) -> None:
        self.zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        self._closures = frozenset(closures)
        self._holidays: dict[int, frozenset[date]] = {}
        self._working: dict[date, bool] = {}
        self._next: dict[date, date] = {}
        self._previous: dict[date, date] = {}
        self._at: dict[tuple[date, time], datetime] = {}

    def bank_holidays(self, year: int) -> frozenset[date]:
        """England and Wales bank holidays of one year (the `holidays` package's GB/ENG calendar)."""
        found = self._holidays.get(year)
        if found is None:
            found = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))
            self._holidays[year] = found
        return found

    def is_working_day(self, d: date) -> bool:
        working = self._working.get(d)
        if working is None:
            working = d.weekday() < 5 and d not in self.bank_holidays(d.year) and d not in self._closures
            self._working[d] = working
        return working

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        found = self._next.get(d)
        if found is None:
            found = self._search(d + ONE_DAY, ONE_DAY)
            self._next[d] = found
        return found

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before d."""
        found = self._previous.get(d)
        if found is None:
            found = self._search(d - ONE_DAY, -ONE_DAY)
            self._previous[d] = found
        return found

    def first_working_day_on_or_after(self, d: date) -> date:
        return d if self.is_working_day(d) else self.next_working_day(d)

    def last_working_day_on_or_before(self, d: date) -> date:
        return d if self.is_working_day(d) else self.previous_working_day(d)

    def add_working_days(self, d: date, n: int) -> date:
        """The nth working day after d (before d when n < 0); n == 0 gives d, or the next working day if d isn't one."""
        if n == 0:
            return self.first_working_day_on_or_after(d)
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _ in range(abs(n)):
            d = step(d)
        return d

    def at(self, d: date, clock: time) -> datetime:
        """d at the local clock time, aware in the zone; zoneinfo picks the offset in force that day (GMT/BST)."""
        key = (d, clock)
        found = self._at.get(key)
        if found is None:
            found = datetime.combine(d, clock.replace(tzinfo=None), tzinfo=self.zone)
            self._at[key] = found
        return found

    @staticmethod
    def week_start(d: date) -> date:
        """The Monday of d's week: weeks run Monday to Sunday."""
        return d - timedelta(days=d.weekday())

    def _search(self, d: date, step: timedelta) -> date:
        for _ in range(MAX_SEARCH_DAYS):
            if self.is_working_day(d):
                return d
            d += step
        raise ValueError(f"no working day within {MAX_SEARCH_DAYS} days of {d}: check the closures")
