"""Reminders: programme calendars, due-contact rules (gap week first) and the planner that picks a window."""
