"""Hard signs escalate whatever else a message says, and match whole words only."""

from __future__ import annotations

import pytest

from guidebot.safety.assess import Safety
from guidebot.safety.hard_signs import SIGNS, hard_sign

CHATTER = [
    "thanks all, {}",
    "no concerns at last review but {}",
    "urgent flag please: {}",
    "{} - no issues otherwise, thanks",
    "Morning all, quick one about BBR referral dates and the info pack for the Tuesday group, the venue has "
    "changed and the TM wants numbers by Friday. {} Anyway, does anyone have the new room booking form?",
]
SIGN_MESSAGES = {
    "threat to kill or seriously harm": "he says he's going to kill her when he gets home",
    "attack under way": "he is strangling her, she's on the phone to me",
    "weapon with him now": "he's got a knife and he's at her door",
    "child taken": "he's snatched the baby from nursery",
}


@pytest.mark.parametrize("template", CHATTER)
@pytest.mark.parametrize(("sign", "message"), SIGN_MESSAGES.items())
def test_a_hard_sign_escalates_whatever_surrounds_it(template: str, sign: str, message: str) -> None:
    text = template.format(message)
    assert hard_sign(text) == sign
    assessment = Safety(None).assess(text)
    assert assessment.urgent and assessment.hard_sign == sign


def test_every_sign_has_an_example() -> None:
    assert set(SIGN_MESSAGES) == set(SIGNS)


@pytest.mark.parametrize(
    "text",
    [
        "the group has begun and Beatrice is facilitating",
        "we will kill two birds with one stone at the team meeting",  # no person as the target
        "he's threatened to kill her before, does BBR take men with threats to kill on record?",
        "he has a knife conviction from 2015, is he suitable for Kaizen?",
        "the men were hammered at the weekend",
        "he was kicking off about the door code",
        "he took the kids to school",
        "what risk tool does kaizen use",
    ],
)
def test_no_hard_sign(text: str) -> None:
    assert hard_sign(text) is None


def test_curly_apostrophes_and_line_breaks_are_read_as_plain_text() -> None:
    assert hard_sign("he\u2019s going to\nkill her") == "threat to kill or seriously harm"
