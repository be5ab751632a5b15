"""The inbox table: every Slack request that needs work, written before Slack gets its acknowledgement.

The write and the dedupe claims of the delivery are one transaction, so a retry after a crash is either
recognised as stored or stored now. Workers take rows with a lease, so a process that dies mid-job leaves its
row to the next one; the answer and the row's `done` are one transaction with the outbox rows it produced.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker

from guidebot.store.db import now_or, status_counts
from guidebot.store.models import INBOX_STATUSES, InboxItem, ProcessedEvent
from guidebot.store.outbox import NewMessage, insert_messages

# Answering takes well under a second; a worker that overruns its lease only costs a second search, since
# the replies' outbox keys are per request.
LEASE = timedelta(seconds=15)
MAX_ATTEMPTS = 5


class _Repeat(Exception):
    """One of a delivery's dedupe keys was already claimed."""


@dataclass(frozen=True)
class Job:
    """A claimed request: what kind, what is needed to answer it, when Slack delivered it."""

    id: int
    kind: str
    payload: dict[str, Any]
    received_at: datetime
    attempts: int


class Inbox:
    """Queries over the inbox; thread-safe (a session per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # SQLite has one writer at a time and makes the others sleep and retry (1, 2, 5 ... 100 ms): the
        # threads of one web process queue here instead, so an ack waits for the write ahead of it, not for a
        # retry timer. PostgreSQL locks rows, not the database, and needs no queue.
        self._writes = threading.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()

    def add(self, kind: str, payload: dict[str, Any], keys: Sequence[str] = (), now: datetime | None = None) -> bool:
        """Store a request and claim its dedupe `keys` in one transaction; False (nothing stored) for a repeat.

        Two statements on the ack's path, nothing more: one INSERT of all the claims (ON CONFLICT DO NOTHING,
        RETURNING tells which were new) and the INSERT of the request.
        """
        now = now_or(now)
        unique = list(dict.fromkeys(keys))
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        row = {"kind": kind, "payload": json.dumps(payload), "status": "pending", "attempts": 0, "received_at": now}
        try:
            with self._writes, self.engine.begin() as connection:
                if unique:
                    claims = insert(ProcessedEvent).values([{"key": key, "seen_at": now} for key in unique])
                    claimed = connection.execute(claims.on_conflict_do_nothing().returning(ProcessedEvent.key)).all()
                    if len(claimed) != len(unique):
                        raise _Repeat  # rolls the new claims back with the transaction
                connection.execute(insert(InboxItem).values(row))
        except _Repeat:
            return False
        return True

    def claim(self, limit: int = 1, lease: timedelta = LEASE, now: datetime | None = None) -> list[Job]:
        """Lease up to `limit` waiting requests, oldest first (also those whose worker died)."""
        now = now_or(now)
        waiting = (
            select(InboxItem.id)
            .where(
                InboxItem.status.in_(("pending", "working")),
                or_(InboxItem.lease_until.is_(None), InboxItem.lease_until < now),
            )
            .order_by(InboxItem.received_at, InboxItem.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(InboxItem)
            .where(InboxItem.id.in_(waiting.scalar_subquery()))
            .values(status="working", lease_until=now + lease, attempts=InboxItem.attempts + 1)
            .returning(InboxItem.id, InboxItem.kind, InboxItem.payload, InboxItem.received_at, InboxItem.attempts)
        )
        with self._sessions.begin() as session:
            rows = session.execute(statement, execution_options={"synchronize_session": False}).all()
        jobs = [
            Job(i, kind, json.loads(payload or "{}"), received, attempts)
            for i, kind, payload, received, attempts in rows
        ]
        return sorted(jobs, key=lambda job: job.id)

    def finish(self, job_id: int, replies: Sequence[NewMessage] = (), now: datetime | None = None) -> None:
        """Mark a request answered and enqueue its replies, in one transaction; its payload is forgotten."""
        now = now_or(now)
        with self._sessions.begin() as session:
            done = session.execute(
                update(InboxItem)
                .where(InboxItem.id == job_id, InboxItem.status == "working")
                .values(status="done", payload=None, lease_until=None, finished_at=now)
                .returning(InboxItem.id)
            ).first()
            if done is not None:  # a worker whose lease ran out may finish late: its replies are already queued
                insert_messages(session, replies, now)

    def give_up(self, job_id: int, replies: Sequence[NewMessage] = (), now: datetime | None = None) -> None:
        """Mark a request failed (it crashed every worker that took it), enqueue the apology, forget the payload."""
        now = now_or(now)
        with self._sessions.begin() as session:
            session.execute(
                update(InboxItem)
                .where(InboxItem.id == job_id)
                .values(status="failed", payload=None, lease_until=None, finished_at=now)
            )
            insert_messages(session, replies, now)

    def counts(self) -> dict[str, int]:
        """Rows per status, every status present."""
        return status_counts(self.engine, InboxItem.status, INBOX_STATUSES)

    def purge(self, older_than: timedelta = timedelta(hours=24), now: datetime | None = None) -> int:
        """Delete answered and failed requests finished before `now - older_than` (retention); rows deleted."""
        cutoff = now_or(now) - older_than
        with self._sessions.begin() as session:
            return session.execute(
                delete(InboxItem).where(InboxItem.status.in_(("done", "failed")), InboxItem.finished_at < cutoff)
            ).rowcount
