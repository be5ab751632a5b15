"""Understanding a question: words to concepts (with glossary acronyms and synonyms), programmes named, typos.

User text is never given to a query parser: it is cut into plain words here and the search builds term
queries from them, so `*`, `field:value`, `[a TO b]` or `AND` are just words and can't be slow.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from whoosh.lang.stopwords import stoplists

from guidebot.knowledge.models import DocumentMeta, Glossary
from guidebot.search.index import analyzer

MAX_QUESTION_CHARS = 1000
MAX_CONCEPTS = 24
MAX_PHRASE_WORDS = 6
# A misspelt programme or glossary name ("kaizan", "oasis") is corrected when this close to one (difflib ratio).
NAME_SIMILARITY = 0.8
MIN_NAME_LETTERS = 4
# A name said aloud and transcribed ("b b r", "kai zen", "I dap"): joined back when the letters or the two or
# three pieces make a programme name or glossary abbreviation of at least this many letters.
MIN_SPOKEN_LETTERS = 3
MAX_SPOKEN_PIECES = 5
# A spoken form from the glossary ("up to you" for Up2U) is left alone after these words: "it's up to you" is
# the idiom, not the programme.
_IDIOM_BEFORE = frozenset(
    "it it's its it’s that's thats that’s is was be been entirely totally completely really all left leave".split()
)
_TRAILING = ".,;:!?)'\""
# Letters as a speech recogniser writes them when a name is spelled aloud: "bee bee are" (BBR), "aitch are pee"
# (HRP), "see dee vee pee" (CDVP). A run of them joins only when it spells a known name, so "are you" stays words.
# ("double you" for W is two words: not joined.)
_LETTER_NAMES = {
    name: letter
    for letter, *names in (
        group.split()
        for group in (
            "a ay, b bee, c see cee, d dee, e ee, f ef eff, g gee, h aitch haitch, i eye, j jay, k kay, l el ell, "
            "m em, n en, o oh, p pee, q cue queue, r are ar, s ess, t tee, u you, v vee, x ex, y why wye, z zed zee"
        ).split(", ")
    )
    for name in names
}
_QUANTITY_QUESTION = re.compile(r"\bhow (many|much|long|often|old)\b|\bnumber of\b|\bwhat age\b", re.IGNORECASE)
_ENUMERATION = re.compile(r"^\s*(\(?\d+[).]?|module \d+)\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
# Question words that say how something is asked, not what about; BM25 would otherwise reward them.
QUESTION_WORDS = frozenset(
    """how what whats who whom whose why where which does do did done doing is was were am has had get gets got
    i im me my mine he hes his him she shes her hers they them their theirs our ours there here about any
    anything something actually like just really please tell know need want would should could might must
    hi hello thanks thank guidebot ok okay also very much many lot lots thing things someone somebody
    one ones able way kind sort say says said mean means meant anyone doesnt dont isnt u r ur
    i'm i've i'd i'll you're you've you'd you'll he's he'd he'll she's she'd she'll it's we're we've we'd
    we'll they're they've they'd they'll that's there's what's who's where's how's don't doesn't didn't
    go goes going went gone getting each other others let lets anyway basically literally still ever
    instead loads bit quite rather roughly usually generally sure maybe perhaps probably even never else stuff
    happen happens happened happening
    can't cannot won't wouldn't shouldn't couldn't isn't aren't wasn't weren't hasn't haven't hadn't let's""".split()
)
# Common English function words, less the few that carry meaning in a question ("before he starts").
_KEEP = frozenset({"after", "before", "both", "same", "off", "out", "under", "over", "between", "against"})
SKIPPED_WORDS = QUESTION_WORDS | (frozenset(stoplists["en"]) - _KEEP)
# Short abbreviations that are also English words match only when typed with a capital ("SO", not "so").
_AMBIGUOUS = frozenset(
    {"so", "do", "am", "pm", "mi", "da", "us", "it", "is", "as", "at", "gt", "po", "om", "tm", "drive", "pip", "tor"}
)


Token = tuple[str, str, bool]  # (word as typed, stem, a question word)


