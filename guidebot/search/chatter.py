"""Setting aside what surrounds a question in chat: mentions, emoji, markup, greetings, apologies, thanks.

Done in the core, so the terminal and Slack search the same words. Only the frame is removed, never the
words of the question itself: each pattern is anchored at the start or the end of the message.
"""

from __future__ import annotations

import re

# <@U1>, <#C1|name>, <!channel>, <url|label> (raw Slack markup) and @name, #channel as Slack shows them
_SLACK_TOKEN = re.compile(r"<[@#!][^<>]*>")
_LINK = re.compile(r"<(?:https?|mailto):[^<>|]*\|([^<>]*)>|<(?:https?|mailto):[^<>]*>")
_HANDLE = re.compile(r"(?<![\w.])[@#][\w.\-]+")
_EMOJI = re.compile(r":[a-z0-9_+'\-]+:", re.IGNORECASE)
_MARKUP = re.compile(r"[*_~`>]+")

_WHO = r"(?:all|everyone|everybody|team|folks|guys|both|there|people|peeps|y'?all|you lot|lovely people|gang)"
_OPENERS = [
    rf"(?:good\s+)?(?:morning|mornin|afternoon|evening)(?:\s+{_WHO})?",
    rf"(?:hi|hiya|hello|hey|heya|howdy|yo)(?:\s+{_WHO})?",
    r"(?:a\s+)?(?:quick|random|daft|silly|stupid|dumb|easy|basic|probably daft|possibly silly)\s+"
    r"(?:q|qu|question|one|query|ask)",
    r"(?:sorry|apologies|soz)\b[^?]{0,80}?\b(?:but|however)",
    r"(?:sorry|apologies|soz)(?:\s+to\s+(?:bother|interrupt)(?:\s+(?:you|everyone|all))?)?",
    r"(?:can|could)\s+(?:any\s*one|some\s*one|you)\s+(?:help|advise)(?:\s+(?:me|pls|please))?",
    r"hope\s+(?:you'?re|you\s+are|everyone'?s|everyone\s+is|all\s+are)\s+(?:all\s+)?(?:well|ok|good)",
]
_CLOSERS = [
    r"(?:many\s+)?(?:thanks|thank\s+you|thx|ty|tia|ta|cheers)(?:\s+(?:in\s+advance|all|everyone|so\s+much|"
    r"a\s+lot|team|guys|loads|very\s+much))*(?:\s*[,-]?\s*[A-Z][a-z]+)?",
    r"(?:any\s+(?:help|advice|pointers|thoughts)\s+(?:much\s+|greatly\s+)?appreciated)",
]
_SEP = r"[\s,.!:;\-–—)(]*"
_OPENER = re.compile(rf"^{_SEP}(?:{'|'.join(_OPENERS)}){_SEP}(?=\W|$)", re.IGNORECASE)
_CLOSER = re.compile(rf"(?<=[\s,.!?:;\-])(?:{'|'.join(_CLOSERS)}){_SEP}[x\s!.]*$", re.IGNORECASE)


def set_aside(text: str) -> str:
    """The question without its chat frame; the text unchanged if nothing would be left."""
    plain = _LINK.sub(lambda m: m.group(1) or " ", text)
    plain = _EMOJI.sub(" ", _HANDLE.sub(" ", _SLACK_TOKEN.sub(" ", plain)))
    plain = " ".join(_MARKUP.sub(" ", plain).split())
    for _ in range(4):  # "morning all, quick q - sorry if daft but ..."
        stripped = _OPENER.sub("", plain, count=1)
        if stripped == plain:
            break
        plain = stripped
    for _ in range(3):
        stripped = _CLOSER.sub("", plain).rstrip(" ,-")
        if stripped == plain:
            break
        plain = stripped
    return plain.strip(" ,-") if any(ch.isalnum() for ch in plain) else text.strip()
