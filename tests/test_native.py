"""The compiled hot loops (cleaner/_native.pyx) give what their Python references give, to the bit.

The references are features._base_python, features._word_key_python, features._context_python,
features._own_rows_python, features._dfa_counts_python, features._ratio_python,
Model._log_odds_python, classifier._article_path_python and classifier._score_context_python;
the compiled twins only exist to run them without the interpreter in the loop, so any difference
is a bug in the twin."""
from __future__ import annotations

import pathlib
import shutil
import struct
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, classifier, features

native = features._native

if native is None:
    if shutil.which("cc") or shutil.which("gcc"):
        pytest.fail("cleaner._native is not built although a C compiler is here: "
                    "install with `pip install -e .` (or unset CLEANER_PURE_PYTHON)", pytrace=False)
    pytest.skip("no C compiler: cleaner runs its Python reference only", allow_module_level=True)

TABLE = features.char_table()
SEEDS = pathlib.Path(__file__).parent / "fixtures" / "seeds"

# Pieces that the patterns look for, so random text hits their edges often: sentence ends and
# quotes, separators, bullets, link-like pieces, digits, spaces of several kinds, case pairs that
# fold to longer strings, combining marks (\w for regex, not for re), the ends of the code space.
PIECES = [".", "!", "?", "…", '"', "'", "”", "»", ")", "]", "“", "«", "(", "|", "•", "·", "/",
          "›", ">", "–", "—", "-", "▪", "◦", "●", "■", "►", "▸", "‣", "○", "*", "+", ":", ",", "_",
          "http://", "https://", "www.", "@", "#", ".com", ".org", ".net", ".fr", ".de", ".io",
          ".community", "1", "12", "123", "1234", "٣", "²", "½", " ", "  ", "\t", "\n", "\xa0",
          "\u2028", "\x1c", "\u200b", "ß", "İ", "ǅ", "Σ", "ﬁ", "é", "e\u0301", "हिन्दी", "Ⅻ", "ⅻ",
          "Word", "WORD", "word", "le", "the", "Le", "The", "\U0010ffff", "\ud800"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=6)),
                 min_size=1, max_size=30).map("".join)


def bits(row):
    return [struct.pack("<d", x) for x in row]


@settings(max_examples=600, deadline=None)
@given(texts, st.sampled_from(["fr", "en", "de", None]))
def test_block_features_equal_the_reference(text, lang):
    stops = features.stopwords(lang)
    assert bits(native.base(text, stops, features.SAMPLE, TABLE)) == bits(features._base_python(text, stops))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_repeat_key_equals_the_reference(text):
    assert native.token_key(text.casefold(), TABLE) == features._word_key_python(text)


@settings(max_examples=50, deadline=None)
@given(texts, st.integers(1, 400))
def test_long_blocks_are_measured_on_their_sample(piece, times):
    text = (piece + " ") * times + "Fin."
    stops = features.stopwords("fr")
    for sample in (5, 64, features.SAMPLE):
        old = features.SAMPLE
        features.SAMPLE = sample
        try:
            assert bits(native.base(text, stops, sample, TABLE)) == bits(features._base_python(text, stops))
        finally:
            features.SAMPLE = old


def test_every_special_character_in_every_position():
    """Each character some pattern names, in each place it can count (the random texts above
    rarely build " > " or "12) " by chance)."""
    special = sorted(set("".join(PIECES[:35])) | set("@#wh") | {"\u00a0", "\u2028"})
    shapes = ["a {c} b", "{c} b", "a {c}", "{c}", "Fin{c} Début", "Fin{c}{c} «Début", "1{c} x",
              "12{c} x", "1{c} ", "{c} ", "1234{c} x", "{c}\tx", "{c}x", "x{c}com y", "x{c}com", "x{c}community",
              "x{c}", "{c}{c} {c}"]
    stops = features.stopwords("fr")
    for c in special:
        for shape in shapes:
            text = shape.format(c=c)
            assert bits(native.base(text, stops, features.SAMPLE, TABLE)) == bits(features._base_python(text, stops)), text


def test_an_empty_block_is_an_error_not_a_crash():
    with pytest.raises(IndexError):
        native.base("", frozenset(), features.SAMPLE, TABLE)


