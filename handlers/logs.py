"""Logging for the Slack side that never carries message text or request bodies.

Two measures, because Slack's libraries log payloads in two ways:
- slack_sdk logs every request and response body at DEBUG (`base_client`, `webhook`, `socket_mode`), and Bolt
  logs payloads at DEBUG too. The loggers we hand to them (`guidebot.slack`, copied by Bolt onto each of its
  own loggers) stay at INFO or above, and the `slack_sdk` / `slack_bolt` parents are capped at INFO for any
  logger we could not hand ours to. So their DEBUG lines never exist, whatever the root level.
- A few INFO/WARNING lines embed a body (Bolt's "Invalid request signature detected (... body: ...)",
  "Unhandled request ({...})", "Failed to parse a message (... message: ...)"). `RedactPayloads` cuts them
  at the point where the payload starts.

`RedactPayloads` also drops one false alarm: Bolt reads SLACK_BOT_TOKEN from the environment even when it is
handed a client, and then warns at every start that `token` will be unused, though the client was built from
that very token.
"""

from __future__ import annotations

import logging
import re

from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

LOGGER_NAME = "guidebot.slack"

# Phrases after which Slack's libraries print a payload; everything from the phrase on is dropped.
_TOKEN_UNUSED = warning_client_prioritized_and_token_skipped()
_PAYLOAD_MARKERS = re.compile(
    r"(body|message|payload|params|json_body|response|text|blocks|event)\s*[:=(]|"
    r"Unhandled request \(|Received the following response|Sending a request",
    re.IGNORECASE,
)


class RedactPayloads(logging.Filter):
    """Cut a record's message where a payload starts; drop DEBUG lines (payload dumps) and the `token` notice."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG:
            return False
        message = record.getMessage()
        if message == _TOKEN_UNUSED:
            return False
        match = _PAYLOAD_MARKERS.search(message)
        if match:
            record.msg = message[: match.start()].rstrip(" (:,") + " [payload redacted]"
            record.args = ()
        return True


_FILTER = RedactPayloads()


def slack_logger(level: str | int = logging.INFO) -> logging.Logger:
    """The logger to pass to App, WebClient, WebhookClient and SocketModeHandler; never below INFO."""
    numeric = logging.getLevelName(level) if isinstance(level, str) else level
    if not isinstance(numeric, int):
        numeric = logging.INFO
    for name in ("slack_sdk", "slack_bolt"):
        library = logging.getLogger(name)
        if library.level < logging.INFO:
            library.setLevel(logging.INFO)
        if _FILTER not in library.filters:
            library.addFilter(_FILTER)
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(max(numeric, logging.INFO))
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger
