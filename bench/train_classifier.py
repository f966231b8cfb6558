"""Train the block classifier on ../shared/bench/dev and write cleaner/models/classifier.json.

usage: python bench/train_classifier.py [--bench ../shared/bench] [--cv]

Each page is read the way cleaner reads it (text dump, or HTML), the catalogue rules run first, and
every block the rules leave gets a label: the share of its 4-token shingles (for short blocks, its
folded text) found in the page's gold main_content. A logistic regression over the features of
cleaner/features.py, weighted by block length (the benchmark metric counts shingles, so long
blocks matter more), learns which blocks are article text. Nothing of the benchmark is copied into
the project: only the learned weights, standardisation and thresholds are written.

--cv trains on even page ids and scores on odd ones and the other way round, to show how the model
does on pages it has not seen; the shipped model is trained on all pages.

Needs numpy (the ``bench`` extra).
"""
from __future__ import annotations

import argparse
import difflib
import gzip
import json
import pathlib
import re
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import Cleaner, Config  # noqa: E402
from cleaner.classifier import Classifier  # noqa: E402
from cleaner.features import NAMES  # noqa: E402


TOKEN = re.compile(r"\w+")


def label_blocks(texts, gold_text, min_run=4):
    """Share of each block's tokens that align with the gold text.

    The page's tokens (all blocks in order) are aligned with the gold's by difflib; a token counts
    as article text when it lies in a matching run of at least ``min_run`` tokens. Runs may cross
    block boundaries, so a short heading is labelled by where it stands, not by whether its words
    occur somewhere in the gold ("Home" and "Sign in" often do).
    """
    gold = TOKEN.findall(gold_text.lower())
    tokens, owner = [], []
    for k, text in enumerate(texts):
        for tok in TOKEN.findall(text.lower()):
            tokens.append(tok)
            owner.append(k)
    hit = [0] * len(texts)
    size = [0] * len(texts)
    for k in owner:
        size[k] += 1
    matcher = difflib.SequenceMatcher(None, tokens, gold, autojunk=False)
    for a, _, n in matcher.get_matching_blocks():
        if n >= min_run:
            for j in range(a, a + n):
                hit[owner[j]] += 1
    return [h / s if s else 0.0 for h, s in zip(hit, size)]


def load_pages(bench: pathlib.Path):
    pages = []
    for gold_path in sorted((bench / "dev" / "gold").glob("*.json")):
        pid = gold_path.stem
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (bench / "dev" / "text" / f"{pid}.txt").read_text(encoding="utf-8")
        html_path = bench / "dev" / "html" / f"{pid}.html.gz"
        html = gzip.decompress(html_path.read_bytes()) if html_path.exists() else None
        pages.append((pid, gold, text, html))
    return pages


def examples(pages, fmt: str):
    """Feature rows, labels and weights for every block the rules leave, page by page."""
    rules_only = Cleaner(Config(classifier=False))
    out = []
    for pid, gold, text, html in pages:
        if fmt == "html":
            if html is None:
                continue
            from cleaner.io import decode
            data = decode(html, pid)
        else:
            data = text
        doc = rules_only.read(data, pid, fmt)
        rows, blocks = Classifier.rows_for(rules_only, doc)
        labels = label_blocks([b.text for b in blocks], gold["main_content"])
        weights = [1.0 + np.log1p(len(b.text.split())) for b in blocks]
        out.append((pid, np.array(rows, dtype=float).reshape(-1, len(NAMES)), np.array(labels), np.array(weights)))
    return out


def fit(data, l2=1e-3, steps=3000, lr=0.5):
    X = np.vstack([d[1] for d in data])
    y = np.concatenate([d[2] for d in data])
    w = np.concatenate([d[3] for d in data])
    mean, std = X.mean(0), X.std(0)
    std[std == 0] = 1.0
    Z = (X - mean) / std
    Z = np.hstack([Z, np.ones((len(Z), 1))])
    theta = np.zeros(Z.shape[1])
    w = w / w.sum()
    for _ in range(steps):
        p = 1 / (1 + np.exp(-Z @ theta))
        grad = Z.T @ (w * (p - y)) + l2 * np.r_[theta[:-1], 0]
        theta -= lr * grad
    return {"names": list(NAMES), "mean": mean.tolist(), "std": std.tolist(),
            "weights": theta[:-1].tolist(), "bias": float(theta[-1])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--formats", default="text,html")
    args = ap.parse_args()
    pages = load_pages(pathlib.Path(args.bench))
    models = {}
    for fmt in args.formats.split(","):
        data = examples(pages, fmt)
        models[fmt] = fit(data)
        if args.cv:
            for part in (0, 1):
                train = [d for d in data if int(d[0]) % 2 != part]
                test = [d for d in data if int(d[0]) % 2 == part]
                m = fit(train)
                X = np.vstack([d[1] for d in test])
                y = np.concatenate([d[2] for d in test])
                z = (X - m["mean"]) / m["std"] @ np.array(m["weights"]) + m["bias"]
                acc = ((z > 0) == (y > 0.5)).mean()
                print(f"{fmt}: held-out half {part}: block accuracy {acc:.3f}")
    out = ROOT / "cleaner" / "models" / "classifier.json"
    out.parent.mkdir(exist_ok=True)
    current = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    models = {**current, **models}
    out.write_text(json.dumps(models, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
