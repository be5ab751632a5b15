"""Whole conversations through the running HTTP app: signed requests in, Web API calls out to FakeSlack."""

from __future__ import annotations

import json
import threading

from handlers import ids
from handlers.blocks import decode_value
from tests.fakeslack import payloads as p
from tests.fakeslack.blockkit import validate_blocks, visible_text
from tests.fakeslack.signing import post, post_signed, signed_headers
from tests.fakeslack.webapi import BOT_ID, BOT_USER_ID, Call
from tests.handlers.conftest import Running, responses


def send_event(app: Running, event: dict, event_id: str | None = None, **headers: str) -> int:
    status, _ = post_signed(app.url, *p.json_body(p.envelope(event, event_id)), **headers)
    return status


def posts(app: Running) -> list[Call]:
    calls = app.fake.calls_to("chat.postMessage")
    for call in calls:
        validate_blocks(call.blocks)
    return calls


def buttons(call: Call) -> dict[str, dict]:
    return {e["action_id"]: e for b in call.blocks if b["type"] == "actions" for e in b["elements"]}


def test_mention_is_answered_in_the_thread_with_a_cited_passage(running: Running) -> None:
    event = p.mention("how many sessions is BBR?")
    assert send_event(running, event) == 200
    (answer,) = posts(running)
    assert answer.params["channel"] == p.CHANNEL and answer.params["thread_ts"] == event["ts"]
    assert answer.blocks[0]["block_id"] == "passage_0" and answer.blocks[0]["text"]["text"].startswith("> ")
    assert answer.blocks[1]["elements"][0]["text"].startswith("Source: *")
    assert set(buttons(answer)) >= {ids.HELPFUL, ids.NOT_HELPFUL, ids.ASK_TREATMENT_MANAGER}
    assert ids.SHARE_IN_CHANNEL not in buttons(answer)
    assert running.engine.calls == [("how many sessions is BBR?", 5, None)]
    assert answer.headers["Authorization"] == "Bearer xoxb-test-token"


