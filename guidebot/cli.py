"""The command line: index, ask, chat, doctor, db, serve, worker. The composition root of the core."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from guidebot.checklists.cli import checklist_app
from guidebot.config import Settings
from guidebot.knowledge.loader import load_knowledge
from guidebot.learn.cli import register as register_learning
from guidebot.safety.assess import Safety, prepare
from guidebot.search import index as search_index
from guidebot.search.engine import Engine
from guidebot.search.vectors import load_encoder
from guidebot.terminal import render_answer, render_help

if TYPE_CHECKING:
    from guidebot.store import Store

app = typer.Typer(
    help="guidebot: answers about domestic abuse perpetrator programmes, from the guidance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
cases_app = typer.Typer(
    help="Cases: a reference, a programme, dates and Slack ids; never a name.", no_args_is_help=True
)
app.add_typer(cases_app, name="cases")
reminders_app = typer.Typer(help="Reminders of the contacts OMs owe.", no_args_is_help=True)
app.add_typer(reminders_app, name="reminders")
app.add_typer(checklist_app, name="checklist")
register_learning(app)
out = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(), stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic announces every migration step at INFO: noise in a terminal, kept for DEBUG
    if logging.getLogger().level > logging.DEBUG:
        logging.getLogger("alembic").setLevel(logging.WARNING)
    return settings


def _engine(settings: Settings) -> Engine:
    """The engine, building the index first when missing or stale (with a progress bar on a terminal)."""
    knowledge = load_knowledge(settings.knowledge_dir)
    _report_errors(knowledge.errors)
    fresh = search_index.is_fresh(settings.index_dir, knowledge)
    with Progress(console=err, transient=True, disable=fresh or not err.is_terminal) as bar:
        task = bar.add_task("Indexing the knowledge", total=len(knowledge.passages) or 1)
        return Engine.from_knowledge(
            knowledge,
            settings.index_dir,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
            semantic=settings.semantic,
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
    encoder, status = load_encoder(settings.semantic)
    with Progress(console=err, disable=not err.is_terminal) as bar:
        task = bar.add_task("Indexing", total=len(knowledge.passages) or 1)
        built = search_index.build(
            settings.index_dir,
            knowledge,
            force=force,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
            encoder=encoder,
        )
    what = "Built" if built else "Up to date:"
    out.print(
        f"{what} {len(knowledge.passages)} passages from {len(knowledge.documents)} documents in {settings.index_dir}"
        f" (semantic stage: {status})"
    )
    safety, trained = prepare(settings.knowledge_dir, settings.index_dir, force=force, check=True)
    _report_errors(safety.errors)
    out.print(("Trained" if trained else "Up to date:") + " " + _risk_summary(safety))


def _risk_summary(safety: Safety) -> str:
    if safety.model is None:
        return "risk detection: hard signs only (no classifier)"
    f = safety.model.figures
    return (
        f"risk detection: hard signs and a classifier of {f.messages} labelled messages ({f.urgent} urgent); "
        f"{f.folds}-fold cross-validated recall {f.recall:.3f}, false alarms {f.false_alarm_rate:.3f} "
        f"at threshold {f.threshold}"
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
        answer = engine.ask(_readable(question), top=top)
        if as_json:
            print(answer.model_dump_json())
        else:
            render_answer(answer, out)
        return
    # batch mode: one question a line in, one JSON object a line out, in order, one index opened
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        print(engine.ask(line, top=top).model_dump_json(), flush=True)


def _readable(text: str) -> str:
    """An argument as text: bytes that were not UTF-8 (kept by Python as surrogates) become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
    from guidebot.checklists.loader import load_checklists

    checklists, checklist_errors = load_checklists(settings.knowledge_dir)
    line(not checklist_errors, f"checklists: {len(checklists)} loaded ({', '.join(sorted(checklists))})")
    for e in checklist_errors:
        line(False, f"checklist left out: {e}")
    from guidebot.learn.content import learning_from

    learning, _ = learning_from(knowledge)
    facts = sum(len(p.facts) for p in learning.programmes.values())
    line(
        not learning.errors and bool(learning.quiz),
        f"learning: {len(learning.programmes)} programmes ({facts} facts), {len(learning.tour)} tour cards, "
        f"{len(learning.quiz)} quiz questions",
    )
    for e in learning.errors:
        line(False, f"learning content left out: {e}")
    safety, _ = prepare(settings.knowledge_dir, settings.index_dir, train_missing=False, check=True)
    for e in safety.errors:
        line(False, f"safety messages: {e}")
    if safety.model is None and not safety.errors:
        line(True, "risk detection: classifier not trained yet; 'guidebot index' or the first 'ask' trains it")
    else:
        line(safety.model is not None, _risk_summary(safety))
    encoder, status = load_encoder(settings.semantic)
    line(encoder is not None or not settings.semantic, f"semantic stage: {status}")
    if encoder is not None:
        from guidebot.search.answerable import ModelFileError, load_model

        try:
            line(True, f"declining: learned, {load_model().trained_on}")
        except ModelFileError as exc:
            line(False, f"declining: model unreadable, declining on words only: {exc}")
    fresh = search_index.is_up_to_date(settings.index_dir, knowledge, encoder)
    line(
        True,
        f"index in {settings.index_dir}: "
        + ("up to date" if fresh else "missing or stale; 'guidebot index' or the first 'ask' builds it"),
    )
    from guidebot.store import db

    try:
        current, head = db.current_revision(settings.database_url), db.head_revision()
        if current is None:
            line(True, "database: not created yet ('guidebot db upgrade' or 'guidebot serve' creates it)")
        else:
            line(
                current == head,
                f"database: revision {current} (latest {head})"
                + ("" if current == head else "; run 'guidebot db upgrade'"),
            )
            if current == head:
                for good, text in _queue_checks(settings.database_url):
                    line(good, text)
    except Exception as exc:  # any driver error is a finding to report, not a crash
        line(False, f"database: cannot connect ({type(exc).__name__})")
    for good, text in _slack_checks(settings):
        line(good, text)
    raise typer.Exit(0 if ok else 1)


