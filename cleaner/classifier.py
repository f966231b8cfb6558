"""The generic block classifier: boilerplate nobody wrote a rule for.

Method, and why: gradient-boosted decision trees score each block the rules left (features.py:
length, sentence-likeness in the document's language, symbols, position, neighbours; link density,
tag and the element's container when the input is HTML). jusText and boilerpipe combine such
features by hand-tuned thresholds; trees learn the thresholds and their interactions from real pages
with gold text (bench/train_classifier.py). On held-out halves of the dev set they beat a logistic
model over the same features at every operating point (higher F1 and about a third less boilerplate
kept), and their leak of boilerplate falls faster than their recall when the threshold rises. The
trees are shipped as JSON arrays and applied by compiled code (cleaner/_native.pyx) or, where that
is not built, by numpy, all trees and all blocks of a document at once: the same numbers.

Both models have two stages (Stacked): a second ensemble reads each block's features plus what
the first made of the blocks around it (and, for HTML, in its container: SCORE_CONTEXT). On
held-out halves this kept more article text at less boilerplate than one stage, for HTML pages and
for text dumps alike. The text model is the mean of two such pairs, trained with the pages
weighted two ways (Mean): on held-out halves the mean judged better than either pair alone.

The scores are then decoded along the document: a Viterbi path over the blocks' log-odds,
weighted by length, through four states (before the article, in it, in a gap of it, after it;
article_path), with a penalty for each change of state: the switch cost to enter the article and
to leave it for good, the gap cost to skip a run of boilerplate inside it and come back. With
both at 0 this is a plain threshold; positive costs make short blocks follow their neighbours,
and a gap cheaper than the switch lets a run of frame inside the article go while its ends stay
dear. Each model names both costs with its offset: HTML blocks already carry their container's
scores, and at half the text model's switch cost the HTML model kept more article text and less
boilerplate on held-out pages; its gap costs half its switch, the text model's the same as its
switch (the two-state path). Every removal is a Decision with a ``classifier.*`` id.

All thresholds are fields of Config; the trees live in models/classifier.json (or a file named by
``classifier_model``, for a model trained on your own pages).
"""
from __future__ import annotations

import json
import math
import pathlib
import unicodedata

import numpy as np

from . import features
from .document import Block
from .features import BOX, NAMES, detect_language, document_features

MODEL_PATH = pathlib.Path(__file__).with_name("models") / "classifier.json"
RULE_ID = "classifier.boilerplate"
# The decode's switch cost of a model whose file names none (files written before models carried one).
DEFAULT_SWITCH = 4.0


# The deepest trees a model may have: each tree is laid out complete (_heap), 2**depth leaves.
MAX_DEPTH = 16
# A split as the compiled walk (cleaner._native.log_odds, its cleaner_split) reads it: aligned as
# the C compiler lays out that struct (on 32-bit machines too), which the walk checks by size.
SPLIT = np.dtype([("threshold", "<f8"), ("feature", np.intp)], align=True)


def _heap(roots, feature, threshold, left, right, value, depth: int):
    """The trees as complete binary trees of ``depth`` levels, for the compiled walk: each tree's
    2**depth - 1 splits in heap order (split k's children at 2k + 1 and 2k + 2) as SPLIT records
    (bytes), and its 2**depth leaf values. A leaf above the last level stands for a subtree whose
    splits send every block to copies of it (it points both ways to itself), so every walk takes
    ``depth`` steps and ends on the value the tree gives. Built level by level for all trees at
    once."""
    ntrees = len(roots)
    splits = np.zeros((ntrees, 2 ** depth - 1), dtype=SPLIT)
    at = np.asarray(roots, dtype=np.intp).reshape(ntrees, 1)  # the nodes of one level, per tree
    for level in range(depth):
        first = 2 ** level - 1
        splits["threshold"][:, first:first + at.shape[1]] = threshold[at]
        splits["feature"][:, first:first + at.shape[1]] = feature[at]
        at = np.stack([left[at], right[at]], axis=2).reshape(ntrees, -1)
    return splits.view(np.uint8).ravel(), np.ascontiguousarray(value[at], dtype=float).ravel()


