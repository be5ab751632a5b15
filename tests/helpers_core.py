"""Shared helpers for the core tests (knowledge, search, CLI): paths and small knowledge folders on disk."""

from __future__ import annotations

import importlib.util
import shutil
import textwrap
from pathlib import Path
from types import ModuleType

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_KNOWLEDGE = PROJECT_ROOT / "knowledge"
EVAL_DEV = PROJECT_ROOT / "tests" / "data" / "eval_dev.yaml"

GOOD_DOC_ID = "good-doc"
# A word that occurs nowhere else, so a search for it proves this document was indexed.
GOOD_MARKER = "quokkafluff"
GOOD_DOC = textwrap.dedent(
    f"""\
    ---
    id: {GOOD_DOC_ID}
    title: "A good document"
    publisher: "Test Publisher"
    year: 2020
    kind: programme_guidance
    programmes: [Testprog]
    ---

    ## Referral

    Referral to the {GOOD_MARKER} programme is made by the offender manager after a suitability
    assessment, and every participant gives informed consent before the first group session starts.
    """
)


def front_matter(**fields: object) -> str:
    """A valid front matter block, with fields overridden (None removes a field)."""
    base: dict[str, object] = {
        "id": "some-doc",
        "title": '"Some document"',
        "publisher": '"Someone"',
        "year": 2020,
        "kind": "programme_guidance",
    }
    base.update(fields)
    lines = [f"{k}: {v}" for k, v in base.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n"


def knowledge_dir(root: Path, *, glossary: bool = True) -> Path:
    """A knowledge folder holding the good document (and the shipped glossary unless told otherwise)."""
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "documents" / "a-good.md").write_text(GOOD_DOC, encoding="utf-8")
    if glossary:
        shutil.copy(SHIPPED_KNOWLEDGE / "glossary.yaml", root / "glossary.yaml")
    return root


def copy_shipped(dest: Path) -> Path:
    """A private copy of the shipped knowledge that a test may change."""
    shutil.copytree(SHIPPED_KNOWLEDGE, dest)
    return dest


def load_tool(name: str) -> ModuleType:
    """A script of tools/ imported as a module (tools/ is not a package: the scripts are run, not installed)."""
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