def _queue_checks(database_url: str) -> list[tuple[bool, str]]:
    """What is waiting to be answered or sent, and what Slack refused in the last week (never the text)."""
    from guidebot.store import Store

    store = Store.from_url(database_url, migrate=False)
    try:
        inbox, outbox = store.inbox.counts(), store.outbox.counts()
        failures = store.outbox.recent_failures(datetime.now(UTC) - timedelta(days=7))
        inbox_failed = inbox["failed"]
    finally:
        store.engine.dispose()
    waiting = f"inbox: {inbox['pending'] + inbox['working']} request(s) waiting; outbox: {outbox['pending'] + outbox['sending']} message(s) waiting"
    checks = [(True, waiting)]
    if failures:
        codes = Counter(code for _, code in failures)
        summary = ", ".join(f"{code} x{n}" for code, n in codes.most_common(5))
        last = failures[0][0].strftime("%Y-%m-%d %H:%M UTC")
        checks.append(
            (
                False,
                f"outbox: {len(failures)} message(s) Slack did not take in the last 7 days ({summary}; last {last})",
            )
        )
    if inbox_failed:
        checks.append((False, f"inbox: {inbox_failed} request(s) could not be answered (see the log for their errors)"))
    return checks + _reminder_checks(database_url)


def _reminder_checks(database_url: str) -> list[tuple[bool, str]]:
    """The reminders job: its last pass, what waits, what went out late; failed reminders are outbox failures."""
    from guidebot.store import Store

    store = Store.from_url(database_url, migrate=False)
    try:
        counts = store.reminders.counts()
        passes = store.reminders.last_passes()
        cases = len(store.cases.list())
    finally:
        store.engine.dispose()
    if not cases and not passes:
        return [(True, "reminders: no cases yet ('guidebot cases import FILE.csv' or '/guide case add')")]
    last = passes.get("reminders")
    when = last[0].strftime("%Y-%m-%d %H:%M UTC") + f" ({last[1]})" if last else "never"
    stale = last is None or datetime.now(UTC) - last[0] > timedelta(minutes=30)
    return [
        (
            not stale,
            f"reminders: last worker pass {when}"
            + ("; is 'guidebot serve' or 'guidebot worker' running?" if stale else ""),
        ),
        (
            True,
            f"reminders: {cases} open case(s); {counts['planned']} planned, {counts['sent']} sent ({counts['late']} late)",
        ),
    ]


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


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="one pass (reminders, inbox, outbox), then exit")] = False,
    wake_on_stdin: Annotated[bool, typer.Option("--wake-on-stdin", hidden=True)] = False,
) -> None:
    """Plan and send reminders, answer what Slack requests were acknowledged, send the outbox (Procfile)."""
    settings = _settings()
    from handlers.serve import work

    raise typer.Exit(work(settings, once=once, wake_on_stdin=wake_on_stdin))


def _store(settings: Settings) -> Store:
    from guidebot.store import Store

    return Store.from_url(settings.database_url, migrate=True)


