"""The outbox sending policy against a scripted messenger: waits, checks before resending, gives up and says so."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from guidebot.delivery import Outcome, Outgoing, Result, deliver, enqueue, mark_of
from guidebot.store import Store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ANSWER = Outgoing(
    method="post",
    channel="C1",
    thread_ts="1.0",
    message={"text": "answer"},
    asked_at=T0,
    on_failure=Outgoing(method="ephemeral", channel="C1", user="U1", message={"text": "Sorry ({error})"}),
    then=Outgoing(method="respond", response_url="https://hooks.example/1", message={"delete_original": True}),
)


@dataclass
class ScriptedMessenger:
    """Answers each send() and find() from a script; records what it was asked."""

    sends: list[Outcome] = field(default_factory=list)
    finds: list[Outcome | None] = field(default_factory=list)
    sent: list[tuple[str, bool]] = field(default_factory=list)
    looked: list[str] = field(default_factory=list)

    def send(self, outgoing: Outgoing, mark: str, *, late: bool) -> Outcome:
        self.sent.append((mark, late))
        return self.sends.pop(0)

    def find(self, outgoing: Outgoing, mark: str, since: datetime) -> Outcome | None:
        self.looked.append(mark)
        return self.finds.pop(0)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.from_url(f"sqlite:///{tmp_path / 'db.sqlite'}")


def _attempt(store: Store, messenger: ScriptedMessenger, at: datetime) -> Result | None:
    parcels = store.outbox.claim(1, now=at)
    return deliver(store.outbox, messenger, parcels[0], now=at) if parcels else None


def _payloads(store: Store, status: str) -> list[dict]:
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"SELECT payload FROM outbox WHERE status = '{status}'").all()
    return [json.loads(row[0]) for row in rows if row[0]]


def test_sent_records_the_ts_and_queues_what_follows(store: Store) -> None:
    store.outbox.add([enqueue("k1", ANSWER, now=T0)], now=T0)
    messenger = ScriptedMessenger(sends=[Outcome(Result.sent, ts="2.0")])
    assert _attempt(store, messenger, T0) is Result.sent
    assert messenger.sent == [(mark_of("k1"), False)]
    assert [p["method"] for p in _payloads(store, "pending")] == ["respond"]


def test_429_waits_retry_after_then_sends_without_looking(store: Store) -> None:
    store.outbox.add([enqueue("k1", ANSWER, now=T0)], now=T0)
    messenger = ScriptedMessenger(sends=[Outcome(Result.rate_limited, retry_after=20), Outcome(Result.sent, ts="2")])
    assert _attempt(store, messenger, T0) is Result.rate_limited
    assert _attempt(store, messenger, T0 + timedelta(seconds=19)) is None  # not before Retry-After
    assert _attempt(store, messenger, T0 + timedelta(seconds=20)) is Result.sent
    assert messenger.looked == []  # a 429 means Slack did not post it


def test_a_5xx_is_checked_in_slack_before_sending_again(store: Store) -> None:
    store.outbox.add([enqueue("k1", ANSWER, now=T0)], now=T0)
    messenger = ScriptedMessenger(
        sends=[Outcome(Result.uncertain, error="internal_error")], finds=[Outcome(Result.sent, ts="2.0")]
    )
    _attempt(store, messenger, T0)
    assert _attempt(store, messenger, T0 + timedelta(minutes=2)) is Result.sent
    assert len(messenger.sent) == 1 and messenger.looked == [mark_of("k1")]  # found: not sent twice
    assert store.outbox.counts()["sent"] == 1


def test_a_5xx_not_found_in_slack_is_sent_again_late_with_an_apology(store: Store) -> None:
    store.outbox.add([enqueue("k1", ANSWER, now=T0)], now=T0)
    messenger = ScriptedMessenger(sends=[Outcome(Result.uncertain), Outcome(Result.sent, ts="3")], finds=[None])
    _attempt(store, messenger, T0)
    assert _attempt(store, messenger, T0 + timedelta(minutes=2)) is Result.sent
    assert messenger.sent == [(mark_of("k1"), False), (mark_of("k1"), True)]  # the second is late


def test_a_refusal_fails_at_once_and_tells_the_asker_with_the_code(store: Store) -> None:
    store.outbox.add([enqueue("k1", ANSWER, now=T0)], now=T0)
    messenger = ScriptedMessenger(sends=[Outcome(Result.refused, error="msg_too_long")])
    assert _attempt(store, messenger, T0) is Result.refused
    assert store.outbox.recent_failures(T0 - timedelta(hours=1)) == [(T0, "msg_too_long")]
    (notice,) = _payloads(store, "pending")
    assert notice["method"] == "ephemeral" and notice["message"]["text"] == "Sorry (msg_too_long)"


def test_rate_limited_past_the_deadline_gives_up(store: Store) -> None:
    store.outbox.add([enqueue("k1", ANSWER, deadline=timedelta(seconds=30), now=T0)], now=T0)
    messenger = ScriptedMessenger(sends=[Outcome(Result.rate_limited, retry_after=60, error="ratelimited")])
    assert _attempt(store, messenger, T0) is Result.rate_limited
    assert store.outbox.counts()["failed"] == 1
    (notice,) = _payloads(store, "pending")
    assert "ratelimited" in notice["message"]["text"]


def test_a_lookup_slack_will_not_answer_waits_and_looks_again(store: Store) -> None:
    store.outbox.add([enqueue("k1", ANSWER, now=T0)], now=T0)
    messenger = ScriptedMessenger(
        sends=[Outcome(Result.uncertain), Outcome(Result.sent, ts="4")],
        finds=[Outcome(Result.rate_limited, retry_after=5), None],
    )
    _attempt(store, messenger, T0)
    _attempt(store, messenger, T0 + timedelta(minutes=1))
    assert len(messenger.sent) == 1  # never resent while unknown
    assert _attempt(store, messenger, T0 + timedelta(minutes=3)) is Result.sent
    assert messenger.looked == [mark_of("k1")] * 2
