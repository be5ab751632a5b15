"""Everyday English words, from pyspellchecker's English word list (loaded once, on first use).

A question word the knowledge never uses is either a typo ("sesions") or a real word the documents don't
cover ("dads", "password"). Only the first should be corrected: "dads" -> "data" answers a question nobody asked.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from spellchecker import SpellChecker

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _dictionary() -> SpellChecker:
    return SpellChecker(language="en", distance=1)


def is_english_word(word: str) -> bool:
    """True for a word in common English use (any case); False for typos, codes and names it doesn't know."""
    with _lock:  # the first call loads the list (~0.4 s); threads wait for it rather than load it twice
        dictionary = _dictionary()
    return bool(dictionary.known([word.lower()]))


def warm_up() -> None:
    """Load the word list now (a server calls this at start so no user waits for it)."""
    is_english_word("the")
