"""Ask: mentions, DMs, thread follow-ups, /guide, the message shortcut and the answer's buttons.

Every listener acknowledges first and searches and posts in a lazy listener, so Slack gets its ack within
3 s whatever the search costs, also under process_before_response. Listeners only parse the payload, call
the engine, render with handlers.blocks and post; nothing here logs message text.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

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
from handlers.escape import escape
from handlers.middleware import mentions_bot
from handlers.question import MAX_QUESTION, is_help, problem_with, question_from
from handlers.services import Services

log = logging.getLogger(__name__)

FIRST_TOP = 5
_ANSWERED_SUBTYPES = {None, "thread_broadcast", "file_share"}


def _ack(ack: Ack) -> None:
    ack()


def _guarded(listener: Callable[..., None]) -> Callable[..., None]:
    """Log a failure by its type only: exception messages from a search or an API call can quote the text."""

    @functools.wraps(listener)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            listener(*args, **kwargs)
        except Exception as error:
            log.error("%s failed (%s)", listener.__name__, type(error).__name__)

    return run


def _slack_error(error: SlackApiError) -> str:
    return str(error.response.get("error") or error.response.status_code) if error.response else "unknown"


@dataclass(frozen=True)
class Thread:
    root_question: str | None
    bot_replied: bool


def _thread(client: WebClient, channel: str, thread_ts: str, context: BoltContext) -> Thread:
    """The thread's first question (context for a follow-up) and whether the bot has answered in it."""
    try:
        messages = client.conversations_replies(channel=channel, ts=thread_ts, limit=50).get("messages") or []
    except SlackApiError as error:
        log.warning("conversations.replies failed (%s)", _slack_error(error))
        return Thread(None, False)
    bot_replied = any(m.get("bot_id") == context.bot_id or m.get("user") == context.bot_user_id for m in messages[1:])
    root = messages[0] if messages else {}
    from_human = not root.get("bot_id") and root.get("user") != context.bot_user_id
    question = question_from(root.get("text"), context.bot_user_id) if from_human else ""
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


def _post(client: WebClient, message: Message, *, channel: str, thread_ts: str | None, user: str | None) -> None:
    """Post `message`; if Slack refuses it, say so briefly to the person who asked, and log only the code."""
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message.as_kwargs())
    except SlackApiError as error:
        code = _slack_error(error)
        log.warning("chat.postMessage failed (%s)", code)
        if not user:
            return
        notice = f"Sorry, Slack didn't accept my answer (`{escape(code)}`). Please try again in a minute."
        try:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=notice)
        except SlackApiError as second:
            log.warning("chat.postEphemeral failed (%s)", _slack_error(second))


def _respond(services: Services, response_url: object, payload: dict[str, Any]) -> None:
    """Send to a payload's response_url (ephemeral unless it says otherwise); log only the status."""
    if not isinstance(response_url, str) or not response_url.startswith(("https://", "http://")):
        log.warning("no response_url in the payload")
        return
    payload = {"response_type": "ephemeral", **payload}
    response = services.webhook(response_url).send_dict(payload)
    if response.status_code != 200:
        log.warning("response_url post failed (HTTP %s)", response.status_code)


