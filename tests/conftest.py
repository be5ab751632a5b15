"""Shared fixtures: one real Engine over ./knowledge (tmp index) and one real Store on a tmp SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebot.config import Settings


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
