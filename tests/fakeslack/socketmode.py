"""A loopback Socket Mode endpoint: a websockets server that sends envelopes and collects the app's acks."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from typing import Any

import websockets.sync.server as ws_server
from websockets.exceptions import ConnectionClosed


class FakeSocketMode:
    """Serve `ws://127.0.0.1:<port>/link`; `send()` envelopes to the connected app, `wait_ack()` its ack."""

    def __init__(self) -> None:
        self.acks: dict[str, dict[str, Any]] = {}
        self.acked_at: dict[str, float] = {}
        self._connection: Any = None
        self._cond = threading.Condition()
        self.server = ws_server.serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handle(self, connection: Any) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        with self._cond:
            self._connection = connection
            self._cond.notify_all()
        with contextlib.suppress(ConnectionClosed):  # the app may leave without a close frame
            for raw in connection:
                message = json.loads(raw)
                with self._cond:
                    self.acks[message.get("envelope_id", "")] = message
                    self.acked_at[message.get("envelope_id", "")] = time.perf_counter()
                    self._cond.notify_all()

    def wait_connected(self, timeout: float = 5.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._connection is not None, timeout):
                raise AssertionError("the app never connected over Socket Mode")

    def send(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0) -> str:
        """Deliver one envelope (`events_api`, `slash_commands` or `interactive`); returns its envelope id."""
        self.wait_connected()
        envelope_id = uuid.uuid4().hex
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        self._connection.send(json.dumps(envelope))
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        with self._cond:
            if not self._cond.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"no ack for envelope {envelope_id}")
            return self.acks[envelope_id]

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
