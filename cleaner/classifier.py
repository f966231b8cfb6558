"""The generic block classifier: boilerplate nobody wrote a rule for.

Method, and why: a logistic model scores each block the rules left (features.py: length,
sentence-likeness in the document's language, symbols, position, neighbours; link density and tag
when the input is HTML). A linear model over such features is what jusText's and boilerpipe's
heuristics approximate by hand; learning the weights from real pages with gold text (see
bench/train_classifier.py) beats tuning them by eye, and the model stays small enough to ship as
JSON and to apply in pure Python. Scores alone are noisy on short blocks, so a second step uses the
shape of articles, which are long runs of text with boilerplate around them: a two-state Viterbi
decode (content / boilerplate) over the blocks' log-odds, weighted by length, with a penalty for
every switch of state. A short block between article paragraphs stays with them; a lone long
block in a footer goes with the footer unless the model is sure of it. On held-out halves of the
dev set this beat both a plain threshold and a single maximum-sum run (bench/RESULTS.md).
Every removal is a Decision with a ``classifier.*`` id.

All thresholds are fields of Config; the weights live in models/classifier.json.
"""
from __future__ import annotations

import json
import math
import pathlib
from dataclasses import dataclass

from .features import NAMES, detect_language, document_features

MODEL_PATH = pathlib.Path(__file__).with_name("models") / "classifier.json"
RULE_ID = "classifier.boilerplate"


@dataclass(frozen=True)
class Model:
    mean: tuple
    scale: tuple  # 1 / std, so applying is multiplications only
    weights: tuple
    bias: float

    @classmethod
    def from_dict(cls, data: dict) -> "Model":
        if list(data["names"]) != list(NAMES):
            raise ValueError("the classifier model was trained on other features; retrain it")
        return cls(tuple(data["mean"]), tuple(1.0 / s for s in data["std"]), tuple(data["weights"]),
                   float(data["bias"]))

    def score(self, row) -> float:
        z = self.bias
        for x, m, s, w in zip(row, self.mean, self.scale, self.weights):
            z += (x - m) * s * w
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class Classifier:
    """Immutable once built: the models and the thresholds of one Config."""

    def __init__(self, models: dict, config):
        self.models = models
        self.bias = config.classifier_bias
        self.switch = config.classifier_switch

    @classmethod
    def default(cls, config) -> "Classifier":
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        return cls({fmt: Model.from_dict(m) for fmt, m in data.items()}, config)

    @staticmethod
    def rows_for(cleaner, doc):
        """Feature rows of the blocks the rules leave in ``doc`` (used to train the model)."""
        p = cleaner.judge_rules(doc)
        live = [i for i, a in enumerate(p.alive) if a]
        texts = [p.texts[i] for i in live]
        lang = detect_language(texts)
        return document_features([doc.blocks[i] for i in live], texts, lang), [doc.blocks[i] for i in live]

    def apply(self, doc, p, lang: str | None = None) -> str | None:
        """Judge the live blocks of a Pass; returns the document's language (detected unless given:
        later rounds of the engine's loop pass on the first round's answer)."""
        live = [i for i, a in enumerate(p.alive) if a]
        if not live:
            return lang
        texts = [p.texts[i] for i in live]
        lang = lang or detect_language(texts)
        model = self.models["html" if doc.format == "html" else "text"]
        rows = document_features([doc.blocks[i] for i in live], texts, lang)
        scores = [model.score(r) for r in rows]
        gains = [(math.log(max(x, 1e-6) / max(1 - x, 1e-6)) + self.bias) * (1.0 + math.log1p(p.nwords[i]))
                 for x, i in zip(scores, live)]
        keep = two_state_path(gains, self.switch)
        if not any(keep):
            # never empty a document the rules left text in: keep its most likely block
            keep[max(range(len(live)), key=lambda k: gains[k])] = True
        for k, i in enumerate(live):
            if not keep[k]:
                p.drop(i, RULE_ID, f"scored {scores[k]:.2f} by the block classifier, in a run of boilerplate")
        return lang


def two_state_path(gains, switch: float) -> list[bool]:
    """The content/boilerplate labelling that maximises the sum of ``gains`` over content blocks
    minus ``switch`` for every change of state (Viterbi over two states).

    The path starts from boilerplate: a scraped page opens with its site's frame, so the article
    pays one switch to begin, and a short low-scoring line at the head (an image's alt text, a
    menu label) goes for free. It may end in either state: a closing credit line is as often part
    of the article as of the footer."""
    if not gains:
        return []
    score = [0.0, gains[0] - switch]  # best total ending in state 0 (boilerplate) / 1 (content)
    back = []
    for g in gains[1:]:
        stay0, from1 = score[0], score[1] - switch
        stay1, from0 = score[1], score[0] - switch
        back.append((0 if stay0 >= from1 else 1, 1 if stay1 >= from0 else 0))
        score = [max(stay0, from1), max(stay1, from0) + g]
    state = 0 if score[0] >= score[1] else 1
    path = [state]
    for b in reversed(back):
        state = b[state]
        path.append(state)
    return [s == 1 for s in reversed(path)]
