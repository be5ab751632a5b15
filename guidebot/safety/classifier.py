"""A classifier of imminent-risk messages, learned with scikit-learn from the labelled messages.

Training (at `guidebot index`) uses scikit-learn: TF-IDF on words (1-2 grams) and on characters within words
(3-5 grams) into a balanced logistic regression, and 10-fold cross-validation to choose the threshold for the
recall wanted. What is stored is the fitted linear model as JSON (vocabulary, idf, weights), never a pickle,
and scoring a message reads that JSON: importing scikit-learn costs about a second, which a cold `guidebot ask`
cannot afford. `test_classifier` checks that the stored model scores exactly as scikit-learn does.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from guidebot.safety.messages import QUESTION_WHY
from guidebot.safety.models import Label, LabelledMessage

SEED = 0
FOLDS = 10
# Missing a danger report is the worst thing the bot can do; a false alarm costs a glance.
TARGET_RECALL = 0.975
# A ceiling on the threshold, whatever cross-validation allows (a guard against an odd fold).
MAX_THRESHOLD = 0.7
# A message scoring above this share of the threshold is about risk: its answer ends with the safety line.
RISK_TOPIC_SHARE = 0.3
# Inverse regularisation strength, chosen by 10-fold cross-validation on the labelled messages (1, 3, 10, 30,
# 100 compared; 10 gave the fewest false alarms at the recall wanted, docs/benchmarks.md).
REGULARISATION = 10.0
MODEL_VERSION = "1"

WORD_PATTERN = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)


class Figures(BaseModel):
    """Cross-validated figures at the chosen threshold, recorded beside the model."""

    messages: int
    urgent: int
    ordinary: int
    folds: int
    threshold: float
    recall: float
    false_alarm_rate: float
    # the same over the messages of knowledge/safety/ alone: the practitioner questions are easier negatives
    false_alarm_rate_labelled: float
    risk_topic_threshold: float


class LinearModel(BaseModel):
    """The fitted model as plain data: per feature its idf and weight, per block; JSON, so loading runs no code."""

    version: str = MODEL_VERSION
    fingerprint: str
    words: dict[str, tuple[float, float]] = Field(description="word n-gram -> (idf, weight)")
    chars: dict[str, tuple[float, float]] = Field(description="character n-gram -> (idf, weight)")
    intercept: float
    figures: Figures

    def probability(self, text: str) -> float:
        """The probability that the message is urgent, as scikit-learn's predict_proba computes it."""
        score = self.intercept + _block(word_ngrams(text), self.words) + _block(char_ngrams(text), self.chars)
        return 1.0 / (1.0 + math.exp(-score)) if score > -700 else 0.0

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.model_dump_json())
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        return cls.model_validate_json(path.read_text())


def word_ngrams(text: str) -> list[str]:
    """Lower-cased words of two letters or more, and each pair of neighbours (TfidfVectorizer's 'word')."""
    tokens = WORD_PATTERN.findall(text.lower())
    grams = list(tokens)
    for n in range(max(2, WORD_NGRAMS[0]), WORD_NGRAMS[1] + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_ngrams(text: str) -> list[str]:
    """Character n-grams inside space-padded words (TfidfVectorizer's 'char_wb')."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        w = f" {word} "
        for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
            offset = 0
            grams.append(w[offset : offset + n])
            while offset + n < len(w):
                offset += 1
                grams.append(w[offset : offset + n])
            if offset == 0:  # a short word counts once
                break
    return grams


def _block(grams: list[str], table: dict[str, tuple[float, float]]) -> float:
    """Sublinear tf * idf, L2-normalised over the known features, dotted with the weights."""
    values = [((1.0 + math.log(n)) * table[g][0], table[g][1]) for g, n in Counter(grams).items() if g in table]
    norm = math.sqrt(sum(v * v for v, _ in values))
    return sum(v * w for v, w in values) / norm if norm else 0.0


def files_fingerprint(files: Sequence[Path]) -> str:
    """The files the model learns from, and how it learns: unchanged, the stored model is reused without even
    parsing the messages (reading 3,000 labelled messages as YAML costs more than a second)."""
    digest = hashlib.sha256(
        f"{MODEL_VERSION}|{SEED}|{FOLDS}|{TARGET_RECALL}|{REGULARISATION}|{MAX_THRESHOLD}|{RISK_TOPIC_SHARE}".encode()
    )
    for path in sorted(files):
        digest.update(f"{path.parent.name}/{path.name}".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _pipeline():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        ("words", TfidfVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, sublinear_tf=True)),
                        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)),
                    ]
                ),
            ),
            ("model", LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=3000, random_state=SEED)),
        ]
    )


def choose_threshold(probabilities: Sequence[float], labels: Sequence[bool]) -> float:
    """The highest threshold (at most MAX_THRESHOLD) that keeps cross-validated recall at TARGET_RECALL."""
    urgent = sorted((p for p, y in zip(probabilities, labels, strict=True) if y), reverse=True)
    if not urgent:
        return MAX_THRESHOLD
    keep = math.ceil(TARGET_RECALL * len(urgent))
    return round(min(MAX_THRESHOLD, urgent[keep - 1]), 4)


def cross_validated(messages: Sequence[LabelledMessage]) -> list[float]:
    """Each message's probability from a model that never saw it (FOLDS-fold, stratified, seeded)."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts = [m.text for m in messages]
    labels = [m.label is Label.urgent for m in messages]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    probabilities = cross_val_predict(_pipeline(), texts, labels, cv=folds, method="predict_proba", n_jobs=2)
    return [float(p) for p in probabilities[:, 1]]


def train(messages: Sequence[LabelledMessage], fingerprint: str = "") -> LinearModel:
    """Fit on every message, choose the threshold from cross-validated probabilities; deterministic."""
    texts = [m.text for m in messages]
    labels = [m.label is Label.urgent for m in messages]
    cv = cross_validated(messages)
    threshold = choose_threshold(cv, labels)
    n_urgent = sum(labels)
    n_ordinary = len(labels) - n_urgent
    caught = sum(p >= threshold for p, y in zip(cv, labels, strict=True) if y)
    false = sum(p >= threshold for p, y in zip(cv, labels, strict=True) if not y)
    labelled = [p for p, y, m in zip(cv, labels, messages, strict=True) if not y and m.why != QUESTION_WHY]
    false_labelled = sum(p >= threshold for p in labelled)
    figures = Figures(
        messages=len(messages),
        urgent=n_urgent,
        ordinary=n_ordinary,
        folds=FOLDS,
        threshold=threshold,
        recall=round(caught / max(1, n_urgent), 4),
        false_alarm_rate=round(false / max(1, n_ordinary), 4),
        false_alarm_rate_labelled=round(false_labelled / max(1, len(labelled)), 4),
        risk_topic_threshold=round(threshold * RISK_TOPIC_SHARE, 4),
    )
    pipe = _pipeline().fit(texts, labels)
    union, model = pipe.named_steps["features"], pipe.named_steps["model"]
    coef = model.coef_[0]
    tables: dict[str, dict[str, tuple[float, float]]] = {}
    offset = 0
    for name, vectorizer in union.transformer_list:
        vocab = vectorizer.vocabulary_
        idf = vectorizer.idf_
        tables[name] = {
            gram: (float(idf[i]), float(coef[offset + i])) for gram, i in sorted(vocab.items(), key=lambda kv: kv[1])
        }
        offset += len(vocab)
    return LinearModel(
        fingerprint=fingerprint,
        words=tables["words"],
        chars=tables["chars"],
        intercept=float(model.intercept_[0]),
        figures=figures,
    )