class Model:
    """An additive ensemble of binary trees: log-odds = base + offset + sum of one leaf value per
    tree. ``offset`` is the model's operating point, chosen with it on held-out pages (the
    training script's OFFSET); Config.classifier_bias moves every model from there.

    All trees' nodes are stored in flat arrays, node ids global. A block goes left when its feature
    value is <= the node's threshold. A leaf points both ways to itself, so after ``depth`` steps
    every block sits on a leaf of every tree, with no test for "already there". The compiled walk
    reads the same trees laid out complete (``splits`` and ``leaves``, see _heap)."""

    switch = DEFAULT_SWITCH  # the decode's switch cost it was chosen with (set by model_from_dict)
    gap = DEFAULT_SWITCH  # and its cost of a gap inside the article (article_path)

    def __init__(self, base: float, roots, feature, threshold, left, right, value, depth: int):
        self.base = base
        self.roots = roots
        self.feature, self.threshold = feature, threshold
        self.left, self.right, self.value = left, right, value
        if not 0 <= depth <= MAX_DEPTH:
            raise ValueError(f"the classifier model's trees are {depth} levels deep; at most {MAX_DEPTH} are read")
        self.splits, self.leaves = _heap(roots, feature, threshold, left, right, value, depth)
        self.depth = depth

    @classmethod
    def from_dict(cls, data: dict, names=NAMES) -> "Model":
        if data.get("kind") != "trees":
            raise ValueError("the classifier model is not a tree ensemble; retrain it")
        # A model names the features it was trained on; they are looked up by name, so a model
        # stays valid when features are added (each format's model may use a different subset).
        unknown = [name for name in data["names"] if name not in names]
        if unknown:
            raise ValueError(f"the classifier model uses features this version lacks ({', '.join(unknown)}); retrain it")
        column = [names.index(name) for name in data["names"]]
        roots, feature, threshold, left, right, value = [], [], [], [], [], []
        for tree in data["trees"]:
            offset = len(feature)
            roots.append(offset)
            for k, f in enumerate(tree["feature"]):
                leaf = f < 0
                feature.append(0 if leaf else column[f])
                threshold.append(0.0 if leaf else tree["threshold"][k])
                left.append(offset + (k if leaf else tree["left"][k]))
                right.append(offset + (k if leaf else tree["right"][k]))
                value.append(tree["value"][k] if leaf else 0.0)
        return cls(float(data["base"]) + float(data.get("offset", 0.0)), np.array(roots, dtype=np.intp), np.array(feature, dtype=np.intp),
                   np.array(threshold, dtype=float), np.array(left, dtype=np.intp),
                   np.array(right, dtype=np.intp), np.array(value, dtype=float), int(data["depth"]))

    def log_odds(self, rows) -> np.ndarray:
        """Log-odds of being article text, one per row (block); rows in document order."""
        X = np.asarray(rows, dtype=float)
        if X.ndim != 2 or not len(X):
            return np.zeros(len(X))
        if features._native is not None:
            return features._native.log_odds(np.ascontiguousarray(X), self.splits, self.leaves,
                                             self.depth, self.base)
        return self._log_odds_python(X)

    def _log_odds_python(self, X: np.ndarray) -> np.ndarray:
        """The reference for the compiled twin (cleaner._native.log_odds): every tree, every
        block at once in numpy."""
        n = len(X)
        flat = np.ascontiguousarray(X.T).ravel()  # feature f of block b at f * n + b
        blocks = np.tile(np.arange(n), len(self.roots))
        node = np.repeat(self.roots, n)
        for _ in range(self.depth):
            x = flat[self.feature[node] * n + blocks]
            node = np.where(x <= self.threshold[node], self.left[node], self.right[node])
        # added tree after tree: a cumulative sum fixes that order whatever the shape (a sum over
        # one block's trees would be pairwise, and differ from the compiled loop in the last bit)
        return self.base + self.value[node].reshape(len(self.roots), n).cumsum(axis=0)[-1]


# The second stage's view of a block's context: what the first stage made of the block and of the
# blocks around it (log-odds, clipped), of the blocks in its container (HTML), and of the document
# as a whole.
SCORE_CONTEXT = (
    "s_own", "s_prev", "s_next", "s_prev2", "s_next2", "s_window3", "s_window10",
    "s_min3", "s_max3", "s_doc_mean", "s_doc_max", "s_rank", "s_share_before", "s_share_after",
    "s_box_mean", "s_box_max",
)
# HTML: blocks whose container columns (features.BOX) are equal share a container.
BOX_COLUMNS = [NAMES.index(name) for name in BOX]
STACKED_NAMES = NAMES + SCORE_CONTEXT


