"""Checklists in Slack: `/guide checklist` lists them, `/guide checklist bbr` starts one; each step replaces the
same (private) message. The run lives in the store, not in the message: a button carries the run id, the
version it was drawn from and the step it answers, so a double click, an old button or another person's click
changes nothing and says so. Runs survive restarts and are resumed from App Home.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from guidebot.cases.models import normalise_case_ref
from guidebot.checklists.engine import (
    Finished,
    InvalidAnswer,
    RunState,
    StaleStep,
    answer,
    back,
    position,
    summary,
    summary_text,
)
from guidebot.checklists.models import Checklist, Outcome, Step
from guidebot.checklists.privacy import personal_data_problem
from guidebot.delivery import Outgoing
from guidebot.store.checklist_runs import RunRow
from handlers import ids
from handlers.blocks import Block, button_element, context_block, decode_value, render_notice, section_block
from handlers.command import Subcommand
from handlers.escape import mrkdwn
from handlers.jobs import accept, action_listener, respond, response_url_from, str_or_none
from handlers.services import Services

log = logging.getLogger(__name__)

VERDICTS = {
    "suitable": ":white_check_mark: Suitable",
    "not_suitable": ":no_entry: Not suitable",
    "refer_elsewhere": ":arrow_right: Refer elsewhere",
    "discuss_with_treatment_manager": ":speech_balloon: Discuss with a treatment manager",
}


def _state(run: RunRow) -> RunState:
    return RunState(checklist_id=run.checklist_id, answers=tuple(run.answers))


def _value(run: RunRow, step: str, given: str = "") -> dict[str, Any]:
    return {"r": run.id, "v": run.version, "s": step, "a": given}


def render_list(checklists: dict[str, Checklist]) -> dict[str, Any]:
    blocks: list[Block] = [section_block("*Checklists*: pick one; I'll ask one question at a time.")]
    for checklist in checklists.values():
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{mrkdwn(checklist.title)}*\n{mrkdwn(checklist.summary)}"},
                "accessory": button_element("Start", ids.CHECKLIST_START, {"c": checklist.id}),
            }
        )
    return {"text": "Checklists", "blocks": blocks[:50]}


def render_step(checklist: Checklist, run: RunRow, step: Step, *, why: bool = False) -> dict[str, Any]:
    """The question, its answers, Back / Why is this asked? / Cancel; the cited passage when asked why."""
    done = len(run.answers)
    blocks: list[Block] = [
        context_block(f"{mrkdwn(checklist.title)} · question {done + 1}"),
        section_block(f"*{mrkdwn(step.prompt)}*"),
    ]
    if why:
        cite = step.citation
        blocks.append(
            section_block(
                f"{mrkdwn(step.help)}\n> {mrkdwn(cite.quote)}\n_{mrkdwn(cite.doc_id)}, {mrkdwn(cite.section)}_"
            )
        )
    answers: list[Block] = []
    if step.kind == "yes_no":
        answers = [
            button_element(label, f"{ids.CHECKLIST_ANSWER}_{n}", _value(run, step.id, value))
            for n, (label, value) in enumerate((("Yes", "yes"), ("No", "no")))
        ]
    elif step.kind == "choice":
        answers = [
            button_element(choice, f"{ids.CHECKLIST_ANSWER}_{n}", _value(run, step.id, choice))
            for n, choice in enumerate(step.choices)
        ]
    elif step.kind == "date":
        answers = [{"type": "datepicker", "action_id": ids.CHECKLIST_DATE}]
    if answers:
        blocks.append(
            {"type": "actions", "block_id": f"answer:{run.id}:{run.version}:{step.id}", "elements": answers[:25]}
        )
    else:  # a number: an input that sends its value when Enter is pressed
        blocks.append(
            {
                "type": "input",
                "block_id": f"answer:{run.id}:{run.version}:{step.id}",
                "dispatch_action": True,
                "label": {"type": "plain_text", "text": "Type the number and press Enter"},
                "element": {"type": "number_input", "is_decimal_allowed": False, "action_id": ids.CHECKLIST_NUMBER},
            }
        )
    controls = [button_element("Back", ids.CHECKLIST_BACK, _value(run, step.id))] if done else []
    if not why:
        controls.append(button_element("Why is this asked?", ids.CHECKLIST_WHY, _value(run, step.id)))
    controls.append(button_element("Cancel", ids.CHECKLIST_CANCEL, _value(run, step.id), style="danger"))
    blocks.append({"type": "actions", "block_id": "controls", "elements": controls})
    return {"text": f"{checklist.title}: {step.prompt}", "blocks": blocks}


def render_outcome(checklist: Checklist, run: RunRow) -> dict[str, Any]:
    result = summary(checklist, _state(run))
    outcome = position(checklist, _state(run))
    assert isinstance(outcome, Outcome)
    lines = "\n".join(f"• {mrkdwn(prompt)} *{mrkdwn(given)}*" for prompt, given in result.answers)
    sources = ", ".join(sorted({f"{mrkdwn(c.doc_id)} ({mrkdwn(c.section)})" for c in result.citations}))
    blocks: list[Block] = [
        section_block(
            f"*{mrkdwn(checklist.title)}*: {VERDICTS.get(outcome.verdict, outcome.verdict)}\n{mrkdwn(outcome.text)}"
        ),
    ]
    if outcome.next_steps:
        blocks.append(section_block("*Next:*\n" + "\n".join(f"• {mrkdwn(s)}" for s in outcome.next_steps)))
    blocks.append(section_block(f"*Your answers*\n{lines}"))
    if run.case_ref or run.note:
        details = [
            f"Case: `{mrkdwn(run.case_ref)}`" if run.case_ref else "",
            f"Note: {mrkdwn(run.note)}" if run.note else "",
        ]
        blocks.append(context_block(" · ".join(d for d in details if d)))
    blocks.append(context_block(f"Sources: {sources}"))
    blocks.append(
        {
            "type": "actions",
            "block_id": f"finished:{run.id}",
            "elements": [
                button_element("Copy as text", ids.CHECKLIST_COPY, _value(run, "end")),
                button_element("Add case reference or note", ids.CHECKLIST_DETAILS, _value(run, "end")),
                {
                    "type": "conversations_select",
                    "action_id": ids.CHECKLIST_POST,
                    "placeholder": {"type": "plain_text", "text": "Post to channel"},
                    "filter": {"include": ["public", "private"]},
                },
            ],
        }
    )
    return {"text": f"{checklist.title}: {outcome.verdict}", "blocks": blocks}


def _screen(services: Services, checklist: Checklist, run: RunRow, *, why: bool = False) -> dict[str, Any]:
    where = position(checklist, _state(run))
    if isinstance(where, Outcome):
        return render_outcome(checklist, run)
    return render_step(checklist, run, where, why=why)


def _load(services: Services) -> dict[str, Checklist]:
    return services.checklists or {}


def _reply(job: dict[str, Any], message: dict[str, Any], *, replace: bool = True) -> list[Outgoing]:
    return [respond(job.get("response_url"), {**message, "replace_original": replace})]


def _polite(job: dict[str, Any], text: str) -> list[Outgoing]:
    return _reply(job, render_notice(text).as_kwargs(), replace=False)


def start_from_command(
    services: Services, ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """`/guide checklist [id]`: stored like every request; the worker lists them or starts one."""
    words = str(command.get("text") or "").split()
    job = {
        "user": str_or_none(command.get("user_id")),
        "response_url": response_url_from(command.get("response_url"), services.settings),
        "checklist": words[1] if len(words) > 1 else None,
    }
    accept(services, "checklist_command", job, context)
    ack()


def answer_command(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    checklists = _load(services)
    wanted = (job.get("checklist") or "").lower()
    if not wanted:
        return _reply(job, render_list(checklists), replace=False)
    found = {c.lower(): c for c in checklists}.get(wanted)
    if found is None:
        known = ", ".join(f"`{mrkdwn(c)}`" for c in sorted(checklists))
        return _polite(job, f"I don't have a checklist called `{mrkdwn(wanted)}`. I have: {known}.")
    return _begin(services, job, checklists[found], replace=False)


def _begin(services: Services, job: dict[str, Any], checklist: Checklist, *, replace: bool) -> list[Outgoing]:
    run = services.store.checklist_runs.create(job.get("user") or "", checklist.id)
    return _reply(job, _screen(services, checklist, run), replace=replace)


def _run_for(services: Services, job: dict[str, Any]) -> tuple[RunRow, Checklist, dict[str, Any]] | str:
    """The run a click is about, or the polite reason nothing happens."""
    data = decode_value(job.get("value"))
    if not data and job.get("block"):
        parts = str(job["block"]).split(":")
        if len(parts) == 4 and parts[0] == "answer":
            data = {
                "r": parts[1],
                "v": int(parts[2]) if parts[2].isdigit() else -1,
                "s": parts[3],
                "a": job.get("option") or "",
            }
    run = services.store.checklist_runs.get(str(data.get("r") or ""))
    if run is None:
        return "That checklist has expired or was cancelled. Start it again with `/guide checklist`."
    if run.user_id != job.get("user"):
        return "This checklist belongs to someone else; start your own with `/guide checklist`."
    checklist = _load(services).get(run.checklist_id)
    if checklist is None:
        return "That checklist is no longer available."
    if data.get("v") != run.version or run.status != "active":
        return "That step was already answered; the checklist has moved on."
    return run, checklist, data


def answer_step(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """An answer (button, number or date): checked against the stored run, then the next screen."""
    found = _run_for(services, job)
    if isinstance(found, str):
        return _polite(job, found)
    run, checklist, data = found
    given = str(data.get("a") or job.get("option") or "")
    try:
        state = answer(checklist, _state(run), str(data.get("s") or ""), given)
    except StaleStep:
        return _polite(job, "That step was already answered; the checklist has moved on.")
    except Finished:
        return _polite(job, "This checklist is finished.")
    except InvalidAnswer as error:
        return _polite(job, str(error))
    return _save_and_show(services, job, checklist, run, state)


def _save_and_show(
    services: Services, job: dict[str, Any], checklist: Checklist, run: RunRow, state: RunState, *, why: bool = False
) -> list[Outgoing]:
    outcome = position(checklist, state)
    finished = isinstance(outcome, Outcome)
    saved = services.store.checklist_runs.save(
        run.id,
        expected_version=run.version,
        answers=list(state.answers),
        outcome=outcome.id if isinstance(outcome, Outcome) else None,
        status="finished" if finished else "active",
    )
    if saved is None:  # two clicks raced: the other one won
        return _polite(job, "That step was already answered; the checklist has moved on.")
    return _reply(job, _screen(services, checklist, saved, why=why))


def go_back(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    found = _run_for(services, job)
    if isinstance(found, str):
        return _polite(job, found)
    run, checklist, _ = found
    return _save_and_show(services, job, checklist, run, back(checklist, _state(run)))


def explain(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Why is this asked?: the same step with its reason and the cited passage, in place."""
    found = _run_for(services, job)
    if isinstance(found, str):
        return _polite(job, found)
    run, checklist, _ = found
    return _reply(job, _screen(services, checklist, run, why=True))