def _programme_ids(settings: Settings) -> list[str]:
    from guidebot.reminders.programmes import ProgrammesFileError, load_programmes

    try:
        return sorted(load_programmes(settings.knowledge_dir))
    except ProgrammesFileError as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(2) from None


@cases_app.command("import")
def cases_import(
    file: Annotated[Path, typer.Argument(help="CSV: case_ref,programme,group_start,om,team_channel,order_date")],
) -> None:
    """Import cases from a CSV: bad rows are reported by line and left out, the good ones imported together."""
    from guidebot.cases.csvio import format_report, read_cases_csv

    settings = _settings()
    report = read_cases_csv(file, settings.case_ref_pattern, _programme_ids(settings))
    store = _store(settings)
    counts = store.cases.import_rows(report.rows) if report.rows else None
    for line in format_report(report, counts):
        out.print(line, highlight=False)
    raise typer.Exit(1 if report.errors else 0)


@cases_app.command("export")
def cases_export() -> None:
    """Every case as CSV on stdout (the import format, with status), for a backup or another tool."""
    from guidebot.cases.csvio import write_cases_csv

    settings = _settings()
    write_cases_csv(_store(settings).cases.list(statuses=None), sys.stdout)


@cases_app.command("list")
def cases_list(
    om: Annotated[str | None, typer.Option(help="only this OM's cases (Slack user id)")] = None,
    everything: Annotated[bool, typer.Option("--all", help="closed cases too")] = False,
) -> None:
    """The open cases, one a line."""
    settings = _settings()
    views = _store(settings).cases.list(om=om, statuses=None if everything else ("active", "paused"))
    for v in views:
        start = (
            v.group_start.isoformat() if v.group_start else "gap weeks " + " ".join(d.isoformat() for d in v.gap_weeks)
        )
        out.print(
            f"{v.case_ref}  {v.programme:<6}  {start}  om {v.om}  team {v.team_channel}  {v.status}", highlight=False
        )
    if not views:
        out.print("no cases", highlight=False)


@reminders_app.command("plan")
def reminders_plan(
    start: Annotated[str | None, typer.Option("--from", help="first day, YYYY-MM-DD (default: today)")] = None,
    weeks: Annotated[int, typer.Option(min=1, max=104, help="how many weeks")] = 4,
    as_json: Annotated[bool, typer.Option("--json", help="a JSON array")] = False,
) -> None:
    """The reminders a period holds for the active cases (nothing is sent)."""
    from guidebot.reminders.dispatcher import case_info, setup_from
    from guidebot.reminders.planner import plan
    from guidebot.reminders.programmes import ProgrammesFileError

    settings = _settings()
    try:
        first = date.fromisoformat(start) if start else datetime.now(settings.zone).date()
    except ValueError:
        err.print(f"--from: expected YYYY-MM-DD, got {start!r}", highlight=False)
        raise typer.Exit(2) from None
    try:
        setup = setup_from(settings)
    except ProgrammesFileError as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(2) from None
    cases = [case_info(v) for v in _store(settings).cases.list(statuses=("active",))]
    planned = plan(cases, setup.programmes, setup.calendar, setup.clock, first, first + timedelta(weeks=weeks))
    if as_json:
        sys.stdout.write(json.dumps([p.to_json() for p in planned], indent=1) + "\n")
        return
    for p in planned:
        out.print(f"{p.send_at.isoformat()}  {p.case_ref}  {p.label} ({p.stage})", highlight=False)
    if not planned:
        out.print("nothing planned in that period", highlight=False)


@app.command("feedback")
def feedback(
    days: Annotated[int, typer.Option(min=1, max=3650, help="how many days back")] = 30,
    everything: Annotated[bool, typer.Option("--all", help="Helpful votes too, not only Not helpful")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="a JSON array")] = False,
) -> None:
    """The answers people marked Not helpful, newest first: where to start adding questions to knowledge/."""
    settings = _settings()
    since = datetime.now(UTC) - timedelta(days=days)
    votes = _store(settings).feedback(vote=None if everything else "not_helpful", since=since)
    if as_json:
        sys.stdout.write(json.dumps([v.model_dump(mode="json") for v in votes], indent=1) + "\n")
        return
    for v in votes:
        question = v.question if v.question is not None else "(question not kept: GUIDEBOT_LOG_QUESTIONS is off)"
        documents = ", ".join(v.doc_ids) or "no document (I don't know)"
        out.print(
            f"{v.created_at:%Y-%m-%d %H:%M}  {v.vote:<11}  {documents}  {question}", highlight=False, markup=False
        )
    if not votes:
        out.print(f"no votes in the last {days} days", highlight=False)
    else:
        out.print("knowledge/README.md says how to add a question from a miss.", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
