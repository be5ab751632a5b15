"""`guidebot define / compare / learn / quiz`: the learning features in a terminal, with --json twins for scripts."""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Iterable
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from guidebot.config import Settings
from guidebot.knowledge.citations import Citation, Sources
from guidebot.knowledge.loader import Knowledge, load_knowledge
from guidebot.knowledge.models import KnowledgeError
from guidebot.learn.compare import CompareError, compare
from guidebot.learn.content import Learning, QuizQuestion, learning_from
from guidebot.learn.define import define
from guidebot.learn.quiz import LETTERS, ROUND, item, pick, score
from guidebot.learn.results import Card, Cited, Comparison, Definition, QuizItem, Unknown
from guidebot.learn.terminal import (
    render_card,
    render_comparison,
    render_definition,
    render_quiz_item,
    render_quiz_score,
    render_unknown,
)
from guidebot.learn.tour import tour_card
from guidebot.terminal import render_answer

out = Console()
err = Console(stderr=True)
PAGER_HINT = "Enter or n: next · b: back · q: quit "


def _write_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")


def _report(errors: Iterable[KnowledgeError]) -> None:
    """Each problem once, in yellow on stderr, so a bad entry is fixed without stopping the rest."""
    for problem in dict.fromkeys(str(e) for e in errors):
        err.print(f"[yellow]skipped[/yellow] {escape(problem)}", highlight=False)


def _loaded() -> tuple[Knowledge, Learning, Sources]:
    """The knowledge and the learning content beside it, their problems reported once."""
    knowledge = load_knowledge(Settings().knowledge_dir)
    learning, sources = learning_from(knowledge)
    _report([*knowledge.errors, *learning.errors])
    return knowledge, learning, sources


def _citation(citation: Citation) -> dict[str, str]:
    return {"doc_id": citation.doc_id, "section": citation.section, "quote": citation.quote}


def _cited(cited: Cited) -> dict[str, str]:
    return {**_citation(cited.citation), "label": cited.label}


def _unknown_json(kind: str, unknown: Unknown) -> dict[str, Any]:
    return {"error": f"unknown {kind}", **unknown.model_dump()}


def definition_json(definition: Definition) -> dict[str, Any]:
    """`define --json`: the entry and its sources, each flattened to doc_id, section, quote and label."""
    return {
        "term": definition.term,
        "expansion": definition.expansion,
        "meaning": definition.meaning,
        "sources": [_cited(c) for c in definition.sources],
        "passages": definition.passages,
    }


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """`compare --json`: each fact's text and citation (null when the documents are silent) per programme."""
    rows = [
        {
            "fact": row.fact,
            "label": row.label,
            "values": {
                programme: {"text": cell.text, "citation": _citation(cell.source.citation) if cell.source else None}
                for programme, cell in row.values.items()
            },
        }
        for row in comparison.rows
    ]
    return {"programmes": comparison.programmes, "rows": rows}


def card_json(card: Card) -> dict[str, Any]:
    """`learn --json`: a card with its facts as label/text pairs and its sources flattened."""
    return {
        "number": card.number,
        "total": card.total,
        "title": card.title,
        "text": card.text,
        "facts": [{"label": label, "text": text} for label, text in card.facts],
        "sources": [_cited(c) for c in card.sources],
    }


def define_term(
    term: Annotated[list[str], typer.Argument(help="The term, e.g. SARA or 'women's safety worker'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the definition as JSON.")] = False,
) -> None:
    """Say what an abbreviation stands for, what it means, and where the documents use it."""
    settings = Settings()
    asked = " ".join(term)
    knowledge = load_knowledge(settings.knowledge_dir)
    learning, sources = learning_from(knowledge)
    result = define(knowledge.glossary, knowledge.passages, sources, asked, learning.programmes)
    if isinstance(result, Definition):
        _report(knowledge.errors)
        if as_json:
            _write_json(definition_json(result))
        else:
            render_definition(result, out)
        return
    if as_json:
        _report(knowledge.errors)
        _write_json(_unknown_json("term", result))
        raise typer.Exit(2)
    render_unknown(result, err)
    from guidebot.cli import _engine  # the search engine is only worth loading for a term the glossary lacks

    out.print(Text("Searching the documents instead:", style="dim"))
    render_answer(_engine(settings).ask(asked, top=3), out)  # _engine reports the knowledge problems
    raise typer.Exit(2)


