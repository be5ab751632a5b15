"""The cases table: add, change, list and close cases; a CSV import is one transaction.

Only what `CaseIn` allows is written (a reference, a programme, dates, Slack ids, a status): who made a change
is not stored, since the table holds nothing else about a person (reliability.md §6).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from guidebot.cases.models import CASE_STATUSES, CaseIn, CaseView
from guidebot.store.db import now_or
from guidebot.store.models import Case

Outcome = Literal["added", "updated", "unchanged"]
OUTCOMES: tuple[Outcome, ...] = ("added", "updated", "unchanged")
OPEN_STATUSES = ("active", "paused")

_T = TypeVar("_T")


class CaseNotFound(LookupError):
    """No case has this reference."""


def _join_dates(dates: Sequence[date]) -> str | None:
    return ",".join(day.isoformat() for day in dates) or None


def _split_dates(stored: str | None) -> tuple[date, ...]:
    return tuple(date.fromisoformat(part) for part in (stored or "").split(",") if part)


def _view(row: Case) -> CaseView:
    return CaseView(
        case_ref=row.case_ref,
        programme=row.programme,
        group_start=row.group_start,
        gap_weeks=_split_dates(row.gap_weeks),
        om=row.om,
        team_channel=row.team_channel,
        order_date=row.order_date,
        status=row.status,  # type: ignore[arg-type]  # the CHECK constraint keeps it one of CASE_STATUSES
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _columns(case: CaseIn) -> dict[str, Any]:
    """The columns a CaseIn sets; status only when the input names one."""
    columns: dict[str, Any] = {
        "programme": case.programme,
        "group_start": case.group_start,
        "gap_weeks": _join_dates(case.gap_weeks),
        "om": case.om,
        "team_channel": case.team_channel,
        "order_date": case.order_date,
    }
    if case.status is not None:
        columns["status"] = case.status
    return columns


def _upsert_in(session: Session, case: CaseIn, now: datetime) -> Outcome:
    """Add or change one case inside the caller's transaction; no write at all when nothing differs."""
    row = session.execute(select(Case).where(Case.case_ref == case.case_ref)).scalar_one_or_none()
    columns = _columns(case)
    if row is None:
        columns.setdefault("status", "active")
        session.add(Case(case_ref=case.case_ref, created_at=now, updated_at=now, **columns))
        session.flush()  # a database refusal surfaces here, at this row
        return "added"
    changed = {name: value for name, value in columns.items() if getattr(row, name) != value}
    if not changed:
        return "unchanged"
    for name, value in changed.items():
        setattr(row, name, value)
    row.updated_at = now
    session.flush()
    return "updated"


class Cases:
    """Queries over the cases table; thread-safe (a session per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def upsert(self, case: CaseIn, by: str, now: datetime | None = None) -> Outcome:
        """Add the case or bring it in line with `case`; "unchanged" writes nothing and keeps `updated_at`.

        `by` (a Slack user id, or "cli") is who asked: the caller checks `can_change` first; it is not stored.
        """
        return self._retrying(lambda session: _upsert_in(session, case, now_or(now)))

    def import_rows(self, rows: Sequence[CaseIn], now: datetime | None = None, by: str = "cli") -> dict[str, int]:
        """Upsert every row in ONE transaction (a database refusal writes nothing); counts per outcome.

        A reference repeated in `rows` is applied in order, so the last row wins.
        """
        moment = now_or(now)

        def apply(session: Session) -> dict[str, int]:
            counts = dict.fromkeys(OUTCOMES, 0)
            for row in rows:
                counts[_upsert_in(session, row, moment)] += 1
            return counts

        return self._retrying(apply)

    def get(self, case_ref: str) -> CaseView | None:
        """The case with this reference (any status), or None; the reference is compared upper-cased."""
        with Session(self.engine) as session:
            row = session.execute(select(Case).where(Case.case_ref == case_ref.strip().upper())).scalar_one_or_none()
            return None if row is None else _view(row)

    def list(
        self,
        om: str | None = None,
        team_channel: str | None = None,
        statuses: Collection[str] | None = OPEN_STATUSES,
    ) -> builtins.list[CaseView]:
        """Cases by reference, narrowed to an OM and/or a team channel; `statuses=None` includes closed ones."""
        query = select(Case).order_by(Case.case_ref)
        if om is not None:
            query = query.where(Case.om == om)
        if team_channel is not None:
            query = query.where(Case.team_channel == team_channel)
        if statuses is not None:
            query = query.where(Case.status.in_(tuple(statuses)))
        with Session(self.engine) as session:
            return [_view(row) for row in session.execute(query).scalars()]

    def set_status(self, case_ref: str, status: str, by: str, now: datetime | None = None) -> CaseView:
        """Pause, resume, complete or withdraw a case; setting the status it already has writes nothing.

        Raises ValueError for an unknown status and CaseNotFound for an unknown reference. `by` as in `upsert`.
        """
        if status not in CASE_STATUSES:
            raise ValueError(f"status: unknown status (expected one of {', '.join(CASE_STATUSES)})")
        with self._sessions.begin() as session:
            row = session.execute(
                select(Case).where(Case.case_ref == case_ref.strip().upper()).with_for_update()
            ).scalar_one_or_none()
            if row is None:
                raise CaseNotFound("case_ref: no such case")
            if row.status != status:
                row.status = status
                row.updated_at = now_or(now)
            return _view(row)

    def can_change(self, case_ref: str, user_id: str, admins: frozenset[str]) -> bool:
        """Only the case's OM and GUIDEBOT_ADMINS may change a case; an unknown case only an admin."""
        if user_id in admins:
            return True
        with Session(self.engine) as session:
            om = session.execute(select(Case.om).where(Case.case_ref == case_ref.strip().upper())).scalar_one_or_none()
        return om is not None and om == user_id

    def _retrying(self, work: Callable[[Session], _T]) -> _T:
        """Run `work(session)` in a transaction, once more if another process added the same case meanwhile."""
        try:
            with self._sessions.begin() as session:
                return work(session)
        except IntegrityError:
            with self._sessions.begin() as session:
                return work(session)
