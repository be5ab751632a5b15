"""The quiz core: which questions a round asks, how a round scores, and how a group is ranked."""

from __future__ import annotations

import random

import pytest

from guidebot.knowledge.citations import Sources
from guidebot.knowledge.loader import load_knowledge
from guidebot.learn.content import Learning, learning_from
from guidebot.learn.quiz import ROUND, item, leaderboard, pick, score
from guidebot.learn.results import QuizItem
from tests.helpers_core import SHIPPED_KNOWLEDGE


@pytest.fixture(scope="module")
def loaded() -> tuple[Learning, Sources]:
    return learning_from(load_knowledge(SHIPPED_KNOWLEDGE))


@pytest.fixture(scope="module")
def items(loaded: tuple[Learning, Sources]) -> list[QuizItem]:
    learning, sources = loaded
    return [item(q, sources) for q in learning.quiz[:3]]


@pytest.mark.parametrize("seed", range(5))
def test_pick_gives_count_distinct_known_ids(loaded: tuple[Learning, Sources], seed: int) -> None:
    quiz = loaded[0].quiz
    ids = pick(quiz, 7, random.Random(seed))
    assert len(ids) == 7 and len(set(ids)) == 7
    assert set(ids) <= {q.id for q in quiz}


def test_pick_defaults_to_a_round_of_ten_and_never_more_than_there_are(loaded: tuple[Learning, Sources]) -> None:
    quiz = loaded[0].quiz
    assert len(pick(quiz)) == ROUND == 10
    everything = pick(quiz, len(quiz) + 5, random.Random(1))
    assert sorted(everything) == sorted(q.id for q in quiz)
    assert len(pick(quiz[:2], 10)) == 2


def test_the_same_seed_picks_the_same_round(loaded: tuple[Learning, Sources]) -> None:
    quiz = loaded[0].quiz
    assert pick(quiz, 5, random.Random(42)) == pick(quiz, 5, random.Random(42))


def test_an_item_carries_the_right_index_and_a_labelled_source(loaded: tuple[Learning, Sources]) -> None:
    learning, sources = loaded
    question = learning.quiz[0]
    shown = item(question, sources)
    assert shown.choices[shown.right] == question.answer
    assert shown.source.citation == question.source
    assert shown.source.label == sources.label(question.source)


def test_score_counts_only_right_answers(items: list[QuizItem]) -> None:
    first, second, third = items
    wrong = (second.right + 1) % len(second.choices)
    result = score(items, {first.id: first.right, second.id: wrong})
    assert (result.right, result.total) == (1, 3)
    assert [a.chosen for a in result.answers] == [first.right, wrong, None]
    assert [a.item.id for a in result.answers] == [first.id, second.id, third.id]
    perfect = score(items, {i.id: i.right for i in items})
    assert (perfect.right, perfect.total) == (3, 3)


def test_leaderboard_ranks_ties_one_two_two_four() -> None:
    standings = leaderboard({"U4": 1, "U2": 3, "U1": 5, "U3": 3})
    assert [(s.user, s.points, s.rank) for s in standings] == [("U1", 5, 1), ("U2", 3, 2), ("U3", 3, 2), ("U4", 1, 4)]
    assert [s.rank for s in leaderboard({"a": 2, "b": 2, "c": 2})] == [1, 1, 1]
    assert leaderboard({}) == []
