"""Hand-built Answer objects for renderer and listener tests (real model, made-up but realistic content)."""

from __future__ import annotations

from guidebot.search.models import Answer, Result, Status


def result(i: int = 0, text: str | None = None, highlights: list[str] | None = None, **kw: object) -> Result:
    fields: dict[str, object] = {
        "doc_id": f"doc-{i}",
        "title": f"Building Better Relationships guide {i}",
        "publisher": "HMPPS",
        "year": 2013,
        "section": "Programme structure",
        "text": text or f"BBR has 30 sessions, including individual sessions. Passage {i}.",
        "highlights": highlights if highlights is not None else ["sessions", "BBR"],
        "score": 10.0 - i,
    }
    fields.update(kw)
    return Result.model_validate(fields)


def answered(question: str = "how many sessions is BBR?", n: int = 4, **kw: object) -> Answer:
    return Answer(question=question, status=Status.answered, results=[result(i, **kw) for i in range(n)])


def no_answer(question: str = "what colour is the sky?") -> Answer:
    return Answer(question=question, status=Status.no_answer, message="I couldn't find that in the guidance.")


def urgent(question: str = "he said he will kill her tonight") -> Answer:
    return Answer(
        question=question,
        status=Status.urgent,
        escalation=[
            "Call the police on 999.",
            "Tell the offender manager.",
            "Tell the women's safety worker.",
        ],
        message="This sounds like someone may be at risk now.",
        results=[result(i, text="Risk to a partner must be shared at once.") for i in range(2)],
    )
