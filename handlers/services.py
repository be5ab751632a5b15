"""What the listeners need from outside, passed in by the composition root (never read from globals)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from slack_sdk.http_retry import RetryHandler
from slack_sdk.webhook import WebhookClient

from guidebot.config import Settings
from guidebot.search.models import Answer


class Asker(Protocol):
    """The search engine's one call (guidebot.search.engine.Engine)."""

    def ask(self, question: str, *, top: int = 5, context: str | None = None) -> Answer: ...


class FeedbackStore(Protocol):
    """The store calls the Slack side makes (guidebot.store.Store)."""

    def record_feedback(self, answer_id: str, doc_ids: list[str], vote: str, question: str | None = None) -> None: ...

    def claim_event(self, key: str) -> bool: ...


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Asker
    store: FeedbackStore
    slack_logger: logging.Logger
    retry_handlers: tuple[RetryHandler, ...] = ()

    def webhook(self, response_url: str) -> WebhookClient:
        """A client for a payload's response_url, with our retries and our redacted logger.

        Bolt's `respond` builds one without either, and slack_sdk's webhook logger prints bodies at DEBUG.
        """
        return WebhookClient(response_url, logger=self.slack_logger, retry_handlers=list(self.retry_handlers))
