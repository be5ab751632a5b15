"""Answer quality on eval files, beside a plain BM25 baseline over plain paragraphs (figures, not a test).

Usage: python bench/ask_quality.py [EVAL.yaml ...] [--verbose] [--lexical]
With no file: every dev set (tests/data/eval_dev.yaml, bench/eval/dev-*.yaml). --lexical: semantic stage off.
A fresh set must be measured once, before anything is changed for it; after that it is a dev set.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

from rank_bm25 import BM25Okapi

from guidebot.config import Settings
from guidebot.knowledge.loader import load_knowledge
from guidebot.search.engine import Engine
from guidebot.search.evaluation import EvalSet, evaluate, score

ROOT = Path(__file__).resolve().parent.parent
DEV_SETS = [ROOT / "tests" / "data" / "eval_dev.yaml", *sorted((ROOT / "bench" / "eval").glob("dev-*.yaml"))]


def plain_paragraphs(knowledge_dir: Path) -> list[str]:
    """The baseline's passages: blank-line separated paragraphs of the documents, no structure, no merging."""
    docs = load_knowledge(knowledge_dir).documents
    return [p.strip() for d in docs for p in re.split(r"\n\s*\n", d.body) if p.strip()]


def baseline(evalset: EvalSet, knowledge_dir: Path) -> dict:
    paras = plain_paragraphs(knowledge_dir)
    tok = lambda s: re.findall(r"[a-z0-9]+", s.lower())  # noqa: E731
    bm = BM25Okapi([tok(p) for p in paras])
    ranked = []
    for q in evalset.questions:
        scores = bm.get_scores(tok(q.q))
        ranked.append([paras[i] for i in sorted(range(len(paras)), key=lambda i: -scores[i])[:5]])
    return score(evalset.questions, ranked).model_dump()


def main() -> None:
    paths = [Path(a) for a in sys.argv[1:] if not a.startswith("--")] or DEV_SETS
    verbose = "--verbose" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(knowledge_dir=ROOT / "knowledge", index_dir=Path(tmp) / "index")
        settings.semantic = "--lexical" not in sys.argv
        engine = Engine.from_settings(settings)
        results = {}
        for path in paths:
            evalset = EvalSet.load(path)
            report = evaluate(evalset, lambda q: engine.ask(q, top=5))
            out = report.model_dump()
            out["baseline_bm25_plain_paragraphs"] = baseline(evalset, settings.knowledge_dir)
            results[path.name] = out
            if verbose:
                for q in evalset.questions:
                    a = engine.ask(q.q, top=5)
                    print(f"{q.id} {a.status} {q.q!r}", file=sys.stderr)
                    for r in a.results[:3]:
                        print(f"    {r.score:7.3f} {r.doc_id} | {r.section[:40]} | {r.text[:90]!r}", file=sys.stderr)
    print(json.dumps({"semantic": engine.semantic_status, "sets": results}, indent=2))


if __name__ == "__main__":
    main()
