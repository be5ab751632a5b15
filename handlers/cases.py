"""Cases in Slack: `/guide case add` (a modal, its errors shown in the modal), `/guide cases`, and
`/guide case pause|resume|close REF`. Only the case's OM and GUIDEBOT_ADMINS may change a case.

The modal is opened and its submission validated in the listener itself: Slack's trigger_id lasts 3 seconds and
field errors must come back in the ack. Everything else is stored in the inbox and answered by the worker.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from guidebot.cases.models import PROGRAMMES, CaseIn, CaseInvalid
from guidebot.delivery import Outgoing
from guidebot.store.cases import CaseNotFound
from handlers import ids
from handlers.blocks import render_notice
from handlers.command import Subcommand
from handlers.escape import mrkdwn
from handlers.home import contact_line, my_contacts
from handlers.jobs import accept, respond, response_url_from, str_or_none
from handlers.services import Services

log = logging.getLogger(__name__)

CLOSING = {"pause": "paused", "resume": "active", "close": "completed", "withdraw": "withdrawn"}
FIELDS = ("case_ref", "programme", "group_start", "gap_weeks", "om", "team_channel", "order_date")
MAX_LISTED = 40


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = "") -> dict:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": "value"},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def case_modal(user_id: str, channel_id: str | None, pattern_hint: str, programmes: list[str]) -> dict[str, Any]:
    """The `/guide case add` form: the reference, never a name; dates from date pickers; people and channels picked."""
    channel_element: dict[str, Any] = {"type": "conversations_select", "filter": {"include": ["public", "private"]}}
    if channel_id and channel_id[:1] in ("C", "G"):
        channel_element["initial_conversation"] = channel_id
    return {
        "type": "modal",
        "callback_id": ids.CASE_ADD_VIEW,
        "title": {"type": "plain_text", "text": "Add a case"},
        "submit": {"type": "plain_text", "text": "Add"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _input("case_ref", "Case reference", {"type": "plain_text_input", "max_length": 32}, hint=pattern_hint),
            _input(
                "programme",
                "Programme",
                {
                    "type": "static_select",
                    "options": [{"text": {"type": "plain_text", "text": p}, "value": p} for p in programmes],
                },
            ),
            _input("group_start", "First group session", {"type": "datepicker"}, optional=True),
            _input(
                "gap_weeks",
                "Gap weeks (if not the programme's own)",
                {"type": "plain_text_input", "placeholder": {"type": "plain_text", "text": "2027-02-01 2027-03-01"}},
                optional=True,
                hint="Dates in the gap weeks, separated by spaces. Leave empty to use the programme's calendar.",
            ),
            _input("om", "Offender manager", {"type": "users_select", "initial_user": user_id}),
            _input("team_channel", "Team channel (for the weekly digest)", channel_element),
            _input("order_date", "Sentence or order date", {"type": "datepicker"}, optional=True),
        ],
    }


def _submitted(view: dict[str, Any]) -> dict[str, Any]:
    """The form's values by field, as CaseIn.parse takes them."""
    state = (view.get("state") or {}).get("values") or {}
    data: dict[str, Any] = {}
    for field in FIELDS:
        element = (state.get(field) or {}).get("value") or {}
        value = (
            element.get("value")
            or element.get("selected_date")
            or element.get("selected_user")
            or element.get("selected_conversation")
            or (element.get("selected_option") or {}).get("value")
        )
        if value:
            data[field] = value
    return data


def _programmes(services: Services) -> list[str]:
    schedule = services.schedule
    return sorted(schedule.programmes) if schedule is not None else sorted(PROGRAMMES)


