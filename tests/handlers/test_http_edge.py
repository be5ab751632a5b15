"""The HTTP edge under hostile input: 4xx (never 5xx), nothing posted; and no payload text in any log line."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakeslack import payloads as p
from tests.fakeslack.signing import post, signed_headers
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
