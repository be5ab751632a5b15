"""The quiz in Slack: `/guide quiz` (ten questions in a DM, the score and explanations at the end) and
`/guide quiz here` (a facilitator runs a round in a channel: everyone answers with buttons, one answer each,
changeable until the facilitator reveals it; a leaderboard at the end).

A click is stored and answered by the worker like every request; the round lives in the database
(guidebot/store/quiz_rounds.py). The channel message of a group round is brought up to date by `refresh_views`,
a quick periodic job of the worker: one update in flight per round and at most one a second (Slack's rate for
chat.update), drawn from the database when it is sent, so the last answer and the reveal always show.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from guidebot.delivery import NOTICE_DEADLINE, Outgoing, enqueue
from guidebot.learn.content import Library, QuizQuestion
from guidebot.learn.quiz import LETTERS, item, leaderboard, pick, score
from guidebot.learn.results import QuizItem
from guidebot.store.quiz_rounds import Answered, RoundRow
from handlers.blocks import Block, button_element, context_block, decode_value, fit, render_notice, section_block
from handlers.command import Subcommand
from handlers.escape import mrkdwn
from handlers.jobs import accept, action_listener, respond, response_url_from, str_or_none
from handlers.services import Services

log = logging.getLogger(__name__)

ANSWER = "quiz_answer"
ANSWER_IDS = tuple(f"{ANSWER}_{n}" for n in range(len(LETTERS)))
REVEAL, NEXT, STOP = "quiz_reveal", "quiz_next", "quiz_stop"
VIEW_GAP = timedelta(seconds=1)
LEADERS_SHOWN = 10
FACILITATOR_ONLY = "Only the facilitator ({who}) can reveal the answer, move on or stop the quiz."


# -- rendering ------------------------------------------------------------------------------------------


def _choices(quiz_item: QuizItem, counts: dict[int, int] | None = None, revealed: bool = False) -> str:
    lines = []
    for n, choice in enumerate(quiz_item.choices):
        text = f"*{LETTERS[n]}.* {mrkdwn(choice)}"
        if counts is not None:
            chose = counts.get(n, 0)
            text += f" — {chose} {'person' if chose == 1 else 'people'}"
        if revealed and n == quiz_item.right:
            text = f":white_check_mark: {text}"
        lines.append(text)
    return "\n".join(lines)


def _answer_buttons(round_id: str, position: int, quiz_item: QuizItem) -> Block:
    return {
        "type": "actions",
        "block_id": f"quiz_answers:{position}",
        "elements": [
            button_element(LETTERS[n], ANSWER_IDS[n], {"r": round_id, "p": position, "c": n})
            for n in range(len(quiz_item.choices))
        ],
    }


def _explained(quiz_item: QuizItem) -> list[Block]:
    right = f"{LETTERS[quiz_item.right]}. {quiz_item.choices[quiz_item.right]}"
    return [
        section_block(f"*Answer: {mrkdwn(right)}*\n{mrkdwn(quiz_item.explanation)}"),
        context_block(
            f"Source: {mrkdwn(quiz_item.source.label)}: “{mrkdwn(fit(quiz_item.source.citation.quote, 400))}”"
        ),
    ]


def render_group_question(
    round_: RoundRow, quiz_item: QuizItem, counts: dict[int, int], position: int | None = None
) -> dict[str, Any]:
    """A group round's message for one question: asking (buttons, how many answered), revealed (counts, the
    answer, Next / Stop for the facilitator) or closed (the same, without buttons)."""
    position = round_.position if position is None else position
    current = position == round_.position and round_.state in ("asking", "revealed")
    asking = current and round_.state == "asking"
    total = len(round_.questions)
    header = f"*Quiz · question {position + 1} of {total}*\n*{mrkdwn(quiz_item.question)}*"
    blocks: list[Block] = [section_block(header)]
    answered = sum(counts.values())
    if asking:
        blocks.append(section_block(_choices(quiz_item)))
        blocks.append(_answer_buttons(round_.id, position, quiz_item))
        blocks.append(
            context_block(
                f"{answered} answered · one answer each, change it until the answer is revealed · "
                f"run by <@{round_.owner}>"
            )
        )
        controls = [
            button_element("Reveal answer", REVEAL, {"r": round_.id, "p": position}, style="primary"),
            button_element("Stop quiz", STOP, {"r": round_.id, "p": position}, style="danger"),
        ]
    else:
        blocks.append(section_block(_choices(quiz_item, counts, revealed=True)))
        blocks.extend(_explained(quiz_item))
        blocks.append(context_block(f"{answered} answered"))
        last = position + 1 >= total
        controls = (
            [
                button_element(
                    "Show results" if last else "Next question", NEXT, {"r": round_.id, "p": position}, style="primary"
                ),
                button_element("Stop quiz", STOP, {"r": round_.id, "p": position}, style="danger"),
            ]
            if current
            else []
        )
    if controls:
        blocks.append({"type": "actions", "block_id": "quiz_controls", "elements": controls})
    return {"text": f"Quiz question {position + 1} of {total}: {quiz_item.question}", "blocks": blocks}


def render_leaderboard(round_: RoundRow, points: dict[str, int], *, stopped: bool) -> dict[str, Any]:
    standings = leaderboard(points)
    title = "*Quiz stopped*: the scores so far" if stopped else "*Quiz results*"
    lines = [f"{s.rank}. <@{s.user}>: {s.points}/{len(round_.questions)}" for s in standings[:LEADERS_SHOWN]]
    body = "\n".join(lines) if lines else "Nobody answered."
    more = len(standings) - LEADERS_SHOWN
    blocks: list[Block] = [section_block(f"{title} · {len(standings)} took part\n{body}")]
    if more > 0:
        blocks.append(context_block(f"…and {more} more."))
    return {"text": "Quiz results", "blocks": blocks}


def render_solo_question(round_: RoundRow, quiz_item: QuizItem) -> dict[str, Any]:
    total = len(round_.questions)
    blocks: list[Block] = [
        context_block(f"Quiz · question {round_.position + 1} of {total}"),
        section_block(f"*{mrkdwn(quiz_item.question)}*\n{_choices(quiz_item)}"),
        _answer_buttons(round_.id, round_.position, quiz_item),
    ]
    return {"text": f"Quiz question {round_.position + 1} of {total}: {quiz_item.question}", "blocks": blocks}


def render_solo_score(items: list[QuizItem], chosen: dict[str, int]) -> dict[str, Any]:
    result = score(items, chosen)
    blocks: list[Block] = [section_block(f"*Your score: {result.right}/{result.total}*")]
    for n, scored in enumerate(result.answers, start=1):
        q = scored.item
        mark = ":white_check_mark:" if scored.chosen == q.right else ":x:"
        yours = f"{LETTERS[scored.chosen]}. {q.choices[scored.chosen]}" if scored.chosen is not None else "no answer"
        blocks.append(
            section_block(
                fit(
                    f"{mark} *{n}. {mrkdwn(q.question)}*\nYou: {mrkdwn(yours)} · Right: "
                    f"{mrkdwn(LETTERS[q.right] + '. ' + q.choices[q.right])}\n{mrkdwn(q.explanation)}\n"
                    f"_{mrkdwn(q.source.label)}_",
                    2900,
                )
            )
        )
    blocks.append(context_block("Another round: `/guide quiz`. Run one for a group: `/guide quiz here`."))
    return {"text": f"Your quiz score: {result.right}/{result.total}", "blocks": blocks[:50]}


# -- requests ------------------------------------------------------------------------------------------


def _library(services: Services) -> Library | None:
    library = services.library
    return library if library is not None and library.learning.quiz else None


def _items(services: Services, round_: RoundRow) -> list[QuizItem] | None:
    library = _library(services)
    if library is None:
        return None
    by_id: dict[str, QuizQuestion] = {q.id: q for q in library.learning.quiz}
    if any(qid not in by_id for qid in round_.questions):
        return None  # the quiz file changed under a running round
    return [item(by_id[qid], library.sources) for qid in round_.questions]


def _notice(job: dict[str, Any], text: str, *, replace: bool = False) -> list[Outgoing]:
    return [respond(job.get("response_url"), {**render_notice(text).as_kwargs(), "replace_original": replace})]


def start_from_command(
    services: Services, ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """`/guide quiz` or `/guide quiz here`: stored, then started by the worker."""
    words = str(command.get("text") or "").lower().split()
    job = {
        "user": str_or_none(command.get("user_id")),
        "channel": str_or_none(command.get("channel_id")),
        "response_url": response_url_from(command.get("response_url"), services.settings),
        "here": words[1:] == ["here"],
    }
    accept(services, "quiz_command", job, context)
    ack()


def answer_command(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    library = _library(services)
    user, channel = job.get("user") or "", job.get("channel") or ""
    if library is None:
        return _notice(
            job, "The quiz is unavailable: knowledge/quiz.yaml did not load. Ask whoever looks after guidebot."
        )
    ids = pick(library.learning.quiz)
    in_dm = channel.startswith("D")
    if job.get("here") and channel and not in_dm:
        round_ = services.store.quiz_rounds.start("group", channel, user, ids)
        items = _items(services, round_) or []
        failure = respond(
            job.get("response_url"),
            {"text": "I couldn't post the quiz in this channel ({error}). Invite me first: `/invite @guidebot`."},
        )
        post = Outgoing(
            method="post",
            channel=channel,
            message=render_group_question(round_, items[0], {}),
            key=f"quiz:{round_.id}:0:post",
            on_failure=failure,
        )
        return [
            post,
            *_notice(job, "You're the facilitator: only you can reveal each answer, move on or stop the quiz."),
        ]
    round_ = services.store.quiz_rounds.start("solo", channel if in_dm else user, user, ids)
    items = _items(services, round_) or []
    replies = [Outgoing(method="post", channel=round_.channel, message=render_solo_question(round_, items[0]))]
    if not in_dm:
        replies += _notice(job, "I've sent you ten questions in our DM. For a group round here: `/guide quiz here`.")
    return replies


def _clicked(services: Services, job: dict[str, Any]) -> tuple[RoundRow, list[QuizItem], dict[str, Any]] | str:
    data = decode_value(job.get("value"))
    round_ = services.store.quiz_rounds.get(str(data.get("r") or ""))
    if round_ is None:
        return "That quiz has ended. Start another with `/guide quiz`."
    items = _items(services, round_)
    if items is None:
        return "That quiz is no longer available (its questions changed). Start another with `/guide quiz`."
    return round_, items, data


def answer_click(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """A choice button: a solo round moves on; a group round records (or changes) the answer until the reveal."""
    found = _clicked(services, job)
    if isinstance(found, str):
        return _notice(job, found)
    round_, items, data = found
    position, choice, user = int(data.get("p", -1)), int(data.get("c", -1)), job.get("user") or ""
    if not 0 <= position < len(items) or not 0 <= choice < len(items[position].choices):
        return _notice(job, "That button doesn't belong to this quiz.")
    if round_.mode == "solo":
        return _solo_answer(services, job, round_, items, position, choice)
    outcome = services.store.quiz_rounds.answer(round_.id, position, user, choice)
    if outcome is Answered.closed:
        return _notice(job, "Too late for that one: the answer has been revealed.")
    services.wake()  # the refresher updates the count on the question message
    verb = {"recorded": "You answered", "changed": "You changed your answer to", "unchanged": "You answered"}[outcome]
    return _notice(job, f"{verb} *{LETTERS[choice]}*. You can change it until the answer is revealed.")


def _solo_answer(
    services: Services, job: dict[str, Any], round_: RoundRow, items: list[QuizItem], position: int, choice: int
) -> list[Outgoing]:
    if job.get("user") != round_.owner:
        return _notice(job, "This quiz is someone else's; start your own with `/guide quiz`.")
    if not services.store.quiz_rounds.answer_and_move_on(round_.id, position, round_.owner, choice):
        return _notice(job, "That question was already answered; the quiz has moved on.")
    now = services.store.quiz_rounds.get(round_.id) or round_
    if now.state == "finished":
        chosen = {items[p].id: c for p, _, c in services.store.quiz_rounds.answers(round_.id)}
        message = render_solo_score(items, chosen)
    else:
        message = render_solo_question(now, items[now.position])
    return [respond(job.get("response_url"), {**message, "replace_original": True})]


def _facilitator_click(
    services: Services, job: dict[str, Any]
) -> tuple[RoundRow, list[QuizItem], int] | list[Outgoing]:
    """The round and question a facilitator's button is about, or the private line saying why nothing happens."""
    found = _clicked(services, job)
    if isinstance(found, str):
        return _notice(job, found)
    round_, items, data = found
    if job.get("user") != round_.owner:
        return _notice(job, FACILITATOR_ONLY.format(who=f"<@{round_.owner}>"))
    return round_, items, int(data.get("p", -1))


