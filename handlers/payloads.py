"""The shapes of the Slack payloads guidebot accepts, checked on a signed body before Bolt reads it.

Bolt assumes types (an `event` that is an object, `actions` that hold objects with an `action_id`) and raises,
with a traceback, when a body breaks them; it also recurses over the body. So the edge parses the body as
Bolt will, refuses anything nested too deep, and validates the minimal shape of each family with pydantic.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, NotRequired
from urllib.parse import parse_qsl

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

# Slack's deepest payloads (a modal's state, rich text blocks) nest about 15 levels; Bolt and the logging of
# its warnings recurse over the body, so anything far deeper is refused before it reaches them.
MAX_DEPTH = 64


class Refused(Exception):
    """A signed body guidebot cannot use; the message is a short reason that never quotes the body."""


def parse_body(text: str, content_type: str) -> Any:
    """The body as Bolt's `parse_body` will see it (JSON, a form, or a form's `payload` field); or raise Refused."""
    if not text:
        raise Refused("empty")
    try:
        if content_type.split(";")[0] == "application/json" or text.startswith("{"):
            return json.loads(text)
        if "payload" in text:
            payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
            return json.loads(payload) if payload is not None else {}
        return dict(parse_qsl(text, keep_blank_values=True))
    except RecursionError:
        raise Refused("nested too deep") from None
    except ValueError as error:  # JSONDecodeError, and parse_qsl's own ValueErrors
        raise Refused(f"unparseable: {type(error).__name__}") from None


def _too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when lists and objects nest deeper than `limit`; iterative, so the depth cannot overflow the stack."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


# The minimal shape of each payload family: only the fields that Bolt (building its context, matching
# listeners) or guidebot's middleware and listeners read, with the types they assume. Extra fields pass:
# Slack adds fields all the time. Strict, so a number is never taken for a string.
_STRICT = ConfigDict(strict=True)
_Str = str | None


@with_config(_STRICT)
class _Ref(TypedDict):
    """A user, channel, team or enterprise given as an object: Bolt reads its `id`."""

    id: NotRequired[str]


_RefOrId = str | _Ref | None


@with_config(_STRICT)
class _Authorization(TypedDict):
    enterprise_id: NotRequired[_Str]
    team_id: NotRequired[_Str]
    user_id: NotRequired[_Str]
    is_enterprise_install: NotRequired[bool | None]


@with_config(_STRICT)
class _Message(TypedDict):
    """An embedded message (message_changed, a shortcut's message): Bolt reads its user and thread."""

    user: NotRequired[_RefOrId]
    text: NotRequired[_Str]
    ts: NotRequired[_Str]
    thread_ts: NotRequired[_Str]
    subtype: NotRequired[_Str]
    bot_id: NotRequired[_Str]


@with_config(_STRICT)
class _Event(TypedDict):
    type: str
    user: NotRequired[_RefOrId]
    channel: NotRequired[_RefOrId]
    team: NotRequired[_Str]
    user_team: NotRequired[_Str]
    text: NotRequired[_Str]
    ts: NotRequired[_Str]
    thread_ts: NotRequired[_Str]
    event_ts: NotRequired[_Str]
    subtype: NotRequired[_Str]
    channel_type: NotRequired[_Str]
    bot_id: NotRequired[_Str]
    message: NotRequired[_Message | None]
    previous_message: NotRequired[_Message | None]
    item: NotRequired[dict[str, Any] | None]
    assistant_thread: NotRequired[dict[str, Any] | None]


@with_config(_STRICT)
class _Common(TypedDict):
    """Fields Bolt reads from any body while it builds the request's context and runs its middleware."""

    type: NotRequired[str]
    user: NotRequired[_RefOrId]
    user_id: NotRequired[_Str]
    channel: NotRequired[_RefOrId]
    channel_id: NotRequired[_Str]
    team: NotRequired[_RefOrId]
    team_id: NotRequired[_Str]
    enterprise: NotRequired[_RefOrId]
    enterprise_id: NotRequired[_Str]
    authorizations: NotRequired[list[_Authorization] | None]
    event: NotRequired[dict[str, Any]]
    message: NotRequired[_Message | None]
    previous_message: NotRequired[_Message | None]
    view: NotRequired[dict[str, Any]]
    thread_ts: NotRequired[_Str]
    response_url: NotRequired[str]
    response_urls: NotRequired[list[dict[str, Any]]]
    is_ext_shared_channel: NotRequired[bool | None]


@with_config(_STRICT)
class _EventCallback(TypedDict):
    type: Literal["event_callback"]
    event: _Event
    event_id: NotRequired[str]
    team_id: NotRequired[str]


@with_config(_STRICT)
class _UrlVerification(TypedDict):
    type: Literal["url_verification"]
    challenge: str


@with_config(_STRICT)
class _AppRateLimited(TypedDict):
    type: Literal["app_rate_limited"]


@with_config(_STRICT)
class _Command(TypedDict):
    command: str
    text: NotRequired[str]
    response_url: NotRequired[str]
    user_id: str
    channel_id: str


@with_config(_STRICT)
class _Action(TypedDict):
    action_id: str
    block_id: NotRequired[str]
    value: NotRequired[str]


@with_config(_STRICT)
class _User(TypedDict):
    id: str


@with_config(_STRICT)
class _BlockActions(TypedDict):
    type: Literal["block_actions"]
    actions: Annotated[list[_Action], Field(min_length=1)]
    user: _User
    channel: NotRequired[_Ref]
    container: NotRequired[dict[str, Any]]


@with_config(_STRICT)
class _Shortcut(TypedDict):
    type: Literal["message_action", "shortcut"]
    callback_id: str
    user: _User
    channel: NotRequired[_Ref]


@with_config(_STRICT)
class _View(TypedDict):
    id: str
    callback_id: NotRequired[str]
    type: NotRequired[str]


@with_config(_STRICT)
class _ViewPayload(TypedDict):
    type: Literal["view_submission", "view_closed"]
    view: _View
    user: NotRequired[_User]


_COMMON = TypeAdapter(_Common)
_COMMAND = TypeAdapter(_Command)
_BY_TYPE: dict[str, TypeAdapter[Any]] = {
    "event_callback": TypeAdapter(_EventCallback),
    "url_verification": TypeAdapter(_UrlVerification),
    "app_rate_limited": TypeAdapter(_AppRateLimited),
    "block_actions": TypeAdapter(_BlockActions),
    "message_action": TypeAdapter(_Shortcut),
    "shortcut": TypeAdapter(_Shortcut),
    "view_submission": TypeAdapter(_ViewPayload),
    "view_closed": TypeAdapter(_ViewPayload),
}


def check_payload(body: Any) -> None:
    """Raise Refused unless `body` is a Slack payload of a family guidebot handles, in a shape Bolt can read."""
    if not isinstance(body, dict):
        raise Refused("not an object")
    if _too_deep(body):
        raise Refused("nested too deep")
    if "command" in body:
        family, adapter = "slash command", _COMMAND
    elif isinstance(body.get("type"), str):
        family = body["type"] if body["type"] in _BY_TYPE else "unsupported type"
        adapter = _BY_TYPE.get(body["type"])
        if adapter is None:
            raise Refused("unsupported type")
    else:
        raise Refused("no type or command")
    for checker in (_COMMON, adapter):
        try:
            checker.validate_python(body)
        except ValidationError as error:
            raise Refused(f"{family}: {_where(error)}") from None


def _where(error: ValidationError) -> str:
    """The first problem as `field: kind`; field names are ours (extra keys are never reported), values never shown."""
    first = error.errors(include_url=False, include_context=False, include_input=False)[0]
    field = str(first["loc"][0]) if first["loc"] else "body"
    return f"{field}: {first['type']}"
