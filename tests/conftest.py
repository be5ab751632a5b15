"""Shared fixtures: one real Engine over ./knowledge (tmp index), one real Store on a tmp SQLite file, and
`db_url` / `store`: a fresh empty database per test on SQLite and, with PG_URL set, on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from guidebot.config import Settings
from guidebot.store import Store
from guidebot.store.db import normalise_url


@pytest.fixture(scope="session")
def knowledge_engine(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The real search engine over the shipped knowledge, indexed once per test session."""
    from guidebot.search.engine import Engine

    return Engine.from_settings(Settings(index_dir=tmp_path_factory.mktemp("index") / "ix"))


@pytest.fixture(scope="session")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A migrated Store on a fresh SQLite file; tests use unique ids, so one per session is enough."""
    from guidebot.store import Store

    path: Path = tmp_path_factory.mktemp("db") / "guidebot.db"
    return Store.from_url(f"sqlite:///{path}", migrate=True)


def _pg_admin_url() -> str:
    """PG_URL, or skip; in CI (CI=true) a missing PG_URL fails, so PostgreSQL is never skipped silently."""
    url = os.environ.get("PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but PG_URL is unset: the PostgreSQL store tests must run in CI")
        pytest.skip("PG_URL is unset (e.g. postgresql+psycopg://postgres@127.0.0.1:54329/guidebot_test)")
    return url


def _fresh_pg_database(admin_url: str) -> Iterator[str]:
    """Create a uniquely named database next to PG_URL's, yield its URL, then drop it."""
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    name = f"guidebot_t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield normalise_url(admin_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database; nothing migrated yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'guidebot.db'}"
    else:
        yield from _fresh_pg_database(_pg_admin_url())


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A Store over a freshly migrated database."""
    opened = Store.from_url(db_url)
    yield opened
    opened.engine.dispose()


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the shipped knowledge for the command-line tests (the first command builds it)."""
    return tmp_path_factory.mktemp("cli-index") / "index"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, index_dir: Path) -> dict[str, str]:
    """The environment of a terminal-only user: shipped knowledge, a fresh SQLite file, no Slack, no admins."""
    from tests.helpers_core import SHIPPED_KNOWLEDGE

    values = {
        "GUIDEBOT_INDEX_DIR": str(index_dir),
        "GUIDEBOT_KNOWLEDGE_DIR": str(SHIPPED_KNOWLEDGE),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'guidebot.db'}",
        "COLUMNS": "300",
    }
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "GUIDEBOT_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values
