"""Slack latency figures (printed, not asserted): time to ack and time until the answer reaches the Web API.

Runs the real app over the shipped knowledge against tests/fakeslack on 127.0.0.1: N signed mentions to the
HTTP server, then N envelopes over Socket Mode, one at a time (closed loop: each answer arrives before the next
request). Targets: ack p99 <= 100 ms, answer p95 <= 300 ms. The ack includes the inbox write; the answer goes
through the worker and the outbox, as in `guidebot serve`.

    .venv/bin/python bench/slack_latency.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_bolt.adapter.socket_mode import SocketModeHandler

from guidebot.config import Settings
from guidebot.search.engine import Engine
from guidebot.store import Store
from handlers.app import build_bot
from handlers.http import create_server, serve_in_background
from tests.fakeslack import payloads as p
from tests.fakeslack.signing import SECRET, post_signed
from tests.fakeslack.socketmode import FakeSocketMode
from tests.fakeslack.webapi import FakeSlack

QUESTIONS = [
    "how many sessions is BBR?",
    "what happens in the gap week?",
    "who can refer to Up2U?",
    "what risk tool does Kaizen use for sex offenders?",
    "what does a women's safety worker do?",
    "how many catch-up sessions are allowed?",
    "is he suitable for Kaizen if he has a learning disability?",
    "what information should be shared between agencies?",
]


def percentiles(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return f"{label:<28} p50 {q[49]:7.1f} ms   p95 {q[94]:7.1f} ms   p99 {q[98]:7.1f} ms   (n={len(ms)})"


def answer_of(fake: FakeSlack, ts: str) -> float:
    fake.wait_until(lambda calls: any(c.params.get("thread_ts") == ts for c in calls), timeout=10)
    return next(c.at for c in fake.calls if c.params.get("thread_ts") == ts)


def main(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="guidebot-bench-"))
    started = time.perf_counter()
    engine = Engine.from_settings(Settings(index_dir=work / "index"))
    store = Store.from_url(f"sqlite:///{work / 'bench.db'}", migrate=True)
    print(f"engine + store ready in {time.perf_counter() - started:.2f} s; {n} requests per mode, one at a time")
    with FakeSlack() as fake, FakeSocketMode() as socket:
        fake.socket_url = socket.url
        settings = Settings(
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
            escalation_channel="CTMS",
            index_dir=work / "index",
        )
        bot = build_bot(settings, engine=engine, store=store)
        app = bot.app
        bot.worker.start()
        server = create_server(app, SECRET, host="127.0.0.1", port=0)
        stop = serve_in_background(server)
        url = f"http://127.0.0.1:{server.effective_port}"
        acks, answers = [], []
        for i in range(n):
            event = p.mention(QUESTIONS[i % len(QUESTIONS)])
            body, kind = p.json_body(p.envelope(event))
            sent = time.perf_counter()
            status, _ = post_signed(url, body, kind)
            acks.append(time.perf_counter() - sent)
            assert status == 200, status
            answers.append(answer_of(fake, event["ts"]) - sent)
        stop()
        print(percentiles("HTTP: time to ack", acks))
        print(percentiles("HTTP: time to answer", answers))

        handler = SocketModeHandler(
            app, "xapp-1-bench", logger=app.logger, web_client=app.client, auto_reconnect_enabled=False
        )
        handler.connect()
        socket.wait_connected()
        acks, answers = [], []
        for i in range(n):
            event = p.mention(QUESTIONS[i % len(QUESTIONS)])
            sent = time.perf_counter()
            envelope_id = socket.send("events_api", p.envelope(event))
            socket.wait_ack(envelope_id)
            acks.append(socket.acked_at[envelope_id] - sent)
            answers.append(answer_of(fake, event["ts"]) - sent)
        handler.close()
        bot.worker.stop()
        print(percentiles("Socket Mode: time to ack", acks))
        print(percentiles("Socket Mode: time to answer", answers))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
