"""Spotting a message about imminent risk to a partner, ex-partner or child, so escalation comes first.

The rule: harm (a threat, a weapon, danger) + a person at risk + it being now or a stated intent.
Questions *about* risk ("what risk tool does Kaizen use?") name no threat and never fire.
"""

from __future__ import annotations

import re

_HARM_VERB = (
    r"(?:kill|murder|hurt|harm|stab|strangle|choke|shoot|beat|batter|attack|assault|burn|rape|kidnap|snatch|"
    r"abduct|smash|torch|set fire|set light|do (?:her|them) in|get (?:her|them)|finish (?:her|them) off|"
    r"take (?:the |her |his )?(?:kids|children|child|baby))"
)
# A stated intent to harm: "he's going to kill her", "threatening to set fire to the house".
_INTENT = re.compile(
    r"\b(?:going to|gonna|will|'ll|'d|would|threat\w* to|wants? to|plans? to|intends? to|swore to|promised to)\s+"
    r"(?:(?!stop\b|not\b|never\b|avoid\b|prevent\b)\w+\s+){0,2}" + _HARM_VERB + r"\w*\b"
    r"|\bthreat(?:en(?:ed|ing|s)?|s)?\b(?:\s+\w+){0,3}\s+(?:her|them|the kids|the children|his ex|the partner)",
    re.IGNORECASE,
)
# Danger named outright: a weapon, a threat, someone not safe.
_DANGER = re.compile(
    r"\b(?:" + _HARM_VERB + r"\w*|knife|knives|gun|firearm|weapon\w*|machete|blade|acid|petrol|"
    r"in danger|not safe|unsafe|at (?:immediate |serious )?risk|threat\w*)\b",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"\b(her|she|shes|she's|partner|ex|ex-partner|ex-wife|wife|girlfriend|gf|fiancee|kids?|child|children|"
    r"baby|babies|son|daughter|family|victim|woman|mum|mother)\b",
    re.IGNORECASE,
)
_NOW = re.compile(
    r"\b(tonight|today|now|right now|immediately|imminent\w*|this (?:morning|afternoon|evening|weekend)|"
    r"when (?:he|i) (?:leaves?|gets? out|gets? home|finish\w*)|on (?:his|the) way|"
    r"outside (?:her|the) (?:house|home|door)|at (?:her|the) (?:house|door|home)|as we speak|currently|"
    r"just (?:said|told|disclosed|threatened|rang|called|left))\b",
    re.IGNORECASE,
)
# Something happening now: a break-in, a partner hiding, a weapon in his hands.
_HAPPENING = re.compile(
    r"\b(?:broken in|broke in|breaking in|kick\w* (?:the |her |their )?door\w*|hiding (?:from him|upstairs|in)|"
    r"barricaded|locked (?:herself|themselves) in|won't leave|refus\w* to leave|(?:is|he's) (?:hitting|beating|attacking)|"
    r"(?:has|'s) (?:just )?(?:hit|attacked|stabbed|strangled|choked|assaulted)|"
    r"(?:has|'s|got|getting|carrying|bought) (?:got )?(?:a |an )?(?:gun|knife|firearm|weapon|machete|blade|acid)(?! conviction))\b",
    re.IGNORECASE,
)
# Danger in the present tense: "the kids are in danger".
_PRESENT_DANGER = re.compile(
    r"\b(?:is|are|'s|'re|feels?)\s+(?:in danger|not safe|unsafe|terrified|scared for)\b(?!\s+to\b)", re.IGNORECASE
)
# A general question about procedure or policy that merely mentions danger.
_GENERAL = re.compile(
    r"^\s*(what|how|which|who|when|where|why|is there|are there|does|do)\b[^.?!]*\b(policy|procedure|tool|"
    r"process|guidance|assessment|framework|managed|manage|measure|rate|level|levels)\b",
    re.IGNORECASE,
)


def is_urgent(text: str) -> bool:
    """True when the message says someone may be harmed imminently; errs towards escalating."""
    sample = text[:4000]
    if _GENERAL.search(sample):
        return False
    if _HAPPENING.search(sample):
        return True  # "he's got a gun": the person at risk often goes unsaid
    if not _PERSON.search(sample):
        return False
    if _INTENT.search(sample):
        return True
    return bool(_DANGER.search(sample) and (_NOW.search(sample) or _PRESENT_DANGER.search(sample)))


ESCALATION_STEPS = [
    "If a partner, ex-partner or child may be in immediate danger, call the police on 999 now.",
    "Tell the offender manager at once, by phone, not by message.",
    "Tell the women's safety worker (partner link worker, partner support worker) at once, "
    "so the partner can be contacted and safety planning can start.",
    "Write down what was said, when and to whom, and follow your local risk escalation procedure "
    "(MARAC or MAPPA where the case is known there).",
]

ESCALATION_MESSAGE = "This sounds like someone may be at risk now. Act first: don't wait for guidance from me."

# The passage the escalation rests on (MoJ implementation study): found by meaning, not by position.
GROUNDING_QUERY = "tutor would contact the police the offender manager and the women's safety workers directly"
