"""`guidebot serve`: Socket Mode when SLACK_APP_TOKEN is set, otherwise the HTTP Events API on $PORT.

The web process only stores requests and acknowledges them; a child process, `guidebot worker`, answers them
and sends the outbox and the reminders. Searching is CPU-bound, and kept in one process with the acks it
starved them (acks p99 over a second under load). The child is woken through its stdin on every stored request,
exits when that pipe closes (the web process died, however it died), and is restarted if it stops.

`guidebot worker` alone (no Slack connection in) adds capacity beside the web process; it shares the database,
so it finishes what any process acknowledged. `--once` does one pass (cron, tests).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import IO

from slack_bolt.adapter.socket_mode import SocketModeHandler

from guidebot.config import Settings
from guidebot.search.models import Answer
from handlers.app import Bot, build_bot
from handlers.http import create_server
from handlers.tokens import token_problems

log = logging.getLogger(__name__)

WORKER_NICENESS = 5
RESTART_AFTER = (1.0, 2.0, 5.0, 10.0, 30.0)


def _checked(settings: Settings) -> None:
    problems = token_problems(settings)
    if problems:
        raise SystemExit("\n".join(problems))


def _bot(settings: Settings) -> Bot:
    """Migrate the store, load the index, build the bot (for the worker: it answers)."""
    from guidebot.search.engine import Engine
    from guidebot.search.english import warm_up
    from guidebot.store import Store

    store = Store.from_url(settings.database_url, migrate=True)
    engine = Engine.from_settings(settings)
    warm_up()  # the spelling word list, so the first user with a typo doesn't wait for it
    return build_bot(settings, engine=engine, store=store)


class _NoSearch:
    """The web process never answers (its worker process does), so it loads no index."""

    def ask(self, question: str, *, top: int = 5, context: str | None = None) -> Answer:
        raise RuntimeError("the web process does not search; the worker process answers")


class WorkerProcess:
    """The `guidebot worker` child of `guidebot serve`: started, woken, restarted, stopped."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self) -> None:
        self._spawn()
        threading.Thread(target=self._supervise, name="guidebot-worker-supervisor", daemon=True).start()

    def _spawn(self) -> None:
        command = [sys.executable, "-m", "guidebot.cli", "worker", "--wake-on-stdin"]
        with self._lock:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE)

    def _supervise(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            process = self._process
            if process is None:
                return
            code = process.wait()
            if self._stopping.is_set():
                return
            delay = RESTART_AFTER[min(failures, len(RESTART_AFTER) - 1)]
            log.warning("the worker process stopped (exit %s); restarting it in %.0f s", code, delay)
            failures += 1
            time.sleep(delay)
            self._spawn()

    def wake(self) -> None:
        """A request was stored: one byte on the child's stdin (never blocks the ack for long)."""
        with self._lock:
            pipe = self._process.stdin if self._process else None
            if pipe is None:
                return
            with contextlib.suppress(OSError, ValueError):
                pipe.write(b"\n")
                pipe.flush()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            process = self._process
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def serve(settings: Settings) -> None:
    """Start the worker process (it first finishes what an earlier process acknowledged), then take requests."""
    _checked(settings)
    from guidebot.store import Store

    store = Store.from_url(settings.database_url, migrate=True)
    worker = WorkerProcess()
    worker.start()
    bot = build_bot(settings, engine=_NoSearch(), store=store, wake=worker.wake)
    try:
        app_token = settings.slack_app_token.get_secret_value()
        if app_token:
            log.info("connecting to Slack over Socket Mode")
            SocketModeHandler(bot.app, app_token, logger=bot.app.logger, web_client=bot.app.client).start()
            return
        server = create_server(
            bot.app,
            settings.slack_signing_secret.get_secret_value(),
            host="0.0.0.0",
            port=settings.port,
        )
        log.info("serving the Slack Events API on port %s (POST /slack/events, GET /healthz)", server.effective_port)
        server.run()
    finally:
        worker.stop()


def _wake_on(stream: IO[bytes], bot: Bot, stopped: threading.Event) -> None:
    """Each line from the web process wakes the worker; end of input means the web process is gone."""
    while stream.readline():
        bot.worker.wake()
    stopped.set()


def work(settings: Settings, *, once: bool = False, wake_on_stdin: bool = False) -> int:
    """Run only the worker until SIGTERM, SIGINT (or, under `serve`, until its stdin closes); `once`: one pass
    and exit (1 if work is left over)."""
    _checked(settings)
    bot = _bot(settings)
    if once:
        return 0 if bot.worker.run_once() else 1
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    if wake_on_stdin:
        os.nice(WORKER_NICENESS)  # acks first: the web process must answer Slack within 3 s
        threading.Thread(target=_wake_on, args=(sys.stdin.buffer, bot, stopped), daemon=True).start()
    bot.worker.start()
    log.info("worker started: reminders, answering the inbox and sending the outbox")
    stopped.wait()
    bot.worker.stop()
    return 0
