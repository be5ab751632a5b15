"""The worker: threads that answer what the inbox holds and send what the outbox holds.

Work is taken from the database, never from memory, so a restarted process (or any other process sharing the
database) finishes what was acknowledged and not yet answered. `wake()` lets the process that just stored a
request start on it at once; otherwise each thread looks every `poll` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from guidebot.delivery import Messenger, deliver
from guidebot.store import Store
from guidebot.store.inbox import MAX_ATTEMPTS, Job
from guidebot.store.outbox import NewMessage

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(hours=1)

RunJob = Callable[[Job], Sequence[NewMessage]]


class Worker:
    """Answers inbox jobs with `run_job` (whose replies are outbox rows) and sends the outbox via `messenger`."""

    def __init__(
        self,
        store: Store,
        run_job: RunJob,
        messenger: Messenger,
        *,
        give_up: RunJob | None = None,
        threads: int = 4,
        poll: float = 0.5,
        bell: threading.Event | None = None,
        tick: Callable[[], object] | None = None,
        tick_every: float = 60.0,
        purge_every: timedelta | None = PURGE_EVERY,
        checklist_ttl: timedelta = timedelta(days=30),
        often: Callable[[], object] | None = None,
        often_every: float = 0.25,
    ) -> None:
        self.store = store
        self.run_job = run_job
        self.give_up = give_up
        self.messenger = messenger
        self.threads = threads
        self.poll = poll
        self._wake = bell or threading.Event()
        self._stop = threading.Event()
        self._running: list[threading.Thread] = []
        self._purged_at = datetime.min.replace(tzinfo=UTC)
        self.tick = tick
        self.tick_every = tick_every
        self.purge_every = purge_every
        self.checklist_ttl = checklist_ttl
        self._ticked_at = -float("inf")
        # a quick periodic job (the group quiz's message updates), on the same thread as `tick`
        self.often = often
        self.often_every = often_every
        self._often_at = -float("inf")

    def wake(self) -> None:
        """New work was stored: look now rather than at the next poll."""
        self._wake.set()

    def start(self) -> None:
        """Start the threads (daemons: a stopped process leaves its work to the next one, by design)."""
        for number in range(self.threads):
            thread = threading.Thread(
                target=self._loop, args=(number == 0,), name=f"guidebot-worker-{number}", daemon=True
            )
            thread.start()
            self._running.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._running:
            thread.join(timeout)
        self._running.clear()

    def _loop(self, ticks: bool) -> None:
        while not self._stop.is_set():
            try:
                if ticks:
                    self._maybe_tick()
                    self._maybe_often()
                busy = self.step()
            except Exception as error:  # a database outage: keep the thread, try again after a poll
                log.warning("worker step failed (%s)", type(error).__name__)
                busy = False
            if not busy:
                self._wake.wait(self.poll)
                self._wake.clear()

    def step(self) -> bool:
        """Answer one request and send up to five messages; True when there was anything to do."""
        self._maybe_purge()
        worked = False
        for job in self.store.inbox.claim(1):
            worked = True
            self._answer(job)
        for parcel in self.store.outbox.claim(5):
            worked = True
            try:
                deliver(self.store.outbox, self.messenger, parcel)
            except Exception as error:  # the row stays leased; the next claim looks for it in Slack first
                log.error("sending a message failed (%s)", type(error).__name__)
        return worked

    def _answer(self, job: Job) -> None:
        if job.attempts > MAX_ATTEMPTS:  # it took down every process that ran it: stop trying
            log.error("gave up on a %s request after %s attempts", job.kind, job.attempts - 1)
            self.store.inbox.give_up(job.id, self.give_up(job) if self.give_up else ())
            return
        try:
            replies = self.run_job(job)
        except Exception as error:
            log.error("a %s request failed (%s), attempt %s", job.kind, type(error).__name__, job.attempts)
            if job.attempts >= MAX_ATTEMPTS:
                self.store.inbox.give_up(job.id, self.give_up(job) if self.give_up else ())
            return
        self.store.inbox.finish(job.id, replies)

    def _maybe_tick(self) -> None:
        """The periodic job (reminders: plan, dispatch, digests), every `tick_every` seconds on one thread."""
        self._ticked_at = _run_due(self.tick, self.tick_every, self._ticked_at, "the periodic job")

    def _maybe_often(self) -> None:
        """The quick periodic job (the group quiz's message updates), every `often_every` seconds."""
        self._often_at = _run_due(self.often, self.often_every, self._often_at, "the quick periodic job")

    def run_once(self, timeout: float = 60.0) -> bool:
        """One pass of everything (`guidebot worker --once`, cron, tests): the periodic job, then drain."""
        if self.tick is not None:
            self.tick()  # a failure here is the caller's to report
        return self.drain(timeout)

    def _maybe_purge(self) -> None:
        now = datetime.now(UTC)
        if self.purge_every is None or now - self._purged_at < self.purge_every:
            return
        self._purged_at = now
        deleted = self.store.purge(now=now, checklist_ttl=self.checklist_ttl)
        if any(deleted.values()):
            log.info("retention: deleted %s", ", ".join(f"{n} {table}" for table, n in deleted.items() if n))

    def idle(self) -> bool:
        """True when nothing is waiting in the inbox or the outbox (scheduled retries count as waiting)."""
        inbox, outbox = self.store.inbox.counts(), self.store.outbox.counts()
        return inbox["pending"] + inbox["working"] + outbox["pending"] + outbox["sending"] == 0

    def drain(self, timeout: float = 30.0) -> bool:
        """Work in this thread until idle or `timeout` (tests, benches, `guidebot worker --once`); True if idle."""
        ends = time.monotonic() + timeout
        while time.monotonic() < ends:
            self._maybe_often()
            if self.step():
                continue
            if self.idle():
                return True
            time.sleep(0.02)
        return self.idle()


def _run_due(job: Callable[[], object] | None, every: float, last: float, name: str) -> float:
    """Run `job` if `every` seconds have passed since `last` (monotonic); when it last started. A failure is
    logged and waits for the next turn, like a success."""
    now = time.monotonic()
    if job is None or now - last < every:
        return last
    try:
        job()
    except Exception as error:
        log.error("%s failed (%s)", name, type(error).__name__)
    return now
