"""Chat around a question is set aside before searching; the question's own words never are."""

from __future__ import annotations

import pytest

from guidebot.search.chatter import set_aside
from guidebot.search.engine import Engine
from guidebot.search.models import Status


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("morning all, quick q - max group size for kaizen?", "max group size for kaizen?"),
        (
            "sorry if this is a daft question but how many sessions is BBR? thanks in advance!!",
            "how many sessions is BBR?",
        ),
        ("<@U123ABC> <!channel> who does the partner referral :pray: thanks all", "who does the partner referral"),
        ("@Sam can you help me - what does a WSW do day to day? Cheers, Sam", "what does a WSW do day to day?"),
        ("hi guys hope you're all well, is up2u for women too? ta x", "is up2u for women too?"),
        ("*what* does _SARA_ stand for?", "what does SARA stand for?"),
        ("see <https://example.org/guide|the guide> for kaizen phases", "see the guide for kaizen phases"),
    ],
)
def test_the_frame_is_set_aside(typed: str, searched: str) -> None:
    assert set_aside(typed) == searched


@pytest.mark.parametrize(
    "question",
    [
        "how is risk managed in HRP",
        "what did the study say about thanks and praise for the men",
        "sorry",  # nothing but chat: left as typed, never emptied
        "thanks",
    ],
)
def test_the_question_itself_is_kept(question: str) -> None:
    assert set_aside(question) == question


@pytest.mark.parametrize(
    "wrapped",
    [
        "morning all, quick q - {} thanks in advance!!",
        "sorry if this is a daft question but {}",
        "<@U0GUIDE> <!here> {} :pray:",
        "hey team! {} cheers, Jo",
    ],
)
def test_chatter_does_not_change_the_answer(engine: Engine, wrapped: str) -> None:
    plain = engine.ask("how many sessions is BBR")
    chatty = engine.ask(wrapped.format("how many sessions is BBR"))
    assert chatty.status is plain.status is Status.answered
    assert chatty.results[0].passage_id == plain.results[0].passage_id


def test_a_misspelt_programme_is_corrected_and_searched(engine: Engine) -> None:
    answer = engine.ask("max group size for kaizan")
    assert answer.status is Status.answered
    assert answer.did_you_mean == "max group size for Kaizen"
    assert answer.results[0].doc_id == "kaizen-hmpps-2019"
