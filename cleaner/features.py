"""Block features for the classifier: what a block looks like, and where it stands.

Each block becomes a vector of numbers that needs no page-specific knowledge: its length and how
much it reads like a sentence (terminal punctuation, stopwords of the document's language), its
share of capitalised words, digits, symbols and link-like tokens, whether it repeats, where it
stands in the document, and what its neighbours look like. Article text is a contiguous run of
prose with short headings inside it; boilerplate gathers at the head and the tail and in short runs
between, so the context features matter as much as the block's own.

The feature order is part of the shipped model (models/classifier.json lists the names); change
it only together with a retrained model.
"""
from __future__ import annotations

import difflib
import functools
import importlib
import math
import os
import re
from operator import itemgetter

import numpy as np
import regex

_TOKEN = regex.compile(r"\w+")
_SENT_END = regex.compile(r"[.!?…](?:[\"'”»)\]]*)\s+[\p{Lu}\"“«(]")
_URLISH = regex.compile(r"https?://|www\.|@\w|\.(?:com|org|net|fr|de|io)\b|#\w")
_SEPARATORS = regex.compile(r"(?:^|\s)[|•·/»›>–—-](?:\s|$)")
_LIST = regex.compile(r"^(?:[•·▪◦●■►▸‣○*+\-–—]|\d{1,3}[.)])\s")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
_TERMINAL = frozenset(".!?…\"”»)'’")

BASE = (
    "log_words", "ends_terminal", "ends_colon", "stop_ratio", "cap_ratio", "digit_ratio",
    "punct_ratio", "log_sentences", "avg_word_len", "list_item", "urlish", "separators",
    "all_caps", "starts_lower", "repeated", "tiny", "comma_ratio",
)
CONTEXT = (
    "rel_pos", "rel_words_before", "prev_log_words", "prev_terminal", "prev_stop",
    "next_log_words", "next_terminal", "next_stop", "window_log_words", "window_terminal",
    "log_dist_prose", "in_prose_envelope", "doc_prose_share",
)
HTML = (
    "is_html", "link_density", "tag_p", "tag_heading", "tag_li", "tag_cell", "tag_other",
    "in_list", "boiler_hint", "content_hint", "in_main", "hidden",
)
# HTML: what the block's parent element (box) holds, and the share of the page's prose its
# grandparent holds (html._mark_boxes).
BOX = ("box_link_density", "box_log_words", "box_prose", "box_blocks", "up_prose_share", "depth")
HTML = HTML + BOX
NAMES = BASE + CONTEXT + HTML


@functools.lru_cache(maxsize=64)
def stopwords(lang: str | None) -> frozenset:
    """The stopword list of a language from the stop-words package (empty if it has none)."""
    if not lang:
        return frozenset()
    try:
        from stop_words import safe_get_stop_words
    except ImportError:  # pragma: no cover - declared dependency
        return frozenset()
    return frozenset(w.casefold() for w in safe_get_stop_words(lang))


def preload() -> None:
    """Loads now what the first document would otherwise load: py3langid's identifier and the
    character table. For a process about to fork workers, which then share them."""
    _language_identifier(_native is not None)
    if _native is not None:
        char_table()


def detect_language(texts, memo: dict | None = None) -> str | None:
    """ISO 639-1 code of the document's language, from its longest blocks (py3langid's own model).

    ``memo`` (one document's) keeps the answer per sample: the classifier's later rounds mostly
    leave the longest blocks in place and ask again about the same sample."""
    sample = " ".join(sorted(texts, key=len, reverse=True)[:8])[:3000]
    if len(sample) < 20:
        return None
    if memo is not None and sample in memo:
        return memo[sample]
    identifier = _language_identifier(_native is not None)
    label = getattr(identifier, "label", None)
    lang = label(sample) if label is not None else identifier.classify(sample)[0]
    if memo is not None:
        memo[sample] = lang
    return lang


