"""Reminders in Slack: the DM to the OM with its buttons, the weekly team digest, and what the buttons record.

Messages carry case references, labels and dates only. A button's value names the contact (case, rule, due
date); only the case's OM or a GUIDEBOT_ADMINS user may record it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import App
from slack_sdk import WebClient

from guidebot.delivery import Outgoing
from guidebot.reminders.digest import Item, TeamDigest
from guidebot.reminders.rules import CaseInfo
from guidebot.store.reminders import DueRow
from handlers import ids
from handlers.blocks import (
    MAX_BLOCKS,
    Block,
    context_block,
    decode_value,
    fit,
    limit_blocks,
    mention,
    render_notice,
    section_block,
)
from handlers.contact_blocks import REASONS, contact_actions, contact_value, day
from handlers.escape import mrkdwn
from handlers.home import publish_home
from handlers.jobs import action_listener, respond
from handlers.services import Services

HEADLINES = {
    ("gap_week", "first"): ":calendar: *Gap-week contact due*",
    ("gap_week", "nudge"): ":bell: *Gap-week contact not recorded yet* (the gap week ends soon)",
    ("partner_referral", "first"): ":shield: *Refer the partner or ex-partner to the women's safety service*",
    ("partner_referral", "again"): ":bell: *Partner referral not recorded yet*",
    ("evaluation_measures", "first"): ":clipboard: *Evaluation measures due*",
}
MAX_DIGEST_ITEMS = 12


class SlackReminderMessages:
    """How reminders and digests read in Slack (the port guidebot.reminders.dispatcher uses)."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def reminder(self, due: DueRow, case: CaseInfo, label: str, *, late: bool) -> Outgoing:
        headline = HEADLINES.get((due.rule, due.stage), ":bell: *Reminder*")
        line = (
            f"{headline}\n`{mrkdwn(due.case_ref)}` · {mrkdwn(case.programme)} · {mrkdwn(label)} · {day(due.due_date)}"
        )
        blocks: list[Block] = [section_block(line)]
        notes = [f"Record it here by {day(due.window_end)}; after that it shows as overdue in the team digest."]
        if late:
            planned = due.send_at.astimezone(self.zone)
            notes.insert(0, f":hourglass: Sent late: planned for {day(planned.date())} {planned:%H:%M}.")
        blocks.append(context_block(" ".join(notes)))
        blocks.append(contact_actions(contact_value(due.case_ref, due.rule, due.due_date, due.window_end)))
        text = f"{label}: {due.case_ref}, {day(due.due_date)}"
        return Outgoing(method="post", channel=case.om, message={"text": fit(text, 300), "blocks": blocks})

    def digest(self, digest: TeamDigest) -> Outgoing:
        return Outgoing(method="post", channel=digest.team_channel, message=render_digest(digest))


def _items(title: str, items: list[Item]) -> str:
    if not items:
        return ""
    lines = []
    for item in items[:MAX_DIGEST_ITEMS]:
        outcome = ""
        if item.outcome == "done":
            outcome = " ✓ done"
        elif item.outcome == "not_seen":
            outcome = f" · not seen ({REASONS.get(item.reason or '', 'other')})"
        lines.append(f"• `{mrkdwn(item.case_ref)}` {mrkdwn(item.label)}, {day(item.due_date)}{outcome}")
    if len(items) > MAX_DIGEST_ITEMS:
        lines.append(f"• … and {len(items) - MAX_DIGEST_ITEMS} more (`/guide cases` lists them)")
    return f"*{title}*\n" + "\n".join(lines)


def render_digest(digest: TeamDigest) -> dict[str, Any]:
    """The team's week: per OM, due this week, done last week, overdue, not delivered."""
    week = day(digest.week_start)
    if digest.quiet():
        text = f":white_check_mark: Week of {week}: nothing due, done or overdue for this team."
        return {"text": text, "blocks": [section_block(text)]}
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Contacts: week of {week}"}},
    ]
    for om, section in digest.by_om.items():
        if section.empty():
            continue
        parts = [
            _items("Due this week", section.due),
            _items("Done last week", section.done),
            _items("Overdue", section.overdue),
            _items("Reminders Slack did not deliver", section.failed),
        ]
        blocks.append(section_block(f"{mention(om)}\n" + "\n".join(p for p in parts if p)))
        if len(blocks) >= MAX_BLOCKS - 1:
            break
    blocks.append(context_block("Case references only. Record contacts from the reminders or App Home."))
    return {"text": f"Contacts for the week of {week}", "blocks": limit_blocks(blocks)}


