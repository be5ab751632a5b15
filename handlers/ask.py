"""Ask: mentions, DMs, thread follow-ups, /guide, the message shortcut and the answer's buttons.

A listener's ack stores what is needed to answer in the inbox (with the delivery's dedupe claims, one
transaction) and only then acknowledges; nothing is kept in memory. The worker answers from the inbox with
`run`, and every reply goes out through the outbox. Nothing here logs message text.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from guidebot.config import Settings
from guidebot.delivery import Outgoing
from guidebot.help import help_topics
from guidebot.search.models import Answer, Status
from handlers import ids
from handlers.blocks import (
    MAX_PASSAGES,
    MORE_STEP,
    Controls,
    Message,
    decode_value,
    render_answer,
    render_escalation,
    render_help,
    render_notice,
    render_shared,
)
from handlers.blocks import channel as channel_link
from handlers.jobs import accept, action_listener, respond, response_url_from, str_or_none
from handlers.middleware import claim_keys, mentions_bot
from handlers.question import MAX_QUESTION, is_help, problem_with, question_from
from handlers.services import Services

log = logging.getLogger(__name__)

FIRST_TOP = 5
# Slack accepts a response_url for 30 minutes after the request.
RESPONSE_URL_DEADLINE = timedelta(minutes=25)
_ANSWERED_SUBTYPES = {None, "thread_broadcast", "file_share"}
SLACK_HOOKS_HOST = "hooks.slack.com"
SORRY = "Sorry, Slack didn't accept my answer (`{error}`). Please try again in a minute."
APOLOGY = "Sorry, something went wrong while answering you. Please ask again."


def _slack_error(error: SlackApiError) -> str:
    return str(error.response.get("error") or error.response.status_code) if error.response else "unknown"


@dataclass(frozen=True)
class Thread:
    root_question: str | None
    bot_replied: bool


def _thread(client: WebClient, channel: str, thread_ts: str, job: dict[str, Any]) -> Thread:
    """The thread's first question (context for a follow-up) and whether the bot has answered in it."""
    bot_id, bot_user_id = job.get("bot_id"), job.get("bot_user_id")
    try:
        messages = client.conversations_replies(channel=channel, ts=thread_ts, limit=50).get("messages") or []
    except SlackApiError as error:
        log.warning("conversations.replies failed (%s)", _slack_error(error))
        return Thread(None, False)
    bot_replied = any(
        (bot_id and m.get("bot_id") == bot_id) or (bot_user_id and m.get("user") == bot_user_id) for m in messages[1:]
    )
    root = messages[0] if messages else {}
    from_human = not root.get("bot_id") and root.get("user") != bot_user_id
    question = question_from(root.get("text"), bot_user_id) if from_human else ""
    return Thread(question or None, bot_replied)


def _controls(services: Services, context: str | None, *, share: bool) -> Controls:
    settings = services.settings
    return Controls(
        answer_id=uuid.uuid4().hex,
        context=context,
        escalation=bool(settings.escalation_channel),
        share=share,
        question_in_votes=settings.log_questions,
    )


def _ask(services: Services, question: str, *, top: int, context: str | None) -> Answer:
    try:
        return services.engine.ask(question, top=top, context=context)
    except Exception as error:
        log.error("search failed (%s)", type(error).__name__)
        return Answer(
            question=question,
            status=Status.no_answer,
            message="Something went wrong while searching. Please try again with simpler words.",
        )


def reply_for(services: Services, question: str, *, context: str | None, share: bool) -> Message:
    """Help, a polite refusal, or the rendered answer to `question`."""
    if is_help(question):
        return render_help(help_topics())
    problem = problem_with(question)
    if problem:
        return render_notice(problem)
    answer = _ask(services, question, top=FIRST_TOP, context=context)
    return render_answer(answer, _controls(services, context, share=share))


def _post(message: Message, *, channel: str, thread_ts: str | None, user: str | None) -> Outgoing:
    """A post; if Slack refuses it for good, the person who asked is told privately (and only the code logged)."""
    sorry = None
    if user:
        notice = render_notice(SORRY).as_kwargs()
        sorry = Outgoing(method="ephemeral", channel=channel, user=user, thread_ts=thread_ts, message=notice)
    return Outgoing(method="post", channel=channel, thread_ts=thread_ts, message=message.as_kwargs(), on_failure=sorry)


