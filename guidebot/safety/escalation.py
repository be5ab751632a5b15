"""What guidebot says first when someone may be in danger now, and the guidance it rests on."""

from __future__ import annotations

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

# The last line of an ordinary answer to a message about risk.
SAFETY_LINE = "If someone is in danger now, call 999, then tell the offender manager and the women's safety worker."
