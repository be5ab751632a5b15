"""The learning results as rich output for a terminal: plain Text throughout, so content never reads as markup."""

from __future__ import annotations

import re

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from guidebot.learn.quiz import LETTERS
from guidebot.learn.results import Card, Cited, Comparison, Definition, QuizItem, QuizScore, Unknown

# Slack's *bold* in the content files, shown bold here rather than with its stars.
_SLACK_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")


def _content(text: str) -> Text:
    """Content text with Slack's *bold* turned into terminal bold."""
    out = Text()
    last = 0
    for match in _SLACK_BOLD.finditer(text):
        out.append(text[last : match.start()])
        out.append(match.group(1), style="bold")
        last = match.end()
    out.append(text[last:])
    return out


def _source(cited: Cited) -> Text:
    return Text(f"Source: {cited.label}", style="dim")


def _indented(renderable: RenderableType, spaces: int) -> Padding:
    """Indented with a hanging indent, so wrapped lines stay under their first."""
    return Padding(renderable, (0, 0, 0, spaces))


def _choice(index: int | None, choices: list[str]) -> str:
    if index is None or not 0 <= index < len(choices):
        return "no answer"
    return f"{LETTERS[index]}. {choices[index]}"


def render_definition(definition: Definition, console: Console) -> None:
    """A glossary entry, then where the documents use the term, each quote with its source."""
    heading = Text(definition.term, style="bold")
    heading.append(f" — {definition.expansion}", style="")
    body: list[RenderableType] = [heading]
    if definition.meaning:
        body.append(Text(definition.meaning))
    console.print(Panel(Group(*body), title="Glossary", title_align="left"))
    if not definition.sources:
        console.print(Text("The documents do not use this term.", style="dim"))
        return
    console.print(Text(f"Where the documents use it ({definition.passages} passages in all):", style="bold"))
    for cited in definition.sources:
        console.print(_indented(Text(f"“{cited.citation.quote}”", style="italic"), 2))
        console.print(_indented(_source(cited), 4))


def render_unknown(unknown: Unknown, console: Console, *, what: str = "glossary entry", known: str = "terms") -> None:
    """What guidebot does not know, the close spellings, and everything it does know under that heading."""
    console.print(Text(f"No {what} for {unknown.asked}."))
    if unknown.did_you_mean:
        console.print(Text(f"Did you mean: {', '.join(unknown.did_you_mean)}?"))
    console.print(Text(f"Known {known}: {', '.join(unknown.known)}"))


def render_comparison(comparison: Comparison, console: Console) -> None:
    """One block per fact, each programme's text on its own lines and its source dim below: fits 80 columns."""
    names = " · ".join(comparison.names.get(p, p) for p in comparison.programmes)
    console.print(Text(f"Comparing {names}", style="bold"))
    width = max(len(p) for p in comparison.programmes) + 1
    for row in comparison.rows:
        console.print()
        console.print(Text(row.label, style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=width, no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        for programme in comparison.programmes:
            cell = row.values[programme]
            if cell.source is None:
                grid.add_row(programme, Text(cell.text, style="dim italic"))
                continue
            grid.add_row(programme, _content(cell.text))
            grid.add_row("", _source(cell.source))
        console.print(grid)


def render_card(card: Card, console: Console) -> None:
    """A tour card: title, where it is in the tour, its text or labelled facts, then its sources."""
    body: list[RenderableType] = [Text(f"card {card.number} of {card.total}", style="dim")]
    if card.text:
        body.append(_content(card.text))
    for label, text in card.facts:
        line = Text(f"{label}: ", style="bold")
        line.append_text(_content(text))
        body.append(line)
    # a programme card cites several quotes of one section: its label once is enough
    labels = {cited.label: cited for cited in card.sources}
    if labels:
        body.append(Text(""))
        body.extend(_source(cited) for cited in labels.values())
    console.print(Panel(Group(*body), title=Text(card.title, style="bold"), title_align="left"))


def render_quiz_item(item: QuizItem, console: Console, number: int | None = None, total: int | None = None) -> None:
    """A question and its lettered choices, with where it is in the round when given."""
    if number is not None:
        console.print(Text(f"Question {number}" + (f" of {total}" if total else ""), style="dim"))
    console.print(Text(item.question, style="bold"))
    for index, choice in enumerate(item.choices):
        console.print(_indented(Text(f"{LETTERS[index]}. {choice}"), 2))


def render_quiz_score(result: QuizScore, console: Console) -> None:
    """The score, then each question: what was chosen against what is right, why, and the source."""
    console.print(Panel(Text(f"Score: {result.right}/{result.total}", style="bold"), expand=False))
    for number, answer in enumerate(result.answers, 1):
        item = answer.item
        right = answer.chosen == item.right
        console.print()
        console.print(Text(f"{number}. {item.question}", style="bold"))
        mark = Text("Right: " if right else "Wrong: ", style="green" if right else "red")
        mark.append(f"you chose {_choice(answer.chosen, item.choices)}", style="")
        lines: list[RenderableType] = [mark]
        if not right:
            lines.append(Text(f"The answer is {_choice(item.right, item.choices)}"))
        lines += [Text(item.explanation), _source(item.source)]
        console.print(_indented(Group(*lines), 2))
