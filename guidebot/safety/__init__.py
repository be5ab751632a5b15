"""Imminent-risk assessment: hard signs nothing switches off, and a classifier learned from labelled messages."""