def score_context(z, boxes=None) -> np.ndarray:
    """One row of SCORE_CONTEXT per block, from the first stage's log-odds ``z`` in document
    order; ``boxes`` (one row per block) tells which blocks share a container: those whose rows
    are equal. Without it every block is its own container.

    Hand-made context features (features.CONTEXT) say what the neighbours look like; these say
    what the first stage concluded about them, so the second stage can learn that a weak line
    between two confident paragraphs is the article's, and one between menus is not.

    Compiled (cleaner._native.score_context) when built; _score_context_python is the reference.
    Some thirty numpy calls per document and round cost more than the arithmetic they do."""
    z = np.clip(np.asarray(z, dtype=float), -8.0, 8.0)
    n = len(z)
    if features._native is not None and n:
        rows = None if boxes is None else np.ascontiguousarray(np.asarray(boxes, dtype=float).reshape(n, -1))
        return features._native.score_context(np.ascontiguousarray(z), float(z.mean()),
                                               np.argsort(z, kind="stable"), rows)
    return _score_context_python(z, boxes)


def _score_context_python(z, boxes=None) -> np.ndarray:
    """score_context's reference, numpy throughout."""
    z = np.clip(np.asarray(z, dtype=float), -8.0, 8.0)
    n = len(z)
    out = np.zeros((n, len(SCORE_CONTEXT)))
    if not n:
        return out
    col = SCORE_CONTEXT.index
    out[:, col("s_own")] = z
    for name, shift in (("s_prev", 1), ("s_prev2", 2)):
        out[shift:, col(name)] = z[:-shift] if shift < n else []
        out[:min(shift, n), col(name)] = -8.0
    for name, shift in (("s_next", 1), ("s_next2", 2)):
        out[:-shift or None, col(name)] = z[shift:] if shift < n else []
        out[max(n - shift, 0):, col(name)] = -8.0
    padded = np.concatenate(([0.0], np.cumsum(z)))
    index = np.arange(n)
    for name, reach in (("s_window3", 3), ("s_window10", 10)):
        lo, hi = np.maximum(index - reach, 0), np.minimum(index + reach + 1, n)
        out[:, col(name)] = (padded[hi] - padded[lo]) / (hi - lo)
    pad = np.concatenate((np.full(3, np.nan), z, np.full(3, np.nan)))
    window = np.stack([pad[k:k + n] for k in range(7)], axis=1)
    out[:, col("s_min3")] = np.nanmin(window, axis=1)
    out[:, col("s_max3")] = np.nanmax(window, axis=1)
    out[:, col("s_doc_mean")] = z.mean()
    out[:, col("s_doc_max")] = z.max()
    out[:, col("s_rank")] = (np.argsort(np.argsort(z, kind="stable"), kind="stable") / (n - 1)) if n > 1 else 1.0
    positive = (z > 0).astype(float)
    ahead = np.concatenate(([0.0], np.cumsum(positive)))
    out[:, col("s_share_before")] = np.where(index > 0, ahead[index] / np.maximum(index, 1), 0.0)
    after = n - index - 1
    out[:, col("s_share_after")] = np.where(after > 0, (ahead[n] - ahead[index + 1]) / np.maximum(after, 1), 0.0)
    if boxes is None:
        out[:, col("s_box_mean")] = out[:, col("s_box_max")] = z
    else:
        _, group = np.unique(np.asarray(boxes, dtype=float).reshape(n, -1), axis=0, return_inverse=True)
        group = group.ravel()
        out[:, col("s_box_mean")] = (np.bincount(group, weights=z) / np.bincount(group))[group]
        top = np.full(group.max() + 1, -np.inf)
        np.maximum.at(top, group, z)
        out[:, col("s_box_max")] = top[group]
    return out


