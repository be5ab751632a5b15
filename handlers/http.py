"""The HTTP edge: `POST /slack/events` (events, commands, interactivity) and `GET /healthz`, as a WSGI app.

Bolt 1.30 parses the body before it checks the signature, and answers 500 (or raises) on some malformed
input, so this thin layer comes first: it verifies the signature on the raw bytes (a non-numeric timestamp
is a failed check, not a crash), names the request for replay detection, and refuses anything
Bolt or our listeners could not use (unparseable, nested too deep, or a field of the wrong type) with a 4xx,
one WARNING line and no side effect. Bolt's own verification stays on behind it. Nothing here logs a body.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

import waitress
from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier
from waitress import wasyncore

from handlers.payloads import Refused, check_payload, parse_body

log = logging.getLogger(__name__)
# waitress logs "Task queue depth is N" at WARNING for every request that waits for a thread: load, not a fault.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1_000_000
# waitress's limits. Slack sends a whole request in well under a second and needs no long-lived connection,
# so a connection idle for 10 s is closed (checked every 2 s); the defaults (120 s, 100 connections) let one
# client holding 98 idle sockets make the server unreachable for two minutes. poll() because select() fails
# past 1,024 descriptors. See docs/slack.md, "Running the HTTP endpoint".
SERVER_LIMITS: dict[str, Any] = {
    "threads": 8,
    "connection_limit": 500,
    "channel_timeout": 10,
    "cleanup_interval": 2,
    "backlog": 1024,
    "max_request_body_size": MAX_BODY,
    "max_request_header_size": 64 * 1024,
    "asyncore_use_poll": True,
}

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Response = tuple[int, list[tuple[str, str]], bytes]
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


def replay_key(signature: str) -> str:
    """The claim key of one signed request: the signature covers timestamp and body, so it names both."""
    return "sig:" + hashlib.sha256(signature.encode("utf-8", "surrogateescape")).hexdigest()[:40]


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

    def handle(self, environ: dict[str, Any]) -> Response:
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
        try:
            request = self._bolt_request(raw, environ)
        except Refused as refusal:
            log.warning("refused a signed request that is not a usable Slack payload (%s)", refusal)
            return _text(400, "bad request")
        # A request replayed byte for byte carries the same signature: claimed with the request's inbox row
        # (handlers/jobs.py), in one transaction, so a replay is dropped and a crash never eats a first copy.
        request.context["replay_key"] = replay_key(signature)
        response = self.app.dispatch(request)
        if response.status >= 500 and response.status != 503:
            # A payload that crashes a listener's ack or middleware: retrying it would crash again. A 503 is
            # deliberate (the store could not take the request) and passes through, so that Slack retries.
            log.warning("refused a signed request that Bolt could not dispatch (HTTP %s)", response.status)
            return _text(400, "could not process", [("X-Slack-No-Retry", "1")])
        out = [(k, v) for k, values in response.headers.items() for v in values if k.lower() != "content-length"]
        return response.status, out, (response.body or "").encode("utf-8")

    @staticmethod
    def _bolt_request(raw: bytes, environ: dict[str, Any]) -> BoltRequest:
        """Parse and shape-check the body the way Bolt will read it, then build Bolt's request; or raise Refused."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused("not UTF-8") from None
        headers = {
            key[5:].lower().replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        check_payload(parse_body(text, headers["content-type"]))
        try:
            return BoltRequest(body=text, query=environ.get("QUERY_STRING", ""), headers=headers)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as error:
            raise Refused(f"Bolt could not read it: {type(error).__name__}") from None


def _text(status: int, text: str, extra: list[tuple[str, str]] | None = None) -> Response:
    return status, [("Content-Type", "text/plain; charset=utf-8"), *(extra or [])], text.encode()


def create_server(app: App, signing_secret: str, *, host: str, port: int, **limits: Any) -> Any:
    """A waitress server for the endpoint; `.run()` serves, `.close()` stops, `.effective_port` is bound.

    `limits` override SERVER_LIMITS (tests shorten the timeouts).
    """
    endpoint = SlackEndpoint(app, signing_secret)
    return waitress.create_server(endpoint, host=host, port=port, ident="guidebot", **{**SERVER_LIMITS, **limits})


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
