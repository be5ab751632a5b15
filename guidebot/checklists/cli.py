"""`guidebot checklist`: the referral and suitability checklists in the terminal, on the same engine as Slack."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console

from guidebot.checklists.engine import (
    Finished,
    InvalidAnswer,
    StaleStep,
    answer,
    back,
    position,
    restart,
    start,
    summary,
    summary_text,
)
from guidebot.checklists.loader import load_checklists
from guidebot.checklists.models import Checklist, Outcome
from guidebot.config import Settings

checklist_app = typer.Typer(help="Referral and suitability checklists, one question at a time.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


def _checklists() -> dict[str, Checklist]:
    checklists, errors = load_checklists(Settings().knowledge_dir)
    for error in errors:
        err.print(f"[red]checklist file: {error}[/red]", highlight=False)
    return checklists


def _one(checklists: dict[str, Checklist], checklist_id: str) -> Checklist:
    found = checklists.get(checklist_id) or {c.lower(): v for c, v in checklists.items()}.get(checklist_id.lower())
    if found is None:
        err.print(f"no checklist {checklist_id!r}; known: {', '.join(sorted(checklists))}", highlight=False)
        raise typer.Exit(2)
    return found


@checklist_app.command("list")
def list_checklists(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The checklists guidebot can walk you through."""
    checklists = _checklists()
    rows = [{"id": c.id, "title": c.title, "programme": c.programme, "summary": c.summary} for c in checklists.values()]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=1) + "\n")
        return
    for row in rows:
        out.print(f"[bold]{row['id']}[/bold]  {row['title']}  ({row['programme']})", highlight=False)


@checklist_app.command("show")
def show(checklist_id: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """A checklist's whole definition: steps, where each answer leads, outcomes, sources."""
    checklist = _one(_checklists(), checklist_id)
    if as_json:
        sys.stdout.write(checklist.model_dump_json(indent=1) + "\n")
        return
    out.print(f"[bold]{checklist.title}[/bold]\n{checklist.summary}", highlight=False)
    for step in checklist.steps:
        out.print(f"- {step.id}: {step.prompt}  -> {step.next}", highlight=False)


def _from_file(checklist: Checklist, path: Path) -> tuple[Any, list[dict[str, str]]]:
    """Replay the answers of a YAML/JSON map (step id -> value); an answer that does not fit is an error."""
    try:
        given = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        err.print(f"{path}: cannot read the answers ({type(error).__name__})", highlight=False)
        raise typer.Exit(2) from None
    if not isinstance(given, dict):
        err.print(f"{path}: expected a map of step id to answer", highlight=False)
        raise typer.Exit(2)
    state = start(checklist)
    path_taken: list[dict[str, str]] = []
    while not isinstance(step := position(checklist, state), Outcome):
        if step.id not in given:
            err.print(f"{path}: no answer for step '{step.id}' ({step.prompt})", highlight=False)
            raise typer.Exit(2)
        value = given[step.id]
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        try:
            state = answer(checklist, state, step.id, text)
        except InvalidAnswer as error:
            err.print(f"{path}: step '{step.id}': {error}", highlight=False)
            raise typer.Exit(2) from None
        path_taken.append({"step": step.id, "prompt": step.prompt, "answer": text})
    return state, path_taken


def _interactive(checklist: Checklist) -> Any:
    """Prompts on the terminal; 'back', 'restart', 'why' and 'quit' work at any step."""
    state = start(checklist)
    out.print(f"[bold]{checklist.title}[/bold]\n{checklist.summary}\n(back, restart, why, quit)", highlight=False)
    while not isinstance(step := position(checklist, state), Outcome):
        hint = {"yes_no": "yes/no", "choice": " / ".join(step.choices), "number": "a number", "date": "YYYY-MM-DD"}
        reply = typer.prompt(f"{step.prompt} [{hint[step.kind]}]").strip()
        if reply == "quit":
            raise typer.Exit(1)
        if reply == "back":
            state = back(checklist, state)
        elif reply == "restart":
            state = restart(checklist, state)
        elif reply == "why":
            cite = step.citation
            out.print(f"{step.help}\n> {cite.quote}\n  ({cite.doc_id}, {cite.section})", highlight=False)
        else:
            try:
                state = answer(checklist, state, step.id, reply)
            except (InvalidAnswer, StaleStep, Finished) as error:
                out.print(f"[yellow]{error}[/yellow]", highlight=False)
    return state


@checklist_app.command("run")
def run(
    checklist_id: str,
    answers: Annotated[Path | None, typer.Option("--answers", help="YAML/JSON map of step id to answer")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Walk a checklist: interactively, or from a file of answers (prints the path taken and the outcome)."""
    checklist = _one(_checklists(), checklist_id)
    if answers is not None:
        state, path_taken = _from_file(checklist, answers)
    else:
        state = _interactive(checklist)
        path_taken = [{"step": s, "answer": a} for s, a in state.answers]
    result = summary(checklist, state)
    if as_json:
        outcome = position(checklist, state)
        payload = {"checklist": checklist.id, "path": path_taken, "outcome": outcome.model_dump()}
        sys.stdout.write(json.dumps(payload, indent=1, default=str) + "\n")
        return
    out.print(summary_text(result), highlight=False)
