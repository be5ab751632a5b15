"""Walking a checklist: a pure state machine over a run's answers.

The run keeps only the answers given, in order. Where it stands is recomputed by replaying them from the start,
so no client (a Slack button, a stored row) can put a run on a step its answers don't lead to.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from guidebot.checklists.models import (
    OUTCOME_PREFIX,
    VERDICT_LABELS,
    YES_NO,
    Checklist,
    Citation,
    Outcome,
    Step,
    condition_holds,
    parse_condition,
    parse_value,
)

MAX_ANSWER_CHARS = 200


class RunError(Exception):
    """Base of the three ways an answer can be refused; the message is for the person answering."""


class StaleStep(RunError):
    """The answer is for a step the run is no longer on (a double click, an old button)."""


class InvalidAnswer(RunError):
    """The value does not fit the step: the message names the step and what would."""


class Finished(RunError):
    """The run already reached an outcome; restart or go back to change an answer."""


class RunState(BaseModel):
    """A run: which checklist and the answers so far (step id, answer as text), oldest first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    checklist_id: str
    answers: tuple[tuple[str, str], ...] = ()


class Summary(BaseModel):
    """A run written up: the answers, the outcome if reached, and the sources the path rests on."""

    model_config = ConfigDict(frozen=True)

    checklist_id: str
    title: str
    programme: str
    outcome: Outcome | None
    answers: list[tuple[str, str]]
    path: list[str]
    citations: list[Citation]


def start(checklist: Checklist) -> RunState:
    return RunState(checklist_id=checklist.id)


def restart(checklist: Checklist, state: RunState | None = None) -> RunState:
    """A fresh run of the same checklist; the old answers are dropped."""
    return start(checklist)


def normalise(step: Step, value: object) -> str:
    """The answer as stored (canonical spelling), or InvalidAnswer saying what fits this step."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = value.strip() if isinstance(value, str) else None
    if text is not None and len(text) > MAX_ANSWER_CHARS:
        text = None
    if step.kind == "yes_no":
        if text is not None and text.lower() in YES_NO:
            return text.lower()
        raise InvalidAnswer(f"Step '{step.id}' takes yes or no.")
    if step.kind == "choice":
        for choice in step.choices:
            if text is not None and text.casefold() == choice.casefold():
                return choice
        raise InvalidAnswer(f"Step '{step.id}' takes one of: {', '.join(step.choices)}.")
    if text is not None and parse_value(step.kind, text) is not None:
        return str(int(text)) if step.kind == "number" else text
    if step.kind == "number":
        raise InvalidAnswer(f"Step '{step.id}' takes a whole number, e.g. 18.")
    raise InvalidAnswer(f"Step '{step.id}' takes a date written YYYY-MM-DD, e.g. 2024-03-31.")


def target(step: Step, answer: str) -> str:
    """Where a (normalised) answer leads: a step id or `outcome:<id>`."""
    if step.kind in ("yes_no", "choice"):
        return step.next[answer]
    value = parse_value(step.kind, answer)
    assert value is not None  # normalised answers always parse
    for key, goes_to in step.next.items():
        condition = parse_condition(step.kind, key)
        if condition is not None and condition_holds(condition, value):
            return goes_to
    raise InvalidAnswer(f"Step '{step.id}' has no branch for {answer}.")  # the loader rules this out


def _replay(checklist: Checklist, state: RunState) -> tuple[list[tuple[Step, str]], Step | Outcome]:
    """The answers that still lead somewhere, and where they end; anything after a misfit is ignored."""
    if state.checklist_id != checklist.id:
        raise StaleStep(f"This run is for checklist '{state.checklist_id}', not '{checklist.id}'.")
    here: Step | Outcome | None = checklist.step(checklist.start_id)
    assert here is not None  # the loader checked the start
    taken: list[tuple[Step, str]] = []
    for step_id, value in state.answers:
        if not isinstance(here, Step) or step_id != here.id:
            break
        try:
            answer = normalise(here, value)
        except InvalidAnswer:
            break
        taken.append((here, answer))
        goes_to = target(here, answer)
        following = (
            checklist.outcome(goes_to.removeprefix(OUTCOME_PREFIX))
            if goes_to.startswith(OUTCOME_PREFIX)
            else checklist.step(goes_to)
        )
        assert following is not None  # the loader checked every link
        here = following
    return taken, here


def position(checklist: Checklist, state: RunState) -> Step | Outcome:
    """The step to answer now, or the outcome reached."""
    return _replay(checklist, state)[1]


def answer(checklist: Checklist, state: RunState, step_id: str, value: object) -> RunState:
    """The run with one more answer; refuses an answer for any step but the current one."""
    taken, here = _replay(checklist, state)
    if isinstance(here, Outcome):
        raise Finished(f"This checklist is finished ({VERDICT_LABELS[here.verdict]}); go back or restart to change it.")
    if step_id != here.id:
        raise StaleStep(f"That answer was for step '{step_id}', but the checklist has moved on to '{here.id}'.")
    stored = normalise(here, value)
    answers = (*((s.id, a) for s, a in taken), (here.id, stored))
    return RunState(checklist_id=checklist.id, answers=answers)


def back(checklist: Checklist, state: RunState) -> RunState:
    """The run without its last answer; at the start, unchanged."""
    taken, _ = _replay(checklist, state)
    return RunState(checklist_id=checklist.id, answers=tuple((s.id, a) for s, a in taken[:-1]))


def summary(checklist: Checklist, state: RunState) -> Summary:
    taken, here = _replay(checklist, state)
    citations: list[Citation] = []
    for step, _ in taken:
        if step.citation not in citations:
            citations.append(step.citation)
    outcome = here if isinstance(here, Outcome) else None
    if outcome is not None and outcome.citation is not None and outcome.citation not in citations:
        citations.append(outcome.citation)
    return Summary(
        checklist_id=checklist.id,
        title=checklist.title,
        programme=checklist.programme,
        outcome=outcome,
        answers=[(step.prompt, a) for step, a in taken],
        path=[step.id for step, _ in taken],
        citations=citations,
    )


def summary_text(result: Summary) -> str:
    """Plain text for case notes: no markup, no names, only the answers given and the sources."""
    lines = [f"Checklist: {result.title} ({result.programme})"]
    if result.outcome is None:
        lines.append("Outcome: not reached yet (checklist unfinished)")
    else:
        lines.append(f"Outcome: {VERDICT_LABELS[result.outcome.verdict]}. {result.outcome.text}")
        if result.outcome.next_steps:
            lines.append("Next steps:")
            lines.extend(f"- {item}" for item in result.outcome.next_steps)
    lines.append("Answers:")
    lines.extend(f"- {prompt} Answer: {value}" for prompt, value in result.answers)
    if not result.answers:
        lines.append("- none yet")
    lines.append("Sources:")
    lines.extend(f'- {c.doc_id}, "{c.section}": "{c.quote}"' for c in result.citations)
    return "\n".join(lines)
