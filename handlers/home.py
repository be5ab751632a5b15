"""App Home, "My cases": the contacts an OM owes (overdue first, then the next four weeks), with the same buttons
as the reminders. Published when the OM opens the Home tab and again after they record something there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from guidebot.delivery import Outgoing
from guidebot.reminders.digest import Owed, owed
from guidebot.reminders.dispatcher import case_info
from handlers.blocks import MAX_BLOCKS, Block, context_block, section_block
from handlers.checklists import unfinished_blocks
from handlers.contact_blocks import contact_actions, contact_value, day
from handlers.escape import mrkdwn
from handlers.jobs import accept, str_or_none
from handlers.services import Services

MAX_CONTACTS = 15


def my_contacts(services: Services, user_id: str) -> tuple[list[Any], list[Owed]]:
    """The user's cases and what they owe on them."""
    schedule = services.schedule
    views = services.store.cases.list(om=user_id)
    if schedule is None:
        return views, []
    cases = [case_info(view) for view in views]
    today = datetime.now(UTC).astimezone(schedule.calendar.zone).date()
    recorded = services.store.reminders.recorded_for([case.case_ref for case in cases])
    keys = {(r.case_ref, r.rule, r.due_date) for r in recorded}
    return views, owed(cases, schedule.programmes, schedule.calendar, schedule.clock, dict.fromkeys(keys), today)


def contact_line(item: Owed) -> str:
    flag = ":warning: overdue" if item.overdue else f"due {day(item.due.due_date)}"
    return f"`{mrkdwn(item.case.case_ref)}` · {mrkdwn(item.case.programme)} · {mrkdwn(item.due.label)} · {flag}"


def home_view(services: Services, user_id: str) -> dict[str, Any]:
    views, contacts = my_contacts(services, user_id)
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": "My cases"}}]
    if not views:
        blocks.append(section_block("You have no cases yet. Add one with `/guide case add`."))
    else:
        paused = sum(view.status == "paused" for view in views)
        summary = f"{len(views)} case(s)" + (f", {paused} paused" if paused else "")
        blocks.append(context_block(f"{summary}. Overdue first, then the next four weeks."))
    for item in contacts[:MAX_CONTACTS]:
        blocks.append(section_block(contact_line(item)))
        value = contact_value(item.case.case_ref, item.due.rule, item.due.due_date, item.due.window_end)
        blocks.append(contact_actions(value))
        if len(blocks) >= MAX_BLOCKS - 2:
            break
    if len(contacts) > MAX_CONTACTS:
        blocks.append(context_block(f"… and {len(contacts) - MAX_CONTACTS} more: `/guide cases` lists them all."))
    if views and not contacts:
        blocks.append(section_block(":white_check_mark: Nothing owed in the next four weeks."))
    return {"type": "home", "blocks": (blocks + unfinished_blocks(services, user_id))[:MAX_BLOCKS]}


def publish_home(services: Services, client: WebClient, user_id: str) -> None:
    """views.publish is idempotent (the view is replaced whole), so it is called directly, not via the outbox."""
    if not user_id:
        return
    try:
        client.views_publish(user_id=user_id, view=home_view(services, user_id))
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else "unknown"
        raise RuntimeError(f"views.publish failed ({code})") from None


def answer_home(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    publish_home(services, client, job.get("user") or "")
    return []


def register(app: App, services: Services) -> None:
    services.answerers["home"] = answer_home

    def on_home_opened(ack: Any, event: dict[str, Any], context: BoltContext) -> None:
        if event.get("tab") == "home":
            accept(services, "home", {"user": str_or_none(event.get("user"))}, context)
        ack()

    app.event("app_home_opened")(on_home_opened)
