"""Every Slack action id, callback id and command name the app uses, so listeners and renderers agree."""

from __future__ import annotations

import re

COMMAND = "/guide"

MORE_RESULTS = "guide_more_results"
HELPFUL = "guide_helpful"
NOT_HELPFUL = "guide_not_helpful"
ASK_TREATMENT_MANAGER = "guide_ask_treatment_manager"
SHARE_IN_CHANNEL = "guide_share_in_channel"

# The message shortcut "Ask guidebot about this" (manifest.yaml uses the same id).
ASK_ABOUT_MESSAGE = "guide_ask_about_message"

VOTES = re.compile(f"^({HELPFUL}|{NOT_HELPFUL})$")

# Reminders: the buttons and the menu on a contact (DM and App Home).
REMINDER_DONE = "reminder_contact_done"
REMINDER_NOT_SEEN = "reminder_not_seen"
REMINDER_SNOOZE = "reminder_remind_tomorrow"

# Cases: the modal of `/guide case add`.
CASE_ADD_VIEW = "case_add"
