"""What the listeners need from outside, passed in by the composition root (never read from globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from slack_sdk import WebClient

from guidebot.config import Settings
from guidebot.delivery import Outgoing
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
    # job kind -> the function that answers it (handlers/jobs.py); each feature adds its own when registered
    answerers: dict[str, Answerer] = field(default_factory=dict)
    # what the reminders need (programmes, calendar, clocks); None when reminders are not set up
    schedule: Any = None
    # the checklists that loaded (knowledge/checklists/), by id
    checklists: dict[str, Any] = field(default_factory=dict)
    # the learning content (guidebot.learn.content.Library): glossary, programme facts, tour, quiz
    library: Any = None


# Answers one stored request (its payload) with the replies to send.
Answerer = Callable[[Services, dict[str, Any], WebClient], list[Outgoing]]