@dataclass
class Concept:
    """One thing the question asks about, with the ways the guidance may word it (each a list of stems).

    variants[0] is the wording the user typed; the others come from the glossary and weigh a little less.
    """

    label: str
    variants: list[list[str]]
    from_glossary: bool = False
    programme: str | None = None
    documents: tuple[str, ...] = ()


@dataclass
class Understood:
    words: list[str]
    concepts: list[Concept]
    programmes: list[str] = field(default_factory=list)
    # "how many sessions", "how long": the answer is a quantity
    wants_number: bool = False


def words_of(text: str) -> list[str]:
    return _WORD.findall(text[:MAX_QUESTION_CHARS])


def stems(text: str) -> list[str]:
    return [t.text for t in analyzer()(text)]


class QueryUnderstanding:
    """Built once from the glossary; turns a question into concepts and the programmes it names.

    Glossary phrases are matched on stems, so "pays" finds the group of "pay" and "sessions" that of "session".
    """

    def __init__(
        self, glossary: Glossary, documents: Sequence[DocumentMeta] = (), headings: Iterable[str] = ()
    ) -> None:
        self._ana = analyzer()
        headings = list(headings)  # read twice below
        groups: list[set[str]] = []
        for term in glossary.terms:
            groups.append({term.abbr, term.expansion, *term.also})
        groups.extend(set(g) for g in glossary.synonyms)
        self._groups = _merge_groups(groups)
        self._phrase_group: dict[tuple[str, ...], int] = {}
        self._exact_case: dict[tuple[str, ...], str] = {}
        for i, group in enumerate(self._groups):
            for member in group:
                key = tuple(self._stems(member))
                if key:
                    self._phrase_group.setdefault(key, i)
                    if len(key) == 1 and member.lower() in _AMBIGUOUS:
                        self._exact_case[key] = member
        self._programme_of: dict[tuple[str, ...], str] = {}
        for prog in glossary.programmes:
            for name in [prog.name, *prog.aliases]:
                key = tuple(self._stems(name))
                if key:
                    self._programme_of[key] = prog.name
        self._group_variants = [self._variants(g) for g in self._groups]
        self._related: dict[tuple[str, ...], list[list[str]]] = {}
        for phrase, wordings in glossary.related.items():
            key = tuple(self._stems(phrase))
            if key:  # "house" and "housing" share a stem: their wordings add up
                known = self._related.setdefault(key, [])
                known.extend(v for v in self._variants(set(wordings)) if v not in known)
        # one-word programme names and glossary abbreviations, for correcting a misspelt one
        self._names = {
            name.lower(): name
            for prog in glossary.programmes
            for name in [prog.name, *prog.aliases]
            if " " not in name and len(name) >= MIN_NAME_LETTERS
        }
        self._names.update(
            {t.abbr.lower(): t.abbr for t in glossary.terms if t.abbr.isalnum() and len(t.abbr) >= MIN_NAME_LETTERS}
        )
        # every one-word name, however short, for joining one spelled out in a voicemail transcript
        self._spoken = {
            name.lower(): name
            for name in [
                *(n for prog in glossary.programmes for n in [prog.name, *prog.aliases]),
                *(t.abbr for t in glossary.terms),
            ]
            if name.isalnum() and len(name) >= MIN_SPOKEN_LETTERS
        }
        # and the acronyms in section headings ("m o t" in "new me m o t" is the New Me MOT module)
        self._spoken.update(
            {
                word.lower(): word
                for heading in headings
                for word in re.findall(r"[A-Za-z0-9]+", heading)
                if word.isupper() and len(word) >= MIN_SPOKEN_LETTERS
            }
        )
        # the glossary's `spoken` forms as lower-case word tuples, by first word, longest first
        self._spoken_forms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name, forms in [
            *((prog.name, prog.spoken) for prog in glossary.programmes),
            *((t.abbr, t.spoken) for t in glossary.terms),
        ]:
            for form in forms:
                if key := tuple(form.lower().split()):
                    self._spoken_forms.setdefault(key[0], []).append((key, name))
        for candidates in self._spoken_forms.values():
            candidates.sort(key=lambda f: -len(f[0]))
        # multi-word section headings ("Getting Going"): recognised even when made of question words
        self._headings: dict[tuple[str, ...], str] = {}
        for heading in headings:
            for part in re.split(r"\s[–-]\s|:", _ENUMERATION.sub("", heading)):
                key = tuple(self._stems(part))
                if 2 <= len(key) <= MAX_PHRASE_WORDS:
                    self._headings.setdefault(key, part.strip())
        # a document is named by its publisher and the names its front matter lists
        self._documents_of: dict[tuple[str, ...], tuple[str, ...]] = {}
        for doc in documents:
            for name in [doc.publisher, *doc.names]:
                key = tuple(self._stems(name))
                if key:
                    self._documents_of[key] = (*self._documents_of.get(key, ()), doc.id)

    def _stems(self, text: str) -> list[str]:
        return [t.text for t in self._ana(text)]

    def _variants(self, members: set[str]) -> list[list[str]]:
        out: list[list[str]] = []
        for member in sorted(members):
            s = self._stems(member)
            if s and s not in out:
                out.append(s)
        return out

    def _tokens(self, text: str) -> list[Token]:
        """(word as typed, stem, skippable) for each word the analyser keeps; question words are skippable."""
        out = []
        for raw in words_of(text):
            s = self._stems(raw)
            if s:
                out.append((raw, s[0], raw.lower().replace("’", "'") in SKIPPED_WORDS))
        return out

    def _match(self, tokens: list[Token], i: int, table: dict) -> tuple[int, object] | None:
        """The longest glossary phrase starting at token i, as (length, value)."""
        for n in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
            key = tuple(t[1] for t in tokens[i : i + n])
            value = table.get(key)
            if value is None:
                continue
            if key in self._exact_case and tokens[i][0].islower():
                continue  # "so" is a word; "SO" is sexual offending
            return n, value
        return None

    def join_spoken(self, text: str) -> tuple[str, bool]:
        """Names a speech recogniser split ("b b r", "bee bee are", "c d v p", "kai zen", "I dap") joined back ("BBR",
        "Kaizen"), only where the pieces make a known name, and the glossary's spoken forms ("up to you") read as
        their name; and whether any was."""
        words = text.split(" ")
        out: list[str] = []
        i = 0
        changed = False
        while i < len(words):
            if said := self._spoken_form_at(words, i, out[-1] if out else ""):
                name, n, trailing = said
                out.append(name + trailing)
                i += n
                changed = True
                continue
            for n in range(min(MAX_SPOKEN_PIECES, len(words) - i), 1, -1):
                pieces, trailing = _span(words, i, n)
                letters = [_letter(w) for w in pieces]
                spelled = all(letters)
                if not spelled and n > 3:
                    continue  # words, as opposed to letters, join in twos and threes ("kai zen")
                name = self._spoken.get("".join(letters if spelled else pieces).lower())
                if name and (spelled or len(name) > MIN_SPOKEN_LETTERS):
                    out.append(name + trailing)
                    i += n
                    changed = True
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out), changed

    def _spoken_form_at(self, words: list[str], i: int, before: str) -> tuple[str, int, str] | None:
        """The glossary name whose spoken form ("up to you") starts at words[i], how many words it takes and the
        punctuation after it; None where there is none, or where the word before makes it the idiom."""
        candidates = self._spoken_forms.get(words[i].lower().rstrip(_TRAILING), ())
        if not candidates or before.lower().strip(_TRAILING) in _IDIOM_BEFORE:
            return None
        for form, name in candidates:
            n = len(form)
            if len(words) - i < n:
                continue
            pieces, trailing = _span(words, i, n)
            if tuple(w.lower() for w in pieces) == form:
                return name, n, trailing
        return None

    def correct_names(self, text: str, known: Callable[[str], bool]) -> tuple[str, bool]:
        """The text with misspelt programme and glossary names corrected ("kaizan" -> "Kaizen") and names spoken
        letter by letter joined, and whether any was; a word `known` says the knowledge uses, or a name already
        right, is left as typed."""
        text, changed = self.join_spoken(text[:MAX_QUESTION_CHARS])  # a long paste: only what is searched

        def fix(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group(0)
            lower = word.lower()
            if len(word) < MIN_NAME_LETTERS or not word.isalpha() or lower in self._names or known(lower):
                return word
            close = difflib.get_close_matches(lower, self._names, n=1, cutoff=NAME_SIMILARITY)
            if not close:
                return word
            changed = True
            return self._names[close[0]]

        return _WORD.sub(fix, text), changed

    def programmes_in(self, text: str) -> list[str]:
        tokens = self._tokens(text)
        found: list[str] = []
        i = 0
        while i < len(tokens):
            m = self._match(tokens, i, self._programme_of)
            if m and m[1] not in found:
                found.append(m[1])  # type: ignore[arg-type]
            i += m[0] if m else 1
        return found

    def understand(self, question: str) -> Understood:
        tokens = self._tokens(question)
        concepts: list[Concept] = []
        seen: set[tuple[str, ...]] = set()
        i = 0
        while i < len(tokens):
            n, concept = self._concept_at(tokens, i)
            i += n
            if concept is None:
                continue
            sig = tuple(sorted(" ".join(v) for v in concept.variants))
            if sig not in seen:
                seen.add(sig)
                concepts.append(concept)
        programmes = list(dict.fromkeys(c.programme for c in concepts if c.programme))
        return Understood(
            words=words_of(question),
            concepts=concepts[:MAX_CONCEPTS],
            programmes=programmes,
            wants_number=bool(_QUANTITY_QUESTION.search(question[:MAX_QUESTION_CHARS])),
        )

    def _concept_at(self, tokens: list[Token], i: int) -> tuple[int, Concept | None]:
        """The longest known phrase at token i (programme, document name, glossary, related wording, heading)
        as one concept, or the word alone; a question word on its own is skipped (n, None)."""
        prog = self._match(tokens, i, self._programme_of)
        group = self._match(tokens, i, self._phrase_group)
        named = self._match(tokens, i, self._documents_of)
        related = self._match(tokens, i, self._related)
        heading = self._match(tokens, i, self._headings)
        programme, documents = None, ()
        if prog and (not group or prog[0] >= group[0]):
            programme = str(prog[1])
        n = prog[0] if programme else (group[0] if group else 1)
        if named and not programme and named[0] >= n:
            n, documents = named[0], named[1]
        if related and not programme and not documents and related[0] > n:
            n, group = related[0], None
        matched = bool(programme or documents or group or related)
        if heading and heading[0] > n and any(t[2] for t in tokens[i : i + heading[0]]):
            # a heading made partly of question words ("Getting Going", "New Me MOT") is a name, not chat
            n, group, related, matched = heading[0], None, None, True
        raw, _, skippable = tokens[i]
        if skippable and not (matched and (n > 1 or raw.isupper())):
            return 1, None
        label = " ".join(t[0] for t in tokens[i : i + n])
        variants = [[t[1] for t in tokens[i : i + n]]]
        if group and group[0] == n:
            variants += [v for v in self._group_variants[group[1]] if v != variants[0]]  # type: ignore[index]
        if related and related[0] == n:
            variants += [v for v in related[1] if v not in variants]  # type: ignore[union-attr]
        concept = Concept(label, variants, from_glossary=len(variants) > 1, programme=programme, documents=documents)
        return n, concept


def _letter(word: str) -> str:
    """The letter a spelled-out piece stands for ("b", "bee"), or "" for a word."""
    if len(word) == 1 and word.isalpha():
        return word
    return _LETTER_NAMES.get(word.lower(), "")


def _span(words: list[str], i: int, n: int) -> tuple[list[str], str]:
    """words[i:i+n] with the punctuation after the last set apart ("is it b b r?": the mark stays after the name)."""
    *pieces, last = words[i : i + n]
    core = last.rstrip(_TRAILING)
    return [*pieces, core], last[len(core) :]


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