def test_the_character_table_is_the_patterns_answer():
    # spot checks of the bits against the patterns themselves (the table is built from them)
    for char in "aZ9_ é\u0301٣²\xa0\u2028\x1c-ß":
        entry = TABLE[ord(char)]
        assert bool(entry & 1) == bool(features._TOKEN.fullmatch(char))
        assert bool(entry & 16) == bool(features._LETTERS.fullmatch(char))
        assert bool(entry & 32) == bool(features._DIGITS.fullmatch(char))
    assert len(TABLE) == 0x110000


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 60), st.integers(0, 2**32 - 1), st.booleans())
def test_tree_scores_equal_the_reference(n, seed, with_nan):
    rng = np.random.default_rng(seed)
    for model in classifier.load_models().values():
        for part in classifier.tree_ensembles(model):
            width = int(part.feature.max()) + 1
            X = rng.normal(size=(n, width)) * rng.choice([0.1, 1, 10], size=width)
            # values on the thresholds themselves, where <= and < part
            at = rng.integers(0, len(part.threshold), size=n)
            X[np.arange(n), part.feature[at]] = part.threshold[at]
            if with_nan:
                X[rng.random(X.shape) < 0.1] = np.nan
            fast, slow = part.log_odds(X), part._log_odds_python(X)
            assert fast.tobytes() == slow.tobytes()


def _random_tree(rng, depth, width):
    """A tree in the model file's form, of at most ``depth`` levels, with leaves at any level."""
    tree = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}

    def grow(level):
        k = len(tree["feature"])
        for column in tree.values():
            column.append(0)
        if level == depth or rng.random() < 0.25:
            tree["feature"][k], tree["value"][k] = -1, float(rng.normal())
            tree["threshold"][k], tree["left"][k], tree["right"][k] = -2.0, -1, -1
        else:
            tree["feature"][k] = int(rng.integers(width))
            tree["threshold"][k] = float(rng.normal())
            tree["left"][k] = grow(level + 1)
            tree["right"][k] = grow(level + 1)
        return k

    grow(0)
    return tree


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 7), st.integers(0, 40), st.integers(0, 2**32 - 1))
def test_trees_of_any_shape_score_as_the_reference(depth, n, seed):
    # the compiled walk lays every tree out complete: shallow leaves, a tree that is one leaf,
    # depth 0 and blocks past a multiple of the eight walked side by side must all come out equal
    rng = np.random.default_rng(seed)
    width = 5
    data = {"kind": "trees", "names": list(classifier.NAMES[:width]), "base": 0.25, "depth": depth,
            "trees": [_random_tree(rng, depth, width) for _ in range(int(rng.integers(1, 12)))]}
    model = classifier.Model.from_dict(data)
    X = rng.normal(size=(n, len(classifier.NAMES)))
    X[rng.random(X.shape) < 0.1] = np.nan
    assert model.log_odds(X).tobytes() == model._log_odds_python(X).tobytes()


def test_a_model_too_deep_to_lay_out_is_refused():
    data = {"kind": "trees", "names": [classifier.NAMES[0]], "base": 0.0, "depth": classifier.MAX_DEPTH + 1,
            "trees": [{"feature": [-1], "threshold": [-2.0], "left": [-1], "right": [-1], "value": [1.0]}]}
    with pytest.raises(ValueError, match="levels deep"):
        classifier.Model.from_dict(data)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.floats(-50, 50), st.sampled_from([0.0, -0.0, 1.0, -1.0, 4.0, -4.0]),
                          st.just(float("nan"))), max_size=40),
       st.sampled_from([0.0, 1.0, 4.0, 2.5]), st.sampled_from([0.0, 1.0, 2.0, 4.0]))
def test_the_decoded_path_equals_the_reference(gains, switch, gap):
    # small integers make ties (stay = switch) common, NaN checks the order of the comparisons
    assert native.article_path(gains, switch, gap) == classifier._article_path_python(gains, switch, gap)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.floats(-20, 20), st.sampled_from([0.0, 1.0, -1.0, 8.0, -8.0, 0.5])), max_size=50),
       st.one_of(st.none(), st.integers(1, 4)), st.integers(0, 2**32 - 1))
def test_score_context_equals_the_reference(z, containers, seed):
    """Scores past the clip, ties (the rank's stable order), one block and none; containers as
    rows of a few distinct values, repeated apart as well as side by side, with -0.0 (the same
    container as 0.0) and NaN (a container of its own) among them. In the scores -0.0 is left
    out: whether min and max return it or 0.0 is the order of numpy's reduction, not a value."""
    rng = np.random.default_rng(seed)
    z = np.array(z, dtype=float) + 0.0
    values = np.array([0.0, 0.5, 1.0, -0.0, np.nan])
    boxes = None if containers is None else values[rng.integers(0, containers + 1, size=(len(z), 3))]
    fast, slow = classifier.score_context(z, boxes), classifier._score_context_python(z, boxes)
    assert fast.shape == slow.shape == (len(z), len(classifier.SCORE_CONTEXT))
    assert fast.tobytes() == slow.tobytes()


