"""The terminal renderer: one Answer to rich output, the twin of the Block Kit renderer in handlers/."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from guidebot.help import help_topics
from guidebot.search.models import Answer, Result, Status, one_line


def _highlighted(result: Result) -> Text:
    text = Text(result.text)
    for word in result.highlights:
        text.highlight_regex(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", style="bold yellow")
    return text


def _citation(result: Result) -> Text:
    section = f" · {result.section}" if result.section else ""
    kind = f"\n{result.source_kind}" if result.source_kind else ""
    return Text(f"{result.title} · {result.publisher}, {result.year}{section}{kind}", style="dim")


def render_answer(answer: Answer, console: Console) -> None:
    """Print an answer for a person: escalation first when urgent, then the passages with their sources."""
    if answer.status is Status.urgent:
        steps = "\n".join(f"{i}. {step}" for i, step in enumerate(answer.escalation, 1))
        console.print(Panel(f"{escape(answer.message)}\n\n{escape(steps)}", title="Act now", style="bold red"))
        if answer.results:
            console.print("[dim]What the guidance says about this:[/dim]")
    elif answer.status is Status.no_answer:
        console.print(Panel(escape(answer.message), title="I don't know", style="yellow"))
    if answer.did_you_mean:
        console.print(f"[dim]Showing results for:[/dim] {escape(answer.did_you_mean)}")
    if answer.results:
        best, *others = answer.results
        console.print(Panel(Group(_highlighted(best), Text(""), _citation(best)), title="Best match"))
        if answer.caution and answer.status is Status.answered:
            console.print(Text(answer.caution, style="yellow"))
        if others:
            console.print("[bold]Also relevant:[/bold]")
            for result in others:
                console.print(Text(f"  • {one_line(result)}"))
    if answer.safety_line:
        console.print(Text(answer.safety_line, style="bold"))


def render_help(console: Console) -> None:
    for topic in help_topics():
        console.print(f"[bold]{escape(topic.title)}[/bold]\n{escape(topic.text)}")
        for example in topic.examples:
            console.print(f"  [cyan]{escape(example)}[/cyan]")
        console.print()