def test_follow_up_in_a_thread_uses_the_earlier_question(running: Running) -> None:
    root = p.mention("how many sessions is BBR?")
    running.fake.threads[(p.CHANNEL, root["ts"])] = [
        {"type": "message", "user": p.USER, "text": root["text"], "ts": root["ts"]},
        {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": "BBR has…", "ts": "1700000001.1"},
    ]
    assert send_event(running, p.message("and for Kaizen?", thread_ts=root["ts"])) == 200
    (answer,) = posts(running)
    assert answer.params["thread_ts"] == root["ts"]
    assert running.engine.calls == [("and for Kaizen?", 5, "how many sessions is BBR?")]


def test_thread_the_bot_is_not_in_is_left_alone(running: Running) -> None:
    root_ts = p.next_ts()
    running.fake.threads[(p.CHANNEL, root_ts)] = [{"type": "message", "user": "U9", "text": "x", "ts": root_ts}]
    assert send_event(running, p.message("and for Kaizen?", thread_ts=root_ts)) == 200
    assert send_event(running, p.message("a channel message not for the bot")) == 200
    assert posts(running) == [] and running.engine.calls == []


def test_dm_is_answered_in_the_dm(running: Running) -> None:
    assert send_event(running, p.message("who can refer to Up2U?", channel=p.DM, channel_type="im")) == 200
    (answer,) = posts(running)
    assert answer.params["channel"] == p.DM and "thread_ts" not in answer.params
    assert running.engine.calls[0][0] == "who can refer to Up2U?"


def test_dm_help_lists_what_the_bot_does(running: Running) -> None:
    send_event(running, p.message("help", channel=p.DM, channel_type="im"))
    (answer,) = posts(running)
    assert answer.blocks[0]["type"] == "header" and "Follow-up questions" in visible_text(answer.blocks)
    assert running.engine.calls == []


def test_guide_is_ephemeral_via_response_url_with_a_share_button(running: Running) -> None:
    status, body = post_signed(
        running.url, *p.form_body(p.command("what happens in the gap week?", f"{running.fake.url}/respond/1"))
    )
    assert status == 200 and body == b""
    (reply,) = responses(running)
    assert reply.params["response_type"] == "ephemeral"
    assert ids.SHARE_IN_CHANNEL in buttons(reply)
    assert posts(running) == []


def test_guide_help_and_bare_guide_show_help(running: Running) -> None:
    for text in ("help", ""):
        post_signed(running.url, *p.form_body(p.command(text, f"{running.fake.url}/respond/h")))
    replies = responses(running)
    assert len(replies) == 2 and all(r.blocks[0]["type"] == "header" for r in replies)
    assert running.engine.calls == []


def test_message_shortcut_answers_the_asker_about_that_message(running: Running) -> None:
    shortcut = p.message_shortcut("Is he suitable for Kaizen?", f"{running.fake.url}/respond/s", ids.ASK_ABOUT_MESSAGE)
    status, _ = post_signed(running.url, *p.interactive_body(shortcut))
    assert status == 200
    (reply,) = responses(running)
    assert reply.params["response_type"] == "ephemeral" and reply.blocks[0]["block_id"] == "passage_0"
    assert running.engine.calls[0][0] == "Is he suitable for Kaizen?"


def click(app: Running, call: Call, action_id: str, *, ephemeral: bool = False) -> None:
    value = buttons(call)[action_id]["value"]
    payload = p.block_action(action_id, value, f"{app.fake.url}/respond/b", ephemeral=ephemeral)
    status, _ = post_signed(app.url, *p.interactive_body(payload))
    assert status == 200


def test_more_results_replaces_the_same_message_with_more_passages(running: Running) -> None:
    send_event(running, p.mention("how many sessions is BBR?"))
    (answer,) = posts(running)
    click(running, answer, ids.MORE_RESULTS)
    (replaced,) = responses(running)
    assert replaced.params["replace_original"] is True
    passages = [b for b in replaced.blocks if b.get("block_id", "").startswith("passage_")]
    assert len(passages) == 4
    assert running.engine.calls[-1] == ("how many sessions is BBR?", 5, None)
    assert posts(running) == [answer]


def test_votes_are_recorded_without_the_question_by_default(running: Running) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from guidebot.store.models import Feedback

    send_event(running, p.mention("how many sessions is BBR?"))
    (answer,) = posts(running)
    answer_id = decode_value(buttons(answer)[ids.HELPFUL]["value"])["a"]
    click(running, answer, ids.HELPFUL)
    click(running, answer, ids.NOT_HELPFUL)
    with Session(running.store.engine) as session:
        rows = session.scalars(select(Feedback).where(Feedback.answer_id == answer_id)).all()
    assert sorted(r.vote for r in rows) == ["helpful", "not_helpful"]
    assert all(r.question is None and r.doc_ids for r in rows)
    assert "Thanks" in responses(running)[0].params["text"]


def test_votes_keep_the_question_when_log_questions_is_on(start) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from guidebot.store.models import Feedback

    app = start(log_questions=True)
    send_event(app, p.mention("how many sessions is BBR?"))
    (answer,) = posts(app)
    click(app, answer, ids.HELPFUL)
    answer_id = decode_value(buttons(answer)[ids.HELPFUL]["value"])["a"]
    with Session(app.store.engine) as session:
        (row,) = session.scalars(select(Feedback).where(Feedback.answer_id == answer_id)).all()
    assert row.question == "how many sessions is BBR?"


def test_ask_a_treatment_manager_posts_to_the_escalation_channel(running: Running) -> None:
    send_event(running, p.mention("can a man with a learning disability do Kaizen?"))
    (answer,) = posts(running)
    click(running, answer, ids.ASK_TREATMENT_MANAGER)
    escalation = posts(running)[1]
    assert escalation.params["channel"] == "CTMS"
    assert f"<@{p.USER}>" in escalation.params["text"] and "learning disability" in escalation.params["text"]
    assert "<#CTMS>" in responses(running)[0].params["text"]


def test_no_treatment_manager_button_without_an_escalation_channel(start) -> None:  # type: ignore[no-untyped-def]
    app = start(escalation_channel=None)
    send_event(app, p.mention("how many sessions is BBR?"))
    assert ids.ASK_TREATMENT_MANAGER not in buttons(posts(app)[0])


def test_share_in_channel_posts_for_everyone_and_removes_the_private_copy(running: Running) -> None:
    post_signed(running.url, *p.form_body(p.command("how many sessions is BBR?", f"{running.fake.url}/respond/1")))
    (private,) = responses(running)
    click(running, private, ids.SHARE_IN_CHANNEL, ephemeral=True)
    (shared,) = posts(running)
    assert shared.params["channel"] == p.CHANNEL and f"<@{p.USER}> shared" in visible_text(shared.blocks)
    assert responses(running)[-1].params == {"response_type": "ephemeral", "delete_original": True}


def test_share_where_the_bot_is_not_a_member_says_so(running: Running) -> None:
    running.fake.queue("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    post_signed(running.url, *p.form_body(p.command("how many sessions is BBR?", f"{running.fake.url}/respond/1")))
    click(running, responses(running)[0], ids.SHARE_IN_CHANNEL, ephemeral=True)
    notice = responses(running)[-1].params["text"]
    assert "not_in_channel" in notice and "/invite" in notice


def test_urgent_question_puts_escalation_first(running: Running) -> None:
    send_event(running, p.mention("he said he will kill her tonight, what do I do?"))
    (answer,) = posts(running)
    assert answer.blocks[0]["block_id"] == "escalation"
    assert "999" in answer.blocks[0]["text"]["text"] or "police" in answer.blocks[0]["text"]["text"].lower()


def test_bad_signature_and_stale_timestamp_are_refused(running: Running) -> None:
    body, kind = p.json_body(p.envelope(p.mention("how many sessions is BBR?")))
    wrong = {**signed_headers(body), "X-Slack-Signature": "v0=" + "0" * 64}
    stale = signed_headers(body, timestamp=int(signed_headers(body)["X-Slack-Request-Timestamp"]) - 301)
    assert post(running.url, body, kind, wrong)[0] == 401
    assert post(running.url, body, kind, stale)[0] == 401
    assert post(running.url, body, kind, {})[0] == 401
    assert running.fake.calls == [] and running.engine.calls == []


def test_slack_retries_of_one_event_are_answered_once(running: Running) -> None:
    event = p.mention("how many sessions is BBR?")
    assert send_event(running, event, "EvRETRY1") == 200
    for attempt in ("1", "2", "3"):
        assert (
            send_event(running, event, "EvRETRY1", X_Slack_Retry_Num=attempt, X_Slack_Retry_Reason="http_timeout")
            == 200
        )
    assert len(posts(running)) == 1


def test_app_mention_and_message_for_one_post_get_one_answer(running: Running) -> None:
    event = p.mention("how many sessions is BBR?")
    as_message = {**event, "type": "message", "channel_type": "channel"}
    send_event(running, event)
    send_event(running, as_message)
    assert len(posts(running)) == 1


def test_messages_from_bots_are_ignored(running: Running) -> None:
    send_event(running, p.bot_message(f"<@{BOT_USER_ID}> how many sessions is BBR?"))
    send_event(
        running,
        p.message("how many sessions is BBR?", channel=p.DM, channel_type="im", user=BOT_USER_ID, bot_id=BOT_ID),
    )
    send_event(running, p.message("hi", channel=p.DM, channel_type="im", bot_id="BOTHER", user="UOTHER"))
    assert posts(running) == [] and running.engine.calls == []


def test_rate_limited_post_is_retried_and_the_answer_arrives(running: Running) -> None:
    running.fake.queue(
        "chat.postMessage", status=429, body={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "0"}
    )
    send_event(running, p.mention("how many sessions is BBR?"))
    first, second = posts(running)
    assert first.params == second.params and second.blocks[0]["block_id"] == "passage_0"


def test_slack_error_is_shown_to_the_asker_and_logged_without_text(running: Running, caplog) -> None:  # type: ignore[no-untyped-def]
    running.fake.queue("chat.postMessage", body={"ok": False, "error": "msg_too_long"})
    send_event(running, p.mention("how many sessions is BBR? canary-3f9a"))
    (notice,) = running.fake.calls_to("chat.postEphemeral")
    assert notice.params["user"] == p.USER and "msg_too_long" in notice.params["text"]
    assert "chat.postMessage failed (msg_too_long)" in caplog.text
    assert "canary-3f9a" not in caplog.text


INJECTIONS = "<!channel> <!here> <!everyone> <@U0BOSS> <#C1> <https://evil.example|click> *bold* & _it_"


def test_mention_injection_never_arrives_live(running: Running) -> None:
    send_event(running, p.mention(f"how many sessions is BBR? {INJECTIONS}"))
    send_event(running, p.mention(INJECTIONS))
    post_signed(running.url, *p.form_body(p.command(INJECTIONS, f"{running.fake.url}/respond/1")))
    first = posts(running)[0]
    click(running, first, ids.ASK_TREATMENT_MANAGER)
    shortcut = p.message_shortcut(f"Kaizen {INJECTIONS}", f"{running.fake.url}/respond/s", ids.ASK_ABOUT_MESSAGE)
    post_signed(running.url, *p.interactive_body(shortcut))
    sent = [c for c in running.fake.calls if c.method in ("chat.postMessage", "respond", "chat.postEphemeral")]
    assert len(sent) >= 5
    for call in sent:
        shown = call.params.get("text", "") + visible_text(call.blocks)
        for token in ("<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>", "<#C1>", "<https://evil", "*bold*"):
            assert token not in shown


def test_awkward_input_gets_a_polite_reply(running: Running) -> None:
    for text in ("x" * 40_000, "", ":smile: :+1: 😀🙈"):
        send_event(running, p.mention(text))
    body = (
        b"command=%2Fguide&text=%FF%FEgap+week&response_url="
        + f"{running.fake.url}/respond/u".encode()
        + (b"&user_id=U123ABC&channel_id=C111&team_id=T111&trigger_id=1.2")
    )
    assert post_signed(running.url, body, "application/x-www-form-urlencoded")[0] == 200
    replies = [c.params["text"] for c in posts(running)] + [c.params["text"] for c in responses(running)]
    assert len(replies) == 4
    assert "40,000 characters" in replies[0]
    assert "Ask me a question" in replies[1]
    assert "need some words" in replies[2]
    assert "didn't come through" in replies[3]
    assert running.engine.calls == []


def test_health_check(running: Running) -> None:
    import http.client

    connection = http.client.HTTPConnection(running.url.removeprefix("http://"), timeout=5)
    connection.request("GET", "/healthz")
    assert connection.getresponse().status == 200


def test_ack_returns_before_the_search_finishes(start) -> None:  # type: ignore[no-untyped-def]
    app = start(sync=False)
    app.engine.gate = threading.Event()
    try:
        status, _ = post_signed(
            app.url, *p.form_body(p.command("how many sessions is BBR?", f"{app.fake.url}/respond/g"))
        )
        assert status == 200
        assert app.fake.calls_to("respond") == []
    finally:
        app.engine.gate.set()
    (reply,) = app.fake.wait_for("respond")
    assert json.dumps(reply.params["blocks"]).count("passage_0") == 1
