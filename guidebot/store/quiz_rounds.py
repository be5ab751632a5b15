"""The quiz_rounds and quiz_answers tables: a round's place and everyone's answers, kept in the database so a
group quiz survives a restart and any worker can take a click.

Every change is one conditional UPDATE on the round's row (its position and state in the WHERE): the database
picks the winner when clicks race, and the row lock orders an answer against the reveal, so an answer either
counts before the reveal or is refused after it. Rows hold Slack ids, question ids and choices only.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from guidebot.store.db import now_or
from guidebot.store.models import QuizAnswer, QuizRound

ROUND_RETENTION = timedelta(days=30)


class Answered(StrEnum):
    recorded = "recorded"
    changed = "changed"
    unchanged = "unchanged"
    closed = "closed"  # revealed, moved on, stopped, or a button from another round


@dataclass(frozen=True)
class RoundRow:
    id: str
    mode: str
    channel: str
    owner: str
    questions: tuple[str, ...]
    position: int
    state: str
    changes: int
    shown: int
    shown_at: datetime | None
    view_position: int
    view_seq: int
    created_at: datetime


def _row(r: QuizRound) -> RoundRow:
    return RoundRow(
        id=r.id,
        mode=r.mode,
        channel=r.channel,
        owner=r.owner,
        questions=tuple(json.loads(r.questions)),
        position=r.position,
        state=r.state,
        changes=r.changes,
        shown=r.shown,
        shown_at=r.shown_at,
        view_position=r.view_position,
        view_seq=r.view_seq,
        created_at=r.created_at,
    )


class QuizRounds:
    """Queries over quiz rounds; thread-safe (a session per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def start(
        self, mode: str, channel: str, owner: str, questions: Sequence[str], now: datetime | None = None
    ) -> RoundRow:
        row = QuizRound(
            id=secrets.token_hex(8),
            mode=mode,
            channel=channel,
            owner=owner,
            questions=json.dumps(list(questions)),
            position=0,
            state="asking",
            changes=0,
            shown=0,
            view_position=0,
            view_seq=0,
            created_at=now_or(now),
        )
        with self._sessions.begin() as session:
            session.add(row)
        return _row(row)

    def get(self, round_id: str) -> RoundRow | None:
        with Session(self.engine) as session:
            found = session.get(QuizRound, round_id)
            return _row(found) if found else None

    def _bump(self, session: Session, round_id: str, at: int, states: Sequence[str], **values: object) -> bool:
        """The one conditional UPDATE every change goes through, at question `at` in one of `states` (it also
        locks the row until commit)."""
        result = session.execute(
            update(QuizRound)
            .where(QuizRound.id == round_id, QuizRound.position == at, QuizRound.state.in_(states))
            .values(changes=QuizRound.changes + 1, **values)
        )
        return result.rowcount == 1

    def answer(self, round_id: str, position: int, user: str, choice: int, now: datetime | None = None) -> Answered:
        """Record (or change) `user`'s answer to the question at `position`, while it is still being asked."""
        now = now_or(now)
        with self._sessions.begin() as session:
            if not self._bump(session, round_id, position, ("asking",)):
                return Answered.closed
            key = (round_id, position, user)
            existing = session.get(QuizAnswer, key, with_for_update=True)
            if existing is None:
                session.add(
                    QuizAnswer(round_id=round_id, position=position, user_id=user, choice=choice, answered_at=now)
                )
                return Answered.recorded
            if existing.choice == choice:
                return Answered.unchanged
            existing.choice, existing.answered_at = choice, now
            return Answered.changed

    def answer_and_move_on(
        self, round_id: str, position: int, user: str, choice: int, now: datetime | None = None
    ) -> bool:
        """A solo round: record the owner's answer and go to the next question (or finish); False when stale."""
        now = now_or(now)
        with self._sessions.begin() as session:
            found = session.get(QuizRound, round_id)
            if found is None or found.owner != user:
                return False
            last = position + 1 >= len(json.loads(found.questions))
            moved = self._bump(
                session,
                round_id,
                position,
                ("asking",),
                position=position + (0 if last else 1),
                state="finished" if last else "asking",
            )
            if moved:
                session.add(
                    QuizAnswer(round_id=round_id, position=position, user_id=user, choice=choice, answered_at=now)
                )
            return moved

    def reveal(self, round_id: str, position: int) -> bool:
        with self._sessions.begin() as session:
            return self._bump(session, round_id, position, ("asking",), state="revealed")

    def advance(self, round_id: str, position: int) -> str | None:
        """After a reveal: the next question ("next"), or the end ("finished"); None when stale."""
        with self._sessions.begin() as session:
            found = session.get(QuizRound, round_id)
            if found is None:
                return None
            last = position + 1 >= len(json.loads(found.questions))
            values = {"state": "finished"} if last else {"state": "asking", "position": position + 1}
            return (
                ("finished" if last else "next")
                if self._bump(session, round_id, position, ("revealed",), **values)
                else None
            )

    def stop(self, round_id: str, position: int) -> bool:
        with self._sessions.begin() as session:
            return self._bump(session, round_id, position, ("asking", "revealed"), state="stopped")

    def tally(self, round_id: str, position: int) -> dict[int, int]:
        """Answers per choice to one question."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(QuizAnswer.choice, func.count())
                .where(QuizAnswer.round_id == round_id, QuizAnswer.position == position)
                .group_by(QuizAnswer.choice)
            ).all()
        return {choice: count for choice, count in rows}

    def answers(self, round_id: str) -> list[tuple[int, str, int]]:
        """Every answer of a round as (position, user, choice)."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(QuizAnswer.position, QuizAnswer.user_id, QuizAnswer.choice)
                .where(QuizAnswer.round_id == round_id)
                .order_by(QuizAnswer.position, QuizAnswer.user_id)
            ).all()
        return [(p, u, c) for p, u, c in rows]

    def stale_views(self, now: datetime, gap: timedelta) -> list[RoundRow]:
        """Group rounds whose channel message is behind (changed, or moved on) and was last updated before
        `now - gap`."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(QuizRound).where(
                    QuizRound.mode == "group",
                    (QuizRound.changes > QuizRound.shown) | (QuizRound.view_position < QuizRound.position),
                    (QuizRound.shown_at.is_(None)) | (QuizRound.shown_at <= now - gap),
                )
            ).all()
        return [_row(r) for r in rows]

    def shown_view(self, seen: RoundRow, view_position: int, shown: int, now: datetime) -> bool:
        """Record that the view drawn from `seen` was queued; False when another refresher got there first."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(QuizRound)
                .where(QuizRound.id == seen.id, QuizRound.view_seq == seen.view_seq)
                .values(view_seq=seen.view_seq + 1, shown=shown, shown_at=now, view_position=view_position)
            )
            return result.rowcount == 1

    def purge(self, older_than: timedelta = ROUND_RETENTION, now: datetime | None = None) -> int:
        """Delete rounds (and their answers) started before `now - older_than`; rounds deleted."""
        cutoff = now_or(now) - older_than
        with self._sessions.begin() as session:
            old = select(QuizRound.id).where(QuizRound.created_at < cutoff)
            session.execute(delete(QuizAnswer).where(QuizAnswer.round_id.in_(old)))
            return session.execute(delete(QuizRound).where(QuizRound.created_at < cutoff)).rowcount
