"""What a person typed, turned into a question the engine can take, or a polite reason it can't."""

from __future__ import annotations

import re

from handlers.escape import plain_from_slack

MAX_QUESTION = 1000

_EMOJI_CODE = re.compile(r":[a-z0-9_+'\-]+:", re.IGNORECASE)
EXAMPLE = "how many sessions is BBR?"


def question_from(text: object, bot_user_id: str | None = None) -> str:
    """The words of a Slack message, without the mention of the bot that addressed it."""
    if not isinstance(text, str):
        return ""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^<>]*)?>", " ", text)
    return " ".join(plain_from_slack(text).split())


def problem_with(question: str) -> str | None:
    """A polite reply (plain words, no echo of the text) when the question can't be searched; else None."""
    if "\ufffd" in question:
        return "Some characters in your message didn't come through. Could you type the question again?"
    if not question.strip():
        return f"Ask me a question about the programmes, for example: _{EXAMPLE}_"
    if len(question) > MAX_QUESTION:
        return (
            f"That message is {len(question):,} characters long; I search best with a short question "
            f"(up to {MAX_QUESTION:,} characters). Could you ask the key point in a sentence or two?"
        )
    if not any(ch.isalnum() for ch in _EMOJI_CODE.sub("", question)):
        return f"I need some words to search for. Try a question such as: _{EXAMPLE}_"
    return None


def is_help(question: str) -> bool:
    """True when the person asks what the bot can do."""
    return question.strip().lower().strip("?!. ") in {"help", "hello", "hi", "what can you do"}