def compare_programmes(
    names: Annotated[list[str], typer.Argument(help="Two or three programmes, e.g. BBR Kaizen.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Lay two or three programmes side by side, each fact with its source."""
    _, learning, sources = _loaded()
    try:
        result = compare(learning, sources, names)
    except CompareError as error:
        err.print(Text(str(error)))
        raise typer.Exit(2) from None
    if isinstance(result, Unknown):
        if as_json:
            _write_json(_unknown_json("programme", result))
        else:
            render_unknown(result, err, what="programme", known="programmes")
        raise typer.Exit(2)
    if as_json:
        _write_json(comparison_json(result))
    else:
        render_comparison(result, out)


def page(cards: list[Card], read: Callable[[str], str], show: Callable[[Card], None]) -> None:
    """Show one card at a time: Enter or n for the next, b for the one before, q (or end of input) to stop."""
    position, shown = 0, -1
    while position < len(cards):
        if position != shown:
            show(cards[position])
            shown = position
        try:
            key = read(PAGER_HINT).strip().lower()
        except (EOFError, KeyboardInterrupt):
            return
        if key in {"q", "quit"}:
            return
        if key in {"", "n", "next"}:
            position += 1
        elif key in {"b", "back"}:
            position = max(0, position - 1)


def learn(
    card: Annotated[int | None, typer.Option("--card", help="Show only card N (from 1).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the cards as JSON.")] = False,
) -> None:
    """Take the tour for new staff: the programmes and the processes every OM or facilitator must know."""
    _, learning, sources = _loaded()
    total = len(learning.tour)
    cards = [c for n in range(1, total + 1) if (c := tour_card(learning, sources, n)) is not None]
    if card is not None:
        one = tour_card(learning, sources, card)
        if one is None:
            err.print(Text(f"No card {card}: the tour has cards 1 to {total}."))
            raise typer.Exit(2)
        if as_json:
            _write_json(card_json(one))
        else:
            render_card(one, out)
        return
    if as_json:
        _write_json([card_json(c) for c in cards])
        return
    if not cards:
        err.print(Text("The tour has no cards."))
        raise typer.Exit(1)
    if sys.stdin.isatty():
        page(cards, lambda hint: out.input(Text(hint, style="dim")), lambda c: render_card(c, out))
        return
    for each in cards:
        render_card(each, out)


def question_json(q: QuizQuestion) -> dict[str, Any]:
    """`quiz --list --json`: a question with its choices, the right one (text and index), why, and the source."""
    return {
        "id": q.id,
        "question": q.question,
        "choices": q.choices,
        "answer": q.choices[q.right],
        "right": q.right,
        "explanation": q.explanation,
        "topic": q.topic,
        "citation": _citation(q.source),
    }


def read_choice(choices: int, read: Callable[[str], str]) -> int | None:
    """The index of the letter typed (any case), asking again on anything else; None when input ends."""
    letters = LETTERS[:choices]
    while True:
        try:
            typed = read(f"Your answer ({', '.join(letters)}): ").strip().upper().rstrip(".)")
        except (EOFError, KeyboardInterrupt):
            return None
        if len(typed) == 1 and typed in letters:
            return letters.index(typed)
        out.print(Text(f"Type one letter: {', '.join(letters)}.", style="yellow"))


def _round(items: list[QuizItem]) -> None:
    chosen: dict[str, int] = {}
    asked: list[QuizItem] = []
    for number, each in enumerate(items, 1):
        out.print()
        render_quiz_item(each, out, number, len(items))
        answer = read_choice(len(each.choices), out.input)
        if answer is None:
            out.print()
            out.print(Text(f"Round ended after {len(asked)} of {len(items)} questions.", style="dim"))
            break
        chosen[each.id] = answer
        asked.append(each)
    if not asked:
        out.print(Text("No answers, so no score."))
        return
    out.print()
    render_quiz_score(score(asked, chosen), out)


def quiz(
    list_all: Annotated[bool, typer.Option("--list", help="Print every question with its answer.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --list: print the questions as JSON.")] = False,
    count: Annotated[int, typer.Option("--count", min=1, help="Questions in a round.")] = ROUND,
    seed: Annotated[int | None, typer.Option("--seed", help="Pick the same questions again.")] = None,
) -> None:
    """Run a quiz round (a letter per question, score and explanations at the end), or list the questions."""
    if as_json and not list_all:
        err.print(Text("--json goes with --list: a round is answered in the terminal."))
        raise typer.Exit(2)
    _, learning, sources = _loaded()
    if not learning.quiz:
        err.print(Text("No quiz questions loaded."))
        raise typer.Exit(1)
    if list_all:
        if as_json:
            _write_json([question_json(q) for q in learning.quiz])
            return
        for q in learning.quiz:
            shown = item(q, sources)
            out.print()
            render_quiz_item(shown, out)
            answer = Text(f"Answer: {LETTERS[shown.right]}. {q.choices[shown.right]}", style="green")
            why = Text(q.explanation)
            source = Text(f"Source: {shown.source.label}", style="dim")
            out.print(Padding(Group(answer, why, source), (0, 0, 0, 2)))
        return
    by_id = {q.id: q for q in learning.quiz}
    rng = random.Random(seed) if seed is not None else None
    _round([item(by_id[i], sources) for i in pick(learning.quiz, count, rng)])


def register(app: typer.Typer) -> None:
    """Add define, compare, learn and quiz as top-level commands of the main app."""
    app.command("define")(define_term)
    app.command("compare")(compare_programmes)
    app.command("learn")(learn)
    app.command("quiz")(quiz)
