"""Checklist figures (printed, not asserted): a step answered in Slack through the running app, and runs resumed
after a restart.

The real Bolt app behind the HTTP server on 127.0.0.1, its worker threads, and tests/fakeslack: N times, start the
Up2U checklist with `/guide checklist up2u`, then click "yes" on its first step; time the click's
acknowledgement and the moment the updated message reaches the fake (the response_url post). Then 1,000 runs in
progress are left in a SQLite file, the store is opened again (a restart) and every run is resumed where it
stopped. Targets: ack p99 <= 100 ms, updated message p95 <= 300 ms, none lost.

    .venv/bin/python bench/checklist_latency.py [N]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guidebot.checklists.engine import RunState, answer, position, start
from guidebot.checklists.loader import load_checklists
from guidebot.config import Settings
from guidebot.store import Store
from handlers import ids
from handlers.app import build_bot
from handlers.http import create_server, serve_in_background
from handlers.serve import _NoSearch
from tests.fakeslack import payloads as p
from tests.fakeslack.signing import SECRET, post_signed
from tests.fakeslack.webapi import FakeSlack

ROOT = Path(__file__).resolve().parent.parent


def percentiles(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return f"{label:<32} p50 {q[49]:7.1f} ms   p95 {q[94]:7.1f} ms   p99 {q[98]:7.1f} ms   (n={len(ms)})"


def steps(n: int, work: Path) -> None:
    store = Store.from_url(f"sqlite:///{work / 'steps.db'}")
    with FakeSlack() as fake:
        settings = Settings(slack_bot_token="xoxb-bench", slack_signing_secret=SECRET, slack_api_url=fake.api_url)
        bot = build_bot(settings, engine=_NoSearch(), store=store)
        bot.worker.start()
        server = create_server(bot.app, SECRET, host="127.0.0.1", port=0)
        stop = serve_in_background(server)
        url = f"http://127.0.0.1:{server.effective_port}"
        acks, updates = [], []
        for _ in range(n):
            started = f"{fake.url}/respond/{uuid.uuid4().hex}"
            post_signed(url, *p.form_body(p.command_by("checklist up2u", started)))
            first = fake.wait_until(lambda calls, u=started: any(u.endswith(c.path) for c in calls if c.path))
            screen = next(c for c in first if c.path and started.endswith(c.path))
            blocks = screen.params["blocks"]
            yes = next(
                e
                for b in blocks
                if b["type"] == "actions"
                for e in b["elements"]
                if e.get("action_id", "").startswith(ids.CHECKLIST_ANSWER + "_")
                and json.loads(e["value"])["a"] == "yes"
            )
            clicked = f"{fake.url}/respond/{uuid.uuid4().hex}"
            payload = p.reminder_button(yes["action_id"], yes["value"], clicked, channel=p.CHANNEL)
            sent = time.perf_counter()
            status, _ = post_signed(url, *p.interactive_body(payload))
            acks.append(time.perf_counter() - sent)
            assert status == 200, status
            calls = fake.wait_until(lambda calls, u=clicked: any(u.endswith(c.path) for c in calls if c.path))
            updates.append(next(c.at for c in calls if c.path and clicked.endswith(c.path)) - sent)
        stop()
        bot.worker.stop()
    print(percentiles("step answered: time to ack", acks))
    print(percentiles("step answered: message updated", updates))


def resumed(work: Path, runs: int = 1000) -> None:
    checklists, _ = load_checklists(ROOT / "knowledge")
    checklist = checklists["up2u"]
    url = f"sqlite:///{work / 'runs.db'}"
    store = Store.from_url(url)
    ids_made = []
    for n in range(runs):
        run = store.checklist_runs.create(f"U{n % 50:05d}", checklist.id)
        state = answer(checklist, start(checklist), "area", "yes")
        saved = store.checklist_runs.save(
            run.id, expected_version=run.version, answers=list(state.answers), outcome=None, status="active"
        )
        assert saved is not None
        ids_made.append(run.id)
    store.engine.dispose()
    started = time.perf_counter()
    again = Store.from_url(url)  # a restart: a new process would open the same database
    found = 0
    for run_id in ids_made:
        run = again.checklist_runs.get(run_id)
        if run is not None and run.status == "active":
            where = position(checklist, RunState(checklist_id=run.checklist_id, answers=tuple(run.answers)))
            found += getattr(where, "id", None) == "accepts"
    took = time.perf_counter() - started
    print(f"runs in progress resumed after a restart: {found} of {runs} at the step they stopped ({took:.2f} s)")


def main(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="guidebot-checklists-"))
    steps(n, work)
    resumed(work)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
