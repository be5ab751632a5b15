"""The tour for new staff: the cards of tour.yaml, a programme's card drawn from its facts."""

from __future__ import annotations

from guidebot.knowledge.citations import Sources
from guidebot.learn.content import FACTS, Learning, TourCard
from guidebot.learn.results import Card, Cited

# What a programme's card shows: enough to place it, the rest is in `compare`.
CARD_FACTS = ("setting", "target_group", "risk", "sessions", "delivery", "partner_support")


def _card(learning: Learning, sources: Sources, entry: TourCard, number: int, total: int) -> Card:
    if entry.programme:
        programme = learning.programmes[entry.programme.upper()]
        shown = [(key, programme.facts[key]) for key in CARD_FACTS if key in programme.facts]
        return Card(
            number=number,
            total=total,
            title=f"{programme.name} ({programme.id})" if programme.name != programme.id else programme.id,
            facts=[(FACTS[key], fact.text) for key, fact in shown],
            sources=list(
                {  # one source per section: several facts often quote the same one
                    (f.source.doc_id, f.source.section): Cited(citation=f.source, label=sources.label(f.source))
                    for _, f in shown
                }.values()
            ),
        )
    return Card(
        number=number,
        total=total,
        title=entry.title or "",
        text=entry.text or "",
        sources=[Cited(citation=c, label=sources.label(c)) for c in entry.sources],
    )


def tour_card(learning: Learning, sources: Sources, number: int) -> Card | None:
    """Card `number` (from 1) of the tour, None past either end."""
    total = len(learning.tour)
    if not 1 <= number <= total:
        return None
    return _card(learning, sources, learning.tour[number - 1], number, total)
