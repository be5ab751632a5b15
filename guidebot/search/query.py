"""Understanding a question: words to concepts (with glossary acronyms and synonyms), programmes named, typos.

User text is never given to a query parser: it is cut into plain words here and the search builds term and
phrase queries from them, so `*`, `field:value`, `[a TO b]` or `AND` are just words and can't be slow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from guidebot.knowledge.models import Glossary
from guidebot.search.index import analyzer

MAX_QUESTION_CHARS = 1000
MAX_CONCEPTS = 24
MAX_PHRASE_WORDS = 6
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
# Question words that say how something is asked, not what about; BM25 would otherwise reward them.
QUESTION_WORDS = frozenset(
    """how what whats who whom whose why where which does do did done doing is was were am has had get gets got
    i im me my mine he hes his him she shes her hers they them their theirs our ours there here about any
    anything something actually like just really please tell know need want would should could might must
    hi hello thanks thank guidebot ok okay also very much many lot lots thing things someone somebody
    one ones able way kind sort say says said mean means meant anyone does doesnt dont isnt whats u r ur""".split()
)
# Short abbreviations that are also English words match only when typed with a capital ("SO", not "so").
_AMBIGUOUS = frozenset({"so", "do", "am", "pm", "mi", "da", "us", "it", "is", "as", "at", "gt", "po", "om", "tm"})


@dataclass
class Concept:
    """One thing the question asks about, with the ways the guidance may word it (each a list of stems)."""

    label: str
    variants: list[list[str]]
    from_glossary: bool = False


@dataclass
class Understood:
    words: list[str]
    concepts: list[Concept]
    programmes: list[str] = field(default_factory=list)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text[:MAX_QUESTION_CHARS])


def _norm(word: str) -> str:
    return word.lower().replace("’", "'").removesuffix("'s")


def stems(text: str) -> list[str]:
    return [t.text for t in analyzer()(text)]


class QueryUnderstanding:
    """Built once from the glossary; turns a question into concepts and the programmes it names."""

    def __init__(self, glossary: Glossary) -> None:
        self._ana = analyzer()
        groups: list[set[str]] = []
        for term in glossary.terms:
            groups.append({term.abbr, term.expansion, *term.also})
        groups.extend(set(g) for g in glossary.synonyms)
        self._groups = _merge_groups(groups)
        self._phrase_group: dict[tuple[str, ...], int] = {}
        self._exact_case: set[tuple[str, ...]] = set()
        for i, group in enumerate(self._groups):
            for member in group:
                key = tuple(_norm(w) for w in words_of(member))
                if key:
                    self._phrase_group.setdefault(key, i)
                    if len(key) == 1 and key[0] in _AMBIGUOUS:
                        self._exact_case.add(key)
        self._programme_of: dict[tuple[str, ...], str] = {}
        for prog in glossary.programmes:
            for name in [prog.name, *prog.aliases]:
                key = tuple(_norm(w) for w in words_of(name))
                if key:
                    self._programme_of[key] = prog.name
        self._group_variants = [self._variants(g) for g in self._groups]

    def _variants(self, members: set[str]) -> list[list[str]]:
        out: list[list[str]] = []
        for member in sorted(members):
            s = [t.text for t in self._ana(member)]
            if s and s not in out:
                out.append(s)
        return out

    def programmes_in(self, text: str) -> list[str]:
        words = [_norm(w) for w in words_of(text)]
        found: list[str] = []
        for n in range(MAX_PHRASE_WORDS, 0, -1):
            for i in range(len(words) - n + 1):
                name = self._programme_of.get(tuple(words[i : i + n]))
                if name and name not in found:
                    found.append(name)
        return found

    def understand(self, question: str) -> Understood:
        raw = words_of(question)
        words = [_norm(w) for w in raw]
        concepts: list[Concept] = []
        seen: set[tuple[str, ...]] = set()
        i = 0
        while i < len(words):
            match = None
            for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
                key = tuple(words[i : i + n])
                group = self._phrase_group.get(key)
                if group is None:
                    continue
                if key in self._exact_case and raw[i].islower():
                    continue
                match = (n, group)
                break
            if match:
                n, group = match
                variants = self._group_variants[group]
                sig = tuple(sorted(" ".join(v) for v in variants))
                if variants and sig not in seen:
                    seen.add(sig)
                    concepts.append(Concept(" ".join(raw[i : i + n]), variants, from_glossary=True))
                i += n
                continue
            word = words[i]
            i += 1
            if word in QUESTION_WORDS:
                continue
            s = [t.text for t in self._ana(word)]
            if s and (s[0],) not in seen:
                seen.add((s[0],))
                concepts.append(Concept(raw[i - 1], [s]))
        return Understood(words=raw, concepts=concepts[:MAX_CONCEPTS], programmes=self.programmes_in(question))


def _merge_groups(groups: list[set[str]]) -> list[set[str]]:
    """Groups that share a member (case-insensitively) are one group: WSW in a term and in a synonym list."""
    merged: list[set[str]] = []
    for group in groups:
        keys = {m.lower() for m in group}
        overlapping = [g for g in merged if keys & {m.lower() for m in g}]
        for g in overlapping:
            merged.remove(g)
            group = group | g
        merged.append(set(group))
    return merged
