"""Fixtures for the knowledge tests: the shipped knowledge, loaded once."""

from __future__ import annotations

import pytest

from guidebot.knowledge.loader import Knowledge, load_knowledge
from tests.helpers_core import SHIPPED_KNOWLEDGE


@pytest.fixture(scope="session")
def shipped() -> Knowledge:
    return load_knowledge(SHIPPED_KNOWLEDGE)
