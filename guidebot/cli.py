"""The command line: index, ask, chat, doctor, db, serve. The composition root of the core."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from guidebot.config import Settings
from guidebot.knowledge.loader import load_knowledge
from guidebot.search import index as search_index
from guidebot.search.engine import Engine
from guidebot.terminal import render_answer, render_help

app = typer.Typer(
    help="guidebot: answers about domestic abuse perpetrator programmes, from the guidance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
out = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(), stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return settings


def _engine(settings: Settings) -> Engine:
    """The engine, building the index first when missing or stale (with a progress bar on a terminal)."""
    knowledge = load_knowledge(settings.knowledge_dir)
    _report_errors(knowledge.errors)
    fresh = search_index.is_fresh(settings.index_dir, knowledge)
    with Progress(console=err, transient=True, disable=fresh or not err.is_terminal) as bar:
        task = bar.add_task("Indexing the knowledge", total=len(knowledge.passages) or 1)
        return Engine.from_knowledge(
            knowledge, settings.index_dir, progress=lambda n, total: bar.update(task, completed=n, total=total)
        )


def _report_errors(errors: list) -> None:
    for e in errors:
        err.print(f"[yellow]skipped[/yellow] {e}", markup=True, highlight=False)


@app.command()
def index(force: Annotated[bool, typer.Option(help="Rebuild even if the knowledge is unchanged.")] = False) -> None:
    """Build the search index from the knowledge folder (skipped when nothing changed)."""
    settings = _settings()
    knowledge = load_knowledge(settings.knowledge_dir)
    _report_errors(knowledge.errors)
    with Progress(console=err, disable=not err.is_terminal) as bar:
        task = bar.add_task("Indexing", total=len(knowledge.passages) or 1)
        built = search_index.build(
            settings.index_dir,
            knowledge,
            force=force,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
        )
    what = "Built" if built else "Up to date:"
    out.print(
        f"{what} {len(knowledge.passages)} passages from {len(knowledge.documents)} documents in {settings.index_dir}"
    )


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="The question. With --json and none, read stdin.")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=20, help="How many passages to show.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
) -> None:
    """Answer a question from the shipped knowledge, citing the source."""
    settings = _settings()
    if question is None and not as_json:
        raise typer.BadParameter("give a question, or use --json and one question per line on stdin")
    engine = _engine(settings)
    if question is not None:
        answer = engine.ask(question, top=top)
        if as_json:
            print(answer.model_dump_json())
        else:
            render_answer(answer, out)
        return
    # batch mode: one question a line in, one JSON object a line out, in order, one index opened
    for line in sys.stdin:
        print(engine.ask(line.rstrip("\n"), top=top).model_dump_json(), flush=True)


@app.command()
def chat() -> None:
    """Try the bot in the terminal: questions, 'help', follow-ups, as in a DM to the bot."""
    settings = _settings()
    engine = _engine(settings)
    out.print("Ask about the programmes. 'help' for examples, 'quit' to leave.")
    previous: str | None = None
    while True:
        try:
            line = out.input("[bold]you>[/bold] ")
        except (EOFError, KeyboardInterrupt):
            out.print()
            return
        text = line.strip()
        if text.lower() in {"quit", "exit", "bye"}:
            return
        if text.lower() in {"help", "?"}:
            render_help(out)
            continue
        answer = engine.ask(text, top=3, context=previous)
        render_answer(answer, out)
        if answer.status != "urgent" and text:
            previous = text if previous is None or not _is_follow_up(engine, text, previous) else previous


def _is_follow_up(engine: Engine, text: str, previous: str) -> bool:
    return engine.with_context(text, previous) != text


@app.command()
def doctor() -> None:
    """Check configuration, knowledge, index, database and Slack, and say what works."""
    settings = _settings()
    ok = True

    def line(good: bool, text: str) -> None:
        nonlocal ok
        ok &= good
        out.print(("[green]ok  [/green] " if good else "[red]fail[/red] ") + text, highlight=False)

    knowledge = load_knowledge(settings.knowledge_dir)
    line(
        bool(knowledge.documents),
        f"knowledge: {len(knowledge.documents)} documents, {len(knowledge.passages)} passages, "
        f"{len(knowledge.glossary.terms)} glossary terms in {settings.knowledge_dir}",
    )
    for e in knowledge.errors:
        line(False, f"knowledge file: {e}")
    fresh = search_index.is_fresh(settings.index_dir, knowledge)
    line(
        True,
        f"index in {settings.index_dir}: "
        + ("up to date" if fresh else "missing or stale; 'guidebot index' or the first 'ask' builds it"),
    )
    from guidebot.store import db

    try:
        current, head = db.current_revision(settings.database_url), db.head_revision()
        line(
            current == head,
            f"database: revision {current or 'none'} (latest {head})"
            + ("" if current == head else "; run 'guidebot db upgrade'"),
        )
    except Exception as exc:  # any driver error is a finding to report, not a crash
        line(False, f"database: cannot connect ({type(exc).__name__})")
    for good, text in _slack_checks(settings):
        line(good, text)
    raise typer.Exit(0 if ok else 1)


def _slack_checks(settings: Settings) -> list[tuple[bool, str]]:
    """Slack checks live with the Slack adapter; the CLI only composes them."""
    try:
        from handlers.doctor import check_slack
    except ImportError:
        return [(False, "slack: the Slack adapter is not installed")]
    return check_slack(settings)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (SQLite by default, PostgreSQL via DATABASE_URL)."""
    settings = _settings()
    from guidebot.store import db

    db.upgrade(settings.database_url)
    out.print(f"database at revision {db.current_revision(settings.database_url)}")


@app.command()
def serve() -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on $PORT."""
    settings = _settings()
    from handlers.serve import serve as run

    run(settings)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
