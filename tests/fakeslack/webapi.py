"""A loopback fake of the Slack Web API that records every call and answers like Slack (stdlib only)."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T111"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.perf_counter)
    path: str = ""

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.params.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks


@dataclass(frozen=True)
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    deliver: bool = False


@dataclass(frozen=True)
class Outage:
    starts: float
    ends: float
    methods: tuple[str, ...]
    answer: Scripted


@dataclass
class FakeSlack:
    """Answers /api/<method> and /respond/<id> (response_url) on 127.0.0.1; scripted answers via `queue()`."""

    calls: list[Call] = field(default_factory=list)
    threads: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    socket_url: str | None = None
    # Every message chat.postMessage accepted, per channel, as conversations.history/replies return them.
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._responses: dict[str, list[Scripted]] = {}
        self._outages: list[Outage] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                status, body, headers = fake._record(self)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_GET = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.api_url = f"{self.url}/api/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def _record(self, request: BaseHTTPRequestHandler) -> tuple[int, dict[str, Any], dict[str, str]]:
        parsed = urllib.parse.urlparse(request.path)
        method = "respond" if parsed.path.startswith("/respond") else parsed.path.rsplit("/", 1)[-1]
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode() if length else ""
        if "json" in request.headers.get("Content-Type", "") and raw:
            params = json.loads(raw)
        else:
            params = {k: v[0] for k, v in urllib.parse.parse_qs(raw or parsed.query).items()}
        with self._changed:
            self.calls.append(Call(method, params, dict(request.headers), path=parsed.path))
            queued = self._responses.get(method)
            scripted = queued.pop(0) if queued else self._outage_for(method)
            if scripted is None or scripted.deliver:
                body = self.default_body(method, params)
            self._changed.notify_all()
        if scripted is None:
            return 200, body, {}
        return scripted.status, scripted.body, scripted.headers

    def _outage_for(self, method: str) -> Scripted | None:
        now = time.monotonic()
        for outage in self._outages:
            if outage.starts <= now < outage.ends and (not outage.methods or method in outage.methods):
                return outage.answer
        return None

    def _keep(self, params: dict[str, Any], ts: str) -> dict[str, Any]:
        """Store a posted message the way conversations.history returns it (metadata as an object)."""
        metadata = params.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": params.get("text", ""), "ts": ts}
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        if metadata:
            message["metadata"] = metadata
        self.messages.setdefault(str(params.get("channel")), []).append(message)
        return message

    def _read(self, params: dict[str, Any], thread_ts: str | None) -> list[dict[str, Any]]:
        """Kept messages of a channel (top level, or one thread), newer than `oldest`, metadata on request."""
        channel = str(params.get("channel", ""))
        oldest = float(params.get("oldest") or 0)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        found = []
        for message in self.messages.get(channel, []):
            in_thread = message.get("thread_ts")
            if (thread_ts is None and in_thread) or (thread_ts is not None and in_thread != thread_ts):
                continue
            if float(message["ts"]) <= oldest:
                continue
            found.append(message if with_metadata else {k: v for k, v in message.items() if k != "metadata"})
        return found

    def default_body(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "team": "Probation",
                "user": "guidebot",
                "url": "https://example.invalid/",
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            message = self._keep(params, f"{time.time():.6f}")
            return {"ok": True, "channel": params.get("channel"), "ts": message["ts"], "message": message}
        if method == "chat.update":
            ts = params.get("ts") or f"1700000100.{next(self._ts):06d}"
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": {"text": ""}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000200.{next(self._ts):06d}"}
        if method == "conversations.replies":
            messages = self.threads.get((params.get("channel", ""), params.get("ts", "")), [])
            return {"ok": True, "messages": messages + self._read(params, params.get("ts")), "has_more": False}
        if method == "conversations.history":
            return {"ok": True, "messages": self._read(params, None)[::-1], "has_more": False}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "U0"))[1:]}}
        if method == "users.info":
            return {"ok": True, "user": {"id": params.get("user"), "is_bot": False, "tz": "Europe/London"}}
        if method.startswith("views."):
            return {"ok": True, "view": {"id": "V1", "hash": "h1"}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url} if self.socket_url else {"ok": False, "error": "no_socket"}
        return {"ok": True}

    def queue(
        self,
        method: str,
        status: int = 200,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        *,
        deliver: bool = False,
    ) -> None:
        """Script the next answer to `method` (e.g. a 429 with Retry-After, or an error body).

        deliver=True acts on the call (a post is kept) and still answers with the scripted error: Slack
        answering 500 after it posted the message.
        """
        with self._lock:
            answer = Scripted(status, body or {"ok": True}, headers or {}, deliver)
            self._responses.setdefault(method, []).append(answer)

    def outage(
        self,
        status: int,
        seconds: float,
        *,
        methods: tuple[str, ...] = (),
        headers: dict[str, str] | None = None,
        after: float = 0.0,
    ) -> None:
        """Answer every call (or every call to `methods`) with `status` for `seconds`, starting `after` from now."""
        body = {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"}
        starts = time.monotonic() + after
        with self._lock:
            self._outages.append(Outage(starts, starts + seconds, methods, Scripted(status, body, headers or {})))

    def posted(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Messages chat.postMessage accepted (in one channel, or all), oldest first."""
        with self._lock:
            if channel is not None:
                return list(self.messages.get(channel, []))
            return sorted((m for ms in self.messages.values() for m in ms), key=lambda m: float(m["ts"]))

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_until(self, predicate: Callable[[list[Call]], bool], timeout: float = 5.0) -> list[Call]:
        """Block until `predicate(calls)` holds (for answers posted after the ack, on another thread)."""
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self.calls), timeout):
                raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls]}")
            return list(self.calls)

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        self.wait_until(lambda calls: sum(c.method == method for c in calls) >= count, timeout)
        return self.calls_to(method)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._responses.clear()
            self._outages.clear()
            self.threads.clear()
            self.messages.clear()

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
