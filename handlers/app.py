"""The composition root: one Bolt App from Settings, with the Web API client, middleware and listeners."""

from __future__ import annotations

from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, RetryHandler

from guidebot.config import Settings
from handlers import ask, middleware
from handlers.logs import slack_logger
from handlers.services import Asker, FeedbackStore, Services


def retry_handlers() -> list[RetryHandler]:
    """429s wait for Retry-After, dropped connections retry once.

    No ServerErrorRetryHandler on purpose: chat.postMessage has no idempotency key, and a 500 may come after
    the post was made, so retrying it could answer twice.
    """
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


def build_app(
    settings: Settings,
    *,
    engine: Asker,
    store: FeedbackStore,
    client: WebClient | None = None,
    process_before_response: bool = False,
    listener_executor: Executor | None = None,
) -> App:
    """Build the Bolt App: `engine` answers, `store` records feedback and claims events."""
    logger = slack_logger(settings.log_level)
    client = client or build_client(settings)
    _ensure_retries(client)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=process_before_response,
        listener_executor=listener_executor,
        logger=logger,
    )
    services = Services(
        settings=settings,
        engine=engine,
        store=store,
        slack_logger=logger,
        retry_handlers=tuple(retry_handlers()),
    )
    middleware.register(app, store)
    ask.register(app, services)
    return app
