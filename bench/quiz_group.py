"""Group quiz figures (printed, not asserted): `/guide quiz here` with N people answering within the same 10 seconds.

The real Bolt app behind the HTTP server on 127.0.0.1, its worker threads, and tests/fakeslack. A facilitator starts
a round; N people (threads) each click an answer at a random moment of a 10-second window, every third one
changing their mind once; then the facilitator reveals. Printed: the clicks' acknowledgement times, whether every
answer was recorded once (one row per person, holding their last choice), how often the question message was
updated (chat.update; Slack's rate is about one a second per message) and whether the last update shows every
answer. Targets: ack p99 <= 100 ms, every answer once, updates at most once a second.

    .venv/bin/python bench/quiz_group.py [PEOPLE] [SECONDS]
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools

from guidebot.config import Settings
from guidebot.store import Store
from handlers import quiz
from handlers.app import build_bot
from handlers.http import create_server, serve_in_background
from handlers.serve import _NoSearch
from tests.fakeslack import payloads as p
from tests.fakeslack.blockkit import visible_text
from tests.fakeslack.signing import SECRET, post_signed
from tests.fakeslack.webapi import FakeSlack

FACILITATOR = "UFACILITA"


def percentiles(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return f"{label:<34} p50 {q[49]:7.1f} ms   p95 {q[94]:7.1f} ms   p99 {q[98]:7.1f} ms   max {ms[-1]:7.1f} ms"


def _buttons(blocks: list[dict]) -> dict[str, dict]:
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


def _click(url: str, fake: FakeSlack, element: dict, user: str) -> float:
    payload = p.reminder_button(
        element["action_id"], element["value"], f"{fake.url}/respond/{uuid.uuid4().hex}", user=user, channel=p.CHANNEL
    )
    sent = time.perf_counter()
    status, _ = post_signed(url, *p.interactive_body(payload))
    assert status == 200, status
    return time.perf_counter() - sent


def main(people: int, window: float) -> None:
    work = Path(tempfile.mkdtemp(prefix="guidebot-quiz-"))
    store = Store.from_url(f"sqlite:///{work / 'quiz.db'}")
    rng = random.Random(7)
    with FakeSlack() as fake:
        settings = Settings(slack_bot_token="xoxb-bench", slack_signing_secret=SECRET, slack_api_url=fake.api_url)
        bot = build_bot(settings, engine=_NoSearch(), store=store)
        bot.worker.start()
        server = create_server(bot.app, SECRET, host="127.0.0.1", port=0)
        stop = serve_in_background(server)
        url = f"http://127.0.0.1:{server.effective_port}"
        post_signed(url, *p.form_body(p.command_by("quiz here", f"{fake.url}/respond/x", user=FACILITATOR)))
        calls = fake.wait_until(lambda calls: any(c.method == "chat.postMessage" for c in calls))
        question = next(c for c in calls if c.method == "chat.postMessage").params
        buttons = _buttons(question["blocks"])
        answers = [e for a, e in buttons.items() if a.startswith("quiz_answer_")]
        round_id = json.loads(buttons[quiz.REVEAL]["value"])["r"]
        acks: list[float] = []
        expected: dict[str, int] = {}
        lock = threading.Lock()

        def person(n: int) -> None:
            user = f"UPERSON{n:03d}"
            times = sorted(rng.uniform(0, window) for _ in range(2 if n % 3 == 0 else 1))
            begun = time.monotonic()
            for at in times:
                time.sleep(max(0.0, at - (time.monotonic() - begun)))
                element = rng.choice(answers)
                took = _click(url, fake, element, user)
                with lock:
                    acks.append(took)
                    expected[user] = json.loads(element["value"])["c"]

        started = time.monotonic()
        threads = [threading.Thread(target=person, args=(n,)) for n in range(people)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        clicking = time.monotonic() - started
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            rounds = store.quiz_rounds.get(round_id)
            if bot.worker.idle() and rounds is not None and rounds.shown == rounds.changes:
                break
            time.sleep(0.1)
        time.sleep(1.5)
        revealed_at = time.perf_counter()
        _click(url, fake, buttons[quiz.REVEAL], FACILITATOR)
        fake.wait_until(
            lambda calls: any(
                c.method == "chat.update" and ":white_check_mark:" in visible_text(c.params.get("blocks") or [])
                for c in calls
            ),
            timeout=15,
        )
        reveal_seen = time.perf_counter() - revealed_at
        stop()
        bot.worker.stop()
    recorded = store.quiz_rounds.answers(round_id)
    by_user = {user: choice for _, user, choice in recorded}
    updates = [c for c in fake.calls if c.method == "chat.update"]
    gaps = [b.at - a.at for a, b in itertools.pairwise(updates)]
    last_count = next(
        (visible_text(c.params["blocks"]) for c in reversed(updates) if "answered" in visible_text(c.params["blocks"])),
        "",
    )
    print(f"{people} people, {len(acks)} clicks in {clicking:.1f} s (window {window:.0f} s)")
    print(percentiles("answer click: time to ack", acks))
    print(
        f"answers recorded: {len(recorded)} rows for {len(expected)} people; each holds the person's last choice: "
        f"{by_user == expected}"
    )
    print(
        f"question message updates: {len(updates)} (chat.update), smallest gap {min(gaps) if gaps else 0:.2f} s; "
        f"last one before the reveal says {people} answered: {f'{people} answered' in last_count}"
    )
    print(f"reveal clicked -> revealed message in Slack: {reveal_seen * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30, float(sys.argv[2]) if len(sys.argv) > 2 else 10.0)
