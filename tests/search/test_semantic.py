"""The numpy sentence encoder: pinned files, the torch reference's numbers, and refusal of altered files."""

from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from guidebot.search import semantic
from guidebot.search.semantic import MODEL_DIR, MODEL_SHA256, Encoder, ModelUnavailable

# Pinned here as well as in the module: changing the shipped weights must change both, deliberately.
PINNED_WEIGHTS_SHA256 = "e390ce97e7c5855e659a9c5a77426e91c595da0890938056ecf435bc9c6bdc65"
PINNED_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

# Over 256 tokens; LONG[:700] is 138, past tokenizer.json's own limit of 128 and within sentence-transformers' 256.
LONG = (
    "The programme is delivered in weekly group sessions run by two facilitators, and each session covers a theme "
    "such as respect, accountability, parenting, sexual respect, and negotiation. "
) * 8
# First 5 dimensions of sentence-transformers' embeddings (torch 2.13.0, sentence-transformers 6.2.0, max_seq_length
# 256) over the float32 weights tools/finetune_model.py trained, before their float16 export; rounded to 3 decimals.
REFERENCE = {
    "how many sessions is the programme": [0.075, 0.049, -0.031, -0.069, -0.064],
    "the partner link worker phones the woman": [-0.116, 0.003, -0.005, -0.001, -0.050],
    LONG[:700]: [-0.002, 0.082, -0.006, -0.045, -0.010],
}


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder.load()


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    """A copy of the shipped model folder that a test may damage."""
    folder = tmp_path / "model"
    shutil.copytree(MODEL_DIR, folder)
    return folder


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_shipped_files_are_the_pinned_ones() -> None:
    assert MODEL_SHA256 == PINNED_WEIGHTS_SHA256
    assert _sha256(MODEL_DIR / semantic.WEIGHTS_FILE) == PINNED_WEIGHTS_SHA256
    assert _sha256(MODEL_DIR / semantic.TOKENIZER_FILE) == PINNED_TOKENIZER_SHA256 == semantic.TOKENIZER_SHA256


def test_encoder_constants_match_the_shipped_config() -> None:
    config = json.loads((MODEL_DIR / "config.json").read_text())
    assert config["num_attention_heads"] == semantic.HEADS
    assert config["layer_norm_eps"] == semantic.LAYER_NORM_EPS
    assert config["pad_token_id"] == semantic.PAD_ID
    assert config["max_position_embeddings"] >= semantic.MAX_TOKENS
    assert (config["hidden_act"], config["position_embedding_type"]) == ("gelu", "absolute")


def test_vectors_are_unit_length_float32_of_dim_384(encoder: Encoder) -> None:
    vectors = encoder.encode(["how many sessions is the programme", "", "a", LONG])
    assert encoder.dim == 384
    assert vectors.shape == (4, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_no_texts_gives_an_empty_matrix(encoder: Encoder) -> None:
    assert encoder.encode([]).shape == (0, 384)


def test_paraphrases_score_higher_than_unrelated_sentences(encoder: Encoder) -> None:
    question, paraphrase, unrelated = encoder.encode(
        [
            "how many sessions is the programme",
            "number of sessions in the course",
            "the partner link worker phones the woman",
        ]
    )
    assert question @ paraphrase > 0.5
    assert question @ paraphrase > question @ unrelated + 0.3
    assert paraphrase @ unrelated < 0.2


def test_matches_the_torch_reference(encoder: Encoder) -> None:
    vectors = encoder.encode(list(REFERENCE))
    np.testing.assert_allclose(vectors[:, :5], np.array(list(REFERENCE.values())), atol=2e-3)


def test_texts_are_truncated_at_256_tokens(encoder: Encoder) -> None:
    # LONG is over 256 tokens: words after the 256th change nothing
    a, b = encoder.encode([LONG, LONG + " and a tail that is cut off"])
    np.testing.assert_array_equal(a, b)


def test_output_is_deterministic_and_independent_of_batching(encoder: Encoder) -> None:
    # enough text to take the threaded path, of mixed lengths so that batches are padded
    texts = [" ".join(["word"] * n) + f" number {n}" for n in range(1, 120, 3)] + list(REFERENCE)
    together = encoder.encode(texts, batch_size=8)
    assert np.array_equal(together, encoder.encode(texts, batch_size=8))
    one_by_one = np.vstack([encoder.encode([t]) for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)
    np.testing.assert_allclose(encoder.encode(texts, batch_size=64), one_by_one, atol=1e-5)


def test_threads_may_share_an_encoder(encoder: Encoder) -> None:
    texts = [[LONG[: 100 * i] for i in range(1, 8)], list(REFERENCE), ["how many sessions is the programme"]]
    alone = [encoder.encode(t) for t in texts]
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(encoder.encode, texts * 2))
    for got, expected in zip(together, alone * 2, strict=True):
        np.testing.assert_allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize("name", [semantic.WEIGHTS_FILE, semantic.TOKENIZER_FILE])
def test_a_missing_file_is_named(model_copy: Path, name: str) -> None:
    (model_copy / name).unlink()
    with pytest.raises(ModelUnavailable, match=name):
        Encoder.load(model_copy)


@pytest.mark.parametrize("name", [semantic.WEIGHTS_FILE, semantic.TOKENIZER_FILE])
def test_an_altered_file_is_refused(model_copy: Path, name: str) -> None:
    path = model_copy / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, in the middle of the weights or of the vocabulary
    path.write_bytes(bytes(data))
    with pytest.raises(ModelUnavailable, match=rf"{name}.*sha256"):
        Encoder.load(model_copy)


@pytest.mark.parametrize("name", [semantic.WEIGHTS_FILE, semantic.TOKENIZER_FILE])
def test_an_empty_file_is_refused(model_copy: Path, name: str) -> None:
    (model_copy / name).write_bytes(b"")
    with pytest.raises(ModelUnavailable, match=name):
        Encoder.load(model_copy)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable):
        Encoder.load(tmp_path / "nowhere")
    assert issubclass(ModelUnavailable, RuntimeError)
