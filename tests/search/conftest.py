"""One Engine over the shipped knowledge, indexed once per session in a tmp folder, shared by search tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebot.config import Settings
from guidebot.search.engine import Engine
from tests.helpers_core import SHIPPED_KNOWLEDGE, copy_shipped


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    index_dir = tmp_path_factory.mktemp("core-index") / "index"
    return Engine.from_settings(Settings(knowledge_dir=SHIPPED_KNOWLEDGE, index_dir=index_dir))


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    """The shipped knowledge with only the BBR document: an index that builds in seconds."""
    root = copy_shipped(tmp_path / "knowledge")
    for doc in (root / "documents").glob("*.md"):
        if not doc.name.startswith("bbr-"):
            doc.unlink()
    return root
