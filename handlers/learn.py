"""Learning in Slack: `/guide define TERM`, `/guide compare A B [C]` and `/guide learn [N]` (the tour for new staff).

Each is stored like every request and answered by the worker, privately through the response_url. The tour's
buttons carry the card they lead to, so Next / Back replace the same message and nothing is kept between clicks.
Every fact shown names its source; every text that is not ours goes through `mrkdwn()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from guidebot.delivery import Outgoing
from guidebot.learn.compare import MAX_PROGRAMMES, MIN_PROGRAMMES, NOT_STATED, CompareError, compare
from guidebot.learn.content import Library
from guidebot.learn.define import define
from guidebot.learn.results import Card, Cell, Comparison, Definition, Row, Unknown
from guidebot.learn.tour import tour_card
from handlers import ids
from handlers.ask import reply_for
from handlers.blocks import (
    MAX_BLOCKS,
    MAX_FALLBACK,
    Block,
    Message,
    button_element,
    context_block,
    decode_value,
    fit,
    limit_blocks,
    render_notice,
    section_block,
)
from handlers.command import Subcommand
from handlers.escape import escape, mrkdwn, plain_from_slack
from handlers.jobs import accept, action_listener, respond, response_url_from, str_or_none
from handlers.services import Services

MAX_DEFINE_WORDS = 4
MAX_FIELDS = 10
MAX_FIELD = 2000
MAX_WHERE = 5
# Words people put between programme names ("compare BBR and Kaizen"); never a programme themselves.
CONNECTORS = {"and", "vs", "vs.", "v", "v.", "versus", "with", "&", "or"}
OLD_PROGRAMMES = {"IDAP", "CDVP", "HRP"}
STUDY_NOTE = (
    ":information_source: IDAP, CDVP and HRP facts come from a 2010 study of those programmes, "
    "which have since been replaced by BBR and Kaizen."
)
UNAVAILABLE = (
    "Sorry, the learning content ({what}) is unavailable right now. "
    "You can still ask me a question, for example `/guide how many sessions is BBR?`"
)
FINISHED = (
    ":tada: *That's the end of the tour.*\n"
    "• Test yourself: `/guide quiz`\n"
    "• Look up an acronym: `/guide define SARA`\n"
    "• Put programmes side by side: `/guide compare BBR Kaizen`\n"
    "Start again any time with `/guide learn`."
)


# -- routing: a subcommand claims only its exact shape ----------------------------------------------------


def _tidy(word: str) -> str:
    """A typed word without the punctuation around it ("SARA?" -> "SARA", "BBR," -> "BBR")."""
    return word.strip("?!.,;:\"'()")


def programme_names(words: list[str]) -> list[str]:
    """The programme names after `compare`, without connectors such as "and" or "vs"."""
    tidied = (_tidy(w) for w in words)
    return [w for w in tidied if w and w.lower() not in CONNECTORS]


def is_define(words: list[str]) -> bool:
    """`define` and one to four words: a longer sentence is a question for Ask."""
    return words[:1] == ["define"] and 1 <= len(words) - 1 <= MAX_DEFINE_WORDS


def is_compare(words: list[str]) -> bool:
    """`compare` and two or three names (connectors aside): anything longer is a question for Ask."""
    names = programme_names(words[1:])
    short = len(words) - 1 <= 2 * MAX_PROGRAMMES - 1  # "A and B and C" at most
    return words[:1] == ["compare"] and short and MIN_PROGRAMMES <= len(names) <= MAX_PROGRAMMES


def is_learn(words: list[str]) -> bool:
    """`learn` alone or `learn N`."""
    return words[:1] == ["learn"] and (len(words) == 1 or (len(words) == 2 and words[1].isdigit()))


CommandHandler = Callable[[Services, Ack, dict[str, Any], WebClient, BoltContext], None]


def _store(kind: str) -> CommandHandler:
    """A Subcommand handler that stores the request as `kind` for the worker, then acks."""

    def handle(services: Services, ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        job = {
            "text": str_or_none(command.get("text")) or "",
            "user": str_or_none(command.get("user_id")),
            "response_url": response_url_from(command.get("response_url"), services.settings),
        }
        accept(services, kind, job, context)
        ack()

    return handle


SUBCOMMANDS = [
    Subcommand(is_define, _store("learn_define")),
    Subcommand(is_compare, _store("learn_compare")),
    Subcommand(is_learn, _store("learn_tour")),
]


# -- shared ---------------------------------------------------------------------------------------------------


def _library(services: Services) -> Library | None:
    """The loaded learning content, or None when it could not be loaded."""
    return services.library if isinstance(services.library, Library) else None


def _reply(job: dict[str, Any], message: Message | dict[str, Any], *, replace: bool = False) -> list[Outgoing]:
    """The private reply; `replace` swaps the message the clicked button sat in."""
    payload = message.as_kwargs() if isinstance(message, Message) else message
    return [respond(job.get("response_url"), {**payload, "replace_original": replace})]


def _unavailable(job: dict[str, Any], what: str) -> list[Outgoing]:
    """Plainly that the content is missing, rather than an empty or misleading answer."""
    return _reply(job, render_notice(UNAVAILABLE.format(what=what)))


def _words(job: dict[str, Any]) -> list[str]:
    """The words typed after the subcommand, Slack markup turned into plain text (`<@U1>` -> `@U1`)."""
    return plain_from_slack(str(job.get("text") or "")).split()[1:]


def _listed(names: list[str]) -> str:
    """Names as code spans, so staff can copy one into the next command."""
    return ", ".join(f"`{mrkdwn(n)}`" for n in names)


# -- define ---------------------------------------------------------------------------------------------------


def render_definition(found: Definition) -> Message:
    """The term, its expansion and meaning, then where the documents use it, each line with its source."""
    term = mrkdwn(found.term)
    blocks: list[Block] = [section_block(f"*{term}* — {mrkdwn(found.expansion)}\n{mrkdwn(found.meaning)}")]
    where = [f"• “{mrkdwn(c.citation.quote)}”\n   _{mrkdwn(c.label)}_" for c in found.sources[:MAX_WHERE]]
    if where:
        blocks.append(section_block("*Where it appears:*\n" + "\n".join(where)))
    used = "passage" if found.passages == 1 else "passages"
    blocks.append(context_block(f"Used in {found.passages} {used} of the documents I hold."))
    text = f"{found.term}: {found.expansion}. {found.meaning}"
    return Message(text=fit(mrkdwn(text), MAX_FALLBACK), blocks=blocks)


def render_unknown_term(services: Services, unknown: Unknown) -> Message:
    """Not in the glossary: close spellings, the terms it does hold, then what a search finds for the words."""
    head = f"I don't have *{mrkdwn(unknown.asked)}* in the glossary."
    if unknown.did_you_mean:
        head += "\nDid you mean: " + ", ".join(f"*{mrkdwn(t)}*" for t in unknown.did_you_mean) + "?"
    searched = reply_for(services, unknown.asked, context=None, share=True)
    blocks: list[Block] = [
        section_block(head),
        context_block(f"Terms I know: {_listed(unknown.known)}"),
        {"type": "divider"},
        context_block("What the documents say about those words:"),
        *searched.blocks,
    ]
    return Message(text=fit(f"{head} {searched.text}", MAX_FALLBACK), blocks=limit_blocks(blocks))


def answer_define(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """`/guide define TERM`: the glossary entry, or the closest terms and a search of the documents."""
    library = _library(services)
    if library is None or not library.knowledge.glossary.terms:
        return _unavailable(job, "the glossary")
    term = " ".join(_tidy(w) for w in _words(job)).strip()
    if not term:
        return _reply(job, render_notice("Type the term after `define`, for example `/guide define SARA`."))
    knowledge = library.knowledge
    found = define(knowledge.glossary, knowledge.passages, library.sources, term, library.learning.programmes)
    if isinstance(found, Definition):
        return _reply(job, render_definition(found))
    return _reply(job, render_unknown_term(services, found))


# -- compare --------------------------------------------------------------------------------------------------


def _title(comparison: Comparison, programme: str) -> str:
    """The full name with the id staff type, without repeating an id the name already holds."""
    name = comparison.names.get(programme, programme)
    return name if programme.lower() in name.lower() else f"{name} ({programme})"


def _cell(programme: str, cell: Cell) -> dict[str, str]:
    """One programme's answer to one fact: its text and source, or plainly that the documents don't say."""
    if cell.source is None:
        text = f"*{mrkdwn(programme)}*\n_{NOT_STATED}_"
    else:
        text = f"*{mrkdwn(programme)}*\n{mrkdwn(cell.text)}\n_{mrkdwn(cell.source.label)}_"
    return {"type": "mrkdwn", "text": fit(text, MAX_FIELD)}


def _row(row: Row) -> Block:
    """A fact as one section: its label, then one field per programme (two columns on a laptop, stacked on a
    phone)."""
    fields = [_cell(programme, cell) for programme, cell in row.values.items()][:MAX_FIELDS]
    return {"type": "section", "text": {"type": "mrkdwn", "text": f"*{mrkdwn(row.label)}*"}, "fields": fields}


def render_comparison(comparison: Comparison) -> Message:
    """The programmes side by side, one section a fact, every cell with its source."""
    titles = [f"*{mrkdwn(_title(comparison, p))}*" for p in comparison.programmes]
    blocks: list[Block] = [section_block("Side by side: " + " · ".join(titles))]
    if OLD_PROGRAMMES & set(comparison.programmes):
        blocks.append(context_block(STUDY_NOTE))
    for row in comparison.rows[: (MAX_BLOCKS - len(blocks) - 1) // 2]:
        blocks.extend([{"type": "divider"}, _row(row)])
    blocks.append(context_block("Each cell names its source. Acronyms: `/guide define TERM`."))
    text = "Side by side: " + ", ".join(_title(comparison, p) for p in comparison.programmes)
    return Message(text=mrkdwn(text), blocks=limit_blocks(blocks))


def render_unknown_programme(unknown: Unknown) -> Message:
    """An unknown name: every programme it does know, and the close spelling first when there is one."""
    text = f"I don't know the programme *{mrkdwn(unknown.asked)}*. I know: {_listed(unknown.known)}."
    if unknown.did_you_mean:
        text += " Did you mean " + " or ".join(f"*{mrkdwn(n)}*" for n in unknown.did_you_mean) + "?"
    return render_notice(text)


def answer_compare(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """`/guide compare A B [C]`: the facts side by side, or which names it knows."""
    library = _library(services)
    if library is None or not library.learning.programmes:
        return _unavailable(job, "the programme facts")
    try:
        found = compare(library.learning, library.sources, programme_names(_words(job)))
    except CompareError as error:
        return _reply(job, render_notice(escape(str(error))))
    if isinstance(found, Unknown):
        return _reply(job, render_unknown_programme(found))
    return _reply(job, render_comparison(found))


# -- the tour -------------------------------------------------------------------------------------------------


def _buttons(card: Card) -> Block:
    """Back (not on the first card), then Next, or Finish on the last."""
    buttons: list[Block] = []
    if card.number > 1:
        buttons.append(button_element("Back", ids.LEARN_BACK, {"n": card.number - 1}))
    if card.number < card.total:
        buttons.append(button_element("Next", ids.LEARN_NEXT, {"n": card.number + 1}, style="primary"))
    else:
        buttons.append(button_element("Finish", ids.LEARN_FINISH, {"n": card.number}, style="primary"))
    return {"type": "actions", "block_id": f"learn_card_{card.number}", "elements": buttons}


def render_card(card: Card) -> Message:
    """One card: title, where it sits in the tour, its text or facts, its sources and the way on."""
    if card.facts:
        body = "\n".join(f"*{mrkdwn(label)}:* {mrkdwn(text)}" for label, text in card.facts)
    else:
        body = mrkdwn(card.text)
    labels = list(dict.fromkeys(c.label for c in card.sources))
    blocks: list[Block] = [
        section_block(f"*{mrkdwn(card.title)}*"),
        context_block(f"Tour for new staff · card {card.number} of {card.total}"),
        section_block(body),
    ]
    if labels:
        blocks.append(context_block("*Sources:*\n" + "\n".join(f"• {mrkdwn(label)}" for label in labels)))
    blocks.append(_buttons(card))
    text = f"Tour, card {card.number} of {card.total}: {card.title}"
    return Message(text=mrkdwn(text), blocks=blocks)


def _show_card(services: Services, job: dict[str, Any], number: int, *, replace: bool) -> list[Outgoing]:
    """Card `number`, kept within the tour (`learn 99` shows the last card)."""
    library = _library(services)
    if library is None or not library.learning.tour:
        return _unavailable(job, "the tour")
    number = max(1, min(number, len(library.learning.tour)))
    card = tour_card(library.learning, library.sources, number)
    assert card is not None  # number is within the tour
    return _reply(job, render_card(card), replace=replace)


def answer_learn(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """`/guide learn [N]`: card N (the first by default), privately."""
    words = _words(job)
    number = int(words[0]) if words and words[0].isdigit() else 1
    return _show_card(services, job, number, replace=False)


def turn_card(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Next / Back: the card the button names, in place of the one clicked."""
    wanted = decode_value(job.get("value")).get("n")
    return _show_card(services, job, wanted if isinstance(wanted, int) else 1, replace=True)


def finish_tour(services: Services, job: dict[str, Any], client: WebClient) -> list[Outgoing]:
    """Finish: the card gives way to a short note on what to try next."""
    return _reply(job, render_notice(FINISHED), replace=True)


def register(app: App, services: Services) -> None:
    """The answerers for define, compare and the tour, and the tour's buttons."""
    services.answerers.update(
        {
            "learn_define": answer_define,
            "learn_compare": answer_compare,
            "learn_tour": answer_learn,
            f"action:{ids.LEARN_NEXT}": turn_card,
            f"action:{ids.LEARN_BACK}": turn_card,
            f"action:{ids.LEARN_FINISH}": finish_tour,
        }
    )
    for action_id in (ids.LEARN_NEXT, ids.LEARN_BACK, ids.LEARN_FINISH):
        app.action(action_id)(action_listener(services))
