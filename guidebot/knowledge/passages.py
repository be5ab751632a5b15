"""Cut a document body into passages: readable units of roughly 30-200 words that know their section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from guidebot.knowledge.models import Passage

MIN_WORDS = 30
MAX_WORDS = 200
# A section that says only this carries no fact and is never shown as one.
NOT_ANSWERED = re.compile(r"^_?not answered in the source\.?_?$", re.IGNORECASE)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_TABLE_ROW = re.compile(r"^\s*\|")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9\"'“(•-])")


@dataclass
class _Block:
    section: tuple[str, ...]
    kind: str  # paragraph | list | table
    lines: list[str]

    @property
    def text(self) -> str:
        if self.kind == "paragraph":
            return " ".join(line.strip() for line in self.lines)
        return "\n".join(line.rstrip() for line in self.lines)


def _blocks(body: str, plain: bool) -> list[_Block]:
    """Group lines into paragraphs, lists and table rows under the headings above them."""
    section: list[str] = []
    blocks: list[_Block] = []
    current: _Block | None = None
    table_header: str | None = None

    def close() -> None:
        nonlocal current
        if current and any(line.strip() for line in current.lines):
            blocks.append(current)
        current = None

    for raw in body.splitlines():
        line = raw.rstrip()
        heading = None if plain else _HEADING.match(line)
        if heading:
            close()
            table_header = None
            level = max(2, len(heading.group(1)))
            del section[level - 2 :]
            section.append(heading.group(2).strip().strip("*").strip())
            continue
        if not line.strip():
            close()
            table_header = None
            continue
        if not plain and _TABLE_ROW.match(line):
            if current and current.kind != "table":
                close()
            if _TABLE_SEPARATOR.match(line):
                continue
            if table_header is None:
                table_header = line.strip()
                continue
            close()
            # each table row is its own passage, shown under the table's header row
            current = _Block(tuple(section), "table", [table_header, line.strip()])
            close()
            continue
        if not plain and _LIST_ITEM.match(line):
            if current and current.kind != "list":
                close()
            if current is None:
                current = _Block(tuple(section), "list", [])
            current.lines.append(line.strip())
            continue
        if current and current.kind == "list" and raw[:1].isspace():
            current.lines[-1] += " " + line.strip()  # continuation of a list item
            continue
        if current and current.kind != "paragraph":
            close()
        if current is None:
            current = _Block(tuple(section), "paragraph", [])
        current.lines.append(line)
    close()
    return [b for b in blocks if not NOT_ANSWERED.match(b.text.strip())]


def _split_long(block: _Block) -> list[str]:
    """Split a block over MAX_WORDS at sentence ends (paragraphs) or between items (lists)."""
    text = block.text
    if len(text.split()) <= MAX_WORDS or block.kind == "table":
        return [text]
    if block.kind == "list":
        units, joiner = block.lines, "\n"
    else:
        units, joiner = _SENTENCE_END.split(text), " "
    chunks: list[list[str]] = [[]]
    target = (MAX_WORDS * 2) // 3
    for unit in units:
        size = sum(len(u.split()) for u in chunks[-1])
        if (chunks[-1] and size + len(unit.split()) > MAX_WORDS) or size >= target:
            chunks.append([])
        chunks[-1].append(unit)
    # a short tail reads better joined to the chunk before it
    if len(chunks) > 1 and sum(len(u.split()) for u in chunks[-1]) < MIN_WORDS:
        tail = chunks.pop()
        chunks[-1].extend(tail)
    return [joiner.join(c) for c in chunks if c]


def split_passages(doc_id: str, body: str, *, plain: bool = False) -> list[Passage]:
    """Passages in reading order; a short block joins a neighbour in its section so each stands on its own."""
    merged: list[tuple[tuple[str, ...], str, bool]] = []  # section, text, is_table
    for block in _blocks(body, plain):
        for text in _split_long(block):
            is_table = block.kind == "table"
            prev = merged[-1] if merged else None
            fits = (
                prev is not None
                and not is_table
                and not prev[2]
                and prev[0] == block.section
                and len(prev[1].split()) + len(text.split()) <= MAX_WORDS
            )
            if fits and (len(prev[1].split()) < MIN_WORDS or len(text.split()) < MIN_WORDS):
                merged[-1] = (block.section, prev[1] + "\n\n" + text, False)
            else:
                merged.append((block.section, text, is_table))
    return [
        Passage(id=f"{doc_id}#{i}", doc_id=doc_id, section=" > ".join(section), position=i, text=text)
        for i, (section, text, _) in enumerate(merged)
    ]
