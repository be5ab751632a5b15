"""Fuzz the HTTP edge: 5,000 signed requests (junk, wrong types, missing fields, deep nesting, valid payloads)
against the real Bolt app on 127.0.0.1, counting status classes, 5xx and log records with a traceback.

Why: a body must never cost a 5xx (Slack retries those) or a traceback in the logs (noise that hides real
faults, and Bolt's tracebacks can quote the payload). Run: .venv/bin/python bench/http_fuzz.py [N] [SEED]
"""

from __future__ import annotations

import collections
import copy
import logging
import random
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_sdk import WebClient

from guidebot.config import Settings
from guidebot.search.models import Answer, Status
from guidebot.store import Store
from handlers.app import build_bot
from handlers.http import create_server, serve_in_background
from tests.fakeslack.signing import SECRET, post, signed_headers
from tests.fakeslack.webapi import FakeSlack
from tests.handlers.test_http_edge import BASES, DEEP_BODIES, DELETE, PATHS, _encode, _mutate, _to_fake

WRONG: list[object] = [None, 5, -1.5, True, "x", "", [], {}, [{}], [5], {"id": 5}, [None], "event_callback"]


class TrivialEngine:
    """Answers nothing, at once: the bench measures the edge, not the search."""

    def ask(self, question: str, *, top: int = 5, context: str | None = None) -> Answer:
        return Answer(question=question, status=Status.no_answer, message="x")


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _junk(rng: random.Random) -> tuple[bytes, str]:
    choice = rng.randrange(5)
    if choice == 0:
        return rng.randbytes(rng.randrange(300)), rng.choice(["application/json", ""])
    if choice == 1:
        text = "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(200)))
        return text.encode(), rng.choice(["application/json", "application/x-www-form-urlencoded", "text/plain"])
    if choice == 2:
        return b"payload=" + urllib.parse.quote(rng.choice(["{", "[]", "null", '{"type": 1}', "x"])).encode(), ""
    if choice == 3:
        return rng.choice([b"[]", b"{}", b"null", b"1", b'"x"', b"command=&text=", b"a=b&c"]), "application/json"
    return b"", "application/json"


def _wrong_types(rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(sorted(BASES))
    payload = BASES[kind]
    for _ in range(rng.randrange(1, 4)):
        payload = _mutate(payload, rng.choice(PATHS), rng.choice([*WRONG, DELETE]))
    return _encode(payload, kind, rng.choice(["json", "payload", "form"]))


def _valid(rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(sorted(BASES))
    payload = copy.deepcopy(BASES[kind])
    if kind in ("event", "message"):
        payload["event_id"] = f"Ev{rng.randrange(10**12)}"
        payload["event"]["ts"] = f"1700000000.{rng.randrange(10**6):06d}"
    return _encode(payload, kind, "payload")


def _deep(rng: random.Random) -> tuple[bytes, str]:
    return rng.choice(DEEP_BODIES)


def main(total: int = 5_000, seed: int = 1) -> None:
    rng = random.Random(seed)
    capture = Records()
    root = logging.getLogger()
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    logging.getLogger("urllib3").setLevel(logging.INFO)  # connection chatter to the fake, not the edge
    statuses: collections.Counter[str] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    generators = [("junk", _junk, 3), ("wrong types", _wrong_types, 5), ("deep", _deep, 1), ("valid", _valid, 2)]
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
        store = Store.from_url(f"sqlite:///{tmp}/guidebot.db", migrate=True)
        settings = Settings(
            slack_bot_token="xoxb-test-token",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
            escalation_channel="CTMS",
        )
        client = WebClient(token="xoxb-test-token", base_url=fake.api_url)
        bot = build_bot(settings, engine=TrivialEngine(), store=store, client=client)
        server = create_server(bot.app, SECRET, host="127.0.0.1", port=0)
        stop = serve_in_background(server)
        bot.worker.start()
        url = f"http://127.0.0.1:{server.effective_port}"
        try:
            for _ in range(total):
                name, make, _weight = rng.choices(generators, weights=[g[2] for g in generators])[0]
                body, ctype = make(rng)
                body = _to_fake(body, fake.url)
                status, _ = post(url, body, ctype, signed_headers(body))
                kinds[name] += 1
                statuses[f"{status // 100}xx"] += 1
                statuses[str(status)] += 1
            bot.worker.drain(60)
        finally:
            bot.worker.stop()
            stop()
            store.engine.dispose()
    root.removeHandler(capture)
    records = capture.records
    with_traceback = [r for r in records if r.exc_info or "Traceback" in r.getMessage()]
    print(f"requests sent: {sum(kinds.values())} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print("by status class:", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()) if k.endswith("xx")))
    print("by status:", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()) if not k.endswith("xx")))
    print(f"5xx: {statuses['5xx']}")
    print(f"log records: {len(records)}; with a traceback: {len(with_traceback)}")
    print(
        f"warnings: {sum(r.levelno == logging.WARNING for r in records)}; "
        f"errors: {sum(r.levelno >= logging.ERROR for r in records)}"
    )
    by_message = collections.Counter(
        f"{r.levelname} {r.name}: {r.msg}" for r in records if r.levelno >= logging.WARNING
    )
    for message, count in by_message.most_common(12):
        print(f"  {count:5d}  {str(message)[:110]}")
    for record in with_traceback[:3]:
        print("traceback from", record.name, record.getMessage()[:200])


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
