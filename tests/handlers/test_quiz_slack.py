"""The quiz in Slack through the running app: a solo round in a DM, and a group round a facilitator runs in a
channel (answers changeable until the reveal, only the facilitator reveals, moves on or stops, racing clicks)."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from handlers import quiz
from tests.fakeslack import payloads as p
from tests.fakeslack.blockkit import validate_blocks, visible_text
from tests.fakeslack.signing import post_signed
from tests.fakeslack.webapi import Call
from tests.handlers.conftest import Running, responses

FACILITATOR, ANA, BEN, CAL = "UFACIL01", "UANA0001", "UBEN0001", "UCAL0001"


def url(app: Running) -> str:
    return f"{app.fake.url}/respond/{uuid.uuid4().hex}"


def command(app: Running, text: str, user: str = p.USER, channel: str = p.CHANNEL) -> None:
    post_signed(app.url, *p.form_body(p.command_by(text, url(app), user=user, channel=channel)))


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    validate_blocks(message.get("blocks") or [])
    return {
        e["action_id"] + ":" + e["value"]: e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    }


def button(message: dict[str, Any], action_id: str, choice: int | None = None) -> dict[str, Any]:
    for element in buttons(message).values():
        if element["action_id"] == action_id and (choice is None or json.loads(element["value"]).get("c") == choice):
            return element
    raise AssertionError(f"no {action_id} button in {visible_text(message.get('blocks') or [])}")


def click(app: Running, element: dict[str, Any], user: str, channel: str = p.CHANNEL) -> Call:
    payload = p.reminder_button(element["action_id"], element["value"], url(app), user=user, channel=channel)
    post_signed(app.url, *p.interactive_body(payload))
    return responses(app)[-1]


def posts(app: Running, channel: str) -> list[Call]:
    return [c for c in app.fake.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def catch_up(app: Running) -> list[Call]:
    """Let the view refresher run once more than its one-a-second gap allows, then everything be sent."""
    app.settle()
    quiz_service_refresh(app, datetime.now(UTC) + timedelta(seconds=2))
    app.settle()
    quiz_service_refresh(app, datetime.now(UTC) + timedelta(seconds=4))
    app.settle()
    updates = app.fake.calls_to("chat.update")
    for call in updates:
        validate_blocks(call.params.get("blocks") or [])
    return updates


def quiz_service_refresh(app: Running, now: datetime) -> int:
    services = app.worker.often.args[0]  # type: ignore[union-attr]
    return quiz.refresh_views(services, now)


def right_choice(app: Running, round_id: str, position: int) -> int:
    services = app.worker.often.args[0]  # type: ignore[union-attr]
    round_ = app.store.quiz_rounds.get(round_id)
    assert round_ is not None
    question = next(q for q in services.library.learning.quiz if q.id == round_.questions[position])
    return question.right


def start_group(app: Running) -> tuple[dict[str, Any], str]:
    command(app, "quiz here", user=FACILITATOR)
    (post,) = posts(app, p.CHANNEL)
    round_id = json.loads(button(post.params, quiz.REVEAL)["value"])["r"]
    return post.params, round_id


def test_a_solo_quiz_asks_ten_questions_in_a_dm_then_scores_them(running: Running) -> None:
    command(running, "quiz")
    (first,) = posts(running, p.USER)
    assert "I've sent you ten questions" in visible_text(responses(running)[-1].params["blocks"])
    message = first.params
    for n in range(10):
        assert f"question {n + 1} of 10" in visible_text(message["blocks"])
        reply = click(running, button(message, quiz.ANSWER_IDS[0]), p.USER, channel=p.USER)
        assert reply.params["replace_original"] is True
        message = reply.params
    text = visible_text(message["blocks"])
    assert "Your score:" in text and "/10" in text and "Right:" in text
    # an old question's button changes nothing and says so
    stale = click(running, button(first.params, quiz.ANSWER_IDS[1]), p.USER, channel=p.USER)
    assert "already answered" in visible_text(stale.params["blocks"])
    assert (
        len(running.store.quiz_rounds.answers(json.loads(button(first.params, quiz.ANSWER_IDS[0])["value"])["r"])) == 10
    )


def test_group_answers_count_once_per_person_and_change_until_the_reveal(running: Running) -> None:
    message, round_id = start_group(running)
    assert "only you can reveal" in visible_text(responses(running)[-1].params["blocks"])
    click(running, button(message, quiz.ANSWER_IDS[0]), ANA)
    click(running, button(message, quiz.ANSWER_IDS[1]), BEN)
    changed = click(running, button(message, quiz.ANSWER_IDS[1]), ANA)
    assert "changed your answer to *B*" in visible_text(changed.params["blocks"])
    assert running.store.quiz_rounds.answers(round_id) == [(0, ANA, 1), (0, BEN, 1)]
    updates = catch_up(running)
    assert updates and "2 answered" in visible_text(updates[-1].params["blocks"])
    assert updates[-1].params["ts"] == running.fake.posted(p.CHANNEL)[0]["ts"]


def test_only_the_facilitator_reveals_and_late_answers_are_refused(running: Running) -> None:
    message, round_id = start_group(running)
    right = right_choice(running, round_id, 0)
    click(running, button(message, quiz.ANSWER_IDS[right]), ANA)
    refused = click(running, button(message, quiz.REVEAL), BEN)
    assert "Only the facilitator" in visible_text(refused.params["blocks"])
    assert running.store.quiz_rounds.get(round_id).state == "asking"  # type: ignore[union-attr]
    click(running, button(message, quiz.REVEAL), FACILITATOR)
    late = click(running, button(message, quiz.ANSWER_IDS[0]), CAL)
    assert "Too late" in visible_text(late.params["blocks"])
    revealed = catch_up(running)[-1].params
    assert ":white_check_mark:" in visible_text(revealed["blocks"]) and "Answer:" in visible_text(revealed["blocks"])
    assert {e["action_id"] for e in buttons(revealed).values()} == {quiz.NEXT, quiz.STOP}
    assert running.store.quiz_rounds.answers(round_id) == [(0, ANA, right)]


def test_two_clicks_on_next_at_once_move_on_once(running: Running) -> None:
    message, round_id = start_group(running)
    click(running, button(message, quiz.REVEAL), FACILITATOR)
    revealed = catch_up(running)[-1].params
    nxt = button(revealed, quiz.NEXT)
    threads = [threading.Thread(target=click, args=(running, nxt, FACILITATOR)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    running.settle()
    assert len(posts(running, p.CHANNEL)) == 2  # question 1, then question 2 once
    assert running.store.quiz_rounds.get(round_id).position == 1  # type: ignore[union-attr]
    assert any("already moved on" in visible_text(c.params.get("blocks") or []) for c in responses(running))
    # the first question's message loses its buttons once the round has moved on
    final = catch_up(running)
    closed = [c for c in final if "question 1 of" in visible_text(c.params["blocks"])][-1]
    assert buttons(closed.params) == {}


def test_stop_posts_the_leaderboard_and_ends_the_round(running: Running) -> None:
    message, round_id = start_group(running)
    right = right_choice(running, round_id, 0)
    click(running, button(message, quiz.ANSWER_IDS[right]), ANA)
    click(running, button(message, quiz.ANSWER_IDS[(right + 1) % 3]), BEN)
    click(running, button(message, quiz.REVEAL), FACILITATOR)
    assert "Only the facilitator" in visible_text(click(running, button(message, quiz.STOP), ANA).params["blocks"])
    click(running, button(message, quiz.STOP), FACILITATOR)
    results = posts(running, p.CHANNEL)[-1].params
    text = visible_text(results["blocks"])
    assert "Quiz stopped" in text and f"1. <@{ANA}>: 1/10" in text and f"2. <@{BEN}>: 0/10" in text
    assert running.store.quiz_rounds.get(round_id).state == "stopped"  # type: ignore[union-attr]


def test_the_refresher_sends_one_update_at_a_time_at_most_once_a_second(running: Running) -> None:
    services = running.worker.often.args[0]  # type: ignore[union-attr]
    running.worker.often = None  # driven by hand below, with explicit clocks
    message, round_id = start_group(running)
    rounds = running.store.quiz_rounds
    t0 = datetime.now(UTC)
    click(running, button(message, quiz.ANSWER_IDS[0]), ANA)
    assert quiz.refresh_views(services, t0) == 1
    running.settle()
    rounds.answer(round_id, 0, BEN, 1)
    assert quiz.refresh_views(services, t0 + timedelta(seconds=0.5)) == 0  # within the second: wait
    assert quiz.refresh_views(services, t0 + timedelta(seconds=1.5)) == 1
    rounds.answer(round_id, 0, CAL, 2)
    assert quiz.refresh_views(services, t0 + timedelta(seconds=3)) == 0  # the last update not sent yet: wait
    running.settle()
    assert quiz.refresh_views(services, t0 + timedelta(seconds=3)) == 1
    assert quiz.refresh_views(services, t0 + timedelta(seconds=5)) == 0  # nothing new to show
    running.settle()
    updates = running.fake.calls_to("chat.update")
    assert len(updates) == 3 and "3 answered" in visible_text(updates[-1].params["blocks"])


def test_a_group_round_in_a_channel_without_the_bot_tells_the_facilitator_to_invite_it(running: Running) -> None:
    running.fake.queue("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    command(running, "quiz here", user=FACILITATOR)
    running.settle()
    told = [
        visible_text(c.params.get("blocks") or []) + c.params.get("text", "") for c in running.fake.calls_to("respond")
    ]
    assert any("not_in_channel" in t and "/invite @guidebot" in t for t in told), told
