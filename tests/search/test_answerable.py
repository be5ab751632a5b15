"""The learned decision to answer or decline: the shipped model, its file's errors, and the fitting tool."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import pytest

from guidebot.config import Settings
from guidebot.search.answerable import MODEL_PATH, AnswerableModel, ModelFileError, Signals, load_model
from guidebot.search.engine import Engine
from guidebot.search.models import Status
from tests.helpers_core import load_tool

TYPICAL = Signals(text=0.55, question=0.75, unanswered=0.5, coverage=0.8, words=15)


def _tool():  # type: ignore[no-untyped-def]
    return load_tool("fit_answerable")


def test_the_shipped_model_weighs_every_signal_and_declines_below_its_caution_band() -> None:
    model = load_model()
    assert model.features == [f.name for f in fields(Signals)]
    assert 0 < model.threshold < model.caution_below < 1


@pytest.mark.parametrize(
    ("change", "direction"),
    [
        ({"question": 0.95}, 1),  # a question a passage answers, worded almost the same
        ({"text": 0.8}, 1),
        ({"coverage": 1.0}, 1),
        ({"unanswered": 0.9}, -1),  # close to questions no document answers
        ({"coverage": 0.2}, -1),
    ],
)
def test_the_shipped_model_moves_the_way_each_signal_says(change: dict[str, float], direction: int) -> None:
    model = load_model()
    before, after = model.probability(TYPICAL), model.probability(replace(TYPICAL, **change))  # type: ignore[arg-type]
    assert (after - before) * direction > 0


def test_a_paraphrase_of_a_question_nothing_answers_is_declined_where_its_answered_twin_is_not() -> None:
    model = load_model()
    answered = Signals(text=0.6, question=0.9, unanswered=0.55, coverage=0.9, words=10)
    near_miss = Signals(text=0.6, question=0.7, unanswered=0.85, coverage=0.9, words=10)
    assert model.probability(answered) >= model.threshold > model.probability(near_miss)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("{not json", "answerable.json"),
        (json.dumps({"features": ["text"], "mean": [0.0], "scale": [1.0], "coef": [1.0]}), "intercept"),
        (
            json.dumps(
                {
                    "features": ["text", "colour"],
                    "mean": [0, 0],
                    "scale": [1, 1],
                    "coef": [1, 1],
                    "intercept": 0,
                    "threshold": 0.5,
                    "caution_below": 0.6,
                    "trained_on": "x",
                }
            ),
            "features.1",
        ),
        (
            json.dumps(
                {
                    "features": ["text"],
                    "mean": [0, 0],
                    "scale": [1],
                    "coef": [1],
                    "intercept": 0,
                    "threshold": 0.5,
                    "caution_below": 0.6,
                    "trained_on": "x",
                }
            ),
            "one value per feature",
        ),
    ],
)
def test_a_malformed_model_file_names_the_file_and_the_field(tmp_path: Path, content: str, named: str) -> None:
    path = tmp_path / "answerable.json"
    path.write_text(content)
    with pytest.raises(ModelFileError, match=named) as caught:
        load_model(path)
    assert str(path) in str(caught.value)


def test_an_unreadable_model_declines_on_words_and_never_crashes(
    small_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> AnswerableModel:
        raise ModelFileError(f"{MODEL_PATH}: intercept: Field required")

    monkeypatch.setattr("guidebot.search.engine.load_model", broken)
    engine = Engine.from_settings(Settings(knowledge_dir=small_copy, index_dir=tmp_path / "ix"))
    assert engine.decision is None and "declining on words only" in engine.semantic_status
    assert engine.ask("how many sessions is BBR").status is Status.answered
    assert engine.ask("what is the capital of peru").status is Status.no_answer


def test_the_tool_fits_a_model_that_loads_and_separates_what_it_learned_from(tmp_path: Path) -> None:
    tool = _tool()
    rng = np.random.default_rng(0)
    n = 120
    y = np.array([1, 0] * (n // 2))
    # answerable: close to a passage's question, far from the near-misses; unanswerable the other way round
    x = np.column_stack(
        [
            rng.normal(0.5, 0.05, n),
            np.where(y == 1, 0.8, 0.6) + rng.normal(0, 0.05, n),
            np.where(y == 1, 0.5, 0.7) + rng.normal(0, 0.05, n),
            rng.uniform(0.3, 1.0, n),
            rng.integers(5, 40, n),
        ]
    )
    groups = np.array([f"set-{i % 4}" for i in range(n)])
    model, figures = tool.fit(x, y, groups, declined=0.05)
    path = tmp_path / "answerable.json"
    path.write_text(model.model_dump_json())
    loaded = load_model(path)
    assert figures["answerable_declined"] <= 0.1 and figures["unanswerable_declined"] >= 0.8
    answerable = Signals(text=0.5, question=0.8, unanswered=0.5, coverage=0.6, words=20)
    unanswerable = Signals(text=0.5, question=0.6, unanswered=0.7, coverage=0.6, words=20)
    assert loaded.probability(answerable) >= loaded.threshold > loaded.probability(unanswerable)


def test_the_tool_reads_every_dev_set() -> None:
    paths = _tool().dev_sets()
    assert all(p.is_file() for p in paths)
    assert {p.name for p in paths} >= {"eval_dev.yaml", "dev-team-1.yaml", "dev-unseen-22.yaml"}
