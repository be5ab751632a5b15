"""Cross-cutting rules for every incoming event, kept out of the listeners (Bolt's preferred place for them).

- Messages from bots (other apps and our own) are acknowledged and dropped, so bots never talk to each other.
- Slack retries an event it thinks we missed (same event_id, X-Slack-Retry-Num), and it delivers one post
  that mentions the bot twice (app_mention and message). `claim_keys` names both; the listener claims them
  in the same transaction that stores the request in the inbox, before the ack: the first copy is stored,
  every later copy is acknowledged and dropped. When the first copy never arrived, the retry is the one stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse


def is_bot_message(event: dict[str, Any], context: BoltContext) -> bool:
    """True for posts written by any bot or app, including this one."""
    return bool(
        event.get("bot_id")
        or event.get("subtype") == "bot_message"
        or event.get("bot_profile")
        or (context.bot_user_id and event.get("user") == context.bot_user_id)
    )


def mentions_bot(event: dict[str, Any], context: BoltContext) -> bool:
    """True when the post addresses the bot by @mention."""
    text = event.get("text")
    return bool(context.bot_user_id and isinstance(text, str) and f"<@{context.bot_user_id}" in text)


def claim_keys(body: dict[str, Any], context: BoltContext) -> list[str]:
    """The dedupe keys of one delivery: its event id, and for a post addressing the bot, channel and ts."""
    event = body.get("event")
    keys = [f"event:{body.get('team_id', '')}:{body['event_id']}"] if body.get("event_id") else []
    if not (isinstance(event, dict) and event.get("channel") and event.get("ts")):
        return keys
    kind = event.get("type")
    if kind == "app_mention" or (kind == "message" and mentions_bot(event, context)):
        keys.append(f"post:{event['channel']}:{event['ts']}")
    return keys


def register(app: App) -> None:
    """Install the bot filter on `app`, for Events API deliveries only."""

    @app.middleware
    def drop_bot_messages(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        event = body.get("event") if body.get("type") == "event_callback" else None
        if isinstance(event, dict) and is_bot_message(event, context):
            return context.ack()
        return next()
