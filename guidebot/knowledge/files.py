"""Reading knowledge files safely: text checks, YAML without aliases, and list entries with their line numbers."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import ValidationError

from guidebot.knowledge.models import KnowledgeError

MAX_FILE_BYTES = 5_000_000


# libyaml's parser when PyYAML has it (about 20x faster: the questions files are thousands of lines and are read
# on every cold start); the pure-Python one otherwise. Either way only safe tags are constructed.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_aliases(tree: yaml.Node | None) -> None:
    """An alias makes two places share one node: refused, so a small file can't expand into millions of values."""
    seen: set[int] = set()
    stack = [tree] if tree is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            continue
        if id(node) in seen:
            mark = node.start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed here", mark)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in node.value for v in pair)
        else:
            stack.extend(node.value)


def _compose(text: str) -> tuple[object, yaml.Node | None]:
    """The YAML document's data and its node tree (for line numbers); aliases refused."""
    loader = _Loader(text)
    try:
        tree = loader.get_single_node()
        _refuse_aliases(tree)
        return (loader.construct_document(tree) if tree is not None else None), tree
    finally:
        loader.dispose()


def load_yaml(text: str) -> object:
    return _compose(text)[0]


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


def _parsed(path: Path) -> tuple[object, yaml.Node | None]:
    """A file's data and node tree; the last few are kept by content, since several readers look at different
    lists of one file (a checklist's steps and outcomes). Readers must not change what they get."""
    text = read_text(path)
    key = (str(path), hashlib.sha256(text.encode()).hexdigest())
    if key not in _PARSED:
        if len(_PARSED) >= _PARSED_KEEP:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = _compose(text)
    return _PARSED[key]


_PARSED: dict[tuple[str, str], tuple[object, yaml.Node | None]] = {}
_PARSED_KEEP = 8


def list_entries(path: Path, key: str) -> tuple[dict, list[tuple[int, object]]]:
    """The file's mapping and each entry of its `key:` list with the line the entry starts on."""
    try:  # one parse: the node tree gives the lines, and is then turned into data
        data, tree = _parsed(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise FileProblem(f"not valid YAML{f' at line {mark.line + 1}' if mark else ''}: {problem}") from None
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
