"""The reminders job against a real store (SQLite and PostgreSQL): each due send reaches the outbox once, also
after downtime and with two workers at once; recorded contacts stop the nudges; digests once per team and week."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from guidebot.cases.models import CaseIn
from guidebot.config import Settings
from guidebot.delivery import Outgoing
from guidebot.reminders.digest import TeamDigest
from guidebot.reminders.dispatcher import ReminderSetup, run_pass, setup_from
from guidebot.reminders.rules import CaseInfo
from guidebot.store import Store
from guidebot.store.models import OutboxMessage
from guidebot.store.reminders import DueRow
from tests.helpers_core import SHIPPED_KNOWLEDGE

LONDON = ZoneInfo("Europe/London")


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 5) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


class Recorder:
    """The Slack wording, reduced to what a test checks: who, which contact, late or not."""

    def reminder(self, due: DueRow, case: CaseInfo, label: str, *, late: bool) -> Outgoing:
        text = f"{due.case_ref}|{due.rule}|{due.due_date}|{due.stage}|{'late' if late else 'on time'}"
        return Outgoing(method="post", channel=case.om, message={"text": text})

    def digest(self, digest: TeamDigest) -> Outgoing:
        lines = [f"{om}:{len(s.due)}/{len(s.overdue)}" for om, s in digest.by_om.items()]
        text = "quiet" if digest.quiet() else " ".join(lines)
        return Outgoing(method="post", channel=digest.team_channel, message={"text": text})


@pytest.fixture(scope="module")
def setup() -> ReminderSetup:
    return setup_from(Settings(knowledge_dir=SHIPPED_KNOWLEDGE))


def add_case(store: Store, ref: str = "X000001", **fields: str) -> None:
    data = {"case_ref": ref, "programme": "IDAP", "group_start": "2026-01-07", "om": "UOM1", "team_channel": "CTEAM"}
    store.cases.upsert(CaseIn.parse({**data, **fields}), by="test")


def queued(store: Store, prefix: str = "reminder:") -> list[str]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(OutboxMessage.payload).where(OutboxMessage.key.startswith(prefix)).order_by(OutboxMessage.id)
        ).all()
    return [json.loads(row[0])["message"]["text"] for row in rows]


def test_the_first_gap_week_reminder_goes_once_on_its_monday(store: Store, setup: ReminderSetup) -> None:
    add_case(store)
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26, 8, 55))
    assert queued(store) == []  # not before 09:00
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26))
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26, 9, 30))
    assert queued(store) == ["X000001|gap_week|2026-01-26|first|on time"]


def test_a_recorded_contact_stops_the_nudge(store: Store, setup: ReminderSetup) -> None:
    add_case(store)
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26))
    store.reminders.record("X000001", "gap_week", date(2026, 1, 26), "done", by="UOM1")
    run_pass(store, setup, Recorder(), now=at(2026, 1, 30))
    assert [t.split("|")[3] for t in queued(store)] == ["first"]
    assert store.reminders.counts()["skipped"] == 1


def test_without_a_record_the_nudge_comes_on_the_weeks_last_working_day(store: Store, setup: ReminderSetup) -> None:
    add_case(store)
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26))
    run_pass(store, setup, Recorder(), now=at(2026, 1, 30))
    assert [t.split("|")[3] for t in queued(store)] == ["first", "nudge"]


def test_after_a_week_down_missed_reminders_go_once_late_and_one_per_contact(
    store: Store, setup: ReminderSetup
) -> None:
    add_case(store)
    run_pass(store, setup, Recorder(), now=at(2026, 1, 19))  # planned, nothing due yet
    run_pass(store, setup, Recorder(), now=at(2026, 2, 2))  # the whole gap week was missed
    run_pass(store, setup, Recorder(), now=at(2026, 2, 2, 10))
    assert queued(store) == ["X000001|gap_week|2026-01-26|nudge|late"]


def test_pausing_a_case_cancels_what_was_planned(store: Store, setup: ReminderSetup) -> None:
    add_case(store)
    run_pass(store, setup, Recorder(), now=at(2026, 1, 19))
    store.cases.set_status("X000001", "paused", by="UOM1")
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26))
    assert queued(store) == [] and store.reminders.counts()["cancelled"] >= 2


def test_partner_referral_and_evaluation_measures_are_reminded_too(store: Store, setup: ReminderSetup) -> None:
    add_case(store, order_date="2026-01-02")
    run_pass(store, setup, Recorder(), now=at(2026, 1, 5))
    texts = queued(store)
    assert "X000001|partner_referral|2026-01-05|first|on time" in texts


def test_two_workers_at_once_queue_each_reminder_once(store: Store, setup: ReminderSetup, db_url: str) -> None:
    for n in range(40):
        add_case(store, f"X{n:06d}", om=f"UOM{n % 3}")
    other = Store.from_url(db_url, migrate=False)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(s: Store) -> None:
        barrier.wait()
        try:
            for hour, minute in ((9, 5), (9, 6), (9, 7)):
                run_pass(s, setup, Recorder(), now=at(2026, 1, 26, hour, minute))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(store if i % 2 else other,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    other.engine.dispose()
    assert errors == []
    texts = queued(store)
    assert len(texts) == 40 and len(set(texts)) == 40
    assert len(queued(store, "digest:")) == 1


def test_the_digest_goes_once_per_team_and_week_grouped_by_om(store: Store, setup: ReminderSetup) -> None:
    add_case(store, "X000001", om="UOM1")
    add_case(store, "X000002", om="UOM2")
    add_case(store, "X000003", om="UOM1", team_channel="CQUIET", group_start="2026-06-03")
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26, 8, 0))
    assert queued(store, "digest:") == []  # before Monday 09:00
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26))
    run_pass(store, setup, Recorder(), now=at(2026, 1, 27))
    digests = queued(store, "digest:")
    # due: the gap week; overdue: the pre-programme measures (due 30 Dec, before the group started)
    assert sorted(digests) == sorted(["UOM1:1/1 UOM2:1/1", "quiet"])


def test_the_reminder_time_and_digest_slot_are_settings(store: Store) -> None:
    setup = setup_from(Settings(knowledge_dir=SHIPPED_KNOWLEDGE, reminder_time="08:30", digest_at="TUE 10:00"))
    assert setup.clock == time(8, 30) and setup.digest_weekday == 1 and setup.digest_clock == time(10, 0)
    add_case(store)
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26, 8, 35))
    assert len(queued(store)) == 1 and queued(store, "digest:") == []


def test_one_pass_sends_everything_due_however_many(store: Store, setup: ReminderSetup) -> None:
    """Monday morning for a large service: more due reminders than one batch, all queued in the same pass."""
    rows = [
        CaseIn.parse(
            {
                "case_ref": f"X{n:06d}",
                "programme": "IDAP",
                "group_start": "2026-01-07",
                "om": f"UOM{n}",
                "team_channel": "CTEAM",
            }
        )
        for n in range(450)
    ]
    store.cases.import_rows(rows)
    run_pass(store, setup, Recorder(), now=at(2026, 1, 26))
    assert len(queued(store)) == 450
