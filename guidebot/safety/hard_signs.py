"""Hard signs of danger now: a short list that escalates whatever else a message says.

Each sign is absolute and matched on whole words. Everything subtler (veiled threats, him where she is, an
alarming silence) is the classifier's job, learned from knowledge/safety/. Add a sign here only when no
context could make it safe to ignore.
"""

from __future__ import annotations

import re

_HER = (
    r"(?:her|them|you|the (?:kids|children|child|baby|girls?|boys?)|his (?:ex|wife|partner|girlfriend|kids|children|"
    r"baby|son|daughter)|my (?:mum|kids|children|baby))"
)
_WEAPON = r"(?:knife|knives|gun|shotgun|firearm|machete|blade|axe|hammer|crossbow)"
_CHILD = r"(?:kids|children|child|baby|son|daughter|boy|girl|little one)"


def _sign(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


SIGNS: dict[str, re.Pattern[str]] = {
    # "he says he's going to kill her", "I'll stab you", "threatening to burn them" (not "threatened ... before")
    "threat to kill or seriously harm": _sign(
        r"\b(?:going to|gonna|will|'ll|threatening to|swears? to)\s+(?:\w+\s+){0,3}?"
        r"(?:kill|murder|stab|shoot|strangle|burn|torch|set fire to)\s+" + _HER + r"\b"
    ),
    # "he's strangling her", "he is beating them", "kicking the door in"
    "attack under way": _sign(
        r"\b(?:he'?s|he is|is)\s+(?:\w+\s+)?(?:hitting|beating|attacking|strangling|choking|stabbing|kicking|punching|"
        r"battering)\s+" + _HER + r"\b"
        r"|\b(?:kicking|breaking|smashing|forcing)\s+(?:the |her |their |my )?(?:front |back )?door\s+(?:in|down)\b"
    ),
    # "he's got a knife", "he has a gun" (not "a knife conviction")
    "weapon with him now": _sign(
        r"\bhe(?:'s| has| is)(?: got| holding| carrying| waving)?\s+(?:a|an|the|his|her)\s+(?:\w+\s+)?"
        + _WEAPON
        + r"\b(?!\s+(?:conviction|offence|charge|possession|crime|licen[cs]e))"
    ),
    # "he's snatched the baby", "won't bring the kids back"
    "child taken": _sign(
        r"\b(?:snatched|abducted|grabbed|run off with|ran off with|driven off with|drove off with|disappeared with)\s+"
        r"(?:the |her |their |his |my )?" + _CHILD + r"\b"
        r"|\b(?:won'?t|will not|refus(?:es|ing) to)\s+(?:give|bring|hand)\s+(?:the |her |their |my )?"
        + _CHILD
        + r"s?\s+back\b"
    ),
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def hard_sign(text: str) -> str | None:
    """The name of the first hard sign in the text, or None."""
    flat = " ".join(text.translate(_APOSTROPHES).split())
    return next((name for name, pattern in SIGNS.items() if pattern.search(flat)), None)
