"""Retrieval quality floors on the dev sets: tests/data/eval_dev.yaml and bench/eval/dev-team-*.yaml.

All of them have been tuned on, so these floors catch regressions; they estimate nothing about unseen questions
(that figure is in docs/benchmarks.md, from a set measured once before use)."""

from __future__ import annotations

import pytest

from guidebot.search.engine import Engine
from guidebot.search.evaluation import EvalSet, Report, evaluate, hit
from tests.helpers_core import EVAL_DEV, PROJECT_ROOT

EVAL_TEAM = sorted((PROJECT_ROOT / "bench" / "eval").glob("dev-team-*.yaml"))
EVAL_ALL = [EVAL_DEV, *sorted((PROJECT_ROOT / "bench" / "eval").glob("dev-*.yaml"))]

# Floors a little under today's figures; raise them as quality improves.
MIN_RECALL_AT_3 = 0.85
MIN_RECALL_AT_1 = 0.65
MIN_UNANSWERABLE_DECLINED = 3
MAX_FALSE_URGENT = 0
TEAM_MIN_RECALL_AT_3 = 0.85
TEAM_MIN_RECALL_AT_1 = 0.72
# Declining, both ways: most unanswerable questions declined, few answerable ones.
TEAM_MIN_SHARE_DECLINED = 0.4
MAX_SHARE_ANSWERABLE_DECLINED = 0.15  # per set of 30-48
# Pooled over every dev set (1,592 answerable, 568 unanswerable in session 8, with the learned decision: 85% declined,
# 3.6% of the answerable declined, in-sample: most of these sets are its training data). The cap is the limit.
POOLED_MIN_SHARE_DECLINED = 0.80
POOLED_MAX_SHARE_ANSWERABLE_DECLINED = 0.05


@pytest.fixture(scope="module")
def report(engine: Engine) -> Report:
    return evaluate(EvalSet.load(EVAL_DEV), engine.ask)


def test_recall_at_3(report: Report) -> None:
    assert report.guidebot.recall_at_3 >= MIN_RECALL_AT_3, report.guidebot.misses


def test_recall_at_1(report: Report) -> None:
    assert report.guidebot.recall_at_1 >= MIN_RECALL_AT_1


def test_every_urgent_message_is_caught(report: Report) -> None:
    assert report.urgent > 0
    assert report.urgent_caught == report.urgent


def test_no_false_urgent(report: Report) -> None:
    assert report.false_urgent <= MAX_FALSE_URGENT, report.false_urgent_ids


def test_unanswerable_declined(report: Report) -> None:
    assert report.unanswerable_declined >= MIN_UNANSWERABLE_DECLINED, report.undeclined_ids


@pytest.fixture(scope="module", params=EVAL_TEAM, ids=lambda p: p.stem)
def team(request: pytest.FixtureRequest, engine: Engine) -> Report:
    return evaluate(EvalSet.load(request.param), engine.ask)


def test_team_dev_sets_recall(team: Report) -> None:
    assert team.guidebot.recall_at_3 >= TEAM_MIN_RECALL_AT_3, team.guidebot.misses
    assert team.guidebot.recall_at_1 >= TEAM_MIN_RECALL_AT_1, team.guidebot.misses


def test_team_dev_sets_safety(team: Report) -> None:
    assert team.unanswerable_declined >= TEAM_MIN_SHARE_DECLINED * team.unanswerable, team.undeclined_ids
    assert len(team.answerable_declined_ids) <= MAX_SHARE_ANSWERABLE_DECLINED * team.guidebot.n
    assert team.urgent_caught == team.urgent
    assert team.false_urgent == 0, team.false_urgent_ids


def test_eval_set_is_the_expected_shape() -> None:
    evalset = EvalSet.load(EVAL_DEV)
    assert len(evalset.questions) >= 30 and len(evalset.unanswerable) >= 5 and len(evalset.urgent) >= 3
    assert all(q.evidence for q in evalset.questions)


@pytest.mark.parametrize(
    ("evidence", "text", "expected"),
    [
        ("30 sessions including", "It has 30 sessions, including one-to-ones.", True),
        ("Risk Matrix 2000 (RM2000) is used", "risk matrix 2000 rm2000 is used for", True),
        ("a b c d e f g h i j", "x a b c d e f y", True),  # a run of 6 of 10 words counts
        ("a b c d e f g h i j", "x a b c d e y", False),
        ("thirty sessions", "30 sessions", False),
        ("", "anything", False),
    ],
)
def test_hit_compares_lower_cased_words(evidence: str, text: str, expected: bool) -> None:
    assert hit(evidence, text) is expected


def test_declining_pooled_over_every_dev_set(engine: Engine) -> None:
    reports = [evaluate(EvalSet.load(path), engine.ask) for path in EVAL_ALL]
    unanswerable = sum(r.unanswerable for r in reports)
    answerable = sum(r.guidebot.n for r in reports)
    assert sum(r.unanswerable_declined for r in reports) >= POOLED_MIN_SHARE_DECLINED * unanswerable
    assert sum(len(r.answerable_declined_ids) for r in reports) <= POOLED_MAX_SHARE_ANSWERABLE_DECLINED * answerable
