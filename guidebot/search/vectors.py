"""The semantic stage: a vector per passage and per question it answers, built with the index, ranked by cosine.

Vectors are computed by `guidebot index` into the index's own folder (named by the knowledge fingerprint), so
they are reused while the knowledge is unchanged and rebuilt with it. A passage scores the best cosine of its
own text and of its questions: a question typed in everyday words is usually closest to one of those.
The questions no document answers (knowledge/unanswered/) get vectors too, owned by no passage: how close a question
comes to them is one of the signals that decide whether it is answered (guidebot/search/answerable.py).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from guidebot.knowledge.loader import Knowledge
from guidebot.search.semantic import Encoder, ModelUnavailable

log = logging.getLogger(__name__)

VECTORS_FILE = "vectors.npy"
OWNERS_FILE = "vectors.json"
# The weights the vectors were made with: vectors from other weights (an upgrade changed the model) are rebuilt.
MODEL_FILE = "vectors.model"
BATCH = 32
# Vectors already computed in this process, by text: rebuilding an index after a small edit encodes only
# what changed (and tests that build many indexes of the same knowledge encode it once).
_CACHE_LIMIT = 50_000
_cache: dict[str, np.ndarray] = {}
# The owner of an unanswered question's vector (no passage id is empty).
UNANSWERED = ""
# How many of the closest questions no document answers are averaged: one alone is often a lucky paraphrase.
NEAR_MISSES = 3


def texts_to_encode(knowledge: Knowledge) -> tuple[list[str], list[str]]:
    """(owner passage id, text) pairs: each passage with its section, then each of its questions (so the first row
    of a passage is its text, which SemanticIndex relies on)."""
    owners: list[str] = []
    texts: list[str] = []
    for p in knowledge.passages:
        owners.append(p.id)
        texts.append(f"{p.section}: {p.text}" if p.section else p.text)
        for q in knowledge.questions.get(p.id, []):
            owners.append(p.id)
            texts.append(q)
    for q in knowledge.unanswered:
        owners.append(UNANSWERED)
        texts.append(q)
    return owners, texts


def build_vectors(folder: Path, knowledge: Knowledge, encoder: Encoder) -> None:
    """Encode every passage and question into folder/vectors.npy (float16), written whole or not at all."""
    owners, texts = texts_to_encode(knowledge)
    matrix = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    todo = [i for i, text in enumerate(texts) if text not in _cache]
    # longest first: batches of similar length waste less padding
    todo.sort(key=lambda i: -len(texts[i]))
    for start in range(0, len(todo), BATCH):
        rows = todo[start : start + BATCH]
        for i, vector in zip(rows, encoder.encode([texts[i] for i in rows], batch_size=BATCH), strict=True):
            if len(_cache) < _CACHE_LIMIT:
                _cache[texts[i]] = vector
            matrix[i] = vector
    for i, text in enumerate(texts):
        if text in _cache:
            matrix[i] = _cache[text]
    tmp = folder / f".{VECTORS_FILE}.{os.getpid()}"
    with open(tmp, "wb") as fh:
        np.save(fh, matrix.astype(np.float16))
    (folder / OWNERS_FILE).write_text(json.dumps(owners))
    (folder / MODEL_FILE).write_text(encoder.model_id)
    os.replace(tmp, folder / VECTORS_FILE)


def has_vectors(folder: Path, model_id: str) -> bool:
    """Vectors for this folder's knowledge, made with these weights."""
    try:
        made_with = (folder / MODEL_FILE).read_text()
    except OSError:
        return False
    return made_with == model_id and (folder / VECTORS_FILE).is_file() and (folder / OWNERS_FILE).is_file()


@dataclass(frozen=True)
class Meaning:
    """What the semantic stage says of one question: the passages close to it, and how close its nearest kinds are."""

    passages: dict[str, float]  # passage id -> best cosine of its text or its questions, best first
    text: float  # the closest passage text
    question: float  # the closest question a passage answers
    unanswered: float  # mean cosine of the NEAR_MISSES closest questions no document answers (-1 when none)


@dataclass
class SemanticIndex:
    """The vectors of one index folder and the passage each row belongs to."""

    matrix: np.ndarray
    owners: list[str]

    def __post_init__(self) -> None:
        unanswered = np.array([owner == UNANSWERED for owner in self.owners], dtype=bool)
        self._unanswered = self.matrix[unanswered]
        self.matrix = self.matrix[~unanswered]
        self.owners = [owner for owner in self.owners if owner != UNANSWERED]
        self._is_text = np.array([i == 0 or o != self.owners[i - 1] for i, o in enumerate(self.owners)], dtype=bool)

    @classmethod
    def load(cls, folder: Path) -> SemanticIndex:
        matrix = np.load(folder / VECTORS_FILE).astype(np.float32)
        owners = json.loads((folder / OWNERS_FILE).read_text())
        if len(owners) != len(matrix):
            raise ValueError("vectors and their owners disagree; rebuild with 'guidebot index --force'")
        return cls(matrix, owners)

    def meaning(self, query: np.ndarray, limit: int) -> Meaning:
        """The passages closest to the query, and its closeness to passage texts, their questions and near-misses."""
        scores = self.matrix @ query
        texts, questions = scores[self._is_text], scores[~self._is_text]
        return Meaning(
            passages=dict(self.rank(query, limit, scores)),
            text=float(texts.max()) if len(texts) else -1.0,
            question=float(questions.max()) if len(questions) else -1.0,
            unanswered=self.nearest_unanswered(query),
        )

    def nearest_unanswered(self, query: np.ndarray) -> float:
        """Mean cosine of the query to the NEAR_MISSES closest questions no document answers (-1 when none)."""
        if not len(self._unanswered):
            return -1.0
        scores = self._unanswered @ query
        k = min(NEAR_MISSES, len(scores))
        return float(np.partition(scores, len(scores) - k)[-k:].mean())

    def rank(self, query: np.ndarray, limit: int, scores: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Passages by their best cosine to the query (of their text or any of their questions), best first."""
        scores = self.matrix @ query if scores is None else scores
        k = min(len(scores), limit * 8)  # rows enough for `limit` passages, most having a few questions
        top = np.argpartition(-scores, k - 1)[:k]
        best: dict[str, float] = {}
        for row in top[np.argsort(-scores[top])]:
            pid = self.owners[row]
            if pid not in best:
                best[pid] = float(scores[row])
                if len(best) >= limit:
                    break
        return list(best.items())


def load_encoder(enabled: bool) -> tuple[Encoder | None, str]:
    """The encoder, or None and why not: switched off, or the model files missing or altered (never a crash)."""
    if not enabled:
        return None, "off (GUIDEBOT_SEMANTIC=off): lexical search only"
    try:
        return Encoder.load(), "on"
    except ModelUnavailable as exc:
        log.warning("semantic stage unavailable, lexical search only: %s", exc)
        return None, f"unavailable ({exc}): lexical search only"
