"""Checks of the Slack credentials in Settings that need no network, shared by `serve` and `doctor`."""

from __future__ import annotations

from guidebot.config import Settings


def token_problems(settings: Settings) -> list[str]:
    """What is missing or malformed, each naming the environment variable to fix; empty when all is well."""
    problems = []
    bot = settings.slack_bot_token.get_secret_value()
    app = settings.slack_app_token.get_secret_value()
    if not bot:
        problems.append("SLACK_BOT_TOKEN is missing: set it to the Bot User OAuth Token (xoxb-...).")
    elif not bot.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN is malformed: a bot token starts with xoxb-.")
    if app and not app.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN is malformed: an app-level token for Socket Mode starts with xapp-.")
    if not app and not settings.slack_signing_secret.get_secret_value():
        problems.append(
            "SLACK_SIGNING_SECRET is missing: the HTTP Events API needs it (or set SLACK_APP_TOKEN to use Socket Mode)."
        )
    return problems
