"""Logging for the Slack side that never carries message text or request bodies.

Two measures, because Slack's libraries log payloads in two ways:
- slack_sdk logs every request and response body at DEBUG (`base_client`, `webhook`, `socket_mode`), and Bolt
  logs payloads at DEBUG too. The loggers we hand to them (`guidebot.slack`, copied by Bolt onto each of its
  own loggers) stay at INFO or above, and the `slack_sdk` / `slack_bolt` parents are capped at INFO for any
  logger we could not hand ours to. So their DEBUG lines never exist, whatever the root level.
- A few INFO/WARNING lines embed a body (Bolt's "Invalid request signature detected (... body: ...)",
  "Unhandled request ({...})", "Failed to parse a message (... message: ...)"). `RedactPayloads` cuts them
  at the point where the payload starts.
"""

from __future__ import annotations

import logging
import re

LOGGER_NAME = "guidebot.slack"

# Phrases after which Slack's libraries print a payload; everything from the phrase on is dropped.
_PAYLOAD_MARKERS = re.compile(
    r"(body|message|payload|params|json_body|response|text|blocks|event)\s*[:=(]|"
    r"Unhandled request \(|Received the following response|Sending a request",
    re.IGNORECASE,
)


class RedactPayloads(logging.Filter):
    """Cut a record's message where a payload starts, and drop DEBUG lines (they are payload dumps)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG:
            return False
        message = record.getMessage()
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
