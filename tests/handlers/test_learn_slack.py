"""Learning in Slack through the running app: `/guide define`, `/guide compare` and the `/guide learn` tour.

Every reply is checked as Block Kit by `responses()`; expected sources are drawn from the same content the bot
loads, so a cell that lost its source, or a reply naming the wrong one, fails here.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from guidebot.learn.compare import NOT_STATED, compare
from guidebot.learn.content import Library, open_library
from guidebot.learn.define import define
from guidebot.learn.results import Comparison, Definition
from handlers import ids
from handlers.escape import mrkdwn
from tests.fakeslack import payloads as p
from tests.fakeslack.blockkit import visible_text
from tests.fakeslack.signing import post_signed
from tests.fakeslack.webapi import Call
from tests.handlers.conftest import Running, responses


@pytest.fixture(scope="module")
def library() -> Library:
    """The shipped content, loaded as the bot loads it, for the expected labels."""
    from guidebot.config import Settings

    return open_library(Settings().knowledge_dir)


def url(app: Running) -> str:
    return f"{app.fake.url}/respond/{uuid.uuid4().hex}"


def slash(app: Running, text: str) -> Call:
    post_signed(app.url, *p.form_body(p.command_by(text, url(app))))
    return responses(app)[-1]


def buttons(call: Call) -> dict[str, dict[str, Any]]:
    return {e["action_id"]: e for b in call.blocks if b["type"] == "actions" for e in b["elements"]}


def click(app: Running, button: dict[str, Any]) -> Call:
    """A click on an ephemeral message's button; the reply must go to this click's own response_url."""
    response_url = url(app)
    payload = p.block_action(button["action_id"], button["value"], response_url, ephemeral=True)
    post_signed(app.url, *p.interactive_body(payload))
    reply = responses(app)[-1]
    assert reply.path == response_url.removeprefix(app.fake.url)
    return reply


def shown(call: Call) -> str:
    return visible_text(call.blocks) + "\n" + str(call.params.get("text") or "")


def cells(call: Call) -> list[str]:
    return [f["text"] for b in call.blocks if b["type"] == "section" for f in b.get("fields", [])]


# -- define ---------------------------------------------------------------------------------------------------


def test_define_sara_gives_expansion_meaning_and_where_it_appears(running: Running, library: Library) -> None:
    expected = define(library.knowledge.glossary, library.knowledge.passages, library.sources, "SARA")
    assert isinstance(expected, Definition) and expected.sources
    reply = slash(running, "define SARA")
    text = shown(reply)
    assert reply.params["response_type"] == "ephemeral" and reply.params["replace_original"] is False
    assert "*SARA* — spousal assault risk assessment" in text
    assert "Where it appears:" in text and f"Used in {expected.passages} passages" in text
    assert all(mrkdwn(c.label) in text for c in expected.sources)
    assert running.engine.calls == []  # a known term is answered from the glossary, not by a search


def test_define_with_trailing_punctuation_and_any_case(running: Running) -> None:
    assert "*SARA* — spousal assault risk assessment" in shown(slash(running, "define sara?"))


def test_a_misspelt_term_gets_did_you_mean(running: Running) -> None:
    text = shown(slash(running, "define SRA"))
    assert "I don't have *SRA* in the glossary." in text
    assert "Did you mean: *SARA*" in text


def test_an_unknown_term_lists_the_known_ones_and_searches_the_documents(running: Running) -> None:
    reply = slash(running, "define zzqx flurbish")
    text = shown(reply)
    assert "I don't have *zzqx flurbish* in the glossary." in text and "Did you mean" not in text
    assert "Terms I know:" in text and "`SARA`" in text and "`BBR`" in text
    assert [call[0] for call in running.engine.calls] == ["zzqx flurbish"]
    block_ids = {b.get("block_id") for b in reply.blocks}
    assert block_ids & {"no_answer", "passage_0"}


def test_an_unknown_phrase_shows_what_the_search_found(running: Running) -> None:
    reply = slash(running, "define gap week contact")
    assert "Terms I know:" in shown(reply)
    assert "passage_0" in {b.get("block_id") for b in reply.blocks}
    assert "Source:" in shown(reply)


@pytest.mark.parametrize("typed", ["<!channel>", "<@U123>", "<!here|here> *bold*", "a<b&c"])
def test_what_the_user_typed_is_escaped_and_pings_no_one(running: Running, typed: str) -> None:
    reply = slash(running, f"define {typed}")
    text = shown(reply)
    assert "I don't have *" in text
    for live in ("<!channel>", "<@U123>", "<!here", "<b", "*bold*"):
        assert live not in text
    if typed == "a<b&c":
        assert "a&lt;b&amp;c" in text


# -- compare --------------------------------------------------------------------------------------------------


def _labels(comparison: Comparison) -> set[str]:
    return {mrkdwn(c.source.label) for r in comparison.rows for c in r.values.values() if c.source}


def test_compare_bbr_kaizen_puts_each_fact_side_by_side_with_its_source(running: Running, library: Library) -> None:
    expected = compare(library.learning, library.sources, ["BBR", "Kaizen"])
    assert isinstance(expected, Comparison)
    reply = slash(running, "compare BBR Kaizen")
    rows = [b for b in reply.blocks if b["type"] == "section" and b.get("fields")]
    assert [b["text"]["text"] for b in rows] == [f"*{r.label}*" for r in expected.rows]
    assert all([f["text"].split("\n")[0] for f in b["fields"]] == ["*BBR*", "*Kaizen*"] for b in rows)
    labels = _labels(expected)
    for cell in cells(reply):
        last = cell.split("\n")[-1]
        assert last == f"_{NOT_STATED}_" or (last.startswith("_") and last.strip("_") in labels), cell
    assert "Side by side:" in shown(reply) and "Building Better Relationships (BBR)" in shown(reply)
    assert "2010 study" not in shown(reply)


def test_compare_three_with_connectors_and_the_2010_study_noted(running: Running) -> None:
    reply = slash(running, "compare IDAP, CDVP and BBR")
    rows = [b for b in reply.blocks if b.get("fields")]
    assert rows and all(len(b["fields"]) == 3 for b in rows)
    assert {f.split("\n")[0] for f in cells(reply)} == {"*IDAP*", "*CDVP*", "*BBR*"}
    assert "IDAP, CDVP and HRP facts come from a 2010 study" in shown(reply)
    assert all(len(f) <= 2000 for f in cells(reply)) and len(reply.blocks) <= 50


def test_compare_an_unknown_programme_lists_the_known_ones(running: Running) -> None:
    text = shown(slash(running, "compare BBR Kaizn"))
    assert "I don't know the programme *Kaizn*" in text
    assert all(f"`{name}`" in text for name in ("IDAP", "CDVP", "HRP", "BBR", "Kaizen", "Up2U"))
    assert "Did you mean *Kaizen*?" in text


def test_compare_the_same_programme_twice_says_what_to_type(running: Running) -> None:
    text = shown(slash(running, "compare BBR bbr"))
    assert "the same programme" in text and not cells(responses(running)[-1])


# -- routing --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "define the risk process for BBR and Kaizen?",
        "compare BBR and Kaizen for men in custody please",
        "learn about BBR",
    ],
)
def test_a_longer_sentence_stays_a_question(running: Running, question: str) -> None:
    slash(running, question)
    assert [call[0] for call in running.engine.calls] == [question]
    assert "glossary" not in shown(responses(running)[-1])


# -- the tour -------------------------------------------------------------------------------------------------


def test_learn_next_next_back_moves_the_card_and_replaces_the_message(running: Running, library: Library) -> None:
    total = len(library.learning.tour)
    first = slash(running, "learn")
    assert f"card 1 of {total}" in shown(first) and "Sources:" in shown(first)
    assert set(buttons(first)) == {ids.LEARN_NEXT}
    second = click(running, buttons(first)[ids.LEARN_NEXT])
    third = click(running, buttons(second)[ids.LEARN_NEXT])
    back = click(running, buttons(third)[ids.LEARN_BACK])
    for call, number in ((second, 2), (third, 3), (back, 2)):
        assert call.params["replace_original"] is True
        assert f"card {number} of {total}" in shown(call)
        assert set(buttons(call)) == {ids.LEARN_BACK, ids.LEARN_NEXT}
    assert json.loads(buttons(back)["learn_back"]["value"]) == {"n": 1}
    assert library.learning.tour[1].programme and "*Setting:*" in shown(second)


def test_the_last_card_finishes_with_where_to_go_next(running: Running, library: Library) -> None:
    total = len(library.learning.tour)
    last = slash(running, "learn 99")
    assert f"card {total} of {total}" in shown(last)
    assert set(buttons(last)) == {ids.LEARN_BACK, ids.LEARN_FINISH}
    done = click(running, buttons(last)[ids.LEARN_FINISH])
    assert done.params["replace_original"] is True and not buttons(done)
    assert all(c in shown(done) for c in ("/guide quiz", "/guide define", "/guide compare"))


def test_without_learning_content_it_says_so_plainly(start: Any, tmp_path: Path) -> None:
    app = start(knowledge_dir=tmp_path)
    for text in ("define SARA", "compare BBR Kaizen", "learn"):
        assert "learning content" in shown(slash(app, text)) and "unavailable" in shown(responses(app)[-1])
