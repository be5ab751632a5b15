"""The inbox and the outbox on SQLite and PostgreSQL: stored once, claimed by one worker at a time, retained."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from guidebot.store import Store
from guidebot.store.outbox import NewMessage

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _message(key: str, deadline: datetime = T0 + timedelta(hours=1)) -> NewMessage:
    return NewMessage(key=key, payload='{"method": "post"}', deadline=deadline)


def test_a_request_is_stored_once_with_its_claims(store: Store) -> None:
    assert store.inbox.add("event", {"text": "q"}, ["event:T1:Ev1", "post:C1:1.0"], now=T0)
    assert not store.inbox.add("event", {"text": "q"}, ["event:T1:Ev1"], now=T0)  # Slack's retry
    assert not store.inbox.add("event", {"text": "q"}, ["event:T1:Ev2", "post:C1:1.0"], now=T0)  # the twin event
    assert store.inbox.counts()["pending"] == 1
    # The twin's own event id was rolled back with it: claiming it now succeeds.
    assert store.claim_event("event:T1:Ev2")


def test_a_claimed_request_is_not_claimed_again_until_its_lease_runs_out(store: Store) -> None:
    store.inbox.add("command", {"text": "q"}, now=T0)
    (job,) = store.inbox.claim(now=T0)
    assert job.kind == "command" and job.payload == {"text": "q"} and job.attempts == 1
    assert store.inbox.claim(now=T0 + timedelta(seconds=10)) == []
    (again,) = store.inbox.claim(now=T0 + timedelta(minutes=5))  # its worker died
    assert again.id == job.id and again.attempts == 2


def test_finishing_forgets_the_text_and_queues_the_replies_in_one_go(store: Store) -> None:
    store.inbox.add("event", {"text": "secret question"}, now=T0)
    (job,) = store.inbox.claim(now=T0)
    store.inbox.finish(job.id, [_message(f"inbox:{job.id}:0")], now=T0)
    store.inbox.finish(job.id, [_message(f"inbox:{job.id}:1")], now=T0)  # a late second finisher adds nothing
    assert store.inbox.counts()["done"] == 1 and store.inbox.claim(now=T0 + timedelta(hours=1)) == []
    assert store.outbox.counts()["pending"] == 1
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT payload FROM inbox").scalar() is None


def test_outbox_keys_are_idempotent(store: Store) -> None:
    assert store.outbox.add([_message("reminder:A1:2026-12-01")], now=T0) == 1
    assert store.outbox.add([_message("reminder:A1:2026-12-01"), _message("other")], now=T0) == 1
    assert store.outbox.counts()["pending"] == 2


def test_a_message_whose_sender_died_comes_back_uncertain(store: Store) -> None:
    store.outbox.add([_message("m1")], now=T0)
    (first,) = store.outbox.claim(now=T0)
    assert not first.uncertain and first.attempts == 1
    assert store.outbox.claim(now=T0 + timedelta(seconds=5)) == []  # leased
    (second,) = store.outbox.claim(now=T0 + timedelta(minutes=5))
    assert second.uncertain and second.attempts == 2


def test_retry_waits_and_sent_forgets_the_text_and_queues_what_follows(store: Store) -> None:
    store.outbox.add([_message("m1")], now=T0)
    (parcel,) = store.outbox.claim(now=T0)
    store.outbox.retry(parcel.id, T0 + timedelta(seconds=30), uncertain=False, error="ratelimited")
    assert store.outbox.claim(now=T0 + timedelta(seconds=29)) == []
    (parcel,) = store.outbox.claim(now=T0 + timedelta(seconds=30))
    assert not parcel.uncertain
    store.outbox.sent(parcel.id, "1.0001", then=[_message("m1:then")], now=T0)
    assert store.outbox.counts() == {"pending": 1, "sending": 0, "sent": 1, "failed": 0}
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT payload FROM outbox WHERE key = 'm1'").scalar() is None


def test_failures_are_listed_without_text_and_purged_after_retention(store: Store) -> None:
    store.outbox.add([_message("m1")], now=T0)
    (parcel,) = store.outbox.claim(now=T0)
    store.outbox.failed(parcel.id, "channel_not_found", [_message("m1:failed")], now=T0)
    assert store.outbox.recent_failures(T0 - timedelta(days=1)) == [(T0, "channel_not_found")]
    store.inbox.add("event", {}, now=T0)
    (job,) = store.inbox.claim(now=T0)
    store.inbox.finish(job.id, now=T0)
    assert store.purge(now=T0 + timedelta(hours=23))["inbox"] == 0
    deleted = store.purge(now=T0 + timedelta(days=8))
    assert deleted["inbox"] == 1 and deleted["outbox"] == 1  # the pending notice is kept
    assert store.outbox.counts()["pending"] == 1


def test_workers_racing_for_the_queues_each_take_a_row_once(store: Store, db_url: str) -> None:
    """Eight threads over two engines (two processes' worth) claim 200 rows: every row exactly once."""
    other = Store.from_url(db_url, migrate=False)
    for n in range(200):
        store.inbox.add("event", {"n": n}, [f"event:T:{n}"])
    taken: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work(s: Store) -> None:
        barrier.wait()
        while jobs := s.inbox.claim(3):
            with lock:
                taken.extend(job.payload["n"] for job in jobs)

    threads = [threading.Thread(target=work, args=(store if i % 2 else other,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    other.engine.dispose()
    assert sorted(taken) == list(range(200))