def cancel(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    found = _run_for(services, job)
    if isinstance(found, str):
        return _polite(job, found)
    run, _, _ = found
    services.store.checklist_runs.save(
        run.id, expected_version=run.version, answers=list(run.answers), outcome=None, status="cancelled"
    )
    return _reply(job, render_notice("Checklist cancelled. Nothing was kept.").as_kwargs())


def copy_text(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """The summary as plain text, for pasting into case notes."""
    data = decode_value(job.get("value"))
    run = services.store.checklist_runs.get(str(data.get("r") or ""))
    if run is None or run.user_id != job.get("user"):
        return _polite(job, "That checklist is not yours or has expired.")
    checklist = _load(services).get(run.checklist_id)
    if checklist is None:
        return []
    text = summary_text(summary(checklist, _state(run)))
    if run.case_ref:
        text = f"Case: {run.case_ref}\n{text}"
    if run.note:
        text = f"{text}\nNote: {run.note}"
    return _reply(job, {"text": text, "blocks": [section_block(f"```{mrkdwn(text)}```")]}, replace=False)


def post_to_channel(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Post the outcome to the channel the user picked (through the outbox)."""
    run = services.store.checklist_runs.get(str(job.get("block") or "").removeprefix("finished:"))
    channel = job.get("option")
    if run is None or run.user_id != job.get("user") or not channel:
        return _polite(job, "That checklist is not yours or has expired.")
    checklist = _load(services).get(run.checklist_id)
    if checklist is None:
        return []
    message = render_outcome(checklist, run)
    message["blocks"] = [b for b in message["blocks"] if b.get("type") != "actions"]
    failed = render_notice("I couldn't post in that channel (`{error}`). Invite me with `/invite @guidebot`.")
    return [
        Outgoing(
            method="post",
            channel=channel,
            message=message,
            then=respond(
                job.get("response_url"),
                {**render_notice(f"Posted to <#{channel}>.").as_kwargs(), "replace_original": False},
            ),
            on_failure=respond(job.get("response_url"), {**failed.as_kwargs(), "replace_original": False}),
        )
    ]


def start_from_button(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    checklist = _load(services).get(str(decode_value(job.get("value")).get("c") or ""))
    if checklist is None:
        return _polite(job, "That checklist is no longer available.")
    return _begin(services, job, checklist, replace=True)


NOTE_MAX = 500


def details_modal(run: RunRow, hint: str) -> dict[str, Any]:
    """Case reference (checked against GUIDEBOT_CASE_REF_PATTERN) and a short note (refused if it looks personal)."""
    return {
        "type": "modal",
        "callback_id": ids.CHECKLIST_DETAILS_VIEW,
        "private_metadata": run.id,
        "title": {"type": "plain_text", "text": "Case reference or note"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "case_ref",
                "optional": True,
                "label": {"type": "plain_text", "text": "Case reference"},
                "hint": {"type": "plain_text", "text": hint},
                "element": {"type": "plain_text_input", "action_id": "value", "max_length": 32},
            },
            {
                "type": "input",
                "block_id": "note",
                "optional": True,
                "label": {"type": "plain_text", "text": "Note (no names, dates of birth, addresses or phone numbers)"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": True,
                    "max_length": NOTE_MAX,
                },
            },
        ],
    }


def open_details(services: Services, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
    """The modal opens in the listener: a trigger_id lasts 3 seconds."""
    run = services.store.checklist_runs.get(str(decode_value(action.get("value")).get("r") or ""))
    user = str((body.get("user") or {}).get("id") or "")
    ack()
    if run is None or run.user_id != user:
        return
    hint = "A case reference only (for example X123456), never a name."
    try:
        client.views_open(trigger_id=body.get("trigger_id"), view=details_modal(run, hint))
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else "unknown"
        log.warning("views.open failed (%s)", code)


def save_details(services: Services, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
    """Validate in the ack (errors show in the modal); nothing personal is kept."""
    user = str((body.get("user") or {}).get("id") or "")
    run = services.store.checklist_runs.get(str(view.get("private_metadata") or ""))
    values = (view.get("state") or {}).get("values") or {}
    typed_ref = str(((values.get("case_ref") or {}).get("value") or {}).get("value") or "").strip()
    note = str(((values.get("note") or {}).get("value") or {}).get("value") or "").strip()
    errors: dict[str, str] = {}
    case_ref: str | None = None
    if typed_ref:
        try:
            case_ref = normalise_case_ref(typed_ref, services.settings.case_ref_pattern)
        except ValueError as invalid:
            errors["case_ref"] = str(invalid)
    problem = personal_data_problem(note) if note else None
    if problem:
        errors["note"] = problem
    if run is None or run.user_id != user:
        errors["note"] = "This checklist has expired or is not yours."
    if errors:
        ack(response_action="errors", errors=errors)
        return
    assert run is not None
    services.store.checklist_runs.save(
        run.id,
        expected_version=run.version,
        answers=list(run.answers),
        outcome=run.outcome,
        status=run.status,
        note=note or None,
        case_ref=case_ref,
    )
    ack()


SUBCOMMAND = Subcommand(lambda w: bool(w) and w[0] == "checklist" and len(w) <= 2, start_from_command)


def register(app: App, services: Services) -> None:
    services.answerers.update(
        {
            "checklist_command": answer_command,
            f"action:{ids.CHECKLIST_START}": start_from_button,
            f"action:{ids.CHECKLIST_ANSWER}": answer_step,
            f"action:{ids.CHECKLIST_NUMBER}": answer_step,
            f"action:{ids.CHECKLIST_DATE}": answer_step,
            f"action:{ids.CHECKLIST_BACK}": go_back,
            f"action:{ids.CHECKLIST_WHY}": explain,
            f"action:{ids.CHECKLIST_CANCEL}": cancel,
            f"action:{ids.CHECKLIST_COPY}": copy_text,
            f"action:{ids.CHECKLIST_POST}": post_to_channel,
            f"action:{ids.CHECKLIST_RESUME}": resume,
        }
    )

    def on_details(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        open_details(services, ack, body, action, client)

    def on_details_saved(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        save_details(services, ack, body, view)

    app.action(ids.CHECKLIST_DETAILS)(on_details)
    app.view(ids.CHECKLIST_DETAILS_VIEW)(on_details_saved)
    # answer buttons are checklist_answer_0, _1 ... (and plain checklist_answer on messages drawn before that):
    # one job kind for all of them
    app.action(re.compile(rf"^{ids.CHECKLIST_ANSWER}(_\d+)?$"))(action_listener(services, ids.CHECKLIST_ANSWER))
    for action_id in (
        ids.CHECKLIST_START,
        ids.CHECKLIST_NUMBER,
        ids.CHECKLIST_DATE,
        ids.CHECKLIST_BACK,
        ids.CHECKLIST_WHY,
        ids.CHECKLIST_CANCEL,
        ids.CHECKLIST_COPY,
        ids.CHECKLIST_POST,
        ids.CHECKLIST_RESUME,
    ):
        app.action(action_id)(action_listener(services))


def resume(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Resume (App Home): the run's current step as a DM, from where it stopped."""
    run = services.store.checklist_runs.get(str(decode_value(job.get("value")).get("r") or ""))
    user = job.get("user") or ""
    if run is None or run.user_id != user or run.status != "active":
        return (
            [
                Outgoing(
                    method="post",
                    channel=user,
                    message=render_notice("That checklist has expired or was finished.").as_kwargs(),
                )
            ]
            if user
            else []
        )
    checklist = _load(services).get(run.checklist_id)
    if checklist is None:
        return []
    return [Outgoing(method="post", channel=user, message=_screen(services, checklist, run))]


def unfinished_blocks(services: Services, user_id: str) -> list[Block]:
    """App Home: the user's unfinished checklists, each with Resume."""
    runs = services.store.checklist_runs.unfinished(user_id)
    checklists = _load(services)
    blocks: list[Block] = []
    for run in runs[:10]:
        checklist = checklists.get(run.checklist_id)
        if checklist is None:
            continue
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{mrkdwn(checklist.title)}*: {len(run.answers)} question(s) answered, "
                    f"last on {run.updated_at:%a %d %b}",
                },
                "accessory": button_element("Resume", ids.CHECKLIST_RESUME, {"r": run.id}),
            }
        )
    if blocks:
        blocks.insert(0, {"type": "header", "text": {"type": "plain_text", "text": "Checklists in progress"}})
    return blocks
