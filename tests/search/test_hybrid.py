"""The semantic stage beside Whoosh: vectors built with the index and reused, fusion, declining, fallbacks."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from guidebot.config import Settings
from guidebot.search import index as search_index
from guidebot.search.answerable import AnswerableModel
from guidebot.search.engine import Engine, _Candidate
from guidebot.search.models import Status
from guidebot.search.semantic import MODEL_SHA256, ModelUnavailable
from guidebot.search.vectors import MODEL_FILE, UNANSWERED, VECTORS_FILE, SemanticIndex


def _candidate(pid: str, score: float) -> _Candidate:
    return _Candidate(fields={"pid": pid}, score=score, coverage=1.0, matched=set())


def test_fusion_adds_both_rankers_relative_to_their_best(engine: Engine) -> None:
    lexical = [_candidate("a", 10.0), _candidate("b", 5.0), _candidate("c", 0.0)]
    fused = engine._fuse(lexical, {"b": 0.8, "c": 0.7, "a": 0.1})
    # b: 0.5 + 2 x 1.0; c (found by meaning only): 0 + 2 x 0.875; a: 1.0 + 2 x 0.125
    assert [c.fields["pid"] for c in fused] == ["b", "c", "a"]
    assert [c.cosine for c in fused] == [0.8, 0.7, 0.1]


def test_a_passage_only_words_find_clearly_stays_first(engine: Engine) -> None:
    lexical = [_candidate("a", 30.0), _candidate("b", 3.0), _candidate("c", 2.0)]
    fused = engine._fuse(lexical, {"b": 0.52, "c": 0.5})
    assert fused[0].fields["pid"] == "b"  # meaning at its best (2.0 + 0.1) beats words alone (1.0)
    fused = engine._fuse([_candidate("a", 30.0), _candidate("b", 3.0)], {"a": 0.45, "b": 0.52})
    assert fused[0].fields["pid"] == "a"  # found clearly by words and close in meaning


def test_a_passage_found_by_meaning_keeps_its_own_word_score(engine: Engine) -> None:
    """Past the lexical cut it is scored on its words, not 0 (it was buried behind passages of its programme)."""
    understood = engine.understanding.understand("maximum participants per group")
    top = engine._search(understood, limit=1)[0].fields["pid"]

    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z]+", text.lower()))

    passages = engine.knowledge.passages
    has_words = next(p for p in passages if p.id != top and "participants" in words(p.text))
    no_words = next(p for p in passages if p.text.strip() and not {"maximum", "participants", "group"} & words(p.text))
    found = {c.fields["pid"]: c for c in engine._search(understood, limit=1, also=[has_words.id, no_words.id])}
    assert found[has_words.id].score > 0
    assert found[no_words.id].score == 0


def test_the_shipped_engine_runs_the_semantic_stage(engine: Engine) -> None:
    assert engine.semantic_status == "on" and engine.semantic is not None
    answer = engine.ask("kaizen - how long does each group session last")
    assert answer.status is Status.answered
    assert answer.results[0].doc_id == "kaizen-hmpps-2019"


@pytest.mark.parametrize(
    "question",
    ["what's the mileage rate if I use my own car for a home visit", "can I carry over annual leave into next year"],
)
def test_questions_we_hold_nothing_on_are_declined(engine: Engine, question: str) -> None:
    assert engine.ask(question).status is Status.no_answer


def test_vectors_are_built_with_the_index_and_reused(small_copy: Path, tmp_path: Path) -> None:
    settings = Settings(knowledge_dir=small_copy, index_dir=tmp_path / "ix")
    first = Engine.from_settings(settings)
    folder = search_index.live_folder(settings.index_dir)
    assert folder is not None and (folder / VECTORS_FILE).is_file()
    stamp = (folder / VECTORS_FILE).stat().st_mtime_ns
    again = Engine.from_settings(settings)
    assert (folder / VECTORS_FILE).stat().st_mtime_ns == stamp
    assert first.semantic is not None and again.semantic is not None
    assert again.semantic.owners == first.semantic.owners


def test_vectors_made_with_other_weights_are_rebuilt(small_copy: Path, tmp_path: Path) -> None:
    """An upgrade that ships new model weights must not rank with the old weights' vectors."""
    settings = Settings(knowledge_dir=small_copy, index_dir=tmp_path / "ix")
    first = Engine.from_settings(settings)
    folder = search_index.live_folder(settings.index_dir)
    assert folder is not None and first.encoder is not None
    assert (folder / MODEL_FILE).read_text() == first.encoder.model_id == MODEL_SHA256
    (folder / MODEL_FILE).write_text("sha256 of the weights before an upgrade")
    stale = np.load(folder / VECTORS_FILE)
    np.save(folder / VECTORS_FILE, np.zeros_like(stale))
    again = Engine.from_settings(settings)
    assert (folder / MODEL_FILE).read_text() == MODEL_SHA256
    assert again.semantic is not None and again.semantic.matrix.any()
    np.testing.assert_array_equal(np.load(folder / VECTORS_FILE), stale)