def context_both(B, nwords):
    cols = (features.BASE.index("log_words"), features._TERMINAL_COLUMN, features.BASE.index("stop_ratio"))
    B = np.ascontiguousarray(B, dtype=float)
    return (native.context(B, nwords, features.PROSE_WORDS, *cols),
            features._context_python(B, nwords, features.PROSE_WORDS))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.booleans(), st.floats(0, 1)), max_size=60),
       st.integers(0, 2**32 - 1))
def test_context_columns_equal_the_reference(blocks, seed):
    """Word counts around the prose threshold, prose blocks anywhere or nowhere, and the
    features the windows add up taken from real-looking values (logs of word counts)."""
    rng = np.random.default_rng(seed)
    n = len(blocks)
    B = rng.random((n, len(features.BASE)))
    nwords = [w for w, _, _ in blocks]
    B[:, features.BASE.index("log_words")] = np.log1p(nwords)
    B[:, features._TERMINAL_COLUMN] = [1.0 if t else 0.0 for _, t, _ in blocks]
    B[:, features.BASE.index("stop_ratio")] = [s for _, _, s in blocks]
    fast, slow = context_both(B, nwords)
    assert fast.shape == slow.shape == (n, len(features.CONTEXT))
    assert fast.tobytes() == slow.tobytes()


def test_context_columns_of_real_pages_equal_the_reference():
    """The seed articles' blocks, whole and thinned, as the classifier's rounds see them."""
    for path in sorted(SEEDS.glob("*.txt")):
        texts = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        stops = features.stopwords(features.detect_language(texts))
        B = np.array([features._base_python(t, stops) for t in texts])
        nwords = [len(t.split()) for t in texts]
        for keep in (slice(None), slice(None, None, 2), slice(1, None, 3)):
            fast, slow = context_both(B[keep], nwords[keep])
            assert fast.tobytes() == slow.tobytes()
            assert fast[:, features.CONTEXT.index("in_prose_envelope")].any() == any(
                w >= features.PROSE_WORDS and t[-1] in ".!?…\"”»)'’" for w, t in zip(nwords[keep], texts[keep]))


def own_rows_both(texts, lang, memo_native=None, memo_python=None, keys_native=None, keys_python=None):
    stops = features.stopwords(lang)
    fast = native.own_rows(texts, lang, stops, memo_native, keys_native, features.SAMPLE, TABLE, len(features.BASE),
                           features.REPEATED)
    slow = features._own_rows_python(texts, lang, stops, memo_python, keys_python)
    return fast, slow


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(texts, st.sampled_from(["Menu", "menu", "Le texte.", "x" * 5000])), min_size=1, max_size=20),
       st.sampled_from(["fr", "en", None]))
def test_own_rows_equal_the_reference(blocks, lang):
    """Whole and thinned, with the memo of the previous round and without: the same matrix to the
    bit (repeats of a block and of its words key set the repeated column) and the same counts."""
    memo_native, memo_python = {}, {}
    for keep in (slice(None), slice(None, None, 2), slice(None)):
        (B1, n1), (B2, n2) = own_rows_both(blocks[keep], lang, memo_native, memo_python)
        assert B1.tobytes() == B2.tobytes() and n1 == n2
        assert B1.shape == (len(blocks[keep]), len(features.BASE))
    (B1, n1), (B2, n2) = own_rows_both(blocks, lang)
    assert B1.tobytes() == B2.tobytes() and n1 == n2


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(texts, st.sampled_from(["Menu", "menu!", "Le texte.", "x" * 5000, "x" * 5000 + " !"])),
                min_size=1, max_size=12),
       st.sampled_from(["fr", None]))
def test_word_keys_shared_with_dedup_give_the_same_rows(blocks, lang):
    """The document's word keys, as dedup leaves them (kinds.Pass.folded: the words key of every
    block, however long), spare own_rows computing them and change nothing: a block longer than
    SAMPLE is keyed by its folded text (so "x" * 5000 and the same with " !" are not repeats),
    never by the shared key. Both implementations fill the dict with the keys they compute."""
    from cleaner.kinds import fold

    expected = own_rows_both(blocks, lang)
    shared = {t: fold(t) for t in blocks[::2]}
    keys_native, keys_python = dict(shared), dict(shared)
    got = own_rows_both(blocks, lang, keys_native=keys_native, keys_python=keys_python)
    for (B1, n1), (B2, n2) in zip(expected, got):
        assert B1.tobytes() == B2.tobytes() and n1 == n2
    short = {t: fold(t) for t in blocks if len(t) <= features.SAMPLE}
    assert keys_native == keys_python == {**shared, **short}


