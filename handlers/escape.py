"""The one place where text from users and sources is made safe to show in Slack mrkdwn.

Slack treats `&`, `<` and `>` as control characters: `<!channel>`, `<@U1>`, `<#C1>` and `<url|label>` are live
only when those characters arrive raw, so `escape()` turns them into entities (exactly reversible with
`unescape()`). Quoted text also gets `neutralise()`: `*`, `_`, `~` and backticks become look-alike characters
so a source or a question can never bold, strike or code-format the bot's message. `mrkdwn()` does both;
every renderer uses it for any text it did not write itself.
"""

from __future__ import annotations

import re

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ESCAPE_RE = re.compile("[&<>]")
_UNESCAPE_RE = re.compile("&(amp|lt|gt);")
_UNESCAPES = {"amp": "&", "lt": "<", "gt": ">"}

# Look-alikes chosen to read the same in a quote: asterisk operator, modifier low macron,
# tilde operator, modifier grave accent.
_NEUTRAL = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})

# Slack's markup in incoming text: <@U1>, <@U1|name>, <#C1|name>, <!here>, <!subteam^S1|@team>, <url|label>.
_SLACK_TOKEN_RE = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")


def escape(text: str) -> str:
    """Replace Slack's three control characters by entities, so nothing in `text` becomes live markup."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


def unescape(text: str) -> str:
    """Undo `escape()` (also what Slack does to message text before sending it to us)."""
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPES[m.group(1)], text)


def neutralise(text: str) -> str:
    """Swap mrkdwn formatting characters for look-alikes; idempotent, so applying it twice changes nothing."""
    return text.translate(_NEUTRAL)


def mrkdwn(text: str) -> str:
    """Text we did not write, made safe to place inside a mrkdwn text object."""
    return neutralise(escape(text))


def plain_from_slack(text: str) -> str:
    """Slack message markup to the plain words a person typed: `<@U1>` -> `@U1`, `<url|label>` -> `label`.

    The result is plain text for searching and for echoing through `mrkdwn()`; it is never sent raw.
    """

    def readable(match: re.Match[str]) -> str:
        sigil, target, label = match.group(1), match.group(2), match.group(3)
        if label:
            return label if sigil != "#" else f"#{label.lstrip('#')}"
        if sigil == "!":
            return "@" + target.split("^", 1)[0]
        return sigil + target

    return unescape(_SLACK_TOKEN_RE.sub(readable, text))