def open_case_form(
    services: Services, ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """`/guide case add`: open the modal now (its trigger_id lasts 3 seconds), then ack."""
    hint = "A case reference only (for example X123456), never a name."
    try:
        client.views_open(
            trigger_id=command.get("trigger_id"),
            view=case_modal(command.get("user_id") or "", command.get("channel_id"), hint, _programmes(services)),
        )
        ack()
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else "unknown"
        log.warning("views.open failed (%s)", code)
        ack(text=f"Sorry, Slack didn't open the form (`{mrkdwn(str(code))}`). Please try again.")


def save_case(services: Services, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    """The modal's submission: field errors back into the modal, else saved and confirmed by DM."""
    user = str((body.get("user") or {}).get("id") or "")
    settings = services.settings
    try:
        case = CaseIn.parse(_submitted(view), settings.case_ref_pattern, _programmes(services))
    except CaseInvalid as invalid:
        errors: dict[str, str] = {}
        for problem in invalid.problems:
            field, _, message = problem.partition(": ")
            blocks = [name for name in field.split(" or ") if name in FIELDS] or ["case_ref"]
            for block in blocks:  # "group_start or gap_weeks: one is required" shows under both
                errors.setdefault(block, message or problem)
        ack(response_action="errors", errors=errors)
        return
    if user != case.om and user not in settings.admin_ids:
        ack(response_action="errors", errors={"om": "You can add cases you hold; an admin can add them for others."})
        return
    existing = services.store.cases.get(case.case_ref)
    if existing is not None and not services.store.cases.can_change(case.case_ref, user, settings.admin_ids):
        ack(response_action="errors", errors={"case_ref": "This case is held by another offender manager."})
        return
    outcome = services.store.cases.upsert(case, by=user)
    ack()
    accept(services, "case_saved", {"user": user, "case_ref": case.case_ref, "outcome": outcome}, context)


def answer_case_saved(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    user, ref = job.get("user") or "", job.get("case_ref") or ""
    said = {"added": "added", "updated": "updated", "unchanged": "already up to date"}.get(
        job.get("outcome") or "", "saved"
    )
    text = f":white_check_mark: Case `{mrkdwn(ref)}` {said}. Its contacts show in App Home and in `/guide cases`."
    return [Outgoing(method="post", channel=user, message=render_notice(text).as_kwargs())] if user else []


def list_cases(services: Services, ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    accept(services, "cases", _command_job(services, command), context)
    ack()


def change_case(services: Services, ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    accept(services, "case_status", _command_job(services, command), context)
    ack()


def _command_job(services: Services, command: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": str_or_none(command.get("text")) or "",
        "user": str_or_none(command.get("user_id")),
        "response_url": response_url_from(command.get("response_url"), services.settings),
    }


def answer_cases(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """`/guide cases`: my cases and what I owe on them, privately."""
    views, contacts = my_contacts(services, job.get("user") or "")
    if not views:
        text = "You have no cases yet. Add one with `/guide case add`."
    else:
        lines = [contact_line(item) for item in contacts[:MAX_LISTED]]
        if len(contacts) > MAX_LISTED:
            lines.append(f"… and {len(contacts) - MAX_LISTED} more.")
        paused = [f"`{mrkdwn(v.case_ref)}`" for v in views if v.status == "paused"]
        head = f"*Your {len(views)} case(s)*" + (f" (paused: {', '.join(paused)})" if paused else "")
        text = head + "\n" + ("\n".join(lines) if lines else ":white_check_mark: Nothing owed in the next four weeks.")
    return [respond(job.get("response_url"), render_notice(text).as_kwargs())]


def answer_case_status(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """`/guide case pause|resume|close|withdraw REF`: only the case's OM or an admin; cancels pending reminders."""
    words = (job.get("text") or "").split()
    verb, ref = words[1].lower(), words[2].upper()
    user = job.get("user") or ""
    if not services.store.cases.can_change(ref, user, services.settings.admin_ids):
        text = f"Only the offender manager who holds `{mrkdwn(ref)}` or a guidebot admin can change it."
        return [respond(job.get("response_url"), render_notice(text).as_kwargs())]
    try:
        services.store.cases.set_status(ref, CLOSING[verb], by=user)
    except CaseNotFound:
        return [respond(job.get("response_url"), render_notice(f"There is no case `{mrkdwn(ref)}`.").as_kwargs())]
    if CLOSING[verb] == "active":
        services.store.reminders.restore(ref, after=datetime.now(UTC))
    else:
        services.store.reminders.cancel([ref])
    text = f"Case `{mrkdwn(ref)}` is now {CLOSING[verb]}." + (
        " Its pending reminders are cancelled." if CLOSING[verb] != "active" else " Reminders resume."
    )
    return [respond(job.get("response_url"), render_notice(text).as_kwargs())]


SUBCOMMANDS = [
    Subcommand(lambda w: w[:2] == ["case", "add"] and len(w) == 2, open_case_form),
    Subcommand(lambda w: w in (["cases"], ["case", "list"]), list_cases),
    Subcommand(lambda w: len(w) == 3 and w[0] == "case" and w[1] in CLOSING, change_case),
]


def register(app: App, services: Services) -> None:
    services.answerers.update(
        {"cases": answer_cases, "case_status": answer_case_status, "case_saved": answer_case_saved}
    )

    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        save_case(services, ack, body, view, context)

    app.view(ids.CASE_ADD_VIEW)(on_submit)