def test_own_rows_of_real_pages_equal_the_reference():
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        lines += lines[:3]  # repeated blocks
        (B1, n1), (B2, n2) = own_rows_both(lines, "fr")
        assert B1.tobytes() == B2.tobytes() and n1 == n2
        assert B1[:, features.REPEATED].sum() >= 6


def walk_both(data: bytes):
    fast = features._language_identifier(True)
    return native.dfa_counts(data, *fast._walk), features._dfa_counts_python(
        data, fast.tk_nextmove, fast._rowbase, fast.tk_output)


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200)))
def test_the_language_automaton_walk_equals_the_reference(data):
    compiled, reference = walk_both(data)
    assert list(compiled.items()) == list(reference.items())  # the same counts, in the same order


def test_the_language_walk_leaves_its_scratch_zeroed():
    fast = features._language_identifier(True)
    nextmove, rowbase, output, tally = fast._walk
    data = fast._encode("Le chat dort sur le canapé, the cat sleeps. " * 20)
    first = native.dfa_counts(data, *fast._walk)
    assert first and not tally.any()  # every slot it counted in is zero again
    assert native.dfa_counts(data, *fast._walk) == first  # so the next call starts from nothing
    # a tally too short for the automaton's features: an error, and the scratch still zero
    short = np.zeros(max(first) // 2, dtype=np.intp)
    with pytest.raises(IndexError):
        native.dfa_counts(data, nextmove, rowbase, output, short)
    assert not short.any()


WORDS = ("le la les une est dans pour avec the and is of with for der die und ist mit el los con "
         "para es il di che per o os um com een het van och att på ja ei ole на и не".split())


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts, st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)))
def test_the_compiled_language_sums_name_py3langids_language(text):
    fast = features._language_identifier(True)
    assert fast._sums is not None  # the shipped py3langid model is the one the sums are written for
    assert fast.label(text) == fast.classify(text)[0]


def test_the_compiled_sums_are_py3langids_sums():
    fast = features._language_identifier(True)
    for path in sorted(SEEDS.glob("*.txt")):
        data = fast._encode(path.read_text(encoding="utf-8")[:3000])
        sums, distinct = native.dfa_sums(data, *fast._walk, *fast._sums)
        theirs = fast._sparse_score(native.dfa_counts(data, *fast._walk), fast.nb_ptc) - fast.nb_pc
        assert distinct > 100 and not fast._walk[3].any()
        assert np.allclose(sums, theirs, rtol=1e-5, atol=0)
        assert features._certain_best(sums, distinct, fast.nb_pc, fast._alias_pairs) is not None


def test_threads_share_the_language_scratch_safely():
    # the identifier is one per process and its scratch tally is shared: Cleaner objects are
    # shared between threads, so concurrent walks must not see each other's counts
    import concurrent.futures

    fast = features._language_identifier(True)
    samples = [path.read_text(encoding="utf-8")[k * 500:k * 500 + 2500]
               for path in sorted(SEEDS.glob("*.txt")) for k in range(4)]
    samples += [" ".join(WORDS[k:] + WORDS[:k]) for k in range(len(WORDS))]
    samples = [s for s in samples if s.strip()] * 10
    expected = [(fast.label(s), native.dfa_counts(fast._encode(s), *fast._walk)) for s in samples]

    def both(s):
        return fast.label(s), native.dfa_counts(fast._encode(s), *fast._walk)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert list(pool.map(both, samples)) == expected
    assert not fast._walk[3].any()


def test_a_lead_inside_the_rounding_bound_is_left_to_py3langid():
    prior = np.zeros(4, dtype=np.float32)
    # 1000 features, sums near -1000: py3langid's float32 rounding may move each by ~0.06
    assert features._certain_best(np.array([-1000.0, -1000.05, -3000.0, -3000.0]), 1000, prior, []) is None
    assert features._certain_best(np.array([-1000.0, -1001.0, -3000.0, -3000.0]), 1000, prior, []) == 0
    assert features._certain_best(np.array([-1001.0, -1000.0, -3000.0, -3000.0]), 1000, prior, []) == 1
    # an alias column counts for its first: column 3 is best, so its first, column 2, is named,
    # and column 2's own lower score does not compete with it
    assert features._certain_best(np.array([-1010.0, -1020.0, -1000.5, -1000.0]), 1000, prior, [(2, 3)]) == 2


