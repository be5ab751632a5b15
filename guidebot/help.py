"""What the bot can do, with examples: one text for `/guide help`, a DM "help" and `guidebot chat`."""

from __future__ import annotations

from pydantic import BaseModel


class HelpTopic(BaseModel):
    title: str
    text: str
    examples: list[str]


def help_topics() -> list[HelpTopic]:
    """The help shown on every surface, so Slack and the terminal never disagree."""
    return [
        HelpTopic(
            title="Ask about the programmes",
            text=(
                "Ask the way you would ask a colleague. I quote the guidance, policy recommendations and "
                "implementation findings I hold and name the source. If they don't cover it, I say so."
            ),
            examples=[
                "how many sessions is BBR?",
                "what risk tool does Kaizen use for sex offenders?",
                "what does a WSW do day to day?",
                "who can refer to Up2U?",
            ],
        ),
        HelpTopic(
            title="Follow-up questions",
            text="In a thread (or here), a short follow-up uses your earlier question as context.",
            examples=["how many sessions is BBR?  then:  and for Kaizen?"],
        ),
        HelpTopic(
            title="New to the programmes",
            text=(
                "A short tour, what an abbreviation means, two or three programmes side by side, and a quiz "
                "(ten questions for you, or a round for a group on a training day). Every fact names its source."
            ),
            examples=[
                "/guide learn  (in a terminal: guidebot learn)",
                "/guide define SARA  (guidebot define SARA)",
                "/guide compare BBR Kaizen  (guidebot compare BBR Kaizen)",
                "/guide quiz, or /guide quiz here in a channel to run a group round  (guidebot quiz)",
            ],
        ),
        HelpTopic(
            title="Imminent risk",
            text=(
                "If a partner, ex-partner or child may be in danger now, call the police on 999 first, then "
                "tell the offender manager and the women's safety worker. I put those steps first."
            ),
            examples=[],
        ),
    ]