class Stacked:
    """Two tree ensembles in a row: the first scores each block from its features, the second
    from its features and SCORE_CONTEXT over the first's scores (stacked generalisation; the
    training script fits the second on out-of-fold scores of the first)."""

    switch = gap = DEFAULT_SWITCH  # as Model's

    def __init__(self, first: Model, second: Model, offset: float):
        self.first, self.second, self.offset = first, second, offset

    def log_odds(self, rows) -> np.ndarray:
        X = np.asarray(rows, dtype=float)
        if X.ndim != 2 or not len(X):
            return np.zeros(len(X))
        z = self.first.log_odds(X)
        return self.second.log_odds(np.hstack([X, score_context(z, X[:, BOX_COLUMNS])])) + self.offset


class Mean:
    """Several models trained on the same pages in different ways, scored as the mean of their
    log-odds (each with its own offset, if it has one: members trained for a mean have none),
    plus the mean's own offset, its operating point.

    Each model trained on the dev pages fits its own share of their noise: two text models whose
    only difference was how much each page weighs put 30 of 468 held-out pages on different sides
    of page F1 0.5. Averaging such models (bagging's argument) keeps what they agree on; on
    held-out halves the mean of the two did better than either at equal leak (bench/RESULTS.md).
    It costs one more model's trees and score context per round."""

    switch = gap = DEFAULT_SWITCH  # as Model's

    def __init__(self, members: list, offset: float):
        self.members, self.offset = members, offset

    def log_odds(self, rows) -> np.ndarray:
        X = np.asarray(rows, dtype=float)
        if X.ndim != 2 or not len(X):
            return np.zeros(len(X))
        total = self.members[0].log_odds(X)
        for member in self.members[1:]:
            total = total + member.log_odds(X)
        return total / len(self.members) + self.offset


def tree_ensembles(model) -> list:
    """Every Model (tree ensemble) inside ``model``, in the order they are scored."""
    if isinstance(model, Mean):
        return [part for member in model.members for part in tree_ensembles(member)]
    if isinstance(model, Stacked):
        return [model.first, model.second]
    return [model]


def model_from_dict(data: dict):
    """A Model, a Stacked pair, or a Mean of such models, from its JSON form. Its ``switch`` and
    ``gap`` are the decode's costs it was chosen with (part of its operating point, like the
    offset; a file that names no gap decodes with the gap at the switch cost: every change of
    state at one cost, as models were decoded before gaps had a cost of their own)."""
    if data.get("kind") == "mean":
        members = data.get("members")
        if not isinstance(members, list) or not members:
            raise ValueError("the classifier model's mean has no members")
        model = Mean([model_from_dict(m) for m in members], float(data.get("offset", 0.0)))
    elif data.get("kind") == "stacked":
        model = Stacked(Model.from_dict(data["first"]), Model.from_dict(data["second"], STACKED_NAMES),
                        float(data.get("offset", 0.0)))
    else:
        model = Model.from_dict(data)
    model.switch = float(data.get("switch", DEFAULT_SWITCH))
    model.gap = float(data.get("gap", model.switch))
    if not model.switch >= 0:
        raise ValueError(f"the classifier model's switch cost must be >= 0, got {model.switch}")
    if not model.gap >= 0:
        raise ValueError(f"the classifier model's gap cost must be >= 0, got {model.gap}")
    return model


def load_models(path=None) -> dict:
    """{input format: Model} from a model file; a bad file is a one-line ValueError naming it."""
    path = pathlib.Path(path or MODEL_PATH)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = {fmt: model_from_dict(m) for fmt, m in data.items()}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not a classifier model: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    missing = {"text", "html"} - set(models)
    if missing:
        raise ValueError(f"{path}: no model for {', '.join(sorted(missing))} input")
    return models


