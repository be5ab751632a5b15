"""The one Block Kit builder: turns an `Answer` (and help, notices) into a Slack message.

It enforces Slack's limits by trimming, never by failing, so no question or source can make a post bounce:
50 blocks, 3,000 characters a section, 150 a header, 75 a button label, 2,000 a button value, and about
12,000 characters for the whole message. Every message also carries a plain `text` fallback for
notifications and screen readers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from guidebot.help import HelpTopic
from guidebot.search.models import Answer, Result, Status, one_line
from handlers import ids
from handlers.escape import mrkdwn

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_CONTEXT = 2000
MAX_MESSAGE = 12000
MAX_FALLBACK = 3000
MORE_STEP = 3
MAX_PASSAGES = 10
ALSO_RELEVANT = 2

Block = dict[str, Any]


@dataclass(frozen=True)
class Message:
    """What one post or response carries: the plain fallback and the blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


@dataclass(frozen=True)
class Controls:
    """Which buttons an answer shows; the ids and values they carry back to the listeners."""

    answer_id: str
    context: str | None = None
    escalation: bool = False
    share: bool = False
    question_in_votes: bool = False


def fit(text: str, limit: int) -> str:
    """Trim mrkdwn to `limit` characters without cutting an entity in half or leaving a bold marker open."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    if cut.count("*") % 2:
        star = cut.rfind("*")
        cut = cut[:star] + cut[star + 1 :]
    return cut + "…"


def fit_plain(text: str, limit: int) -> str:
    """Trim plain text to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def highlight(safe_text: str, terms: Iterable[str]) -> str:
    """Bold whole-word occurrences of `terms` in text that has already been through `mrkdwn()`."""
    words = sorted({mrkdwn(t.strip()) for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return safe_text
    pattern = re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    return pattern.sub(lambda m: f"*{m.group(0)}*", safe_text)


def encode_value(data: dict[str, Any]) -> str:
    """A button value as compact JSON, trimming the question, then the context, to Slack's limit."""
    data = dict(data)
    for key in ("q", "c"):
        text = data.get(key)
        while text and len(json.dumps(data, ensure_ascii=False, separators=(",", ":"))) > MAX_BUTTON_VALUE:
            text = text[: max(0, len(text) - max(16, len(text) // 4))]
            data[key] = text
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode_value(value: object) -> dict[str, Any]:
    """A button value back to a dict; anything malformed becomes an empty dict."""
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def section_block(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": fit(text, MAX_SECTION)}}
    if block_id:
        block["block_id"] = block_id
    return block


def context_block(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "context", "elements": [{"type": "mrkdwn", "text": fit(text, MAX_CONTEXT)}]}
    if block_id:
        block["block_id"] = block_id
    return block


def button_element(label: str, action_id: str, value: dict[str, Any], style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": fit_plain(label, MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": encode_value(value),
    }
    if style:
        button["style"] = style
    return button


def quote(result: Result) -> str:
    """The passage as a mrkdwn block quote, the question's words in bold."""
    body = highlight(mrkdwn(result.text.strip()), result.highlights)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return "\n".join(f"> {line}" for line in lines) or "> …"


def source_line(result: Result) -> str:
    """Title, publisher, year and section: where the quote comes from."""
    parts = [f"*{mrkdwn(result.title)}*", mrkdwn(result.publisher), mrkdwn(str(result.year))]
    if result.section:
        parts.append(mrkdwn(result.section))
    line = "Source: " + " · ".join(p for p in parts if p.strip("*"))
    return line + (f"\n_{mrkdwn(result.source_kind)}_" if result.source_kind else "")


def _passages(results: Sequence[Result], shown: int) -> list[Block]:
    blocks: list[Block] = []
    for i, result in enumerate(results[:shown]):
        if i:
            blocks.append({"type": "divider"})
        blocks.append(section_block(quote(result), block_id=f"passage_{i}"))
        blocks.append(context_block(source_line(result)))
    others = results[shown : shown + ALSO_RELEVANT]
    if others:
        lines = "\n".join(f"• {mrkdwn(one_line(r))}" for r in others)
        blocks.append(context_block(f"*Also relevant:*\n{lines}", "also_relevant"))
    return blocks


def _actions(answer: Answer, controls: Controls, shown: int) -> Block | None:
    query = {"q": answer.question, "c": controls.context}
    buttons: list[Block] = []
    if answer.status != Status.no_answer and len(answer.results) > shown and shown < MAX_PASSAGES:
        buttons.append(button_element("More results", ids.MORE_RESULTS, {**query, "n": shown}))
    if answer.status != Status.no_answer and answer.results:
        vote: dict[str, Any] = {
            "a": controls.answer_id,
            "d": list(dict.fromkeys(r.doc_id for r in answer.results[:shown]))[:20],
        }
        if controls.question_in_votes:
            vote["q"] = answer.question
        buttons.append(button_element("Helpful", ids.HELPFUL, vote))
        buttons.append(button_element("Not helpful", ids.NOT_HELPFUL, vote))
    if controls.escalation:
        buttons.append(button_element("Ask a treatment manager", ids.ASK_TREATMENT_MANAGER, query))
    if controls.share and answer.status != Status.no_answer:
        buttons.append(button_element("Share in channel", ids.SHARE_IN_CHANNEL, {**query, "n": shown}, "primary"))
    return {"type": "actions", "block_id": "answer_actions", "elements": buttons} if buttons else None


def _fallback(answer: Answer) -> str:
    if answer.status == Status.urgent:
        text = "If someone may be in danger now: " + " ".join(answer.escalation)
    elif answer.status == Status.no_answer or not answer.results:
        text = answer.message
    else:
        best = answer.results[0]
        text = f"{best.title} ({best.publisher}, {best.year}): {best.text}"
    # Slack needs a non-empty fallback; a blank message (only whitespace) gets the plain default
    return fit(mrkdwn(" ".join(text.split()) or "I couldn't find that in the guidance I hold."), MAX_FALLBACK)


SAFETY_LINE_BLOCK = "safety_line"


def limit_blocks(blocks: list[Block]) -> list[Block]:
    """Drop trailing passages (never the first block, the safety line or the buttons) until the message fits."""
    tail: list[Block] = []
    while blocks and (blocks[-1]["type"] == "actions" or blocks[-1].get("block_id") == SAFETY_LINE_BLOCK):
        tail.insert(0, blocks.pop())

    def size() -> int:
        return len(json.dumps(blocks + tail, ensure_ascii=False))

    while len(blocks) > 1 and (len(blocks) + len(tail) > MAX_BLOCKS or size() > MAX_MESSAGE):
        blocks.pop()
    while blocks and blocks[-1]["type"] == "divider":
        blocks.pop()
    return blocks + tail


def render_answer(answer: Answer, controls: Controls, *, shown: int = 1) -> Message:
    """The answer message for any status: urgent puts the escalation steps first, in plain words."""
    shown = max(1, min(shown, MAX_PASSAGES))
    blocks: list[Block] = []
    if answer.status == Status.urgent:
        steps = answer.escalation or ["Call the police on 999 if someone is in danger now."]
        numbered = "\n".join(f"{i}. {mrkdwn(step)}" for i, step in enumerate(steps, 1))
        blocks.append(section_block(f":rotating_light: *If someone may be in danger now:*\n{numbered}", "escalation"))
        if answer.message:
            blocks.append(section_block(mrkdwn(answer.message)))
        if answer.results:
            blocks.append({"type": "divider"})
            blocks.append(context_block("Related guidance"))
            blocks.extend(_passages(answer.results, shown))
    elif answer.status == Status.no_answer or not answer.results:
        message = answer.message or "I couldn't find that in the guidance I hold."
        blocks.append(section_block(f":grey_question: {mrkdwn(message)}", "no_answer"))
        blocks.append(context_block("Try other words or a programme name, or ask a treatment manager."))
    else:
        blocks.extend(_passages(answer.results, shown))
    if answer.did_you_mean:
        blocks.append(context_block(f"Showing results for: _{mrkdwn(answer.did_you_mean)}_"))
    if answer.caution and answer.status == Status.answered:
        # under the best passage and its source, before anything else
        blocks.insert(2, context_block(f":grey_question: {mrkdwn(answer.caution)}", "caution"))
    if answer.safety_line:
        blocks.append(context_block(f":warning: {mrkdwn(answer.safety_line)}", SAFETY_LINE_BLOCK))
    actions = _actions(answer, controls, shown)
    if actions:
        blocks.append(actions)
    return Message(text=_fallback(answer), blocks=limit_blocks(blocks))


def render_shared(answer: Answer, controls: Controls, *, user_id: str, shown: int = 1) -> Message:
    """An answer someone chose to share in the channel, saying who shared it and what was asked."""
    inner = render_answer(answer, controls, shown=shown)
    intro = context_block(f"{mention(user_id)} shared an answer to: {mrkdwn(answer.question)}")
    return Message(text=inner.text, blocks=limit_blocks([intro, *inner.blocks]))


def render_help(topics: Sequence[HelpTopic]) -> Message:
    """`/guide help` and a DM "help": what the bot can do, with examples."""
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": fit_plain("What guidebot can do", MAX_HEADER)},
        }
    ]
    for topic in topics:
        text = f"*{mrkdwn(topic.title)}*\n{mrkdwn(topic.text)}"
        if topic.examples:
            text += "\n" + "\n".join(f"• {mrkdwn(example)}" for example in topic.examples)
        blocks.append(section_block(text))
    blocks.append(context_block(f"Mention me, send me a DM, or use `{ids.COMMAND} your question`."))
    text = "What guidebot can do: " + "; ".join(t.title for t in topics)
    return Message(text=fit(mrkdwn(text), MAX_FALLBACK), blocks=limit_blocks(blocks))


def render_notice(text: str) -> Message:
    """A short message the bot wrote itself (polite refusals, errors); the caller escapes any echoed text."""
    return Message(text=fit(text, MAX_FALLBACK), blocks=[section_block(text)])


def render_escalation(question: str, *, user_id: str, channel_id: str | None) -> Message:
    """The post in the escalation channel when someone presses "Ask a treatment manager"."""
    where = f" in {channel(channel_id)}" if channel_id else ""
    head = f":raising_hand: {mention(user_id)} asked for a treatment manager{where}:"
    body = "\n".join(f"> {line}" for line in mrkdwn(question).splitlines() if line.strip()) or "> …"
    return Message(text=fit(f"{head} {mrkdwn(question)}", MAX_FALLBACK), blocks=[section_block(f"{head}\n{body}")])


_SLACK_ID = re.compile(r"^[A-Z][A-Z0-9]{2,20}$")


def mention(user_id: str) -> str:
    """A live mention of a user id from a verified Slack payload; anything that is not an id is escaped."""
    return f"<@{user_id}>" if _SLACK_ID.match(user_id or "") else mrkdwn(user_id or "someone")


def channel(channel_id: str) -> str:
    """A channel link for a verified channel id; anything that is not an id is escaped."""
    return f"<#{channel_id}>" if _SLACK_ID.match(channel_id or "") else mrkdwn(channel_id)


DELAY_NOTE = ":hourglass: Sorry for the delay: Slack or guidebot was briefly unavailable."


def with_delay_note(message: dict[str, Any]) -> dict[str, Any]:
    """The same message, opening with an apology, for an answer sent long after it was asked."""
    blocks = message.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        return {**message, "text": f"{DELAY_NOTE}\n{message.get('text', '')}"}
    return {**message, "blocks": limit_blocks([context_block(DELAY_NOTE), *blocks])}