@functools.lru_cache(maxsize=2)
def _language_identifier(compiled: bool):
    """py3langid's identifier, with its byte automaton walked in compiled code (_native.dfa_counts)
    when ``compiled`` (cleaner._native is built) and py3langid's internals are the ones this was written for
    (checked on a probe text: the same raw scores to the bit, the same answer); else py3langid's
    own. The walk was a third of the classifier's time on a text document."""
    from .langmodel import load_identifier

    plain = load_identifier()  # py3langid's model, read from cleaner's cache when it can be
    if not compiled or _native is None:
        return plain
    try:
        fast = _compiled_walk(plain)
        probe = "Ceci est une phrase. This is a sentence, ok? 1234 Ünïcödé — Ελληνικά 日本語"
        same = fast._raw_score(fast._encode(probe)).tobytes() == plain._raw_score(plain._encode(probe)).tobytes()
        answer = plain.classify(probe)
        same = same and fast.classify(probe) == answer and fast.label(probe) == answer[0]
    except Exception:  # noqa: BLE001 - another py3langid layout: its own walk is always right
        return plain
    return fast if same else plain


def _compiled_walk(plain):
    """A copy of py3langid's identifier ``plain`` (sharing its model arrays) whose raw scores come
    from the compiled walk; everything else (encoding, the model's sum, the alias columns, the
    argmax) stays py3langid's own. Its ``label`` gives classify's answer from compiled sums."""

    class CompiledWalk(type(plain)):
        __slots__ = ("_walk", "_sums")

        def _raw_score(self, text):
            visits = _native.dfa_counts(text, *self._walk)
            if not visits:
                return super()._raw_score(text)
            return self._sparse_score(visits, self.nb_ptc)

        def label(self, text):
            """The language classify(text) names. py3langid's sum over the features (a numpy
            product of a float16 table, 0.35 ms for a 3,000-character sample) is done by
            _native.dfa_sums with the walk, in double; its answer is taken when no rounding of
            either sum can change which language is ahead (_certain_best), else classify decides."""
            if self._sums is not None:
                data = self._encode(text)
                sums, distinct = _native.dfa_sums(data, *self._walk, *self._sums)
                if distinct:
                    best = _certain_best(sums, distinct, self.nb_pc, self._alias_pairs)
                    if best is not None:
                        return self.nb_classes[best]
            return self.classify(text)[0]

    fast = object.__new__(CompiledWalk)
    for cls in type(plain).__mro__:  # py3langid's identifier keeps its state in slots
        for name in getattr(cls, "__slots__", ()):
            if hasattr(plain, name):
                setattr(fast, name, getattr(plain, name))
    if hasattr(plain, "__dict__"):
        fast.__dict__.update(vars(plain))
    fast._walk = (np.frombuffer(plain.tk_nextmove, dtype=np.uint32),
                  np.asarray(plain._rowbase, dtype=np.intp),
                  np.asarray(plain.tk_output, dtype=np.intp),
                  np.zeros(int(max(plain.tk_output)) + 1, dtype=np.intp))  # dfa_counts' scratch
    table = plain.nb_ptc
    fast._sums = None
    # compiled sums only for the model this was written for: a float16 table, raw scores (no
    # probabilities, no confidence threshold), every entry finite and negative (log-probabilities)
    if (getattr(table, "dtype", None) == np.float16 and table.ndim == 2 and table.flags.c_contiguous
            and table.shape[0] >= len(fast._walk[3]) and not plain._norm_probs and plain.min_confidence is None
            and len(plain.nb_pc) == table.shape[1] and _finite_negative(table)):
        half = np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float32)
        fast._sums = (table.view(np.uint16), half)
    return fast


def _finite_negative(table) -> bool:
    """Whether every entry of a float16 array is finite and below zero, read from its bits: a
    float16 is negative and finite exactly when its bits, as an unsigned number, lie strictly
    between 0x8000 (minus zero) and 0xFC00 (minus infinity; above it, NaNs). Two integer
    reductions instead of float16 ones, which numpy emulates: 3 ms instead of 85 ms on py3langid's
    table, paid by every process at its first page."""
    bits = table.view(np.uint16)
    return bits.size == 0 or (int(bits.min()) > 0x8000 and int(bits.max()) < 0xFC00)