def answer_event(services: Services, event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """A mention, a DM, or a follow-up in a thread the bot answered in: reply in the thread (or the DM)."""
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts or event.get("subtype") not in _ANSWERED_SUBTYPES:
        return
    is_dm = event.get("channel_type") == "im"
    addressed = event.get("type") == "app_mention" or is_dm or mentions_bot(event, context)
    thread_ts = event.get("thread_ts")
    follow_up_context = None
    if thread_ts and thread_ts != ts:
        thread = _thread(client, channel, thread_ts, context)
        if not (addressed or thread.bot_replied):
            return
        follow_up_context = thread.root_question
    elif not addressed:
        return
    question = question_from(event.get("text"), context.bot_user_id)
    message = reply_for(services, question, context=follow_up_context, share=False)
    reply_in = thread_ts or (None if is_dm else ts)
    _post(client, message, channel=channel, thread_ts=reply_in, user=event.get("user"))


def answer_command(services: Services, command: dict[str, Any]) -> None:
    """`/guide question` answers only the asker, with a Share button; `/guide` or `/guide help` shows help."""
    question = question_from(command.get("text")) or "help"
    message = reply_for(services, question, context=None, share=True)
    _respond(services, command.get("response_url"), message.as_kwargs())


def answer_shortcut(services: Services, shortcut: dict[str, Any], context: BoltContext) -> None:
    """ "Ask guidebot about this": the message's text is the question; the answer goes to the asker only."""
    message = shortcut.get("message") if isinstance(shortcut.get("message"), dict) else {}
    question = question_from(message.get("text"), context.bot_user_id)[:MAX_QUESTION]
    reply = reply_for(services, question, context=None, share=True)
    _respond(services, shortcut.get("response_url"), reply.as_kwargs())


def _query(action: dict[str, Any]) -> tuple[str, str | None, int]:
    data = decode_value(action.get("value"))
    question = data.get("q") if isinstance(data.get("q"), str) else ""
    context = data.get("c") if isinstance(data.get("c"), str) else None
    shown = data.get("n") if isinstance(data.get("n"), int) else 1
    return question, context, max(1, min(shown, MAX_PASSAGES))


def _is_ephemeral(body: dict[str, Any]) -> bool:
    container = body.get("container")
    return bool(isinstance(container, dict) and container.get("is_ephemeral"))


def more_results(services: Services, body: dict[str, Any], action: dict[str, Any]) -> None:
    """Replace the answer with the next passages, in the same message."""
    question, context, shown = _query(action)
    problem = problem_with(question)
    if problem:
        _respond(services, body.get("response_url"), render_notice(problem).as_kwargs())
        return
    show = min(shown + MORE_STEP, MAX_PASSAGES)
    answer = _ask(services, question, top=show + 1, context=context)
    message = render_answer(answer, _controls(services, context, share=_is_ephemeral(body)), shown=show)
    _respond(services, body.get("response_url"), {**message.as_kwargs(), "replace_original": True})


def record_vote(services: Services, body: dict[str, Any], action: dict[str, Any]) -> None:
    """Helpful / Not helpful: answer id, document ids, vote; the question only if the operator opted in."""
    data = decode_value(action.get("value"))
    answer_id = data.get("a") if isinstance(data.get("a"), str) else ""
    if not answer_id:
        return
    docs = data.get("d") if isinstance(data.get("d"), list) else []
    doc_ids = [d for d in docs if isinstance(d, str) and "," not in d][:20]
    question = data.get("q") if services.settings.log_questions and isinstance(data.get("q"), str) else None
    vote = "helpful" if action.get("action_id") == ids.HELPFUL else "not_helpful"
    services.store.record_feedback(answer_id[:64], doc_ids, vote, question=question)
    thanks = render_notice("Thanks for the feedback: it helps improve the answers.")
    _respond(services, body.get("response_url"), {**thanks.as_kwargs(), "replace_original": False})


def ask_treatment_manager(services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
    """Post the question to the escalation channel and tell the asker where it went."""
    target = services.settings.escalation_channel
    question, _, _ = _query(action)
    user = (body.get("user") or {}).get("id", "")
    where = (body.get("channel") or {}).get("id")
    if not target:
        notice = render_notice("No treatment managers' channel is configured, so I can't pass this on.")
    else:
        try:
            client.chat_postMessage(
                channel=target, **render_escalation(question, user_id=user, channel_id=where).as_kwargs()
            )
            where_to = channel_link(target)
            notice = render_notice(f"I've passed your question to the treatment managers in {where_to}.")
        except SlackApiError as error:
            code = _slack_error(error)
            log.warning("escalation post failed (%s)", code)
            notice = render_notice(f"I couldn't reach the treatment managers' channel (`{escape(code)}`).")
    _respond(services, body.get("response_url"), {**notice.as_kwargs(), "replace_original": False})


def share_in_channel(services: Services, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
    """Post an ephemeral answer for everyone in the channel, then remove the private copy."""
    question, context, shown = _query(action)
    channel = (body.get("channel") or {}).get("id")
    user = (body.get("user") or {}).get("id", "")
    if not channel or problem_with(question):
        return
    answer = _ask(services, question, top=shown + 1, context=context)
    message = render_shared(answer, _controls(services, context, share=False), user_id=user, shown=shown)
    try:
        client.chat_postMessage(channel=channel, **message.as_kwargs())
    except SlackApiError as error:
        code = _slack_error(error)
        log.warning("share failed (%s)", code)
        hint = " Invite me with `/invite @guidebot` and try again." if code == "not_in_channel" else ""
        notice = render_notice(f"I couldn't post in this channel (`{escape(code)}`).{hint}")
        _respond(services, body.get("response_url"), {**notice.as_kwargs(), "replace_original": False})
        return
    _respond(services, body.get("response_url"), {"delete_original": True})


def register(app: App, services: Services) -> None:
    """Attach the Ask listeners to `app`: ack at once, the work in lazy listeners."""

    @_guarded
    def on_event(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        answer_event(services, event, client, context)

    @_guarded
    def on_command(command: dict[str, Any]) -> None:
        answer_command(services, command)

    @_guarded
    def on_shortcut(shortcut: dict[str, Any], context: BoltContext) -> None:
        answer_shortcut(services, shortcut, context)

    @_guarded
    def on_more(body: dict[str, Any], action: dict[str, Any]) -> None:
        more_results(services, body, action)

    @_guarded
    def on_vote(body: dict[str, Any], action: dict[str, Any]) -> None:
        record_vote(services, body, action)

    @_guarded
    def on_escalate(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ask_treatment_manager(services, body, action, client)

    @_guarded
    def on_share(body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        share_in_channel(services, body, action, client)

    app.event("app_mention")(ack=_ack, lazy=[on_event])
    app.event("message")(ack=_ack, lazy=[on_event])
    app.command(ids.COMMAND)(ack=_ack, lazy=[on_command])
    app.shortcut(ids.ASK_ABOUT_MESSAGE)(ack=_ack, lazy=[on_shortcut])
    app.action(ids.MORE_RESULTS)(ack=_ack, lazy=[on_more])
    app.action(ids.VOTES)(ack=_ack, lazy=[on_vote])
    app.action(ids.ASK_TREATMENT_MANAGER)(ack=_ack, lazy=[on_escalate])
    app.action(ids.SHARE_IN_CHANNEL)(ack=_ack, lazy=[on_share])
