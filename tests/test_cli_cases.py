"""`guidebot cases import|export|list`, `guidebot reminders plan` and doctor's reminder lines, through CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guidebot.cli import app
from tests.fakeslack.signing import SECRET
from tests.fakeslack.webapi import FakeSlack

HEADER = "case_ref,programme,group_start,om,team_channel,order_date"
GOOD_ROWS = [
    # IDAP from Wed 7 Jan 2026: gap week 4 is the week of Mon 26 Jan
    "X123456,IDAP,2026-01-07,U123ABC,C111,",
    "X234567,BBR,2026-02-04,U456DEF,C111,2026-01-20",
    # IDAP from Wed 6 May 2026: gap week 8 is the week of Mon 22 Jun (British Summer Time)
    "X345678,idap,2026-05-06,<@U789GHI|om.jones>,<#C222|team-b>,",
]
BAD_ROWS = [
    "X456789,IDAP,2026-01-07,Will,C111,",  # an OM that is not a Slack user id
    "John Smith,IDAP,2026-01-07,U123ABC,C111,",  # a name where the case reference goes
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def flat(text: str) -> str:
    return " ".join(text.split())


def imported(runner: CliRunner, tmp_path: Path) -> Path:
    path = write_csv(tmp_path / "cases.csv", GOOD_ROWS)
    result = runner.invoke(app, ["cases", "import", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_import_names_the_bad_lines_and_imports_the_good_ones(runner: CliRunner, env: dict, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", [GOOD_ROWS[0], BAD_ROWS[0], GOOD_ROWS[1], BAD_ROWS[1], GOOD_ROWS[2]])
    result = runner.invoke(app, ["cases", "import", str(path)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    (om_line,) = [line for line in lines if line.startswith("line 3:")]
    assert "om: not a Slack user id" in om_line
    (ref_line,) = [line for line in lines if line.startswith("line 5:")]
    assert "case_ref: not a case reference" in ref_line
    assert not [line for line in lines if line.startswith(("line 2:", "line 4:", "line 6:"))]
    assert "imported: 3 added, 0 updated, 0 unchanged; 2 rows refused" in flat(result.stdout)
    assert "John" not in result.stdout and "Smith" not in result.stdout and "Will" not in result.stdout

    listed = runner.invoke(app, ["cases", "list"])
    assert listed.exit_code == 0, listed.output
    refs = [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]
    assert refs == ["X123456", "X234567", "X345678"]


def test_importing_the_same_file_again_changes_nothing(runner: CliRunner, env: dict, tmp_path: Path) -> None:
    path = imported(runner, tmp_path)
    again = runner.invoke(app, ["cases", "import", str(path)])
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 3 unchanged" in flat(again.stdout)


def test_export_imports_back_unchanged(runner: CliRunner, env: dict, tmp_path: Path) -> None:
    imported(runner, tmp_path)
    exported = runner.invoke(app, ["cases", "export"])
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [r["case_ref"] for r in rows] == ["X123456", "X234567", "X345678"]
    third = rows[2]
    assert (third["programme"], third["om"], third["team_channel"], third["status"]) == (
        "IDAP",
        "U789GHI",
        "C222",
        "active",
    )
    assert "om.jones" not in exported.stdout  # the mention's label is dropped, only the id is kept
    back = tmp_path / "exported.csv"
    back.write_text(exported.stdout, encoding="utf-8")
    result = runner.invoke(app, ["cases", "import", str(back)])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated, 3 unchanged; 0 rows refused" in flat(result.stdout)


def test_an_export_carries_the_status_to_another_database(runner: CliRunner, env: dict, tmp_path: Path) -> None:
    from guidebot.store import Store

    imported(runner, tmp_path)
    store = Store.from_url(env["DATABASE_URL"])
    store.cases.set_status("X234567", "paused", by="test")
    store.engine.dispose()
    exported = runner.invoke(app, ["cases", "export"])
    back = tmp_path / "exported.csv"
    back.write_text(exported.stdout, encoding="utf-8")
    other = {"DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"}
    result = runner.invoke(app, ["cases", "import", str(back)], env=other)
    assert "3 added" in flat(result.stdout)
    listed = runner.invoke(app, ["cases", "list"], env=other)
    (paused,) = [line for line in listed.stdout.splitlines() if line.startswith("X234567")]
    assert paused.split()[-1] == "paused"


def test_cases_list_shows_one_case_a_line_and_filters_by_om(runner: CliRunner, env: dict, tmp_path: Path) -> None:
    empty = runner.invoke(app, ["cases", "list"])
    assert empty.exit_code == 0 and "no cases" in empty.stdout
    imported(runner, tmp_path)
    listed = runner.invoke(app, ["cases", "list", "--om", "U123ABC"])
    assert listed.exit_code == 0, listed.output
    (line,) = [line for line in listed.stdout.splitlines() if line.strip()]
    assert line.split() == ["X123456", "IDAP", "2026-01-07", "om", "U123ABC", "team", "C111", "active"]


def test_reminders_plan_json_gives_local_send_times_with_their_offset(
    runner: CliRunner, env: dict, tmp_path: Path
) -> None:
    imported(runner, tmp_path)
    result = runner.invoke(app, ["reminders", "plan", "--from", "2026-01-26", "--weeks", "2", "--json"])
    assert result.exit_code == 0, result.output
    planned = json.loads(result.stdout)
    assert all({"case_ref", "rule", "due_date", "send_at"} <= set(item) for item in planned)
    gap = [p for p in planned if p["case_ref"] == "X123456" and p["rule"] == "gap_week"]
    assert [(p["due_date"], p["stage"], p["send_at"]) for p in gap] == [
        ("2026-01-26", "first", "2026-01-26T09:00:00+00:00"),
        ("2026-01-26", "nudge", "2026-01-30T09:00:00+00:00"),
    ]
    assert all("2026-01-26" <= p["send_at"][:10] < "2026-02-09" for p in planned)
    assert [p["send_at"] for p in planned] == sorted(p["send_at"] for p in planned)

    summer = runner.invoke(app, ["reminders", "plan", "--from", "2026-06-22", "--weeks", "1", "--json"])
    assert summer.exit_code == 0, summer.output
    june = [p for p in json.loads(summer.stdout) if p["case_ref"] == "X345678" and p["rule"] == "gap_week"]
    assert [p["send_at"] for p in june] == ["2026-06-22T09:00:00+01:00", "2026-06-26T09:00:00+01:00"]


def test_reminders_plan_refuses_a_bad_date(runner: CliRunner, env: dict) -> None:
    result = runner.invoke(app, ["reminders", "plan", "--from", "26/01/2026"])
    assert result.exit_code == 2
    assert "--from: expected YYYY-MM-DD" in flat(result.stderr)


def test_doctor_says_there_are_no_cases_yet(runner: CliRunner, env: dict) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["doctor"])
    text = flat(result.stdout)
    assert "reminders: no cases yet" in text
    assert "last worker pass" not in text


def test_doctor_reports_the_last_worker_pass(runner: CliRunner, env: dict, tmp_path: Path) -> None:
    imported(runner, tmp_path)
    before = flat(runner.invoke(app, ["doctor"]).stdout)
    assert "fail reminders: last worker pass never" in before
    assert "reminders: 3 open case(s)" in before
    with FakeSlack() as fake:
        slack = {
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "GUIDEBOT_SEMANTIC": "false",
        }
        worked = runner.invoke(app, ["worker", "--once"], env=slack)
        assert worked.exit_code == 0, worked.output
        after = flat(runner.invoke(app, ["doctor"], env=slack).stdout)
    assert "ok reminders: last worker pass" in after and "UTC (planned" in after
    assert "never" not in after
    assert "reminders: 3 open case(s)" in after
