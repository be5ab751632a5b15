"""One pass of the reminders job: plan the sends, hand the due ones to the outbox, queue the weekly digests.

Idempotent and safe to run in several workers at once: planned sends are unique rows, due ones are taken with
FOR UPDATE SKIP LOCKED and handed to the outbox in the same transaction, digests are claimed per channel and
week. After downtime, what was missed goes out once, marked late (several stages of one contact due at once
become one message). The Slack wording comes through a port, so the core never imports Slack.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from guidebot.cases.models import CaseView
from guidebot.config import Settings
from guidebot.delivery import Outgoing, enqueue
from guidebot.reminders.calendar import WorkingCalendar
from guidebot.reminders.digest import TeamDigest, build_digest
from guidebot.reminders.planner import plan
from guidebot.reminders.programmes import Programme, load_programmes
from guidebot.reminders.rules import CaseInfo
from guidebot.store import Store
from guidebot.store.outbox import NewMessage
from guidebot.store.reminders import DueRow, PlannedRow

log = logging.getLogger(__name__)

PLAN_BEHIND = timedelta(days=14)
PLAN_AHEAD = timedelta(days=15)
REMINDER_DEADLINE = timedelta(hours=24)
JOB = "reminders"
DISPATCH_BATCH = 200


class ReminderMessages(Protocol):
    """How reminders and digests read in Slack (handlers.reminders)."""

    def reminder(self, due: DueRow, case: CaseInfo, label: str, *, late: bool) -> Outgoing: ...

    def digest(self, digest: TeamDigest) -> Outgoing: ...


@dataclass(frozen=True)
class ReminderSetup:
    """What a pass needs besides the store: the calendars, the rules' clock and the digest slot."""

    programmes: Mapping[str, Programme]
    calendar: WorkingCalendar
    clock: time
    digest_weekday: int
    digest_clock: time


def setup_from(settings: Settings) -> ReminderSetup:
    """Programmes from knowledge/programmes.yaml, England and Wales working days in GUIDEBOT_TZ, the clocks."""
    weekday, digest_clock = settings.digest_slot
    return ReminderSetup(
        programmes=load_programmes(settings.knowledge_dir),
        calendar=WorkingCalendar(settings.zone),
        clock=settings.reminder_clock,
        digest_weekday=weekday,
        digest_clock=digest_clock,
    )


def case_info(view: CaseView) -> CaseInfo:
    """The rules' view of a stored case."""
    return CaseInfo(
        case_ref=view.case_ref,
        programme=view.programme,
        group_start=view.group_start,
        gap_weeks=tuple(view.gap_weeks or ()),
        om=view.om,
        team_channel=view.team_channel,
        order_date=view.order_date,
        status=view.status,
    )


def run_pass(store: Store, schedule: ReminderSetup, messages: ReminderMessages, now: datetime | None = None) -> str:
    """Plan, dispatch and digest once; returns a one-line summary (also kept for `guidebot doctor`)."""
    now = now or datetime.now(UTC)
    today = now.astimezone(schedule.calendar.zone).date()
    views = store.cases.list(statuses=("active", "paused", "completed", "withdrawn"))
    cases = {view.case_ref: case_info(view) for view in views}
    active = [case for case in cases.values() if case.status == "active"]
    planned = plan(
        active, schedule.programmes, schedule.calendar, schedule.clock, today - PLAN_BEHIND, today + PLAN_AHEAD
    )
    labels = {(p.case_ref, p.rule, p.due_date): p.label for p in planned}
    added = store.reminders.add_planned(
        PlannedRow(p.case_ref, p.rule, p.due_date, p.stage, p.send_at, p.window_end) for p in planned
    )
    cancelled = store.reminders.cancel([ref for ref, case in cases.items() if case.status != "active"], now=now)
    recorded = store.reminders.recorded(labels.keys())

    def handoff(due: DueRow, late: bool) -> tuple[str, NewMessage | None]:
        case = cases.get(due.case_ref)
        if case is None or case.status != "active":
            return "cancelled", None
        key = (due.case_ref, due.rule, due.due_date)
        # the bulk read covers every contact planned this pass; only a send older than the plan's window
        # (after long downtime) needs its own look
        if key in recorded or (key not in labels and store.reminders.recorded([key])):
            return "skipped", None
        label = labels.get(key) or due.rule.replace("_", " ")
        outgoing = messages.reminder(due, case, label, late=late)
        return "sent", enqueue(f"reminder:{due.id}", outgoing, REMINDER_DEADLINE, now)

    dispatched: dict[str, int] = {}
    while True:  # in batches (each one transaction) until nothing due is left
        batch = store.reminders.dispatch_due(handoff, now=now, limit=DISPATCH_BATCH)
        for status, count in batch.items():
            dispatched[status] = dispatched.get(status, 0) + count
        if sum(batch.values()) < DISPATCH_BATCH:
            break
    digests = _digests(store, schedule, messages, list(cases.values()), now, today)
    summary = (
        f"planned {added} new, cancelled {cancelled}, sent {dispatched.get('sent', 0)}, "
        f"skipped {dispatched.get('skipped', 0) + dispatched.get('superseded', 0)}, digests {digests}"
    )
    store.reminders.finished_pass(JOB, summary, now=now)
    return summary


def _digests(
    store: Store,
    schedule: ReminderSetup,
    messages: ReminderMessages,
    cases: list[CaseInfo],
    now: datetime,
    today: date,
) -> int:
    """Queue this week's digest for each team channel once its slot has come; one per channel and week."""
    week_start = today - timedelta(days=today.weekday())
    slot = schedule.calendar.at(week_start + timedelta(days=schedule.digest_weekday), schedule.digest_clock)
    if now < slot:
        return 0
    queued = 0
    teams = sorted({case.team_channel for case in cases if case.status in ("active", "paused")})
    for team in teams:
        if store.reminders.digest_sent(team, week_start):
            continue
        team_cases = [case for case in cases if case.team_channel == team and case.status == "active"]
        digest = _team_digest(store, schedule, team, team_cases, week_start, today)
        message = enqueue(f"digest:{team}:{week_start.isoformat()}", messages.digest(digest), REMINDER_DEADLINE, now)
        queued += store.reminders.claim_digest(team, week_start, message, now=now)
    return queued


def _team_digest(
    store: Store, schedule: ReminderSetup, team: str, cases: list[CaseInfo], week_start: date, today: date
) -> TeamDigest:
    refs = [case.case_ref for case in cases]
    zone = schedule.calendar.zone
    last_week = datetime.combine(week_start - timedelta(days=7), time(0), zone)
    this_week = datetime.combine(week_start, time(0), zone)
    done = [
        (r.case_ref, r.rule, r.due_date, r.outcome, r.reason, r.rule.replace("_", " "))
        for r in store.reminders.recorded_between(refs, last_week, this_week)
    ]
    everything = store.reminders.recorded_for(refs)
    recorded = {(r.case_ref, r.rule, r.due_date): (r.outcome, r.reason) for r in everything}
    failed = store.reminders.failed_since(refs, last_week)
    return build_digest(
        team, cases, schedule.programmes, schedule.calendar, schedule.clock, recorded, done, failed, today
    )
