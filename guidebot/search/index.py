"""The Whoosh index of passages: schema, build (skipped when the knowledge is unchanged) and opening.

Each build goes to its own folder named by the knowledge fingerprint and is renamed into place whole,
so a reader never sees a half-built index and two processes building at once don't collide.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from guidebot.knowledge.loader import Knowledge
from guidebot.search.semantic import Encoder
from guidebot.search.vectors import build_vectors, has_vectors

# Bump when the schema or analysis changes, so existing indexes are rebuilt.
INDEX_VERSION = "7"
CURRENT_FILE = "CURRENT.json"
# Contractions' leftovers ("women's" -> "s") carry no meaning.
STOPLIST = frozenset(STOP_WORDS | {"s", "t", "d", "ll", "re", "ve", "m"})


_ROLE_CODE = re.compile(r"^([a-z]{2,4})\d{1,3}$")


class RoleCodeFilter(Filter):
    """Interviewees are cited by role and number ("WSW2", "GT10"): also index the role, so a quote
    attributed to a women's safety worker is found by "WSW"."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for token in tokens:
            yield token
            m = _ROLE_CODE.match(token.text)
            if m:
                token.text = m.group(1)
                yield token


def analyzer():  # type: ignore[no-untyped-def]
    """Word tokens, lower-cased, stop words out, English stems; the same for passages and questions."""
    return (
        RegexTokenizer(r"\w+(\.?\w+)*")
        | LowercaseFilter()
        | RoleCodeFilter()
        | StopFilter(STOPLIST, minsize=1)
        | StemFilter()
    )


def build_schema() -> Schema:
    ana = analyzer()
    return Schema(
        pid=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        section=TEXT(analyzer=ana, stored=True),
        source=TEXT(analyzer=ana),
        body=TEXT(analyzer=ana, stored=True, spelling=True),
        # the questions practitioners ask that the passage answers (knowledge/questions/), searched beside the text
        questions=TEXT(analyzer=ana),
        programmes=KEYWORD(lowercase=True, commas=True, scorable=True, stored=True),
        kind=KEYWORD(stored=True),
        title=STORED(),
        publisher=STORED(),
        year=STORED(),
        position=NUMERIC(stored=True),
        # the section and body as analysed, so re-scoring a hit doesn't analyse its text again per question
        tokens=STORED(),
        qtokens=STORED(),
    )


def _version_key(knowledge: Knowledge) -> str:
    return f"v{INDEX_VERSION}-{knowledge.fingerprint[:16]}"


def current(index_dir: Path) -> dict | None:
    """What CURRENT.json says is the live index (its folder and fingerprint), or None."""
    try:
        data = json.loads((index_dir / CURRENT_FILE).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not (index_dir / str(data.get("folder", ""))).is_dir():
        return None
    return data


def is_fresh(index_dir: Path, knowledge: Knowledge) -> bool:
    state = current(index_dir)
    return bool(state) and state.get("folder") == _version_key(knowledge)


def stale_vectors(index_dir: Path, encoder: Encoder | None) -> Path | None:
    """The live folder when its vectors are missing or were made with other weights than the encoder's, else None.

    Two models' cosines must never mix, so such vectors are rebuilt (and `doctor` calls the index stale)."""
    folder = live_folder(index_dir)
    if encoder is None or folder is None or has_vectors(folder, encoder.model_id):
        return None
    return folder


def is_up_to_date(index_dir: Path, knowledge: Knowledge, encoder: Encoder | None) -> bool:
    """Words indexed from this knowledge, and vectors (if the semantic stage is on) from this encoder's weights."""
    return is_fresh(index_dir, knowledge) and stale_vectors(index_dir, encoder) is None


def build(
    index_dir: Path,
    knowledge: Knowledge,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    encoder: Encoder | None = None,
) -> bool:
    """Build the index (and, given an encoder, its vectors) unless already there; True when something was built.

    A fresh index built without vectors (semantic stage off, or the model was missing), or with vectors from other
    weights, gets them (re)built."""
    if not force and is_fresh(index_dir, knowledge):
        folder = stale_vectors(index_dir, encoder)
        if folder is not None and encoder is not None:
            build_vectors(folder, knowledge, encoder)
            return True
        return False
    index_dir.mkdir(parents=True, exist_ok=True)
    key = _version_key(knowledge)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_dir))
    try:
        ix = whoosh_index.create_in(str(tmp), build_schema())
        docs = {d.id: d for d in knowledge.documents}
        ana = analyzer()
        total = len(knowledge.passages)
        # large corpora build faster in two processes; small ones aren't worth the fork
        writer = ix.writer(limitmb=128, procs=2, multisegment=True) if total > 20_000 else ix.writer(limitmb=128)
        for n, p in enumerate(knowledge.passages, 1):
            doc = docs[p.doc_id]
            questions = "\n".join(knowledge.questions.get(p.id, []))
            writer.add_document(
                pid=p.id,
                doc_id=p.doc_id,
                section=p.section,
                source=f"{doc.title} {doc.publisher}",
                body=p.text,
                questions=questions,
                programmes=",".join(doc.programmes),
                kind=doc.kind.value,
                title=doc.title,
                publisher=doc.publisher,
                year=doc.year,
                position=p.position,
                tokens=" ".join(t.text for t in ana(f"{p.section} {p.text}")),
                qtokens=" ".join(t.text for t in ana(questions)),
            )
            if progress and (n % 500 == 0 or n == total):
                progress(n, total)
        writer.commit()
        if encoder is not None:
            build_vectors(tmp, knowledge, encoder)
        final = index_dir / key
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    state = {"folder": key, "fingerprint": knowledge.fingerprint, "passages": len(knowledge.passages)}
    pointer = index_dir / f".{CURRENT_FILE}.{os.getpid()}"
    pointer.write_text(json.dumps(state))
    os.replace(pointer, index_dir / CURRENT_FILE)
    _remove_old(index_dir, keep=key)
    return True


def _remove_old(index_dir: Path, keep: str) -> None:
    for child in index_dir.iterdir():
        if child.is_dir() and child.name != keep and child.name.startswith("v"):
            shutil.rmtree(child, ignore_errors=True)


def live_folder(index_dir: Path) -> Path | None:
    """The folder of the index in use, or None."""
    state = current(index_dir)
    return index_dir / state["folder"] if state else None


def open_index(index_dir: Path):  # type: ignore[no-untyped-def]
    state = current(index_dir)
    if not state:
        raise FileNotFoundError(f"no index in {index_dir}; run 'guidebot index'")
    return whoosh_index.open_dir(str(index_dir / state["folder"]))
