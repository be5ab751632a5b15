"""The HTTP edge under hostile input: 4xx (never 5xx), nothing posted; and no payload text in any log line."""

from __future__ import annotations

import copy
import http.client
import json
import logging
import socket
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from slack_bolt import App

from handlers import ids
from handlers.http import create_server, serve_in_background
from tests.fakeslack import payloads as p
from tests.fakeslack.signing import SECRET, post, signed_headers
from tests.handlers.conftest import Running

junk = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.builds(lambda s: b"payload=" + urllib.parse.quote(s).encode(), st.text(max_size=200)),
    st.builds(lambda s: ("payload=" + s).encode(), st.text(max_size=200)),
    st.sampled_from(
        [
            b"[]",
            b"{}",
            b"null",
            b"1",
            b'"x"',
            b"payload=",
            b"payload=[]",
            b"payload=%7B%7D",
            b'{"type": 1}',
            b'{"type": "event_callback", "event": "x"}',
            b'{"type": "block_actions"}',
            b"command=&text=",
            b"a=b&c",
            b"\xff\xfe\x00",
        ]
    ),
)
content_types = st.sampled_from(
    ["application/json", "application/x-www-form-urlencoded", "text/plain", "", "application/json; charset=utf-8"]
)
timestamps = st.one_of(st.none(), st.sampled_from(["abc", "", "1e3", "-1", "99999999999999999999", " 12"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=junk, content_type=content_types, timestamp=timestamps, sign=st.booleans())
def test_malformed_requests_get_4xx_and_nothing_is_posted(
    running: Running, body: bytes, content_type: str, timestamp: str | None, sign: bool
) -> None:
    headers = signed_headers(body) if sign else {}
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = timestamp
    status, _ = post(running.url, body, content_type, headers)
    assert 400 <= status < 500 or (status == 200 and sign and timestamp is None)
    assert running.fake.calls == []
    assert running.engine.calls == []


CANARY = "CANARY-7b1e-personal"


def test_canary_in_100_requests_never_reaches_the_logs(start, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    app = start()
    app.fake.queue("chat.postMessage", body={"ok": False, "error": "invalid_blocks"})
    app.fake.queue(
        "chat.postMessage", status=429, body={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "0"}
    )
    for i in range(100):
        kind = i % 5
        if kind == 0:
            body, ctype = p.json_body(p.envelope(p.mention(f"gap week {CANARY}")))
            headers = signed_headers(body)
        elif kind == 1:
            body, ctype = p.json_body(p.envelope(p.mention(f"BBR {CANARY}")))
            headers = {**signed_headers(body), "X-Slack-Signature": "v0=" + "1" * 64}
        elif kind == 2:
            body, ctype = p.form_body(p.command(f"Kaizen {CANARY}", f"{app.fake.url}/respond/c"))
            headers = signed_headers(body, timestamp=int(time.time()) - 3600)
        elif kind == 3:
            body, ctype = p.json_body(p.envelope(p.message(f"stray {CANARY}", subtype="message_changed")))
            headers = signed_headers(body)
        else:
            body, ctype = f"payload={CANARY}".encode(), "application/x-www-form-urlencoded"
            headers = signed_headers(body)
        post(app.url, body, ctype, headers)
    assert len(app.fake.calls_to("chat.postMessage")) >= 20, "the canary requests were really answered"
    assert caplog.records, "logging was captured"
    for record in caplog.records:
        assert CANARY not in record.getMessage()
        assert CANARY not in (caplog.text or "")
    assert CANARY not in json.dumps([r.__dict__.get("args") for r in caplog.records], default=str)


# --- Wrong types, missing fields, deep nesting: a 4xx (or a normal answer), never a 5xx, never a traceback.

RESPOND = "http://respond.invalid/respond/x"  # swapped for the fake's address before a body is signed
BASES: dict[str, dict[str, Any]] = {
    "event": p.envelope(p.mention("how long is the programme")),
    "message": p.envelope(p.message("how long is it", thread_ts="1700000000.000001", channel_type="im")),
    "action": p.block_action(ids.MORE_RESULTS, json.dumps({"q": "how long is it", "n": 1}), RESPOND),
    "vote": p.block_action(ids.HELPFUL, json.dumps({"a": "x1", "d": ["d1"]}), RESPOND),
    "shortcut": p.message_shortcut("how long is it", RESPOND, ids.ASK_ABOUT_MESSAGE),
    "command": dict(p.command("how long is it", RESPOND)),
    "url_verification": {"type": "url_verification", "challenge": "c", "token": "unused"},
    "view": {
        "type": "view_submission",
        "view": {"id": "V1", "callback_id": "cb", "type": "modal"},
        "user": {"id": "U1"},
    },
}
# Where a wrong value does harm: the fields Bolt's context builder, its matchers and our listeners read.
PATHS: list[tuple[str | int, ...]] = [
    ("type",),
    ("command",),
    ("text",),
    ("user",),
    ("user", "id"),
    ("user_id",),
    ("channel",),
    ("channel", "id"),
    ("channel_id",),
    ("team",),
    ("team_id",),
    ("enterprise",),
    ("enterprise_id",),
    ("authorizations",),
    ("authorizations", 0),
    ("authorizations", 0, "team_id"),
    ("event",),
    ("event", "type"),
    ("event", "user"),
    ("event", "channel"),
    ("event", "text"),
    ("event", "ts"),
    ("event", "thread_ts"),
    ("event", "subtype"),
    ("event", "message"),
    ("event_id",),
    ("actions",),
    ("actions", 0),
    ("actions", 0, "action_id"),
    ("actions", 0, "value"),
    ("container",),
    ("message",),
    ("message", "user"),
    ("callback_id",),
    ("view",),
    ("view", "id"),
    ("view", "callback_id"),
    ("response_url",),
    ("response_urls",),
    ("is_ext_shared_channel",),
    ("challenge",),
    ("thread_ts",),
]
WRONG = st.sampled_from([None, 5, -1.5, True, "x", "", [], {}, [{}], [5], {"id": 5}, [None], "event_callback"])
DELETE = object()


def _mutate(payload: dict[str, Any], path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """`payload` with the value at `path` replaced (or removed); containers missing on the way are created."""
    out = copy.deepcopy(payload)
    node: Any = out
    for step in path[:-1]:
        if isinstance(node, list):
            node = node[0] if node else node
            continue
        if not isinstance(node, dict):
            return out
        if not isinstance(node.get(step), dict | list):
            node[step] = [{}] if isinstance(step, int) else {}
        node = node[step]
    last = path[-1]
    if isinstance(node, dict):
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value
    elif isinstance(node, list) and node:
        node[0] = None if value is DELETE else value
    return out


def _to_fake(body: bytes, fake_url: str) -> bytes:
    """Point response_urls at the fake, however the body encodes them (plain, JSON-escaped, form-quoted)."""
    for encode in (
        str,
        lambda u: json.dumps(u)[1:-1],
        urllib.parse.quote_plus,
        lambda u: urllib.parse.quote_plus(json.dumps(u)[1:-1]),
    ):
        body = body.replace(encode(RESPOND).encode(), encode(fake_url + "/respond/x").encode())
    return body


def _deep(levels: int, opener: str = "[") -> str:
    closer = "]" if opener == "[" else "}"
    inner = '{"a":' if opener == "{" else "["
    return inner * levels + "1" + closer * levels


def _encode(payload: dict[str, Any], kind: str, encoding: str) -> tuple[bytes, str]:
    if kind == "command" or encoding == "form":
        return p.form_body({k: v if isinstance(v, str) else json.dumps(v) for k, v in payload.items()})
    if encoding == "payload":
        return p.interactive_body(payload)
    return p.json_body(payload)


DEEP_BODIES = [
    (b'{"type": "event_callback", "event": ' + _deep(1_000, "{").encode() + b"}", "application/json"),
    (b'{"type": "event_callback", "event": ' + _deep(100_000, "{").encode() + b"}", "application/json"),
    (_deep(1_000).encode(), "application/json"),
    (_deep(100_000).encode(), "application/json"),
    (b"payload=" + urllib.parse.quote(_deep(1_000, "{")).encode(), "application/x-www-form-urlencoded"),
    (b"payload=" + urllib.parse.quote(_deep(100_000)).encode(), "application/x-www-form-urlencoded"),
    (b'{"type": "block_actions", "actions": [{"action_id": "x", "value": ' + _deep(200).encode() + b"}]}", ""),
]


@st.composite
def hostile_bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(DEEP_BODIES))
    kind = draw(st.sampled_from(sorted(BASES)))
    payload = BASES[kind]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        payload = _mutate(payload, path, draw(st.one_of(WRONG, st.just(DELETE))))
    return _encode(payload, kind, draw(st.sampled_from(["json", "payload", "form"])))


def _assert_quiet(caplog: pytest.LogCaptureFixture, status: int) -> None:
    for record in caplog.records:
        assert record.exc_info is None, f"{record.name}: {record.getMessage()[:200]}"
        assert "Traceback" not in record.getMessage()
    if 400 <= status < 500:
        loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(loud) <= 1, [f"{r.name}: {r.getMessage()[:120]}" for r in loud]
        assert all(r.levelno == logging.WARNING for r in loud)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=hostile_bodies())
@example(request=DEEP_BODIES[0])
@example(request=DEEP_BODIES[1])
@example(request=DEEP_BODIES[3])
@example(request=DEEP_BODIES[5])
@example(request=p.json_body({"type": "event_callback", "event": None}))
@example(request=p.json_body({"type": "event_callback", "event": []}))
@example(request=p.interactive_body(_mutate(BASES["action"], ("actions",), [{}])))
@example(request=p.interactive_body(_mutate(BASES["action"], ("actions",), "x")))
@example(request=p.interactive_body(_mutate(BASES["action"], ("user",), 5)))
@example(request=p.json_body({**BASES["command"], "command": 5}))
@example(request=p.interactive_body(_mutate(BASES["view"], ("view",), None)))
@example(request=p.interactive_body(_mutate(BASES["action"], ("actions",), DELETE)))
def test_wrong_types_missing_fields_and_deep_nesting_never_get_a_5xx_or_a_traceback(
    running: Running, caplog: pytest.LogCaptureFixture, request: tuple[bytes, str]
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    body = _to_fake(request[0], running.fake.url)
    status, _ = post(running.url, body, request[1], signed_headers(body))
    assert status < 500
    _assert_quiet(caplog, status)


@pytest.mark.parametrize("index", range(len(DEEP_BODIES)))
def test_deeply_nested_bodies_are_refused_with_one_warning(
    running: Running, caplog: pytest.LogCaptureFixture, index: int
) -> None:
    caplog.set_level(logging.DEBUG)
    body, ctype = DEEP_BODIES[index]
    status, _ = post(running.url, body, ctype, signed_headers(body))
    assert status == 400
    _assert_quiet(caplog, status)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        "refused a signed request that is not a usable Slack payload (nested too deep)"
    ]
    assert running.fake.calls == [] and running.engine.calls == []


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"type": "event_callback", "event": None}, "event_callback: event: dict_type"),
        ({"type": "block_actions", "actions": [{}], "user": {"id": "U1"}}, "block_actions: actions: missing"),
        ({"type": "block_actions", "actions": [], "user": {"id": "U1"}}, "block_actions: actions: too_short"),
        ({"type": "block_actions", "actions": [{"action_id": "a"}], "user": "U1"}, "block_actions: user: dict_type"),
        (
            {"type": "message_action", "callback_id": 5, "user": {"id": "U1"}},
            "message_action: callback_id: string_type",
        ),
        ({"type": "view_closed", "view": None}, "view_closed: view: dict_type"),
        ({"command": "/guide", "user_id": "U1"}, "slash command: channel_id: missing"),
        ({"type": "dialog_submission", "callback_id": "x"}, "unsupported type"),
    ],
)
def test_a_refusal_names_the_field_and_never_the_value(
    running: Running, caplog: pytest.LogCaptureFixture, payload: dict[str, Any], reason: str
) -> None:
    caplog.set_level(logging.DEBUG)
    body, ctype = p.interactive_body(payload) if "type" in payload else p.json_body(payload)
    assert post(running.url, body, ctype, signed_headers(body))[0] == 400
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [f"refused a signed request that is not a usable Slack payload ({reason})"]


