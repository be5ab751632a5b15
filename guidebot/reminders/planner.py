"""Which reminders fall in a planning window: every rule over every active case, one row per send.

The output matches the `reminders` table (unique per case, rule, due date and stage), so writing it is
idempotent: planning the same window twice yields the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from guidebot.reminders.calendar import WorkingCalendar
from guidebot.reminders.programmes import Programme
from guidebot.reminders.rules import ACTIVE, RULES, CaseInfo, Rule


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    """One send to write as a `reminders` row; send_at is aware, in the configured zone."""

    case_ref: str
    rule: str
    label: str
    due_date: date
    stage: str
    send_at: datetime
    window_end: date

    def to_json(self) -> dict[str, str]:
        """ISO dates, and send_at in ISO 8601 with its UTC offset so the local time and the instant both show."""
        return {
            "case_ref": self.case_ref,
            "rule": self.rule,
            "label": self.label,
            "due_date": self.due_date.isoformat(),
            "stage": self.stage,
            "send_at": self.send_at.isoformat(),
            "window_end": self.window_end.isoformat(),
        }


def _order(reminder: PlannedReminder) -> tuple[datetime, str, str, str]:
    return reminder.send_at, reminder.case_ref, reminder.rule, reminder.stage


def plan(
    cases: Iterable[CaseInfo],
    programmes: Mapping[str, Programme],
    calendar: WorkingCalendar,
    clock: time,
    start: date,
    end: date,
    rules: Mapping[str, Rule] = RULES,
) -> list[PlannedReminder]:
    """Every send whose local date is in [start, end), sorted by (send_at, case_ref, rule, stage).

    Sends before `start` are not returned: catching up on missed ones is the dispatcher's and the digest's job.
    One calendar serves all cases, so bank holidays and working-day answers are computed once, not per case.
    """
    planned: list[PlannedReminder] = []
    append = planned.append
    for case in cases:
        if case.status != ACTIVE:
            continue
        programme = programmes.get(case.programme.upper())
        for rule in rules.values():
            for due in rule(case, programme, calendar, clock):
                for send in due.sends:
                    if start <= send.at.date() < end:
                        append(
                            PlannedReminder(
                                due.case_ref, due.rule, due.label, due.due_date, send.stage, send.at, due.window_end
                            )
                        )
    planned.sort(key=_order)
    return planned