def _certain_best(sums, distinct: int, prior, alias_pairs):
    """The column py3langid's classify would pick from these sums (an alias column folded into
    its first as py3langid folds raw scores: the larger of the two), or None when it might pick
    another.

    py3langid's score of a language is a float32 sum of ``distinct`` products of float32 weights
    and float16 log-probabilities, in an order numpy's matrix product chooses, plus the float32
    prior; whatever the order, its rounding error is at most (distinct + 2) float32 units
    (2**-24) of the sum of the terms' magnitudes and the prior's (the terms all have one sign, so
    that is |sums|). The weights here may differ from numpy's float32 log1p by a unit each.
    ``tolerance`` is twice that bound for each of two languages; a lead above it cannot be
    overturned."""
    scores = sums + np.asarray(prior, dtype=np.float64)
    for i, j in alias_pairs:
        scores[i] = max(scores[i], scores[j])
        scores[j] = -np.inf
    best = int(scores.argmax())
    lead = scores[best]
    scores[best] = -np.inf
    magnitude = float(np.abs(sums).max()) + float(np.abs(np.asarray(prior, dtype=np.float64)).max())
    tolerance = (distinct + 8) * 2.0 ** -22 * magnitude
    return best if lead - float(scores.max()) > tolerance else None


def _dfa_counts_python(data: bytes, nextmove, rowbase, output) -> dict:
    """The reference of _native.dfa_counts: the features py3langid's automaton emits over the
    bytes, counted, keys in the order of first emission (as its own walk gives them)."""
    state, counts = 0, {}
    for byte in data:
        state = nextmove[rowbase[state] + byte]
        f = output[state]
        if f >= 0:
            counts[f] = counts.get(f, 0) + 1
    return counts


# Ratios of a long block are measured on its first characters: a 50 MB line is no different.
SAMPLE = 4000


REPEATED = BASE.index("repeated")
_FIRST = itemgetter(0)  # a token's first character (tokens are never empty)


def _base_python(text: str, stops: frozenset) -> list[float]:
    """The features of a block on its own (``repeated`` is set by document_features). The
    reference for the compiled twin, cleaner._native.base."""
    full = text
    if len(text) > SAMPLE:
        text = text[:SAMPLE]
    toks = _TOKEN.findall(text)
    n = len(toks) or 1
    chars = len(text) or 1
    # counted by what a substitution removes: C speed, where a loop over characters is not
    letters = (chars - len(_LETTERS.sub("", text))) or 1
    digits = chars - len(_DIGITS.sub("", text))
    spaces = text.count(" ")
    punct = chars - letters - digits - spaces
    # map() over C methods: these three counts were 40% of the time spent here as generators
    caps = sum(map(str.isupper, map(_FIRST, toks)))
    stop = sum(map(stops.__contains__, map(str.casefold, toks))) if stops else 0
    last = full[-1]
    return [
        math.log1p(len(toks) if len(full) == len(text) else len(full.split())),
        1.0 if last in _TERMINAL else 0.0,
        1.0 if last == ":" else 0.0,
        stop / n,
        caps / n,
        digits / chars,
        max(punct, 0) / chars,
        math.log1p(len(_SENT_END.findall(text)) * len(full) / len(text) + (1 if last in ".!?…" else 0)),
        min(sum(map(len, toks)) / n, 15) / 10,
        1.0 if _LIST.match(text) else 0.0,
        1.0 if _URLISH.search(text) else 0.0,
        min(len(_SEPARATORS.findall(text)), 5) / 5,
        1.0 if text.isupper() and letters > 3 else 0.0,
        1.0 if text[:1].islower() else 0.0,
        0.0,
        1.0 if len(toks) <= 3 else 0.0,
        text.count(",") / n,
    ]


def _word_key_python(text: str) -> str:
    """What two blocks share when one repeats the other: their words, case folded."""
    return " ".join(_TOKEN.findall(text.casefold()))


def _char_classes():
    return ((1, regex.compile(r"\w+")), (2, regex.compile(r"\s+")), (4, regex.compile(r"\p{Lu}+")),
            (8, regex.compile(r"\d+")), (16, _LETTERS), (32, _DIGITS))


