"""The terminal renderer: what a person at a terminal reads, in order."""

from __future__ import annotations

from rich.console import Console

from guidebot import terminal
from guidebot.search.models import Answer, Result, Status


def _printed(answer: Answer) -> str:
    console = Console(record=True, width=200)
    terminal.render_answer(answer, console)
    return console.export_text()


def test_a_caution_is_printed_under_the_best_match() -> None:
    result = Result(doc_id="d", title="T", publisher="P", year=2019, section="S", text="Eight men at most.", score=1.0)
    text = _printed(Answer(question="q", status=Status.answered, results=[result], caution="May not say exactly."))
    assert text.index("Eight men at most.") < text.index("May not say exactly.")
    assert "May not say" not in _printed(Answer(question="q", status=Status.answered, results=[result]))
