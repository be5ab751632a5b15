"""A synthetic knowledge folder of ~N passages made from the shipped documents, for latency benchmarks.

Each generated document is a copy of a real one (same headings, programmes, kind, publisher) whose text is
lightly perturbed: words dropped, sentences rotated, numbers changed. The vocabulary and the shape of the
passages stay realistic; only the amount grows. Passages are counted with guidebot's own splitter.

Usage: python bench/corpus.py OUT_DIR [--passages 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

import yaml

from guidebot.knowledge.loader import load_knowledge
from guidebot.knowledge.passages import split_passages

ROOT = Path(__file__).resolve().parent.parent
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
_NUMBER = re.compile(r"\b\d{1,4}\b")
_STRUCTURE = re.compile(r"^\s*(#{1,6}\s|\||[-*+•]\s|\d+[.)]\s)")


def _numbers(text: str, rng: random.Random) -> str:
    return _NUMBER.sub(lambda m: str(rng.randint(1, 99)) if rng.random() < 0.4 else m.group(0), text)


def _drop_words(text: str, rng: random.Random, p: float = 0.06) -> str:
    words = text.split(" ")
    kept = [w for w in words if w in ("|", "") or rng.random() >= p]
    return " ".join(kept) if kept else text


def _perturb_line(line: str, rng: random.Random) -> str:
    stripped = line.strip()
    if not stripped or stripped.startswith("#") or stripped == "---":
        return line  # headings and blank lines keep the document's structure
    if stripped.startswith("|"):
        return _numbers(_drop_words(line, rng, 0.03), rng)
    lead = _STRUCTURE.match(line)
    prefix, text = (line[: lead.end()], line[lead.end() :]) if lead else ("", line)
    sentences = _SENTENCE.split(text)
    if len(sentences) > 2 and rng.random() < 0.5:
        k = rng.randrange(1, len(sentences))
        sentences = sentences[k:] + sentences[:k]
    return prefix + _numbers(_drop_words(" ".join(sentences), rng), rng)


def perturb(body: str, rng: random.Random) -> str:
    return "\n".join(_perturb_line(line, rng) for line in body.splitlines()) + "\n"


def generate(out: Path, target: int, *, source: Path = ROOT / "knowledge", seed: int = 7) -> int:
    """Write out/glossary.yaml and out/documents/*.md holding about `target` passages; return the count."""
    rng = random.Random(seed)
    real = load_knowledge(source)
    if out.exists():
        shutil.rmtree(out)
    (out / "documents").mkdir(parents=True)
    shutil.copy(source / "glossary.yaml", out / "glossary.yaml")
    total, n = 0, 0
    while total < target:
        for doc in real.documents:
            n += 1
            doc_id = f"{doc.id}-s{n:06d}"
            body = perturb(doc.body, rng)
            meta = {
                "id": doc_id,
                "title": f"{doc.title} (local edition {n})",
                "publisher": doc.publisher,
                "year": rng.randint(2005, 2024),
                "kind": doc.kind.value,
                "programmes": list(doc.programmes),
                "source_file": doc.source_file,
                "attribution": "synthetic benchmark copy",
            }
            text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body
            (out / "documents" / f"{doc_id}.md").write_text(text, encoding="utf-8")
            total += len(split_passages(doc_id, body))
            if total >= target:
                break
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    count = generate(args.out, args.passages, seed=args.seed)
    print(f"{count} passages in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
