"""The labelled messages loader: a bad entry is named by file and line and left out; the rest load."""

from __future__ import annotations

from pathlib import Path

from guidebot.safety.messages import load_messages
from guidebot.safety.models import Label
from tests.safety.conftest import write_messages


def test_valid_messages_load_in_file_order(small_knowledge: Path) -> None:
    messages, errors = load_messages(small_knowledge)
    assert errors == []
    assert len(messages) == 48
    assert messages[0].label is Label.urgent and messages[6].label is Label.ordinary


def test_a_bad_entry_is_named_by_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "safety" / "bad.yaml"
    path.parent.mkdir()
    path.write_text(
        "messages:\n"
        "  - text: he's at her door\n"
        "    label: urgent\n"
        "    why: him where she is\n"
        "  - text: how many sessions\n"
        "    label: maybe\n"
        "    why: a question\n",
        encoding="utf-8",
    )
    messages, errors = load_messages(tmp_path)
    assert [m.text for m in messages] == ["he's at her door"]
    assert len(errors) == 1
    assert errors[0].line == 5 and errors[0].field == "label"
    assert str(errors[0]).startswith(f"{path} line 5 (field 'label')")


def test_unknown_fields_and_missing_notes_are_errors(tmp_path: Path) -> None:
    write_messages(
        tmp_path,
        "a.yaml",
        [{"text": "x y z", "label": "urgent"}, {"text": "a b c", "label": "ordinary", "why": "q", "colour": "red"}],
    )
    messages, errors = load_messages(tmp_path)
    assert messages == []
    assert [e.field for e in errors] == ["why", "colour"]


def test_a_repeated_message_is_reported_once_and_kept_once(tmp_path: Path) -> None:
    write_messages(tmp_path, "a.yaml", [{"text": "He's at her door", "label": "urgent", "why": "w"}])
    write_messages(tmp_path, "b.yaml", [{"text": "he's at  her door", "label": "ordinary", "why": "w"}])
    messages, errors = load_messages(tmp_path)
    assert len(messages) == 1
    assert "a.yaml line 2" in errors[0].message and errors[0].path.endswith("b.yaml")


def test_a_file_that_is_not_yaml_is_named_and_the_others_load(small_knowledge: Path) -> None:
    broken = small_knowledge / "safety" / "broken.yaml"
    broken.write_text("messages:\n  - text: 'unclosed\n    label: urgent\n", encoding="utf-8")
    (small_knowledge / "safety" / "list.yaml").write_text("- just a list\n", encoding="utf-8")
    messages, errors = load_messages(small_knowledge)
    assert len(messages) == 48
    assert {Path(e.path).name for e in errors} == {"broken.yaml", "list.yaml"}
    assert any("not valid YAML at line" in e.message for e in errors)
