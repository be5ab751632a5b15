"""The weekly team digest: per OM, what is due this week, what was done last week, what is overdue.

Computed from the cases and the rules (not from the sends), so it is right after downtime too; references only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from guidebot.reminders.calendar import WorkingCalendar
from guidebot.reminders.programmes import Programme
from guidebot.reminders.rules import RULES, CaseInfo, Due

OVERDUE_LOOKBACK = timedelta(weeks=12)


@dataclass(frozen=True)
class Item:
    """One contact in the digest: which case, what (label), when, and what was recorded if anything."""

    case_ref: str
    label: str
    due_date: date
    outcome: str | None = None
    reason: str | None = None


@dataclass
class OmSection:
    due: list[Item] = field(default_factory=list)
    done: list[Item] = field(default_factory=list)
    overdue: list[Item] = field(default_factory=list)
    failed: list[Item] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.due or self.done or self.overdue or self.failed)


@dataclass(frozen=True)
class TeamDigest:
    team_channel: str
    week_start: date
    by_om: dict[str, OmSection]

    def quiet(self) -> bool:
        return all(section.empty() for section in self.by_om.values())


def dues_of(case: CaseInfo, programmes: Mapping[str, Programme], calendar: WorkingCalendar, clock: time) -> list[Due]:
    """Every contact a case owes under every rule."""
    programme = programmes.get(case.programme.upper())
    return [due for rule in RULES.values() for due in rule(case, programme, calendar, clock)]


def build_digest(
    team_channel: str,
    cases: Sequence[CaseInfo],
    programmes: Mapping[str, Programme],
    calendar: WorkingCalendar,
    clock: time,
    recorded: Mapping[tuple[str, str, date], tuple[str, str | None]],
    done_last_week: Iterable[tuple[str, str, date, str, str | None, str]],
    failed: Iterable[tuple[str, str, date]],
    today: date,
) -> TeamDigest:
    """The digest of one team channel for the week containing `today`.

    `recorded` maps (case, rule, due date) to (outcome, reason); `done_last_week` holds (case, rule, due date,
    outcome, reason, label) recorded last week; `failed` the reminders Slack never took.
    """
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=7)
    by_om: dict[str, OmSection] = {}
    om_of = {case.case_ref: case.om for case in cases}
    labels: dict[tuple[str, str, date], str] = {}
    for case in cases:
        section = by_om.setdefault(case.om, OmSection())
        for due in dues_of(case, programmes, calendar, clock):
            key = (due.case_ref, due.rule, due.due_date)
            labels[key] = due.label
            outcome = recorded.get(key)
            if week_start <= due.due_date < week_end:
                section.due.append(Item(due.case_ref, due.label, due.due_date, *(outcome or (None, None))))
            elif outcome is None and today - OVERDUE_LOOKBACK <= due.window_end < today:
                section.overdue.append(Item(due.case_ref, due.label, due.due_date))
    for case_ref, _rule, due_date, outcome, reason, label in done_last_week:
        if case_ref in om_of:
            by_om[om_of[case_ref]].done.append(Item(case_ref, label, due_date, outcome, reason))
    for case_ref, rule, due_date in failed:
        if case_ref in om_of:
            label = labels.get((case_ref, rule, due_date), rule.replace("_", " "))
            by_om[om_of[case_ref]].failed.append(Item(case_ref, label, due_date))
    for section in by_om.values():
        for items in (section.due, section.done, section.overdue, section.failed):
            items.sort(key=lambda item: (item.due_date, item.case_ref))
    return TeamDigest(team_channel, week_start, dict(sorted(by_om.items())))


@dataclass(frozen=True)
class Owed:
    """A contact an OM owes: upcoming (due within the horizon) or overdue (its window has closed)."""

    case: CaseInfo
    due: Due
    overdue: bool


def owed(
    cases: Sequence[CaseInfo],
    programmes: Mapping[str, Programme],
    calendar: WorkingCalendar,
    clock: time,
    recorded: Mapping[tuple[str, str, date], object],
    today: date,
    ahead: timedelta = timedelta(weeks=4),
) -> list[Owed]:
    """What nobody has recorded yet: overdue ones first (oldest first), then upcoming ones (soonest first)."""
    found = []
    for case in cases:
        if case.status != "active":
            continue
        for due in dues_of(case, programmes, calendar, clock):
            if (due.case_ref, due.rule, due.due_date) in recorded:
                continue
            if today - OVERDUE_LOOKBACK <= due.window_end < today:
                found.append(Owed(case, due, True))
            elif due.window_end >= today and due.due_date < today + ahead:
                found.append(Owed(case, due, False))
    return sorted(found, key=lambda o: (not o.overdue, o.due.due_date, o.case.case_ref))
