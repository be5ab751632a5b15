"""The Block Kit builder: layouts per status, escaping, highlights, Slack's limits enforced by trimming."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from guidebot.help import help_topics
from guidebot.search.models import Answer, Status
from handlers import ids
from handlers.blocks import (
    MAX_BUTTON_VALUE,
    MAX_MESSAGE,
    Controls,
    decode_value,
    fit,
    render_answer,
    render_escalation,
    render_help,
    render_shared,
)
from tests.fakeslack.blockkit import validate_blocks, visible_text
from tests.handlers.answers import answered, no_answer, result, urgent

ALL = Controls(answer_id="a1", escalation=True, share=True)


def action_ids(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def all_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_answered_quotes_best_passage_with_highlights_and_source() -> None:
    msg = render_answer(answered(), Controls(answer_id="a1"))
    blocks = validate_blocks(msg.blocks)
    assert blocks[0]["text"]["text"] == "> *BBR* has 30 *sessions*, including individual *sessions*. Passage 0."
    assert blocks[1]["elements"][0]["text"] == (
        "Source: *Building Better Relationships guide 0* · HMPPS · 2013 · Programme structure"
    )
    assert action_ids(blocks) == [ids.MORE_RESULTS, ids.HELPFUL, ids.NOT_HELPFUL]
    assert msg.text.startswith("Building Better Relationships guide 0 (HMPPS, 2013): BBR has 30")


def test_highlight_skips_partial_words_and_entities() -> None:
    answer = answered(n=1, text="Sessions & assessment; sessionsX amp", highlights=["sessions", "amp"])
    text = render_answer(answer, Controls(answer_id="a"))
    assert text.blocks[0]["text"]["text"] == "> *Sessions* &amp; assessment; sessionsX *amp*"


def test_treatment_manager_and_share_buttons_only_when_asked_for() -> None:
    blocks = render_answer(answered(), ALL).blocks
    assert action_ids(blocks)[-2:] == [ids.ASK_TREATMENT_MANAGER, ids.SHARE_IN_CHANNEL]
    assert ids.ASK_TREATMENT_MANAGER not in action_ids(render_answer(answered(), Controls(answer_id="a")).blocks)


def test_more_results_shows_next_passages_and_disappears_at_the_end() -> None:
    blocks = validate_blocks(render_answer(answered(n=4), ALL, shown=4).blocks)
    assert [b["block_id"] for b in blocks if b.get("block_id", "").startswith("passage_")] == [
        "passage_0",
        "passage_1",
        "passage_2",
        "passage_3",
    ]
    assert ids.MORE_RESULTS not in action_ids(blocks)
    more = next(
        e for e in render_answer(answered(n=4), ALL).blocks[-1]["elements"] if e["action_id"] == ids.MORE_RESULTS
    )
    assert decode_value(more["value"]) == {"q": "how many sessions is BBR?", "c": None, "n": 1}


def test_votes_carry_ids_and_question_only_when_logging_questions() -> None:
    vote = render_answer(answered(), Controls(answer_id="a9")).blocks[-1]["elements"][1]
    assert decode_value(vote["value"]) == {"a": "a9", "d": ["doc-0"]}
    logged = render_answer(answered(), Controls(answer_id="a9", question_in_votes=True)).blocks[-1]["elements"][1]
    assert decode_value(logged["value"])["q"] == "how many sessions is BBR?"


def test_no_answer_layout_offers_a_treatment_manager_not_votes() -> None:
    blocks = validate_blocks(render_answer(no_answer(), ALL).blocks)
    assert blocks[0]["block_id"] == "no_answer"
    assert action_ids(blocks) == [ids.ASK_TREATMENT_MANAGER]


def test_urgent_layout_puts_escalation_steps_first() -> None:
    msg = render_answer(urgent(), ALL)
    blocks = validate_blocks(msg.blocks)
    assert blocks[0]["block_id"] == "escalation"
    assert "1. Call the police on 999.\n2. Tell the offender manager." in blocks[0]["text"]["text"]
    assert msg.text.startswith("If someone may be in danger now: Call the police on 999.")
    assert any(b.get("block_id") == "passage_0" for b in blocks[1:])


def test_injection_in_question_and_source_is_inert() -> None:
    evil = "<!channel> <@U123> <#C1> <https://x|y> *bold* & done"
    answer = answered(question=evil, n=2, title=evil, text=evil, section=evil, highlights=["done"])
    answer.did_you_mean = evil
    for msg in (
        render_answer(answer, ALL, shown=2),
        render_shared(answer, ALL, user_id="U999"),
        render_escalation(evil, user_id="U999", channel_id="C111"),
    ):
        blob = msg.text + visible_text(validate_blocks(msg.blocks))
        for token in ("<!channel>", "<@U123>", "<#C1>", "<https://x|y>", "*bold*"):
            assert token not in blob
    assert "<@U999>" in all_text(render_shared(answer, ALL, user_id="U999").blocks)
    assert "<@" not in visible_text(render_shared(answer, ALL, user_id="<!here>").blocks)


def test_fit_never_cuts_entities_or_leaves_bold_open() -> None:
    assert fit("ab &amp; cd", 6) == "ab …"
    assert fit("x *bold* and *more*", 16) == "x *bold* and m…"


huge = st.text(min_size=0, max_size=40_000).map(lambda s: s * 2)


@settings(max_examples=30, deadline=None)
@given(question=huge, text=huge, title=huge, n=st.integers(0, 60), status=st.sampled_from(list(Status)))
def test_any_answer_renders_within_slack_limits(question: str, text: str, title: str, n: int, status: Status) -> None:
    answer = Answer(
        question=question,
        status=status,
        results=[result(i, text=text or "x", title=title, highlights=text.split()[:50]) for i in range(n)],
        escalation=[text] * 3,
        message=text,
        did_you_mean=question or None,
    )
    for msg in (render_answer(answer, ALL, shown=10), render_shared(answer, ALL, user_id="U1", shown=10)):
        blocks = validate_blocks(msg.blocks)
        assert len(json.dumps(blocks, ensure_ascii=False)) <= MAX_MESSAGE
        assert all(len(e["value"]) <= MAX_BUTTON_VALUE for b in blocks if b["type"] == "actions" for e in b["elements"])
        assert 0 < len(msg.text) <= 3000


def test_help_lists_every_topic_with_examples() -> None:
    topics = help_topics()
    blocks = validate_blocks(render_help(topics).blocks)
    body = all_text(blocks)
    assert all(t.title in body for t in topics)
    assert "how many sessions is BBR?" in body


def test_each_passage_says_what_kind_of_source_it_is() -> None:
    answer = answered(n=1, source_kind="Research finding (MoJ 2010 study, programmes since replaced)")
    blocks = validate_blocks(render_answer(answer, Controls(answer_id="a")).blocks)
    assert blocks[1]["elements"][0]["text"].endswith("\n_Research finding (MoJ 2010 study, programmes since replaced)_")


def test_also_relevant_lists_the_next_two_in_one_line_each() -> None:
    blocks = validate_blocks(render_answer(answered(n=4), Controls(answer_id="a")).blocks)
    also = next(b for b in blocks if b.get("block_id") == "also_relevant")
    lines = also["elements"][0]["text"].split("\n")
    assert lines[0] == "*Also relevant:*"
    assert [line.split(" (")[0] for line in lines[1:]] == ["• Programme structure", "• Programme structure"]
    assert "Passage 1." in lines[1] and "Passage 2." in lines[2]


def test_the_safety_line_ends_the_answer_and_survives_trimming() -> None:
    long = "word " * 2500
    answer = answered(n=10, text=long)
    answer.safety_line = "If someone is in danger now, call 999, then tell the offender manager."
    blocks = validate_blocks(render_answer(answer, Controls(answer_id="a"), shown=10).blocks)
    assert len(json.dumps(blocks)) <= MAX_MESSAGE + 1000
    safety = [b for b in blocks if b.get("block_id") == "safety_line"]
    assert len(safety) == 1 and "call 999" in safety[0]["elements"][0]["text"]
    assert blocks[-1]["type"] == "actions" and blocks[-2].get("block_id") == "safety_line"


def test_a_corrected_question_is_shown_as_what_was_searched() -> None:
    answer = answered(n=1)
    answer.did_you_mean = "max group size for Kaizen"
    text = visible_text(render_answer(answer, Controls(answer_id="a")).blocks)
    assert "Showing results for: _max group size for Kaizen_" in text


def test_a_caution_sits_under_the_best_passage_and_its_source() -> None:
    answer = answered(n=3)
    answer.caution = "The documents may not say exactly what you asked."
    blocks = validate_blocks(render_answer(answer, Controls(answer_id="a")).blocks)
    assert blocks[0].get("block_id") == "passage_0"
    assert blocks[2].get("block_id") == "caution" and "may not say exactly" in blocks[2]["elements"][0]["text"]
    refused = no_answer()
    refused.caution = "The documents may not say exactly what you asked."
    assert "may not say" not in visible_text(render_answer(refused, Controls(answer_id="a")).blocks)
