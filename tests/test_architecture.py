"""The dependency direction and the no-personal-data logging rule, kept by a test rather than by memory."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers_core import PROJECT_ROOT

CORE = PROJECT_ROOT / "guidebot"
ADAPTER = PROJECT_ROOT / "handlers"
FORBIDDEN_IN_CORE = {"slack_bolt", "slack_sdk", "handlers"}
COMPOSITION_ROOT = CORE / "cli.py"
# What a user typed or a case reference: never logged at INFO or above.
SENSITIVE_NAMES = {"question", "text", "body", "case_ref"}
LOUD_LEVELS = {"info", "warning", "warn", "error", "critical", "exception", "fatal"}


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(tree: ast.AST) -> Iterator[tuple[ast.stmt, str, bool]]:
    """(node, top-level package imported, whether the import sits at module level)."""

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.stmt, str, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child, alias.name.split(".")[0], not in_function
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                yield child, child.module.split(".")[0], not in_function
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            yield from walk(child, inside)

    yield from walk(tree, False)


def forbidden_imports(path: Path, source: str) -> list[str]:
    found = []
    for node, package, top_level in _imports(ast.parse(source, filename=str(path))):
        if package not in FORBIDDEN_IN_CORE:
            continue
        if path == COMPOSITION_ROOT and package == "handlers" and not top_level:
            continue  # the composition root may reach the adapter lazily, inside a command
        found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} imports {package}")
    return found


def _names_in(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            names.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            names.add(sub.attr)
    return names


def sensitive_logging(path: Path, source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in LOUD_LEVELS:
            continue
        owner = node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
        if "log" not in owner_name.lower():
            continue
        args = [*node.args, *(k.value for k in node.keywords)]
        leaked = set().union(*(_names_in(a) for a in args)) & SENSITIVE_NAMES if args else set()
        if leaked:
            found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} logs {sorted(leaked)}")
    return found


def test_core_never_imports_slack_or_the_adapter() -> None:
    problems = [p for path in _modules(CORE) for p in forbidden_imports(path, path.read_text(encoding="utf-8"))]
    assert problems == []


def test_cli_imports_handlers_only_inside_functions() -> None:
    imports = [
        (node.lineno, top)
        for node, package, top in _imports(ast.parse(COMPOSITION_ROOT.read_text(encoding="utf-8")))
        if package == "handlers"
    ]
    assert imports, "cli.py is the composition root: it is expected to reach handlers lazily"
    assert [line for line, top in imports if top] == []


def test_no_loud_logging_of_questions_or_case_refs() -> None:
    problems = [
        p
        for root in (CORE, ADAPTER)
        for path in _modules(root)
        for p in sensitive_logging(path, path.read_text(encoding="utf-8"))
    ]
    assert problems == []


# -- the checks themselves catch what they are for ------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import slack_sdk",
        "from slack_bolt import App",
        "import handlers.app",
        "from handlers import ask",
        "def f():\n    import slack_bolt\n",
    ],
)
def test_forbidden_import_check_catches(source: str) -> None:
    assert forbidden_imports(CORE / "search" / "engine.py", source)


def test_composition_root_may_import_handlers_lazily_but_not_at_top() -> None:
    assert forbidden_imports(COMPOSITION_ROOT, "def serve():\n    from handlers.serve import serve\n") == []
    assert forbidden_imports(COMPOSITION_ROOT, "from handlers.serve import serve\n")
    assert forbidden_imports(COMPOSITION_ROOT, "try:\n    import handlers\nexcept ImportError:\n    pass\n")
    assert forbidden_imports(COMPOSITION_ROOT, "def f():\n    import slack_sdk\n")


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("log.info('asked %s', question)", True),
        ("logger.warning('x', extra={'q': text})", True),
        ("logging.error('bad case %s', case_ref)", True),
        ("self.log.info('%s', event.body)", True),
        ("log.exception('failed on %s', answer.question)", True),
        ("log.debug('asked %s', question)", False),
        ("log.info('answered in %d ms', elapsed)", False),
        ("print(question)", False),
    ],
)
def test_logging_check_catches(source: str, caught: bool) -> None:
    assert bool(sensitive_logging(CORE / "x.py", source)) is caught
