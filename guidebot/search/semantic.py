"""Sentence embeddings for hybrid retrieval: all-MiniLM-L6-v2, fine-tuned on the knowledge, run in numpy.

The model is small (6 layers, 384 dims, 22M parameters), so a plain numpy forward pass is fast enough and keeps torch
out of the install. Its weights ship in the repo as float16 safetensors (a format that cannot run code), pinned by
sha256, memory-mapped and widened to float32 at load. guidebot/models/minilm-guidebot/README.md says where they come
from, how they were fine-tuned (tools/finetune_model.py), and their licence.

The output is sentence-transformers' (BERT, mean pooling over the attention mask, L2 normalisation) to cosine >= 0.9999
against the torch reference: tests/search/test_semantic.py holds reference values.
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
import os
import struct
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MODEL_DIR: Path = Path(__file__).resolve().parent.parent / "models" / "minilm-guidebot"
WEIGHTS_FILE = "model.safetensors"
TOKENIZER_FILE = "tokenizer.json"
# sha256 of the shipped files: changing a file means changing these constants too, in a reviewed commit.
MODEL_SHA256 = "e390ce97e7c5855e659a9c5a77426e91c595da0890938056ecf435bc9c6bdc65"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model (tokenizer.json itself says 128)
HEADS = 12
LAYER_NORM_EPS = 1e-12
PAD_ID = 0
_SAFETENSORS_DTYPES = {"F16": np.dtype("<f2"), "F32": np.dtype("<f4")}
# Below this many tokens in one encode() call, threads cost more than they save (a query is ~15).
_PARALLEL_TOKENS = 512
# A layer runs over at most this many tokens, and this many attention scores (floats), at a time, so that its
# intermediates stay small and in cache.
_GROUP_TOKENS = 1024
_GROUP_SCORES = 1 << 20


class ModelUnavailable(RuntimeError):
    """The shipped model files are missing, unreadable or not the pinned ones: semantic search cannot run."""


@dataclass(frozen=True, slots=True)
class _Layer:
    """One transformer layer in float32, weights laid out (in, out) so that x @ w reads them contiguously."""

    qkv_w: np.ndarray  # (384, 1152): query (pre-scaled by 1/sqrt(head size)), key and value side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray  # (384, 1536)
    up_b: np.ndarray
    down_w: np.ndarray  # (1536, 384)
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _check_sha256(path: Path, data: bytes | mmap.mmap, expected: str) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise ModelUnavailable(f"semantic model file {path} has sha256 {actual}, expected {expected}")


def _map_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The file's tensors as read-only arrays over a memory map, after checking the whole file's sha256.

    Mapping rather than reading means no copy of the 45 MB: the float16 word embeddings are used in place.
    """
    try:
        with path.open("rb") as fh:
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:  # ValueError: an empty file cannot be mapped
        raise ModelUnavailable(f"semantic model file {path} cannot be read: {exc}") from exc
    _check_sha256(path, buf, MODEL_SHA256)
    try:
        (size,) = struct.unpack_from("<Q", buf, 0)
        header = json.loads(buf[8 : 8 + size])
        header.pop("__metadata__", None)
        tensors = {}
        for name, info in header.items():
            dtype = _SAFETENSORS_DTYPES[info["dtype"]]
            start, end = info["data_offsets"]
            count = math.prod(info["shape"])
            if end - start != count * dtype.itemsize or 8 + size + end > len(buf):
                raise ValueError(f"tensor {name} does not fit its offsets")
            array = np.frombuffer(buf, dtype=dtype, count=count, offset=8 + size + start)
            tensors[name] = array.reshape(info["shape"])
    except (struct.error, ValueError, KeyError, TypeError) as exc:
        raise ModelUnavailable(f"semantic model file {path} is not valid safetensors: {exc}") from exc
    return tensors


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    x = x - x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var *= 1.0 / x.shape[-1]
    var += LAYER_NORM_EPS
    x *= 1.0 / np.sqrt(var)
    x *= gain
    x += bias
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in place, tanh form: within 5e-4 of BERT's exact erf form and 4x cheaper in numpy (which has no erf).

    It moves embeddings by less than the float16 weights do (cosine 0.999998 to the torch reference).
    """
    y = x * x
    y *= np.float32(0.044715)
    y += 1.0
    y *= x
    y *= np.float32(math.sqrt(2 / math.pi))
    np.tanh(y, out=y)
    y += 1.0
    y *= 0.5
    x *= y
    return x


class Encoder:
    """The sentence model: texts -> L2-normalised 384-dim float32 vectors, in numpy. Safe to share between threads."""

    def __init__(
        self,
        tokenizer: Tokenizer,
        tensors: dict[str, np.ndarray],
        model_id: str = "",
    ) -> None:
        """Build from safetensors arrays (float16 or float32, named as in transformers' BertModel).

        model_id names the weights (their sha256) so that vectors made with other weights are not mixed in."""
        self._tokenizer = tokenizer
        self.model_id = model_id

        def f32(name: str) -> np.ndarray:
            return np.asarray(tensors[name], dtype=np.float32)

        def f32_t(name: str) -> np.ndarray:
            """A weight from torch's Linear layout (out, in) to (in, out), widened in the same pass."""
            return np.ascontiguousarray(tensors[name].T, dtype=np.float32)

        word = tensors["embeddings.word_embeddings.weight"]
        self._word = word  # (30522, 384), kept as stored: only the rows a batch uses are widened
        self._dim = int(word.shape[1])
        if self._dim % HEADS:
            raise ValueError(f"hidden size {self._dim} is not a multiple of {HEADS} heads")
        # texts are single segments, so token type 0's embedding is a constant: fold it into the positions
        self._position = (
            f32("embeddings.position_embeddings.weight") + f32("embeddings.token_type_embeddings.weight")[0]
        )
        if self._position.shape[0] < MAX_TOKENS or self._position.shape[1] != self._dim:
            raise ValueError(f"position embeddings {self._position.shape} do not cover {MAX_TOKENS} tokens")
        self._emb_ln = (f32("embeddings.LayerNorm.weight"), f32("embeddings.LayerNorm.bias"))
        scale = np.float32(1 / math.sqrt(self._dim // HEADS))
        self._layers = []
        for i in range(sum(name.endswith(".attention.self.query.weight") for name in tensors)):
            p = f"encoder.layer.{i}."
            q, k, v = (p + f"attention.self.{part}" for part in ("query", "key", "value"))
            qkv_w = np.concatenate([f32_t(q + ".weight") * scale, f32_t(k + ".weight"), f32_t(v + ".weight")], axis=1)
            self._layers.append(
                _Layer(
                    qkv_w=qkv_w,
                    qkv_b=np.concatenate([f32(q + ".bias") * scale, f32(k + ".bias"), f32(v + ".bias")]),
                    out_w=f32_t(p + "attention.output.dense.weight"),
                    out_b=f32(p + "attention.output.dense.bias"),
                    ln1_g=f32(p + "attention.output.LayerNorm.weight"),
                    ln1_b=f32(p + "attention.output.LayerNorm.bias"),
                    up_w=f32_t(p + "intermediate.dense.weight"),
                    up_b=f32(p + "intermediate.dense.bias"),
                    down_w=f32_t(p + "output.dense.weight"),
                    down_b=f32(p + "output.dense.bias"),
                    ln2_g=f32(p + "output.LayerNorm.weight"),
                    ln2_b=f32(p + "output.LayerNorm.bias"),
                )
            )
        if not self._layers:
            raise ValueError("no encoder layers")
        cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
        self._workers = max(1, min(len(cpus), 8))

    @classmethod
    def load(cls, model_dir: Path = MODEL_DIR) -> Encoder:
        """Read and verify the shipped tokenizer and weights (~0.15 s); ModelUnavailable names the file at fault.

        Loading also limits numpy's BLAS to one thread for the whole process. encode() spreads a large call over the
        CPUs itself, one batch per thread, and BLAS's own threads would only fight those; a query gains nothing from
        them either, and they stall when the machine is busy (query p95 0.5 s instead of 15 ms). The limit is not
        undone: OpenBLAS ignores raising it again from any thread but the main one.
        """
        from threadpoolctl import threadpool_limits
        from tokenizers import Tokenizer

        tokenizer_path = model_dir / TOKENIZER_FILE
        try:
            tokenizer_json = tokenizer_path.read_bytes()
        except OSError as exc:
            raise ModelUnavailable(f"semantic model file {tokenizer_path} cannot be read: {exc}") from exc
        _check_sha256(tokenizer_path, tokenizer_json, TOKENIZER_SHA256)
        try:
            tokenizer = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
        except Exception as exc:  # the tokenizers library raises a bare Exception on a bad file
            raise ModelUnavailable(f"semantic model file {tokenizer_path} is not a usable tokenizer: {exc}") from exc
        # tokenizer.json says: pad every text to 128 tokens, truncate at 128. sentence-transformers truncates at 256
        # and pads a batch to its longest text, which encode() does itself after sorting texts by length.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_TOKENS)

        weights_path = model_dir / WEIGHTS_FILE
        tensors = _map_safetensors(weights_path)
        threadpool_limits(limits=1, user_api="blas")
        try:
            return cls(tokenizer, tensors, MODEL_SHA256)
        except (KeyError, ValueError) as exc:
            raise ModelUnavailable(
                f"semantic model file {weights_path} lacks a tensor or has a bad shape: {exc}"
            ) from exc

    @property
    def dim(self) -> int:
        """Length of every vector encode() returns (384)."""
        return self._dim

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts: (len(texts), dim) float32 rows of length 1, so a dot product is a cosine.

        Texts are batched by token length (as sentence-transformers does) so that little work goes on padding. A
        large call is spread over the CPUs, one batch per thread; pass all texts in one call to benefit.
        """
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        workers = self._workers if sum(map(len, ids)) >= _PARALLEL_TOKENS else 1
        size = max(1, min(batch_size, math.ceil(len(order) / workers)))  # every thread gets a share of one batch
        batches = [order[start : start + size] for start in range(0, len(order), size)]
        if workers == 1 or len(batches) == 1:
            for batch in batches:
                out[batch] = self._forward([ids[i] for i in batch])
        else:
            with ThreadPoolExecutor(min(workers, len(batches))) as pool:
                done = pool.map(lambda batch: self._forward([ids[i] for i in batch]), batches)
                for batch, vectors in zip(batches, done, strict=True):
                    out[batch] = vectors
        return out

    def _forward(self, texts: list[list[int]]) -> np.ndarray:
        """BERT over one batch of token ids, then mean pooling over each text's own tokens and L2 normalisation."""
        n, width, dim = len(texts), max(map(len, texts)), self._dim
        ids = np.full((n, width), PAD_ID, dtype=np.intp)
        lengths = np.array([len(t) for t in texts])
        for row, t in enumerate(texts):
            ids[row, : len(t)] = t
        x = self._word[ids].astype(np.float32)
        x += self._position[:width]
        x = _layer_norm(x.reshape(n * width, dim), *self._emb_ln)
        # padded keys get a large negative score so that softmax gives them no weight
        padded = np.arange(width) >= lengths[:, None]
        key_bias = np.where(padded, np.float32(-1e9), np.float32(0))[:, None, None, :] if padded.any() else None
        group = max(1, min(_GROUP_TOKENS // width, _GROUP_SCORES // (HEADS * width * width)))
        spans = [(start, min(start + group, n)) for start in range(0, n, group)]
        for layer in self._layers:
            out = np.empty_like(x)
            for a, b in spans:
                bias = None if key_bias is None else key_bias[a:b]
                out[a * width : b * width] = self._layer(layer, x[a * width : b * width], b - a, width, bias)
            x = out
        real = (~padded).astype(np.float32)
        pooled = np.einsum("nwd,nw->nd", x.reshape(n, width, dim), real)
        pooled /= lengths[:, None]
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled

    def _layer(self, layer: _Layer, x: np.ndarray, n: int, width: int, key_bias: np.ndarray | None) -> np.ndarray:
        """One transformer layer over n texts padded to width tokens: x is (n * width, dim)."""
        dim = self._dim
        qkv = x @ layer.qkv_w
        qkv += layer.qkv_b
        q, k, v = qkv.reshape(n, width, 3, HEADS, dim // HEADS).transpose(2, 0, 3, 1, 4)  # each (n, heads, width, head)
        scores = q @ k.transpose(0, 1, 3, 2)
        if key_bias is not None:
            scores += key_bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores *= 1.0 / scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * width, dim)
        attended = context @ layer.out_w
        attended += layer.out_b
        attended += x
        x = _layer_norm(attended, layer.ln1_g, layer.ln1_b)
        up = x @ layer.up_w
        up += layer.up_b
        down = _gelu(up) @ layer.down_w
        down += layer.down_b
        down += x
        return _layer_norm(down, layer.ln2_g, layer.ln2_b)
