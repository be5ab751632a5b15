"""Gap-week reminders end to end: the reminder job's DMs and digests, and their buttons, through the running app.

The reminder job is run at chosen local times with `run_pass(..., now=...)`; its messages then go through the
real outbox to FakeSlack (`settle`). The buttons are signed block_actions posted to the running HTTP app.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from guidebot.cases.models import CaseIn
from guidebot.reminders.dispatcher import run_pass, setup_from
from handlers import cases as cases_module
from handlers import ids
from handlers import reminders as reminders_module
from handlers.messenger import METADATA_TYPE
from handlers.reminders import SlackReminderMessages
from tests.fakeslack import payloads as p
from tests.fakeslack.blockkit import validate_blocks, visible_text
from tests.fakeslack.signing import post_signed
from tests.fakeslack.webapi import Call
from tests.handlers.conftest import Running, responses

LONDON = ZoneInfo("Europe/London")
OM = p.USER  # U123ABC
OTHER_OM = "U456DEF"
STRANGER = "U999XYZ"
ADMIN = "UADMIN"
TEAM = p.CHANNEL  # C111
QUIET_TEAM = "C333"
REF = "X123456"
# IDAP, group start Wed 7 Jan 2026: week 1 is Mon 5 Jan, so gap week 4 (the first) is Mon 26 - Sun 1 Feb.
GROUP_START = "2026-01-07"
GAP_MONDAY = date(2026, 1, 26)
GAP_SUNDAY = date(2026, 2, 1)


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 5) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


MON_26_JAN = local(2026, 1, 26)
FRI_30_JAN = local(2026, 1, 30)
MON_2_FEB = local(2026, 2, 2)


def add_case(app: Running, ref: str = REF, **fields: Any) -> None:
    data = {
        "case_ref": ref,
        "programme": "IDAP",
        "group_start": GROUP_START,
        "om": OM,
        "team_channel": TEAM,
        **fields,
    }
    app.store.cases.upsert(CaseIn.parse({k: v for k, v in data.items() if v is not None}), by="test")


def run_job(app: Running, when: datetime) -> str:
    """One pass of the reminder job at `when`, then everything it queued sent to FakeSlack."""
    summary = run_pass(app.store, setup_from(app.settings), SlackReminderMessages(app.settings.zone), now=when)
    app.settle()
    return summary


def posts_to(app: Running, channel: str) -> list[Call]:
    """chat.postMessage calls to one channel (a user id for a DM), each checked as valid Block Kit."""
    calls = [c for c in app.fake.calls_to("chat.postMessage") if c.params.get("channel") == channel]
    for call in calls:
        validate_blocks(call.blocks)
    return calls


def controls(call: Call) -> dict[str, dict[str, Any]]:
    return {e["action_id"]: e for b in call.blocks if b["type"] == "actions" for e in b["elements"]}


def respond_url(app: Running, name: str = "r") -> str:
    return f"{app.fake.url}/respond/{name}"


def press(app: Running, dm: Call, action_id: str, *, user: str = OM) -> None:
    """Click a button of the reminder `dm` as `user`."""
    payload = p.reminder_button(action_id, controls(dm)[action_id]["value"], respond_url(app), user=user)
    status, _ = post_signed(app.url, *p.interactive_body(payload))
    assert status == 200


def choose(app: Running, dm: Call, reason: str, *, user: str = OM) -> None:
    """Pick `reason` in the reminder's "Not seen - record why" menu as `user`."""
    menu = controls(dm)[ids.REMINDER_NOT_SEEN]
    (option,) = [o for o in menu["options"] if o["value"].startswith(f"{reason}|")]
    payload = p.reminder_choice(ids.REMINDER_NOT_SEEN, option, respond_url(app), user=user)
    status, _ = post_signed(app.url, *p.interactive_body(payload))
    assert status == 200


def recorded(app: Running, ref: str = REF, due: date = GAP_MONDAY) -> Any:
    return app.store.reminders.recorded([(ref, "gap_week", due)]).get((ref, "gap_week", due))


@pytest.fixture
def app(start: Callable[..., Running]) -> Running:
    running = start(admins=ADMIN)
    # The worker applies retention on its first step, by the wall clock: reminders 90 days after their window.
    # Take that step now, before the January 2026 rows exist, so they are not purged between two passes.
    running.settle()
    return running


def first_reminder(app: Running) -> Call:
    add_case(app)
    run_job(app, MON_26_JAN)
    (dm,) = posts_to(app, OM)
    return dm


