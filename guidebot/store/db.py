"""Engines and migrations: the same code and Alembic revisions run on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import InstrumentedAttribute, Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def normalise_url(url: str) -> URL:
    """PaaS platforms hand out `postgres://` or `postgresql://`; we always drive PostgreSQL via psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None for in-memory databases."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None
    return Path(url.database)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its folder created, a 30 s lock wait, WAL (readers don't block)."""
    parsed = normalise_url(url)
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    sqlite_file = _sqlite_file(parsed)
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": 30}
        if sqlite_file is not None:
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, **kwargs)
    if sqlite_file is not None:
        event.listen(engine, "connect", _set_sqlite_wal)
    return engine


def _set_sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    """WAL, so readers never block the writer; synchronous=NORMAL, so a commit does not wait for the disk:
    in WAL mode that is still safe when the process is killed (what the inbox guards against), and loses at
    most the last commits if the machine itself loses power. PostgreSQL is the choice where that matters."""
    cursor = dbapi_connection.cursor()
    try:
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any, patience: float = 30.0) -> None:
    """WAL is kept in the file, so only a new database switches. Switching needs the file to itself, and SQLite
    answers "database is locked" at once, without its busy timeout, when several processes open a new database
    together (web and worker at first start): wait for the one doing it instead of failing."""
    deadline = time.monotonic() + patience
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config built in code, so migrations run from any directory and from an installed package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # ConfigParser interpolates '%': escape it (URL-encoded passwords contain it).
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest revision; safe to run on every start."""
    command.upgrade(alembic_config(url), "head")


def head_revision() -> str:
    """The newest revision shipped with this package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no Alembic revisions under {MIGRATIONS_DIR}")
    return head


def current_revision(url: str) -> str | None:
    """The revision the database is at; None when never migrated (a missing SQLite file is not created)."""
    sqlite_file = _sqlite_file(normalise_url(url))
    if sqlite_file is not None and not sqlite_file.exists():
        return None
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def now_or(now: datetime | None) -> datetime:
    """`now` when a caller (a test, a replayed clock) gives one, else the current UTC time."""
    return datetime.now(UTC) if now is None else now


def status_counts(
    engine: Engine, column: InstrumentedAttribute[str] | Column[str], statuses: Sequence[str]
) -> dict[str, int]:
    """Rows per value of a status column, every status present (zero when none)."""
    with Session(engine) as session:
        rows = session.execute(select(column, func.count()).group_by(column)).all()
    counts = dict.fromkeys(statuses, 0)
    counts.update({status: count for status, count in rows})
    return counts
