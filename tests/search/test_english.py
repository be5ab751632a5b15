"""Everyday English words are told from typos, so a real word the documents don't use is never "corrected"."""

from __future__ import annotations

import pytest

from guidebot.search.english import is_english_word


@pytest.mark.parametrize("word", ["dads", "password", "reset", "Fridays", "anxious"])
def test_everyday_words_are_english(word: str) -> None:
    assert is_english_word(word)


@pytest.mark.parametrize("word", ["sesions", "facilitater", "wsw", "up2u"])
def test_typos_and_codes_are_not(word: str) -> None:
    assert not is_english_word(word)