def event_job(event: dict[str, Any], context: BoltContext) -> dict[str, Any] | None:
    """What answering an event needs, or None for one guidebot never answers (a channel post not for it)."""
    channel, ts = str_or_none(event.get("channel")), str_or_none(event.get("ts"))
    if not channel or not ts or event.get("subtype") not in _ANSWERED_SUBTYPES:
        return None
    is_dm = event.get("channel_type") == "im"
    addressed = event.get("type") == "app_mention" or is_dm or mentions_bot(event, context)
    thread_ts = str_or_none(event.get("thread_ts"))
    if not addressed and not (thread_ts and thread_ts != ts):
        return None
    return {
        "channel": channel,
        "ts": ts,
        "thread_ts": thread_ts,
        "text": str_or_none(event.get("text")) or "",
        "user": str_or_none(event.get("user")),
        "is_dm": is_dm,
        "addressed": addressed,
        "bot_id": context.bot_id,
        "bot_user_id": context.bot_user_id,
    }


def answer_event(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """A mention, a DM, or a follow-up in a thread the bot answered in: reply in the thread (or the DM)."""
    channel, ts, thread_ts = job["channel"], job["ts"], job.get("thread_ts")
    follow_up_context = None
    if thread_ts and thread_ts != ts:
        thread = _thread(client, channel, thread_ts, job)
        if not (job.get("addressed") or thread.bot_replied):
            return []
        follow_up_context = thread.root_question
    question = question_from(job.get("text"), job.get("bot_user_id"))
    message = reply_for(services, question, context=follow_up_context, share=False)
    reply_in = thread_ts or (None if job.get("is_dm") else ts)
    return [_post(message, channel=channel, thread_ts=reply_in, user=job.get("user"))]


def command_job(command: dict[str, Any], settings: Settings) -> dict[str, Any]:
    return {
        "text": str_or_none(command.get("text")) or "",
        "response_url": response_url_from(command.get("response_url"), settings),
        "user": str_or_none(command.get("user_id")),
        "channel": str_or_none(command.get("channel_id")),
    }


def answer_command(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """`/guide question` answers only the asker, with a Share button; `/guide` or `/guide help` shows help."""
    question = question_from(job.get("text")) or "help"
    message = reply_for(services, question, context=None, share=True)
    return [respond(job.get("response_url"), message.as_kwargs())]


def shortcut_job(shortcut: dict[str, Any], context: BoltContext, settings: Settings) -> dict[str, Any]:
    message = shortcut.get("message") if isinstance(shortcut.get("message"), dict) else {}
    return {
        "text": str_or_none(message.get("text")) or "",
        "response_url": response_url_from(shortcut.get("response_url"), settings),
        "bot_user_id": context.bot_user_id,
    }


def answer_shortcut(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """ "Ask guidebot about this": the message's text is the question; the answer goes to the asker only."""
    question = question_from(job.get("text"), job.get("bot_user_id"))[:MAX_QUESTION]
    reply = reply_for(services, question, context=None, share=True)
    return [respond(job.get("response_url"), reply.as_kwargs())]


def _query(job: dict[str, Any]) -> tuple[str, str | None, int]:
    data = decode_value(job.get("value"))
    question = data.get("q") if isinstance(data.get("q"), str) else ""
    context = data.get("c") if isinstance(data.get("c"), str) else None
    shown = data.get("n") if isinstance(data.get("n"), int) else 1
    return question, context, max(1, min(shown, MAX_PASSAGES))


def more_results(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Replace the answer with the next passages, in the same message."""
    question, context, shown = _query(job)
    problem = problem_with(question)
    if problem:
        return [respond(job.get("response_url"), render_notice(problem).as_kwargs())]
    show = min(shown + MORE_STEP, MAX_PASSAGES)
    answer = _ask(services, question, top=show + 1, context=context)
    message = render_answer(answer, _controls(services, context, share=bool(job.get("ephemeral"))), shown=show)
    return [respond(job.get("response_url"), {**message.as_kwargs(), "replace_original": True})]


def record_vote(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Helpful / Not helpful: answer id, document ids, vote; the question only if the operator opted in."""
    data = decode_value(job.get("value"))
    answer_id = data.get("a") if isinstance(data.get("a"), str) else ""
    if not answer_id:
        return []
    docs = data.get("d") if isinstance(data.get("d"), list) else []
    doc_ids = [d for d in docs if isinstance(d, str) and "," not in d][:20]
    question = data.get("q") if services.settings.log_questions and isinstance(data.get("q"), str) else None
    vote = "helpful" if job.get("action_id") == ids.HELPFUL else "not_helpful"
    services.store.record_feedback(answer_id[:64], doc_ids, vote, question=question)
    thanks = render_notice("Thanks for the feedback: it helps improve the answers.")
    return [respond(job.get("response_url"), {**thanks.as_kwargs(), "replace_original": False})]


def ask_treatment_manager(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Post the question to the escalation channel, then tell the asker where it went (or why it could not)."""
    target = services.settings.escalation_channel
    url = job.get("response_url")
    if not target:
        notice = render_notice("No treatment managers' channel is configured, so I can't pass this on.")
        return [respond(url, {**notice.as_kwargs(), "replace_original": False})]
    question, _, _ = _query(job)
    message = render_escalation(question, user_id=job.get("user") or "", channel_id=job.get("channel"))
    passed = render_notice(f"I've passed your question to the treatment managers in {channel_link(target)}.")
    failed = render_notice("I couldn't reach the treatment managers' channel (`{error}`).")
    return [
        Outgoing(
            method="post",
            channel=target,
            message=message.as_kwargs(),
            then=respond(url, {**passed.as_kwargs(), "replace_original": False}),
            on_failure=respond(url, {**failed.as_kwargs(), "replace_original": False}),
        )
    ]


def share_in_channel(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Post an ephemeral answer for everyone in the channel, then remove the private copy."""
    question, context, shown = _query(job)
    channel, url = job.get("channel"), job.get("response_url")
    if not channel or problem_with(question):
        return []
    answer = _ask(services, question, top=shown + 1, context=context)
    message = render_shared(
        answer, _controls(services, context, share=False), user_id=job.get("user") or "", shown=shown
    )
    failed = render_notice(
        "I couldn't post in this channel (`{error}`). If I'm not a member, invite me with `/invite @guidebot` "
        "and try again."
    )
    return [
        Outgoing(
            method="post",
            channel=channel,
            message=message.as_kwargs(),
            then=respond(url, {"delete_original": True}),
            on_failure=respond(url, {**failed.as_kwargs(), "replace_original": False}),
        )
    ]


def register(app: App, services: Services) -> None:
    """Attach the Ask listeners (each stores the request, then acks) and the answerers the worker runs."""
    services.answerers.update(
        {
            "event": answer_event,
            "command": answer_command,
            "shortcut": answer_shortcut,
            f"action:{ids.MORE_RESULTS}": more_results,
            f"action:{ids.HELPFUL}": record_vote,
            f"action:{ids.NOT_HELPFUL}": record_vote,
            f"action:{ids.ASK_TREATMENT_MANAGER}": ask_treatment_manager,
            f"action:{ids.SHARE_IN_CHANNEL}": share_in_channel,
        }
    )

    def on_event(ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        job = event_job(event, context)
        if job is not None:
            accept(services, "event", job, context, claim_keys(body, context))
        ack()

    def on_shortcut(ack: Ack, shortcut: dict[str, Any], context: BoltContext) -> None:
        accept(services, "shortcut", shortcut_job(shortcut, context, services.settings), context)
        ack()

    app.event("app_mention")(on_event)
    app.event("message")(on_event)
    app.shortcut(ids.ASK_ABOUT_MESSAGE)(on_shortcut)
    for action_id in (ids.MORE_RESULTS, ids.VOTES, ids.ASK_TREATMENT_MANAGER, ids.SHARE_IN_CHANNEL):
        app.action(action_id)(action_listener(services))


def ask_command(services: Services, command: dict[str, Any], context: BoltContext) -> None:
    """`/guide <question>` (and bare `/guide`): stored for the worker like every request."""
    accept(services, "command", command_job(command, services.settings), context)
