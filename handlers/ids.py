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

# Checklists: every control on a checklist step and on its outcome.
CHECKLIST_START = "checklist_start"
CHECKLIST_ANSWER = "checklist_answer"
CHECKLIST_NUMBER = "checklist_number"
CHECKLIST_DATE = "checklist_date"
CHECKLIST_BACK = "checklist_back"
CHECKLIST_WHY = "checklist_why"
CHECKLIST_CANCEL = "checklist_cancel"
CHECKLIST_COPY = "checklist_copy"
CHECKLIST_POST = "checklist_post"
CHECKLIST_RESUME = "checklist_resume"
CHECKLIST_DETAILS = "checklist_details"
CHECKLIST_DETAILS_VIEW = "checklist_details"

# Learning: the tour's buttons (`/guide learn`); each carries the card it leads to.
LEARN_NEXT = "learn_next"
LEARN_BACK = "learn_back"
LEARN_FINISH = "learn_finish"
