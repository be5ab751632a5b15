"""Checklists in Slack through the running app: one private message, replaced step by step; the run lives in the
store, so a double click, an old button or another person's click changes nothing and says so."""

from __future__ import annotations

import json
import uuid
from typing import Any

from slack_sdk.models.views import View

from handlers import ids
from tests.fakeslack import payloads as p
from tests.fakeslack.blockkit import validate_blocks, visible_text
from tests.fakeslack.signing import post_signed
from tests.fakeslack.webapi import Call
from tests.handlers.conftest import Running, responses


def url(app: Running) -> str:
    return f"{app.fake.url}/respond/{uuid.uuid4().hex}"


def command(app: Running, text: str, user: str = p.USER) -> Call:
    post_signed(app.url, *p.form_body(p.command_by(text, url(app), user=user)))
    return responses(app)[-1]


def elements(call: Call) -> list[dict[str, Any]]:
    return [e for b in call.params.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]] + [
        b["accessory"] for b in call.params.get("blocks") or [] if b.get("accessory")
    ]


def button(call: Call, action_id: str, index: int = 0) -> dict[str, Any]:
    return [e for e in elements(call) if e.get("action_id") == action_id][index]


def click(app: Running, element: dict[str, Any], user: str = p.USER) -> Call:
    payload = p.reminder_button(element["action_id"], element["value"], url(app), user=user, channel=p.CHANNEL)
    post_signed(app.url, *p.interactive_body(payload))
    return responses(app)[-1]


def first_checklist(app: Running) -> str:
    listing = command(app, "checklist")
    return json.loads(button(listing, ids.CHECKLIST_START)["value"])["c"]


def test_checklist_lists_every_checklist_with_a_start_button(running: Running) -> None:
    listing = command(running, "checklist")
    starts = [e for e in elements(listing) if e.get("action_id") == ids.CHECKLIST_START]
    assert len(starts) >= 3
    assert listing.params["response_type"] == "ephemeral"


def test_a_step_answered_replaces_the_message_with_the_next(running: Running) -> None:
    checklist = first_checklist(running)
    first = command(running, f"checklist {checklist}")
    assert {ids.CHECKLIST_WHY, ids.CHECKLIST_CANCEL} <= {e["action_id"] for e in elements(first)}
    answer = next(e for e in elements(first) if e.get("action_id", "").startswith(ids.CHECKLIST_ANSWER + "_"))
    second = click(running, answer)
    assert second.params["replace_original"] is True
    run_id = json.loads(answer["value"])["r"]
    run = running.store.checklist_runs.get(run_id)
    assert run is not None and len(run.answers) == 1 and run.version == 1


def test_a_double_click_or_an_old_button_changes_nothing_and_says_so(running: Running) -> None:
    first = command(running, f"checklist {first_checklist(running)}")
    answer = next(e for e in elements(first) if e.get("action_id", "").startswith(ids.CHECKLIST_ANSWER + "_"))
    click(running, answer)
    again = click(running, answer)
    assert again.params["replace_original"] is False and "already answered" in again.params["text"]
    run = running.store.checklist_runs.get(json.loads(answer["value"])["r"])
    assert run is not None and len(run.answers) == 1


def test_someone_elses_run_is_left_alone(running: Running) -> None:
    first = command(running, f"checklist {first_checklist(running)}")
    answer = next(e for e in elements(first) if e.get("action_id", "").startswith(ids.CHECKLIST_ANSWER + "_"))
    other = click(running, answer, user="UOTHER")
    assert "someone else" in other.params["text"]
    run = running.store.checklist_runs.get(json.loads(answer["value"])["r"])
    assert run is not None and run.answers == ()


def test_why_shows_the_cited_passage_in_place(running: Running) -> None:
    first = command(running, f"checklist {first_checklist(running)}")
    why = click(running, button(first, ids.CHECKLIST_WHY))
    assert why.params["replace_original"] is True and "> " in visible_text(why.params["blocks"])


def test_walking_to_the_end_gives_an_outcome_a_text_copy_and_a_post(running: Running) -> None:
    screen = command(running, f"checklist {first_checklist(running)}")
    for _ in range(40):
        answers = [e for e in elements(screen) if e.get("action_id", "").startswith(ids.CHECKLIST_ANSWER + "_")]
        if not answers:
            break
        screen = click(running, answers[-1])
    copy = button(screen, ids.CHECKLIST_COPY)
    assert "Your answers" in visible_text(screen.params["blocks"]) and "Sources:" in visible_text(
        screen.params["blocks"]
    )
    text = click(running, copy)
    assert text.params["text"] and "*" not in text.params["text"]
    run = running.store.checklist_runs.get(json.loads(copy["value"])["r"])
    assert run is not None and run.status == "finished" and run.outcome


def test_cancel_ends_the_run(running: Running) -> None:
    first = command(running, f"checklist {first_checklist(running)}")
    cancel = button(first, ids.CHECKLIST_CANCEL)
    done = click(running, cancel)
    assert "cancelled" in done.params["text"].lower()
    run = running.store.checklist_runs.get(json.loads(cancel["value"])["r"])
    assert run is not None and run.status == "cancelled"


