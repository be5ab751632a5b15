"""The Slack side of the outbox: one attempt at sending a message, and looking for one that may have arrived.

The client used here has no retry handlers: the outbox owns retrying (after Retry-After, or after checking
Slack for the message), so slack_sdk must not sleep or resend on its own. Every post carries Slack message
metadata with its outbox mark, which conversations.history / conversations.replies show back.
"""

from __future__ import annotations

import logging
import urllib.error
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from guidebot.delivery import Outcome, Outgoing, Result
from handlers.blocks import with_delay_note

METADATA_TYPE = "guidebot_outbox"
# slack_sdk logs a failed call at ERROR; the outbox already logs each outcome once, so its clients stay quiet.
_QUIET = logging.getLogger("guidebot.slack.outbox")
_QUIET.setLevel(logging.CRITICAL)
TIMEOUT = 10
_TRANSIENT = {"internal_error", "fatal_error", "request_timeout", "service_unavailable"}
_NETWORK_ERRORS = (urllib.error.URLError, OSError, TimeoutError)


def _retry_after(headers: Any) -> float:
    try:
        return float((headers or {}).get("retry-after") or (headers or {}).get("Retry-After") or 1)
    except (TypeError, ValueError):
        return 1.0


def outcome_of(api: str, status: int, headers: Any, error: str | None) -> Outcome:
    """Slack's answer to one call, as the outbox policy sees it."""
    if status == 429 or error == "ratelimited":
        return Outcome(Result.rate_limited, retry_after=_retry_after(headers), error="ratelimited", api=api)
    if status >= 500 or error in _TRANSIENT:
        return Outcome(Result.uncertain, error=error or f"http_{status}", api=api)
    return Outcome(Result.refused, error=error or f"http_{status}", api=api)


def _api_error(api: str, error: SlackApiError) -> Outcome:
    response = error.response
    code = response.get("error") if response is not None and isinstance(response.data, dict) else None
    status = response.status_code if response is not None else 500
    return outcome_of(api, status, response.headers if response is not None else {}, code)


class SlackMessenger:
    """Sends outbox messages with the bot token; see the module docstring."""

    def __init__(self, client: WebClient) -> None:
        self.client = WebClient(
            token=client.token,
            base_url=client.base_url,
            logger=_QUIET,
            timeout=TIMEOUT,
            retry_handlers=[],
        )

    def send(self, outgoing: Outgoing, mark: str, *, late: bool) -> Outcome:
        message = with_delay_note(outgoing.message) if late else dict(outgoing.message)
        if outgoing.method == "respond":
            return self._respond(outgoing.response_url or "", message)
        if outgoing.method == "update":
            return self._update(outgoing, message)
        api = "chat.postMessage" if outgoing.method == "post" else "chat.postEphemeral"
        try:
            if outgoing.method == "post":
                metadata = {"event_type": METADATA_TYPE, "event_payload": {"id": mark}}
                response = self.client.chat_postMessage(
                    channel=outgoing.channel or "", thread_ts=outgoing.thread_ts, metadata=metadata, **message
                )
                return Outcome(Result.sent, ts=response.get("ts"), api=api)
            self.client.chat_postEphemeral(
                channel=outgoing.channel or "", user=outgoing.user or "", thread_ts=outgoing.thread_ts, **message
            )
            return Outcome(Result.sent, api=api)
        except SlackApiError as error:
            return _api_error(api, error)
        except _NETWORK_ERRORS as error:
            return Outcome(Result.uncertain, error=type(error).__name__, api=api)

    def _update(self, outgoing: Outgoing, message: dict[str, Any]) -> Outcome:
        """chat.update: replacing a message with the same content twice is harmless, so it is simply resent."""
        api = "chat.update"
        try:
            response = self.client.chat_update(channel=outgoing.channel or "", ts=outgoing.ts or "", **message)
            return Outcome(Result.sent, ts=response.get("ts"), api=api)
        except SlackApiError as error:
            return _api_error(api, error)
        except _NETWORK_ERRORS as error:
            return Outcome(Result.uncertain, error=type(error).__name__, api=api)

    def _respond(self, url: str, payload: dict[str, Any]) -> Outcome:
        api = "response_url"
        if not url.startswith(("https://", "http://")):
            return Outcome(Result.refused, error="no_response_url", api=api)
        webhook = WebhookClient(url, timeout=TIMEOUT, logger=_QUIET, retry_handlers=[])
        try:
            response = webhook.send_dict({"response_type": "ephemeral", **payload})
        except _NETWORK_ERRORS as error:
            return Outcome(Result.uncertain, error=type(error).__name__, api=api)
        if response.status_code == 200:
            return Outcome(Result.sent, api=api)
        return outcome_of(api, response.status_code, response.headers, None)

    def find(self, outgoing: Outgoing, mark: str, since: datetime) -> Outcome | None:
        """Look for the post carrying `mark` since `since`; ephemeral messages and responses cannot be seen, and an
        update is simply made again (None)."""
        if outgoing.method == "update":
            return None
        if outgoing.method != "post" or not outgoing.channel:
            return Outcome(Result.refused, error="cannot_check", api="lookup")
        oldest = f"{since.timestamp() - 5:.6f}"
        api = "conversations.replies" if outgoing.thread_ts else "conversations.history"
        try:
            if outgoing.thread_ts:
                response = self.client.conversations_replies(
                    channel=outgoing.channel, ts=outgoing.thread_ts, oldest=oldest, include_all_metadata=True, limit=200
                )
            else:
                response = self.client.conversations_history(
                    channel=outgoing.channel, oldest=oldest, include_all_metadata=True, limit=200
                )
        except SlackApiError as error:
            return _api_error(api, error)
        except _NETWORK_ERRORS as error:
            return Outcome(Result.uncertain, error=type(error).__name__, api=api)
        for message in response.get("messages") or []:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("id") == mark:
                return Outcome(Result.sent, ts=message.get("ts"), api=api)
        return None