# --- Connections: idle sockets do not lock Slack out.

IDLE = 120  # more than waitress's default limit of 100 open connections (98 clients) allowed


@pytest.fixture
def short_timeouts() -> Iterator[str]:
    """The edge alone (url_verification and /healthz need no Slack), with a 2 s idle timeout."""
    app = App(signing_secret=SECRET, token="xoxb-test-token", token_verification_enabled=False)
    server = create_server(app, SECRET, host="127.0.0.1", port=0, channel_timeout=2, cleanup_interval=1)
    stop = serve_in_background(server)
    yield f"127.0.0.1:{server.effective_port}"
    stop()


def test_idle_connections_do_not_lock_slack_out_and_are_closed(short_timeouts: str) -> None:
    host, port = short_timeouts.split(":")
    idle = [socket.create_connection((host, int(port)), timeout=30) for _ in range(IDLE)]
    idle[-1].sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")  # a slow one
    try:
        connection = http.client.HTTPConnection(short_timeouts, timeout=30)
        connection.request("GET", "/healthz")
        assert connection.getresponse().read() == b"ok"
        connection.close()
        body = json.dumps({"type": "url_verification", "challenge": "still-here", "token": "t"}).encode()
        status, answer = post(f"http://{short_timeouts}", body, "application/json", signed_headers(body))
        assert (status, json.loads(answer)) == (200, {"challenge": "still-here"})
        # The server, not the client, ends an idle connection (recv returns b"" at EOF; it would time out otherwise).
        assert idle[0].recv(1) == b""
        assert idle[-1].recv(1024).startswith(b"HTTP/1.1 408") or idle[-1].recv(1) == b""
    finally:
        for sock in idle:
            sock.close()
