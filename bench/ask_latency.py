"""Ask latency, index build time, index size, peak RSS and time to first answer (figures, never asserts).

Usage: python bench/ask_latency.py [--quick] [--json]

Parts, each in its own subprocess so peak RSS figures are separate:
  shipped     ./knowledge: index build (Whoosh, passage vectors, risk classifier), warm Engine.ask latency
              with the semantic stage over a few hundred varied questions, the slowest of the fuzz queries
  semantic    the semantic stage alone at 100,000 passages (random unit vectors for 340,000 rows: a passage
              and its questions): ranking time and memory; encoding time extrapolated from the shipped build
  synth-build a synthetic knowledge folder of 100,000 passages (bench/corpus.py): load + index build, size
  synth-ask   the same folder, index already built: open the engine, warm ask latency
  first       `guidebot ask --json ...` and `python -c ...` from process start to printed answer, warm index
--quick uses a 10,000-passage synthetic corpus and fewer questions and fuzz queries (a smoke run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

TARGETS = {
    "shipped_p95_ms": 50.0,
    "synthetic_p95_ms": 300.0,
    "first_answer_s": 1.5,
    "fuzz_max_ms": 100.0,
}
# wall-clock budget for the timed questions on the synthetic corpus (keeps a full run to a few minutes)
SYNTH_BUDGET_S = 90.0
FIRST_QUESTION = "how many sessions is BBR"
ODD = [
    "*",
    "?*?*",
    "body:risk",
    "title:*",
    "[a TO z]",
    "{0 TO 9}",
    "AND",
    "OR NOT",
    '"',
    "'",
    "(",
    ")",
    "~2",
    "^3",
    "\\",
    "::",
    "😀",
    "🙏🏽",
    "—",
    "…",
    "ü",
    "ß",
    "%",
    "&&",
    "||",
    "<b>",
    "$",
    "#",
    "@here",
    "\t",
    "\u200b",
]


def _rss_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_rss_children_mb": round(kids, 1)}


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


def _summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(_pct(ms, 50), 2),
        "p95_ms": round(_pct(ms, 95), 2),
        "p99_ms": round(_pct(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


# -- questions --------------------------------------------------------------------------------------------


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice("swap drop double")
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def questions(n: int, seed: int = 11) -> list[str]:
    """Varied questions: the dev eval set, templates over programmes, roles, topics, acronyms, typos, odd text."""
    import yaml

    from guidebot.knowledge.loader import load_knowledge

    rng = random.Random(seed)
    knowledge = load_knowledge(ROOT / "knowledge")
    gl = knowledge.glossary
    dev = yaml.safe_load((ROOT / "tests" / "data" / "eval_dev.yaml").read_text())
    base = [q["q"] for key in ("questions", "unanswerable", "urgent") for q in dev.get(key) or []]
    programmes = [p.name for p in gl.programmes] + [a for p in gl.programmes for a in p.aliases]
    abbrs = [t.abbr for t in gl.terms]
    expansions = [t.expansion for t in gl.terms]
    roles = [m for g in gl.synonyms for m in g][:60] + expansions
    topics = sorted({s.split(" > ")[-1].strip("0123456789. ") for s in (p.section for p in knowledge.passages) if s})
    topics = [t for t in topics if 3 <= len(t) <= 60]
    templates = [
        "how many sessions is {p}",
        "who can refer to {p}?",
        "what does {a} stand for",
        "what does the {r} do on {p}",
        "{t} in {p}",
        "is there a {t} section for {p}?",
        "what is {t}",
        "{a}?",
        "{p} {t}",
        "does {p} have a {r}",
        "can a {r} attend {p} sessions",
        "what happens if a man misses a session of {p}",
        "{t} — {a} — {p}",
        "tell me about {t}",
        "where is {p} delivered",
        "how long does {p} last",
        "{r} and {a} in {p}?",
    ]
    passages = [p.text for p in knowledge.passages]
    out = list(base)
    while len(out) < n:
        kind = rng.random()
        q = rng.choice(templates).format(
            p=rng.choice(programmes), a=rng.choice(abbrs), r=rng.choice(roles), t=rng.choice(topics)
        )
        if kind < 0.15:  # typos
            q = " ".join(_typo(w, rng) if rng.random() < 0.4 else w for w in q.split())
        elif kind < 0.22:  # long paste: a few passages, up to ~5,000 characters
            q = " ".join(rng.sample(passages, 6))[: rng.randint(1500, 5000)] + " " + q
        elif kind < 0.32:  # odd characters
            words = q.split()
            for _ in range(rng.randint(1, 4)):
                words.insert(rng.randrange(len(words) + 1), rng.choice(ODD))
            q = " ".join(words)
        elif kind < 0.37:
            q = q.upper()
        out.append(q)
    rng.shuffle(out)
    return out[:n]


def fuzz_queries(n: int, seed: int = 13) -> list[str]:
    """Random mixtures of corpus words, Whoosh syntax and junk, 1 to 5,000 characters."""
    from guidebot.knowledge.loader import load_knowledge

    rng = random.Random(seed)
    knowledge = load_knowledge(ROOT / "knowledge")
    vocab = sorted({w for p in knowledge.passages for w in re.findall(r"[A-Za-z0-9'’]+", p.text)})
    vocab += [t.abbr for t in knowledge.glossary.terms] + [p.name for p in knowledge.glossary.programmes]
    syntax = [*ODD, "AND", "OR", "NOT", "*a*", "a*", "*ion", "?", "field:", ":value", "[", "]", "TO", "{", "}"]
    out = []
    for _ in range(n):
        # lengths skewed to short, with a tail up to 5,000 characters
        target = min(5000, max(1, int(rng.paretovariate(0.6) * 3)))
        parts: list[str] = []
        size = 0
        while size < target:
            r = rng.random()
            if r < 0.7:
                tok = rng.choice(vocab)
                if rng.random() < 0.1:
                    tok = tok + rng.choice(["*", "?", "~", "^2"])
            elif r < 0.9:
                tok = rng.choice(syntax)
            else:
                tok = "".join(chr(rng.randrange(33, 0x2FFF)) for _ in range(rng.randint(1, 8)))
            parts.append(tok)
            size += len(tok) + 1
        out.append(" ".join(parts)[:target])
    return out


# -- parts (each runs in its own process) ---------------------------------------------------------------------


def _timed_asks(engine, qs: list[str], warm: int, budget_s: float = 1e9) -> tuple[list[float], list[tuple[float, str]]]:  # type: ignore[no-untyped-def]
    """Warm up on the first `warm` questions, then time each question once (stop after budget_s seconds)."""
    for q in qs[:warm]:
        engine.ask(q)
    times = []
    slow = []
    start = time.perf_counter()
    for q in qs:
        if time.perf_counter() - start > budget_s:
            break
        t = time.perf_counter()
        engine.ask(q)
        dt = time.perf_counter() - t
        times.append(dt)
        slow.append((dt, q))
    slow.sort(reverse=True)
    return times, slow[:3]


def _dir_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def part_shipped(args: argparse.Namespace) -> dict:
    from guidebot.knowledge.loader import load_knowledge
    from guidebot.search.engine import Engine
    from guidebot.search.vectors import texts_to_encode

    qs = questions(args.questions)
    fz = fuzz_queries(args.fuzz)
    with tempfile.TemporaryDirectory() as tmp:
        ix = Path(tmp) / "index"
        t = time.perf_counter()
        knowledge = load_knowledge(ROOT / "knowledge")
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        engine = Engine.from_knowledge(knowledge, ix)  # what `guidebot index` does: index, vectors, classifier
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        engine = Engine.from_knowledge(knowledge, ix)
        open_s = time.perf_counter() - t
        times, slow = _timed_asks(engine, qs, warm=len(qs))
        ftimes, fslow = _timed_asks(engine, fz, warm=0)
        return {
            "passages": len(knowledge.passages),
            "texts_encoded": len(texts_to_encode(knowledge)[1]),
            "semantic": engine.semantic_status,
            "load_s": round(load_s, 3),
            "build_s": round(build_s, 3),
            "index_mb": _dir_mb(ix),
            "open_s": round(open_s, 4),
            "ask": _summary_ms(times),
            "slowest_questions": [{"ms": round(d * 1000, 1), "q": q[:120], "chars": len(q)} for d, q in slow],
            "fuzz": _summary_ms(ftimes),
            "fuzz_slowest": [{"ms": round(d * 1000, 1), "q": q[:120], "chars": len(q)} for d, q in fslow],
            **_rss_mb(),
        }


def part_semantic(args: argparse.Namespace) -> dict:
    import numpy as np

    from guidebot.search.vectors import SemanticIndex

    rows = int(args.passages * 3.4)  # a passage and, on average, 2.4 questions (as in the shipped knowledge)
    rng = np.random.default_rng(7)
    t = time.perf_counter()
    matrix = rng.standard_normal((rows, 384), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    owners = [f"p{i // 3}" for i in range(rows)]
    index = SemanticIndex(matrix, owners)
    make_s = time.perf_counter() - t
    times = []
    for _ in range(args.first_runs * 20):
        q = rng.standard_normal(384).astype(np.float32)
        q /= np.linalg.norm(q)
        t = time.perf_counter()
        index.rank(q, 30)
        times.append(time.perf_counter() - t)
    return {
        "passages": args.passages,
        "rows": rows,
        "matrix_mb_float32": round(matrix.nbytes / 1e6, 1),
        "stored_mb_float16": round(matrix.nbytes / 2e6, 1),
        "make_s": round(make_s, 2),
        "rank": _summary_ms(times),
        **_rss_mb(),
    }


def part_synth_build(args: argparse.Namespace) -> dict:
    from corpus import generate

    from guidebot.knowledge.loader import load_knowledge
    from guidebot.search import index as search_index

    work = Path(args.workdir)
    t = time.perf_counter()
    generate(work / "knowledge", args.passages)
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    knowledge = load_knowledge(work / "knowledge")
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    search_index.build(work / "index", knowledge)
    build_s = time.perf_counter() - t
    return {
        "passages": len(knowledge.passages),
        "documents": len(knowledge.documents),
        "errors": len(knowledge.errors),
        "generate_s": round(gen_s, 2),
        "load_s": round(load_s, 2),
        "build_s": round(build_s, 2),
        "index_mb": _dir_mb(work / "index"),
        "index_segments": len(list((work / "index").rglob("*.seg"))),
        **_rss_mb(),
    }


def part_synth_ask(args: argparse.Namespace) -> dict:
    from guidebot.knowledge.loader import load_knowledge
    from guidebot.search.engine import Engine

    work = Path(args.workdir)
    qs = questions(args.questions)
    t = time.perf_counter()
    knowledge = load_knowledge(work / "knowledge")
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    engine = Engine(knowledge, work / "index")  # lexical only: the semantic part measures the other stage
    open_s = time.perf_counter() - t
    t = time.perf_counter()
    engine.ask(FIRST_QUESTION)
    first_ms = (time.perf_counter() - t) * 1000
    # questions are shuffled, so a time-budgeted prefix is still a varied sample
    times, slow = _timed_asks(engine, qs, warm=min(10, len(qs)), budget_s=SYNTH_BUDGET_S)
    return {
        "passages": len(knowledge.passages),
        "load_s": round(load_s, 2),
        "open_s": round(open_s, 3),
        "first_ask_ms": round(first_ms, 1),
        "ask": _summary_ms(times),
        "slowest_questions": [{"ms": round(d * 1000, 1), "q": q[:120], "chars": len(q)} for d, q in slow],
        **_rss_mb(),
    }


def _run_child(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float, str, int]:
    """Wall time, peak RSS (MB) of one child process, its stdout and exit status."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read() if proc.stdout else b""
    proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, out.decode(errors="replace"), proc.returncode


