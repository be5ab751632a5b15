"""Slack reliability figures (printed, not asserted): is every acknowledged mention answered exactly once?

Runs `guidebot serve` as real subprocesses (HTTP Events API, no SLACK_APP_TOKEN) against tests/fakeslack's
loopback Web API, sends signed mentions over HTTP and counts, per event, the replies posted in its thread
(0 = lost, more than 1 = duplicated). The search index is built once up front with `guidebot index` into a
temporary folder shared by every server started (or reused from --index-dir), so `serve` starts fast.

Scenarios (--scenario, default all):

- fault: one server on SQLite. Phases of mentions: (a) 20 normally; (b) 20 during a 10 s 429 outage of
  chat.postMessage (Retry-After: 1); (c) 20 during a 10 s 500 outage; (d) 10 whose post Slack keeps but
  answers 500 ("500 after posting": the outbox must find it rather than post it twice); (e) 100 during a 30 s
  429 outage, then SIGKILL the server with its backlog in the outbox, end the outage, restart it on the same
  database and port, and time until every event of every phase has an answer. The rows the killed process
  had claimed wait for their lease to run out (inbox 15 s, outbox 20 s), so expect the restart figure to be
  about that long.
- load: one server on SQLite, 20 client threads sending mentions back to back for --seconds; ack latency
  percentiles, then how long the backlog takes to be answered, and the WARNING+ lines the server logged during
  the load (normal load should log none per request).
- pg-two: two servers sharing a fresh database created in the --pg PostgreSQL server (dropped at the end);
  1,000 mentions alternating between them from 10 threads; halfway, SIGKILL server A and send the rest to B.
  A delivery whose ack failed is redelivered to B as Slack would (same event_id, X-Slack-Retry-Num: 1).
  Skipped without --pg.

Server logs (stdout, stderr) go to files in a temporary folder; their paths are printed. Run from the root:

    .venv/bin/python bench/slack_reliability.py [--scenario fault|load|pg-two|all] [--seconds 60]
        [--pg postgresql+psycopg://postgres@127.0.0.1:54329/guidebot_test] [--index-dir PATH]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from guidebot.store import Store
from guidebot.store.db import normalise_url
from tests.fakeslack import payloads as p
from tests.fakeslack.signing import SECRET, post_signed
from tests.fakeslack.webapi import FakeSlack

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "how many sessions is BBR?",
    "who can refer to Up2U?",
    "what happens in the gap week?",
    "what risk tool does Kaizen use for sex offenders?",
    "what does a women's safety worker do?",
    "how many catch-up sessions are allowed?",
    "is he suitable for Kaizen if he has a learning disability?",
    "what information should be shared between agencies?",
]
POST = "chat.postMessage"
HEALTH_TIMEOUT = 180.0
ANSWER_TIMEOUT = 300.0
PHASE_TIMEOUT = 120.0
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) (.*)$")
SERVERS: list[Server] = []
_question = itertools.count()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def base_env() -> dict[str, str]:
    """This environment without any Slack, guidebot or database settings of the caller's."""
    drop = ("SLACK_", "GUIDEBOT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop) and k not in ("DATABASE_URL", "PORT")}
    env["PYTHONUNBUFFERED"] = "1"  # a SIGKILLed server's last log lines are on disk
    return env


@dataclass
class Server:
    """One `guidebot serve` subprocess; restartable on the same port and database, logs appended to files."""

    name: str
    port: int
    env: dict[str, str]
    logs: Path
    proc: subprocess.Popen[bytes] | None = None
    _files: list[IO[bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        SERVERS.append(self)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stdout(self) -> Path:
        return self.logs / f"{self.name}.stdout.log"

    @property
    def stderr(self) -> Path:
        return self.logs / f"{self.name}.stderr.log"

    def start(self) -> float:
        """Start the process; returns the wall-clock time it was started."""
        self._close_files()
        out, err = self.stdout.open("ab"), self.stderr.open("ab")
        self._files = [out, err]
        started = time.time()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "guidebot.cli", "serve"], cwd=ROOT, env=self.env, stdout=out, stderr=err
        )
        return started

    def wait_healthy(self, timeout: float = HEALTH_TIMEOUT) -> float:
        """Block until GET /healthz answers 200; seconds waited. Raises if the process exits first."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if self.proc is None or self.proc.poll() is not None:
                code = None if self.proc is None else self.proc.returncode
                raise RuntimeError(f"{self.name} exited ({code}) before it was healthy; see {self.stderr}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return time.monotonic() - began
            except (urllib.error.URLError, OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not healthy after {timeout:.0f} s; see {self.stderr}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when a host dies."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_files()

    def _close_files(self) -> None:
        for f in self._files:
            f.close()
        self._files = []


def server_env(fake: FakeSlack, port: int, database_url: str, index_dir: Path) -> dict[str, str]:
    return {
        **base_env(),
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "GUIDEBOT_INDEX_DIR": str(index_dir),
    }


def build_index(index_dir: Path, logs: Path) -> None:
    began = time.monotonic()
    with (logs / "index.log").open("wb") as log:
        env = {**base_env(), "GUIDEBOT_INDEX_DIR": str(index_dir)}
        cmd = [sys.executable, "-m", "guidebot.cli", "index"]
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
    print(f"index ready in {index_dir} ({time.monotonic() - began:.1f} s; log {logs / 'index.log'})")


@dataclass(frozen=True)
class Ack:
    ts: str
    status: int  # 0: no HTTP answer (connection refused or reset, timeout)
    seconds: float


def new_mention() -> tuple[str, bytes, str]:
    """A fresh mention (new ts, new event_id): its ts, body and content type."""
    event = p.mention(QUESTIONS[next(_question) % len(QUESTIONS)])
    body, kind = p.json_body(p.envelope(event))
    return event["ts"], body, kind


def deliver(url: str, body: bytes, kind: str, **headers: str) -> tuple[int, float]:
    """POST a signed body; (HTTP status or 0, seconds until the response)."""
    sent = time.perf_counter()
    try:
        status, _ = post_signed(url, body, kind, **headers)
    except (OSError, http.client.HTTPException):
        status = 0
    return status, time.perf_counter() - sent


def send(url: str) -> Ack:
    ts, body, kind = new_mention()
    status, seconds = deliver(url, body, kind)
    return Ack(ts, status, seconds)


def answers(fake: FakeSlack) -> tuple[Counter[str], dict[str, float]]:
    """Replies per thread_ts in the channel, and when the first one of each was posted (wall clock)."""
    counts: Counter[str] = Counter()
    first: dict[str, float] = {}
    for message in fake.posted(p.CHANNEL):
        thread = message.get("thread_ts")
        if thread:
            counts[thread] += 1
            first.setdefault(thread, float(message["ts"]))
    return counts, first


def wait_answered(fake: FakeSlack, tss: list[str], timeout: float) -> bool:
    """Block until every ts in `tss` has at least one answer, or `timeout`; True when all have."""
    ends = time.monotonic() + timeout
    while True:
        counts, _ = answers(fake)
        if all(counts[ts] for ts in tss):
            return True
        if time.monotonic() > ends:
            return False
        time.sleep(0.25)


def queue_counts(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    return store.inbox.counts(), store.outbox.counts()


def fmt_counts(store: Store) -> str:
    inbox, outbox = queue_counts(store)
    show = lambda c: ", ".join(f"{k} {v}" for k, v in c.items())  # noqa: E731
    return f"inbox [{show(inbox)}]; outbox [{show(outbox)}]"


def wait_settled(store: Store, timeout: float) -> bool:
    """Block until nothing is waiting in the inbox or outbox (late duplicates would come from those rows)."""
    ends = time.monotonic() + timeout
    while True:
        try:
            inbox, outbox = queue_counts(store)
            if inbox["pending"] + inbox["working"] + outbox["pending"] + outbox["sending"] == 0:
                return True
        except Exception as error:  # a locked SQLite file: look again
            print(f"  (could not read the queues: {type(error).__name__})")
        if time.monotonic() > ends:
            return False
        time.sleep(0.5)


def tally(fake: FakeSlack, acks: list[Ack], *, label: str = "events sent", once: str = "answered once") -> None:
    counts, _ = answers(fake)
    tss = [a.ts for a in acks]
    rows = [
        (label, len(tss)),
        ("acked 200", sum(a.status == 200 for a in acks)),
        ("non-200 acks", sum(a.status != 200 for a in acks)),
        (once, sum(counts[ts] == 1 for ts in tss)),
        ("lost (0 answers)", sum(counts[ts] == 0 for ts in tss)),
        ("duplicated (>1)", sum(counts[ts] > 1 for ts in tss)),
    ]
    for name, value in rows:
        print(f"  {name:<22}{value:>7}")
    others = Counter(a.status for a in acks if a.status != 200)
    if others:
        print("  non-200 statuses: " + ", ".join(f"{s or 'no answer'} x{n}" for s, n in others.most_common()))


def last_answer_after(fake: FakeSlack, tss: list[str], since: float) -> str:
    _, first = answers(fake)
    got = [first[ts] for ts in tss if ts in first]
    return f"{max(got) - since:.1f} s" if got else "n/a"


def log_lines(path: Path, start: int = 0, end: int | None = None) -> list[str]:
    with path.open("rb") as f:
        f.seek(start)
        data = f.read() if end is None else f.read(max(end - start, 0))
    return data.decode("utf-8", "replace").splitlines()


def warnings_in(lines: list[str]) -> list[str]:
    """WARNING+ lines, without their timestamps."""
    found = []
    for line in lines:
        m = LOG_LINE.match(line)
        if m and m.group(1) in ("WARNING", "ERROR", "CRITICAL"):
            found.append(f"{m.group(1)} {m.group(2)}")
    return found


def distinct(lines: list[str]) -> Counter[str]:
    """Lines grouped with their numbers masked, in first-seen order."""
    return Counter(re.sub(r"\d+(\.\d+)?", "N", line) for line in lines)


def report_logs(servers: list[Server]) -> None:
    """Each server's log paths, WARNING+ lines and tracebacks over its whole life."""
    for server in servers:
        lines = log_lines(server.stderr)
        found = warnings_in(lines)
        tracebacks = sum(line.startswith("Traceback") for line in lines)
        print(f"  {server.name}: {server.stdout} , {server.stderr}")
        print(f"    {len(found)} WARNING+ line(s), {tracebacks} traceback(s)")
        for line, n in distinct(found).most_common(6):
            print(f"    x{n:<5} {line[:200]}")


def percentile_line(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    if len(ms) < 2:
        return f"n={len(ms)}"
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {q[49]:.1f} ms   p95 {q[94]:.1f} ms   p99 {q[98]:.1f} ms   max {ms[-1]:.1f} ms   (n={len(ms)})"


def end_outages(fake: FakeSlack) -> None:
    """Stop every outage now, keeping what was posted (FakeSlack.reset() would forget the messages too)."""
    with fake._lock:
        fake._outages.clear()


@contextmanager
def sqlite_store(path: Path) -> Iterator[Store]:
    store = Store.from_url(f"sqlite:///{path}", migrate=False)
    try:
        yield store
    finally:
        store.engine.dispose()


# --- fault -------------------------------------------------------------------------------------------------


def phase(name: str, fake: FakeSlack, url: str, n: int, before_each: Callable[[], None] | None = None) -> list[Ack]:
    """Send `n` mentions one at a time, then wait (bounded) for their answers and print one line."""
    began = time.time()
    acks = []
    for _ in range(n):
        if before_each is not None:
            before_each()
        acks.append(send(url))
    done = wait_answered(fake, [a.ts for a in acks], PHASE_TIMEOUT)
    ok = sum(a.status == 200 for a in acks)
    when = f"all answered {last_answer_after(fake, [a.ts for a in acks], began)} after the phase began"
    if not done:
        when = f"NOT all answered within {PHASE_TIMEOUT:.0f} s"
    print(f"  phase {name:<36} {n:>4} sent, {ok:>4} acked 200, {when}")
    return acks


def fault(args: argparse.Namespace, work: Path, index_dir: Path) -> None:
    print("\n== fault: one `guidebot serve` on SQLite; Slack fails in phases, then the server is SIGKILLed ==")
    db = work / "fault.db"
    with FakeSlack() as fake:
        port = free_port()
        server = Server("fault", port, server_env(fake, port, f"sqlite:///{db}", index_dir), work)
        server.start()
        print(f"  serve healthy after {server.wait_healthy():.1f} s")
        url = server.url
        acks = phase("a (normal)", fake, url, 20)
        fake.outage(429, 10, methods=(POST,), headers={"Retry-After": "1"})
        acks += phase("b (429 outage, 10 s, Retry-After 1)", fake, url, 20)
        fake.outage(500, 10, methods=(POST,))
        acks += phase("c (500 outage, 10 s)", fake, url, 20)

        def five_hundred_after_posting() -> None:
            fake.queue(POST, 500, {"ok": False, "error": "internal_error"}, deliver=True)

        acks += phase("d (500 after posting, each)", fake, url, 10, five_hundred_after_posting)

        fake.outage(429, 30, methods=(POST,), headers={"Retry-After": "1"})
        backlog = [send(url) for _ in range(100)]
        acks += backlog
        ok = sum(a.status == 200 for a in backlog)
        print(f"  phase {'e (429 outage 30 s, then SIGKILL)':<36} {100:>4} sent, {ok:>4} acked 200")
        with sqlite_store(db) as store:
            ends = time.monotonic() + 10  # let the worker move the backlog into the outbox
            while time.monotonic() < ends and sum(queue_counts(store)[0][s] for s in ("pending", "working")):
                time.sleep(0.2)
            time.sleep(1.0)
            print(f"  at the kill: {fmt_counts(store)}")
            server.kill()
            end_outages(fake)
            restarted = server.start()
            healthy = server.wait_healthy()
            print(f"  restarted: healthy {healthy:.1f} s after the process started")
            tss = [a.ts for a in acks]
            done = wait_answered(fake, tss, ANSWER_TIMEOUT - (time.time() - restarted))
            after = last_answer_after(fake, tss, restarted)
            if not done:
                print(f"  NOT every event answered within {ANSWER_TIMEOUT:.0f} s of the restart")
            settled = wait_settled(store, max(ANSWER_TIMEOUT - (time.time() - restarted), 5))
            print(
                f"  queues {'empty' if settled else 'NOT empty'} {time.time() - restarted:.1f} s after restart: "
                f"{fmt_counts(store)}"
            )
        tally(fake, acks)
        _, first = answers(fake)
        quick = sum(first.get(a.ts, float("inf")) - restarted <= 10 for a in backlog)
        print(f"  of the 100 in the backlog, {quick} answered within 10 s of the restart; the rest waited for a lease")
        print(f"  backlog answered {after} after restart (leases: inbox 15 s, outbox 20 s)")
        print(f"  Slack calls: {dict(Counter(c.method for c in fake.calls).most_common())}")
        server.kill()
    report_logs([server])


# --- load --------------------------------------------------------------------------------------------------


def load(args: argparse.Namespace, work: Path, index_dir: Path) -> None:
    seconds, clients = args.seconds, 20
    print(f"\n== load: one `guidebot serve` on SQLite; {clients} clients sending mentions for {seconds:.0f} s ==")
    db = work / "load.db"
    with FakeSlack() as fake:
        port = free_port()
        server = Server("load", port, server_env(fake, port, f"sqlite:///{db}", index_dir), work)
        server.start()
        print(f"  serve healthy after {server.wait_healthy():.1f} s")
        acks: list[Ack] = []
        lock = threading.Lock()
        log_start = server.stderr.stat().st_size
        ends = time.monotonic() + seconds

        def client() -> None:
            mine = []
            while time.monotonic() < ends:
                mine.append(send(server.url))
            with lock:
                acks.extend(mine)

        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        load_ended = time.time()
        took = time.monotonic() - began
        log_end = server.stderr.stat().st_size
        ok = [a for a in acks if a.status == 200]
        print(f"  requests {len(acks)} in {took:.1f} s ({len(acks) / took:.0f}/s); non-200 {len(acks) - len(ok)}")
        print(f"  time to ack (200s)   {percentile_line([a.seconds for a in ok])}")
        found = warnings_in(log_lines(server.stderr, log_start, log_end))
        kinds = distinct(found)
        print(f"  WARNING+ lines in the server's stderr during the load: {len(found)} ({len(kinds)} distinct)")
        for line in list(kinds)[:3]:
            print(f"    {line[:200]}")
        with sqlite_store(db) as store:
            print(f"  at the end of the load: {fmt_counts(store)}")
            tss = [a.ts for a in acks]
            # a flood of questions is answered at the worker's pace (searching is CPU-bound): allow 10 a second
            patience = max(ANSWER_TIMEOUT, len(tss) / 10)
            done = wait_answered(fake, tss, patience)
            if not done:
                print(f"  NOT every event answered within {patience:.0f} s after the load ended")
            wait_settled(store, 10 if done else 0)
            print(f"  after waiting: {fmt_counts(store)}")
        tally(fake, acks, label="requests sent")
        print(f"  last answer {last_answer_after(fake, tss, load_ended)} after the load ended")
        server.kill()
    report_logs([server])


# --- pg-two ------------------------------------------------------------------------------------------------


@contextmanager
def fresh_pg_database(admin_url: str) -> Iterator[str]:
    """A new empty database beside --pg's (tests/store/conftest.py's way), dropped afterwards."""
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    name = f"guidebot_bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield normalise_url(admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def pg_two(args: argparse.Namespace, work: Path, index_dir: Path) -> None:
    print("\n== pg-two: two `guidebot serve` sharing PostgreSQL; 1,000 mentions, SIGKILL server A halfway ==")
    if not args.pg:
        print("  skipped: give --pg URL (e.g. postgresql+psycopg://postgres@127.0.0.1:54329/guidebot_test)")
        return
    total, clients = 1000, 10
    with fresh_pg_database(args.pg) as database_url, FakeSlack() as fake:
        servers = []
        for name in ("pg-A", "pg-B"):
            port = free_port()
            servers.append(Server(name, port, server_env(fake, port, database_url, index_dir), work))
        a, b = servers
        for server in servers:  # both at once, as a platform starts its instances: both migrate the new database
            server.start()
        for server in servers:
            try:
                print(f"  {server.name} healthy after {server.wait_healthy():.1f} s")
            except RuntimeError as error:
                print(f"  {error}; starting it again once")
                server.start()
                print(f"  {server.name} healthy after {server.wait_healthy():.1f} s (second start)")
        acks: list[Ack] = []
        lock = threading.Lock()
        counter = itertools.count()
        redelivered = Counter[str]()
        killed_at: list[float] = []

        def client() -> None:
            while (i := next(counter)) < total:
                if i == total // 2:
                    a.kill()
                    killed_at.append(time.time())
                target = a if i < total // 2 and i % 2 == 0 else b
                ts, body, kind = new_mention()
                status, seconds = deliver(target.url, body, kind)
                if status != 200:  # Slack redelivers an event it got no 200 for; A may be gone, so to B
                    with lock:
                        redelivered[f"{target.name} {status or 'no answer'}"] += 1
                    # a later second: Slack's redelivery is signed anew, so its signature is not the first one's
                    time.sleep(1.0)
                    status, seconds = deliver(
                        b.url, body, kind, X_Slack_Retry_Num="1", X_Slack_Retry_Reason="http_error"
                    )
                with lock:
                    acks.append(Ack(ts, status, seconds))

        began = time.time()
        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        sent_for = time.time() - began
        print(f"  {len(acks)} events sent in {sent_for:.1f} s; A SIGKILLed {killed_at[0] - began:.1f} s in")
        if redelivered:
            print("  redelivered to B after a failed ack: " + ", ".join(f"{k} x{n}" for k, n in redelivered.items()))
        store = Store.from_url(database_url, migrate=False)
        try:
            print(f"  when the last was acked: {fmt_counts(store)}")
            tss = [x.ts for x in acks]
            done = wait_answered(fake, tss, ANSWER_TIMEOUT)
            if not done:
                print(f"  NOT every event answered within {ANSWER_TIMEOUT:.0f} s")
            finished = last_answer_after(fake, tss, began)
            settled = wait_settled(store, max(ANSWER_TIMEOUT - (time.time() - began), 5))
            print(f"  queues {'empty' if settled else 'NOT empty'} {time.time() - began:.1f} s in: {fmt_counts(store)}")
        finally:
            store.engine.dispose()
        tally(fake, acks, once="answered exactly once")
        since_kill = last_answer_after(fake, tss, killed_at[0])
        print(f"  finished: last answer {finished} after the first send, {since_kill} after the kill")
        print("  (leases: inbox 15 s, outbox 20 s)")
        for server in servers:
            server.kill()
    report_logs(servers)


SCENARIOS: dict[str, Callable[[argparse.Namespace, Path, Path], None]] = {
    "fault": fault,
    "load": load,
    "pg-two": pg_two,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load scenario (default 60)")
    parser.add_argument("--pg", metavar="URL", help="a PostgreSQL server's URL, for pg-two (a database is made in it)")
    parser.add_argument("--index-dir", type=Path, help="reuse this index folder (built or refreshed if needed)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="guidebot-reliability-"))
    print(f"work folder (server logs, databases): {work}")
    index_dir = args.index_dir or work / "index"
    try:
        build_index(index_dir, work)
        for name, scenario in SCENARIOS.items():
            if args.scenario in (name, "all"):
                try:
                    scenario(args, work, index_dir)
                except RuntimeError as error:  # a server that would not start: say so, go on to the next
                    print(f"  {name} aborted: {error}")
    finally:
        for server in SERVERS:
            server.kill()


if __name__ == "__main__":
    main()
