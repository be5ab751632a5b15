"""knowledge/checklists/*.yaml: each file one checklist, checked as a whole before anyone is walked through it.

Errors name the file, the line of the step (or outcome) and the step's id, so whoever edits the YAML can fix it
without reading code. A broken checklist is left out; the others still load.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from guidebot.checklists.models import OUTCOME_PREFIX, Checklist
from guidebot.knowledge.files import FileProblem, file_error, list_entries
from guidebot.knowledge.models import KnowledgeError

CHECKLISTS_DIR = "checklists"

# (which list: "steps"/"outcomes"/None for the checklist itself, the id in that list, field, message)
Problem = tuple[str | None, str | None, str | None, str]


def checklist_files(knowledge_dir: Path) -> list[Path]:
    folder = knowledge_dir / CHECKLISTS_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_checklists(knowledge_dir: Path) -> tuple[dict[str, Checklist], list[KnowledgeError]]:
    """Every valid checklist keyed by id, and every problem found; never raises for a bad file."""
    checklists: dict[str, Checklist] = {}
    where: dict[str, Path] = {}
    errors: list[KnowledgeError] = []
    for path in checklist_files(knowledge_dir):
        checklist, problems = load_checklist(path)
        errors.extend(problems)
        if checklist is None:
            continue
        if checklist.id in checklists:
            errors.append(
                KnowledgeError(
                    path=str(path),
                    field="id",
                    message=f"checklist id '{checklist.id}' is also used by {where[checklist.id]}",
                )
            )
            continue
        checklists[checklist.id] = checklist
        where[checklist.id] = path
    return checklists, errors


def load_checklist(path: Path) -> tuple[Checklist | None, list[KnowledgeError]]:
    """One file: the checklist if it is sound, else None and every problem found in it."""
    try:
        data, step_entries = list_entries(path, "steps")
        _, outcome_entries = list_entries(path, "outcomes")
    except (FileProblem, OSError) as exc:
        return None, [file_error(path, exc)]
    lines = {"steps": [line for line, _ in step_entries], "outcomes": [line for line, _ in outcome_entries]}
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        return None, [_validation_error(path, data, lines, err) for err in exc.errors()]
    problems = list(graph_problems(checklist))
    if problems:
        return None, [_graph_error(path, checklist, lines, p) for p in problems]
    return checklist, []


def _validation_error(path: Path, data: dict, lines: dict[str, list[int]], err: dict) -> KnowledgeError:
    loc = list(err["loc"])
    line = None
    message = err["msg"].removeprefix("Value error, ")
    if len(loc) >= 2 and loc[0] in lines and isinstance(loc[1], int) and loc[1] < len(lines[loc[0]]):
        line = lines[loc[0]][loc[1]]
        entry = data[loc[0]][loc[1]]
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        kind = "step" if loc[0] == "steps" else "outcome"
        message = f"{kind} '{entry_id}': {message}" if isinstance(entry_id, str) else f"{kind} {loc[1] + 1}: {message}"
        loc = loc[2:]
    field = ".".join(str(p) for p in loc) or None
    return KnowledgeError(path=str(path), line=line, field=field, message=message)


def _graph_error(path: Path, checklist: Checklist, lines: dict[str, list[int]], problem: Problem) -> KnowledgeError:
    kind, entry_id, field, message = problem
    line = None
    if kind is not None:
        entries = checklist.steps if kind == "steps" else checklist.outcomes
        # the last entry with the id: for a duplicate, that is the repeat to remove
        index = max((i for i, e in enumerate(entries) if e.id == entry_id), default=None)
        line = lines[kind][index] if index is not None else None
        message = f"{'step' if kind == 'steps' else 'outcome'} '{entry_id}': {message}"
    return KnowledgeError(path=str(path), line=line, field=field, message=message)


def graph_problems(checklist: Checklist) -> Iterator[Problem]:
    """Links that don't hold: duplicate or unknown ids, a bad start, unreachable steps, cycles, dead ends."""
    step_ids = [s.id for s in checklist.steps]
    outcome_ids = [o.id for o in checklist.outcomes]
    for kind, ids in (("steps", step_ids), ("outcomes", outcome_ids)):
        seen: set[str] = set()
        for entry_id in ids:
            if entry_id in seen:
                yield kind, entry_id, "id", "the same id is used twice"
            seen.add(entry_id)
    cited = {s.citation.doc_id for s in checklist.steps} | {o.citation.doc_id for o in checklist.outcomes if o.citation}
    for doc_id in sorted(cited - set(checklist.sources)):
        yield None, None, "sources", f"document '{doc_id}' is cited but not listed in 'sources'"
    if checklist.start is not None and checklist.start not in step_ids:
        yield None, None, "start", f"start step '{checklist.start}' does not exist"
        return
    edges: dict[str, list[str]] = {}
    bad_link = False
    for step in checklist.steps:
        edges[step.id] = []
        for answer, target in step.next.items():
            if target.startswith(OUTCOME_PREFIX):
                if target.removeprefix(OUTCOME_PREFIX) not in outcome_ids:
                    yield "steps", step.id, f"next.{answer}", f"answer '{answer}' leads to unknown outcome '{target}'"
                    bad_link = True
            elif target not in step_ids:
                hint = f" (an outcome is written '{OUTCOME_PREFIX}{target}')" if target in outcome_ids else ""
                yield "steps", step.id, f"next.{answer}", f"answer '{answer}' leads to unknown step '{target}'{hint}"
                bad_link = True
            else:
                edges[step.id].append(target)
    if bad_link:
        return
    start = checklist.start_id
    reached = _reachable(start, edges)
    for step_id in step_ids:
        if step_id not in reached:
            yield "steps", step_id, None, f"no answer leads to this step from the start ('{start}')"
    used = {
        t.removeprefix(OUTCOME_PREFIX)
        for s in checklist.steps
        if s.id in reached
        for t in s.next.values()
        if t.startswith(OUTCOME_PREFIX)
    }
    for outcome_id in outcome_ids:
        if outcome_id not in used:
            yield "outcomes", outcome_id, None, "no answer leads to this outcome"
    for step_id in _cycle_steps(start, edges):
        yield "steps", step_id, "next", "its answers lead back to this step (a cycle)"
    ends = {s.id for s in checklist.steps if any(t.startswith(OUTCOME_PREFIX) for t in s.next.values())}
    finishing = _can_reach(ends, edges)
    for step_id in step_ids:
        if step_id in reached and step_id not in finishing:
            yield "steps", step_id, "next", "no path from this step reaches an outcome"


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in edges[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _cycle_steps(start: str, edges: dict[str, list[str]]) -> list[str]:
    """The step each back edge returns to, found by an iterative depth-first walk from the start."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    found: list[str] = []
    stack: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
    state[start] = 1
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            state[node] = 2
            stack.pop()
        elif state.get(child) == 1:
            if child not in found:
                found.append(child)
        elif child not in state:
            state[child] = 1
            stack.append((child, iter(edges[child])))
    return found


def _can_reach(ends: set[str], edges: dict[str, list[str]]) -> set[str]:
    """Steps from which some path reaches a step that can end the run."""
    result = set(ends)
    changed = True
    while changed:
        changed = False
        for node, targets in edges.items():
            if node not in result and any(t in result for t in targets):
                result.add(node)
                changed = True
    return result
