"""Checklist runs on SQLite and PostgreSQL: saves are optimistic (one winner per version), runs survive a
restart, idle ones expire."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from guidebot.store import Store
from guidebot.store.checklist_runs import ChecklistRuns, RunRow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _runs(store: Store) -> ChecklistRuns:
    return ChecklistRuns(store.engine)


def test_create_then_get_returns_the_new_run(store: Store) -> None:
    runs = _runs(store)
    created = runs.create("U0001", "bbr", case_ref="X123456", now=T0)
    assert len(created.id) == 32 and int(created.id, 16) >= 0
    assert created == RunRow(
        id=created.id,
        user_id="U0001",
        checklist_id="bbr",
        answers=(),
        outcome=None,
        case_ref="X123456",
        note=None,
        status="active",
        version=0,
        created_at=T0,
        updated_at=T0,
    )
    assert runs.get(created.id) == created
    assert runs.create("U0001", "bbr", now=T0).id != created.id


def test_get_of_an_unknown_run_is_none(store: Store) -> None:
    assert _runs(store).get("0" * 32) is None


def test_save_with_the_current_version_moves_it_on(store: Store) -> None:
    runs = _runs(store)
    run = runs.create("U0001", "kaizen", now=T0)
    later = T0 + timedelta(minutes=3)
    answers = [("setting", "custody"), ("risk", "high"), ("age", 23), ("consent", True)]
    saved = runs.save(run.id, expected_version=0, answers=answers, outcome=None, status="active", now=later)
    assert saved is not None
    assert saved.version == 1
    assert saved.answers == (("setting", "custody"), ("risk", "high"), ("age", 23), ("consent", True))
    assert (saved.created_at, saved.updated_at) == (T0, later)
    assert runs.get(run.id) == saved

    finished = runs.save(
        run.id, expected_version=1, answers=answers, outcome="suitable", status="finished", note="consent given"
    )
    assert finished is not None and (finished.version, finished.status, finished.outcome) == (2, "finished", "suitable")
    kept = runs.save(run.id, expected_version=2, answers=answers, outcome="suitable", status="finished")
    assert kept is not None and kept.note == "consent given"  # note omitted: left as it was
    cleared = runs.save(run.id, expected_version=3, answers=answers, outcome="suitable", status="finished", note=None)
    assert cleared is not None and cleared.note is None and runs.get(run.id) == cleared


def test_save_with_a_stale_version_returns_none_and_changes_nothing(store: Store) -> None:
    runs = _runs(store)
    run = runs.create("U0001", "bbr", now=T0)
    first = runs.save(run.id, expected_version=0, answers=[("a", "yes")], outcome=None, status="active")
    assert first is not None
    # The same click again (a double click), and an old step's button (version 0 after the run moved on).
    assert runs.save(run.id, expected_version=0, answers=[("a", "no")], outcome=None, status="active") is None
    assert runs.save(run.id, expected_version=5, answers=[], outcome="x", status="cancelled", note="n") is None
    assert runs.get(run.id) == first
    assert runs.save("f" * 32, expected_version=0, answers=[], outcome=None, status="active") is None


def test_two_threads_saving_the_same_version_exactly_one_wins(store: Store) -> None:
    runs = _runs(store)
    run = runs.create("U0001", "up2u", now=T0)
    start = threading.Barrier(4)
    results: dict[int, RunRow | None] = {}

    def click(n: int) -> None:
        start.wait()
        results[n] = runs.save(
            run.id, expected_version=0, answers=[("accepts", f"answer-{n}")], outcome=None, status="active"
        )

    threads = [threading.Thread(target=click, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [row for row in results.values() if row is not None]
    assert len(results) == 4 and len(winners) == 1
    stored = runs.get(run.id)
    assert stored == winners[0] and stored.version == 1


def test_save_refuses_an_unknown_status_and_too_long_values(store: Store) -> None:
    runs = _runs(store)
    run = runs.create("U0001", "bbr", now=T0)
    with pytest.raises(ValueError, match="status"):
        runs.save(run.id, expected_version=0, answers=[], outcome=None, status="done")
    with pytest.raises(ValueError, match="case_ref"):
        runs.create("U0001", "bbr", case_ref="X" * 33)
    with pytest.raises(TypeError):
        runs.save(run.id, expected_version=0, answers=[("when", T0)], outcome=None, status="active")  # type: ignore[list-item]
    assert runs.get(run.id) == run


def test_unfinished_lists_only_the_users_active_runs_newest_first(store: Store) -> None:
    runs = _runs(store)
    older = runs.create("U0001", "bbr", now=T0)
    newer = runs.create("U0001", "kaizen", now=T0 + timedelta(hours=1))
    done = runs.create("U0001", "up2u", now=T0 + timedelta(hours=2))
    runs.save(done.id, expected_version=0, answers=[], outcome="suitable", status="finished")
    gone = runs.create("U0001", "hrp", now=T0 + timedelta(hours=3))
    runs.save(gone.id, expected_version=0, answers=[], outcome=None, status="cancelled")
    runs.create("U0002", "bbr", now=T0 + timedelta(hours=4))
    assert [r.id for r in runs.unfinished("U0001")] == [newer.id, older.id]
    # Answering a step touches the run: it comes first again.
    runs.save(
        older.id, expected_version=0, answers=[("a", "yes")], outcome=None, status="active", now=T0 + timedelta(hours=5)
    )
    assert [r.id for r in runs.unfinished("U0001")] == [older.id, newer.id]
    assert runs.unfinished("U0003") == []


def test_expire_deletes_runs_idle_past_the_ttl_and_keeps_fresh_ones(store: Store) -> None:
    runs = _runs(store)
    ttl = timedelta(days=7)
    now = T0 + timedelta(days=30)
    idle = runs.create("U0001", "bbr", now=now - ttl - timedelta(seconds=1))
    finished_long_ago = runs.create("U0001", "bbr", now=now - timedelta(days=20))
    runs.save(
        finished_long_ago.id,
        expected_version=0,
        answers=[],
        outcome="suitable",
        status="finished",
        now=now - timedelta(days=10),
    )
    cancelled_long_ago = runs.create("U0001", "bbr", now=now - timedelta(days=9))
    runs.save(
        cancelled_long_ago.id,
        expected_version=0,
        answers=[],
        outcome=None,
        status="cancelled",
        now=now - timedelta(days=9),
    )
    # Started long ago but answered recently: still in use, kept.
    resumed = runs.create("U0001", "kaizen", now=now - timedelta(days=20))
    runs.save(
        resumed.id,
        expected_version=0,
        answers=[("a", "yes")],
        outcome=None,
        status="active",
        now=now - timedelta(days=1),
    )
    at_the_limit = runs.create("U0001", "bbr", now=now - ttl)
    fresh_finished = runs.create("U0002", "bbr", now=now - timedelta(days=2))
    runs.save(
        fresh_finished.id, expected_version=0, answers=[], outcome="x", status="finished", now=now - timedelta(days=2)
    )

    assert runs.expire(ttl, now=now) == 3
    for run in (idle, finished_long_ago, cancelled_long_ago):
        assert runs.get(run.id) is None
    for run in (resumed, at_the_limit, fresh_finished):
        assert runs.get(run.id) is not None
    assert runs.expire(ttl, now=now) == 0
    assert runs.counts() == {"active": 2, "finished": 1, "cancelled": 0}


def test_a_run_survives_a_new_store_over_the_same_url(db_url: str, store: Store) -> None:
    runs = _runs(store)
    run = runs.create("U0001", "idap", case_ref="AB-1234", now=T0)
    saved = runs.save(run.id, expected_version=0, answers=[("psr", "yes"), ("age", 30)], outcome=None, status="active")
    store.engine.dispose()

    restarted = Store.from_url(db_url)
    try:
        again = ChecklistRuns(restarted.engine)
        assert again.get(run.id) == saved
        assert again.unfinished("U0001") == [saved]
        assert saved is not None
        assert again.save(run.id, expected_version=saved.version, answers=[], outcome=None, status="cancelled")
    finally:
        restarted.engine.dispose()


def test_counts_have_every_status(store: Store) -> None:
    runs = _runs(store)
    assert runs.counts() == {"active": 0, "finished": 0, "cancelled": 0}
    run = runs.create("U0001", "bbr")
    runs.create("U0001", "bbr")
    runs.save(run.id, expected_version=0, answers=[], outcome=None, status="cancelled")
    assert runs.counts() == {"active": 1, "finished": 0, "cancelled": 1}
