"""What the listeners need from outside, passed in by the composition root (never read from globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from guidebot.config import Settings
from guidebot.search.models import Answer
from guidebot.store import Store


class Asker(Protocol):
    """The search engine's one call (guidebot.search.engine.Engine)."""

    def ask(self, question: str, *, top: int = 5, context: str | None = None) -> Answer: ...


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Asker
    store: Store
    wake: Callable[[], None] = lambda: None
