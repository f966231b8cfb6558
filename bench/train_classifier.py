"""Train the block classifier on ../shared/bench/dev and write cleaner/models/classifier.json.

usage: python bench/train_classifier.py [--bench ../shared/bench] [--cv] [--state-rounds N] [--stack yes|no]
       [--variants NAMES|none]

Each page is read the way cleaner reads it (text dump, or HTML), the catalogue rules run first, and
every block the rules leave gets a label: the share of its 4-token shingles (for short blocks, its
folded text) found in the page's gold main_content. Gradient-boosted trees (scikit-learn's
HistGradientBoostingClassifier) over the features of cleaner/features.py learn which blocks are
article text. A block weighs by its share of its page's words: the benchmark metric averages
precision and recall over pages, so a short page counts as much as a long one, and within a page
long blocks carry more shingles. The text model is the mean of two models (MEMBERS), the second
trained with pages that are mostly frame weighing less (page_weights), so it takes twice as long
to train as one (a pair of held-out halves, side by side on two cores: about 27 minutes per
member). The trees are small (four or five levels, many samples per leaf: TREES) because deeper
ones did better in-sample and worse on held-out pages. Nothing of the benchmark is copied into
the project: only the trees' split thresholds and leaf values are written.

--cv trains on even page ids and scores on odd ones and the other way round, to show how the model
does on pages it has not seen; the shipped model is trained on all pages.

--out FILE writes the model elsewhere (e.g. a model trained on your own pages, for the
``classifier_model`` setting); --pages even|odd trains on half of the pages (bench/quality.py
uses this for its held-out rows).

--state-rounds N refits the model N times on the pages as the engine leaves them after each of its
rounds (engine_states); the default is STATE_ROUNDS for each format (4 for text, 0 for HTML: see
bench/RESULTS.md).

--stack yes|no fits two stages, the second over the first's scores of each block's neighbours
(fit_stacked); the default is STACK for each format (both).

--variants split-inline,blank-lines|none adds the pages re-dumped as other scrapers write them
(with_variants); the default is VARIANTS for each format (split-inline for text).

Needs scikit-learn (the ``bench`` extra).
"""
from __future__ import annotations

import argparse
import difflib
import gzip
import json
import math
import random
import pathlib
import re
import sys
import zlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cleaner import Cleaner, Config  # noqa: E402
from cleaner.classifier import Classifier  # noqa: E402
from cleaner.features import NAMES, detect_language, document_features  # noqa: E402
from quality import REDUMPS, variant_dump  # noqa: E402


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


# How much the article-only copy of a page weighs against the page itself (see examples()).
# Chosen on held-out halves: more makes the model keep stray lines in clean-looking pages, less
# lets it peel clean articles.
PURE_COPY_WEIGHT = 0.1


def page_input(fmt: str, pid, text, html):
    """The page as cleaner reads it in ``fmt`` (the text dump, or the decoded HTML); None if absent."""
    if fmt != "html":
        return text
    if html is None:
        return None
    from cleaner.io import decode

    return decode(html, pid)


def examples(pages, fmt: str, clean_copies: bool = True, beta: float = 0.0):
    """Feature rows, labels and weights for every block the rules leave, page by page.

    With ``clean_copies``, each page also yields two cleaner copies: its article blocks alone, and
    its article blocks with a random quarter of its boilerplate blocks left (seeded by the page
    id), as pages look once all or most of their boilerplate is gone. The engine runs the
    classifier until nothing more goes (and cleaning twice must change nothing), so the model
    judges such pages too; trained only on raw pages it learns "the first block is navigation" and
    "a page of prose alone is odd", and peels a clean article paragraph by paragraph. ``beta``: see
    page_weights."""
    rules_only = Cleaner(Config(classifier=False))
    out = []
    for pid, gold, text, html in pages:
        data = page_input(fmt, pid, text, html)
        if data is None:
            continue
        doc = rules_only.read(data, pid, fmt)
        rows, blocks = Classifier.rows_for(rules_only, doc)
        labels = label_blocks([b.text for b in blocks], gold["main_content"])
        out.append(example(pid, rows, labels, [len(b.text.split()) for b in blocks], beta=beta))
        rng = random.Random(pid)
        for left, weight in ((0.0, PURE_COPY_WEIGHT), (0.25, 1.0)) if clean_copies else ():
            kept = [label > 0.5 or rng.random() < left for label in labels]
            copy = [b for b, k in zip(blocks, kept) if k]
            if not copy:
                continue
            texts = [b.text for b in copy]
            rows_copy = document_features(copy, texts, detect_language(texts))
            out.append(example(pid, rows_copy, label_blocks(texts, gold["main_content"]),
                               [len(t.split()) for t in texts], weight, beta))
    return out


