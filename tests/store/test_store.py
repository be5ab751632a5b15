"""The Store API the Slack layer calls, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from guidebot.store import Store
from guidebot.store.models import Feedback, ProcessedEvent

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night the UK clocks go forward


def test_record_feedback_round_trips_with_aware_utc(store: Store) -> None:
    bst = timezone(timedelta(hours=1))
    store.record_feedback("a1", ["gap-week", "referral"], "helpful", now=T0.astimezone(bst))
    store.record_feedback("a2", [], "not_helpful", question="what is a gap week?", now=T0)

    with Session(store.engine) as session:
        rows = session.scalars(select(Feedback).order_by(Feedback.id)).all()
    assert [(r.answer_id, r.doc_ids, r.vote, r.question) for r in rows] == [
        ("a1", "gap-week,referral", "helpful", None),
        ("a2", "", "not_helpful", "what is a gap week?"),
    ]
    for row in rows:
        assert row.created_at == T0
        assert row.created_at.utcoffset() == timedelta(0)
    assert store.feedback_counts() == {"helpful": 1, "not_helpful": 1}


def test_feedback_counts_start_at_zero(store: Store) -> None:
    assert store.feedback_counts() == {"helpful": 0, "not_helpful": 0}


def test_unknown_vote_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown vote"):
        store.record_feedback("a1", ["doc"], "meh")
    assert store.feedback_counts() == {"helpful": 0, "not_helpful": 0}


@pytest.mark.parametrize("doc_ids", [["a,b"], ["x" * 600, "y" * 600]])
def test_doc_ids_that_cannot_be_stored_faithfully_are_refused(store: Store, doc_ids: list[str]) -> None:
    with pytest.raises(ValueError, match="document ids"):
        store.record_feedback("a1", doc_ids, "helpful")


def test_naive_datetime_is_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        store.record_feedback("a1", ["doc"], "helpful", now=datetime(2026, 1, 1, 12, 0))
    with pytest.raises(Exception, match="naive datetime"):
        store.claim_event("T1:Ev1", now=datetime(2026, 1, 1, 12, 0))


def test_claim_event_true_then_false(store: Store) -> None:
    assert store.claim_event("T123:Ev456") is True
    assert store.claim_event("T123:Ev456") is False
    assert store.claim_event("msg:C1:1700000.0001") is True
    assert store.claim_event("T123:Ev456") is False


def test_claim_event_race_has_exactly_one_winner(store: Store, db_url: str) -> None:
    """Eight threads over two engines (two web processes) claim the same keys at the same moment."""
    other = Store.from_url(db_url, migrate=False)
    stores = [store, other]
    workers = 8
    try:
        for round_ in range(10):
            key = f"T1:Ev{round_}"
            barrier = threading.Barrier(workers)

            def claim(i: int, key: str = key, barrier: threading.Barrier = barrier) -> bool:
                barrier.wait()
                return stores[i % 2].claim_event(key)

            with ThreadPoolExecutor(workers) as pool:
                results = list(pool.map(claim, range(workers)))
            assert results.count(True) == 1, results
    finally:
        other.engine.dispose()


def test_purge_removes_only_old_rows(store: Store) -> None:
    store.claim_event("old", now=T0 - timedelta(hours=25))
    store.claim_event("edge", now=T0 - timedelta(hours=24))
    store.claim_event("new", now=T0 - timedelta(minutes=5))

    assert store.purge_events(now=T0) == 1
    with Session(store.engine) as session:
        assert set(session.scalars(select(ProcessedEvent.key))) == {"edge", "new"}
    assert store.purge_events(older_than=timedelta(minutes=1), now=T0) == 2
    assert store.purge_events(now=T0) == 0
    assert store.claim_event("old", now=T0) is True  # forgotten, so claimable again


def test_feedback_lists_one_kind_newest_first_within_the_window(store: Store) -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    store.record_feedback("a1", ["bbr-hmpps-2019"], "not_helpful", now=now - timedelta(days=40))
    store.record_feedback("a2", ["kaizen-hmpps-2019", "up2u-lga-2018"], "not_helpful", now=now - timedelta(days=2))
    store.record_feedback("a3", [], "not_helpful", question="max group size for HRP?", now=now - timedelta(days=1))
    store.record_feedback("a4", ["bbr-hmpps-2019"], "helpful", now=now - timedelta(hours=1))

    recent = store.feedback(since=now - timedelta(days=30))

    assert [v.answer_id for v in recent] == ["a3", "a2"]
    assert recent[0].question == "max group size for HRP?" and recent[0].doc_ids == []
    assert recent[1].question is None and recent[1].doc_ids == ["kaizen-hmpps-2019", "up2u-lga-2018"]
    assert [v.answer_id for v in store.feedback(vote=None)] == ["a4", "a3", "a2", "a1"]
    assert [v.answer_id for v in store.feedback(vote=None, limit=1)] == ["a4"]
    with pytest.raises(ValueError):
        store.feedback(vote="meh")
