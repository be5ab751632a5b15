"""Load the labelled messages in knowledge/safety/*.yaml; a bad entry is named by file and line and left out."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from guidebot.knowledge.files import FileProblem, entry_error, file_error, list_entries
from guidebot.knowledge.models import KnowledgeError
from guidebot.knowledge.questions import question_files
from guidebot.safety.models import Label, LabelledMessage

SAFETY_DIR = "safety"
QUESTION_WHY = "a practitioner's question that the guidance answers (knowledge/questions/)"


def message_files(root: Path) -> list[Path]:
    folder = root / SAFETY_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def practitioner_questions(root: Path) -> list[LabelledMessage]:
    """The questions in knowledge/questions/, as ordinary messages: they are what the bot sees most, and a
    classifier that never saw them takes "how often do I see him on IDAP?" for a report about him."""
    out: list[LabelledMessage] = []
    for path in question_files(root):
        try:
            _, entries = list_entries(path, "passages")
        except (FileProblem, OSError):
            continue  # the knowledge loader reports the file
        for _, entry in entries:
            questions = entry.get("questions") if isinstance(entry, dict) else None
            for q in questions if isinstance(questions, list) else []:
                if isinstance(q, str) and q.strip():
                    out.append(LabelledMessage(text=q, label=Label.ordinary, why=QUESTION_WHY))
    return out


def load_messages(root: Path) -> tuple[list[LabelledMessage], list[KnowledgeError]]:
    """Every valid labelled message, in file order, then the practitioner questions; and the problems found."""
    messages: list[LabelledMessage] = []
    errors: list[KnowledgeError] = []
    seen: dict[str, str] = {}
    for path in message_files(root):
        try:
            _, entries = list_entries(path, "messages")
        except (FileProblem, OSError) as exc:
            errors.append(file_error(path, exc))
            continue
        for line, item in entries:
            try:
                message = LabelledMessage.model_validate(item)
            except ValidationError as exc:
                errors.append(entry_error(path, line, exc))
                continue
            key = " ".join(message.text.lower().split())
            if key in seen:
                errors.append(
                    KnowledgeError(
                        path=str(path), line=line, field="text", message=f"the same message is at {seen[key]}"
                    )
                )
                continue
            seen[key] = f"{path.name} line {line}"
            messages.append(message)
    for message in practitioner_questions(root):
        key = " ".join(message.text.lower().split())
        if key not in seen:
            seen[key] = "knowledge/questions"
            messages.append(message)
    return messages, errors