# Per input format, all chosen on held-out halves of the dev set (bench/RESULTS.md, "Reading
# these numbers") with the decode's switch cost at 4: whether the model has two stages (fit_stacked),
# the rounds of training on the states the engine itself visits (see engine_states), and the
# model's operating point, an offset added to every block's log-odds (negative removes more).
# Text: two stages and four state rounds, trained with the split-inline re-dumps (VARIANTS), for
# each of its MEMBERS, and their mean at offset -0.55 (see MEMBERS). On held-out halves (two
# splits, retrained) two stages were ahead of one on F1 and failures; at -0.40 they were also
# under one stage's leak at its -0.35 (see bench/RESULTS.md). At -0.35 two stages kept more
# boilerplate; earlier catalogues lost the seed articles' checked outputs with two stages,
# today's keeps them. HTML: two stages, no state rounds (trained on its
# own states it kept far more boilerplate on held-out pages).
STATE_ROUNDS = {"text": 4, "html": 0}
OFFSET = {"text": -0.55, "html": -0.3}
STACK = {"text": True, "html": True}
# The decode's switch cost each finished model is used with (written into the model, like its
# offset; the text model's state rounds visit its pages at 4 as well). HTML at 2: on both held-out
# splits, more F1, less leak and fewer failed pages than at 4 (bench/RESULTS.md). Text stays at 4:
# at 2 it moved along its frontier (F1 and leak up together).
SWITCH = {"text": 4.0, "html": 2.0}
# The decode's cost of a gap inside the article (cleaner.classifier.article_path), chosen for the
# finished models on held-out halves like the offset (bench/RESULTS.md); the state rounds visit
# the pages with every change of state at 4, as before gaps had a cost of their own. HTML at 1:
# on held-out halves about as much F1 at the same leak as at 2, and about a page in a hundred
# fewer failed. Text at its switch cost: a cheaper gap did better on the pages the model was
# trained on but not on held-out halves (level at the shipped leak).
GAP = {"text": 4.0, "html": 1.0}
# Text dumps as other scrapers write them, added to each format's training pages (bench/quality.py's
# variant_dump; the same page id, so a page and its re-dump fall in one fold). A scraper that breaks
# the line at every link and bold word writes a paragraph as a run of fragments, which a model
# trained on one-paragraph-per-line dumps alone takes for menu lines. The blank-line re-dump stays
# out, as a scraper style the model never sees (bench/quality.py scores both).
VARIANTS = {"text": ("split-inline",), "html": ()}


def with_variants(pages, fmt: str, variants=None):
    """The pages, followed by their re-dumps in each of the format's VARIANTS (or ``variants``)."""
    extra = []
    for name in VARIANTS[fmt] if variants is None else variants:
        split, blank = REDUMPS[name]
        extra += [(pid, gold, variant_dump(html, split, blank), None)
                  for pid, gold, _, html in pages if html is not None]
    return pages + extra


def engine_states(pages, fmt: str, model: dict, beta: float = 0.0):
    """Feature rows, labels and weights of the pages as the engine leaves them after each round.

    The engine runs the classifier until it removes nothing, so after the first round the model
    judges pages it has already thinned. A model trained only on whole pages (and idealised clean
    copies) keeps finding a new "edge" in what is left and peels on, round after round. Training
    again on the states a model actually visits, labelled by the gold as the whole page was, and
    adding them to the data (dataset aggregation, as in imitation learning), teaches it to leave
    what it kept alone: fewer rounds, and fewer article paragraphs lost to peeling."""
    from cleaner.classifier import _live_rows, model_from_dict

    # the model learns every line alone (Config.classifier_join joins a broken paragraph's lines
    # only when cleaning: trained on such paragraphs it did worse on held-out pages)
    engine = Cleaner(Config(classifier=False, classifier_join=math.inf))
    scorer = model_from_dict(model)
    engine._classifier = Classifier({"text": scorer, "html": scorer}, engine.config)
    out = []
    for pid, gold, text, html in pages:
        data = page_input(fmt, pid, text, html)
        if data is None:
            continue
        doc = engine.read(data, pid, fmt)
        p = engine.judge_rules(doc)
        live = [i for i, a in enumerate(p.alive) if a]
        labels = dict(zip(live, label_blocks([p.texts[i] for i in live], gold["main_content"])))

        def record(p, doc=doc, labels=labels, pid=pid):
            groups, _, rows = _live_rows(doc, p)
            now = [i for i, in groups]  # one line each: see above
            if now:
                out.append(example(pid, rows, [labels.get(i, 0.0) for i in now], [p.nwords[i] for i in now],
                                   beta=beta))

        engine.settle(doc, p, after_round=record)
    return out


