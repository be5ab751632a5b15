"""The learned classifier: scores as scikit-learn does, deterministic, and holds its cross-validated floor."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebot.safety.classifier import LinearModel, _pipeline, choose_threshold, train
from guidebot.safety.messages import load_messages
from guidebot.safety.models import Label
from tests.helpers_core import SHIPPED_KNOWLEDGE

# Floors from the issue: recall >= 0.97 with false alarms <= 0.06, 10-fold cross-validated.
MIN_CV_RECALL = 0.97
MAX_CV_FALSE_ALARMS = 0.06


@pytest.fixture(scope="module")
def shipped_model() -> LinearModel:
    messages, errors = load_messages(SHIPPED_KNOWLEDGE)
    assert errors == []
    return train(messages)


def test_cross_validated_recall_and_false_alarms_hold(shipped_model: LinearModel) -> None:
    f = shipped_model.figures
    assert f.folds == 10 and f.urgent >= 300 and f.ordinary >= 300
    assert f.recall >= MIN_CV_RECALL, f
    assert f.false_alarm_rate <= MAX_CV_FALSE_ALARMS, f
    assert 0 < f.risk_topic_threshold < f.threshold <= 0.7


def test_the_stored_model_scores_exactly_as_scikit_learn(small_knowledge: Path) -> None:
    messages, _ = load_messages(small_knowledge)
    texts = [m.text for m in messages]
    labels = [m.label is Label.urgent for m in messages]
    expected = _pipeline().fit(texts, labels).predict_proba([*texts, "unseen words entirely", ""])[:, 1]
    model = train(messages)
    got = [model.probability(t) for t in [*texts, "unseen words entirely", ""]]
    assert got == pytest.approx(list(expected), abs=1e-9)


def test_same_messages_same_model(small_knowledge: Path, tmp_path: Path) -> None:
    messages, _ = load_messages(small_knowledge)
    train(messages).save(tmp_path / "a.json")
    train(messages).save(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert LinearModel.load(tmp_path / "a.json") == train(messages)


def test_the_threshold_keeps_the_recall_wanted() -> None:
    probabilities = [0.45] * 97 + [0.3, 0.2, 0.1] + [0.05] * 100
    labels = [True] * 100 + [False] * 100
    assert choose_threshold(probabilities, labels) == 0.3  # 98 of 100 caught at 0.3
    assert choose_threshold([0.99] * 10, [True] * 10) == 0.7  # never stricter than the ceiling


@pytest.mark.parametrize(
    "text",
    [
        "he's threatened to kill her before, does BBR take men with threats to kill on record?",
        "how many sessions is BBR",
        "what does SARA stand for",
    ],
)
def test_questions_about_risk_are_not_urgent(shipped_model: LinearModel, text: str) -> None:
    assert shipped_model.probability(text) < shipped_model.figures.threshold
