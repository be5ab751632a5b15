"""Imminent-risk messages escalate; questions about risk, weapons or threats in general do not."""

from __future__ import annotations

import pytest

from guidebot.search.urgent import is_urgent

URGENT = [
    "he said he'd stab her if she leaves",
    "ex-partner has a knife and is outside her house",
    "kids are in danger, he's drunk and kicking the door in",
    "service user threatened to strangle his partner when he gets home",
    "she's terrified he'll kill her tonight",
    "he just told me he's got a gun",
    "worried he will hurt the baby",
    "my guy says he's going to batter her when he gets out later",
    "partner rang, he's broken in and she's hiding upstairs",
    "she says she is not safe",
]

NOT_URGENT = [
    "what risk tool does Kaizen use?",
    "how is risk managed in HRP?",
    "what does the programme teach about threats and violence?",
    "is weapon use covered in kaizen risk assessment?",
    "how do we keep children safe during the programme",
    "does BBR cover threats to kill in its risk assessment",
    "would a man with a knife conviction be suitable for BBR",
    "can a man who has a knife conviction do kaizen",
    "what would you do if a man had a weapon in group",
    "what if she is not safe to contact",
    "she said he had hit her last year, is he suitable for BBR",
]


@pytest.mark.parametrize("message", URGENT)
def test_imminent_risk_escalates(message: str) -> None:
    assert is_urgent(message)


@pytest.mark.parametrize("message", NOT_URGENT)
def test_questions_about_risk_do_not_escalate(message: str) -> None:
    assert not is_urgent(message)
