"""The command line, through typer's CliRunner and once as the installed console script in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guidebot.cli import app
from guidebot.search import index as search_index
from guidebot.search.models import Answer, Status
from guidebot.search.vectors import MODEL_FILE
from tests.helpers_core import SHIPPED_KNOWLEDGE, knowledge_dir

BBR_TITLE = "Building Better Relationships (BBR)"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_ask_prints_the_passage_and_its_source(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["ask", "how many sessions is BBR"])
    assert result.exit_code == 0, result.output
    assert BBR_TITLE in result.stdout
    assert "30 sessions" in result.stdout
    assert "HM Prison and Probation Service" in result.stdout


def test_ask_top_limits_the_passages(runner: CliRunner, env: dict[str, str]) -> None:
    one = runner.invoke(app, ["ask", "--top", "1", "how many sessions is BBR"])
    assert one.exit_code == 0
    assert "Best match" in one.stdout and "Also relevant" not in one.stdout
    assert runner.invoke(app, ["ask", "--top", "0", "x"]).exit_code != 0


def test_ask_json_prints_one_answer(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["ask", "--json", "--top", "2", "how many sessions is BBR"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    answer = Answer.model_validate_json(lines[0])
    assert answer.question == "how many sessions is BBR"
    assert answer.status is Status.answered
    assert len(answer.results) == 2
    assert answer.results[0].doc_id == "bbr-hmpps-2019"


def test_ask_json_batch_reads_stdin_in_order(runner: CliRunner, env: dict[str, str]) -> None:
    questions = ["how many sessions is BBR", "how do i reset my outlook password", "who can refer to up2u"]
    result = runner.invoke(app, ["ask", "--json"], input="\n".join(questions) + "\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    answers = [Answer.model_validate(json.loads(line)) for line in lines]
    assert [a.question for a in answers] == questions
    assert [a.status for a in answers] == [Status.answered, Status.no_answer, Status.answered]


def test_ask_without_question_or_json_is_a_usage_error(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["ask"])
    assert result.exit_code == 2
    assert "question" in result.output.lower()


def test_ask_urgent_prints_escalation_first(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(app, ["ask", "participant just told group he is going to hurt his ex tonight"])
    assert result.exit_code == 0
    text = result.stdout
    assert "999" in text
    assert text.index("999") < text.index("Best match")


def test_index_twice_is_up_to_date_the_second_time(runner: CliRunner, env: dict[str, str], tmp_path: Path) -> None:
    fresh = {"GUIDEBOT_INDEX_DIR": str(tmp_path / "own-index")}
    first = runner.invoke(app, ["index"], env=fresh)
    assert first.exit_code == 0, first.output
    assert "Built" in first.stdout and "Up to date" not in first.stdout
    assert "semantic stage: on" in " ".join(first.stdout.split())
    assert list((tmp_path / "own-index").glob("v*/vectors.npy")), "index builds the passage vectors too"
    assert list((tmp_path / "own-index").glob("safety-model-*.json")), "and the risk model"
    second = runner.invoke(app, ["index"], env=fresh)
    assert second.exit_code == 0
    assert "Up to date" in second.stdout
    forced = runner.invoke(app, ["index", "--force"], env=fresh)
    assert "Built" in forced.stdout


def test_doctor_in_a_terminal_only_setup_says_slack_is_not_configured(runner: CliRunner, env: dict[str, str]) -> None:
    runner.invoke(app, ["index"])
    result = runner.invoke(app, ["doctor"])
    text = " ".join(result.stdout.split())
    assert result.exit_code == 0, text  # nothing configured is broken: Slack is simply not set up
    assert "knowledge: 5 documents" in text
    assert "passages" in text and "glossary terms" in text
    assert "index in" in text
    assert "database: not created yet" in text
    assert "slack: not configured (terminal only)" in text
    assert "risk detection: hard signs and a classifier of" in text
    assert "semantic stage: on" in text
    assert "learning: 6 programmes" in text and "40 quiz questions" in text
    assert "fail" not in text


def test_doctor_says_the_index_is_stale_when_its_vectors_come_from_other_weights(
    runner: CliRunner, env: dict[str, str]
) -> None:
    runner.invoke(app, ["index"])
    assert "index in" in (before := " ".join(runner.invoke(app, ["doctor"]).stdout.split()))
    assert "up to date" in before
    folder = search_index.live_folder(Path(env["GUIDEBOT_INDEX_DIR"]))
    assert folder is not None
    (folder / MODEL_FILE).write_text("sha256 of the weights before an upgrade")
    after = " ".join(runner.invoke(app, ["doctor"]).stdout.split())
    assert "missing or stale" in after and "up to date" not in after


def test_doctor_names_learning_content_left_out(runner: CliRunner, env: dict[str, str], tmp_path: Path) -> None:
    from tests.helpers_core import copy_shipped

    root = copy_shipped(tmp_path / "knowledge")
    quiz = root / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("section:", "section: Nowhere", 1))
    result = runner.invoke(app, ["doctor"], env={**env, "GUIDEBOT_KNOWLEDGE_DIR": str(root)})
    text = " ".join(result.stdout.split())
    assert result.exit_code == 1
    assert "fail learning: 6 programmes" in text and "39 quiz questions" in text
    assert f"learning content left out: {quiz}" in text


def test_db_upgrade_keeps_alembic_quiet(env: dict[str, str], tmp_path: Path) -> None:
    proc = _run_cli(["db", "upgrade"], {**os.environ, **env}, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "database at revision" in proc.stdout
    assert "alembic" not in proc.stderr.lower()  # its INFO lines are kept for GUIDEBOT_LOG_LEVEL=DEBUG


def test_doctor_lists_messages_slack_refused_without_their_text(runner: CliRunner, env: dict[str, str]) -> None:
    from guidebot.store import Store
    from guidebot.store.outbox import NewMessage

    store = Store.from_url(env["DATABASE_URL"])
    store.outbox.add([NewMessage("k1", '{"text": "canary-77"}', datetime.now(UTC) + timedelta(hours=1))])
    (parcel,) = store.outbox.claim()
    store.outbox.failed(parcel.id, "channel_not_found")
    store.inbox.add("event", {"text": "canary-78"})
    store.engine.dispose()
    result = runner.invoke(app, ["doctor"], env={"COLUMNS": "300"})
    text = " ".join(result.stdout.split())
    assert result.exit_code == 1
    assert "inbox: 1 request(s) waiting; outbox: 0 message(s) waiting" in text
    assert "outbox: 1 message(s) Slack did not take in the last 7 days (channel_not_found x1" in text
    assert "canary" not in text


def test_doctor_says_when_risk_detection_runs_on_hard_signs_only(
    runner: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    root = knowledge_dir(tmp_path / "k")
    (root / "safety").mkdir()
    (root / "safety" / "messages.yaml").write_text("messages:\n  - text: [oops\n", encoding="utf-8")
    result = runner.invoke(app, ["doctor"], env={"GUIDEBOT_KNOWLEDGE_DIR": str(root), "COLUMNS": "300"})
    text = " ".join(result.stdout.split())
    assert result.exit_code == 1
    assert "messages.yaml" in text and "hard signs only" in text


def test_ask_shows_the_kind_of_source_and_what_else_is_relevant(runner: CliRunner, env: dict[str, str]) -> None:
    result = runner.invoke(
        app, ["ask", "--top", "3", "what did the MoJ study find about the gap week"], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 0, result.output
    # the best passage quotes a group tutor interviewed for the 2010 study: said so, not shown as guidance
    assert "An interviewee's words (group tutor) in a research study (MoJ 2010 study" in result.stdout
    assert "programmes since replaced by BBR and Kaizen" in result.stdout
    assert "Also relevant:" in result.stdout
    assert result.stdout.count("\n  • ") == 2


def test_broken_knowledge_file_is_named_on_stderr_and_ask_still_answers(
    runner: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    root = knowledge_dir(tmp_path / "k")
    (root / "documents" / "broken-title.md").write_text("---\nid: broken\ntitle: [oops\n---\nText.\n")
    result = runner.invoke(
        app,
        ["ask", "--json", "who refers to the quokkafluff programme"],
        env={"GUIDEBOT_KNOWLEDGE_DIR": str(root), "GUIDEBOT_INDEX_DIR": str(tmp_path / "ix")},
    )
    assert result.exit_code == 0, result.output
    assert result.exception is None
    answer = Answer.model_validate_json(result.stdout.strip())
    assert answer.status is Status.answered
    stderr = "".join(result.stderr.split())  # rich wraps long lines at the console width
    assert "broken-title.md" in stderr
    assert "frontmatter" in stderr
    assert "Traceback" not in result.stderr
    assert "broken-title" not in result.stdout


def _cli_command() -> list[str]:
    script = Path(sys.executable).parent / "guidebot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "guidebot.cli"]


def _run_cli(args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*_cli_command(), *args], input=stdin, env=env, capture_output=True, text=True, timeout=60, cwd=cwd
    )


def test_installed_console_script_answers_in_a_real_process(env: dict[str, str], tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path / "k")
    for doc in (SHIPPED_KNOWLEDGE / "documents").glob("bbr-*.md"):
        (root / "documents" / doc.name).write_bytes(doc.read_bytes())
    (root / "documents" / "zz-binary.md").write_bytes(b"\x00\x01binary")
    proc_env = {
        **os.environ,
        **env,
        "GUIDEBOT_KNOWLEDGE_DIR": str(root),
        "GUIDEBOT_INDEX_DIR": str(tmp_path / "ix"),
        "COLUMNS": "300",
    }
    proc = _run_cli(["ask", "how many sessions is BBR"], proc_env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert BBR_TITLE in proc.stdout
    assert "30 sessions" in proc.stdout
    assert "zz-binary.md" in proc.stderr and "binary" in proc.stderr
    assert "Traceback" not in proc.stderr

    batch = _run_cli(["ask", "--json"], proc_env, tmp_path, stdin="how many sessions is BBR\n\nwho can refer to up2u\n")
    assert batch.returncode == 0, batch.stderr
    answers = [Answer.model_validate_json(line) for line in batch.stdout.splitlines()]
    assert [a.question for a in answers] == ["how many sessions is BBR", "", "who can refer to up2u"]
    assert answers[1].status is Status.no_answer
    assert not (tmp_path / "var").exists()  # run from another folder: nothing created here


def test_bytes_that_are_not_utf8_are_replaced_not_a_traceback(env: dict[str, str], tmp_path: Path) -> None:
    proc = subprocess.run(
        [*_cli_command(), "ask", "--json"],
        input=b"how many sessions \xff\xfe is BBR\nwho can refer to up2u\n",
        env={**os.environ, **env},
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    answers = [Answer.model_validate_json(line) for line in proc.stdout.decode().splitlines()]
    assert [a.question for a in answers] == ["how many sessions \ufffd\ufffd is BBR", "who can refer to up2u"]
    assert b"Traceback" not in proc.stderr


def test_feedback_lists_not_helpful_votes_for_content_editors(runner: CliRunner, env: dict[str, str]) -> None:
    from guidebot.store import Store

    store = Store.from_url(env["DATABASE_URL"])
    now = datetime.now(UTC)
    store.record_feedback("a1", ["bbr-hmpps-2019"], "not_helpful", now=now - timedelta(days=1))
    store.record_feedback(
        "a2", [], "not_helpful", question="[red]pay band[/red] for a TM?", now=now - timedelta(hours=1)
    )
    store.record_feedback("a3", ["up2u-lga-2018"], "helpful", now=now)
    store.record_feedback("a4", ["kaizen-hmpps-2019"], "not_helpful", now=now - timedelta(days=90))

    shown = runner.invoke(app, ["feedback"])
    assert shown.exit_code == 0, shown.output
    lines = [line for line in shown.output.splitlines() if "not_helpful" in line]
    assert len(lines) == 2
    assert "[red]pay band[/red] for a TM?" in lines[0] and "no document" in lines[0]
    assert "bbr-hmpps-2019" in lines[1] and "GUIDEBOT_LOG_QUESTIONS is off" in lines[1]
    assert "up2u-lga-2018" not in shown.output and "kaizen-hmpps-2019" not in shown.output

    listed = runner.invoke(app, ["feedback", "--all", "--days", "120", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [v["answer_id"] for v in json.loads(listed.output)] == ["a3", "a2", "a1", "a4"]


def test_feedback_with_no_votes_says_so(runner: CliRunner, env: dict[str, str]) -> None:
    shown = runner.invoke(app, ["feedback", "--days", "7"])
    assert shown.exit_code == 0, shown.output
    assert "no votes in the last 7 days" in shown.output
