"""One Engine over the shipped knowledge, indexed once per session in a tmp folder, shared by search tests."""

from __future__ import annotations

import pytest

from guidebot.config import Settings
from guidebot.search.engine import Engine
from tests.helpers_core import SHIPPED_KNOWLEDGE


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    index_dir = tmp_path_factory.mktemp("core-index") / "index"
    return Engine.from_settings(Settings(knowledge_dir=SHIPPED_KNOWLEDGE, index_dir=index_dir))
