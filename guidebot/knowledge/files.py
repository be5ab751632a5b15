"""Reading knowledge files safely: text checks, YAML without aliases, and list entries with their line numbers."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from guidebot.knowledge.models import KnowledgeError

MAX_FILE_BYTES = 5_000_000


class NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, so a small file can't expand into millions of nodes."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed here", mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> object:
    return yaml.load(text, Loader=NoAliasLoader)


class FileProblem(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def read_text(path: Path) -> str:
    """The file as text, or a FileProblem saying plainly why it can't be read."""
    data = path.read_bytes()
    if not data.strip():
        raise FileProblem("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    if b"\x00" in data[:8192]:
        raise FileProblem("this is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"the file is not UTF-8 text (bad byte at position {exc.start})") from None


def list_entries(path: Path, key: str) -> tuple[dict, list[tuple[int, object]]]:
    """The file's mapping and each entry of its `key:` list with the line the entry starts on."""
    loader = NoAliasLoader(read_text(path))
    try:  # one parse: the node tree gives the lines, and is then turned into data
        tree = loader.get_single_node()
        data = loader.construct_document(tree) if tree is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise FileProblem(f"not valid YAML{f' at line {mark.line + 1}' if mark else ''}: {problem}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(data.get(key), list) or tree is None:
        raise FileProblem(f"the file must have a '{key}:' list", key)
    nodes = next(v for k, v in tree.value if k.value == key)
    return data, [(node.start_mark.line + 1, item) for node, item in zip(nodes.value, data[key], strict=True)]


def file_error(path: Path, exc: FileProblem | OSError) -> KnowledgeError:
    """A whole file that could not be used, named for the person who fixes it."""
    if isinstance(exc, FileProblem):
        return KnowledgeError(path=str(path), field=exc.field, message=str(exc))
    return KnowledgeError(path=str(path), message=f"cannot be read: {exc.strerror}")


def entry_error(path: Path, line: int, exc: ValidationError) -> KnowledgeError:
    """One entry of a list that failed validation: its file, line and first bad field."""
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or None
    return KnowledgeError(path=str(path), line=line, field=field, message=err["msg"])
