"""assess(message) -> Assessment: hard signs first, then the learned classifier; used by ask, chat and Slack.

The model is trained by `guidebot index` (or the first ask) from knowledge/safety/ and knowledge/questions/,
and stored with the index under those files' fingerprint: unchanged files reuse it, changed ones retrain it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from guidebot.knowledge.models import KnowledgeError
from guidebot.knowledge.questions import question_files
from guidebot.safety.classifier import LinearModel, files_fingerprint, train
from guidebot.safety.hard_signs import hard_sign
from guidebot.safety.messages import SAFETY_DIR, load_messages, message_files
from guidebot.safety.models import Assessment, Label

log = logging.getLogger(__name__)

# Fewer labelled messages than this of either kind can't teach anything: hard signs only.
MIN_PER_LABEL = 20
# Models trained in this process, by fingerprint: a second index of the same messages reuses the training.
_trained: dict[str, LinearModel] = {}


@dataclass
class Safety:
    """The risk assessor of one process: the classifier (None: hard signs only) and what went wrong loading it."""

    model: LinearModel | None
    errors: list[KnowledgeError] = field(default_factory=list)

    def assess(self, text: str) -> Assessment:
        """Urgent when a hard sign matches, or when the classifier's probability reaches its threshold."""
        sign = hard_sign(text)
        if sign:
            log.debug("urgent: hard sign %s", sign)
            return Assessment(urgent=True, reason=f"hard sign: {sign}", hard_sign=sign)
        if self.model is None:
            log.debug("not urgent: hard signs only")
            return Assessment(urgent=False, reason="hard signs only")
        p = self.model.probability(text)
        figures = self.model.figures
        log.debug("classifier probability %.3f (threshold %.3f)", p, figures.threshold)
        return Assessment(
            urgent=p >= figures.threshold,
            reason="classifier",
            probability=round(p, 4),
            risk_topic=figures.risk_topic_threshold <= p < figures.threshold,
        )

    @property
    def hard_signs_only(self) -> bool:
        return self.model is None


def model_path(index_dir: Path, fingerprint: str) -> Path:
    return index_dir / f"safety-model-{fingerprint[:16]}.json"


def prepare(
    knowledge_dir: Path, index_dir: Path, *, force: bool = False, train_missing: bool = True, check: bool = False
) -> tuple[Safety, bool]:
    """The assessor for this knowledge, training and storing its model when missing or stale; True when trained.

    A stored model for the same files is loaded without parsing them; `check` parses them anyway to report
    problems (index, doctor). With train_missing=False (doctor) a missing model is reported, not trained."""
    fingerprint = files_fingerprint([*message_files(knowledge_dir), *question_files(knowledge_dir)])
    path = model_path(index_dir, fingerprint)
    model: LinearModel | None = None
    if not force and path.is_file():
        try:
            model = LinearModel.load(path)
        except (OSError, ValueError, ValidationError):
            log.warning("stored risk model unreadable; retraining")
        if model is not None and model.fingerprint != fingerprint:
            model = None
    if model is not None and not check:
        return Safety(model), False
    messages, errors = load_messages(knowledge_dir)
    if model is not None:
        return Safety(model, errors), False
    counts = {label: sum(m.label is label for m in messages) for label in Label}
    if min(counts.values()) < MIN_PER_LABEL:
        errors.append(
            KnowledgeError(
                path=str(knowledge_dir / SAFETY_DIR),
                message=f"too few labelled messages to learn from ({counts[Label.urgent]} urgent, "
                f"{counts[Label.ordinary]} ordinary; {MIN_PER_LABEL} of each needed): hard signs only",
            )
        )
        return Safety(None, errors), False
    if not train_missing:
        return Safety(None, errors), False
    if fingerprint not in _trained:
        log.info("learning imminent-risk detection from %d labelled messages (once per change)", len(messages))
        _trained[fingerprint] = train(messages, fingerprint)
    model = _trained[fingerprint]
    model.save(path)
    for old in path.parent.glob("safety-model-*.json"):
        if old != path:
            old.unlink(missing_ok=True)
    return Safety(model, errors), True
