"""`define SARA`: the glossary entry, where the documents use the term, or the closest terms when unknown."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from guidebot.knowledge.citations import Citation, Sources
from guidebot.knowledge.models import Glossary, Passage, Term
from guidebot.learn.content import ProgrammeFacts
from guidebot.learn.results import Cited, Definition, Unknown

MAX_SOURCES = 5
QUOTE_CHARS = 160
# difflib's ratio: 0.75 keeps "SRA" -> "SARA" and "kaizan" -> "Kaizen", not "OM" -> "OMs"-like noise
CLOSE = 0.75


def _names(term: Term) -> list[str]:
    return [term.abbr, term.expansion, *term.also]


def find_term(glossary: Glossary, asked: str) -> Term | None:
    """The entry whose abbreviation, expansion or other form is `asked` (any case, extra spaces ignored)."""
    wanted = " ".join(asked.lower().split())
    return next((t for t in glossary.terms if wanted in (n.lower() for n in _names(t))), None)


def _pattern(term: Term) -> re.Pattern[str]:
    """Whole-word matches: the abbreviation as written (case matters: "OM" not "om"), other forms any case."""
    exact = re.escape(term.abbr)
    loose = "|".join(re.escape(n) for n in [term.expansion, *term.also])
    return re.compile(rf"(?<![\w-])(?:{exact}|(?i:{loose}))(?![\w-])")


def _quote(text: str, start: int, end: int) -> str:
    """A short stretch around the match, cut at word boundaries, copied exactly (so it stays a real quote)."""
    half = (QUOTE_CHARS - (end - start)) // 2
    lo, hi = max(0, start - half), min(len(text), end + half)
    while lo > 0 and not text[lo - 1].isspace():
        lo += 1
    while hi < len(text) and not text[hi].isspace():
        hi -= 1
    return " ".join(text[lo:hi].split())


def define(
    glossary: Glossary,
    passages: list[Passage],
    sources: Sources,
    asked: str,
    programmes: Mapping[str, ProgrammeFacts] | None = None,
) -> Definition | Unknown:
    """The definition of `asked` (a glossary term, or a programme from its facts), or what guidebot knows instead."""
    term = find_term(glossary, asked)
    if term is None:
        wanted = " ".join(asked.lower().split())
        programme = next((p for p in (programmes or {}).values() if wanted in (p.id.lower(), p.name.lower())), None)
        if programme is not None:
            return _programme(programme, sources)
        return unknown_term(glossary, asked, programmes)
    pattern = _pattern(term)
    cited: list[Cited] = []
    documents_seen: set[str] = set()
    count = 0
    for passage in passages:
        match = pattern.search(passage.text)
        if match is None or not passage.section:  # a title page has no section to cite
            continue
        count += 1
        if passage.doc_id in documents_seen or len(cited) >= MAX_SOURCES:
            continue
        documents_seen.add(passage.doc_id)
        citation = Citation(
            doc_id=passage.doc_id, section=passage.section or "Introduction", quote=_quote(passage.text, *match.span())
        )
        cited.append(Cited(citation=citation, label=sources.label(citation)))
    return Definition(term=term.abbr, expansion=term.expansion, meaning=term.meaning, sources=cited, passages=count)


def _programme(programme: ProgrammeFacts, sources: Sources) -> Definition:
    """A programme the glossary doesn't hold as a term (Kaizen, Up2U): who it is for and where, from its facts."""
    shown = [programme.facts[k] for k in ("target_group", "setting") if k in programme.facts]
    return Definition(
        term=programme.id,
        expansion=programme.name,
        meaning=" ".join(f.text for f in shown),
        sources=[Cited(citation=f.source, label=sources.label(f.source)) for f in shown],
        passages=0,
    )


def unknown_term(glossary: Glossary, asked: str, programmes: Mapping[str, ProgrammeFacts] | None = None) -> Unknown:
    names = {n.lower(): t.abbr for t in glossary.terms for n in _names(t)}
    for p in (programmes or {}).values():
        names.setdefault(p.id.lower(), p.id)
    close = difflib.get_close_matches(asked.lower().strip(), list(names), n=5, cutoff=CLOSE)
    suggestions = list(dict.fromkeys(names[c] for c in close))
    return Unknown(asked=asked, did_you_mean=suggestions, known=sorted(set(names.values()), key=str.lower))
