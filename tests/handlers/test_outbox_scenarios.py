"""Nothing acknowledged is lost: Slack outages, a 500 after Slack posted, a worker killed mid-send, a restart."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError

from guidebot.delivery import Outgoing, deliver, enqueue
from handlers.ask import event_job
from handlers.blocks import DELAY_NOTE
from handlers.messenger import SlackMessenger
from tests.fakeslack import payloads as p
from tests.fakeslack.signing import post_signed
from tests.handlers.conftest import Running


def send_event(app: Running, event: dict[str, Any]) -> int:
    status, _ = post_signed(app.url, *p.json_body(p.envelope(event)))
    return status


def answers_in_thread(app: Running, thread_ts: str) -> list[dict[str, Any]]:
    return [m for m in app.fake.posted(p.CHANNEL) if m.get("thread_ts") == thread_ts]


def test_answers_wait_out_a_rate_limit_and_arrive_once(running: Running) -> None:
    running.fake.outage(429, 1.5, methods=("chat.postMessage",), headers={"Retry-After": "1"})
    event = p.mention("how many sessions is BBR?")
    assert send_event(running, event) == 200
    (answer,) = answers_in_thread(running, event["ts"])
    assert answer["metadata"]["event_type"] == "guidebot_outbox"
    refused = [c for c in running.fake.calls_to("chat.postMessage")][:-1]
    assert refused and running.fake.calls_to("chat.postEphemeral") == []


def test_a_500_after_slack_posted_is_found_and_not_sent_again(running: Running) -> None:
    running.fake.queue("chat.postMessage", 500, {"ok": False, "error": "internal_error"}, deliver=True)
    event = p.mention("how many sessions is BBR?")
    send_event(running, event)
    assert len(answers_in_thread(running, event["ts"])) == 1
    assert len(running.fake.calls_to("chat.postMessage")) == 1
    (lookup,) = running.fake.calls_to("conversations.replies")[-1:]
    assert lookup.params["ts"] == event["ts"]
    assert running.store.outbox.counts()["sent"] == 1


def test_a_500_before_slack_posted_is_looked_for_then_sent(running: Running) -> None:
    running.fake.queue("chat.postMessage", 503, {"ok": False, "error": "service_unavailable"})
    event = p.mention("who can refer to Up2U?")
    send_event(running, event)
    assert len(answers_in_thread(running, event["ts"])) == 1
    assert len(running.fake.calls_to("chat.postMessage")) == 2


def test_a_request_acknowledged_before_a_restart_is_answered_after_it_with_an_apology(start: Any) -> None:
    """The first process stored the question and died before answering: the next one answers it."""
    first = start(sync=False)
    first.worker.stop()  # as if killed: it takes nothing more
    event = p.mention("how many sessions is BBR?")
    job = event_job(event, _context())
    assert job is not None
    first.store.inbox.add("event", job, now=datetime.now(UTC) - timedelta(minutes=3))
    second = start(sync=True)
    second.settle()
    (answer,) = answers_in_thread(second, event["ts"])
    blocks = second.fake.calls_to("chat.postMessage")[-1].blocks
    assert blocks[0]["elements"][0]["text"] == DELAY_NOTE
    assert answer["metadata"]["event_payload"]["id"]


def _context() -> Any:
    from slack_bolt import BoltContext

    return BoltContext({"bot_user_id": "UBOT", "bot_id": "BBOT"})


KILL_AFTER_SEND = textwrap.dedent(
    """
    import os, signal, sys
    from slack_sdk import WebClient
    from guidebot.delivery import deliver
    from guidebot.store import Store
    from handlers.messenger import SlackMessenger

    class DiesAfterSending(SlackMessenger):
        def send(self, outgoing, mark, *, late):
            super().send(outgoing, mark, late=late)
            os.kill(os.getpid(), signal.SIGKILL)  # Slack has it; the outbox never hears

    store = Store.from_url(sys.argv[1], migrate=False)
    messenger = DiesAfterSending(WebClient(token="xoxb-test-token", base_url=sys.argv[2]))
    for parcel in store.outbox.claim(1):
        deliver(store.outbox, messenger, parcel)
    """
)


def test_a_sender_killed_between_posting_and_recording_does_not_post_twice(running: Running) -> None:
    url = running.store.engine.url.render_as_string(hide_password=False)
    message = Outgoing(method="post", channel=p.CHANNEL, thread_ts="1700000000.000001", message={"text": "answer"})
    running.store.outbox.add([enqueue("kill-test", message)])
    child = subprocess.run([sys.executable, "-c", KILL_AFTER_SEND, url, running.fake.api_url], timeout=60, check=False)
    assert child.returncode == -signal.SIGKILL
    assert len(running.fake.posted(p.CHANNEL)) == 1 and running.store.outbox.counts()["sending"] == 1
    later = datetime.now(UTC) + timedelta(minutes=5)  # the dead sender's lease has run out
    (parcel,) = running.store.outbox.claim(now=later)
    assert parcel.uncertain
    deliver(
        running.store.outbox, SlackMessenger(WebClient(token="x", base_url=running.fake.api_url)), parcel, now=later
    )
    assert len(running.fake.posted(p.CHANNEL)) == 1
    assert running.store.outbox.counts()["sent"] == 1


def test_the_ack_does_not_wait_for_slack(start: Any) -> None:
    app = start(sync=False)
    app.fake.outage(500, 3.0)
    event = p.mention("how many sessions is BBR?")
    assert send_event(app, event) == 200
    assert sum(app.store.inbox.counts().values()) == 1  # stored before the ack, whatever Slack does next
    app.settle(timeout=60)
    assert len(answers_in_thread(app, event["ts"])) == 1


def test_a_request_the_store_cannot_take_is_refused_so_slack_retries_it(
    running: Running, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def down(*args: object, **kwargs: object) -> bool:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(running.store.inbox, "add", down)
    status = send_event(running, p.mention("how many sessions is BBR? canary-51"))
    assert status == 503  # not acknowledged: Slack delivers it again
    assert running.fake.calls == []
    assert "could not store a request (OperationalError)" in caplog.text
    assert not any(r.exc_info for r in caplog.records) and "canary-51" not in caplog.text
