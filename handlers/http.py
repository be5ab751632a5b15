"""The HTTP edge: `POST /slack/events` (events, commands, interactivity) and `GET /healthz`, as a WSGI app.

Bolt 1.30 parses the body before it checks the signature, and answers 500 (or raises) on some malformed
input, so this thin layer comes first: it verifies the signature on the raw bytes (a non-numeric timestamp
is a failed check, not a crash), then refuses anything Bolt could not parse with a 4xx and no side effect.
Bolt's own verification stays on behind it. Nothing here logs a body.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

import waitress
from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier
from waitress import wasyncore

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1_000_000

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
}


def _valid_signature(verifier: SignatureVerifier, body: bytes, timestamp: str, signature: str) -> bool:
    try:
        return verifier.is_valid(body, timestamp, signature)
    except (ValueError, TypeError, OverflowError):
        return False


class SlackEndpoint:
    """WSGI application serving one Bolt App; see the module docstring for why it exists."""

    def __init__(self, app: App, signing_secret: str) -> None:
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, headers, body = self.handle(environ)
        reason = _REASONS.get(status, "Error")
        start_response(f"{status} {reason}", [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def handle(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _text(200, "ok")
        if path != EVENTS_PATH:
            return _text(404, "not found")
        if method != "POST":
            return _text(405, "method not allowed")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _text(400, "bad content length")
        if length < 0 or length > MAX_BODY:
            return _text(413, "too large")
        raw = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not _valid_signature(self.verifier, raw, timestamp, signature):
            log.info("rejected a request with an invalid or stale signature")
            return _text(401, "invalid request")
        request = self._bolt_request(raw, environ)
        if request is None:
            log.info("rejected a signed request that is not a Slack payload")
            return _text(400, "bad request")
        response = self.app.dispatch(request)
        if response.status >= 500:
            # A payload that crashes a listener's ack or middleware: retrying it would crash again.
            log.error("dispatch failed (HTTP %s)", response.status)
            return _text(400, "could not process", [("X-Slack-No-Retry", "1")])
        out = [(k, v) for k, values in response.headers.items() for v in values if k.lower() != "content-length"]
        return response.status, out, (response.body or "").encode("utf-8")

    @staticmethod
    def _bolt_request(raw: bytes, environ: dict[str, Any]) -> BoltRequest | None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        headers = {
            key[5:].lower().replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        try:
            request = BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            return None
        return request if _looks_like_slack(request.body) else None


def _looks_like_slack(body: Any) -> bool:
    """Every Slack payload is an object with a `type` (events, interactivity) or a `command`."""
    if not isinstance(body, dict):
        return False
    return isinstance(body.get("type"), str) or isinstance(body.get("command"), str)


def _text(
    status: int, text: str, extra: list[tuple[str, str]] | None = None
) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "text/plain; charset=utf-8"), *(extra or [])], text.encode()


def create_server(app: App, signing_secret: str, *, host: str, port: int) -> Any:
    """A waitress server for the endpoint; `.run()` serves, `.close()` stops, `.effective_port` is bound."""
    endpoint = SlackEndpoint(app, signing_secret)
    return waitress.create_server(endpoint, host=host, port=port, threads=8, ident="guidebot")


def serve_in_background(server: Any) -> Callable[[], None]:
    """Run a `create_server()` server on a daemon thread; the returned function stops it cleanly.

    The sockets are closed on the server's own loop (through waitress's trigger), which then finds its map
    empty and returns; closing them from another thread mid-select would fail with EBADF instead.
    """
    thread = threading.Thread(target=server.run, name="guidebot-http", daemon=True)
    thread.start()

    def stop() -> None:
        with contextlib.suppress(OSError):  # the loop has already ended and closed its trigger
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=5)
        wasyncore.close_all(server._map)
        server.task_dispatcher.shutdown()

    return stop
