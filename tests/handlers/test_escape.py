"""escape() and friends: nothing a user or a source writes may become a live mention, link or format."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from handlers.escape import escape, mrkdwn, neutralise, plain_from_slack, unescape

INJECTIONS = ["<!channel>", "<!here>", "<!everyone>", "<@U123>", "<#C1>", "<https://x|y>", "<!subteam^S1|@t>"]
slackish = st.text(alphabet=st.sampled_from(list("<>&!@#|^*_~`;ampltg UC1 \n")) | st.characters(), max_size=200)
texts = st.one_of(slackish, st.lists(st.sampled_from(INJECTIONS) | slackish, max_size=6).map("".join))


@given(texts)
def test_no_control_characters_survive(text: str) -> None:
    out = mrkdwn(text)
    assert "<" not in out and ">" not in out
    assert not re.search(r"&(?!amp;|lt;|gt;)", out), "every & is the start of one of our three entities"
    assert not any(ch in out for ch in "*_~`")


@given(texts)
def test_escape_round_trips_exactly(text: str) -> None:
    assert unescape(escape(text)) == text


@given(texts)
def test_neutralise_is_idempotent(text: str) -> None:
    assert neutralise(neutralise(text)) == neutralise(text)


def test_known_injections_are_inert() -> None:
    assert mrkdwn("<!channel> hi <@U123>") == "&lt;!channel&gt; hi &lt;@U123&gt;"
    assert mrkdwn("*bold* _it_ ~s~ `c`") == "\u2217bold\u2217 \u02cdit\u02cd \u223cs\u223c \u02cbc\u02cb"
    assert escape("a & b") == "a &amp; b"


def test_plain_from_slack_reads_markup_as_words() -> None:
    assert plain_from_slack("<@UBOT> is <!here> ok &amp; <#C1|team> <https://x.org|the site> &lt;3") == (
        "@UBOT is @here ok & #team the site <3"
    )
    assert plain_from_slack("<https://x.org>") == "https://x.org"
