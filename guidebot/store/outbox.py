"""The outbox table: every message guidebot sends, claimed by any number of senders, each sent once.

A row is claimed with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's single writer serialises the
claim). A row found still `sending` after its lease ran out may have reached Slack before its sender died,
so the claim marks it `uncertain`: the sender looks for it in Slack before sending again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from guidebot.store.db import now_or, status_counts
from guidebot.store.models import OUTBOX_STATUSES, OutboxMessage

# Longer than one attempt can take (the Web API client times out after 10 s), short enough that a restart
# picks up what a killed sender held within seconds.
LEASE = timedelta(seconds=20)


@dataclass(frozen=True)
class NewMessage:
    """A message to enqueue: `key` is unique (a repeat is ignored), `payload` the serialised message."""

    key: str
    payload: str
    deadline: datetime


@dataclass(frozen=True)
class Parcel:
    """A claimed row, as the sender needs it."""

    id: int
    key: str
    payload: str
    attempts: int
    uncertain: bool
    created_at: datetime
    deadline: datetime


def insert_messages(session: Session, messages: Sequence[NewMessage], now: datetime) -> int:
    """Enqueue `messages` inside the caller's transaction; keys already present are skipped. Rows added."""
    if not messages:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    rows = [
        {
            "key": m.key,
            "payload": m.payload,
            "status": "pending",
            "attempts": 0,
            "uncertain": False,
            "created_at": now,
            "next_attempt_at": now,
            "deadline": m.deadline,
        }
        for m in messages
    ]
    statement = insert(OutboxMessage).values(rows).on_conflict_do_nothing().returning(OutboxMessage.id)
    return len(session.execute(statement).all())


class Outbox:
    """Queries over the outbox; thread-safe (a session per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def add(self, messages: Sequence[NewMessage], now: datetime | None = None) -> int:
        """Enqueue messages outside any other work (reminders, notices); returns how many were new."""
        with self._sessions.begin() as session:
            return insert_messages(session, messages, now_or(now))

    def claim(self, limit: int = 10, lease: timedelta = LEASE, now: datetime | None = None) -> list[Parcel]:
        """Lease up to `limit` rows that are due, oldest first; a row whose sender died comes back uncertain."""
        now = now_or(now)
        due = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status.in_(("pending", "sending")),
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(due.scalar_subquery()))
            .values(
                uncertain=case((OutboxMessage.status == "sending", True), else_=OutboxMessage.uncertain),
                status="sending",
                lease_until=now + lease,
                claimed_at=now,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(
                OutboxMessage.id,
                OutboxMessage.key,
                OutboxMessage.payload,
                OutboxMessage.attempts,
                OutboxMessage.uncertain,
                OutboxMessage.created_at,
                OutboxMessage.deadline,
            )
        )
        with self._sessions.begin() as session:
            rows = session.execute(statement, execution_options={"synchronize_session": False}).all()
        return sorted((Parcel(*row) for row in rows if row.payload is not None), key=lambda p: p.id)

    def sent(
        self, parcel_id: int, ts: str | None, then: Sequence[NewMessage] = (), now: datetime | None = None
    ) -> None:
        """Record that Slack has the message (its ts), forget its text, and enqueue what follows it."""
        now = now_or(now)
        with self._sessions.begin() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == parcel_id)
                .values(status="sent", ts=ts, payload=None, lease_until=None, finished_at=now, error=None)
            )
            insert_messages(session, then, now)

    def retry(self, parcel_id: int, at: datetime, *, uncertain: bool, error: str | None = None) -> None:
        """Put the message back for another attempt at `at`; `uncertain` when it may have reached Slack."""
        with self._sessions.begin() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == parcel_id, OutboxMessage.status == "sending")
                .values(status="pending", next_attempt_at=at, lease_until=None, uncertain=uncertain, error=error)
            )

    def failed(
        self, parcel_id: int, error: str, notices: Sequence[NewMessage] = (), now: datetime | None = None
    ) -> None:
        """Give up on a message (its text is forgotten) and enqueue the notices that tell people so."""
        now = now_or(now)
        with self._sessions.begin() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == parcel_id)
                .values(status="failed", error=error[:64], payload=None, lease_until=None, finished_at=now)
            )
            insert_messages(session, notices, now)

    def hold(self, until: datetime) -> int:
        """Slack said 429: no waiting message is tried before `until` (its limits are per method and workspace,
        so one message waiting out Retry-After while the others keep calling would only earn more 429s)."""
        with self._sessions.begin() as session:
            return session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at < until)
                .values(next_attempt_at=until)
            ).rowcount

    def state_of(self, key: str) -> tuple[str, str | None] | None:
        """A message's status and, once sent, its Slack ts (a later update of the message needs it)."""
        with Session(self.engine) as session:
            row = session.execute(
                select(OutboxMessage.status, OutboxMessage.ts).where(OutboxMessage.key == key)
            ).first()
        return (row[0], row[1]) if row else None

    def counts(self) -> dict[str, int]:
        """Rows per status, every status present, for `guidebot doctor` and the benches."""
        return status_counts(self.engine, OutboxMessage.status, OUTBOX_STATUSES)

    def recent_failures(self, since: datetime) -> list[tuple[datetime, str]]:
        """When and why messages failed since `since`, newest first (no message text: it is gone)."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(OutboxMessage.finished_at, OutboxMessage.error)
                .where(OutboxMessage.status == "failed", OutboxMessage.finished_at >= since)
                .order_by(OutboxMessage.finished_at.desc())
            ).all()
        return [(finished, error or "unknown") for finished, error in rows]

    def purge(self, older_than: timedelta = timedelta(days=7), now: datetime | None = None) -> int:
        """Delete sent and failed rows finished before `now - older_than` (retention); rows deleted."""
        cutoff = now_or(now) - older_than
        with self._sessions.begin() as session:
            return session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.status.in_(("sent", "failed")), OutboxMessage.finished_at < cutoff
                )
            ).rowcount
