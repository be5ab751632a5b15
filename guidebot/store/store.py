"""The few queries the rest of guidebot needs, behind one small class the Slack layer holds."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from guidebot.store.cases import Cases
from guidebot.store.checklist_runs import ChecklistRuns
from guidebot.store.db import make_engine, now_or, upgrade
from guidebot.store.inbox import Inbox
from guidebot.store.models import VOTES, Feedback, ProcessedEvent
from guidebot.store.outbox import Outbox
from guidebot.store.quiz_rounds import QuizRounds
from guidebot.store.reminders import Reminders

DOC_IDS_MAX = 1000
REMINDER_RETENTION = timedelta(days=90)
CHECKLIST_TTL = timedelta(days=30)


class FeedbackView(BaseModel):
    """One vote as `guidebot feedback` shows it: what a content editor needs to add a question from a miss."""

    created_at: datetime
    vote: str
    doc_ids: list[str]
    answer_id: str
    question: str | None = None


class Store:
    """Feedback, processed events, the inbox and the outbox over one engine; thread-safe (a session per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.inbox = Inbox(engine)
        self.outbox = Outbox(engine)
        self.reminders = Reminders(engine)
        self.cases = Cases(engine)
        self.checklist_runs = ChecklistRuns(engine)
        self.quiz_rounds = QuizRounds(engine)

    @classmethod
    def from_url(cls, url: str, *, migrate: bool = True) -> Store:
        """Open the database at `url`, migrating to head first when asked (how the app migrates at start)."""
        if migrate:
            upgrade(url)
        return cls(make_engine(url))

    def record_feedback(
        self,
        answer_id: str,
        doc_ids: list[str],
        vote: str,
        question: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Store one vote on an answer. Pass `question` only when the operator set GUIDEBOT_LOG_QUESTIONS."""
        if vote not in VOTES:
            raise ValueError(f"unknown vote {vote!r}; expected one of {VOTES}")
        if any("," in doc_id for doc_id in doc_ids):
            raise ValueError("document ids must not contain ','")
        joined = ",".join(doc_ids)
        if len(joined) > DOC_IDS_MAX:
            raise ValueError(f"document ids exceed {DOC_IDS_MAX} characters when joined")
        row = Feedback(answer_id=answer_id, doc_ids=joined, vote=vote, question=question)
        row.created_at = now_or(now)
        with self._sessions.begin() as session:
            session.add(row)

    def claim_event(self, key: str, now: datetime | None = None) -> bool:
        """True the first time `key` is seen, False ever after, also when processes race for it.

        INSERT ... ON CONFLICT DO NOTHING: the database decides the winner, no exception on the losing side.
        """
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        statement = (
            insert(ProcessedEvent)
            .values(key=key, seen_at=now_or(now))
            .on_conflict_do_nothing()
            .returning(ProcessedEvent.key)  # rowcount is -1 here on psycopg; a returned row is unambiguous
        )
        with self._sessions.begin() as session:
            return session.execute(statement).first() is not None

    def purge_events(self, older_than: timedelta = timedelta(hours=24), now: datetime | None = None) -> int:
        """Forget events seen before `now - older_than` (Slack stops retrying after ~5 min); rows deleted."""
        cutoff = now_or(now) - older_than
        with self._sessions.begin() as session:
            return session.execute(delete(ProcessedEvent).where(ProcessedEvent.seen_at < cutoff)).rowcount

    def purge(self, now: datetime | None = None, checklist_ttl: timedelta = CHECKLIST_TTL) -> dict[str, int]:
        """Apply every retention rule (events 24 h, answered requests 24 h, sent messages 7 days, reminders
        90 days after their contact window, checklist runs idle for GUIDEBOT_CHECKLIST_TTL_DAYS, quiz rounds 30 days); rows deleted."""
        now = now_or(now)
        return {
            "checklist_runs": self.checklist_runs.expire(checklist_ttl, now=now),
            "processed_events": self.purge_events(now=now),
            "inbox": self.inbox.purge(now=now),
            "outbox": self.outbox.purge(now=now),
            "reminders": self.reminders.purge((now - REMINDER_RETENTION).date()),
            "quiz_rounds": self.quiz_rounds.purge(now=now),
        }

    def feedback(
        self, vote: str | None = "not_helpful", since: datetime | None = None, limit: int = 200
    ) -> list[FeedbackView]:
        """Votes newest first: one kind (None for both), from `since` on, at most `limit` of them."""
        if vote is not None and vote not in VOTES:
            raise ValueError(f"unknown vote {vote!r}; expected one of {VOTES}")
        query = select(Feedback).order_by(Feedback.created_at.desc(), Feedback.id.desc()).limit(limit)
        if vote is not None:
            query = query.where(Feedback.vote == vote)
        if since is not None:
            query = query.where(Feedback.created_at >= since)
        with Session(self.engine) as session:
            rows = session.scalars(query).all()
        return [
            FeedbackView(
                created_at=row.created_at,
                vote=row.vote,
                doc_ids=[d for d in row.doc_ids.split(",") if d],
                answer_id=row.answer_id,
                question=row.question,
            )
            for row in rows
        ]

    def feedback_counts(self) -> dict[str, int]:
        """Votes per kind, every kind present (zero when none), for `guidebot doctor` and tests."""
        with Session(self.engine) as session:
            rows = session.execute(select(Feedback.vote, func.count()).group_by(Feedback.vote)).all()
        counts = dict.fromkeys(VOTES, 0)
        counts.update({vote: count for vote, count in rows})
        return counts
