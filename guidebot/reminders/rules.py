"""Due-contact rules: plain functions from one case to the contacts its OM owes and when to remind them.

A rule is `(case, programme | None, calendar, clock) -> list[Due]`. Rules compute every contact of a case,
past and future alike; choosing which sends fall in a planning window is the planner's job, so a rule stays a
pure function of the case that is easy to test and to read against the guidance.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from guidebot.reminders.calendar import WorkingCalendar
from guidebot.reminders.programmes import Programme

ACTIVE = "active"
WEEK = timedelta(days=7)
SIX_DAYS = timedelta(days=6)
PARTNER_REFERRAL_AGAIN_AFTER = 5  # working days after the first nudge
PRE_PROGRAMME_LEAD = 5  # working days before group start
MEASURE_WINDOW = 5  # working days to complete a measure before it is overdue
FOLLOW_UP_MONTHS = 6  # "six months after that" (MoJ 2010 study, evaluation measures)


@dataclass(frozen=True, slots=True)
class CaseInfo:
    """What the rules may know about a case: its reference and dates, never a name (see store.models.Case)."""

    case_ref: str
    programme: str
    group_start: date | None = None
    gap_weeks: tuple[date, ...] = ()  # explicit gap weeks: any day in each week; when given they win
    om: str = ""
    team_channel: str = ""
    order_date: date | None = None
    status: str = ACTIVE


@dataclass(frozen=True, slots=True)
class Send:
    """One message to the OM about a Due: its stage ("first", "nudge", "again") and aware local send time."""

    stage: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Due:
    """A contact owed: due on due_date, overdue after window_end; `label` is how a person reads it."""

    case_ref: str
    rule: str
    due_date: date
    window_end: date
    sends: tuple[Send, ...]
    label: str


Rule = Callable[[CaseInfo, Programme | None, WorkingCalendar, time], list[Due]]


def parse_gap_weeks(text: str | None) -> tuple[date, ...]:
    """The store keeps explicit gap weeks as comma-separated ISO dates (cases.gap_weeks)."""
    if not text:
        return ()
    return tuple(date.fromisoformat(part.strip()) for part in text.split(",") if part.strip())


def add_months(d: date, months: int) -> date:
    """Same day of the month `months` later, clamped to the month's last day (31 Aug + 6 -> 28/29 Feb)."""
    years, index = divmod(d.month - 1 + months, 12)
    year, month = d.year + years, index + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def programme_end(group_start: date, programme: Programme, calendar: WorkingCalendar) -> date:
    """The last working day on or before the Sunday of the programme's last week (week 1 holds group start)."""
    last_sunday = calendar.week_start(group_start) + WEEK * programme.schedule.weeks - timedelta(days=1)
    return calendar.last_working_day_on_or_before(last_sunday)


def gap_week_starts(case: CaseInfo, programme: Programme | None, calendar: WorkingCalendar) -> list[date]:
    """Mondays of the case's gap weeks: its own when listed, else the programme's counted from group start."""
    if case.gap_weeks:
        return sorted({calendar.week_start(d) for d in case.gap_weeks})
    if programme is None or case.group_start is None:
        return []
    week_one = calendar.week_start(case.group_start)
    return [week_one + WEEK * (number - 1) for number in programme.schedule.gap_weeks]


def gap_week(case: CaseInfo, programme: Programme | None, calendar: WorkingCalendar, clock: time) -> list[Due]:
    """The OM sees the man in each gap week (MoJ 2010 study): remind on the week's first working day, nudge on
    its last, overdue after its Sunday.

    A week with no working day at all (a long closure) still owes the contact: it is due that Monday, one
    reminder goes on the next working day, and it is overdue only after that day, since nobody could act sooner.
    """
    if case.status != ACTIVE:
        return []
    mondays = gap_week_starts(case, programme, calendar)
    dues: list[Due] = []
    for number, monday in enumerate(mondays, start=1):
        label = f"gap week {number} of {len(mondays)}"
        sunday = monday + SIX_DAYS
        first = calendar.first_working_day_on_or_after(monday)
        if first > sunday:
            sends = (Send("first", calendar.at(first, clock)),)
            dues.append(Due(case.case_ref, "gap_week", monday, first, sends, label))
            continue
        last = calendar.last_working_day_on_or_before(sunday)
        sends = (Send("first", calendar.at(first, clock)),)
        if last != first:
            sends += (Send("nudge", calendar.at(last, clock)),)
        dues.append(Due(case.case_ref, "gap_week", first, sunday, sends, label))
    return dues


def partner_referral(case: CaseInfo, programme: Programme | None, calendar: WorkingCalendar, clock: time) -> list[Due]:
    """Refer the partner to the women's safety service at once: engagement drops the longer the delay after
    sentence (MoJ 2010 study). Remind the first working day after the order, again five working days later."""
    if case.status != ACTIVE or case.order_date is None:
        return []
    due = calendar.next_working_day(case.order_date)
    again = calendar.add_working_days(due, PARTNER_REFERRAL_AGAIN_AFTER)
    sends = (Send("first", calendar.at(due, clock)), Send("again", calendar.at(again, clock)))
    return [Due(case.case_ref, "partner_referral", due, again, sends, "partner referral")]


def evaluation_measures(
    case: CaseInfo, programme: Programme | None, calendar: WorkingCalendar, clock: time
) -> list[Due]:
    """Measures are due pre-programme, at the end of the group programme and six months after (MoJ 2010 study;
    most were never completed). Without a known programme length only the pre-programme one can be dated."""
    if case.status != ACTIVE or case.group_start is None:
        return []
    dates = [(calendar.add_working_days(case.group_start, -PRE_PROGRAMME_LEAD), "pre-programme measures")]
    if programme is not None:
        end = programme_end(case.group_start, programme, calendar)
        follow_up = calendar.first_working_day_on_or_after(add_months(end, FOLLOW_UP_MONTHS))
        dates += [(end, "end-of-programme measures"), (follow_up, "six-month follow-up measures")]
    return [
        Due(
            case.case_ref,
            "evaluation_measures",
            due,
            calendar.add_working_days(due, MEASURE_WINDOW),
            (Send("first", calendar.at(due, clock)),),
            label,
        )
        for due, label in dates
    ]


# In the order a person reads them: the gap week is the contact the study found most often missed.
RULES: dict[str, Rule] = {
    "gap_week": gap_week,
    "partner_referral": partner_referral,
    "evaluation_measures": evaluation_measures,
}
