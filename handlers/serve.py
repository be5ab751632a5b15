"""`guidebot serve`: Socket Mode when SLACK_APP_TOKEN is set, otherwise the HTTP Events API on $PORT.

`guidebot worker`: the worker alone (no Slack connection in): reminders (plan, dispatch, digests), and more
answering and sending capacity beside the web process; it shares the database, so it finishes what any process
acknowledged. `--once` does one pass (cron, tests).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading

from slack_bolt.adapter.socket_mode import SocketModeHandler

from guidebot.config import Settings
from handlers.app import Bot, build_bot
from handlers.http import create_server
from handlers.tokens import token_problems

log = logging.getLogger(__name__)


def _bot(settings: Settings) -> Bot:
    """Check the tokens (exit naming the variable), migrate the store, load the index, build the bot."""
    problems = token_problems(settings)
    if problems:
        raise SystemExit("\n".join(problems))
    from guidebot.search.engine import Engine
    from guidebot.search.english import warm_up
    from guidebot.store import Store

    store = Store.from_url(settings.database_url, migrate=True)
    engine = Engine.from_settings(settings)
    warm_up()  # the spelling word list, so the first user with a typo doesn't wait for it
    return build_bot(settings, engine=engine, store=store)


def serve(settings: Settings) -> None:
    """Start the worker (it first finishes what an earlier process acknowledged), then take requests."""
    # The worker's searches are CPU-bound; a short GIL switch interval lets the threads that only store and
    # acknowledge a request get the interpreter back within a fraction of a millisecond.
    sys.setswitchinterval(0.0005)
    bot = _bot(settings)
    bot.worker.start()
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
        replays=bot.worker.store,
    )
    log.info("serving the Slack Events API on port %s (POST /slack/events, GET /healthz)", server.effective_port)
    server.run()


def work(settings: Settings, *, once: bool = False) -> int:
    """Run only the worker until SIGTERM or SIGINT; `once`: one pass and exit (1 if work is left over)."""
    bot = _bot(settings)
    if once:
        return 0 if bot.worker.run_once() else 1
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    bot.worker.start()
    log.info("worker started: answering the inbox and sending the outbox")
    stopped.wait()
    bot.worker.stop()
    return 0