class Classifier:
    """Immutable once built: the models and the thresholds of one Config."""

    def __init__(self, models: dict, config):
        self.models = models
        self.bias = config.classifier_bias
        self.switch = config.classifier_switch
        self.gap = config.classifier_gap
        self.join = config.classifier_join

    @classmethod
    def default(cls, config) -> "Classifier":
        return cls(load_models(config.classifier_model or None), config)

    @staticmethod
    def rows_for(cleaner, doc):
        """Feature rows of the blocks the rules leave in ``doc``, each line alone (used to train the
        model)."""
        p = cleaner.judge_rules(doc)
        groups, _, rows = _live_rows(doc, p)
        return rows, [doc.blocks[i] for i, in groups]

    def apply(self, doc, p) -> str | None:
        """Judge the live blocks of a Pass; returns the document's language. The language is
        detected on the blocks still live in every round, never carried over: cleaning the output
        again detects it on exactly those blocks, and must see the same stopwords to be idempotent
        (a page in three languages showed it)."""
        model = self.models["html" if doc.format == "html" else "text"]
        groups, lang, rows = _live_rows(doc, p, self.join)
        if not groups:
            return None
        odds = model.log_odds(rows).tolist()
        words = [p.nwords[g[0]] if len(g) == 1 else sum(p.nwords[i] for i in g) for g in groups]
        gains = [(z + self.bias) * (1.0 + math.log1p(n)) for z, n in zip(odds, words)]
        switch = model.switch if self.switch is None else self.switch
        # classifier_switch alone sets every change of state (the gap with it); classifier_gap the gap
        gap = self.gap if self.gap is not None else (model.gap if self.switch is None else switch)
        keep = article_path(gains, switch, gap)
        if not any(keep):
            # never empty a document the rules left text in: keep its most likely block
            keep[max(range(len(groups)), key=lambda k: gains[k])] = True
        for k, group in enumerate(groups):
            if not keep[k]:
                prob = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, odds[k]))))
                joined = f" as one paragraph with {len(group) - 1} other line(s)" if len(group) > 1 else ""
                for i in group:
                    p.drop(i, RULE_ID, f"scored {prob:.2f} by the block classifier{joined}, in a run of boilerplate")
        return lang


def _live_rows(doc, p, join: float | None = None):
    """The blocks still live in a Pass, in the groups judged together (lists of block indices),
    their language and one feature row per group. A group is one block, or on a text dump a
    paragraph of fragment_groups when at least a share ``join`` (Config.classifier_join) of the
    live lines are in such paragraphs. The language is detected on the live blocks as they are."""
    live = [i for i, a in enumerate(p.alive) if a]
    if not live:
        return [], None, []
    texts = [p.texts[i] for i in live]
    lang = detect_language(texts, p.memo.setdefault("language", {}))
    groups = fragment_groups(live, texts, p.memo.setdefault("fragments", {})) if join is not None and doc.format != "html" else None
    joined = sum(len(g) for g in groups if len(g) > 1) if groups is not None else 0
    if joined and joined >= join * len(live):
        blocks = [doc.blocks[g[0]] if len(g) == 1 else _paragraph(doc, p, g) for g in groups]
        texts = [p.texts[g[0]] if len(g) == 1 else b.text for g, b in zip(groups, blocks)]
    else:
        groups = [[i] for i in live]
        blocks = [doc.blocks[i] for i in live]
    return groups, lang, document_features(blocks, texts, lang, memo=p.memo.setdefault("features", {}),
                                           word_keys=p.keys)


# Scrapers that write a text node per line break a paragraph at every link, bold word or span:
# "Node.js 16 reached End of Life" / "(EOL) on September 11" / ", 2023." The pieces are short and
# rarely end a sentence, so judged one by one they read as menu lines. On such a dump (see
# Config.classifier_join) the live lines are judged in paragraphs: a line that does not end a
# sentence is continued by the next when that one starts in lower case or with punctuation that
# cannot open a sentence, or when the line itself ends with a comma, an opening bracket or quote,
# or a joining sign. Capitals and stopwords are no sign: menus break the same way ("Book now" /
# "Hawaiian Adventure", "Things to do" / "Restaurants"), and with them the joins took menu lines
# into articles. The model reads a paragraph as it reads any block (trained on lines, it did
# better on held-out pages than trained on these paragraphs: bench/RESULTS.md). The lines stay
# lines in the output; only the verdict is shared.
_SENTENCE_END = frozenset(".!?\u2026:;\u3002\uff01\uff1f\u0964")
_GOES_ON = frozenset(",.;:!?)]\u00bb\u201d\u2019%")  # a line may start with these, or in lower case
_LEFT_OPEN = frozenset(",([\u00ab\u201c\u2018&+/-\u2013\u2014")


