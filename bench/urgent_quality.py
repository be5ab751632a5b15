"""Imminent-risk detection: cross-validated figures on the labelled messages, and first figures on fresh sets.

Usage: python bench/urgent_quality.py [FRESH.yaml ...]
A fresh set (messages with `text`, `label` urgent|ordinary, `register`) must be measured once, before anything
is changed for it; record the figure in docs/benchmarks.md, then add the set to knowledge/safety/.
Also prints escalations among the dev sets' questions (there should be none) and the time to assess a message.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

from guidebot.safety.assess import prepare
from guidebot.safety.classifier import cross_validated
from guidebot.safety.messages import QUESTION_WHY, load_messages
from guidebot.safety.models import Label
from guidebot.search.evaluation import EvalSet

ROOT = Path(__file__).resolve().parent.parent
DEV_SETS = [ROOT / "tests" / "data" / "eval_dev.yaml", *sorted((ROOT / "bench" / "eval").glob("dev-*.yaml"))]


def rates(rows: list[tuple[str, bool, bool]]) -> dict[str, dict[str, str]]:
    """Per register: urgent caught and ordinary escalated, from (register, is urgent, escalated) rows."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for register, urgent, escalated in rows:
        for key in (register, "all"):
            t = table[key]
            if urgent:
                t[0] += escalated
                t[1] += 1
            else:
                t[2] += escalated
                t[3] += 1
    return {k: {"caught": f"{t[0]}/{t[1]}", "false_alarms": f"{t[2]}/{t[3]}"} for k, t in sorted(table.items())}


def main() -> None:
    knowledge = ROOT / "knowledge"
    messages, errors = load_messages(knowledge)
    with tempfile.TemporaryDirectory() as tmp:
        safety, _ = prepare(knowledge, Path(tmp))
    if safety.model is None:
        sys.exit(f"no classifier: {[str(e) for e in errors + safety.errors]}")
    figures = safety.model.figures
    cv = cross_validated(messages)
    cv_rows = [
        (
            m.style.value if m.style else ("question" if m.why == QUESTION_WHY else "unknown"),
            m.label is Label.urgent,
            p >= figures.threshold,
        )
        for m, p in zip(messages, cv, strict=True)
    ]
    out: dict[str, object] = {"cross_validated": figures.model_dump(), "cross_validated_by_register": rates(cv_rows)}
    for path in sys.argv[1:]:
        fresh = yaml.safe_load(Path(path).read_text())["messages"]
        rows = []
        for m in fresh:
            a = safety.assess(m["text"])
            rows.append((m.get("register", "unknown"), m["label"] == "urgent", a.urgent))
        out[f"fresh {Path(path).name}"] = rates(rows)
    false = []
    for path in DEV_SETS:
        evalset = EvalSet.load(path)
        false += [
            f"{path.stem}:{q.id}" for q in [*evalset.questions, *evalset.unanswerable] if safety.assess(q.q).urgent
        ]
        false += [f"{path.stem}:{q.id} (missed)" for q in evalset.urgent if not safety.assess(q.q).urgent]
    out["dev_set_questions_escalated_or_urgent_missed"] = false
    texts = [m.text for m in messages[:500]]
    times = []
    for text in texts:
        start = time.perf_counter()
        safety.assess(text)
        times.append((time.perf_counter() - start) * 1000)
    q = statistics.quantiles(times, n=100)
    out["assess_ms"] = {"p50": round(q[49], 3), "p95": round(q[94], 3), "max": round(max(times), 3)}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