# The members of each format's model, by the exponent of page_weights each is trained with; more
# than one makes a mean (cleaner.classifier.Mean). Text: the page weights of every earlier run (0)
# and weights in proportion to the share of the page's dump that is article (1). Chosen on held-out
# halves (bench/RESULTS.md): with the share to the power 0.5 a single model moved along the 0
# model's F1 / leak frontier (30 of the 468 pages on the other side of page F1 0.5 one way or the
# other), to the power 1 it was a little ahead; the mean with the 0 model was ahead of its members
# at every leak measured. On even / odd ids the mean with 1 was ahead of the mean with 0.5 on F1,
# leak and failed pages at once, and on the CRC32 split it had more F1 at every offset for the same
# leak or less (equal weights: leaning either member's way moved along the frontier). The text
# OFFSET is the mean's, its best F1 on even / odd at no more leak than the model before. A member
# with the share to the power 2 (in place of either member, or as a third) was read on both splits
# too: its gains on one split were no larger than the splits' disagreement (RESULTS.md).
MEMBERS = {"text": (0.0, 1.0), "html": (0.0,)}


def train(pages, fmt: str, state_rounds: int | None = None, stack: bool | None = None, variants=None) -> dict:
    """The model for one input format: each of its MEMBERS, fitted on the pages,
    their re-dumps (VARIANTS) and their clean copies, then refitted ``state_rounds`` times with
    the states the latest fit visits added; then the model gets its operating point (OFFSET and
    SWITCH and GAP). The states are visited at offset 0 and switch cost 4: the operating point is
    chosen for the finished model."""
    stack = STACK[fmt] if stack is None else stack
    pages = with_variants(pages, fmt, variants)
    fitted = []
    for beta in MEMBERS[fmt]:
        data = examples(pages, fmt, beta=beta)
        model = fit_model(data, stack, TREES[fmt])
        for _ in range(STATE_ROUNDS[fmt] if state_rounds is None else state_rounds):
            data = data + engine_states(pages, fmt, model, beta)
            model = fit_model(data, stack, TREES[fmt])
        fitted.append(model)
    if len(fitted) == 1:
        return {**fitted[0], "offset": OFFSET[fmt], "switch": SWITCH[fmt], "gap": GAP[fmt]}
    return {"kind": "mean", "members": fitted, "offset": OFFSET[fmt], "switch": SWITCH[fmt], "gap": GAP[fmt]}


def example(pid, rows, labels, words, weight: float = 1.0, beta: float = 0.0):
    """One page's training example: (page id, feature matrix, labels, block weights)."""
    labels = np.array(labels, dtype=float)
    return (pid, np.array(rows, dtype=float).reshape(-1, len(NAMES)), labels,
            weight * page_weights(np.array(words, dtype=float), labels, beta))


def page_weights(words, labels, beta: float = 0.0):
    """Block weights of one page: its blocks share 100 by their words (the metric averages over
    pages, so every page counts the same). With ``beta`` > 0 that page total is multiplied by the
    share of the page's words that are article text (``labels``), to the power ``beta`` (the share
    taken as at least 5%): pages that are mostly frame weigh less."""
    total = words.sum() + len(words)
    weights = 100.0 * (words + 1.0) / total
    if beta and len(labels):
        weights = weights * max(((words + 1.0) * labels).sum() / total, 0.05) ** beta
    return weights


# The trees' size per format, chosen on held-out halves of the dev set, two splits (bench/RESULTS.md,
# "Reading these numbers"). HTML pages carry more features to split on (tags, depth, link density):
# one level deeper with three times the samples per leaf did better on F1 and failures on both
# splits' held-out halves, and on leak in their mean; for text dumps deeper trees did no better.
TREES = {
    "text": dict(max_iter=150, max_depth=4, min_samples_leaf=50, learning_rate=0.1, l2_regularization=1.0),
    "html": dict(max_iter=150, max_depth=5, min_samples_leaf=150, learning_rate=0.1, l2_regularization=1.0),
}


def fit_model(data, stack: bool, trees: dict) -> dict:
    return fit_stacked(data, trees) if stack else fit(data, trees)


# Folds of pages for the first stage's out-of-fold scores (see fit_stacked).
STACK_FOLDS = 3


