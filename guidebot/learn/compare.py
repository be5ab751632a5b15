"""`compare BBR Kaizen`: two or three programmes' facts side by side, each cell with its source."""

from __future__ import annotations

import difflib

from guidebot.knowledge.citations import Sources
from guidebot.learn.content import FACTS, Learning
from guidebot.learn.results import Cell, Cited, Comparison, Row, Unknown

NOT_STATED = "Not stated in the documents"
MIN_PROGRAMMES, MAX_PROGRAMMES = 2, 3


class CompareError(ValueError):
    """Too few or too many programmes named: the message says what to type."""


def compare(learning: Learning, sources: Sources, names: list[str]) -> Comparison | Unknown:
    """The comparison of the named programmes (2 or 3, distinct), or the first name guidebot doesn't know."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not MIN_PROGRAMMES <= len(wanted) <= MAX_PROGRAMMES:
        raise CompareError(
            f"Name {MIN_PROGRAMMES} or {MAX_PROGRAMMES} different programmes, e.g. `compare BBR Kaizen`."
        )
    found = []
    for name in wanted:
        programme = learning.programme(name)
        if programme is None:
            known = [p.id for p in learning.programmes.values()]
            close = difflib.get_close_matches(name.lower(), [k.lower() for k in known], n=3, cutoff=0.6)
            return Unknown(asked=name, did_you_mean=[k for k in known if k.lower() in close], known=known)
        found.append(programme)
    if len({p.id for p in found}) < len(found):
        raise CompareError("Those names are the same programme; name two or three different ones.")
    rows = []
    for key, label in FACTS.items():
        values = {}
        for programme in found:
            fact = programme.facts.get(key)
            values[programme.id] = (
                Cell(text=fact.text, source=Cited(citation=fact.source, label=sources.label(fact.source)))
                if fact
                else Cell(text=NOT_STATED)
            )
        if any(cell.source for cell in values.values()):
            rows.append(Row(fact=key, label=label, values=values))
    return Comparison(programmes=[p.id for p in found], names={p.id: p.name for p in found}, rows=rows)