def reveal_click(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    found = _facilitator_click(services, job)
    if isinstance(found, list):
        return found
    round_, _, position = found
    if not services.store.quiz_rounds.reveal(round_.id, position):
        return _notice(job, "That answer is already revealed.")
    services.wake()
    return []


def _points(services: Services, round_: RoundRow, items: list[QuizItem]) -> dict[str, int]:
    points: Counter[str] = Counter()
    for position, user, choice in services.store.quiz_rounds.answers(round_.id):
        points[user] += int(choice == items[position].right)
    return dict(points)


def _results(services: Services, round_: RoundRow, items: list[QuizItem], *, stopped: bool) -> Outgoing:
    message = render_leaderboard(round_, _points(services, round_, items), stopped=stopped)
    return Outgoing(method="post", channel=round_.channel, message=message, key=f"quiz:{round_.id}:results")


def next_click(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    found = _facilitator_click(services, job)
    if isinstance(found, list):
        return found
    round_, items, position = found
    moved = services.store.quiz_rounds.advance(round_.id, position)
    if moved is None:
        return _notice(job, "The quiz has already moved on.")
    services.wake()
    now = services.store.quiz_rounds.get(round_.id) or round_
    if moved == "finished":
        return [_results(services, now, items, stopped=False)]
    post = Outgoing(
        method="post",
        channel=now.channel,
        message=render_group_question(now, items[now.position], {}),
        key=f"quiz:{now.id}:{now.position}:post",
    )
    return [post]


def stop_click(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    found = _facilitator_click(services, job)
    if isinstance(found, list):
        return found
    round_, items, position = found
    if not services.store.quiz_rounds.stop(round_.id, position):
        return _notice(job, "The quiz has already moved on or ended.")
    services.wake()
    return [_results(services, round_, items, stopped=True)]


# -- the message refresher ----------------------------------------------------------------------------


def refresh_views(services: Services, now: datetime | None = None) -> int:
    """Queue an update for each group round whose channel message is behind; how many were queued."""
    now = now or datetime.now(UTC)
    store = services.store
    queued = 0
    for round_ in store.quiz_rounds.stale_views(now, VIEW_GAP):
        if round_.view_seq:
            last = store.outbox.state_of(f"quiz:{round_.id}:view:{round_.view_seq}")
            if last is not None and last[0] in ("pending", "sending"):
                continue  # one update in flight per round: a later one must not overtake it
        items = _items(services, round_)
        target = round_.view_position
        post = store.outbox.state_of(f"quiz:{round_.id}:{target}:post")
        if post is None or (post[0] != "failed" and not post[1]) or items is None:
            continue  # the question is not in Slack yet (or the content changed): try again later
        moving_on = target < round_.position
        shown = round_.shown if moving_on else round_.changes
        view_position = min(target + 1, round_.position) if moving_on else target
        if post[0] != "failed":  # queued before it is recorded: a refresher dying in between queues it again
            message = render_group_question(round_, items[target], store.quiz_rounds.tally(round_.id, target), target)
            update = Outgoing(method="update", channel=round_.channel, ts=post[1], message=message)
            store.outbox.add([enqueue(f"quiz:{round_.id}:view:{round_.view_seq + 1}", update, NOTICE_DEADLINE, now)])
        queued += store.quiz_rounds.shown_view(round_, view_position, shown, now)
    return queued


SUBCOMMAND = Subcommand(lambda w: bool(w) and w[0] == "quiz" and w[1:] in ([], ["here"]), start_from_command)


def register(app: App, services: Services) -> None:
    services.answerers.update(
        {
            "quiz_command": answer_command,
            f"action:{ANSWER}": answer_click,
            f"action:{REVEAL}": reveal_click,
            f"action:{NEXT}": next_click,
            f"action:{STOP}": stop_click,
        }
    )
    # the answer buttons are quiz_answer_0, _1 ... (unique within their block, as Slack wants): one job kind
    app.action(re.compile(rf"^{ANSWER}_\d$"))(action_listener(services, ANSWER))
    app.action(re.compile(rf"^({REVEAL}|{NEXT}|{STOP})$"))(action_listener(services))
