"""Requests as jobs: stored in the inbox by a listener before its ack, answered by the worker with `run`.

Each feature registers its answerers in `services.answerers` under the job's kind ("event", "command",
"action:<action_id>", ...). An answerer returns the replies as `Outgoing` messages; `run` turns them into
outbox rows keyed by the request, so a worker that answers the same request twice queues nothing twice.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from guidebot.config import Settings
from guidebot.delivery import ANSWER_DEADLINE, Outgoing, enqueue
from guidebot.store.inbox import Job
from guidebot.store.outbox import NewMessage
from handlers.blocks import render_notice
from handlers.services import Answerer, Services

log = logging.getLogger(__name__)

# Slack accepts a response_url for 30 minutes after the request.
RESPONSE_URL_DEADLINE = timedelta(minutes=25)
SLACK_HOOKS_HOST = "hooks.slack.com"
APOLOGY = "Sorry, something went wrong while answering you. Please ask again."


def str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def respond(response_url: object, payload: dict[str, Any], on_failure: Outgoing | None = None) -> Outgoing:
    """A message to a payload's response_url (ephemeral unless it says otherwise)."""
    url = response_url if isinstance(response_url, str) else ""
    return Outgoing(method="respond", response_url=url, message=payload, on_failure=on_failure)


def response_url_from(value: object, settings: Settings) -> str | None:
    """A response_url guidebot will post to: Slack's hooks host, or SLACK_API_URL's host (tests, proxies)."""
    if not isinstance(value, str):
        return None
    parsed = urllib.parse.urlsplit(value)
    hosts = {SLACK_HOOKS_HOST}
    if settings.slack_api_url:
        hosts.add(urllib.parse.urlsplit(settings.slack_api_url).netloc)
    return value if parsed.scheme in ("https", "http") and parsed.netloc in hosts else None


def action_job(body: dict[str, Any], action: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """What answering a button, menu, date or number needs: which one and in which block, its value (or what was
    chosen or typed), who, where."""
    container = body.get("container")
    option = action.get("selected_option")
    chosen = (
        (option.get("value") if isinstance(option, dict) else None)
        or action.get("selected_date")
        or action.get("selected_conversation")
        or (action.get("value") if action.get("type") == "number_input" else None)
    )
    return {
        "action_id": str_or_none(action.get("action_id")),
        "block": str_or_none(action.get("block_id")),
        "value": str_or_none(action.get("value")),
        "option": str_or_none(chosen),
        "response_url": response_url_from(body.get("response_url"), settings),
        "user": str_or_none((body.get("user") or {}).get("id")),
        "channel": str_or_none((body.get("channel") or {}).get("id")),
        "ephemeral": bool(isinstance(container, dict) and container.get("is_ephemeral")),
        "view": str_or_none((body.get("view") or {}).get("type")),
    }


def accept(
    services: Services, kind: str, job: dict[str, Any], context: BoltContext, keys: list[str] | None = None
) -> None:
    """Store a request before it is acknowledged, with its dedupe claims: the delivery's own (Slack's retries)
    and the signature's (a request replayed byte for byte, named by the HTTP edge). A repeat is dropped."""
    claims = list(keys or [])
    if isinstance(context.get("replay_key"), str):
        claims.append(context["replay_key"])
    if services.store.inbox.add(kind, job, claims):
        services.wake()
    else:
        log.info("dropped a repeated delivery")


def action_listener(services: Services, family: str | None = None) -> Callable[..., None]:
    """The one listener every button and menu uses: store which action it was, then ack. `family` names the job
    for buttons that share one meaning but need their own action ids (Slack wants them unique within a block)."""

    def on_action(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        job = action_job(body, action, services.settings)
        accept(services, f"action:{family or job['action_id']}", job, context)
        ack()

    return on_action


def _deadline(outgoing: Outgoing) -> timedelta:
    return RESPONSE_URL_DEADLINE if outgoing.method == "respond" else ANSWER_DEADLINE


def run(services: Services, client: WebClient, job: Job) -> list[NewMessage]:
    """Answer one stored request: the outbox rows of its replies, keyed by the request so a rerun adds none."""
    answerer: Answerer | None = services.answerers.get(job.kind)
    if answerer is None:
        log.warning("no answerer for a %s request", job.kind)
        return []
    replies = answerer(services, job.payload, client)
    if any(r.method == "respond" and not r.response_url for r in replies):
        log.warning("a %s request had no usable response_url; its reply was dropped", job.kind)
        replies = [r for r in replies if r.method != "respond" or r.response_url]
    return [
        enqueue(
            reply.key or f"inbox:{job.id}:{n}", reply.model_copy(update={"asked_at": job.received_at}), _deadline(reply)
        )
        for n, reply in enumerate(replies)
    ]


def apology(job: Job) -> list[NewMessage]:
    """What the asker is told when their request could not be answered at all."""
    notice = render_notice(APOLOGY).as_kwargs()
    payload = job.payload
    if payload.get("response_url"):
        reply = respond(payload["response_url"], notice)
    elif job.kind == "event" and payload.get("channel") and payload.get("user"):
        reply = Outgoing(
            method="ephemeral",
            channel=payload["channel"],
            user=payload["user"],
            thread_ts=payload.get("ts"),
            message=notice,
        )
    else:
        return []
    return [enqueue(f"inbox:{job.id}:apology", reply, _deadline(reply))]
