"""What each round of the engine's fixed-point loop does to the text dumps of ../shared/bench/dev.

usage: python bench/rounds.py [--bench ../shared/bench] [--bias B]

The engine runs truncation and the classifier until a round removes nothing (engine.settle), which
is what makes cleaning an output again a no-op. This script scores, with the bench's score.py as it
is, the output as it stands after the first, second and third removing round and at the fixed point,
and counts the words the later rounds remove, split by whether each block is article text (labelled
as bench/train_classifier.py labels blocks for training) and by how clean the page already was
before the round (share of its live words that are article text). bench/RESULTS.md reads it.
Nothing is written except to a temporary directory.
"""
from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cleaner import Cleaner  # noqa: E402
from cleaner.canonical import join_blocks  # noqa: E402
from quality import load_score, page_ids, read_text  # noqa: E402
from train_classifier import label_blocks  # noqa: E402

SCORED_ROUNDS = (1, 2, 3)


def band(share: float) -> str:
    return "over 0.8" if share > 0.8 else ("0.5 to 0.8" if share > 0.5 else "under 0.5")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--bias", type=float, default=0.0, help="classifier_bias (default 0, as shipped)")
    args = ap.parse_args()
    bench = pathlib.Path(args.bench)
    score = load_score(bench)
    cleaner = Cleaner(format="text", classifier_bias=args.bias)
    outputs = {k: {} for k in (*SCORED_ROUNDS, "fixed point")}
    removing_rounds = collections.Counter()
    words = collections.Counter()  # (band before the round, article or frame) -> words removed in rounds >= 2
    for pid in page_ids(bench):
        gold = json.loads((bench / "dev" / "gold" / f"{pid}.json").read_text(encoding="utf-8"))["main_content"]
        doc = cleaner.read(read_text(bench, pid), pid, "text")
        p = cleaner.judge_rules(doc)
        live = [i for i, alive in enumerate(p.alive) if alive]
        article = {i for i, share in zip(live, label_blocks([p.texts[i] for i in live], gold)) if share > 0.5}
        states = [set(live)]
        cleaner.settle(doc, p, after_round=lambda p: states.append({i for i, a in enumerate(p.alive) if a}))
        removing_rounds[len(states) - 1] += 1
        for k in outputs:
            state = states[min(k, len(states) - 1)] if k != "fixed point" else states[-1]
            outputs[k][pid] = join_blocks([p.texts[i] for i in sorted(state)])
        for before, after in zip(states[1:], states[2:]):
            total = sum(p.nwords[i] for i in before)
            clean = sum(p.nwords[i] for i in before if i in article) / max(total, 1)
            for i in before - after:
                words[(band(clean), "article" if i in article else "frame")] += p.nwords[i]
    print("pages by removing rounds:", dict(sorted(removing_rounds.items())))
    for k, texts in outputs.items():
        with tempfile.TemporaryDirectory() as out:
            for pid, text in texts.items():
                (pathlib.Path(out) / f"{pid}.txt").write_text(text, encoding="utf-8")
            _, total = score.score(bench / "dev" / "gold", out)
        name = f"after round {k}" if k != "fixed point" else k
        print(f"{name}: f1 {total['f1']} without_leak {total['without_leak']} failures {total['failures']}")
    print("words removed by rounds 2 and later, by the page's article share before the round:")
    for key in sorted(words):
        print(f"  {key[0]}, {key[1]}: {words[key]}")


if __name__ == "__main__":
    main()
