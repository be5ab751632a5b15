"""A real worker process killed (SIGKILL) at random points 20 times: every due reminder reaches Slack once."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_sdk import WebClient

from guidebot.cases.models import CaseIn
from guidebot.config import Settings
from guidebot.delivery import deliver
from guidebot.reminders.dispatcher import run_pass, setup_from
from guidebot.store import Store
from handlers.messenger import SlackMessenger
from handlers.reminders import SlackReminderMessages
from tests.fakeslack.webapi import FakeSlack
from tests.helpers_core import SHIPPED_KNOWLEDGE

NOW = "2026-01-26T09:05:00+00:00"
CASES = 30

# The worker's reminder job and sender, at a fixed "now" (the cases' first gap week), in a loop until killed.
WORKER = textwrap.dedent(
    """
    import functools, sys
    from datetime import datetime
    from slack_sdk import WebClient
    from guidebot.config import Settings
    from guidebot.reminders.dispatcher import run_pass, setup_from
    from guidebot.store import Store
    from guidebot.worker import Worker
    from handlers.messenger import SlackMessenger
    from handlers.reminders import SlackReminderMessages

    db, api, knowledge, now = sys.argv[1:5]
    settings = Settings(knowledge_dir=knowledge)
    store = Store.from_url(db, migrate=False)
    tick = functools.partial(
        run_pass, store, setup_from(settings), SlackReminderMessages(settings.zone), now=datetime.fromisoformat(now)
    )
    messenger = SlackMessenger(WebClient(token="xoxb-test", base_url=api))
    # no retention purge: it works on the real clock, and this test's clock is fixed in January
    worker = Worker(store, lambda job: [], messenger, tick=tick, threads=2, purge_every=None)
    while True:
        worker.run_once(timeout=5)
    """
)


def test_a_worker_killed_twenty_times_neither_loses_nor_repeats_a_reminder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kills.db'}"
    store = Store.from_url(url)
    for n in range(CASES):
        data = {
            "case_ref": f"X{n:06d}",
            "programme": "IDAP",
            "group_start": "2026-01-07",
            "om": f"UOM{n:03d}",
            "team_channel": f"CTEAM{n % 3}",
        }
        store.cases.upsert(CaseIn.parse(data), by="test")
    chaos = random.Random(20261130)
    with FakeSlack() as fake:
        args = [sys.executable, "-c", WORKER, url, fake.api_url, str(SHIPPED_KNOWLEDGE), NOW]
        for _ in range(20):
            worker = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(chaos.uniform(0.3, 2.5))
            worker.send_signal(signal.SIGKILL)
            assert worker.wait(30) == -signal.SIGKILL
        # What the last killed process held comes back when its lease runs out: finish it here, as a restarted
        # worker would once the lease has passed.
        settings = Settings(knowledge_dir=SHIPPED_KNOWLEDGE)
        run_pass(store, setup_from(settings), SlackReminderMessages(settings.zone), now=datetime.fromisoformat(NOW))
        later = datetime.now(UTC) + timedelta(minutes=5)
        messenger = SlackMessenger(WebClient(token="xoxb-test", base_url=fake.api_url))
        while parcels := store.outbox.claim(10, now=later):
            for parcel in parcels:
                deliver(store.outbox, messenger, parcel, now=later)
        posted = Counter(message["channel"] for message in _posted(fake))
    assert {f"UOM{n:03d}": 1 for n in range(CASES)} == {k: v for k, v in posted.items() if k.startswith("UOM")}
    assert {f"CTEAM{n}": 1 for n in range(3)} == {k: v for k, v in posted.items() if k.startswith("CTEAM")}
    assert store.outbox.counts()["failed"] == 0


def _posted(fake: FakeSlack) -> list[dict[str, str]]:
    return [{**message, "channel": channel} for channel, messages in fake.messages.items() for message in messages]
