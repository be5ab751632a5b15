"""The Whoosh index: built once per knowledge fingerprint, swapped in whole, stale ones replaced and removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidebot.config import Settings
from guidebot.knowledge.loader import load_knowledge
from guidebot.search import index as search_index
from guidebot.search.engine import Engine
from guidebot.search.index import analyzer
from guidebot.search.models import Status
from tests.helpers_core import copy_shipped


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path / "knowledge")


def _version_folders(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def test_build_creates_the_index_and_current_points_at_it(tmp_path: Path, knowledge_copy: Path) -> None:
    index_dir = tmp_path / "ix"
    knowledge = load_knowledge(knowledge_copy)
    seen: list[tuple[int, int]] = []

    assert search_index.build(index_dir, knowledge, progress=lambda n, total: seen.append((n, total))) is True

    state = json.loads((index_dir / search_index.CURRENT_FILE).read_text())
    assert (index_dir / state["folder"]).is_dir()
    assert state["fingerprint"] == knowledge.fingerprint
    assert state["passages"] == len(knowledge.passages)
    assert search_index.is_fresh(index_dir, knowledge)
    assert seen and seen[-1] == (len(knowledge.passages), len(knowledge.passages))
    with search_index.open_index(index_dir).searcher() as s:
        assert s.doc_count() == len(knowledge.passages)
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".build-")], "temporary build folder left"


def test_second_build_with_unchanged_knowledge_is_skipped(tmp_path: Path, knowledge_copy: Path) -> None:
    index_dir = tmp_path / "ix"
    assert search_index.build(index_dir, load_knowledge(knowledge_copy)) is True
    before = json.loads((index_dir / search_index.CURRENT_FILE).read_text())
    assert search_index.build(index_dir, load_knowledge(knowledge_copy)) is False
    assert json.loads((index_dir / search_index.CURRENT_FILE).read_text()) == before
    assert search_index.build(index_dir, load_knowledge(knowledge_copy), force=True) is True


def test_changed_document_makes_index_stale_and_engine_rebuilds(tmp_path: Path, knowledge_copy: Path) -> None:
    index_dir = tmp_path / "ix"
    settings = Settings(knowledge_dir=knowledge_copy, index_dir=index_dir)
    Engine.from_settings(settings)
    old_folder = json.loads((index_dir / search_index.CURRENT_FILE).read_text())["folder"]

    doc = knowledge_copy / "documents" / "bbr-hmpps-2019.md"
    doc.write_text(
        doc.read_text(encoding="utf-8")
        + "\n## Zebrafinch rule\n\nEvery zebrafinch session is logged by the treatment manager on the same day.\n",
        encoding="utf-8",
    )
    assert not search_index.is_fresh(index_dir, load_knowledge(knowledge_copy))

    engine = Engine.from_settings(settings)

    assert search_index.is_fresh(index_dir, engine.knowledge)
    state = json.loads((index_dir / search_index.CURRENT_FILE).read_text())
    assert state["folder"] != old_folder
    assert (index_dir / state["folder"]).is_dir()
    assert _version_folders(index_dir) == [state["folder"]], "old index folders must be removed"
    answer = engine.ask("zebrafinch session")
    assert answer.status is Status.answered
    assert "zebrafinch" in answer.results[0].text.lower()


def test_missing_or_broken_current_file_means_not_fresh(tmp_path: Path, knowledge_copy: Path) -> None:
    index_dir = tmp_path / "ix"
    knowledge = load_knowledge(knowledge_copy)
    assert not search_index.is_fresh(index_dir, knowledge)
    assert search_index.current(index_dir) is None
    with pytest.raises(FileNotFoundError):
        search_index.open_index(index_dir)

    search_index.build(index_dir, knowledge)
    (index_dir / search_index.CURRENT_FILE).write_text("{not json")
    assert search_index.current(index_dir) is None
    assert not search_index.is_fresh(index_dir, knowledge)
    assert search_index.build(index_dir, knowledge) is True
    assert search_index.is_fresh(index_dir, knowledge)


def test_current_pointing_at_a_deleted_folder_is_not_fresh(tmp_path: Path, knowledge_copy: Path) -> None:
    index_dir = tmp_path / "ix"
    knowledge = load_knowledge(knowledge_copy)
    search_index.build(index_dir, knowledge)
    folder = json.loads((index_dir / search_index.CURRENT_FILE).read_text())["folder"]
    for child in (index_dir / folder).iterdir():
        child.unlink()
    (index_dir / folder).rmdir()
    assert not search_index.is_fresh(index_dir, knowledge)
    assert search_index.build(index_dir, knowledge) is True


def test_old_index_folders_are_removed(tmp_path: Path, knowledge_copy: Path) -> None:
    index_dir = tmp_path / "ix"
    stale = index_dir / "v0-0123456789abcdef"
    stale.mkdir(parents=True)
    (stale / "junk").write_text("old")
    unrelated = index_dir / "keep-me"
    unrelated.mkdir()

    search_index.build(index_dir, load_knowledge(knowledge_copy))

    assert not stale.exists()
    assert unrelated.is_dir(), "only index version folders are cleaned up"
    folder = json.loads((index_dir / search_index.CURRENT_FILE).read_text())["folder"]
    assert [n for n in _version_folders(index_dir) if n.startswith("v")] == [folder]


def test_engine_from_settings_on_fresh_index_does_not_rebuild(tmp_path: Path, knowledge_copy: Path) -> None:
    index_dir = tmp_path / "ix"
    settings = Settings(knowledge_dir=knowledge_copy, index_dir=index_dir)
    Engine.from_settings(settings)
    marker = index_dir / json.loads((index_dir / search_index.CURRENT_FILE).read_text())["folder"] / "marker"
    marker.write_text("still here")
    engine = Engine.from_settings(settings)
    assert marker.exists(), "a fresh index must be reused, not rebuilt"
    assert engine.ask("how many sessions is BBR").status is Status.answered


def test_interviewee_codes_also_index_their_role() -> None:
    tokens = [t.text for t in analyzer()("(WSW2) said so; GT10 agreed; RM2000 and Up2U stay whole")]
    assert tokens[:2] == ["wsw2", "wsw"]
    assert "gt" in tokens
    assert "rm" not in tokens and "up" not in tokens
