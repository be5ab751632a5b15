"""Slack payloads shaped like the real ones (field for field from Slack's documented examples; no real data)."""

from __future__ import annotations

import itertools
import json
import urllib.parse
from typing import Any

from tests.fakeslack.webapi import BOT_ID, BOT_USER_ID, TEAM_ID

USER = "U123ABC"
CHANNEL = "C111"
DM = "D222"
_ids = itertools.count(1)


def next_ts() -> str:
    return f"1700000000.{next(_ids):06d}"


def envelope(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """The Events API wrapper around one event."""
    return {
        "token": "verification-token-unused",
        "team_id": TEAM_ID,
        "context_team_id": TEAM_ID,
        "api_app_id": "A111",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": 1700000000,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def mention(
    text: str, *, ts: str | None = None, thread_ts: str | None = None, channel: str = CHANNEL, user: str = USER
) -> dict[str, Any]:
    ts = ts or next_ts()
    event = {
        "client_msg_id": f"m-{ts}",
        "type": "app_mention",
        "text": f"<@{BOT_USER_ID}> {text}",
        "user": user,
        "ts": ts,
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
        "blocks": [{"type": "rich_text", "block_id": "b1", "elements": []}],
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(
    text: str,
    *,
    ts: str | None = None,
    thread_ts: str | None = None,
    channel: str = CHANNEL,
    channel_type: str = "channel",
    user: str = USER,
    **extra: Any,
) -> dict[str, Any]:
    ts = ts or next_ts()
    event = {
        "client_msg_id": f"m-{ts}",
        "type": "message",
        "text": text,
        "user": user,
        "ts": ts,
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    event.update(extra)
    return event


def bot_message(text: str, *, channel: str = CHANNEL, bot_id: str = "BOTHER") -> dict[str, Any]:
    ts = next_ts()
    return {
        "type": "message",
        "subtype": "bot_message",
        "text": text,
        "ts": ts,
        "bot_id": bot_id,
        "username": "another bot",
        "channel": channel,
        "event_ts": ts,
        "channel_type": "channel",
    }


def command(text: str, response_url: str, *, channel: str = CHANNEL) -> dict[str, str]:
    """The form fields of a slash command invocation."""
    return {
        "token": "unused",
        "team_id": TEAM_ID,
        "team_domain": "probation",
        "channel_id": channel,
        "channel_name": "programmes",
        "user_id": USER,
        "user_name": "om.smith",
        "command": "/guide",
        "text": text,
        "api_app_id": "A111",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
    }


def message_shortcut(text: str, response_url: str, callback_id: str) -> dict[str, Any]:
    return {
        "type": "message_action",
        "token": "unused",
        "action_ts": "1700000300.000001",
        "team": {"id": TEAM_ID, "domain": "probation"},
        "user": {"id": USER, "name": "om.smith"},
        "channel": {"id": CHANNEL, "name": "programmes"},
        "is_enterprise_install": False,
        "callback_id": callback_id,
        "trigger_id": "1.2.3",
        "response_url": response_url,
        "message_ts": "1700000000.000009",
        "message": {"type": "message", "user": "U999", "ts": "1700000000.000009", "text": text},
    }


def block_action(action_id: str, value: str, response_url: str, *, ephemeral: bool = False) -> dict[str, Any]:
    container = {"type": "message", "message_ts": "1700000100.000001", "channel_id": CHANNEL, "is_ephemeral": ephemeral}
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": USER, "username": "om.smith", "team_id": TEAM_ID},
        "api_app_id": "A111",
        "token": "unused",
        "container": container,
        "trigger_id": "1.2.3",
        "team": {"id": TEAM_ID, "domain": "probation"},
        "is_enterprise_install": False,
        "channel": {"id": CHANNEL, "name": "programmes"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "answer_actions",
                "value": value,
                "type": "button",
                "text": {"type": "plain_text", "text": "x", "emoji": True},
                "action_ts": "1700000400.1",
            }
        ],
    }
    if not ephemeral:
        payload["message"] = {"type": "message", "ts": "1700000100.000001", "bot_id": BOT_ID, "text": "", "blocks": []}
    return payload


def json_body(payload: dict[str, Any]) -> tuple[bytes, str]:
    return json.dumps(payload).encode(), "application/json"


def form_body(fields: dict[str, str]) -> tuple[bytes, str]:
    return urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"


def interactive_body(payload: dict[str, Any]) -> tuple[bytes, str]:
    return form_body({"payload": json.dumps(payload)})


def command_by(
    text: str,
    response_url: str,
    *,
    user: str = USER,
    channel: str = CHANNEL,
    trigger_id: str = "13345224609.738474920.8088930838d88f008e0",
) -> dict[str, str]:
    """A `/guide` invocation by any user (the form fields of a slash command, with its trigger_id)."""
    fields = command(text, response_url, channel=channel)
    fields.update({"user_id": user, "user_name": user.lower(), "trigger_id": trigger_id})
    return fields


def _reminder_action(action: dict[str, Any], response_url: str, user: str, channel: str) -> dict[str, Any]:
    """A block_actions payload from a bot message in a DM (a reminder) carrying one action."""
    ts = "1700000500.000001"
    return {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A111",
        "token": "unused",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
        "trigger_id": "1.2.4",
        "team": {"id": TEAM_ID, "domain": "probation"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "ts": ts, "bot_id": BOT_ID, "user": BOT_USER_ID, "text": "", "blocks": []},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [{**action, "block_id": "contact", "action_ts": "1700000600.000001"}],
    }


def reminder_button(
    action_id: str, value: str, response_url: str, *, user: str = USER, channel: str = DM
) -> dict[str, Any]:
    """A click on one of a reminder's buttons (Contact done, Remind me tomorrow)."""
    button = {
        "action_id": action_id,
        "type": "button",
        "value": value,
        "text": {"type": "plain_text", "text": "x", "emoji": True},
    }
    return _reminder_action(button, response_url, user, channel)


def reminder_choice(
    action_id: str, option: dict[str, Any], response_url: str, *, user: str = USER, channel: str = DM
) -> dict[str, Any]:
    """An option chosen in a reminder's static_select (Not seen - record why); `option` as the message had it."""
    select = {
        "action_id": action_id,
        "type": "static_select",
        "selected_option": option,
        "placeholder": {"type": "plain_text", "text": "Not seen - record why", "emoji": True},
    }
    return _reminder_action(select, response_url, user, channel)


def view_submission(
    callback_id: str, values: dict[str, dict[str, dict[str, Any]]], *, user: str = USER
) -> dict[str, Any]:
    """A modal submitted: `values` is view.state.values ({block_id: {action_id: element state}})."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "probation"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A111",
        "token": "unused",
        "trigger_id": "1.2.5",
        "view": {
            "id": "V0001",
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": callback_id,
            "state": {"values": values},
            "hash": "1700000700.abcdef",
            "title": {"type": "plain_text", "text": "Add a case", "emoji": True},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
            "submit": {"type": "plain_text", "text": "Add", "emoji": True},
            "previous_view_id": None,
            "root_view_id": "V0001",
            "app_id": "A111",
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def app_home_opened(user: str = USER, *, tab: str = "home") -> dict[str, Any]:
    """The event Slack sends when a user opens the app's Home (or Messages) tab."""
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": DM,
        "tab": tab,
        "event_ts": f"{next_ts()}",
    }
