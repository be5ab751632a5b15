"""Answering a question: search the index, decide answered / no_answer / urgent, and cite the passages.

One Engine per process; ask() is safe to call from many threads (each thread gets its own searcher).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.lang.porter import stem
from whoosh.query import And, DisjunctionMax, Or, Query, Term
from whoosh.scoring import BM25F

from guidebot.config import Settings
from guidebot.knowledge.loader import Knowledge, load_knowledge
from guidebot.safety.assess import Safety, prepare
from guidebot.safety.escalation import ESCALATION_MESSAGE, ESCALATION_STEPS, GROUNDING_QUERY, SAFETY_LINE
from guidebot.search import index as search_index
from guidebot.search.answerable import AnswerableModel, ModelFileError, Signals, load_model
from guidebot.search.chatter import set_aside
from guidebot.search.english import is_english_word
from guidebot.search.models import Answer, Result, Status
from guidebot.search.query import Concept, QueryUnderstanding, Understood, stems, words_of
from guidebot.search.semantic import Encoder
from guidebot.search.vectors import Meaning, SemanticIndex, has_vectors, load_encoder

log = logging.getLogger(__name__)
ProgressFn = Callable[[int, int], None]  # (passages indexed, total)

CANDIDATES = 30
# BM25 b: how much a long passage is discounted; passages here are already cut to similar sizes
LENGTH_NORMALISATION = 0.5
# BM25 k1: how fast repeats of a word stop adding score (1.2 is the textbook default; 1.6 measured a little
# better on dev.yaml and the same on the independent set, a one-question difference)
TERM_SATURATION = 1.6
SECTION_BOOST = 2.5
QUESTIONS_BOOST = 1.0
PROGRAMME_BOOST = 1.5
PROGRAMME_TEXT_WEIGHT = 0.1
EXPANSION_WEIGHT = 0.7
# Words in more than this share of passages say little; they are scored on the hits, not searched.
COMMON_SHARE = 0.25
MIN_PASSAGES_FOR_CUT = 200
MAX_POSTINGS = 4000
MAX_EXPANSIONS = 3
# A safety net: a search that runs past this returns what it has collected so far. The check is cooperative
# (between hits), never SIGALRM: an alarm raises in whatever the main thread runs at that moment.
SEARCH_SECONDS = 0.25
# How deep the lexical hits are kept for passages the semantic stage adds (their word score, not 0).
ALSO_DEPTH = 200
# Words next to each other in the question and in the passage ("high intensity") say more than apart.
ADJACENCY_BONUS = 0.15
ADJACENCY_WINDOW = 2
# "refer" finds "referral" (Porter stems them apart): indexed words that extend a stem by a letter or two
MAX_EXTRA_LETTERS = 2
MIN_STEM_FOR_FORMS = 4
SHORT_PASSAGE_WORDS = 12
OTHER_PROGRAMME_PENALTY = 0.75
IMPLIED_COVERAGE = 0.5
# A "how many / how long" question is answered by a passage that gives a number.
QUANTITY_BONUS = 1.5
NUMBER_WORDS = frozenset(
    stems(
        "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty "
        "hundred dozen half weeks months years hours"
    )
)
# Declining with the semantic stage is learned (guidebot/search/answerable.py). Lexical search alone: the share of
# the question's weight (idf) a passage must cover to count as an answer, calibrated on the dev sets.
MIN_COVERAGE = 0.38
# Said under an answer the decision model nearly declined (its `caution_below`).
CAUTION = (
    "The documents may not say exactly what you asked: your question is close to ones they don't answer. "
    "Check the passage, or ask your treatment manager."
)
# The start of a long paste is enough for its meaning; encoding costs grow with length (1,000 chars ~ 100 ms).
MEANING_CHARS = 400
# Fusion: lexical score / best lexical + MEANING_WEIGHT * cosine / best cosine (2-3 best on the dev sets).
MEANING_WEIGHT = 2.0
# A word the knowledge never uses counts this much of its weight: as often chat as a topic we don't hold.
UNKNOWN_WORD_WEIGHT = 0.25
# Spelling suggestions are the slowest step: only for word-sized words, and a few per question.
MIN_TYPO_LETTERS, MAX_TYPO_LETTERS, MAX_TYPOS = 4, 20, 3
# two slips only in a long word: in a short one they make another word ("dads" -> "data")
LONG_WORD = 7
NO_ANSWER_MESSAGE = (
    "I don't know: the documents I hold don't seem to cover this. Try other words (the programme's name "
    "helps), or ask your treatment manager."
)
FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|what of|for|in|same for|also)\b", re.IGNORECASE)


@dataclass
class _Found:
    """What the search found for one question, before deciding whether it answers it."""

    understood: Understood
    did_you_mean: str | None
    candidates: list[_Candidate]
    meaning: Meaning | None
    read: str  # the text the sentence model read


@dataclass
class _Candidate:
    fields: dict
    score: float
    coverage: float
    matched: set[str]
    cosine: float = 0.0


class Engine:
    """Holds the index, the query understanding built from the glossary, and a searcher per thread."""

    def __init__(
        self,
        knowledge: Knowledge,
        index_dir: Path,
        safety: Safety | None = None,
        encoder: Encoder | None = None,
        semantic_status: str = "off",
    ) -> None:
        self.knowledge = knowledge
        self.safety = safety or Safety(None)
        folder = search_index.live_folder(index_dir)
        self.semantic = (
            SemanticIndex.load(folder) if encoder and folder and has_vectors(folder, encoder.model_id) else None
        )
        self.encoder = encoder if self.semantic else None
        self.semantic_status = semantic_status if self.semantic or not encoder else "no vectors: lexical only"
        self.decision: AnswerableModel | None = None
        if self.semantic:
            try:
                self.decision = load_model()
            except ModelFileError as exc:
                log.warning("decline model unreadable, declining on words only: %s", exc)
                self.semantic_status += f"; decline model unreadable ({exc}): declining on words only"
        self.index_dir = index_dir
        self.ix = search_index.open_index(index_dir)
        headings = {part for p in knowledge.passages for part in p.section.split(" > ") if part}
        self.understanding = QueryUnderstanding(knowledge.glossary, knowledge.documents, headings)
        self._local = threading.local()
        self._grounding: list[_Candidate] | None = None
        self._doc_programmes = {d.id: {p.lower() for p in d.programmes} for d in knowledge.documents}
        self._documents = {d.id: d for d in knowledge.documents}

    @classmethod
    def from_settings(cls, settings: Settings, *, progress: ProgressFn | None = None) -> Engine:
        """Load the knowledge and (re)build the index when it is missing or stale."""
        knowledge = load_knowledge(settings.knowledge_dir)
        for err in knowledge.errors:
            log.warning("knowledge file skipped: %s", err)
        return cls.from_knowledge(knowledge, settings.index_dir, progress=progress, semantic=settings.semantic)

    @classmethod
    def from_knowledge(
        cls, knowledge: Knowledge, index_dir: Path, *, progress: ProgressFn | None = None, semantic: bool = True
    ) -> Engine:
        """An engine on this knowledge, building its index, vectors and risk model first when missing or stale."""
        encoder, status = load_encoder(semantic)
        search_index.build(index_dir, knowledge, progress=progress, encoder=encoder)
        safety, _ = prepare(knowledge.root, index_dir)
        for err in safety.errors:  # the knowledge's own errors are the caller's to report (CLI, from_settings)
            log.warning("safety messages skipped: %s", err)
        return cls(knowledge, index_dir, safety, encoder, status)

    def _searcher(self):  # type: ignore[no-untyped-def]
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self.ix.searcher(weighting=BM25F(B=LENGTH_NORMALISATION, K1=TERM_SATURATION))
            self._local.searcher = s
        return s

    # -- public -----------------------------------------------------------------------------------------

    def ask(self, question: str, *, top: int = 5, context: str | None = None) -> Answer:
        """The answer to one question; never raises for odd input (empty, symbols, huge pastes)."""
        question = (question or "").replace("\x00", " ").strip()
        top = max(1, min(top, 20))
        risk = self.safety.assess(question)
        if risk.urgent:
            return self._urgent(question, top)
        answer = self._answer(question, top, context)
        if risk.risk_topic:
            answer.safety_line = SAFETY_LINE
        return answer

    def signals(self, question: str, context: str | None = None) -> Signals | None:
        """What the decision to answer is made on (None without the semantic stage or anything found): for
        tools/fit_answerable.py, which must see exactly what answering sees."""
        found = self._find(question, CANDIDATES, context)
        return self._signals(found) if found else None

    def _find(self, question: str, top: int, context: str | None) -> _Found | None:
        searched, renamed = self.understanding.correct_names(set_aside(question), self._indexed)
        # a follow-up ("and for Kaizen?") means what its context means
        effective = self.with_context(searched, context)
        understood = self.understanding.understand(effective)
        if not understood.concepts:
            return None
        did_you_mean = self._correct(understood, searched) or (searched if renamed else None)
        read = effective[:MEANING_CHARS]
        meaning = self._by_meaning(read)
        passages = meaning.passages if meaning else {}
        candidates = self._fuse(self._search(understood, limit=max(CANDIDATES, top), also=list(passages)), passages)
        return _Found(understood, did_you_mean, candidates, meaning, read)

    def _signals(self, found: _Found) -> Signals | None:
        if found.meaning is None or not found.candidates:
            return None
        return Signals(
            text=found.meaning.text,
            question=found.meaning.question,
            unanswered=found.meaning.unanswered,
            coverage=_best_coverage(found.candidates),
            words=len(words_of(found.read)),
        )

    def _answer(self, question: str, top: int, context: str | None) -> Answer:
        found = self._find(question, top, context)
        if found is None:
            return Answer(question=question, status=Status.no_answer, message=_empty_message(question))
        understood, did_you_mean, candidates = found.understood, found.did_you_mean, found.candidates
        programmes = understood.programmes
        unknown = None if found.meaning else self._unknown_name(understood)
        answerable = self._answerable(found)
        if answerable is None or unknown:
            return Answer(
                question=question,
                status=Status.no_answer,
                message=(f"I hold nothing about “{unknown}”. " if unknown else "") + NO_ANSWER_MESSAGE,
                did_you_mean=did_you_mean,
                programmes=programmes,
            )
        results = [self._result(c) for c in candidates[:top]]
        first = results[0]
        nearly_declined = self.decision is not None and answerable < self.decision.caution_below
        return Answer(
            question=question,
            status=Status.answered,
            results=results,
            message=f"From {first.title} ({first.publisher}, {first.year}), {first.section or 'introduction'}.",
            did_you_mean=did_you_mean,
            programmes=programmes,
            caution=CAUTION if nearly_declined else None,
        )

    # -- steps ------------------------------------------------------------------------------------------

    def _by_meaning(self, text: str) -> Meaning | None:
        """The passages close in meaning and how close the nearest kinds of question are (None when off)."""
        if self.semantic is None or self.encoder is None:
            return None
        return self.semantic.meaning(self.encoder.encode([text])[0], CANDIDATES)

    def _fuse(self, lexical: list[_Candidate], meaning: dict[str, float]) -> list[_Candidate]:
        """Both rankers' scores, each relative to its best, added with meaning weighted MEANING_WEIGHT.

        Reciprocal rank fusion was measured too (docs/decisions.md): it buries a passage that only one ranker
        finds, however clearly, under passages both rank middling."""
        if not meaning:
            return lexical
        top_lexical = max((c.score for c in lexical), default=0.0) or 1.0
        top_meaning = max(meaning.values()) or 1.0
        for c in lexical:
            c.cosine = meaning.get(c.fields["pid"], 0.0)
            c.score = 100 * (c.score / top_lexical + MEANING_WEIGHT * max(0.0, c.cosine) / top_meaning)
        return sorted(lexical, key=lambda c: -c.score)

    def _answerable(self, found: _Found) -> float | None:
        """How likely the documents answer the question (1.0 for lexical search when enough of its weighted words
        are in one passage); None when they don't: "I don't know"."""
        if not found.candidates:
            return None
        signals = self._signals(found)
        if signals is None or self.decision is None:
            return 1.0 if _best_coverage(found.candidates) >= MIN_COVERAGE else None
        p = self.decision.probability(signals)
        return p if p >= self.decision.threshold else None

    def _indexed(self, word: str) -> bool:
        """The knowledge uses this word as typed (so it is no typo)."""
        return bool(self._searcher().reader().doc_frequency("spell_body", word))

    def with_context(self, question: str, context: str | None) -> str:
        """A short follow-up ("and for Kaizen?") takes its topic from the earlier question."""
        if not context or not context.strip():
            return question
        content = [w for w in words_of(question) if w.lower() not in {"and", "for", "what", "about", "how"}]
        if not (FOLLOW_UP.match(question) or len(content) <= 3):
            return question
        earlier = context
        if self.understanding.programmes_in(question):
            for name in self.understanding.programmes_in(context):
                earlier = re.sub(re.escape(name), " ", earlier, flags=re.IGNORECASE)
        return f"{earlier} {question}"

    def _urgent(self, question: str, top: int) -> Answer:
        related: list[Result] = []
        if self._grounding is None:
            self._grounding = self._search(self.understanding.understand(GROUNDING_QUERY), limit=CANDIDATES)[:1]
        grounding = self._grounding
        understood = self.understanding.understand(question)
        found = self._search(understood, limit=max(CANDIDATES, top)) if understood.concepts else []
        seen: set[str] = set()
        for cand in [*grounding, *found]:
            if len(related) == top:
                break  # only the passages shown are rendered
            if cand.fields["pid"] not in seen:
                seen.add(cand.fields["pid"])
                related.append(self._result(cand))
        return Answer(
            question=question,
            status=Status.urgent,
            results=related,
            message=ESCALATION_MESSAGE,
            escalation=ESCALATION_STEPS,
            programmes=understood.programmes,
        )

    def _correct(self, understood: Understood, question: str) -> str | None:
        """Swap unknown words for the closest indexed word; say so ("did you mean") rather than hide it."""
        searcher = self._searcher()
        reader = searcher.reader()
        fixes: dict[str, str] = {}
        tries = 0
        for concept in understood.concepts:
            if (
                concept.from_glossary
                or concept.programme
                or len(concept.variants) != 1
                or len(concept.variants[0]) != 1
            ):
                continue
            word = concept.label.lower()
            term = concept.variants[0][0]
            if not (MIN_TYPO_LETTERS <= len(word) <= MAX_TYPO_LETTERS) or not word.isalpha() or tries >= MAX_TYPOS:
                continue
            if reader.doc_frequency("spell_body", word) or reader.doc_frequency("section", term):
                continue  # a word the knowledge uses as typed
            if is_english_word(word):
                continue  # a real word the knowledge doesn't use ("dads"), not a slip to "fix" into another
            indexed = reader.doc_frequency("body", term) > 0
            tries += 1
            # an unknown stem may be any typo; a known stem ("facilitater" ~ "facilitated") only a same-length slip
            suggestions = searcher.suggest(
                "body", word, limit=1, maxdist=1 if indexed or len(word) < LONG_WORD else 2, prefix=1
            )
            if not suggestions or suggestions[0] == word or (indexed and len(suggestions[0]) != len(word)):
                continue
            fixed = stems(suggestions[0])
            if fixed and fixed != [term]:
                concept.variants.append(fixed)
                fixes[concept.label] = suggestions[0]
        if not fixes:
            return None
        return re.sub(
            r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?",
            lambda m: fixes.get(m.group(0), m.group(0)),
            question,
        )

    def _unknown_name(self, understood: Understood) -> str | None:
        """Lexical search alone: a capitalised name the knowledge never mentions ("Freedom Programme") says the
        question is about something else. With the semantic stage the unanswered questions decide instead: this
        rule declined everyday abbreviations ("Tues", "IPP", "OMU") on unseen questions."""
        reader = self._searcher().reader()
        first_word = understood.words[0] if understood.words else ""
        for concept in understood.concepts:
            label = concept.label
            if label == first_word:
                continue  # a capital at the start of a sentence says nothing
            if concept.from_glossary or concept.programme or concept.documents:
                continue
            if len(concept.variants) != 1 or not any(ch.isupper() for ch in label):
                continue  # a name has a capital somewhere: "Freedom", "nDelius"
            if not any(reader.doc_frequency(f, t) for f in ("body", "section", "source") for t in concept.variants[0]):
                return label
        return None

    def _query(self, concepts: list[Concept]) -> Query:
        """Term clauses per concept (a phrase as AND of its words); words in most passages are left to the re-scoring."""
        reader = self._searcher().reader()
        n = reader.doc_count()
        # on a small corpus every word is "common"; only a large one needs the cut, and on a very large one
        # no clause may cost more than MAX_POSTINGS passages
        common = min(COMMON_SHARE * n, MAX_POSTINGS) if n >= MIN_PASSAGES_FOR_CUT else float("inf")
        parts: list[Query] = []
        for concept in concepts:
            typed, *others = concept.variants

            def df(v: list[str]) -> int:
                return min(reader.doc_frequency("body", t) for t in v)

            # the typed wording, then the glossary variants the knowledge uses most (each costs a posting list)
            others = sorted((v for v in others if df(v) <= common), key=df, reverse=True)[:MAX_EXPANSIONS]
            variants = [(v, 1.0 if v is typed else EXPANSION_WEIGHT) for v in [typed, *others]]
            variants = [(v, w) for v, w in variants if df(v) <= common]
            per_field: list[Query] = []
            for field, boost in (("body", 1.0), ("section", SECTION_BOOST), ("questions", QUESTIONS_BOOST)):
                if concept.programme or concept.documents:
                    boost *= PROGRAMME_TEXT_WEIGHT
                alts = [_clause(field, v, boost * w) for v, w in variants]
                if alts:
                    per_field.append(alts[0] if len(alts) == 1 else DisjunctionMax(alts))
            if concept.programme:
                # the programme a passage's document is about counts, not only the name in its text
                per_field.append(Term("programmes", concept.programme.lower(), boost=PROGRAMME_BOOST))
            per_field.extend(Term("doc_id", doc_id, boost=PROGRAMME_BOOST) for doc_id in concept.documents)
            if per_field:
                parts.append(Or(per_field))
        if not parts:  # every word is common: search the rarest one rather than nothing
            rarest = min(
                (v for c in concepts for v in c.variants), key=lambda v: min(reader.doc_frequency("body", t) for t in v)
            )
            parts.append(_clause("body", rarest, 1.0))
        return Or(parts)

    def _search(self, understood: Understood, limit: int, also: Sequence[str] = ()) -> list[_Candidate]:
        """Lexical candidates, re-scored on coverage of the question; `also` adds passages (found by meaning)
        that the lexical search did not return, scored the same way from their own lexical score."""
        if not understood.concepts:
            return []
        searcher = self._searcher()
        concepts = [replace(c, variants=[*c.variants, *self.word_forms(c)]) for c in understood.concepts]
        # collected deeper than the candidates: a passage found by meaning just past the cut keeps its word score
        # (scored 0 it was buried behind many passages on the same programme)
        collector = searcher.collector(limit=max(limit, ALSO_DEPTH) if also else limit)
        timed = TimeLimitCollector(collector, timelimit=SEARCH_SECONDS, use_alarm=False)
        try:
            searcher.search_with_collector(self._query(concepts), timed)
        except TimeLimit:
            log.warning("search stopped at its time limit; partial results used")
        results = collector.results()
        rows = [(hit.fields(), hit.score) for hit in results[:limit]]
        found = {fields["pid"] for fields, _ in rows}
        deeper = {docnum: score for score, docnum in results.top_n[limit:]}  # stored fields read only if wanted
        for pid in also:
            if pid not in found and (docnum := searcher.document_number(pid=pid)) is not None:
                rows.append((searcher.stored_fields(docnum), deeper.get(docnum, 0.0)))
        weights = self.weights(concepts)
        total = sum(weights) or 1.0
        wanted = {p.lower() for p in understood.programmes}
        wanted_docs = {d for c in concepts for d in c.documents}
        out: list[_Candidate] = []
        for fields, raw in rows:
            tokens = fields["tokens"].split()
            token_set = set(tokens) | set(fields.get("qtokens", "").split())
            matched: set[str] = set()
            covered = 0.0
            doc_programmes = self._doc_programmes.get(fields["doc_id"], set())
            for concept, weight in zip(concepts, weights, strict=True):
                about = bool(concept.programme) and concept.programme.lower() in doc_programmes
                named = fields["doc_id"] in concept.documents
                if any(_contains(tokens, token_set, v) for v in concept.variants):
                    covered += weight
                    matched.update(t for v in concept.variants for t in v if t in token_set)
                elif about or named:
                    # the document is about it, though this passage doesn't say so: preferred, not proof
                    covered += weight * IMPLIED_COVERAGE
            coverage = covered / total
            together = _adjacent_pairs(concepts, tokens)
            # BM25 favours very short passages ("Kaizen"); a few words rarely answer a question
            brevity = min(1.0, len(tokens) / SHORT_PASSAGE_WORDS) ** 0.5
            score = raw * (0.25 + coverage) ** 2 * brevity * (1 + ADJACENCY_BONUS * together)
            if understood.wants_number and any(_is_quantity(t) for t in tokens):
                score *= QUANTITY_BONUS
            if wanted and doc_programmes and not (wanted & doc_programmes):
                score *= OTHER_PROGRAMME_PENALTY
            if wanted_docs and fields["doc_id"] not in wanted_docs:
                score *= OTHER_PROGRAMME_PENALTY
            out.append(_Candidate(fields, score, coverage, matched))
        out.sort(key=lambda c: -c.score)
        return out

    def word_forms(self, concept: Concept) -> list[list[str]]:
        """Indexed words that extend a one-word stem slightly: related forms the stemmer keeps apart."""
        reader = self._searcher().reader()
        if concept.programme or (concept.label.isupper() and len(concept.label) > 1):
            return []  # names and acronyms (DRIVE) have no "related forms" (driven)
        extra: list[list[str]] = []
        for variant in concept.variants:
            if len(variant) != 1 or len(variant[0]) < MIN_STEM_FOR_FORMS or not variant[0].isalpha():
                continue
            stem_ = variant[0]
            longer = (
                word
                for t in reader.expand_prefix("body", stem_)
                if _stem_ending((word := t.decode() if isinstance(t, bytes) else t), stem_)
            )
            shorter = (stem_[:-k] for k in range(1, MAX_EXTRA_LETTERS + 1) if len(stem_) - k >= MIN_STEM_FOR_FORMS)
            for word in [*longer, *shorter]:
                if word == stem_ or abs(len(word) - len(stem_)) > MAX_EXTRA_LETTERS:
                    continue
                if reader.doc_frequency("body", word) and [word] not in concept.variants and [word] not in extra:
                    extra.append([word])
        return extra[:3]

    def weights(self, concepts: list[Concept]) -> list[float]:
        """Inverse document frequency of each concept: rare words say more about what is asked."""
        reader = self._searcher().reader()
        n = max(1, reader.doc_count())
        weights = []
        for concept in concepts:
            dfs = [min(reader.doc_frequency("body", t) for t in v) for v in concept.variants]
            df = max(dfs)
            weight = math.log(1 + (n - df + 0.5) / (df + 0.5))
            if df == 0 and not (concept.programme or concept.documents):
                weight *= UNKNOWN_WORD_WEIGHT  # no passage can match it: often chat ("anxious", "tricky")
            weights.append(weight)
        return weights

    def _result(self, cand: _Candidate) -> Result:
        f = cand.fields
        return Result(
            doc_id=f["doc_id"],
            title=f["title"],
            publisher=f["publisher"],
            year=f["year"],
            section=f.get("section", ""),
            text=f["body"],
            highlights=_highlights(f["body"], cand.matched),
            score=round(cand.score, 4),
            passage_id=f["pid"],
            source_kind=doc.describe(f["body"]) if (doc := self._documents.get(f["doc_id"])) else "",
        )


