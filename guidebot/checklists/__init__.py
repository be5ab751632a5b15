"""Referral checklists: YAML content in knowledge/checklists, a loader that checks it, and a pure engine."""
