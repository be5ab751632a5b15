"""Quiz rounds on SQLite and PostgreSQL: one answer per person (changeable until the reveal), racing clicks with
one winner, an answer either before the reveal or refused after it, the view bookkeeping, retention."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from guidebot.store import Store
from guidebot.store.quiz_rounds import Answered

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
QUESTIONS = ["q01", "q02", "q03"]


def test_an_answer_is_recorded_then_changed_and_kept_once(store: Store) -> None:
    rounds = store.quiz_rounds
    r = rounds.start("group", "C1", "UFAC", QUESTIONS, now=T0)
    assert rounds.answer(r.id, 0, "U1", 2, now=T0) is Answered.recorded
    assert rounds.answer(r.id, 0, "U1", 2, now=T0) is Answered.unchanged
    assert rounds.answer(r.id, 0, "U1", 0, now=T0) is Answered.changed
    assert rounds.answer(r.id, 0, "U2", 1, now=T0) is Answered.recorded
    assert rounds.answers(r.id) == [(0, "U1", 0), (0, "U2", 1)]
    assert rounds.tally(r.id, 0) == {0: 1, 1: 1}


def test_after_the_reveal_answers_are_refused_and_only_one_reveal_wins(store: Store) -> None:
    rounds = store.quiz_rounds
    r = rounds.start("group", "C1", "UFAC", QUESTIONS, now=T0)
    rounds.answer(r.id, 0, "U1", 1, now=T0)
    assert rounds.reveal(r.id, 0) is True
    assert rounds.reveal(r.id, 0) is False
    assert rounds.answer(r.id, 0, "U2", 1, now=T0) is Answered.closed
    assert rounds.answer(r.id, 1, "U2", 1, now=T0) is Answered.closed  # a question not yet asked
    assert rounds.answers(r.id) == [(0, "U1", 1)]


def test_advance_moves_on_once_and_finishes_after_the_last(store: Store) -> None:
    rounds = store.quiz_rounds
    r = rounds.start("group", "C1", "UFAC", QUESTIONS[:2], now=T0)
    assert rounds.advance(r.id, 0) is None  # not revealed yet
    rounds.reveal(r.id, 0)
    assert rounds.advance(r.id, 0) == "next"
    assert rounds.advance(r.id, 0) is None
    rounds.reveal(r.id, 1)
    assert rounds.advance(r.id, 1) == "finished"
    got = rounds.get(r.id)
    assert got is not None and got.state == "finished" and got.position == 1
    assert rounds.stop(r.id, 1) is False


def test_clicks_racing_the_reveal_either_count_or_are_refused(store: Store) -> None:
    rounds = store.quiz_rounds
    r = rounds.start("group", "C1", "UFAC", QUESTIONS, now=T0)
    outcomes: dict[str, Answered] = {}
    barrier = threading.Barrier(21)

    def answer(user: str) -> None:
        barrier.wait()
        outcomes[user] = rounds.answer(r.id, 0, user, 1, now=T0)

    def reveal() -> None:
        barrier.wait()
        rounds.reveal(r.id, 0)

    threads = [threading.Thread(target=answer, args=(f"U{n:02d}",)) for n in range(20)]
    threads.append(threading.Thread(target=reveal))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counted = {user for _, user, _ in rounds.answers(r.id)}
    assert counted == {u for u, o in outcomes.items() if o is Answered.recorded}
    assert {u for u, o in outcomes.items() if o is Answered.closed} == set(outcomes) - counted


def test_a_solo_round_moves_on_with_each_answer_of_its_owner(store: Store) -> None:
    rounds = store.quiz_rounds
    r = rounds.start("solo", "U1", "U1", QUESTIONS[:2], now=T0)
    assert rounds.answer_and_move_on(r.id, 0, "U2", 1) is False  # someone else
    assert rounds.answer_and_move_on(r.id, 0, "U1", 1) is True
    assert rounds.answer_and_move_on(r.id, 0, "U1", 2) is False  # a double click
    assert rounds.answer_and_move_on(r.id, 1, "U1", 0) is True
    got = rounds.get(r.id)
    assert got is not None and got.state == "finished"
    assert rounds.answers(r.id) == [(0, "U1", 1), (1, "U1", 0)]


def test_views_are_stale_until_shown_and_not_again_within_the_gap(store: Store) -> None:
    rounds = store.quiz_rounds
    r = rounds.start("group", "C1", "UFAC", QUESTIONS, now=T0)
    gap = timedelta(seconds=1)
    assert rounds.stale_views(T0, gap) == []
    rounds.answer(r.id, 0, "U1", 1, now=T0)
    (stale,) = [s for s in rounds.stale_views(T0, gap) if s.id == r.id]
    assert rounds.shown_view(stale, 0, stale.changes, T0) is True
    assert rounds.shown_view(stale, 0, stale.changes, T0) is False  # another refresher got there first
    rounds.answer(r.id, 0, "U2", 1, now=T0)
    assert [s.id for s in rounds.stale_views(T0 + timedelta(seconds=0.5), gap)] == []
    assert [s.id for s in rounds.stale_views(T0 + timedelta(seconds=1), gap)] == [r.id]


def test_rounds_older_than_thirty_days_are_purged_with_their_answers(store: Store) -> None:
    rounds = store.quiz_rounds
    old = rounds.start("group", "C1", "UFAC", QUESTIONS, now=T0)
    rounds.answer(old.id, 0, "U1", 1, now=T0)
    new = rounds.start("group", "C1", "UFAC", QUESTIONS, now=T0 + timedelta(days=29))
    assert rounds.purge(now=T0 + timedelta(days=31)) == 1
    assert rounds.get(old.id) is None and rounds.answers(old.id) == []
    assert rounds.get(new.id) is not None