def _best_coverage(candidates: list[_Candidate]) -> float:
    """The largest share of the question's weighted words that one candidate passage holds."""
    return max(c.coverage for c in candidates[:CANDIDATES])


def _stem_ending(word: str, stem_: str) -> bool:
    """Porter leaves "referr" (referral) and "evalu" (evaluation) a letter past "refer" and "evalu":
    a doubled consonant or a vowel. Other extensions are other words ("both" -> "bother", "reset" -> "resettl")."""
    extra = word[len(stem_) :]
    return len(extra) == 1 and (extra in "aeiouy" or extra == stem_[-1])


def _is_quantity(token: str) -> bool:
    return token[:1].isdigit() or token in NUMBER_WORDS


def _clause(field: str, variant: list[str], boost: float) -> Query:
    if len(variant) == 1:
        return Term(field, variant[0], boost=boost)
    return And([Term(field, t) for t in variant], boost=boost)


def _contains(tokens: list[str], token_set: set[str], variant: list[str]) -> bool:
    if len(variant) == 1:
        return variant[0] in token_set
    if not all(t in token_set for t in variant):
        return False
    n = len(variant)
    return any(tokens[i : i + n] == variant for i in range(len(tokens) - n + 1))


def _adjacent_pairs(concepts: list[Concept], tokens: list[str]) -> int:
    """How many neighbouring question concepts also stand within a word or two of each other here."""
    where: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        where.setdefault(t, []).append(i)

    def positions(words: set[str]) -> list[int]:
        return [i for w in words for i in where.get(w, ())]

    starts = [positions({v[0] for v in c.variants}) for c in concepts]
    ends = [positions({v[-1] for v in c.variants}) for c in concepts]
    return sum(
        any(0 < s - e <= ADJACENCY_WINDOW for e in ends[k] for s in starts[k + 1]) for k in range(len(concepts) - 1)
    )


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    """Porter's stem, remembered: the passages shown use the same few thousand words over and over."""
    return stem(word)


def _highlights(text: str, matched: set[str]) -> list[str]:
    """The words of the passage, as written, whose stems the question matched."""
    out: list[str] = []
    for word in re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?", text):
        if _stem(word.lower()) in matched and word not in out:
            out.append(word)
    return out[:30]


def _empty_message(question: str) -> str:
    if not question:
        return "Ask me a question about the programmes, for example: how many sessions is BBR?"
    return "I couldn't find any words to search for in that. Try a question in words, e.g. 'who can refer to Up2U?'"
