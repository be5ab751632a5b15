"""Retrieval quality on an eval file (questions + the evidence a right answer must contain).

Scored the way ../shared/tools/score_ask.py scores `guidebot ask --json`, so the figures printed by
bench/ask_quality.py and the floors held by the tests mean the same as the held-out check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from pydantic import BaseModel

from guidebot.search.models import Answer, Status


class EvalQuestion(BaseModel):
    id: str
    q: str
    doc: str | None = None
    evidence: str | None = None


class EvalSet(BaseModel):
    questions: list[EvalQuestion]
    unanswerable: list[EvalQuestion] = []
    urgent: list[EvalQuestion] = []

    @classmethod
    def load(cls, path: Path) -> EvalSet:
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class Scores(BaseModel):
    n: int
    recall_at_1: float
    recall_at_3: float
    recall_at_5: float
    mrr: float
    misses: list[str]


def _tokens(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", s.lower())


def hit(evidence: str, text: str) -> bool:
    """Evidence found in text on lower-cased words; a run covering 60% of it counts (passage boundaries)."""
    ev, tx = _tokens(evidence), _tokens(text)
    if not ev:
        return False
    if " ".join(ev) in " ".join(tx):
        return True
    positions: dict[str, list[int]] = {}
    for i, t in enumerate(tx):
        positions.setdefault(t, []).append(i)
    best, n = 0, len(ev)
    for i in range(n):
        for j in positions.get(ev[i], []):
            k = 0
            while i + k < n and j + k < len(tx) and ev[i + k] == tx[j + k]:
                k += 1
            best = max(best, k)
    return best >= max(4, int(0.6 * n))


def score(questions: Sequence[EvalQuestion], ranked_texts: Sequence[Sequence[str]]) -> Scores:
    r1 = r3 = r5 = mrr = 0.0
    misses: list[str] = []
    for q, texts in zip(questions, ranked_texts, strict=True):
        rank = next((i + 1 for i, t in enumerate(texts) if hit(q.evidence or "", t)), None)
        if rank is None:
            misses.append(q.id)
            continue
        r1 += rank == 1
        r3 += rank <= 3
        r5 += rank <= 5
        mrr += 1 / rank
    n = max(1, len(questions))
    return Scores(
        n=len(questions),
        recall_at_1=round(r1 / n, 3),
        recall_at_3=round(r3 / n, 3),
        recall_at_5=round(r5 / n, 3),
        mrr=round(mrr / n, 3),
        misses=misses,
    )


class Report(BaseModel):
    guidebot: Scores
    unanswerable_declined: int
    unanswerable: int
    urgent_caught: int
    urgent: int
    false_urgent: int
    false_urgent_ids: list[str]
    undeclined_ids: list[str]
    # answerable questions answered "I don't know": the other error of declining
    answerable_declined_ids: list[str] = []


def evaluate(evalset: EvalSet, ask: Callable[[str], Answer]) -> Report:
    """Ask every question and score: recall on answerable ones, declines, urgent caught and false urgent."""
    answers = [ask(q.q) for q in evalset.questions]
    texts = [[r.text for r in a.results] if a.status in (Status.answered, Status.urgent) else [] for a in answers]
    un = [ask(q.q) for q in evalset.unanswerable]
    ur = [ask(q.q) for q in evalset.urgent]
    false_urgent = [
        q.id
        for q, a in zip([*evalset.questions, *evalset.unanswerable], [*answers, *un], strict=True)
        if a.status is Status.urgent
    ]
    return Report(
        guidebot=score(evalset.questions, texts),
        unanswerable_declined=sum(a.status is Status.no_answer for a in un),
        unanswerable=len(un),
        urgent_caught=sum(a.status is Status.urgent for a in ur),
        urgent=len(ur),
        false_urgent=len(false_urgent),
        false_urgent_ids=false_urgent,
        undeclined_ids=[
            q.id for q, a in zip(evalset.unanswerable, un, strict=True) if a.status is not Status.no_answer
        ],
        answerable_declined_ids=[
            q.id for q, a in zip(evalset.questions, answers, strict=True) if a.status is Status.no_answer
        ],
    )
