"""The checklist_runs table: one row per walk through a checklist, so a run survives a restart and resumes.

Every save is `UPDATE ... WHERE id = ? AND version = ?` with the version raised by one: the database picks the
one winner when a double click, a stale button or a second process saves the same step, and the losers change
nothing. Rows hold Slack ids, checklist and step ids, answers, an outcome, a case reference and a note the
caller has screened (guidebot.checklists.privacy): nothing else about a person (reliability.md §6).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from guidebot.store.db import now_or, status_counts
from guidebot.store.models import ChecklistRun

RUN_STATUSES = ("active", "finished", "cancelled")

# An answer as the engine records it: a choice or yes/no id, a number, or an ISO date string (JSON-safe).
Answer = str | int | float | bool
Answers = tuple[tuple[str, Answer], ...]

# Column widths, checked here so SQLite (which ignores VARCHAR lengths) refuses what PostgreSQL would.
_LIMITS = {"user_id": 32, "checklist_id": 64, "case_ref": 32, "outcome": 64}


class Keep(Enum):
    """`save(note=KEEP)`: leave the stored note as it is (None would clear it)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class RunRow:
    """A run as stored; `answers` in the order given, as (step_id, answer) pairs."""

    id: str
    user_id: str
    checklist_id: str
    answers: Answers
    outcome: str | None
    case_ref: str | None
    note: str | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


def _encode(answers: Sequence[tuple[str, Answer]]) -> str:
    """JSON list of [step_id, answer]; a pair that is not a str step id and a JSON scalar is a caller's bug."""
    pairs: list[list[Any]] = []
    for step_id, answer in answers:
        if not isinstance(step_id, str) or not isinstance(answer, str | int | float | bool):
            raise TypeError(f"answers must be (step_id: str, answer: str|int|float|bool) pairs, got {step_id!r}")
        pairs.append([step_id, answer])
    return json.dumps(pairs, separators=(",", ":"))


def _decode(stored: str) -> Answers:
    return tuple((step_id, answer) for step_id, answer in json.loads(stored))


def _row(run: ChecklistRun) -> RunRow:
    return RunRow(
        id=run.id,
        user_id=run.user_id,
        checklist_id=run.checklist_id,
        answers=_decode(run.answers),
        outcome=run.outcome,
        case_ref=run.case_ref,
        note=run.note,
        status=run.status,
        version=run.version,
        created_at=run.created_at,
        updated_at=run.updated_at,
    )


def _check_lengths(**values: str | None) -> None:
    for name, value in values.items():
        if value is not None and len(value) > _LIMITS[name]:
            raise ValueError(f"{name} is longer than {_LIMITS[name]} characters")


class ChecklistRuns:
    """Queries over checklist runs; thread-safe (a session per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def create(
        self, user_id: str, checklist_id: str, case_ref: str | None = None, now: datetime | None = None
    ) -> RunRow:
        """Start a run at version 0 with no answers; the id is random, so a button cannot guess another's run."""
        _check_lengths(user_id=user_id, checklist_id=checklist_id, case_ref=case_ref)
        now = now_or(now)
        run = ChecklistRun(
            id=secrets.token_hex(16),
            user_id=user_id,
            checklist_id=checklist_id,
            answers="[]",
            outcome=None,
            case_ref=case_ref,
            note=None,
            status="active",
            version=0,
            created_at=now,
            updated_at=now,
        )
        with self._sessions.begin() as session:
            session.add(run)
        return _row(run)

    def get(self, run_id: str) -> RunRow | None:
        """The run, or None when it never existed or has expired."""
        with Session(self.engine) as session:
            run = session.get(ChecklistRun, run_id)
            return None if run is None else _row(run)

    def save(
        self,
        run_id: str,
        *,
        expected_version: int,
        answers: Sequence[tuple[str, Answer]],
        outcome: str | None,
        status: str,
        note: str | Keep | None = KEEP,
        case_ref: str | Keep | None = KEEP,
        now: datetime | None = None,
    ) -> RunRow | None:
        """Write the run's new state if it is still at `expected_version`, raising the version by one.

        None when the run is gone or has moved on (a double click, a stale button, another process): nothing
        is changed then, and the caller re-reads with `get` to show the current step.
        """
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {RUN_STATUSES}")
        _check_lengths(outcome=outcome, case_ref=None if case_ref is KEEP else case_ref)
        values: dict[str, Any] = {
            "answers": _encode(answers),
            "outcome": outcome,
            "status": status,
            "version": ChecklistRun.version + 1,
            "updated_at": now_or(now),
        }
        if note is not KEEP:
            values["note"] = note
        if case_ref is not KEEP:
            values["case_ref"] = case_ref
        statement = (
            update(ChecklistRun)
            .where(ChecklistRun.id == run_id, ChecklistRun.version == expected_version)
            .values(values)
            .returning(ChecklistRun)
        )
        with self._sessions.begin() as session:
            run = session.execute(statement).scalars().first()
            return None if run is None else _row(run)

    def unfinished(self, user_id: str) -> list[RunRow]:
        """The user's active runs, most recently touched first (App Home's "Resume" list)."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(ChecklistRun)
                .where(ChecklistRun.user_id == user_id, ChecklistRun.status == "active")
                .order_by(ChecklistRun.updated_at.desc(), ChecklistRun.created_at.desc(), ChecklistRun.id)
            ).scalars()
            return [_row(run) for run in rows]

    def expire(self, ttl: timedelta, now: datetime | None = None) -> int:
        """Delete runs untouched for longer than `ttl` (GUIDEBOT_CHECKLIST_TTL_DAYS); rows deleted.

        One rule for every status: an active run idle that long is abandoned, and a finished or cancelled one
        was last saved (its end) that long ago, so neither is kept past the retention period.
        """
        cutoff = now_or(now) - ttl
        with self._sessions.begin() as session:
            return session.execute(delete(ChecklistRun).where(ChecklistRun.updated_at < cutoff)).rowcount

    def counts(self) -> dict[str, int]:
        """Runs per status, every status present (for `guidebot doctor` and the benchmarks)."""
        return status_counts(self.engine, ChecklistRun.status, RUN_STATUSES)