def _contact(job: dict[str, Any]) -> tuple[str, str, date, date] | None:
    """The contact a button or a menu option names, or None when its value is not ours."""
    if job.get("option"):
        reason, _, rest = str(job["option"]).partition("|")
        parts = rest.split("|")
        if reason not in REASONS or len(parts) != 4:
            return None
        data = {"c": parts[0], "r": parts[1], "d": parts[2], "w": parts[3]}
    else:
        data = decode_value(job.get("value"))
    try:
        return str(data["c"]), str(data["r"]), date.fromisoformat(str(data["d"])), date.fromisoformat(str(data["w"]))
    except (KeyError, ValueError):
        return None


def _refuse(job: dict[str, Any], text: str) -> list[Outgoing]:
    notice = render_notice(text).as_kwargs()
    if job.get("response_url"):
        return [respond(job["response_url"], {**notice, "replace_original": False})]
    if job.get("user"):
        return [Outgoing(method="post", channel=job["user"], message=notice)]
    return []


def record_contact(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Contact done, or Not seen with a reason: recorded for the case, the reminder replaced by what was recorded."""
    contact = _contact(job)
    user = job.get("user") or ""
    if contact is None:
        return []
    case_ref, rule, due_date, _ = contact
    if not services.store.cases.can_change(case_ref, user, services.settings.admin_ids):
        return _refuse(job, "Only the case's offender manager or a guidebot admin can record this contact.")
    if job.get("action_id") == ids.REMINDER_DONE:
        outcome, reason, said = "done", None, "contact done"
    else:
        reason = str(job.get("option") or "other").partition("|")[0]
        outcome, said = "not_seen", f"not seen ({REASONS[reason]})"
    services.store.reminders.record(case_ref, rule, due_date, outcome, by=user, reason=reason)
    text = f":white_check_mark: `{mrkdwn(case_ref)}` {rule.replace('_', ' ')} {day(due_date)}: recorded as {said} by {mention(user)}."
    return _after_recording(services, job, client, text)


def snooze(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Remind me tomorrow: one more reminder at the reminder time on the next working day."""
    contact = _contact(job)
    user = job.get("user") or ""
    schedule = services.schedule
    if contact is None or schedule is None:
        return []
    case_ref, rule, due_date, window_end = contact
    if not services.store.cases.can_change(case_ref, user, services.settings.admin_ids):
        return _refuse(job, "Only the case's offender manager or a guidebot admin can change this reminder.")
    today = datetime.now(UTC).astimezone(schedule.calendar.zone).date()
    tomorrow = schedule.calendar.next_working_day(today)
    send_at = schedule.calendar.at(tomorrow, schedule.clock)
    services.store.reminders.snooze(case_ref, rule, due_date, send_at, max(window_end, tomorrow))
    text = f":zzz: I'll remind you about `{mrkdwn(case_ref)}` again on {day(tomorrow)} at {send_at:%H:%M}."
    return _after_recording(services, job, client, text, keep_buttons=True)


def _after_recording(
    services: Services, job: dict[str, Any], client: WebClient, text: str, *, keep_buttons: bool = False
) -> list[Outgoing]:
    """Replace the reminder with what was done (App Home is published again instead)."""
    if job.get("view") == "home":
        publish_home(services, client, job.get("user") or "")
        return []
    if not job.get("response_url"):
        return []
    message = render_notice(text).as_kwargs()
    return [respond(job["response_url"], {**message, "replace_original": not keep_buttons})]


def register(app: App, services: Services) -> None:
    """The reminder buttons and menu: stored like every request, answered by the worker."""
    services.answerers.update(
        {
            f"action:{ids.REMINDER_DONE}": record_contact,
            f"action:{ids.REMINDER_NOT_SEEN}": record_contact,
            f"action:{ids.REMINDER_SNOOZE}": snooze,
        }
    )
    for action_id in (ids.REMINDER_DONE, ids.REMINDER_NOT_SEEN, ids.REMINDER_SNOOZE):
        app.action(action_id)(action_listener(services))
