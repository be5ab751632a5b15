"""Read knowledge files into Documents, Passages and the Glossary; the one place a new file format plugs in.

A bad file never stops the others: it becomes a KnowledgeError naming the file and the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from guidebot.knowledge.files import FileProblem, file_error, load_yaml, read_text
from guidebot.knowledge.models import Document, DocumentMeta, Glossary, KnowledgeError, Passage
from guidebot.knowledge.passages import split_passages
from guidebot.knowledge.questions import UNANSWERED_DIR, load_questions, load_unanswered, question_files

GLOSSARY_FILE = "glossary.yaml"


def _first_field(exc: ValidationError) -> tuple[str | None, str]:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or None
    return field, err["msg"] if field else str(err["msg"])


def split_front_matter(text: str) -> tuple[dict, str]:
    """YAML between the first two '---' lines, and the body after them."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise FileProblem("the file must start with YAML front matter between '---' lines", "front matter")
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise FileProblem("the front matter has no closing '---' line", "front matter")
    try:
        meta = load_yaml("".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FileProblem(f"the front matter is not valid YAML{where}: {problem}", "front matter") from None
    if not isinstance(meta, dict):
        raise FileProblem("the front matter must be a set of 'key: value' lines", "front matter")
    return meta, "".join(lines[end + 1 :])


def parse_document(path: Path) -> Document:
    meta_raw, body = split_front_matter(read_text(path))
    try:
        meta = DocumentMeta.model_validate(meta_raw)
    except ValidationError as exc:
        field, msg = _first_field(exc)
        raise FileProblem(msg, field) from None
    if not body.strip():
        raise FileProblem("the document has front matter but no text", "body")
    return Document(**meta.model_dump(), path=str(path), body=body)


# The loader for each file ending; a later format (pdf, docx) adds one function here.
READERS: dict[str, Callable[[Path], Document]] = {".md": parse_document, ".txt": parse_document}


class Knowledge(BaseModel):
    """Everything loaded from a knowledge folder, including what could not be loaded."""

    documents: list[Document]
    passages: list[Passage]
    glossary: Glossary
    # passage id -> the questions practitioners ask that it answers (knowledge/questions/)
    questions: dict[str, list[str]] = {}
    # questions no document answers (knowledge/unanswered/): what declining is measured against
    unanswered: list[str] = []
    errors: list[KnowledgeError]
    fingerprint: str
    root: Path

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == doc_id), None)


def knowledge_files(root: Path) -> list[Path]:
    folder = root / "documents"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in READERS)


def fingerprint(root: Path) -> str:
    """A hash of every file search depends on: unchanged knowledge means the index can be reused."""
    digest = hashlib.sha256()
    for path in [
        *knowledge_files(root),
        root / GLOSSARY_FILE,
        *question_files(root),
        *question_files(root, UNANSWERED_DIR),
    ]:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_glossary(root: Path) -> tuple[Glossary, list[KnowledgeError]]:
    path = root / GLOSSARY_FILE
    if not path.is_file():
        return Glossary(), []
    try:
        raw = load_yaml(read_text(path))
        return Glossary.model_validate(raw or {}), []
    except FileProblem as exc:
        return Glossary(), [KnowledgeError(path=str(path), field=exc.field, message=str(exc))]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return Glossary(), [KnowledgeError(path=str(path), message=f"not valid YAML{where}: {problem}")]
    except ValidationError as exc:
        field, msg = _first_field(exc)
        return Glossary(), [KnowledgeError(path=str(path), field=field, message=msg)]


def load_knowledge(root: Path) -> Knowledge:
    """Load every document under root/documents and root/glossary.yaml; collect errors, never raise for a file."""
    documents: list[Document] = []
    errors: list[KnowledgeError] = []
    if not (root / "documents").is_dir():
        errors.append(KnowledgeError(path=str(root / "documents"), message="the documents folder is missing"))
    seen: dict[str, str] = {}
    for path in knowledge_files(root):
        try:
            doc = READERS[path.suffix.lower()](path)
        except (FileProblem, OSError) as exc:
            errors.append(file_error(path, exc))
            continue
        if doc.id in seen:
            errors.append(
                KnowledgeError(path=str(path), field="id", message=f"'{doc.id}' is also used by {seen[doc.id]}")
            )
            continue
        seen[doc.id] = str(path)
        documents.append(doc)
    passages = [
        p for doc in documents for p in split_passages(doc.id, doc.body, plain=Path(doc.path).suffix.lower() == ".txt")
    ]
    glossary, glossary_errors = load_glossary(root)
    questions, question_errors = load_questions(root, passages)
    unanswered, unanswered_errors = load_unanswered(root, passages)
    return Knowledge(
        documents=documents,
        passages=passages,
        glossary=glossary,
        questions=questions,
        unanswered=unanswered,
        errors=errors + glossary_errors + question_errors + unanswered_errors,
        fingerprint=fingerprint(root),
        root=root,
    )
