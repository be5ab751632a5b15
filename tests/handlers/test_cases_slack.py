"""Cases in Slack through the running app: `/guide case add` (modal, errors in the ack), `/guide cases`,
`/guide case pause|resume REF`, and App Home "My cases".

The contacts a case owes are computed against today's date, so the cases here have gap weeks set around today.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.views import View

from guidebot.cases.models import CaseIn
from guidebot.reminders.dispatcher import run_pass, setup_from
from handlers import ids
from handlers.reminders import SlackReminderMessages
from tests.fakeslack import payloads as p
from tests.fakeslack.blockkit import validate_blocks, visible_text
from tests.fakeslack.signing import post_signed
from tests.handlers.conftest import Running, responses

LONDON = ZoneInfo("Europe/London")
OM = p.USER
OTHER_OM = "U456DEF"
STRANGER = "U999XYZ"
REF = "X123456"


def monday(weeks_from_now: int) -> date:
    today = datetime.now(LONDON).date()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_from_now)


def add_case(app: Running, ref: str = REF, om: str = OM, weeks: tuple[int, ...] = (-2, 1)) -> None:
    """A case whose gap weeks are `weeks` weeks from this one: by default one overdue, one next week."""
    gap_weeks = " ".join(monday(n).isoformat() for n in weeks)
    case = CaseIn.parse(
        {"case_ref": ref, "programme": "IDAP", "gap_weeks": gap_weeks, "om": om, "team_channel": p.CHANNEL}
    )
    app.store.cases.upsert(case, by="test")


def slash(app: Running, text: str, *, user: str = OM, name: str = "c") -> tuple[int, bytes]:
    return post_signed(app.url, *p.form_body(p.command_by(text, f"{app.fake.url}/respond/{name}", user=user)))


def inbox_rows(app: Running) -> int:
    return sum(app.store.inbox.counts().values())


def form(**fields: str) -> dict[str, dict[str, dict[str, Any]]]:
    """view.state.values as Slack sends it for the case modal; fields left out are empty, as Slack sends them."""
    values: dict[str, dict[str, dict[str, Any]]] = {
        "case_ref": {"value": {"type": "plain_text_input", "value": fields.get("case_ref")}},
        "programme": {"value": {"type": "static_select", "selected_option": None}},
        "group_start": {"value": {"type": "datepicker", "selected_date": fields.get("group_start")}},
        "gap_weeks": {"value": {"type": "plain_text_input", "value": fields.get("gap_weeks")}},
        "om": {"value": {"type": "users_select", "selected_user": fields.get("om")}},
        "team_channel": {
            "value": {"type": "conversations_select", "selected_conversation": fields.get("team_channel")}
        },
        "order_date": {"value": {"type": "datepicker", "selected_date": fields.get("order_date")}},
    }
    if fields.get("programme"):
        programme = fields["programme"]
        values["programme"]["value"]["selected_option"] = {
            "text": {"type": "plain_text", "text": programme, "emoji": True},
            "value": programme,
        }
    return values


GOOD = {"case_ref": REF, "programme": "IDAP", "group_start": "2027-01-06", "om": OM, "team_channel": p.CHANNEL}


def submit(app: Running, values: dict[str, Any], *, user: str = OM) -> tuple[int, bytes]:
    return post_signed(app.url, *p.interactive_body(p.view_submission(ids.CASE_ADD_VIEW, values, user=user)))


def test_case_add_opens_a_valid_modal_and_stores_no_job(running: Running) -> None:
    status, body = slash(running, "case add")
    assert status == 200 and body == b""
    (call,) = running.fake.calls_to("views.open")
    assert call.params["trigger_id"] == "13345224609.738474920.8088930838d88f008e0"
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    View(**view).validate_json()
    assert view["type"] == "modal" and view["callback_id"] == ids.CASE_ADD_VIEW
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert list(blocks) == ["case_ref", "programme", "group_start", "gap_weeks", "om", "team_channel", "order_date"]
    assert blocks["om"]["element"]["initial_user"] == OM
    assert blocks["team_channel"]["element"]["initial_conversation"] == p.CHANNEL
    programmes = {o["value"] for o in blocks["programme"]["element"]["options"]}
    assert {"IDAP", "BBR", "KAIZEN"} <= programmes
    assert "never a name" in blocks["case_ref"]["hint"]["text"]
    assert inbox_rows(running) == 0
    assert running.engine.calls == [] and running.fake.calls_to("respond") == []


def test_case_add_when_slack_will_not_open_the_modal_says_so_in_the_ack(running: Running) -> None:
    running.fake.queue("views.open", 200, {"ok": False, "error": "expired_trigger_id"})
    status, body = slash(running, "case add")
    assert status == 200
    assert b"expired" in body and b"try again" in body
    assert inbox_rows(running) == 0


def test_a_name_as_case_ref_is_an_error_in_the_modal_and_nothing_is_stored(running: Running) -> None:
    status, body = submit(running, form(**{**GOOD, "case_ref": "John Smith"}))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"case_ref"}
    assert "not a case reference" in answer["errors"]["case_ref"]
    assert "John" not in body.decode() and "Smith" not in body.decode()
    assert running.store.cases.list(statuses=None) == []
    assert running.fake.calls_to("chat.postMessage") == []


def test_a_missing_programme_is_an_error_on_the_programme_field(running: Running) -> None:
    status, body = submit(running, form(**{**GOOD, "programme": ""}))
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "errors" and set(answer["errors"]) == {"programme"}
    assert running.store.cases.list(statuses=None) == []


def test_neither_group_start_nor_gap_weeks_is_an_error_on_those_fields_not_on_the_reference(running: Running) -> None:
    status, body = submit(running, form(**{**GOOD, "group_start": ""}))
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "errors"
    assert running.store.cases.list(statuses=None) == []
    assert "case_ref" not in answer["errors"]
    assert set(answer["errors"]) & {"group_start", "gap_weeks"}


def test_a_good_submission_stores_the_case_and_dms_the_submitter(running: Running) -> None:
    status, body = submit(running, form(**GOOD, gap_weeks="2027-02-01 2027-03-01", order_date="2026-12-14"))
    assert status == 200 and body == b""
    case = running.store.cases.get(REF)
    assert case is not None and case.om == OM and case.team_channel == p.CHANNEL and case.status == "active"
    assert case.programme == "IDAP" and case.group_start == date(2027, 1, 6) and case.order_date == date(2026, 12, 14)
    assert case.gap_weeks == (date(2027, 2, 1), date(2027, 3, 1))
    (dm,) = running.fake.calls_to("chat.postMessage")
    validate_blocks(dm.blocks)
    assert dm.params["channel"] == OM
    assert f"`{REF}`" in visible_text(dm.blocks) and "added" in dm.params["text"]
    again = p.view_submission(
        ids.CASE_ADD_VIEW, form(**GOOD, gap_weeks="2027-02-01 2027-03-01", order_date="2026-12-14")
    )
    again["view"]["hash"] = "1700000800.fedcba"  # submitted again: another submission, not a replay
    post_signed(running.url, *p.interactive_body(again))
    assert "already up to date" in running.fake.calls_to("chat.postMessage")[1].params["text"]


def test_naming_another_om_is_refused_on_the_om_field(running: Running) -> None:
    status, body = submit(running, form(**{**GOOD, "om": OTHER_OM}))
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "errors" and set(answer["errors"]) == {"om"}
    assert running.store.cases.get(REF) is None
    assert running.fake.calls_to("chat.postMessage") == []


def test_an_admin_may_add_a_case_for_another_om(start: Any) -> None:
    app = start(admins="UADMIN")
    status, body = submit(app, form(**{**GOOD, "om": OTHER_OM}), user="UADMIN")
    assert status == 200 and body == b""
    case = app.store.cases.get(REF)
    assert case is not None and case.om == OTHER_OM
    (dm,) = app.fake.calls_to("chat.postMessage")
    assert dm.params["channel"] == "UADMIN"


def test_a_case_held_by_another_om_cannot_be_taken_over(running: Running) -> None:
    add_case(running, om=OTHER_OM)
    status, body = submit(running, form(**GOOD))
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "errors" and set(answer["errors"]) == {"case_ref"}
    case = running.store.cases.get(REF)
    assert case is not None and case.om == OTHER_OM


def test_guide_cases_lists_my_cases_and_what_i_owe(running: Running) -> None:
    add_case(running)
    add_case(running, "X654321", om=OTHER_OM)
    status, _ = slash(running, "cases")
    assert status == 200
    (reply,) = responses(running)
    assert reply.params["response_type"] == "ephemeral"
    text = visible_text(reply.blocks)
    assert "Your 1 case(s)" in text
    overdue, upcoming = [line for line in text.splitlines() if REF in line]
    assert "gap week 1 of 2" in overdue and "overdue" in overdue
    assert "gap week 2 of 2" in upcoming and "due " in upcoming
    assert "X654321" not in text
    assert running.engine.calls == []


def test_guide_cases_with_no_cases_says_how_to_add_one(running: Running) -> None:
    slash(running, "cases")
    (reply,) = responses(running)
    assert "/guide case add" in reply.params["text"]


def plan_now(app: Running) -> None:
    run_pass(app.store, setup_from(app.settings), SlackReminderMessages(app.settings.zone), now=datetime.now(UTC))
    app.settle()


def test_the_om_pauses_a_case_and_its_planned_reminders_are_cancelled(running: Running) -> None:
    add_case(running)
    plan_now(running)
    assert running.store.reminders.pending_for([REF])  # next week's gap-week sends
    status, _ = slash(running, f"case pause {REF.lower()}")
    assert status == 200
    (reply,) = responses(running)
    assert f"`{REF}`" in reply.params["text"] and "paused" in reply.params["text"]
    case = running.store.cases.get(REF)
    assert case is not None and case.status == "paused"
    assert running.store.reminders.pending_for([REF]) == []
    assert running.store.reminders.counts()["cancelled"] >= 1

    slash(running, f"case resume {REF}", name="resume")
    case = running.store.cases.get(REF)
    assert case is not None and case.status == "active"
    assert "Reminders resume" in responses(running)[1].params["text"]


def test_someone_else_cannot_pause_the_case(running: Running) -> None:
    add_case(running)
    plan_now(running)
    pending = running.store.reminders.pending_for([REF])
    slash(running, f"case pause {REF}", user=STRANGER)
    (reply,) = responses(running)
    assert "Only the offender manager who holds" in reply.params["text"]
    case = running.store.cases.get(REF)
    assert case is not None and case.status == "active"
    assert running.store.reminders.pending_for([REF]) == pending != []


def test_case_management_on_idap_is_a_question_not_a_subcommand(running: Running) -> None:
    slash(running, "case management on IDAP?")
    assert [call[0] for call in running.engine.calls] == ["case management on IDAP?"]
    assert running.fake.calls_to("views.open") == []
    (reply,) = responses(running)
    assert reply.params["response_type"] == "ephemeral"


def test_app_home_lists_my_owed_contacts_with_their_buttons(running: Running) -> None:
    add_case(running)
    add_case(running, "X654321", om=OTHER_OM)
    status, _ = post_signed(running.url, *p.json_body(p.envelope(p.app_home_opened(OM))))
    assert status == 200
    (call,) = running.fake.calls_to("views.publish")
    assert call.params["user_id"] == OM
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    View(**view).validate_json()
    validate_blocks(view["blocks"])
    assert view["type"] == "home" and view["blocks"][0]["text"]["text"] == "My cases"
    text = visible_text(view["blocks"])
    assert "X654321" not in text
    lines = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    assert len(lines) == 2 and "overdue" in lines[0] and REF in lines[0] and REF in lines[1]
    actions = [b for b in view["blocks"] if b["type"] == "actions"]
    assert len(actions) == 2
    for block in actions:
        assert [e["action_id"] for e in block["elements"]] == [
            ids.REMINDER_DONE,
            ids.REMINDER_NOT_SEEN,
            ids.REMINDER_SNOOZE,
        ]
        assert REF in block["elements"][0]["value"]


def test_app_home_messages_tab_publishes_nothing(running: Running) -> None:
    post_signed(running.url, *p.json_body(p.envelope(p.app_home_opened(OM, tab="messages"))))
    assert running.fake.calls_to("views.publish") == []


def test_contact_done_from_app_home_records_it_and_publishes_home_again(running: Running) -> None:
    add_case(running)
    post_signed(running.url, *p.json_body(p.envelope(p.app_home_opened(OM))))
    (first,) = running.fake.calls_to("views.publish")
    actions = [b for b in first.params["view"]["blocks"] if b["type"] == "actions"]
    button = actions[0]["elements"][0]
    payload = p.reminder_button(ids.REMINDER_DONE, button["value"], "")
    payload.pop("response_url")
    payload.pop("message")
    payload["container"] = {"type": "view", "view_id": "V1"}
    payload["view"] = {"id": "V1", "type": "home", "blocks": [], "callback_id": "", "hash": "h1"}
    status, _ = post_signed(running.url, *p.interactive_body(payload))
    assert status == 200
    due = monday(-2)
    assert running.store.reminders.recorded([(REF, "gap_week", due)])[(REF, "gap_week", due)].outcome == "done"
    second = running.fake.calls_to("views.publish")[1]
    lines = [b["text"]["text"] for b in second.params["view"]["blocks"] if b["type"] == "section"]
    assert len(lines) == 1 and "overdue" not in lines[0]
