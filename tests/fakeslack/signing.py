"""Requests signed exactly as Slack signs them, sent to a running app over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import time

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def signed_headers(body: bytes, *, secret: str = SECRET, timestamp: str | int | None = None) -> dict[str, str]:
    """Slack's scheme: v0= + HMAC-SHA256 of `v0:{timestamp}:{raw body bytes}` with the signing secret."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def post(
    base_url: str, body: bytes, content_type: str, headers: dict[str, str] | None = None, path: str = "/slack/events"
) -> tuple[int, bytes]:
    """POST to the app; returns (status, body) for any status (urllib would raise on 4xx)."""
    host = base_url.removeprefix("http://")
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": content_type, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def post_signed(base_url: str, body: bytes, content_type: str, **extra_headers: str) -> tuple[int, bytes]:
    headers = {**signed_headers(body), **{k.replace("_", "-"): v for k, v in extra_headers.items()}}
    return post(base_url, body, content_type, headers)
