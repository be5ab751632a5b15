"""Small knowledge folders of labelled messages, so loader and retraining tests don't train on the shipped set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

URGENT_SAMPLES = [
    "he's outside her flat right now banging on the door",
    "partner texted: he's back and says tonight's the night, kids upstairs",
    "voicemail um she says he is in the house and wont let her leave",
    "Handover 17:00 X1234 tag alert at victim address, not answering",
    "Fwd: 'he has found the refuge, his car is across the road'",
    "she's locked in the bathroom, he's smashing the place up",
]
ORDINARY_SAMPLES = [
    "how many sessions is BBR",
    "what risk tool does kaizen use for sex offenders",
    "closed: incident last year, police attended, she is safe and rehoused",
    "training day scenario: what would you do if a man threatened his partner in group",
    "can a man with a weapons conviction do kaizen?",
    "who does the partner link worker contact first",
]


def write_messages(root: Path, name: str, entries: list[dict]) -> Path:
    folder = root / "safety"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump({"messages": entries}, sort_keys=False), encoding="utf-8")
    return path


def sample_entries(copies: int = 4) -> list[dict]:
    """Enough distinct labelled messages (over the minimum of each label) to train a small model."""
    entries = []
    for n in range(copies):
        entries += [{"text": f"{t} ({n})", "label": "urgent", "why": "danger now"} for t in URGENT_SAMPLES]
        entries += [{"text": f"{t} ({n})", "label": "ordinary", "why": "a question"} for t in ORDINARY_SAMPLES]
    return entries


@pytest.fixture
def small_knowledge(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    write_messages(root, "messages.yaml", sample_entries())
    return root
