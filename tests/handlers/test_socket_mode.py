"""Socket Mode end to end through slack_sdk's own client: envelopes in over a local websocket, acks back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from handlers.app import build_bot
from tests.fakeslack import payloads as p
from tests.fakeslack.blockkit import validate_blocks
from tests.fakeslack.socketmode import FakeSocketMode
from tests.fakeslack.webapi import FakeSlack
from tests.handlers.conftest import SpyEngine, settings_for


@pytest.fixture
def socket(fake: FakeSlack, knowledge_engine: Any, store: Any) -> Iterator[tuple[FakeSocketMode, SpyEngine]]:
    with FakeSocketMode() as endpoint:
        fake.socket_url = endpoint.url
        settings = settings_for(fake, slack_app_token="xapp-1-A111-test")
        engine = SpyEngine(knowledge_engine)
        bot = build_bot(settings, engine=engine, store=store)
        app = bot.app
        handler = SocketModeHandler(
            app, "xapp-1-A111-test", logger=app.logger, web_client=app.client, auto_reconnect_enabled=False
        )
        handler.connect()
        bot.worker.start()
        try:
            yield endpoint, engine
        finally:
            bot.worker.stop()
            handler.close()


def test_mention_over_socket_mode_is_acked_and_answered_once(fake: FakeSlack, socket) -> None:  # type: ignore[no-untyped-def]
    endpoint, engine = socket
    delivery = p.envelope(p.mention("how many sessions is BBR?"))
    first = endpoint.send("events_api", delivery)
    assert endpoint.wait_ack(first) == {"envelope_id": first}
    (answer,) = fake.wait_for("chat.postMessage")
    validate_blocks(answer.blocks)
    assert answer.params["thread_ts"] == delivery["event"]["ts"]
    assert fake.calls_to("apps.connections.open")[0].headers["Authorization"] == "Bearer xapp-1-A111-test"

    retry = endpoint.send("events_api", delivery, retry_attempt=1)
    endpoint.wait_ack(retry)  # dedupe runs before the ack: once acked, no answer can follow
    assert len(fake.calls_to("chat.postMessage")) == 1 and len(engine.calls) == 1


def test_slash_command_over_socket_mode_answers_privately(fake: FakeSlack, socket) -> None:  # type: ignore[no-untyped-def]
    endpoint, _ = socket
    envelope = endpoint.send("slash_commands", p.command("what is the gap week?", f"{fake.url}/respond/sm"))
    endpoint.wait_ack(envelope)
    (reply,) = fake.wait_for("respond")
    assert reply.params["response_type"] == "ephemeral"
    validate_blocks(reply.params["blocks"])
