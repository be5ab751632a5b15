"""Tables of the store. Ids, votes, case references and dates: no names, no personal details (reliability.md §6)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

VOTES = ("helpful", "not_helpful")

# Stable constraint names, so batch migrations on SQLite can drop and recreate them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in and out (SQLite would hand back naive datetimes); naive input is a bug, so refuse it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime; use a timezone-aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Feedback(Base):
    """A thumbs up/down on one answer; `question` is only stored when GUIDEBOT_LOG_QUESTIONS is on."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[str] = mapped_column(String(64), index=True)
    doc_ids: Mapped[str] = mapped_column(String(1000))
    vote: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    question: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (CheckConstraint("vote IN ('helpful', 'not_helpful')", name="vote"),)


class ProcessedEvent(Base):
    """One row per Slack delivery already handled, so retries are answered once across web processes."""

    __tablename__ = "processed_events"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


INBOX_STATUSES = ("pending", "working", "done", "failed")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class InboxItem(Base):
    """A request acknowledged to Slack and not yet answered; `payload` is cleared once it is answered."""

    __tablename__ = "inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'working', 'done', 'failed')", name="status"),
        Index("ix_inbox_status_received_at", "status", "received_at"),
    )


class OutboxMessage(Base):
    """One message to send to Slack; `key` makes enqueueing idempotent, `uncertain` means check before resending.

    `payload` (the message) is cleared once it is sent or has failed; the row stays for the retention period.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    ts: Mapped[str | None] = mapped_column(String(32), default=None)
    error: Mapped[str | None] = mapped_column(String(64), default=None)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status"),
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )


CASE_STATUSES = ("active", "paused", "completed", "withdrawn")
CONTACT_OUTCOMES = ("done", "not_seen")
REMINDER_STATUSES = ("planned", "sent", "skipped", "cancelled")


class Case(Base):
    """A case guidebot reminds about: its reference only, never a name (GUIDEBOT_CASE_REF_PATTERN)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(32), unique=True)
    programme: Mapped[str] = mapped_column(String(16))
    group_start: Mapped[date | None] = mapped_column(Date, default=None)
    gap_weeks: Mapped[str | None] = mapped_column(String(400), default=None)  # ISO dates, comma-separated
    om: Mapped[str] = mapped_column(String(32), index=True)
    team_channel: Mapped[str] = mapped_column(String(32), index=True)
    order_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (CheckConstraint("status IN ('active', 'paused', 'completed', 'withdrawn')", name="status"),)


class Contact(Base):
    """What an OM recorded about one contact owed (rule + due date): done, or not seen and why."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(32))
    due_date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32), default=None)
    recorded_by: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    __table_args__ = (
        UniqueConstraint("case_ref", "rule", "due_date", name="uq_contacts_case_rule_due"),
        CheckConstraint("outcome IN ('done', 'not_seen')", name="outcome"),
    )


class Reminder(Base):
    """One planned send (unique per case, rule, due date and stage); the dispatcher hands it to the outbox."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(32))
    due_date: Mapped[date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(32))
    send_at: Mapped[datetime] = mapped_column(UTCDateTime())
    window_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (
        UniqueConstraint("case_ref", "rule", "due_date", "stage", name="uq_reminders_send"),
        CheckConstraint("status IN ('planned', 'sent', 'skipped', 'cancelled')", name="status"),
        Index("ix_reminders_status_send_at", "status", "send_at"),
        Index("ix_reminders_case_ref", "case_ref"),
    )


class Digest(Base):
    """One team digest per channel and week, so a restart or a second worker never posts it twice."""

    __tablename__ = "digests"

    team_channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkerPass(Base):
    """When a worker last finished a pass of each job (planner, dispatcher, digests), for `guidebot doctor`."""

    __tablename__ = "worker_passes"

    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    summary: Mapped[str] = mapped_column(String(200))


class ChecklistRun(Base):
    """One user's walk through a checklist, resumable after a restart; `version` rises on every save, so a
    double click or a stale button (an old version) changes nothing. The note is screened for personal data."""

    __tablename__ = "checklist_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    checklist_id: Mapped[str] = mapped_column(String(64))
    answers: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of [step_id, answer] pairs
    outcome: Mapped[str | None] = mapped_column(String(64), default=None)
    case_ref: Mapped[str | None] = mapped_column(String(32), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="active")
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    __table_args__ = (CheckConstraint("status IN ('active', 'finished', 'cancelled')", name="status"),)


class QuizRound(Base):
    """A quiz round: solo (in a DM) or a group one run by a facilitator in a channel. `changes` rises with every
    answer, reveal and move; `shown` is the `changes` its channel message last showed (the view refresher sends an
    update when they differ, one in flight and at most one a second per round)."""

    __tablename__ = "quiz_rounds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(String(32))
    questions: Mapped[str] = mapped_column(Text)  # JSON list of quiz question ids, in the order asked
    position: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default="asking")
    changes: Mapped[int] = mapped_column(Integer, default=0)
    shown: Mapped[int] = mapped_column(Integer, default=0)
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    view_position: Mapped[int] = mapped_column(Integer, default=0)
    view_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    __table_args__ = (
        CheckConstraint("mode IN ('solo', 'group')", name="mode"),
        CheckConstraint("state IN ('asking', 'revealed', 'finished', 'stopped')", name="state"),
    )


class QuizAnswer(Base):
    """One person's answer to one question of a round (changeable until the reveal): one row per person."""

    __tablename__ = "quiz_answers"

    round_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    choice: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
