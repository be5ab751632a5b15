"""Whether the documents answer a question, learned rather than set by hand.

A logistic regression over five signals of what the two rankers found decides answer or "I don't know". Fitted by
tools/fit_answerable.py on the dev sets' answerable and unanswerable questions (bench/eval/, tests/data/), in every
register staff write in; the coefficients and the threshold are kept in guidebot/models/answerable.json. Hand-set
thresholds on the same signals declined fewer near-misses for as many answerable questions (docs/decisions.md).
Scoring is plain arithmetic: no scikit-learn at answer time.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError, model_validator

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "answerable.json"
Feature = Literal["text", "question", "unanswered", "coverage", "words"]


@dataclass(frozen=True)
class Signals:
    """What the rankers found for one question: the inputs of the decision."""

    text: float  # cosine to the closest passage text
    question: float  # cosine to the closest question a passage answers (knowledge/questions/)
    unanswered: float  # mean cosine to the closest questions no document answers (knowledge/unanswered/)
    coverage: float  # share of the question's weighted words that one candidate passage holds
    words: int  # words in the text the sentence model read: long messages sit further from everything


class AnswerableModel(BaseModel):
    """The fitted decision; `trained_on` says from which questions and what it measured out of sample."""

    features: list[Feature]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float  # below this probability: "I don't know"
    caution_below: float  # answered, but below this: the answer says the documents may not hold exactly that
    trained_on: str

    @model_validator(mode="after")
    def _same_lengths(self) -> AnswerableModel:
        if not len(self.features) == len(self.mean) == len(self.scale) == len(self.coef):
            raise ValueError("features, mean, scale and coef must have one value per feature")
        if any(s <= 0 for s in self.scale):
            raise ValueError("scale must be positive")
        return self

    def probability(self, signals: Signals) -> float:
        """The probability that the documents answer the question."""
        values = asdict(signals)
        z = self.intercept + sum(
            c * (values[f] - m) / s for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


class ModelFileError(ValueError):
    """The decision model's file is missing or malformed; the message names the file and the field."""


@cache
def load_model(path: Path = MODEL_PATH) -> AnswerableModel:
    """The shipped decision model, checked field by field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: {exc}") from exc
    try:
        return AnswerableModel.model_validate(data)
    except ValidationError as exc:
        fields = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'model'}: {e['msg']}" for e in exc.errors())
        raise ModelFileError(f"{path}: {fields}") from exc