def part_first(args: argparse.Namespace) -> dict:
    venv_bin = Path(sys.executable).parent
    guidebot = venv_bin / "guidebot"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GUIDEBOT_INDEX_DIR": str(Path(tmp) / "index"), "GUIDEBOT_LOG_LEVEL": "WARNING"}
        cli = [str(guidebot), "ask", "--json", FIRST_QUESTION]
        pyc = [
            sys.executable,
            "-c",
            "from guidebot.config import Settings; from guidebot.search.engine import Engine; "
            f"print(Engine.from_settings(Settings()).ask({FIRST_QUESTION!r}).status)",
        ]
        imp = [sys.executable, "-c", "import guidebot.cli"]
        cold_wall, _, _, _ = _run_child(cli, env, ROOT)  # builds the index: not counted
        out: dict = {"cold_with_build_s": round(cold_wall, 2)}
        for name, cmd in (("cli", cli), ("python_c", pyc), ("import_cli_only", imp)):
            walls, rss, ok = [], [], True
            for _ in range(args.first_runs):
                wall, mb, stdout, code = _run_child(cmd, env, ROOT)
                walls.append(wall)
                rss.append(mb)
                ok &= code == 0 and (name == "import_cli_only" or "answered" in stdout)
            out[name] = {
                "runs": len(walls),
                "median_s": round(statistics.median(walls), 3),
                "max_s": round(max(walls), 3),
                "peak_rss_mb": round(max(rss), 1),
                "answered": ok,
            }
        return out


