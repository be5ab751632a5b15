"""How planning scales: time, reminders planned and peak memory for 5k to 50k synthetic active cases; then
dispatch throughput: N IDAP cases whose gap week starts today, one reminder pass into the outbox, and the outbox
sent to tests/fakeslack on 127.0.0.1 (the real sender, metadata and all).

Run: .venv/bin/python bench/reminders.py [DISPATCH_CASES]   (prints figures; no pass/fail; default 2,000)
"""

from __future__ import annotations

import random
import resource
import sys
import time as timer
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guidebot.reminders.calendar import WorkingCalendar
from guidebot.reminders.planner import plan
from guidebot.reminders.programmes import Programme, load_programmes
from guidebot.reminders.rules import CaseInfo

ROOT = Path(__file__).resolve().parent.parent

SIZES = (5_000, 10_000, 25_000, 50_000)
PROGRAMME_MIX = (("IDAP", 5), ("BBR", 3), ("CDVP", 1), ("HRP", 1), ("Kaizen", 1), ("Up2U", 1))
WINDOW_START = date(2026, 3, 2)  # a Monday, so the 12 weeks cross the spring clock change and Easter
WINDOW_WEEKS = 12
CLOCK = time(9, 0)
REPEATS = 3


def synthetic_cases(n: int, seed: int = 7, only: str | None = None) -> list[CaseInfo]:
    """n active cases: programmes mixed by weight, group starts spread over the year before the window, about
    half with an order date a few weeks before group start, one in twenty with explicit gap weeks."""
    rng = random.Random(seed)
    names = [name for name, _ in PROGRAMME_MIX]
    weights = [weight for _, weight in PROGRAMME_MIX]
    first_start = WINDOW_START - timedelta(days=365)
    cases = []
    for i in range(1, n + 1):
        group_start = first_start + timedelta(days=rng.randrange(365 + 7 * WINDOW_WEEKS))
        order_date = group_start - timedelta(days=rng.randrange(14, 120)) if rng.random() < 0.5 else None
        gap_weeks: tuple[date, ...] = ()
        if rng.random() < 0.05:
            gap_weeks = tuple(group_start + timedelta(weeks=w) for w in (3, 7, 11))
        cases.append(
            CaseInfo(
                case_ref=f"X{i:06d}",
                programme=only or rng.choices(names, weights)[0],
                group_start=group_start,
                gap_weeks=gap_weeks,
                om=f"U{i % 400:08d}",
                team_channel=f"C{i % 40:08d}",
                order_date=order_date,
            )
        )
    return cases


def best_of(repeats: int, cases: list[CaseInfo], programmes: dict[str, Programme], end: date) -> tuple[float, int]:
    """Fastest of a few runs (less noise from the machine), each on a fresh calendar: its cache is part of the cost."""
    best, count = float("inf"), 0
    for _ in range(repeats):
        calendar = WorkingCalendar("Europe/London")
        began = timer.perf_counter()
        planned = plan(cases, programmes, calendar, CLOCK, WINDOW_START, end)
        best, count = min(best, timer.perf_counter() - began), len(planned)
        del planned
    return best, count


def peak_rss_mb() -> float:
    # ru_maxrss is kilobytes on Linux, bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1_000_000


def main() -> None:
    programmes = load_programmes(ROOT / "knowledge")
    end = WINDOW_START + timedelta(weeks=WINDOW_WEEKS)
    print(f"plan() over {WINDOW_START} .. {end} ({WINDOW_WEEKS} weeks), clock {CLOCK:%H:%M} Europe/London")
    print(f"{'cases':>8} {'seconds':>8} {'reminders':>10} {'peak RSS MB':>12}")
    # the holidays package loads its GB calendar on first use (~0.2 s, once a process): not part of planning
    WorkingCalendar("Europe/London").is_working_day(WINDOW_START)
    seconds: dict[int, float] = {}
    for n in SIZES:
        seconds[n], count = best_of(REPEATS, synthetic_cases(n), programmes, end)
        print(f"{n:>8} {seconds[n]:>8.2f} {count:>10} {peak_rss_mb():>12.0f}")
    idap, count = best_of(REPEATS, synthetic_cases(SIZES[-1], only="IDAP"), programmes, end)
    print(f"{SIZES[-1]:>8} {idap:>8.2f} {count:>10} {peak_rss_mb():>12.0f}   (all IDAP)")
    print(
        f"growth time({SIZES[-1]:,})/time({SIZES[0]:,}): {seconds[SIZES[-1]] / seconds[SIZES[0]]:.1f}x "
        f"for {SIZES[-1] / SIZES[0]:.0f}x the cases"
    )


def dispatch(n: int) -> None:
    """Time one reminder pass (plan + hand to the outbox) and the sending of what it queued."""
    import tempfile
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from slack_sdk import WebClient

    from guidebot.cases.models import CaseIn
    from guidebot.config import Settings
    from guidebot.reminders.dispatcher import run_pass, setup_from
    from guidebot.store import Store
    from guidebot.worker import Worker
    from handlers.messenger import SlackMessenger
    from handlers.reminders import SlackReminderMessages
    from tests.fakeslack.webapi import FakeSlack

    store = Store.from_url(f"sqlite:///{Path(tempfile.mkdtemp()) / 'dispatch.db'}")
    rows = [
        CaseIn.parse(
            {
                "case_ref": f"X{i:06d}",
                "programme": "IDAP",
                "group_start": "2026-01-07",
                "om": f"UOM{i:05d}",
                "team_channel": f"CTEAM{i % 50:02d}",
            }
        )
        for i in range(n)
    ]
    store.cases.import_rows(rows)
    settings = Settings(knowledge_dir=ROOT / "knowledge")
    now = datetime(2026, 1, 26, 9, 5, tzinfo=ZoneInfo("Europe/London"))
    started = timer.perf_counter()
    summary = run_pass(store, setup_from(settings), SlackReminderMessages(settings.zone), now=now)
    passed = timer.perf_counter() - started
    with FakeSlack() as fake:
        messenger = SlackMessenger(WebClient(token="xoxb-bench", base_url=fake.api_url))
        worker = Worker(store, lambda job: [], messenger, threads=4, purge_every=None)
        started = timer.perf_counter()
        worker.start()
        while not worker.idle():
            timer.sleep(0.1)
        sent = timer.perf_counter() - started
        worker.stop()
        posted = sum(len(messages) for messages in fake.messages.values())
    print(f"dispatch: {n:,} cases, one pass in {passed:.2f} s ({summary})")
    print(f"dispatch: {posted:,} messages sent in {sent:.1f} s ({posted / sent:.0f} a second, 4 sender threads)")


if __name__ == "__main__":
    main()
    dispatch(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000)