def test_an_unfinished_run_is_resumed_from_app_home_after_a_restart(start: Any) -> None:
    first_app = start()
    first = command(first_app, f"checklist {first_checklist(first_app)}")
    answer = next(e for e in elements(first) if e.get("action_id", "").startswith(ids.CHECKLIST_ANSWER + "_"))
    click(first_app, answer)
    second_app = start()  # a new bot over the same store
    post_signed(second_app.url, *p.json_body(p.envelope(p.app_home_opened())))
    (home,) = second_app.fake.calls_to("views.publish")
    view = json.loads(home.params["view"]) if isinstance(home.params["view"], str) else home.params["view"]
    resume = next(
        b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("action_id") == ids.CHECKLIST_RESUME
    )
    post_signed(
        second_app.url, *p.interactive_body(p.reminder_button(resume["action_id"], resume["value"], url(second_app)))
    )
    (dm,) = second_app.fake.calls_to("chat.postMessage")
    assert dm.params["channel"] == p.USER and "question 2" in visible_text(dm.blocks)


def type_number(app: Running, screen: Call, typed: str) -> Call:
    """The number box of a step: Slack sends its value with the input block's id when Enter is pressed."""
    (block,) = [b for b in screen.params["blocks"] if b["type"] == "input"]
    action = {"action_id": ids.CHECKLIST_NUMBER, "type": "number_input", "value": typed}
    payload = p.reminder_button(ids.CHECKLIST_NUMBER, typed, url(app), channel=p.CHANNEL)
    payload["actions"] = [{**action, "block_id": block["block_id"], "action_ts": "1700000600.000002"}]
    post_signed(app.url, *p.interactive_body(payload))
    return responses(app)[-1]


def test_a_number_step_takes_a_typed_number_and_refuses_words(running: Running) -> None:
    """Up2U: someone who wants to change, aged 15: Up2U works from 16."""
    age = command(running, "checklist up2u")
    for _ in range(5):  # yes to the questions before the age (area, acceptance, wish to change)
        if any(b["type"] == "input" for b in age.params["blocks"]):
            break
        answers = [e for e in elements(age) if e.get("action_id", "").startswith(ids.CHECKLIST_ANSWER + "_")]
        age = click(running, next(e for e in answers if json.loads(e["value"])["a"] == "yes"))
    assert "How old" in visible_text(age.params["blocks"])
    refused = type_number(running, age, "fifteen")
    assert refused.params["replace_original"] is False
    outcome = type_number(running, age, "15")
    assert "16" in visible_text(outcome.params["blocks"]) and button(outcome, ids.CHECKLIST_COPY)


def finish_a_checklist(app: Running) -> Call:
    screen = command(app, f"checklist {first_checklist(app)}")
    for _ in range(40):
        answers = [e for e in elements(screen) if e.get("action_id", "").startswith(ids.CHECKLIST_ANSWER + "_")]
        if not answers:
            return screen
        screen = click(app, answers[-1])
    raise AssertionError("no outcome after 40 answers")


def submit_details(app: Running, run_id: str, case_ref: str, note: str, user: str = p.USER) -> tuple[int, bytes]:
    values = {
        "case_ref": {"value": {"type": "plain_text_input", "value": case_ref}},
        "note": {"value": {"type": "plain_text_input", "value": note}},
    }
    payload = p.view_submission(ids.CHECKLIST_DETAILS_VIEW, values, user=user)
    payload["view"]["private_metadata"] = run_id
    payload["view"]["hash"] = uuid.uuid4().hex  # each submission is its own request
    return post_signed(app.url, *p.interactive_body(payload))


def test_a_case_reference_and_a_note_are_checked_then_kept_with_the_run(running: Running) -> None:
    outcome = finish_a_checklist(running)
    details = button(outcome, ids.CHECKLIST_DETAILS)
    click(running, details)
    (opened,) = running.fake.calls_to("views.open")
    view = opened.params["view"] if isinstance(opened.params["view"], dict) else json.loads(opened.params["view"])
    View(**view).validate_json()
    run_id = json.loads(details["value"])["r"]
    status, body = submit_details(running, run_id, "John Smith", "")
    assert status == 200 and "case_ref" in json.loads(body)["errors"] and "John" not in body.decode()
    status, body = submit_details(running, run_id, "X123456", "rang him on 07700 900123")
    assert "phone" in json.loads(body)["errors"]["note"] and "07700" not in body.decode()
    status, body = submit_details(running, run_id, "x123456", "attended 3 of 4 sessions")
    assert status == 200 and body in (b"", b"{}")
    run = running.store.checklist_runs.get(run_id)
    assert run is not None and run.case_ref == "X123456" and run.note == "attended 3 of 4 sessions"
    text = click(running, button(outcome, ids.CHECKLIST_COPY))
    assert text.params["text"].startswith("Case: X123456") and "attended 3 of 4 sessions" in text.params["text"]


def test_post_to_channel_posts_the_outcome_where_the_user_picked(running: Running) -> None:
    outcome = finish_a_checklist(running)
    (block,) = [b for b in outcome.params["blocks"] if b.get("block_id", "").startswith("finished:")]
    payload = p.reminder_button(ids.CHECKLIST_POST, "", url(running), channel=p.CHANNEL)
    action = {"action_id": ids.CHECKLIST_POST, "type": "conversations_select", "selected_conversation": "C0TEAM"}
    payload["actions"] = [{**action, "block_id": block["block_id"], "action_ts": "1700000600.000003"}]
    post_signed(running.url, *p.interactive_body(payload))
    (posted,) = running.fake.calls_to("chat.postMessage")
    validate_blocks(posted.blocks)
    assert posted.params["channel"] == "C0TEAM" and "Your answers" in visible_text(posted.blocks)
    assert not [b for b in posted.blocks if b["type"] == "actions"]  # no buttons in the channel's copy
    assert "Posted to <#C0TEAM>" in responses(running)[-1].params["text"]
