"""The assessor: trained by index under the messages' fingerprint, reused while they are unchanged."""

from __future__ import annotations

from pathlib import Path

from guidebot.knowledge.questions import question_files
from guidebot.safety.assess import Safety, model_path, prepare
from guidebot.safety.classifier import files_fingerprint
from guidebot.safety.messages import message_files
from tests.safety.conftest import write_messages


def test_the_model_is_trained_once_and_reused(small_knowledge: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first, trained = prepare(small_knowledge, index)
    assert trained and first.model is not None
    path = model_path(index, files_fingerprint([*message_files(small_knowledge), *question_files(small_knowledge)]))
    stamp = path.stat().st_mtime_ns
    again, trained_again = prepare(small_knowledge, index)
    assert not trained_again and again.model == first.model
    assert path.stat().st_mtime_ns == stamp


def test_changed_messages_retrain_and_replace_the_old_model(small_knowledge: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    prepare(small_knowledge, index)
    write_messages(
        small_knowledge, "more.yaml", [{"text": "he's at the school gates now", "label": "urgent", "why": "w"}]
    )
    safety, trained = prepare(small_knowledge, index)
    assert trained and safety.model is not None
    assert len(list(index.glob("safety-model-*.json"))) == 1
    assert safety.model.figures.messages == 49


def test_a_corrupt_stored_model_is_retrained(small_knowledge: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    prepare(small_knowledge, index)
    stored = next(index.glob("safety-model-*.json"))
    stored.write_text("{not json", encoding="utf-8")
    safety, trained = prepare(small_knowledge, index)
    assert trained and safety.model is not None


def test_broken_messages_leave_hard_signs_only(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    (knowledge / "safety").mkdir(parents=True)
    (knowledge / "safety" / "messages.yaml").write_text("messages: [oops\n", encoding="utf-8")
    safety, trained = prepare(knowledge, tmp_path / "index")
    assert not trained and safety.hard_signs_only
    assert any("messages.yaml" in str(e) for e in safety.errors)
    assert safety.assess("he's going to kill her tonight").urgent
    assessment = safety.assess("he's outside her house")
    assert not assessment.urgent and assessment.reason == "hard signs only"


def test_the_assessment_says_why(small_knowledge: Path, tmp_path: Path) -> None:
    safety, _ = prepare(small_knowledge, tmp_path / "index")
    by_sign = safety.assess("he's got a gun")
    assert by_sign.reason == "hard sign: weapon with him now" and by_sign.probability is None
    by_model = safety.assess("how many sessions is BBR")
    assert by_model.reason == "classifier" and by_model.probability is not None and not by_model.urgent


def test_nothing_urgent_without_a_model_or_a_sign() -> None:
    assert not Safety(None).assess("").urgent
