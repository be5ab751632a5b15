"""`guidebot checklist`: list, show and run from a file of answers, as JSON for scripts; bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guidebot.cli import app
from tests.helpers_core import SHIPPED_KNOWLEDGE, knowledge_dir


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("GUIDEBOT_KNOWLEDGE_DIR", str(SHIPPED_KNOWLEDGE))
    return CliRunner()


def test_list_and_show_as_json(runner: CliRunner) -> None:
    listed = json.loads(runner.invoke(app, ["checklist", "list", "--json"]).stdout)
    assert {"bbr", "kaizen", "up2u"} <= {row["id"] for row in listed}
    shown = json.loads(runner.invoke(app, ["checklist", "show", "up2u", "--json"]).stdout)
    assert shown["id"] == "up2u" and shown["steps"][0]["citation"]["quote"]


def test_run_from_answers_prints_the_path_and_the_outcome(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text('area: "yes"\naccepts: "no"\n', encoding="utf-8")
    result = runner.invoke(app, ["checklist", "run", "up2u", "--answers", str(answers), "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [step["step"] for step in data["path"]] == ["area", "accepts"]
    assert data["outcome"]["verdict"] == "not_suitable"


def test_an_answer_that_does_not_fit_names_the_step(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"area": "yes", "accepts": "yes", "wants_change": "yes", "age": "fifteen"}', encoding="utf-8")
    result = runner.invoke(app, ["checklist", "run", "up2u", "--answers", str(answers), "--json"])
    assert result.exit_code == 2 and "age" in result.stderr


def test_an_unknown_checklist_lists_the_known_ones(runner: CliRunner) -> None:
    result = runner.invoke(app, ["checklist", "show", "idap2"])
    assert result.exit_code == 2 and "bbr" in result.stderr


def test_doctor_names_a_checklist_left_out(runner: CliRunner, tmp_path: Path) -> None:
    root = knowledge_dir(tmp_path / "k")
    (root / "checklists").mkdir()
    (root / "checklists" / "broken.yaml").write_text(
        'id: broken\ntitle: "B"\nprogramme: "BBR"\nsummary: "s"\nsources: []\nsteps: []\noutcomes: []\n',
        encoding="utf-8",
    )
    env = {"GUIDEBOT_KNOWLEDGE_DIR": str(root), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "COLUMNS": "300"}
    result = runner.invoke(app, ["doctor"], env=env)
    assert result.exit_code == 1 and "checklist left out" in result.stdout and "broken.yaml" in result.stdout