def test_semantic_off_is_lexical_only(small_copy: Path, tmp_path: Path) -> None:
    engine = Engine.from_settings(Settings(knowledge_dir=small_copy, index_dir=tmp_path / "ix", semantic=False))
    assert engine.semantic is None and engine.semantic_status.startswith("off")
    assert engine.ask("how many sessions is BBR").status is Status.answered
    # turned on later, the existing index gets its vectors added, not rebuilt
    on = Engine.from_settings(Settings(knowledge_dir=small_copy, index_dir=tmp_path / "ix"))
    assert on.semantic is not None


def test_a_missing_model_falls_back_to_lexical(
    small_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*_: object, **__: object) -> None:
        raise ModelUnavailable("model.safetensors is missing")

    monkeypatch.setattr("guidebot.search.vectors.Encoder.load", missing)
    engine = Engine.from_settings(Settings(knowledge_dir=small_copy, index_dir=tmp_path / "ix"))
    assert engine.semantic is None and "unavailable" in engine.semantic_status
    assert engine.ask("how many sessions is BBR").status is Status.answered


def test_a_question_nearest_one_nothing_answers_is_declined(small_copy: Path, tmp_path: Path) -> None:
    question = "whats the pass mark for the BBR facilitator assessment centre"
    engine = Engine.from_settings(Settings(knowledge_dir=small_copy, index_dir=tmp_path / "ix"))
    assert engine.ask(question).status is Status.no_answer
    # without the unanswered questions, the passage on the assessment centre would be offered as the answer
    for path in (small_copy / "unanswered").glob("*.yaml"):
        path.unlink()
    bare = Engine.from_settings(Settings(knowledge_dir=small_copy, index_dir=tmp_path / "ix"))
    assert bare.ask(question).status is Status.answered
    assert bare.ask("how many sessions is BBR").status is Status.answered


@pytest.mark.parametrize(
    ("where", "status", "cautioned"),
    [
        ("sure", Status.answered, False),  # the decision model is confident the documents answer it
        ("nearly", Status.answered, True),  # above the threshold, below `caution_below`
        ("below", Status.no_answer, False),  # under the threshold: "I don't know"
    ],
)
def test_an_answer_nearly_declined_says_the_documents_may_not_hold_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, where: str, status: Status, cautioned: bool
) -> None:
    model = engine.decision
    assert model is not None and model.threshold < model.caution_below
    p = {
        "sure": (model.caution_below + 1) / 2,
        "nearly": (model.threshold + model.caution_below) / 2,
        "below": model.threshold / 2,
    }[where]
    monkeypatch.setattr(AnswerableModel, "probability", lambda self, signals: p)
    answer = engine.ask("kaizen - how long does each group session last")
    assert answer.status is status
    assert (answer.caution is not None) is cautioned
    if cautioned:
        assert "may not say exactly what you asked" in answer.caution


def test_meaning_tells_passage_texts_from_their_questions_and_averages_the_nearest_near_misses() -> None:
    # rows: p1's text, p1's question, p2's text, then four questions no document answers
    rows = np.array(
        [[1, 0, 0], [0, 1, 0], [0.6, 0.8, 0], [0, 0.9, 0], [0, 0.6, 0], [0, 0.3, 0], [0, 0, 1]], dtype=np.float32
    )
    index = SemanticIndex(rows, ["p1", "p1", "p2", UNANSWERED, UNANSWERED, UNANSWERED, UNANSWERED])
    meaning = index.meaning(np.array([0, 1, 0], dtype=np.float32), 5)
    assert meaning.question == pytest.approx(1.0)  # p1's question
    assert meaning.text == pytest.approx(0.8)  # p2's text, not p1's question
    assert meaning.unanswered == pytest.approx((0.9 + 0.6 + 0.3) / 3)
    assert list(meaning.passages) == ["p1", "p2"]
