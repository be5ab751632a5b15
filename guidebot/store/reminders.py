"""Planned reminders, recorded contacts, weekly digests and worker passes: the rows behind "never a missed contact".

Reminders are rows, not timers: the planner inserts one row per case, rule, due date and stage (a repeat is
ignored), and the dispatcher hands the due ones to the outbox in the same transaction that marks them sent, so a
restart, a second worker or an outage neither loses nor repeats one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, String, and_, cast, delete, func, literal, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from guidebot.store.db import now_or
from guidebot.store.models import (
    CONTACT_OUTCOMES,
    REMINDER_STATUSES,
    Contact,
    Digest,
    OutboxMessage,
    Reminder,
    WorkerPass,
)
from guidebot.store.outbox import NewMessage, insert_messages


@dataclass(frozen=True)
class PlannedRow:
    """A send the planner wants to exist."""

    case_ref: str
    rule: str
    due_date: date
    stage: str
    send_at: datetime
    window_end: date


@dataclass(frozen=True)
class DueRow:
    """A planned reminder whose time has come, as the dispatcher reads it."""

    id: int
    case_ref: str
    rule: str
    due_date: date
    stage: str
    send_at: datetime
    window_end: date


@dataclass(frozen=True)
class Recorded:
    case_ref: str
    rule: str
    due_date: date
    outcome: str
    reason: str | None
    recorded_by: str
    recorded_at: datetime


_DUE_COLUMNS = (
    Reminder.id,
    Reminder.case_ref,
    Reminder.rule,
    Reminder.due_date,
    Reminder.stage,
    Reminder.send_at,
    Reminder.window_end,
)


def _recorded(c: Contact) -> Recorded:
    return Recorded(c.case_ref, c.rule, c.due_date, c.outcome, c.reason, c.recorded_by, c.recorded_at)


# Given a due send and whether it is late: its new status (sent, skipped) and the outbox row, if any.
Handoff = Callable[[DueRow, bool], tuple[str, NewMessage | None]]


class Reminders:
    """Queries over reminders, contacts, digests and worker passes; thread-safe (a session per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def add_planned(self, rows: Iterable[PlannedRow], now: datetime | None = None) -> int:
        """Insert the sends that do not exist yet (unique per case, rule, due date, stage); rows added."""
        values = [
            {
                "case_ref": r.case_ref,
                "rule": r.rule,
                "due_date": r.due_date,
                "stage": r.stage,
                "send_at": r.send_at,
                "window_end": r.window_end,
                "status": "planned",
                "late": False,
            }
            for r in rows
        ]
        added = 0
        with self._sessions.begin() as session:
            for start in range(0, len(values), 500):
                statement = self._insert(Reminder).values(values[start : start + 500]).on_conflict_do_nothing()
                added += len(session.execute(statement.returning(Reminder.id)).all())
        return added

    def cancel(self, case_refs: Sequence[str], now: datetime | None = None) -> int:
        """Cancel the planned sends of cases that were paused or closed; rows cancelled."""
        if not case_refs:
            return 0
        with self._sessions.begin() as session:
            return session.execute(
                update(Reminder)
                .where(Reminder.case_ref.in_(list(case_refs)), Reminder.status == "planned")
                .values(status="cancelled", handled_at=now_or(now))
            ).rowcount

    def restore(self, case_ref: str, after: datetime) -> int:
        """A case resumed: its cancelled sends still to come are planned again (the missed ones stay cancelled)."""
        with self._sessions.begin() as session:
            return session.execute(
                update(Reminder)
                .where(Reminder.case_ref == case_ref, Reminder.status == "cancelled", Reminder.send_at > after)
                .values(status="planned", handled_at=None)
            ).rowcount

    def dispatch_due(self, handoff: Handoff, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
        """Take due sends (FOR UPDATE SKIP LOCKED), and for each ask `handoff` for its fate and its outbox row;
        the outbox rows and the new statuses are written in one transaction. Counts per status."""
        now = now_or(now)
        counts: dict[str, int] = {}
        with self._sessions.begin() as session:
            due = session.execute(
                select(*_DUE_COLUMNS)
                .where(Reminder.status == "planned", Reminder.send_at <= now)
                .order_by(Reminder.send_at, Reminder.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            messages = []
            items = [DueRow(*row) for row in due]
            latest = {}
            for item in items:  # several stages of one contact due at once (after downtime): send the last only
                latest[(item.case_ref, item.rule, item.due_date)] = item.id
            for item in items:
                if latest[(item.case_ref, item.rule, item.due_date)] != item.id:
                    session.execute(
                        update(Reminder).where(Reminder.id == item.id).values(status="skipped", handled_at=now)
                    )
                    counts["superseded"] = counts.get("superseded", 0) + 1
                    continue
                late = _is_late(item, now)
                status, message = handoff(item, late)
                late = late and status == "sent"
                session.execute(
                    update(Reminder).where(Reminder.id == item.id).values(status=status, handled_at=now, late=late)
                )
                if message is not None:
                    messages.append(message)
                counts[status] = counts.get(status, 0) + 1
            insert_messages(session, messages, now)
        return counts

    def record(
        self,
        case_ref: str,
        rule: str,
        due_date: date,
        outcome: str,
        by: str,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Record what happened to a contact (the latest recording wins); its later nudges are then skipped."""
        if outcome not in CONTACT_OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}; expected one of {CONTACT_OUTCOMES}")
        values = {
            "case_ref": case_ref,
            "rule": rule,
            "due_date": due_date,
            "outcome": outcome,
            "reason": reason,
            "recorded_by": by,
            "recorded_at": now_or(now),
        }
        statement = self._insert(Contact).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=["case_ref", "rule", "due_date"],
            set_={k: statement.excluded[k] for k in ("outcome", "reason", "recorded_by", "recorded_at")},
        )
        with self._sessions.begin() as session:
            session.execute(statement)

    def recorded(self, keys: Iterable[tuple[str, str, date]]) -> dict[tuple[str, str, date], Recorded]:
        """The recordings for (case_ref, rule, due_date) keys, by key."""
        wanted = list(set(keys))
        found: dict[tuple[str, str, date], Recorded] = {}
        with Session(self.engine) as session:
            for start in range(0, len(wanted), 300):
                chunk = wanted[start : start + 300]
                rows = session.execute(
                    select(Contact).where(tuple_(Contact.case_ref, Contact.rule, Contact.due_date).in_(chunk))
                ).scalars()
                for c in rows:
                    found[(c.case_ref, c.rule, c.due_date)] = _recorded(c)
        return found

    def recorded_for(self, case_refs: Sequence[str]) -> list[Recorded]:
        """Every recording of these cases."""
        if not case_refs:
            return []
        with Session(self.engine) as session:
            rows = session.execute(select(Contact).where(Contact.case_ref.in_(list(case_refs)))).scalars()
            return [_recorded(c) for c in rows]

    def failed_since(self, case_refs: Sequence[str], since: datetime) -> list[tuple[str, str, date]]:
        """(case, rule, due date) of reminders handed to the outbox that Slack never took, failed since `since`."""
        if not case_refs:
            return []
        key = literal("reminder:") + cast(Reminder.id, String)
        with Session(self.engine) as session:
            rows = session.execute(
                select(Reminder.case_ref, Reminder.rule, Reminder.due_date)
                .join(OutboxMessage, OutboxMessage.key == key)
                .where(
                    Reminder.case_ref.in_(list(case_refs)),
                    OutboxMessage.status == "failed",
                    OutboxMessage.finished_at >= since,
                )
                .distinct()
            ).all()
        return [(case_ref, rule, due_date) for case_ref, rule, due_date in rows]

    def recorded_between(self, case_refs: Sequence[str], start: datetime, end: datetime) -> list[Recorded]:
        """Recordings made in [start, end) for these cases (the digest's "done last week")."""
        if not case_refs:
            return []
        with Session(self.engine) as session:
            rows = session.execute(
                select(Contact)
                .where(
                    Contact.case_ref.in_(list(case_refs)),
                    Contact.recorded_at >= start,
                    Contact.recorded_at < end,
                )
                .order_by(Contact.recorded_at)
            ).scalars()
            return [_recorded(c) for c in rows]

    def snooze(self, case_ref: str, rule: str, due_date: date, send_at: datetime, window_end: date) -> bool:
        """ "Remind me tomorrow": one more send for the contact at `send_at` (once per day); False if already set."""
        stage = f"snooze-{send_at.date().isoformat()}"
        row = PlannedRow(case_ref, rule, due_date, stage, send_at, window_end)
        return self.add_planned([row]) == 1

    def claim_digest(
        self, team_channel: str, week_start: date, message: NewMessage, now: datetime | None = None
    ) -> bool:
        """Queue a team's weekly digest unless one was queued for that week already (by any worker)."""
        now = now_or(now)
        with self._sessions.begin() as session:
            statement = self._insert(Digest).values(team_channel=team_channel, week_start=week_start, created_at=now)
            if session.execute(statement.on_conflict_do_nothing().returning(Digest.team_channel)).first() is None:
                return False
            insert_messages(session, [message], now)
        return True

    def digest_sent(self, team_channel: str, week_start: date) -> bool:
        with Session(self.engine) as session:
            found = session.get(Digest, (team_channel, week_start))
        return found is not None

    def counts(self, since: datetime | None = None) -> dict[str, int]:
        """Reminders per status (every status present), and how many went out late."""
        with Session(self.engine) as session:
            rows = session.execute(select(Reminder.status, func.count()).group_by(Reminder.status)).all()
            late = session.execute(select(func.count()).where(Reminder.late.is_(True))).scalar_one()
        counts = dict.fromkeys(REMINDER_STATUSES, 0)
        counts.update({status: n for status, n in rows})
        counts["late"] = late
        return counts

    def pending_for(self, case_refs: Sequence[str]) -> list[DueRow]:
        """Planned sends of these cases, soonest first (for `/guide cases` and App Home)."""
        if not case_refs:
            return []
        with Session(self.engine) as session:
            rows = session.execute(
                select(*_DUE_COLUMNS)
                .where(Reminder.case_ref.in_(list(case_refs)), Reminder.status == "planned")
                .order_by(Reminder.send_at)
            ).all()
        return [DueRow(*row) for row in rows]

    def finished_pass(self, job: str, summary: str, now: datetime | None = None) -> None:
        """Note that a worker finished a pass of `job` (for doctor)."""
        statement = self._insert(WorkerPass).values(job=job, finished_at=now_or(now), summary=summary[:200])
        statement = statement.on_conflict_do_update(
            index_elements=["job"],
            set_={"finished_at": statement.excluded.finished_at, "summary": statement.excluded.summary},
        )
        with self._sessions.begin() as session:
            session.execute(statement)

    def last_passes(self) -> dict[str, tuple[datetime, str]]:
        with Session(self.engine) as session:
            rows = session.execute(select(WorkerPass.job, WorkerPass.finished_at, WorkerPass.summary)).all()
        return {job: (finished, summary) for job, finished, summary in rows}

    def purge(self, before: date) -> int:
        """Delete reminders whose contact window ended before `before` and that are no longer planned."""
        with self._sessions.begin() as session:
            return session.execute(
                delete(Reminder).where(and_(Reminder.window_end < before, Reminder.status != "planned"))
            ).rowcount


LATE_AFTER_SECONDS = 3600


def _is_late(row: DueRow, now: datetime) -> bool:
    return (now - row.send_at).total_seconds() > LATE_AFTER_SECONDS
