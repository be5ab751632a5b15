"""The training data of tools/finetune_model.py (the steps that run without torch): what the shipped model learned."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from guidebot.knowledge.loader import load_knowledge
from guidebot.knowledge.questions import UNANSWERED_DIR, load_questions
from tests.helpers_core import SHIPPED_KNOWLEDGE, load_tool


@pytest.fixture(scope="module")
def finetune():  # type: ignore[no-untyped-def]
    return load_tool("finetune_model")


def test_every_passage_question_is_an_anchor_pushed_from_a_near_miss_of_its_passage(finetune) -> None:  # type: ignore[no-untyped-def]
    knowledge = load_knowledge(SHIPPED_KNOWLEDGE)
    near, _ = load_questions(SHIPPED_KNOWLEDGE, knowledge.passages, UNANSWERED_DIR)
    examples = finetune.examples(SHIPPED_KNOWLEDGE, random.Random(0))
    assert len(examples) == sum(map(len, knowledge.questions.values()))
    texts = {p.id: p.text for p in knowledge.passages}
    unanswered = set(knowledge.unanswered)
    for anchor, positive, negative, pid in examples:
        assert positive in knowledge.questions[pid] or positive.endswith(texts[pid])
        assert positive != anchor
        if near.get(pid):
            assert negative in near[pid]
        else:
            assert negative not in knowledge.questions[pid] and negative not in unanswered
    # the unanswered questions are never pulled towards anything: they appear only as negatives
    assert not unanswered & {e[0] for e in examples} and not unanswered & {e[1] for e in examples}


def test_batches_use_every_example_once_and_never_two_of_one_passage(finetune) -> None:  # type: ignore[no-untyped-def]
    items = [(f"q{i}", "p", "n", f"passage{i % 40}") for i in range(400)]
    batches = finetune.batches(items, random.Random(0))
    assert sorted(x for b in batches for x in b) == sorted(items)
    for batch in batches:
        assert len(batch) <= finetune.BATCH
        assert max(Counter(x[3] for x in batch).values()) == 1