def test_the_gap_week_reminder_is_one_dm_with_the_three_controls(app: Running) -> None:
    add_case(app)
    run_job(app, MON_26_JAN)
    (dm,) = posts_to(app, OM)
    text = visible_text(dm.blocks)
    assert f"`{REF}`" in text and "Gap-week contact due" in text and "IDAP" in text
    assert REF in dm.params["text"]
    buttons = controls(dm)
    assert list(buttons) == [ids.REMINDER_DONE, ids.REMINDER_NOT_SEEN, ids.REMINDER_SNOOZE]
    assert buttons[ids.REMINDER_DONE]["type"] == "button" and buttons[ids.REMINDER_DONE]["text"]["text"] == (
        "Contact done"
    )
    assert buttons[ids.REMINDER_SNOOZE]["text"]["text"] == "Remind me tomorrow"
    menu = buttons[ids.REMINDER_NOT_SEEN]
    assert menu["type"] == "static_select" and menu["placeholder"]["text"] == "Not seen - record why"
    contact = f"|{REF}|gap_week|{GAP_MONDAY.isoformat()}|{GAP_SUNDAY.isoformat()}"
    assert [o["value"] for o in menu["options"]] == [
        f"{reason}{contact}" for reason in ("did_not_attend", "rescheduled", "in_custody", "other")
    ]
    assert all(len(o["value"]) <= 150 for o in menu["options"])
    metadata = dm.params["metadata"]
    assert metadata["event_type"] == METADATA_TYPE and re.fullmatch(r"[0-9a-f]{24}", metadata["event_payload"]["id"])
    (kept,) = app.fake.posted(OM)
    assert kept["metadata"] == metadata
    assert "Sent late" not in text


def test_running_the_job_again_at_the_same_time_sends_nothing_more(app: Running) -> None:
    first_reminder(app)
    run_job(app, MON_26_JAN)
    run_job(app, MON_26_JAN + timedelta(minutes=1))
    assert len(posts_to(app, OM)) == 1
    assert len(app.fake.posted(OM)) == 1


def test_contact_done_records_it_replaces_the_message_and_skips_the_friday_nudge(app: Running) -> None:
    dm = first_reminder(app)
    press(app, dm, ids.REMINDER_DONE)
    done = recorded(app)
    assert done is not None and done.outcome == "done" and done.reason is None and done.recorded_by == OM
    (reply,) = responses(app)
    assert reply.params["replace_original"] is True
    assert REF in reply.params["text"] and "contact done" in reply.params["text"]
    run_job(app, FRI_30_JAN)
    assert len(posts_to(app, OM)) == 1
    assert app.store.reminders.counts()["skipped"] == 1


def test_without_a_record_the_friday_nudge_is_sent(app: Running) -> None:
    first_reminder(app)
    run_job(app, FRI_30_JAN)
    _first, nudge = posts_to(app, OM)
    assert "not recorded yet" in visible_text(nudge.blocks) and f"`{REF}`" in visible_text(nudge.blocks)
    assert set(controls(nudge)) == {ids.REMINDER_DONE, ids.REMINDER_NOT_SEEN, ids.REMINDER_SNOOZE}


def test_not_seen_records_the_reason_chosen_in_the_menu(app: Running) -> None:
    dm = first_reminder(app)
    choose(app, dm, "did_not_attend")
    seen = recorded(app)
    assert seen is not None and seen.outcome == "not_seen" and seen.reason == "did_not_attend"
    (reply,) = responses(app)
    assert reply.params["replace_original"] is True and "did not attend" in reply.params["text"]
    run_job(app, FRI_30_JAN)
    assert len(posts_to(app, OM)) == 1