def _build_char_table() -> bytes:
    everything = np.arange(0x110000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    table = np.zeros(0x110000, dtype=np.uint8)
    for bit, pattern in _char_classes():
        for m in pattern.finditer(everything):
            table[m.start():m.end()] |= bit
    return table.tobytes()


@functools.lru_cache(maxsize=1)
def char_table() -> bytes:
    """For every code point, which character classes of the patterns above it belongs to, as
    bits (cleaner/_native.pyx reads them with the same numbers). Each bit is the answer of the
    regex engine the pure-Python features use, asked once about every code point, so the
    compiled features cannot drift from them on any character. Asking takes 0.1 s, so the table
    is kept in cleaner's cache (cache.py) under a name that digests everything the answers
    depend on: the patterns and their flags, the regex module's version (its Unicode tables),
    Python's version and its Unicode database (the re module's)."""
    import sys
    import unicodedata

    from .cache import cached_blob, key_digest

    key = key_digest([(bit, p.pattern, int(p.flags), type(p).__module__) for bit, p in _char_classes()],
                     regex.__version__, sys.version, unicodedata.unidata_version)
    table = cached_blob(f"chartable-{key}.bin", _build_char_table)
    return table if len(table) == 0x110000 else _build_char_table()


def compiled_module(name: str):
    """cleaner's compiled module ``name`` (``_native``, ``_htmlwalk``), or None: not built (no C
    compiler where cleaner was installed), or CLEANER_PURE_PYTHON set to a non-empty value (to
    compare, or to rule it out); the callers then run their pure-Python references."""
    if os.environ.get("CLEANER_PURE_PYTHON"):
        return None
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ImportError:
        return None


_native = compiled_module("_native")


def _base(text: str, stops: frozenset) -> list[float]:
    if _native is not None:
        return _native.base(text, stops, SAMPLE, char_table())
    return _base_python(text, stops)


def word_key(text: str) -> str:
    """A block's words, case folded, one space apart: what a block and its repeat share."""
    if _native is not None:
        return _native.token_key(text.casefold(), char_table())
    return _word_key_python(text)


def similar(a: str, b: str, threshold: float) -> bool:
    """Whether difflib's ratio of the two strings (SequenceMatcher, no junk heuristic) reaches
    ``threshold``: the near-duplicate test of the dedup rules."""
    if _native is not None:
        return _native.ratio(a, b) >= threshold
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio is an upper bound of ratio and costs less: it settles most pairs
    return matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold


def _ratio_python(a: str, b: str) -> float:
    """The reference of _native.ratio."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _html(block) -> list[float]:
    if not block.tag:
        return [0.0] * len(HTML)
    tag = block.tag
    return [
        1.0,
        block.link_density,
        1.0 if tag == "p" else 0.0,
        1.0 if block.heading else 0.0,
        1.0 if tag in ("li", "dd", "dt") else 0.0,
        1.0 if tag in ("td", "th") else 0.0,
        1.0 if tag not in ("p", "li", "dd", "dt", "td", "th") and not block.heading else 0.0,
        1.0 if block.in_list else 0.0,
        block.boiler_hint,
        block.content_hint,
        block.in_main,
        block.hidden,
        *(block.box or _NO_BOX),
    ]


_NO_BOX = (0.0,) * len(BOX)


# A block reads like article prose when it has at least this many words and ends like a sentence.
PROSE_WORDS = 20


def prose_count(text: str, words: int) -> int:
    """``words`` when the text (of that many words) reads like article prose, else 0: the measure
    the prose context below uses."""
    return words if words >= PROSE_WORDS and text[-1] in _TERMINAL else 0


def count_prose_words(texts) -> int:
    """Words in the texts that read like article prose."""
    return sum(prose_count(text, len(text.split())) for text in texts)


# the columns of BASE the context columns read
_WORDS_COLUMN, _TERMINAL_COLUMN, _STOP_COLUMN = (
    BASE.index(name) for name in ("log_words", "ends_terminal", "stop_ratio"))


def _context(B, nwords, prose_words: int):
    """See _context_python, the reference; compiled when cleaner._native is built."""
    if _native is not None:
        return _native.context(B, nwords, prose_words, _WORDS_COLUMN, _TERMINAL_COLUMN, _STOP_COLUMN)
    return _context_python(B, nwords, prose_words)


def _context_python(B, nwords, prose_words: int):
    """The CONTEXT columns of a document's blocks, from their own features ``B`` (rows of BASE)
    and their word counts: where each block stands, what its neighbours look like, how far the
    nearest prose is. The reference for the compiled twin, cleaner._native.context."""
    n = len(nwords)
    total = sum(nwords) or 1
    prose = [i for i in range(n) if nwords[i] >= prose_words and B[i, _TERMINAL_COLUMN]]
    prose_share = sum(nwords[i] for i in prose) / total
    first_prose, last_prose = (prose[0], prose[-1]) if prose else (-1, -1)
    # distance to the nearest prose block, either side (n when there is none)
    index = np.arange(n)
    if prose:
        at = np.asarray(prose)
        k = np.searchsorted(at, index, side="right")  # prose blocks at or before i: at[:k]
        before_gap = np.where(k > 0, index - at[np.maximum(k - 1, 0)], n)
        after_k = np.searchsorted(at, index, side="left")  # first prose block at or after i
        after_gap = np.where(after_k < len(at), at[np.minimum(after_k, len(at) - 1)] - index, n)
        dist = np.minimum(before_gap, after_gap).tolist()
    else:
        dist = [n] * n
    # The context columns, all blocks at once. Sums run in the same order as a loop over the
    # blocks would add them, so the values are the same to the last bit.
    before = np.concatenate(([0], np.cumsum(nwords)[:-1])) if n else np.zeros(0)
    ctx = np.zeros((n, len(CONTEXT)))
    col = CONTEXT.index
    ctx[:, col("rel_pos")] = index / (n - 1) if n > 1 else 0.0
    ctx[:, col("rel_words_before")] = before / total
    for name, feature in (("log_words", "log_words"), ("terminal", "ends_terminal"), ("stop", "stop_ratio")):
        own = B[:, BASE.index(feature)]
        ctx[1:, col(f"prev_{name}")] = own[:-1]
        ctx[:-1, col(f"next_{name}")] = own[1:]
    lo, hi = np.maximum(index - 3, 0), np.minimum(index + 4, n)
    for name, feature in (("window_log_words", "log_words"), ("window_terminal", "ends_terminal")):
        padded = np.zeros(n + 6)
        padded[3:n + 3] = B[:, BASE.index(feature)]
        window = np.stack([padded[k:k + n] for k in range(7)], axis=1)
        # a row of seven is summed left to right (numpy sums runs under eight one by one), as
        # the loop this replaced did
        ctx[:, col(name)] = window.sum(axis=1) / (hi - lo)
    ctx[:, col("log_dist_prose")] = [math.log1p(d) for d in dist]
    if first_prose >= 0:
        ctx[first_prose:last_prose + 1, col("in_prose_envelope")] = 1.0
    ctx[:, col("doc_prose_share")] = prose_share
    return ctx


def _own_rows_python(texts, lang, stops, memo, word_keys=None):
    """Each block's own features (a matrix) and word counts; see document_features."""
    seen: dict = {}
    keys, base, nwords = [], [], []
    for t in texts:
        cached = memo.get((t, lang)) if memo is not None else None
        if cached is None:
            if len(t) > SAMPLE:
                key = t.casefold()
            else:
                key = word_keys.get(t) if word_keys is not None else None
                if key is None:
                    key = word_key(t)
                    if word_keys is not None:
                        word_keys[t] = key
            cached = (key, _base(t, stops), len(t.split()))
            if memo is not None:
                memo[(t, lang)] = cached
        keys.append(cached[0])
        base.append(cached[1][:])  # a copy: "repeated" below differs from round to round
        nwords.append(cached[2])
        seen[cached[0]] = seen.get(cached[0], 0) + 1
    for row, key in zip(base, keys):
        row[REPEATED] = 1.0 if seen[key] > 1 else 0.0
    return np.array(base, dtype=float).reshape(len(texts), len(BASE)), nwords


def document_features(blocks, texts, lang: str | None, prose_words: int = PROSE_WORDS, memo: dict | None = None,
                      word_keys: dict | None = None):
    """One feature vector per block; ``texts`` are the blocks' current texts.

    Every feature is a function of the blocks still in the document and nothing else (not of what
    was removed around them): cleaning the output again sees exactly those blocks, and must judge
    them as the last round did, or cleaning would not be idempotent.

    ``memo`` (one document's) keeps each block's own features by text and language, for the
    classifier's next round; only the context is computed again. ``word_keys`` (one document's:
    text -> word_key, as kinds.Pass keeps them for dedup) spares computing a block's repeat key
    again; a block longer than SAMPLE characters is keyed by its folded text instead, never read
    there."""
    stops = stopwords(lang)
    if _native is not None:
        B, nwords = _native.own_rows(list(texts), lang, stops, memo, word_keys, SAMPLE, char_table(), len(BASE), REPEATED)
    else:
        B, nwords = _own_rows_python(texts, lang, stops, memo, word_keys)
    ctx = _context(B, nwords, prose_words)
    html = np.zeros((len(texts), len(HTML)))
    for k, block in enumerate(blocks):
        if block.tag:
            html[k] = _html(block)
    return np.hstack([B, ctx, html])
