"""Fit the decision to answer or say "I don't know" (guidebot/models/answerable.json) on the dev sets' questions.

Why: the decision weighs five signals (guidebot/search/answerable.py); thresholds set by hand on them declined fewer
near-misses for as many answerable questions. The dev sets hold answerable and unanswerable questions in every
register staff write in, so they are the labelled data; each set is left out in turn to print what the fit does on
questions it has not seen, and the model written is fitted on all of them.

Run again after changing the sentence model, the ranking, or much of the knowledge (the signals move with them):

    python tools/fit_answerable.py            # about two minutes; --dry-run prints the figures only

The figures it prints go in docs/benchmarks.md. A fresh set measured once is still the only estimate for unseen
questions: these sets are dev sets, now also training data.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import astuple, fields
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from guidebot.config import Settings
from guidebot.search.answerable import MODEL_PATH, AnswerableModel, Signals
from guidebot.search.engine import Engine
from guidebot.search.evaluation import EvalSet

ROOT = Path(__file__).resolve().parent.parent
FEATURES = [f.name for f in fields(Signals)]
# The operating point: the share of answerable questions (out of sample) declined, and the share marked "nearly".
# 3.5% is the knee on the dev sets (session 8): past it, each point of answerable declined bought under half a point
# of unanswerable declined (85.2% at 3.5%, 85.8% at 5%); the limit is 5%.
ANSWERABLE_DECLINED = 0.035
CAUTIONED = 0.10
REGULARISATION = 1.0  # scikit-learn's C; 0.1-1 measured the same


def dev_sets(root: Path = ROOT) -> list[Path]:
    return [root / "tests" / "data" / "eval_dev.yaml", *sorted((root / "bench" / "eval").glob("dev-*.yaml"))]


def collect(engine: Engine, paths: list[Path]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signals, label (1 answerable) and set of every dev question the engine would search (not escalated)."""
    rows, labels, groups = [], [], []
    for path in paths:
        evalset = EvalSet.load(path)
        for questions, label in ((evalset.questions, 1), (evalset.unanswerable, 0)):
            for q in questions:
                if engine.safety.assess(q.q).urgent:
                    continue
                signals = engine.signals(q.q)
                if signals is not None:
                    rows.append(astuple(signals))
                    labels.append(label)
                    groups.append(path.name)
    return np.array(rows, dtype=float), np.array(labels), np.array(groups)


def _pipeline():  # type: ignore[no-untyped-def]
    return make_pipeline(StandardScaler(), LogisticRegression(C=REGULARISATION, max_iter=5000))


def out_of_sample(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The probability of each question from a model fitted without its set."""
    p = np.zeros(len(y))
    for group in np.unique(groups):
        held = groups == group
        p[held] = _pipeline().fit(x[~held], y[~held]).predict_proba(x[held])[:, 1]
    return p


def fit(
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    declined: float = ANSWERABLE_DECLINED,
    cautioned: float = CAUTIONED,
) -> tuple[AnswerableModel, dict[str, float]]:
    """The model on all rows, its threshold where `declined` of the answerable were declined out of sample."""
    p = out_of_sample(x, y, groups)
    answerable = p[y == 1]
    threshold = float(np.quantile(answerable, declined))
    caution_below = max(threshold, float(np.quantile(answerable, cautioned)))
    unanswerable = p[y == 0]
    figures = {
        "answerable": int((y == 1).sum()),
        "unanswerable": int((y == 0).sum()),
        "answerable_declined": float((answerable < threshold).mean()),
        "unanswerable_declined": float((unanswerable < threshold).mean()),
        "unanswerable_cautioned": float(((unanswerable >= threshold) & (unanswerable < caution_below)).mean()),
    }
    pipe = _pipeline().fit(x, y)
    scaler, regression = pipe[0], pipe[1]
    model = AnswerableModel(
        features=FEATURES,  # type: ignore[arg-type]
        mean=[float(v) for v in scaler.mean_],
        scale=[float(v) for v in scaler.scale_],
        coef=[float(v) for v in regression.coef_[0]],
        intercept=float(regression.intercept_[0]),
        threshold=threshold,
        caution_below=caution_below,
        trained_on=(
            f"fitted on {figures['answerable']} answerable and {figures['unanswerable']} unanswerable dev questions "
            f"({len(np.unique(groups))} sets); each set left out: {figures['answerable_declined']:.1%} of answerable "
            f"and {figures['unanswerable_declined']:.1%} of unanswerable declined"
        ),
    )
    return model, figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--declined", type=float, default=ANSWERABLE_DECLINED, help="answerable share declined")
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args(argv)
    engine = Engine.from_settings(Settings())
    if engine.semantic is None:
        print("the semantic stage is off or unavailable: nothing to fit", file=sys.stderr)
        return 1
    x, y, groups = collect(engine, dev_sets())
    model, figures = fit(x, y, groups, declined=args.declined)
    print(json.dumps(figures, indent=2))
    print(model.trained_on)
    if not args.dry_run:
        args.out.write_text(model.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
