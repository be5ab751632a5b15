"""`guidebot serve`: Socket Mode when SLACK_APP_TOKEN is set, otherwise the HTTP Events API on $PORT."""

from __future__ import annotations

import logging

from slack_bolt.adapter.socket_mode import SocketModeHandler

from guidebot.config import Settings
from handlers.app import build_app
from handlers.http import create_server
from handlers.tokens import token_problems

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Check the tokens (exit naming the variable), migrate the store, load the index, serve forever."""
    problems = token_problems(settings)
    if problems:
        raise SystemExit("\n".join(problems))
    from guidebot.search.engine import Engine
    from guidebot.search.english import warm_up
    from guidebot.store import Store

    store = Store.from_url(settings.database_url, migrate=True)
    store.purge_events()
    engine = Engine.from_settings(settings)
    warm_up()  # the spelling word list, so the first user with a typo doesn't wait for it
    app = build_app(settings, engine=engine, store=store)
    app_token = settings.slack_app_token.get_secret_value()
    if app_token:
        log.info("connecting to Slack over Socket Mode")
        SocketModeHandler(app, app_token, logger=app.logger, web_client=app.client).start()
        return
    server = create_server(app, settings.slack_signing_secret.get_secret_value(), host="0.0.0.0", port=settings.port)
    log.info("serving the Slack Events API on port %s (POST /slack/events, GET /healthz)", server.effective_port)
    server.run()
