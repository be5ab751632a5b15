"""A signed request sent again byte for byte is acknowledged and ignored; Slack's own retries are not replays.

The replay claim (a digest of the signature) is written with the request's inbox row, in one transaction.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable

import pytest

from handlers import ids
from handlers.http import replay_key
from tests.fakeslack import payloads as p
from tests.fakeslack.signing import post, signed_headers
from tests.handlers.conftest import Running


def _command(running: Running) -> tuple[bytes, str]:
    return p.form_body(p.command("how long is the programme", f"{running.fake.url}/respond/{uuid.uuid4().hex}"))


def _more_results(running: Running) -> tuple[bytes, str]:
    value = json.dumps({"q": "how long is the programme", "n": 1})
    return p.interactive_body(p.block_action(ids.MORE_RESULTS, value, f"{running.fake.url}/respond/{uuid.uuid4().hex}"))


@pytest.mark.parametrize("build", [_command, _more_results], ids=["slash command", "button"])
def test_a_request_replayed_byte_for_byte_is_acknowledged_and_ignored(
    running: Running, build: Callable[[Running], tuple[bytes, str]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="handlers.jobs")
    body, ctype = build(running)
    headers = signed_headers(body)
    first = post(running.url, body, ctype, headers)
    second = post(running.url, body, ctype, headers)
    assert first[0] == 200 and second[0] == 200
    assert len(running.fake.calls_to("respond")) == 1
    assert len(running.engine.calls) == 1
    assert [r.getMessage() for r in caplog.records if r.name == "handlers.jobs"] == ["dropped a repeated delivery"]
    assert sum(running.store.inbox.counts().values()) == 1


@pytest.mark.parametrize("build", [_command, _more_results], ids=["slash command", "button"])
def test_the_same_payload_signed_again_with_a_new_timestamp_is_handled_again(
    running: Running, build: Callable[[Running], tuple[bytes, str]]
) -> None:
    body, ctype = build(running)
    now = int(time.time())
    assert post(running.url, body, ctype, signed_headers(body, timestamp=now - 2))[0] == 200
    assert post(running.url, body, ctype, signed_headers(body, timestamp=now - 1))[0] == 200
    assert len(running.fake.calls_to("respond")) == 2
    assert len(running.engine.calls) == 2


def test_a_refused_body_claims_nothing(running: Running) -> None:
    """Junk is refused before the claim, so it neither fills the table nor turns a later copy into a 200."""
    body = json.dumps({"type": "block_actions", "actions": "x", "nonce": uuid.uuid4().hex}).encode()
    headers = signed_headers(body)
    assert post(running.url, body, "application/json", headers)[0] == 400
    assert post(running.url, body, "application/json", headers)[0] == 400
    assert running.store.claim_event(replay_key(headers["X-Slack-Signature"])) is True


def test_the_key_is_a_short_digest_of_the_signature() -> None:
    key = replay_key("v0=" + "a" * 64)
    assert key.startswith("sig:") and len(key) == 44
    assert key != replay_key("v0=" + "b" * 64)