def test_the_language_automaton_walk_equals_py3langids_own():
    from py3langid import langid

    fast = features._language_identifier(True)
    for path in sorted(SEEDS.glob("*.txt")):
        data = fast._encode(path.read_text(encoding="utf-8"))
        compiled, reference = walk_both(data)
        theirs = langid.visit_counts(fast.tk_nextmove, fast._rowbase, fast.tk_output, data)
        assert list(compiled.items()) == list(reference.items()) == list(theirs.items())
        assert len(compiled) > 100


@settings(max_examples=200, deadline=None)
@given(texts)
def test_languages_are_py3langids_answers(text):
    import py3langid

    fast = features._language_identifier(True)
    assert type(fast) is not type(features._language_identifier(False))  # the compiled walk is in use
    assert fast.classify(text) == py3langid.classify(text)


def test_languages_of_real_pages_are_py3langids_answers(monkeypatch):
    docs = [[line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
            for p in sorted(SEEDS.glob("*.txt"))]
    docs += [["The council voted on Tuesday to keep the library open through the winter months."],
             ["Der Stadtrat hat am Dienstag beschlossen, die Bibliothek den ganzen Winter offen zu halten."],
             ["El ayuntamiento votó el martes para mantener la biblioteca abierta durante el invierno."]]
    compiled = [features.detect_language(lines) for lines in docs]
    monkeypatch.setattr(features, "_native", None)
    assert [features.detect_language(lines) for lines in docs] == compiled
    assert compiled[-3:] == ["en", "de", "es"] and "fr" in compiled


def edited(text: str, edits) -> str:
    """``text`` with characters replaced, inserted or deleted at the given places."""
    chars = list(text)
    for where, what in edits:
        k = where % (len(chars) + 1)
        if what == "":
            del chars[k:k + 1]
        else:
            chars.insert(k, what)
    return "".join(chars)


@settings(max_examples=500, deadline=None)
@given(texts, texts, st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["", "a", " ", "é", "x y"])), max_size=6),
       st.booleans())
def test_similarity_ratio_equals_difflibs(a, other, edits, related):
    b = edited(a, edits) if related else other
    assert native.ratio(a, b) == features._ratio_python(a, b)
    assert native.ratio(b, a) == features._ratio_python(b, a)


def test_similarity_ratio_of_real_paragraphs_equals_difflibs():
    """Paragraphs of the seed articles against their neighbours and against copies with a word
    changed: long strings with many repeated characters, where the choice among equally long
    matching blocks decides what is matched next."""
    lines = [features.word_key(line) for p in sorted(SEEDS.glob("*.txt"))
             for line in p.read_text(encoding="utf-8").splitlines() if len(line) > 80]
    assert len(lines) > 20
    for x, y in zip(lines, lines[1:]):
        for a, b in ((x, y), (x, x.replace(" ", "  ", 1)), (x, edited(x, [(len(x) // 2, "")])), (x, x[::-1])):
            assert native.ratio(a, b) == features._ratio_python(a, b)
    assert native.ratio("", "") == features._ratio_python("", "") == 1.0
    assert native.ratio("abc", "") == features._ratio_python("abc", "") == 0.0


def test_cleaning_is_the_same_without_the_compiled_module(monkeypatch):
    """End to end: the seed articles (text and as HTML) come out the same, decisions and all."""
    docs = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")) if ".expected" not in p.name]
    assert docs
    html = ["<html><body><nav><a href='/'>Home</a> | <a href='/a'>About</a></nav><article>"
            + "".join(f"<p>{line}</p>" for line in doc.splitlines() if line.strip()) + "</article></body></html>"
            for doc in docs]

    def run():
        out = []
        for fmt, batch in (("text", docs), ("html", html)):
            cleaner = Cleaner(format=fmt)
            for doc in batch:
                result = cleaner.clean(doc)
                out.append((result.text, [(d.rule, d.block, d.reason) for d in result.decisions]))
        return out

    compiled = run()
    monkeypatch.setattr(features, "_native", None)
    assert run() == compiled


def test_the_pure_python_switch_is_honoured():
    code = "import cleaner.features as f; print(f._native is None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"CLEANER_PURE_PYTHON": "1", "PATH": ""}, cwd=pathlib.Path(__file__).parents[1])
    assert out.stdout.strip() == "True"
