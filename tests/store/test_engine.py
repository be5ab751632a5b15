"""Engine construction: URL forms PaaS platforms give, and SQLite paths that don't exist yet."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from guidebot.store import make_engine
from guidebot.store.db import normalise_url


@pytest.mark.parametrize(
    "given",
    [
        "postgres://u:p%40ss@db.example:5432/app",
        "postgresql://u:p%40ss@db.example:5432/app",
        "postgresql+psycopg://u:p%40ss@db.example:5432/app",
    ],
)
def test_postgres_urls_are_rewritten_to_psycopg(given: str) -> None:
    url = normalise_url(given)
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "u",
        "p@ss",
        "db.example",
        5432,
        "app",
    )


def test_make_engine_uses_psycopg_for_a_paas_url() -> None:
    engine = make_engine("postgres://u:p@db.example:5432/app")  # no connection is made
    try:
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_other_drivers_are_left_alone() -> None:
    assert normalise_url("sqlite:///var/guidebot.db").drivername == "sqlite"


def test_make_engine_creates_the_folder_of_a_new_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert path.parent.is_dir()
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert path.exists()
    finally:
        engine.dispose()


def test_make_engine_accepts_in_memory_sqlite() -> None:
    engine = make_engine("sqlite://")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
