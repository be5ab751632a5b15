"""A running guidebot: the real Bolt app behind the real HTTP server on 127.0.0.1, talking to FakeSlack."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any

import pytest
from slack_sdk import WebClient

from guidebot.config import Settings
from guidebot.search.models import Answer
from handlers.app import build_app
from handlers.http import create_server, serve_in_background
from tests.fakeslack.signing import SECRET
from tests.fakeslack.webapi import FakeSlack


class SyncExecutor(Executor):
    """Runs submitted work inline, so a request's response means its lazy listener has finished."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


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
    store: Any
    settings: Settings


def settings_for(fake: FakeSlack, **overrides: Any) -> Settings:
    fields: dict[str, Any] = {
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.api_url,
        "escalation_channel": "CTMS",
    }
    return Settings(**{**fields, **overrides})


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def start(fake: FakeSlack, knowledge_engine: Any, sqlite_store: Any) -> Iterator[Callable[..., Running]]:
    """Start the app over HTTP; sync=True answers before the HTTP response (deterministic negatives)."""
    stops: list[Callable[[], None]] = []

    def _start(*, sync: bool = True, **overrides: Any) -> Running:
        settings = settings_for(fake, **overrides)
        engine = SpyEngine(knowledge_engine)
        app = build_app(
            settings,
            engine=engine,
            store=sqlite_store,
            client=WebClient(token="xoxb-test-token", base_url=fake.api_url),
            process_before_response=sync,
            listener_executor=SyncExecutor() if sync else None,
        )
        server = create_server(app, SECRET, host="127.0.0.1", port=0)
        stops.append(serve_in_background(server))
        fake.reset()
        return Running(f"http://127.0.0.1:{server.effective_port}", fake, engine, sqlite_store, settings)

    yield _start
    for stop in stops:
        stop()


@pytest.fixture
def running(start: Callable[..., Running]) -> Running:
    return start()
