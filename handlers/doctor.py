"""`guidebot doctor`, Slack part: says what works with the configured credentials, calling auth.test."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from guidebot.config import Settings
from handlers.app import build_client
from handlers.tokens import token_problems


def _api_error(error: Exception) -> str:
    if isinstance(error, SlackApiError) and error.response is not None:
        return str(error.response.get("error") or error.response.status_code)
    return type(error).__name__


def check_slack(settings: Settings) -> list[tuple[bool, str]]:
    """(ok, what) lines: token formats, auth.test via the configured client, signing secret, Socket Mode.

    Nothing of Slack configured is a terminal-only setup, not a failure."""
    secrets = (settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret)
    if not any(s.get_secret_value() for s in secrets):
        return [(True, "slack: not configured (terminal only); README 'Connect to Slack' says how")]
    checks: list[tuple[bool, str]] = [(False, problem) for problem in token_problems(settings)]
    client = build_client(settings)
    if settings.slack_bot_token.get_secret_value().startswith("xoxb-"):
        try:
            auth = client.auth_test()
            checks.append((True, f"SLACK_BOT_TOKEN works: bot @{auth.get('user')} in workspace {auth.get('team')}"))
        except (SlackClientError, OSError) as error:
            checks.append((False, f"SLACK_BOT_TOKEN: auth.test at {client.base_url} failed ({_api_error(error)})"))
    app_token = settings.slack_app_token.get_secret_value()
    if app_token.startswith("xapp-"):
        socket_client = WebClient(token=app_token, base_url=client.base_url, logger=client.logger)
        try:
            socket_client.apps_connections_open(app_token=app_token)
            checks.append((True, "SLACK_APP_TOKEN works: Socket Mode can connect (serve will use Socket Mode)"))
        except (SlackClientError, OSError) as error:
            checks.append((False, f"SLACK_APP_TOKEN: apps.connections.open failed ({_api_error(error)})"))
    elif not app_token and settings.slack_signing_secret.get_secret_value():
        checks.append((True, f"SLACK_SIGNING_SECRET is set: serve will use HTTP on port {settings.port}"))
    if settings.escalation_channel:
        checks.append((True, f"escalation channel: {settings.escalation_channel}"))
    else:
        checks.append((True, "no GUIDEBOT_ESCALATION_CHANNEL: the 'Ask a treatment manager' button is hidden"))
    return checks
