"""Sending the outbox: one policy for every message guidebot posts (answers, notices, reminders, digests).

- 429: wait Retry-After (the row's next attempt, not a sleep) and try again until the message's deadline.
- 5xx or a timeout: the message may have reached Slack anyway (chat.postMessage has no idempotency key), so the
  next attempt first looks for it by the mark it carries in its Slack message metadata, and only then resends.
- Any other refusal (channel_not_found, msg_too_long...) fails at once: trying again cannot help.
A message that fails is marked failed and its `on_failure` notice, if any, is queued for the person waiting.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from guidebot.store.outbox import NewMessage, Outbox, Parcel

log = logging.getLogger(__name__)

ANSWER_DEADLINE = timedelta(hours=1)
NOTICE_DEADLINE = timedelta(hours=1)
MAX_BACKOFF = timedelta(seconds=60)
LATE = timedelta(seconds=60)
ERROR_PLACEHOLDER = "{error}"


class Outgoing(BaseModel):
    """One message for Slack, as the outbox stores it: where it goes, what it says, what follows it."""

    method: Literal["post", "ephemeral", "respond", "update"]
    message: dict[str, Any]
    channel: str | None = None
    thread_ts: str | None = None
    ts: str | None = None  # the message an "update" replaces
    user: str | None = None
    response_url: str | None = None
    asked_at: datetime | None = None
    then: Outgoing | None = None
    on_failure: Outgoing | None = None
    # the outbox key, when someone must find the message again (the quiz updates its question messages)
    key: str | None = None


class Result(StrEnum):
    sent = "sent"
    rate_limited = "rate_limited"
    uncertain = "uncertain"
    refused = "refused"


@dataclass(frozen=True)
class Outcome:
    """What Slack said to one attempt: `ts` when sent, `retry_after` for a 429, `error` otherwise."""

    result: Result
    ts: str | None = None
    retry_after: float = 1.0
    error: str | None = None
    api: str = "slack"


class Messenger(Protocol):
    """The Slack side of sending (handlers.messenger.SlackMessenger; a fake in tests)."""

    def send(self, outgoing: Outgoing, mark: str, *, late: bool) -> Outcome: ...

    def find(self, outgoing: Outgoing, mark: str, since: datetime) -> Outcome | None:
        """The message already in Slack (sent, with its ts), None when it is not there; rate_limited or
        uncertain when Slack would not say, and `refused` when this kind of message cannot be looked up."""
        ...


def mark_of(key: str) -> str:
    """The outbox id a message carries in its Slack metadata: a hash, since metadata is visible to other apps."""
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def enqueue(
    key: str, outgoing: Outgoing, deadline: timedelta = ANSWER_DEADLINE, now: datetime | None = None
) -> NewMessage:
    """An outbox row for `outgoing`, due to be given up at `now + deadline`."""
    now = now or datetime.now(UTC)
    return NewMessage(key=key, payload=outgoing.model_dump_json(exclude_none=True), deadline=now + deadline)


def _with_error(notice: Outgoing, error: str) -> Outgoing:
    text = notice.model_dump_json(exclude_none=True).replace(ERROR_PLACEHOLDER, error)
    return Outgoing.model_validate_json(text)


def _fail(outbox: Outbox, parcel: Parcel, outgoing: Outgoing, outcome: Outcome, now: datetime) -> None:
    error = outcome.error or outcome.result.value
    log.warning("%s failed (%s); gave up after %s attempt(s)", outcome.api, error, parcel.attempts)
    notices = []
    if outgoing.on_failure is not None:
        notices.append(enqueue(f"{parcel.key}:failed", _with_error(outgoing.on_failure, error), NOTICE_DEADLINE, now))
    outbox.failed(parcel.id, error, notices, now=now)


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=2 ** min(attempts, 10)), MAX_BACKOFF)


def _again(
    outbox: Outbox, parcel: Parcel, outgoing: Outgoing, outcome: Outcome, now: datetime, *, uncertain: bool
) -> None:
    """Schedule another attempt (after Retry-After, or a backoff), or fail when it would fall after the deadline."""
    if outcome.result is Result.rate_limited:
        at = now + timedelta(seconds=max(outcome.retry_after, 0.0))
    else:
        at = now + _backoff(parcel.attempts)
    if at > parcel.deadline:
        _fail(outbox, parcel, outgoing, outcome, now)
        return
    log.debug("%s: %s, next attempt at %s", outcome.api, outcome.error or outcome.result.value, at.isoformat())
    outbox.retry(parcel.id, at, uncertain=uncertain, error=outcome.error)
    if outcome.result is Result.rate_limited and outbox.hold(at):
        log.info("%s rate-limited by Slack: the outbox waits %.0f s", outcome.api, outcome.retry_after)


def deliver(outbox: Outbox, messenger: Messenger, parcel: Parcel, now: datetime | None = None) -> Result:
    """One attempt at one claimed message, recorded in the outbox; returns what happened."""
    now = now or datetime.now(UTC)
    outgoing = Outgoing.model_validate_json(parcel.payload)
    mark = mark_of(parcel.key)
    if parcel.uncertain:
        found = messenger.find(outgoing, mark, since=parcel.created_at)
        if found is not None and found.result is Result.sent:
            outbox.sent(parcel.id, found.ts, _then(parcel, outgoing, now), now=now)
            return Result.sent
        if found is not None and found.result in (Result.rate_limited, Result.uncertain):
            _again(outbox, parcel, outgoing, found, now, uncertain=True)  # still unknown: look again next time
            return found.result
    late = outgoing.asked_at is not None and now - outgoing.asked_at > LATE
    outcome = messenger.send(outgoing, mark, late=late)
    if outcome.result is Result.sent:
        outbox.sent(parcel.id, outcome.ts, _then(parcel, outgoing, now), now=now)
    elif outcome.result is Result.refused:
        _fail(outbox, parcel, outgoing, outcome, now)
    else:  # a 429 means Slack did not post it; a 5xx or a timeout may have
        _again(outbox, parcel, outgoing, outcome, now, uncertain=outcome.result is Result.uncertain)
    return outcome.result


def _then(parcel: Parcel, outgoing: Outgoing, now: datetime) -> list[NewMessage]:
    return [enqueue(f"{parcel.key}:then", outgoing.then, NOTICE_DEADLINE, now)] if outgoing.then else []
