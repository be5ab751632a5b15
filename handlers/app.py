"""The composition root: one Bolt App from Settings, with the Web API client, middleware and listeners."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, RetryHandler
from sqlalchemy.exc import SQLAlchemyError

from guidebot.checklists.loader import load_checklists
from guidebot.checklists.models import Checklist
from guidebot.config import Settings
from guidebot.learn.content import Library, open_library
from guidebot.reminders.dispatcher import ReminderSetup, run_pass, setup_from
from guidebot.reminders.programmes import ProgrammesFileError
from guidebot.store import Store
from guidebot.worker import Worker
from handlers import ask, cases, checklists, command, home, jobs, learn, middleware, quiz, reminders
from handlers.logs import slack_logger
from handlers.messenger import SlackMessenger
from handlers.reminders import SlackReminderMessages
from handlers.services import Asker, Services

log = logging.getLogger(__name__)


def retry_handlers() -> list[RetryHandler]:
    """For the reads the worker makes (conversations.replies): 429s wait for Retry-After, dropped connections
    retry once. Posts go through the outbox, whose sender has no retry handlers (handlers/messenger.py)."""
    return [ConnectionErrorRetryHandler(max_retry_count=1), RateLimitErrorRetryHandler(max_retry_count=2)]


def build_client(settings: Settings) -> WebClient:
    """The Web API client: the bot token, SLACK_API_URL when set, our retries and our redacted logger."""
    kwargs = {"base_url": settings.slack_api_url.rstrip("/") + "/"} if settings.slack_api_url else {}
    return WebClient(
        token=settings.slack_bot_token.get_secret_value() or None,
        logger=slack_logger(settings.log_level),
        retry_handlers=retry_handlers(),
        **kwargs,
    )


def _ensure_retries(client: WebClient) -> None:
    present = {type(handler) for handler in client.retry_handlers}
    client.retry_handlers.extend(h for h in retry_handlers() if type(h) not in present)


def _on_error(error: Exception) -> BoltResponse:
    """One line per failure, without a traceback (it can quote a payload). A request the store could not take
    gets 503, so Slack retries it later; anything else is a payload we cannot use and is not worth retrying."""
    if isinstance(error, SQLAlchemyError):
        log.warning("could not store a request (%s); Slack will retry it", type(error).__name__)
        return BoltResponse(status=503, body="")
    log.warning("a listener failed (%s)", type(error).__name__)
    return BoltResponse(status=500, body="")


def reminder_setup(settings: Settings) -> ReminderSetup | None:
    """The reminders' calendars; None (reminders off, said once at start) when programmes.yaml is broken."""
    try:
        return setup_from(settings)
    except (ProgrammesFileError, OSError) as error:
        log.error("reminders are off: %s", error)
        return None


def loaded_library(settings: Settings) -> Library:
    """The learning content; a broken entry is left out and named once in the log (doctor names it too)."""
    library = open_library(settings.knowledge_dir)
    for error in library.learning.errors:
        log.error("learning content left out: %s", error)
    return library


def loaded_checklists(settings: Settings) -> dict[str, Checklist]:
    """The checklists that load; a broken one is left out and named once in the log (doctor names it too)."""
    found, errors = load_checklists(settings.knowledge_dir)
    for error in errors:
        log.error("checklist left out: %s", error)
    return found


@dataclass(frozen=True)
class Bot:
    """The Bolt App (the edge) and the worker that answers what it stored and sends the outbox."""

    app: App
    worker: Worker


def build_bot(
    settings: Settings,
    *,
    engine: Asker,
    store: Store,
    client: WebClient | None = None,
    worker_threads: int = 4,
    wake: Callable[[], None] | None = None,
) -> Bot:
    """Build the Bolt App and its worker: `engine` answers, `store` holds the inbox, outbox and feedback.

    The worker is not started: `guidebot worker` starts it, tests drain it. `wake` tells another process's
    worker that a request was stored (`guidebot serve`); by default this process's own worker is woken.
    """
    logger = slack_logger(settings.log_level)
    client = client or build_client(settings)
    _ensure_retries(client)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        # The listeners only store the request; Bolt must run them before it answers Slack (for events it would
        # otherwise acknowledge first, and a process dying right then would lose the request).
        process_before_response=True,
        logger=logger,
    )
    bell = threading.Event()
    setup = reminder_setup(settings)
    services = Services(
        settings=settings,
        engine=engine,
        store=store,
        wake=wake or bell.set,
        schedule=setup,
        checklists=loaded_checklists(settings),
        library=loaded_library(settings),
    )
    middleware.register(app)
    ask.register(app, services)
    reminders.register(app, services)
    cases.register(app, services)
    checklists.register(app, services)
    quiz.register(app, services)
    learn.register(app, services)
    home.register(app, services)
    command.register(app, services, [*cases.SUBCOMMANDS, checklists.SUBCOMMAND, quiz.SUBCOMMAND, *learn.SUBCOMMANDS])
    app.error(_on_error)
    tick = functools.partial(run_pass, store, setup, SlackReminderMessages(settings.zone)) if setup else None
    worker = Worker(
        store,
        functools.partial(jobs.run, services, client),
        SlackMessenger(client),
        give_up=jobs.apology,
        threads=worker_threads,
        bell=bell,
        tick=tick,
        checklist_ttl=timedelta(days=settings.checklist_ttl_days),
        often=functools.partial(quiz.refresh_views, services),
    )
    return Bot(app, worker)
