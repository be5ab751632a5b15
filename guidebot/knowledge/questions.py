"""The questions each passage answers (knowledge/questions/<document id>.yaml), tied to passages by quote, and
the questions no document answers (knowledge/unanswered/): near-misses beside a passage, and off-topic ones.

A passage is named by its section heading and a short quote from its text, which survive edits that renumber
passages. A quote that matches no passage, or several, is an error naming the file and line; that entry is
left out and the rest load. An unanswered file without `document:` holds a plain `questions:` list (off-topic).
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from guidebot.knowledge.files import FileProblem, entry_error, file_error, list_entries
from guidebot.knowledge.models import KnowledgeError, Passage

QUESTIONS_DIR = "questions"
UNANSWERED_DIR = "unanswered"


class PassageQuestions(BaseModel):
    """One entry: which passage (section + quote) and the questions it answers."""

    model_config = ConfigDict(extra="forbid")

    section: StrictStr = ""
    quote: StrictStr = Field(min_length=1)
    questions: list[StrictStr] = Field(min_length=1)


def question_files(root: Path, folder_name: str = QUESTIONS_DIR) -> list[Path]:
    folder = root / folder_name
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def normalise(text: str) -> str:
    """Lower case, plain quotes, markdown marks as spaces, whitespace collapsed: how quotes are compared."""
    text = text.lower().translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))
    return " ".join(re.sub(r"[*_|#]", " ", text).split())


def _entries(path: Path) -> tuple[str, list[tuple[int, object]]]:
    data, entries = list_entries(path, "passages")
    document = data.get("document")
    if not isinstance(document, str) or not document:
        raise FileProblem("'document:' must name a document id", "document")
    return document, entries


def load_questions(
    root: Path, passages: list[Passage], folder_name: str = QUESTIONS_DIR
) -> tuple[dict[str, list[str]], list[KnowledgeError]]:
    """Passage id -> the questions of `folder_name`'s files tied to it, and the problems found (file, line, field)."""
    by_doc: dict[str, list[tuple[Passage, str]]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append((p, normalise(p.text)))
    found: dict[str, list[str]] = {}
    errors: list[KnowledgeError] = []
    for path in question_files(root, folder_name):
        if folder_name == UNANSWERED_DIR and _is_plain_list(path):
            continue  # off-topic questions: load_unanswered reads them
        try:
            doc_id, entries = _entries(path)
        except (FileProblem, OSError) as exc:
            errors.append(file_error(path, exc))
            continue
        if doc_id not in by_doc:
            errors.append(KnowledgeError(path=str(path), field="document", message=f"no document '{doc_id}'"))
            continue
        for line, item in entries:
            try:
                entry = PassageQuestions.model_validate(item)
            except ValidationError as exc:
                errors.append(entry_error(path, line, exc))
                continue
            in_section = [
                (p, text)
                for p, text in by_doc[doc_id]
                if p.section == entry.section or p.section.endswith(" > " + entry.section)
            ]
            if not in_section:
                errors.append(
                    KnowledgeError(path=str(path), line=line, field="section", message=f"no section '{entry.section}'")
                )
                continue
            quote = normalise(entry.quote)
            matches = [p for p, text in in_section if quote in text]
            if len(matches) != 1:
                what = "no passage" if not matches else f"{len(matches)} passages"
                errors.append(
                    KnowledgeError(
                        path=str(path),
                        line=line,
                        field="quote",
                        message=f"the quote matches {what} in '{entry.section}'",
                    )
                )
                continue
            found.setdefault(matches[0].id, []).extend(q.strip() for q in entry.questions if q.strip())
    return found, errors


def load_unanswered(root: Path, passages: list[Passage]) -> tuple[list[str], list[KnowledgeError]]:
    """The questions no document answers: near-misses tied to the passage they sit beside, then off-topic ones."""
    near, errors = load_questions(root, passages, UNANSWERED_DIR)
    found = [q for questions in near.values() for q in questions]
    for path in question_files(root, UNANSWERED_DIR):
        try:
            entries = list_entries(path, "questions")[1] if _is_plain_list(path) else []
        except (FileProblem, OSError) as exc:
            errors.append(file_error(path, exc))
            continue
        for line, item in entries:
            if isinstance(item, str) and item.strip():
                found.append(item.strip())
            else:
                errors.append(KnowledgeError(path=str(path), line=line, message="each question must be a line of text"))
    return found, errors


def _is_plain_list(path: Path) -> bool:
    """An off-topic file: a `questions:` list and no `document:` (document files are read by load_questions)."""
    try:
        data, _ = list_entries(path, "questions")
    except (FileProblem, OSError):
        return False
    return "document" not in data
