"""A running guidebot: the real Bolt app behind the real HTTP server on 127.0.0.1, talking to FakeSlack."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import waitress
from slack_sdk import WebClient

from guidebot.config import Settings
from guidebot.search.models import Answer
from guidebot.store import Store
from guidebot.worker import Worker
from handlers.app import build_bot
from handlers.http import SlackEndpoint, serve_in_background
from tests.fakeslack.blockkit import validate_blocks
from tests.fakeslack.signing import SECRET
from tests.fakeslack.webapi import Call, FakeSlack


@dataclass
class SpyEngine:
    """The real engine, recording each ask(); `gate` (when set) holds answers back until the test opens it."""

    inner: Any
    calls: list[tuple[str, int, str | None]] = field(default_factory=list)
    gate: threading.Event | None = None

    def ask(self, question: str, *, top: int = 5, context: str | None = None) -> Answer:
        self.calls.append((question, top, context))
        if self.gate is not None:
            self.gate.wait(10)
        return self.inner.ask(question, top=top, context=context)


@dataclass
class Running:
    url: str
    fake: FakeSlack
    engine: SpyEngine
    store: Store
    settings: Settings
    worker: Worker

    def settle(self, timeout: float = 30.0) -> None:
        """Answer and send everything stored, in this thread (a sync app does this before each response)."""
        assert self.worker.drain(timeout), "the worker did not go idle"


class DrainAfterEach:
    """WSGI wrapper: answer everything a request stored before responding, so tests see its effects at once."""

    def __init__(self, endpoint: SlackEndpoint, worker: Worker) -> None:
        self.endpoint, self.worker = endpoint, worker

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = self.endpoint(environ, start_response)
        self.worker.drain(15.0)
        return body


def settings_for(fake: FakeSlack, **overrides: Any) -> Settings:
    fields: dict[str, Any] = {
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.api_url,
        "escalation_channel": "CTMS",
    }
    return Settings(**{**fields, **overrides})


def responses(app: Running) -> list[Call]:
    """Every post to a response_url so far, each checked as valid Block Kit."""
    calls = app.fake.calls_to("respond")
    for call in calls:
        validate_blocks(call.params.get("blocks") or [])
    return calls


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A migrated SQLite store of this test's own: the inbox and outbox start empty."""
    opened = Store.from_url(f"sqlite:///{tmp_path / 'guidebot.db'}", migrate=True)
    yield opened
    opened.engine.dispose()


@pytest.fixture
def start(fake: FakeSlack, knowledge_engine: Any, store: Store) -> Iterator[Callable[..., Running]]:
    """Start the app over HTTP; sync=True answers before the HTTP response (deterministic negatives),
    sync=False runs the worker's own threads as `guidebot serve` does."""
    stops: list[Callable[[], None]] = []

    def _start(*, sync: bool = True, **overrides: Any) -> Running:
        settings = settings_for(fake, **overrides)
        engine = SpyEngine(knowledge_engine)
        bot = build_bot(
            settings, engine=engine, store=store, client=WebClient(token="xoxb-test-token", base_url=fake.api_url)
        )
        endpoint = SlackEndpoint(bot.app, SECRET)
        wsgi = DrainAfterEach(endpoint, bot.worker) if sync else endpoint
        server = waitress.create_server(wsgi, host="127.0.0.1", port=0, threads=8)
        stops.append(serve_in_background(server))
        if not sync:
            bot.worker.start()
            stops.append(bot.worker.stop)
        fake.reset()
        return Running(f"http://127.0.0.1:{server.effective_port}", fake, engine, store, settings, bot.worker)

    yield _start
    for stop in stops:
        stop()


@pytest.fixture
def running(start: Callable[..., Running]) -> Running:
    return start()