def freeze_handler_clock(monkeypatch: pytest.MonkeyPatch, at: datetime, module: Any = None) -> None:
    """The buttons and commands read the wall clock ("tomorrow" is the day after the click; a resumed case gets
    back the sends still to come): pin it to the scenario's time."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Frozen:  # type: ignore[override]
            moment = at.astimezone(tz) if tz is not None else at.replace(tzinfo=None)
            return cls.fromtimestamp(moment.timestamp(), tz)

    monkeypatch.setattr(module or reminders_module, "datetime", Frozen)


def test_remind_me_tomorrow_plans_one_send_on_the_next_working_day_and_a_run_then_sends_it(
    app: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    dm = first_reminder(app)
    freeze_handler_clock(monkeypatch, local(2026, 1, 26, 11, 30))
    press(app, dm, ids.REMINDER_SNOOZE)
    (snoozed,) = [r for r in app.store.reminders.pending_for([REF]) if r.stage.startswith("snooze-")]
    assert snoozed.send_at == local(2026, 1, 27, 9, 0)  # Tue 27 Jan, 09:00
    assert recorded(app) is None
    (reply,) = responses(app)
    assert reply.params["replace_original"] is False and REF in reply.params["text"] and "09:00" in reply.params["text"]
    press(app, dm, ids.REMINDER_SNOOZE)  # twice the same day: still one more send
    assert len([r for r in app.store.reminders.pending_for([REF]) if r.stage.startswith("snooze-")]) == 1

    run_job(app, local(2026, 1, 27, 8, 55))
    assert len(posts_to(app, OM)) == 1
    run_job(app, local(2026, 1, 27, 9, 5))
    _first, again = posts_to(app, OM)
    assert f"`{REF}`" in visible_text(again.blocks) and "Sent late" not in visible_text(again.blocks)
    assert set(controls(again)) == {ids.REMINDER_DONE, ids.REMINDER_NOT_SEEN, ids.REMINDER_SNOOZE}
    run_job(app, local(2026, 1, 27, 9, 10))
    assert len(posts_to(app, OM)) == 2


def test_remind_me_tomorrow_on_a_friday_means_monday(app: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    dm = first_reminder(app)
    freeze_handler_clock(monkeypatch, local(2026, 1, 30, 16, 0))
    press(app, dm, ids.REMINDER_SNOOZE)
    (snoozed,) = [r for r in app.store.reminders.pending_for([REF]) if r.stage.startswith("snooze-")]
    assert snoozed.send_at == MON_2_FEB.replace(minute=0)


@pytest.mark.parametrize("action", [ids.REMINDER_DONE, ids.REMINDER_SNOOZE, ids.REMINDER_NOT_SEEN])
def test_someone_who_is_not_the_om_is_refused_and_nothing_is_recorded(app: Running, action: str) -> None:
    dm = first_reminder(app)
    pending = app.store.reminders.pending_for([REF])
    if action == ids.REMINDER_NOT_SEEN:
        choose(app, dm, "in_custody", user=STRANGER)
    else:
        press(app, dm, action, user=STRANGER)
    assert recorded(app) is None
    assert app.store.reminders.pending_for([REF]) == pending
    (reply,) = responses(app)
    assert reply.params["replace_original"] is False
    assert "Only the case's offender manager or a guidebot admin" in reply.params["text"]
    run_job(app, FRI_30_JAN)
    assert len(posts_to(app, OM)) == 2  # the nudge still comes


def test_an_admin_may_record_a_contact_for_the_om(app: Running) -> None:
    dm = first_reminder(app)
    press(app, dm, ids.REMINDER_DONE, user=ADMIN)
    done = recorded(app)
    assert done is not None and done.outcome == "done" and done.recorded_by == ADMIN
    (reply,) = responses(app)
    assert reply.params["replace_original"] is True and f"<@{ADMIN}>" in reply.params["text"]


def test_after_a_week_with_nothing_run_the_missed_reminder_goes_once_late(app: Running) -> None:
    add_case(app)
    run_job(app, MON_2_FEB)
    (dm,) = posts_to(app, OM)
    text = visible_text(dm.blocks)
    assert f"`{REF}`" in text
    # the first (Mon 26 Jan) and the nudge (Fri 30 Jan) of one gap week became one message: the nudge, late
    assert "not recorded yet" in text and "Sent late" in text and "09:00" in text
    assert set(controls(dm)) == {ids.REMINDER_DONE, ids.REMINDER_NOT_SEEN, ids.REMINDER_SNOOZE}
    counts = app.store.reminders.counts()
    assert counts["sent"] == 1 and counts["late"] == 1 and counts["skipped"] == 1
    run_job(app, MON_2_FEB + timedelta(minutes=1))
    assert len(posts_to(app, OM)) == 1


def section_of(call: Call, om: str) -> str:
    (section,) = [b["text"]["text"] for b in call.blocks if b["type"] == "section" and f"<@{om}>" in b["text"]["text"]]
    return section


def test_the_weekly_digest_is_one_message_per_team_grouped_by_om(app: Running) -> None:
    add_case(app)  # gap week 4 due Mon 26 Jan: due this week
    # week 1 is Mon 29 Dec, so its gap week 4 ended Sun 25 Jan with nothing recorded: overdue
    add_case(app, "X234567", group_start="2025-12-31", om=OTHER_OM)
    add_case(app, "X345678", group_start=None, gap_weeks="2026-03-04", team_channel=QUIET_TEAM)
    run_job(app, MON_26_JAN)
    (digest,) = posts_to(app, TEAM)
    assert digest.blocks[0]["type"] == "header" and "Contacts: week of" in digest.blocks[0]["text"]["text"]
    mine, theirs = section_of(digest, OM), section_of(digest, OTHER_OM)
    assert "*Due this week*" in mine and f"`{REF}`" in mine and "gap week 1 of 8" in mine
    assert "X234567" not in mine
    assert "*Overdue*" in theirs and "`X234567`" in theirs and REF not in theirs
    (quiet,) = posts_to(app, QUIET_TEAM)
    assert len(quiet.blocks) == 1 and "nothing due, done or overdue" in quiet.params["text"]
    assert "X345678" not in visible_text(quiet.blocks)
    run_job(app, MON_26_JAN + timedelta(minutes=5))
    assert len(posts_to(app, TEAM)) == 1 and len(posts_to(app, QUIET_TEAM)) == 1


def test_the_digest_waits_for_its_slot(app: Running) -> None:
    add_case(app)
    run_job(app, local(2026, 1, 26, 8, 55))
    assert posts_to(app, TEAM) == []
    run_job(app, MON_26_JAN)
    assert len(posts_to(app, TEAM)) == 1


def test_a_paused_case_gets_no_reminders(app: Running) -> None:
    add_case(app)
    run_job(app, local(2026, 1, 23))  # Friday before: the gap week's sends are planned
    assert [r.stage for r in app.store.reminders.pending_for([REF])] == ["first", "nudge"]
    status, _ = post_signed(app.url, *p.form_body(p.command_by(f"case pause {REF}", respond_url(app, "pause"))))
    assert status == 200
    (reply,) = responses(app)
    assert "paused" in reply.params["text"]
    assert app.store.reminders.pending_for([REF]) == []
    run_job(app, MON_26_JAN)
    run_job(app, FRI_30_JAN)
    run_job(app, MON_2_FEB)
    assert posts_to(app, OM) == []


def test_a_case_paused_and_resumed_before_its_gap_week_is_reminded(
    app: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_case(app)
    run_job(app, local(2026, 1, 23))  # Friday before: the gap week's sends are planned
    freeze_handler_clock(monkeypatch, local(2026, 1, 23, 15), cases_module)
    for verb in ("pause", "resume"):
        status, _ = post_signed(app.url, *p.form_body(p.command_by(f"case {verb} {REF}", respond_url(app, verb))))
        assert status == 200
    assert "Reminders resume" in responses(app)[-1].params["text"]
    run_job(app, MON_26_JAN)
    (dm,) = posts_to(app, OM)
    assert f"`{REF}`" in visible_text(dm.blocks)


def test_each_due_reminder_is_delivered_once_through_429s_and_500s(app: Running) -> None:
    """Slack rate-limits, then fails with 500s (once after posting): each reminder still arrives exactly once.

    The outbox gives up on a message 24 h after the pass queued it, by the wall clock, so this pass runs now,
    over gap weeks set last week (their first and nudge are both due: one late message per case).
    """
    today = datetime.now(LONDON).date()
    last_week = today - timedelta(days=today.weekday() + 7)
    refs = [f"X10000{n}" for n in range(5)]
    for ref in refs:
        add_case(app, ref, group_start=None, gap_weeks=last_week.isoformat())
    error = {"ok": False, "error": "internal_error"}
    # the first attempts, whenever they come: posted yet answered 500, two 429s, two 500s that did not post
    app.fake.queue("chat.postMessage", 500, error, deliver=True)
    for _ in range(2):
        app.fake.queue("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
    for _ in range(2):
        app.fake.queue("chat.postMessage", 500, error)
    # then a while of 500s for every post
    app.fake.outage(500, 1.5, methods=("chat.postMessage",))
    run_job(app, datetime.now(UTC))
    attempts = [c for c in app.fake.calls_to("chat.postMessage") if c.params.get("channel") == OM]
    assert len(attempts) >= len(refs) + 4  # the four refusals that posted nothing were each tried again
    assert app.fake.calls_to("conversations.history")  # the post answered 500 was looked for before a resend
    for ref in refs:
        delivered = [m for m in app.fake.posted(OM) if ref in m["text"]]
        assert len(delivered) == 1, ref
    outbox = app.store.outbox.counts()
    assert outbox["failed"] == 0 and outbox["pending"] == 0
