"""The quiz: which questions a round asks, how answers score, and the leaderboard of a group round."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from guidebot.knowledge.citations import Sources
from guidebot.learn.content import QuizQuestion
from guidebot.learn.results import Cited, QuizItem, QuizScore, Scored, Standing

ROUND = 10
LETTERS = "ABCDE"


def pick(questions: Sequence[QuizQuestion], count: int = ROUND, rng: random.Random | None = None) -> list[str]:
    """The ids of a round: `count` different questions (all of them when there are fewer), in random order."""
    chosen = (rng or random.Random()).sample(list(questions), min(count, len(questions)))
    return [q.id for q in chosen]


def item(question: QuizQuestion, sources: Sources) -> QuizItem:
    return QuizItem(
        id=question.id,
        question=question.question,
        choices=list(question.choices),
        right=question.right,
        explanation=question.explanation,
        source=Cited(citation=question.source, label=sources.label(question.source)),
    )


def score(items: Sequence[QuizItem], chosen: Mapping[str, int]) -> QuizScore:
    """One person's round: right answers out of the questions asked, each with what they chose."""
    answers = [Scored(item=i, chosen=chosen.get(i.id)) for i in items]
    return QuizScore(right=sum(a.chosen == a.item.right for a in answers), total=len(items), answers=answers)


def leaderboard(points: Mapping[str, int]) -> list[Standing]:
    """Everyone who answered, most points first; equal points share a rank (1, 2, 2, 4)."""
    ordered = sorted(points.items(), key=lambda kv: (-kv[1], kv[0]))
    standings: list[Standing] = []
    for n, (user, got) in enumerate(ordered):
        rank = standings[-1].rank if standings and standings[-1].points == got else n + 1
        standings.append(Standing(user=user, points=got, rank=rank))
    return standings
