"""The pieces every contact shows in Slack (a reminder DM, App Home, `/guide cases`): dates and the buttons."""

from __future__ import annotations

from datetime import UTC, date, datetime

from handlers import ids
from handlers.blocks import Block, button_element

REASONS = {
    "did_not_attend": "did not attend",
    "rescheduled": "rescheduled",
    "in_custody": "in custody",
    "other": "other",
}


def day(d: date) -> str:
    """`Mon 7 Dec` (the year only when it is not this year's)."""
    text = f"{d:%a} {d.day} {d:%b}"
    return text if d.year == datetime.now(UTC).year else f"{text} {d.year}"


def contact_value(case_ref: str, rule: str, due_date: date, window_end: date) -> dict[str, str]:
    return {"c": case_ref, "r": rule, "d": due_date.isoformat(), "w": window_end.isoformat()}


def contact_actions(value: dict[str, str]) -> Block:
    """Contact done, Not seen - record why (a menu of reasons), Remind me tomorrow."""
    not_seen = {
        "type": "static_select",
        "action_id": ids.REMINDER_NOT_SEEN,
        "placeholder": {"type": "plain_text", "text": "Not seen - record why"},
        "options": [
            {"text": {"type": "plain_text", "text": text}, "value": f"{key}|{_compact(value)}"}
            for key, text in REASONS.items()
        ],
    }
    return {
        "type": "actions",
        # unique per contact: App Home lists several, and Slack refuses a view whose block_ids repeat
        "block_id": f"contact:{_compact(value)}"[:255],
        "elements": [
            button_element("Contact done", ids.REMINDER_DONE, value, style="primary"),
            not_seen,
            button_element("Remind me tomorrow", ids.REMINDER_SNOOZE, value),
        ],
    }


def _compact(value: dict[str, str]) -> str:
    """A menu option's value is at most 150 characters: the contact as `case|rule|due|window`."""
    return "|".join((value["c"], value["r"], value["d"], value["w"]))