def fit_stacked(data, trees: dict) -> dict:
    """Two stages (cleaner.classifier.Stacked): the first fitted on all the data; the second on
    the features plus the context of the first stage's scores. Those scores come from models
    that never saw the page (STACK_FOLDS folds of pages, a page's copies and states in one fold):
    scored in-sample, the first stage would look surer than it is on new pages, and the second
    would learn to trust it too much."""
    from cleaner.classifier import BOX_COLUMNS, STACKED_NAMES, model_from_dict, score_context

    first = fit(data, trees)
    fold = [zlib.crc32(d[0].encode()) % STACK_FOLDS for d in data]
    scores = [None] * len(data)
    for k in range(STACK_FOLDS):
        scorer = model_from_dict(fit([d for d, f in zip(data, fold) if f != k], trees))
        for j, d in enumerate(data):
            if fold[j] == k:
                scores[j] = scorer.log_odds(d[1])
    stacked = [(pid, np.hstack([X, score_context(z, X[:, BOX_COLUMNS])]), y, w) for (pid, X, y, w), z in zip(data, scores)]
    return {"kind": "stacked", "first": first, "second": fit(stacked, trees, STACKED_NAMES)}


def fit(data, trees: dict, names=NAMES):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X = np.vstack([d[1] for d in data])
    y = np.concatenate([d[2] for d in data]) > 0.5
    w = np.concatenate([d[3] for d in data])
    model = HistGradientBoostingClassifier(random_state=0, **trees).fit(X, y, sample_weight=w)
    exported = export(model, names)
    # the shipped arrays must score exactly as scikit-learn does
    sample = X[:: max(1, len(X) // 5000)]
    if not np.allclose(log_odds(exported, sample, names), model.decision_function(sample), atol=1e-6):
        raise SystemExit("exported trees disagree with scikit-learn's predictions")
    return exported


def export(model, names=NAMES) -> dict:
    """The fitted ensemble as the JSON cleaner.classifier.Model reads."""
    trees, depth = [], 0
    for (predictor,) in model._predictors:  # one tree per boosting round (binary task)
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        depth = max(depth, int(nodes["depth"].max()))
        trees.append({
            "feature": np.where(leaf, -1, nodes["feature_idx"]).astype(int).tolist(),
            "threshold": nodes["num_threshold"].tolist(),  # exact: data values can sit on a threshold
            "left": nodes["left"].astype(int).tolist(),
            "right": nodes["right"].astype(int).tolist(),
            "value": nodes["value"].tolist(),
        })
    base = float(np.ravel(model._baseline_prediction)[0])
    return {"kind": "trees", "names": list(names), "base": base, "depth": depth, "trees": trees}


def log_odds(model: dict, X, names=NAMES):
    from cleaner.classifier import Model

    return Model.from_dict(model, names).log_odds(X)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--formats", default="text,html")
    ap.add_argument("--pages", choices=("all", "even", "odd"), default="all")
    ap.add_argument("--out", default=str(ROOT / "cleaner" / "models" / "classifier.json"))
    ap.add_argument("--state-rounds", type=int, default=None, help="default: STATE_ROUNDS per format")
    ap.add_argument("--stack", choices=("yes", "no"), default=None, help="default: STACK per format")
    ap.add_argument("--variants", default=None,
                    help=f"re-dumps to train on too, comma-separated ({', '.join(REDUMPS)}) or 'none'; "
                         "default: VARIANTS per format")
    args = ap.parse_args()
    variants = None
    if args.variants is not None:
        variants = tuple(v for v in args.variants.split(",") if v not in ("", "none"))
        unknown = [v for v in variants if v not in REDUMPS]
        if unknown:
            ap.error(f"--variants: unknown re-dump {', '.join(unknown)} (known: {', '.join(REDUMPS)})")
    pages = load_pages(pathlib.Path(args.bench))
    if not pages:
        ap.error(f"--bench {args.bench}: no gold pages under dev/gold (the benchmark's folder)")
    if args.pages != "all":
        pages = [p for p in pages if int(p[0]) % 2 == (args.pages == "odd")]
    models = {}
    for fmt in args.formats.split(","):
        stack = STACK[fmt] if args.stack is None else args.stack == "yes"
        models[fmt] = train(pages, fmt, args.state_rounds, stack, variants)
        if args.cv:
            from cleaner.classifier import model_from_dict

            data = examples(with_variants(pages, fmt, variants), fmt)
            for part in (0, 1):
                fitted_on = [d for d in data if int(d[0]) % 2 != part]
                test = [d for d in data if int(d[0]) % 2 == part]
                m = model_from_dict(fit_model(fitted_on, stack, TREES[fmt]))
                # one page at a time: a two-stage model reads each page's blocks in order
                right = np.concatenate([(m.log_odds(d[1]) > 0) == (d[2] > 0.5) for d in test])
                print(f"{fmt}: held-out half {part}: block accuracy {right.mean():.3f}")
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    models = {**current, **models}
    out.write_text(json.dumps(models, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