PARTS = {
    "shipped": part_shipped,
    "semantic": part_semantic,
    "synth-build": part_synth_build,
    "synth-ask": part_synth_ask,
    "first": part_first,
}


# -- driver -------------------------------------------------------------------------------------------------


def _child(part: str, args: argparse.Namespace, workdir: str) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--part",
        part,
        "--workdir",
        workdir,
        "--questions",
        str(args.questions),
        "--fuzz",
        str(args.fuzz),
        "--passages",
        str(args.passages),
        "--first-runs",
        str(args.first_runs),
    ]
    t = time.perf_counter()
    print(f"… {part}", file=sys.stderr, flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["part_wall_s"] = round(time.perf_counter() - t, 1)
    return data


def machine() -> dict:
    return {
        "date": date.today().isoformat(),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "whoosh3": metadata.version("whoosh3"),
        "platform": platform.platform(),
    }


def _mark(value: float, target: float, strict: bool = False) -> str:
    ok = value < target if strict else value <= target
    return "ok" if ok else "MISSED"


def table(r: dict) -> str:
    s, b, a, f = r["shipped"], r["synth_build"], r["synth_ask"], r["first"]
    rows = [
        f"machine: {r['machine']['nproc']} cores, Python {r['machine']['python']}, "
        f"whoosh3 {r['machine']['whoosh3']}, {r['machine']['date']}"
    ]
    if "error" in s:
        rows.append(f"shipped: ERROR {s['error']}")
    else:
        rows += [
            f"shipped knowledge: {s['passages']} passages ({s['texts_encoded']} texts encoded, semantic "
            f"{s['semantic']}), build {s['build_s']:.2f} s (index, vectors, risk classifier; target <= 60 s: "
            f"{_mark(s['build_s'], 60)}), index {s['index_mb']} MB, peak RSS {s['peak_rss_mb']} MB",
            f"  ask ({s['ask']['n']} questions, warm)  p50 {s['ask']['p50_ms']:.1f}  p95 {s['ask']['p95_ms']:.1f}  "
            f"p99 {s['ask']['p99_ms']:.1f}  max {s['ask']['max_ms']:.1f} ms   "
            f"target p95 <= {TARGETS['shipped_p95_ms']:.0f} ms: {_mark(s['ask']['p95_ms'], TARGETS['shipped_p95_ms'])}",
            f"  fuzz ({s['fuzz']['n']} generated)  p50 {s['fuzz']['p50_ms']:.1f}  p99 {s['fuzz']['p99_ms']:.1f}  "
            f"max {s['fuzz']['max_ms']:.1f} ms   target max < {TARGETS['fuzz_max_ms']:.0f} ms: "
            f"{_mark(s['fuzz']['max_ms'], TARGETS['fuzz_max_ms'], strict=True)}",
            f"  slowest fuzz: {s['fuzz_slowest'][0]['ms']} ms, {s['fuzz_slowest'][0]['chars']} chars: "
            f"{s['fuzz_slowest'][0]['q'][:70]!r}",
        ]
    m = r["semantic"]
    if "error" in m:
        rows.append(f"semantic stage: ERROR {m['error']}")
    else:
        enc_s = s.get("build_s", 0) / max(1, s.get("texts_encoded", 1)) * m["rows"] if "error" not in s else 0
        rows.append(
            f"semantic stage at {m['passages']} passages ({m['rows']} vectors): rank p50 {m['rank']['p50_ms']:.1f}  "
            f"p95 {m['rank']['p95_ms']:.1f} ms; vectors {m['stored_mb_float16']} MB on disk, "
            f"{m['matrix_mb_float32']} MB in memory (peak RSS {m['peak_rss_mb']} MB); encoding them at the shipped "
            f"build's rate: about {enc_s / 3600:.1f} h"
        )
    if "error" in b:
        rows.append(f"synthetic build: ERROR {b['error']}")
    else:
        rows.append(
            f"synthetic: {b['passages']} passages in {b['documents']} documents; generate {b['generate_s']} s, "
            f"load {b['load_s']} s, index build {b['build_s']} s, index {b['index_mb']} MB, "
            f"build peak RSS {b['peak_rss_mb']} MB (writer subprocess {b['peak_rss_children_mb']} MB)"
        )
    if "error" in a:
        rows.append(f"synthetic ask: ERROR {a['error']}")
    else:
        t = TARGETS["synthetic_p95_ms"]
        rows += [
            f"  load {a['load_s']} s, open {a['open_s']} s, first ask {a['first_ask_ms']} ms, "
            f"serving peak RSS {a['peak_rss_mb']} MB",
            f"  ask ({a['ask']['n']} questions, warm)  p50 {a['ask']['p50_ms']:.1f}  p95 {a['ask']['p95_ms']:.1f}  "
            f"p99 {a['ask']['p99_ms']:.1f}  max {a['ask']['max_ms']:.1f} ms   "
            f"target p95 <= {t:.0f} ms: {_mark(a['ask']['p95_ms'], t)}",
        ]
    if "error" in f:
        rows.append(f"first answer: ERROR {f['error']}")
    else:
        t = TARGETS["first_answer_s"]
        for name in ("cli", "python_c", "import_cli_only"):
            x = f[name]
            label = {
                "cli": "guidebot ask --json",
                "python_c": "python -c Engine.ask",
                "import_cli_only": "python -c 'import guidebot.cli' (no answer)",
            }[name]
            mark = "" if name == "import_cli_only" else f"   target <= {t} s: {_mark(x['max_s'], t)}"
            rows.append(
                f"first answer, {label}: median {x['median_s']:.2f} s, max {x['max_s']:.2f} s "
                f"({x['runs']} runs, peak RSS {x['peak_rss_mb']} MB){mark}"
            )
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description="guidebot ask latency benchmark (prints figures, never asserts)")
    ap.add_argument("--quick", action="store_true", help="10,000-passage synthetic corpus, fewer queries")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--part", choices=sorted(PARTS), help=argparse.SUPPRESS)
    ap.add_argument("--workdir", help=argparse.SUPPRESS)
    ap.add_argument("--questions", type=int, default=None)
    ap.add_argument("--fuzz", type=int, default=None)
    ap.add_argument("--passages", type=int, default=None)
    ap.add_argument("--first-runs", type=int, default=5)
    args = ap.parse_args()
    args.questions = args.questions or (80 if args.quick else 300)
    args.fuzz = args.fuzz if args.fuzz is not None else (2_000 if args.quick else 20_000)
    args.passages = args.passages or (10_000 if args.quick else 100_000)
    if args.part:
        print(json.dumps(PARTS[args.part](args)))
        return
    work = tempfile.mkdtemp(prefix="guidebot-bench-")
    try:
        report = {
            "machine": machine(),
            "settings": {
                "questions": args.questions,
                "fuzz": args.fuzz,
                "passages_target": args.passages,
                "quick": args.quick,
            },
            "targets": TARGETS,
            "shipped": _child("shipped", args, work),
            "semantic": _child("semantic", args, work),
            "synth_build": _child("synth-build", args, work),
            "synth_ask": _child("synth-ask", args, work),
            "first": _child("first", args, work),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=2) if args.json else table(report))


if __name__ == "__main__":
    main()