def fragment_groups(indices, texts, memo: dict | None = None) -> list[list[int]]:
    """``indices`` (of consecutive live lines, with their ``texts``) grouped into paragraphs: see
    the comment above. A function of the texts alone, so the output, read again, groups the same.
    ``memo`` (one document's, kept from round to round) holds what each text says about its ends,
    which the next round asks again of nearly every line."""
    groups: list[list[int]] = []
    memo = {} if memo is None else memo
    left_open = ends = False  # of the line before; there is none before the first
    for i, text in zip(indices, texts):
        ask = memo.get(text)
        if ask is None:
            ask = memo[text] = (goes_on(text), ends_sentence(text), bool(text) and text[-1] in _LEFT_OPEN)
        if groups and (left_open or ask[0]) and not ends:
            groups[-1].append(i)
        else:
            groups.append([i])
        # an empty line continues nothing (as if there were no line before the next)
        left_open, ends = (ask[2], ask[1]) if text else (False, True)
    return groups


def goes_on(text: str) -> bool:
    """Whether ``text`` starts as a sentence's continuation: in lower case (Unicode's Ll) or with
    punctuation that cannot open a sentence."""
    return bool(text) and (text[0] in _GOES_ON or unicodedata.category(text[0]) == "Ll")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with a sentence's end, closing quotes and brackets after it aside."""
    k = len(text) - 1
    while k >= 0 and (text[k] in "\"'" or unicodedata.category(text[k]) in ("Pf", "Pe")):
        k -= 1
    return k >= 0 and text[k] in _SENTENCE_END


def _paragraph(doc, p, group) -> Block:
    """The lines of a group as one block (the first line's number), for its features."""
    return Block(" ".join(p.texts[i] for i in group), doc.blocks[group[0]].line)


def article_path(gains, switch: float, gap: float) -> list[bool]:
    """See _article_path_python, the reference; compiled when cleaner._native is built."""
    if features._native is not None:
        return features._native.article_path(list(gains), float(switch), float(gap))
    return _article_path_python(gains, switch, gap)


def _article_path_python(gains, switch: float, gap: float) -> list[bool]:
    """The content/boilerplate labelling that maximises the sum of ``gains`` over content blocks
    minus ``switch`` for entering the article and for leaving it for good, and minus ``gap`` for
    each switch into and out of a run of boilerplate inside it (Viterbi over four states: before
    the article, in it, in a gap of it, after it). With ``gap`` equal to ``switch`` this is the
    plain two-state path, every change of state at one cost.

    Pages gather their frame at the head and the tail and break their articles with short runs
    of it (a caption, a "read also" line, an ad), and the two are not alike: leaving the article
    for good is a claim about all that follows, skipping a run inside it is not. A gap cheaper
    than the switch lets a run of low-scoring lines between two stretches of article go while
    the article's ends stay as dear: on held-out halves of the dev set, HTML pages failed less
    often at the same F1 and leak with it; text dumps did not gain (bench/RESULTS.md).

    The path starts before the article: a scraped page opens with its site's frame, so the
    article pays a switch to begin, and a short low-scoring line at the head (an image's alt text,
    a menu label) goes for free. It may end in the article or after it, never in a gap: a closing
    credit line is as often part of the article as of the footer. Ties go to staying, then to
    the state listed first (boilerplate before content at the end)."""
    if not gains:
        return []
    lost = -math.inf
    before, inside, gapped, after = 0.0, gains[0] - switch, lost, lost
    back = []
    for g in gains[1:]:
        # each state's best predecessor: itself unless another is strictly better
        into, came = inside, 1
        if before - switch > into:
            into, came = before - switch, 0
        if gapped - gap > into:
            into, came = gapped - gap, 2
        gap_total, gap_came = gapped, 2
        if inside - gap > gap_total:
            gap_total, gap_came = inside - gap, 1
        end_total, end_came = after, 3
        if inside - switch > end_total:
            end_total, end_came = inside - switch, 1
        back.append((0, came, gap_came, end_came))
        inside, gapped, after = into + g, gap_total, end_total  # before stays 0: it gains nothing
    state, best = (3, after) if after > before else (0, before)
    if inside > best:
        state = 1
    path = [state]
    for b in reversed(back):
        state = b[state]
        path.append(state)
    return [s == 1 for s in reversed(path)]
