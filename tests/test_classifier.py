"""The generic block classifier: boilerplate no rule names."""
import json
import unicodedata

import numpy as np
import pytest
import regex
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, clean
from cleaner.classifier import (MODEL_PATH, SCORE_CONTEXT, STACKED_NAMES, Model, ends_sentence, fragment_groups,
                               goes_on, model_from_dict, score_context, tree_ensembles,
                               article_path)
from cleaner.features import NAMES, detect_language, document_features
from cleaner.document import Document

ARTICLE = [
    "The council voted on Tuesday to keep the old bridge open for another ten years, after engineers said "
    "the repairs made last spring had worked better than expected.",
    "Residents had asked for the vote since the winter, when a lorry hit the railing and the road was closed "
    "for three weeks while the damage was assessed by the county.",
    "The new road along the river will still be built, the mayor said, but it will open later than planned "
    "and cost less than the first estimate because the old bridge keeps part of the traffic.",
    "Opponents of the plan said they would take the decision to court before the summer, and a group of "
    "shop owners on the east bank has already collected money for the lawyers.",
]
# Site furniture in words no catalogue rule knows.
HEAD = ["Acme Gazette", "Local", "Regional", "Weather", "Sports desk", "Obituaries", "Classifieds"]
TAIL = ["Acme Gazette Ltd", "12 Harbour Street", "Jobs at the Gazette", "Our journalists",
        "Weather", "Sports desk", "Obituaries", "Classifieds"]


def page():
    return "\n".join(HEAD + ARTICLE + TAIL)


def test_keeps_the_article_and_drops_the_furniture():
    out = clean(page())
    assert out == "\n\n".join(ARTICLE) + "\n"


def test_removals_carry_classifier_ids_and_reasons():
    result = Cleaner().clean(page())
    ids = {d.rule for d in result.decisions}
    assert ids == {"classifier.boilerplate"}
    assert all("block classifier" in d.reason for d in result.decisions)


@pytest.mark.parametrize("options", [{"ignore": ["classifier"]}, {"classifier": False}, {"select": ["ads"]}])
def test_classifier_can_be_turned_off(options):
    assert clean(page(), **options).count("\n\n") == len(HEAD + ARTICLE + TAIL) - 1


def test_select_classifier_alone():
    result = Cleaner(select=["classifier"]).clean(page() + "\nAdvertising by Adpathway")
    assert all(d.rule.startswith("classifier.") for d in result.decisions)


def split_inline(paragraph, runs=(6, 2, 5, 3, 7, 2, 4)):
    """A paragraph as scrapers that break the line at every link and bold word write it."""
    words, lines, k = paragraph.split(), [], 0
    while words:
        lines.append(" ".join(words[: runs[k % len(runs)]]))
        words, k = words[runs[k % len(runs)]:], k + 1
    return lines


def test_keeps_an_article_broken_at_every_inline_element():
    # The text model also trains on re-dumps in this style (bench/train_classifier.py VARIANTS):
    # the fragments are short and rarely end a sentence, but they are the article.
    fragments = [line for paragraph in ARTICLE for line in split_inline(paragraph)]
    out = clean("\n".join(HEAD + fragments + TAIL)).split("\n\n")
    article_words = sum(len(f.split()) for f in fragments)
    kept = sum(len(line.split()) for line in out if line.strip() in fragments)
    assert kept >= 0.9 * article_words
    assert not set(line.strip() for line in out) & set(HEAD + TAIL)


def test_never_empties_a_document():
    text = "Home\nMenu\nLogin\nContact"
    assert clean(text, guard_ratio=1.0, builtin_rules=False) != ""


def test_idempotent_on_a_page():
    once = clean(page())
    assert clean(once) == once


def test_article_path():
    assert article_path([], 1.0, 1.0) == []
    assert article_path([-2, 5, -0.5, 5, -2], 1.0, 1.0) == [False, True, True, True, False]
    # the path starts before the article: a weak first block goes even when the switch is dear
    assert article_path([-0.5, 5, 5], 4.0, 4.0) == [False, True, True]
    # a cheap switch lets a negative block between two positives go
    assert article_path([5, -3, 5], 1.0, 1.0) == [True, False, True]
    assert article_path([5, -3, 5], 4.0, 4.0) == [True, True, True]
    # a cheap gap does too, while the article's end stays as dear as the switch
    assert article_path([5, -3, 5], 4.0, 1.0) == [True, False, True]
    assert article_path([6, -3, 6, -3], 4.0, 1.0) == [True, False, True, True]
    assert article_path([6, -3, 6, -5], 4.0, 1.0) == [True, False, True, False]
    # a dear gap keeps a block between two stretches a cheap switch would have split
    assert article_path([5, -3, 5], 1.0, 4.0) == [True, True, True]


def _path_value(keep, gains, switch, gap):
    """What a labelling scores under article_path's costs: kept gains, a switch to enter the
    article and one to leave it before the end, two gaps for each run of blocks left out inside."""
    runs = [k for k in range(len(keep)) if keep[k] and (k == 0 or not keep[k - 1])]
    if not runs:
        return 0.0
    value = sum(g for g, k in zip(gains, keep) if k) - switch - 2 * gap * (len(runs) - 1)
    return value - (switch if not keep[-1] else 0.0)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.floats(-8, 8), st.sampled_from([0.0, 1.0, -1.0, 2.0, -2.0, 4.0])), max_size=9),
       st.sampled_from([0.0, 0.5, 1.0, 2.0, 4.0]), st.sampled_from([0.0, 0.5, 1.0, 2.0, 4.0]))
def test_the_article_path_is_the_best_labelling(gains, switch, gap):
    """The decoded path scores as well as the best of every labelling of the blocks (all of them
    tried); with the gap at the switch cost that score is the two-state path's (every change of
    state at one cost)."""
    import itertools

    path = article_path(gains, switch, gap)
    best = max(_path_value(keep, gains, switch, gap) for keep in itertools.product([False, True], repeat=len(gains)))
    assert abs(_path_value(path, gains, switch, gap) - best) < 1e-9


def test_features_have_the_model_shape():
    doc = Document.from_text(page())
    rows = document_features(doc.blocks, [b.text for b in doc.blocks], "en")
    assert len(rows) == len(doc.blocks) and all(len(r) == len(NAMES) for r in rows)


@pytest.mark.parametrize("text,lang", [
    ("Les deux entreprises ont démenti la rumeur jeudi soir, selon un communiqué publié à Pékin.", "fr"),
    ("Die Regierung hat am Montag einen neuen Haushalt vorgelegt, der weniger Schulden vorsieht.", "de"),
    ("The council voted on Tuesday to keep the old bridge open for another ten years.", "en"),
])
def test_language_detection(text, lang):
    assert detect_language([text]) == lang


def _stump(feature, threshold, low, high):
    """A one-split tree: ``low`` when the feature is <= threshold, else ``high``."""
    return {"feature": [feature, -1, -1], "threshold": [threshold, 0.0, 0.0], "left": [1, 0, 0],
            "right": [2, 0, 0], "value": [0.0, low, high]}


def test_tree_model_adds_the_leaves_of_every_tree():
    words = NAMES.index("log_words")
    terminal = NAMES.index("ends_terminal")
    deep = {"feature": [words, terminal, -1, -1, -1], "threshold": [1.0, 0.5, 0, 0, 0],
            "left": [1, 3, 0, 0, 0], "right": [2, 4, 0, 0, 0], "value": [0, 0, 5.0, -1.0, 1.0]}
    model = Model.from_dict({"kind": "trees", "names": list(NAMES), "base": 0.5, "depth": 2,
                             "trees": [_stump(words, 2.0, -2.0, 3.0), deep]})
    rows = [[0.0] * len(NAMES) for _ in range(3)]
    rows[0][words], rows[0][terminal] = 0.5, 0.0   # short, no full stop: 0.5 - 2 - 1
    rows[1][words], rows[1][terminal] = 0.5, 1.0   # short, full stop:    0.5 - 2 + 1
    rows[2][words] = 3.0                           # long:                0.5 + 3 + 5
    assert model.log_odds(rows).tolist() == [-2.5, -0.5, 8.5]
    # a value sitting exactly on a threshold goes left, as in scikit-learn
    rows[0][words] = 2.0
    assert model.log_odds(rows[:1]).tolist() == [0.5 - 2.0 + 5.0]


def test_model_offset_moves_every_score():
    """A model's operating point ("offset") shifts every log-odds by exactly itself."""
    stump = _stump(NAMES.index("log_words"), 1.5, -1.0, 1.0)
    plain = {"kind": "trees", "names": list(NAMES), "base": 0.0, "depth": 1, "trees": [stump]}
    rows = [[0.0] * len(NAMES), [3.0] * len(NAMES)]
    shifted = Model.from_dict({**plain, "offset": -1.5}).log_odds(rows)
    assert (shifted - Model.from_dict(plain).log_odds(rows)).tolist() == [-1.5, -1.5]


def test_model_features_are_looked_up_by_name():
    """A model lists the features it was trained on, in its own order: an older model (fewer
    features) scores as it did; a model naming a feature this version lacks is refused."""
    words, terminal = NAMES.index("log_words"), NAMES.index("ends_terminal")
    full = Model.from_dict({"kind": "trees", "names": list(NAMES), "base": 0.0, "depth": 1,
                            "trees": [_stump(words, 1.5, -1.0, 1.0), _stump(terminal, 0.5, -2.0, 2.0)]})
    # the same trees over two features, named in the other order
    small = Model.from_dict({"kind": "trees", "names": ["ends_terminal", "log_words"], "base": 0.0, "depth": 1,
                             "trees": [_stump(1, 1.5, -1.0, 1.0), _stump(0, 0.5, -2.0, 2.0)]})
    rows = [[0.0] * len(NAMES) for _ in range(4)]
    for row, (w, t) in zip(rows, [(0.5, 0.0), (0.5, 1.0), (3.0, 0.0), (3.0, 1.0)]):
        row[words], row[terminal] = w, t
    assert small.log_odds(rows).tolist() == full.log_odds(rows).tolist() == [-3.0, 1.0, -1.0, 3.0]
    with pytest.raises(ValueError, match="lacks \\(gaze_time\\)"):
        Model.from_dict({"kind": "trees", "names": ["log_words", "gaze_time"], "base": 0.0, "depth": 1,
                         "trees": [_stump(1, 0.5, 0.0, 1.0)]})


def test_score_context_reads_the_first_stage_along_the_document():
    z = [2.0, -1.0, 3.0, -4.0, 20.0]
    ctx = score_context(z)
    col = {name: ctx[:, SCORE_CONTEXT.index(name)].tolist() for name in SCORE_CONTEXT}
    assert col["s_own"] == [2.0, -1.0, 3.0, -4.0, 8.0]          # clipped at 8
    assert col["s_prev"] == [-8.0, 2.0, -1.0, 3.0, -4.0]        # beyond the edges: boilerplate
    assert col["s_next2"] == [3.0, -4.0, 8.0, -8.0, -8.0]
    assert col["s_window3"][0] == pytest.approx((2 - 1 + 3 - 4) / 4)
    assert col["s_min3"][0] == -4.0 and col["s_max3"][0] == 3.0
    assert col["s_doc_max"] == [8.0] * 5 and col["s_doc_mean"][0] == pytest.approx(1.6)
    assert col["s_rank"] == [0.5, 0.25, 0.75, 0.0, 1.0]
    assert col["s_share_before"] == [0.0, 1.0, 0.5, 2 / 3, 0.5]
    assert col["s_share_after"] == [0.5, 2 / 3, 0.5, 1.0, 0.0]
    assert col["s_box_mean"] == col["s_own"]                    # no containers: each block alone
    boxes = [[1.0, 2.0], [0.5, 0.0], [1.0, 2.0], [0.5, 0.0], [9.0, 9.0]]  # equal rows: one container
    in_boxes = score_context(z, boxes)
    assert in_boxes[:, SCORE_CONTEXT.index("s_box_mean")].tolist() == [2.5, -2.5, 2.5, -2.5, 8.0]
    assert in_boxes[:, SCORE_CONTEXT.index("s_box_max")].tolist() == [3.0, -1.0, 3.0, -1.0, 8.0]
    assert score_context([]).shape == (0, len(SCORE_CONTEXT))
    assert score_context([1.0])[0, SCORE_CONTEXT.index("s_next")] == -8.0


def test_stacked_model_judges_a_block_by_the_first_stage_around_it():
    """The second stage sees the first stage's scores of the neighbours: here it keeps a block
    (first stage: short, so boilerplate) when the blocks on both sides scored as article text."""
    words = NAMES.index("log_words")
    first = {"kind": "trees", "names": list(NAMES), "base": 0.0, "depth": 1, "trees": [_stump(words, 1.5, -2.0, 2.0)]}
    second = {"kind": "trees", "names": ["s_own", "s_prev", "s_next"], "base": 0.0, "depth": 2,
              "trees": [{"feature": [1, 2, -1, -1, -1], "threshold": [0.0, 0.0, 0, 0, 0], "left": [2, 3, 0, 0, 0],
                         "right": [1, 4, 0, 0, 0], "value": [0, 0, -1.0, -1.0, 1.0]}]}
    model = model_from_dict({"kind": "stacked", "first": first, "second": second, "offset": 0.25})
    rows = [[0.0] * len(NAMES) for _ in range(5)]
    for row, w in zip(rows, [3.0, 0.5, 3.0, 0.5, 0.5]):
        row[words] = w
    # block 1 sits between two long blocks; block 3 has a long block before it only
    assert model.log_odds(rows).tolist() == [-0.75, 1.25, -0.75, -0.75, -0.75]
    assert STACKED_NAMES[:len(NAMES)] == NAMES
    with pytest.raises(ValueError, match="lacks"):
        model_from_dict({"kind": "stacked", "first": second, "second": second})


def test_mean_model_scores_the_mean_of_its_members_plus_its_offset(tmp_path):
    """A "mean" model (the shipped text model is one) scores each block by the mean of its
    members' log-odds, each member with its own offset, then adds its own; it decodes at its own
    switch cost. A mean without members is a bad model file."""
    words = NAMES.index("log_words")
    member_a = {"kind": "trees", "names": list(NAMES), "base": 0.0, "depth": 1, "trees": [_stump(words, 1.5, -2.0, 2.0)]}
    member_b = {"kind": "trees", "names": list(NAMES), "base": 1.0, "depth": 1, "trees": [_stump(words, 2.5, -1.0, 3.0)],
                "offset": 0.5}
    rows = [[0.0] * len(NAMES) for _ in range(3)]
    for row, w in zip(rows, [1.0, 2.0, 3.0]):
        row[words] = w
    a, b = model_from_dict(member_a).log_odds(rows), model_from_dict(member_b).log_odds(rows)
    assert a.tolist() == [-2.0, 2.0, 2.0] and b.tolist() == [0.5, 0.5, 4.5]
    mean = model_from_dict({"kind": "mean", "members": [member_a, member_b], "offset": -0.25, "switch": 3.0})
    assert mean.log_odds(rows).tolist() == [-1.0, 1.0, 3.0]
    assert mean.switch == 3.0 and mean.log_odds([]).tolist() == []
    assert [len(m.roots) for m in tree_ensembles(mean)] == [1, 1]
    # one member alone, with no offset of the mean's: that member's scores
    assert model_from_dict({"kind": "mean", "members": [member_b]}).log_odds(rows).tolist() == b.tolist()
    path = tmp_path / "model.json"
    for members in ([], None):
        path.write_text(json.dumps({"text": {"kind": "mean", "members": members}, "html": member_a}), encoding="utf-8")
        with pytest.raises(ValueError, match="model.json: the classifier model's mean has no members"):
            Cleaner(classifier_model=str(path))


def test_shipped_text_model_is_a_mean_of_two_stacked_pairs():
    """The text model ships as the mean of two two-stage models (bench/train_classifier.py
    MEMBERS), which carry no offset of their own: on a real page's blocks it scores the mean of
    the two pairs' log-odds plus the mean's offset, and the two pairs disagree."""
    models = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert models["text"]["kind"] == "mean"
    assert [m["kind"] for m in models["text"]["members"]] == ["stacked", "stacked"]
    assert all("offset" not in m for m in models["text"]["members"])
    model = model_from_dict(models["text"])
    assert len(tree_ensembles(model)) == 4
    blocks = Document.from_text(page()).blocks
    texts = [b.text for b in blocks]
    rows = document_features(blocks, texts, detect_language(texts))
    first, second = (member.log_odds(rows) for member in model.members)
    assert not np.array_equal(first, second)
    assert model.log_odds(rows).tolist() == ((first + second) / 2 + model.offset).tolist()


def test_model_file_setting_and_bad_model_files(tmp_path):
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    # a model that calls everything article text: the classifier then removes nothing
    keep_all = {"kind": "trees", "names": list(NAMES), "base": 30.0, "depth": 1,
                "trees": [_stump(0, 0.0, 0.0, 0.0)]}
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"text": keep_all, "html": shipped["html"]}), encoding="utf-8")
    result = Cleaner(classifier_model=str(path), builtin_rules=False).clean(page())
    assert not result.decisions and Cleaner(builtin_rules=False).clean(page()).decisions
    for bad, message in [("{", "not a classifier model"), ('{"text": {"kind": "linear"}}', "not a tree ensemble"),
                         (json.dumps({"text": keep_all}), "no model for html input")]:
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            Cleaner(classifier_model=str(path))
    with pytest.raises(ValueError, match="missing.json"):
        Cleaner(classifier_model=str(tmp_path / "missing.json"))


def test_each_model_decodes_with_its_own_switch_cost(tmp_path):
    """A model file names each model's switch cost (its operating point, with the offset); the
    decode of a text page uses the text model's, of an HTML page the HTML model's, and
    classifier_switch, when set, overrides both. A file that names none decodes at 4."""
    short_goes = {"kind": "trees", "names": list(NAMES), "base": 0.0, "depth": 1,
                  "trees": [_stump(NAMES.index("log_words"), 2.0, -1.0, 2.0)]}
    prose = ["The ferry to the island will run twice a day from May, the harbour office said this week.",
             "Tickets can be bought on board, and the first crossing leaves at seven in the morning."]
    text = "\n".join([prose[0], "See the timetable", prose[1]])
    html = f"<html><body><p>{prose[0]}</p><p>See the timetable</p><p>{prose[1]}</p></body></html>"
    path = tmp_path / "model.json"

    def kept(fmt, text_switch, html_switch, **config):
        models = {"text": dict(short_goes), "html": dict(short_goes)}
        for name, switch in (("text", text_switch), ("html", html_switch)):
            if switch is not None:
                models[name]["switch"] = switch
        path.write_text(json.dumps(models), encoding="utf-8")
        # a page of three lines: the classifier judges it only with classifier_min_words lowered
        out = Cleaner(classifier_model=str(path), builtin_rules=False, format=fmt, classifier_min_words=0, **config)
        return "See the timetable" in out.clean(text if fmt == "text" else html).text

    # dropping the short line gains 1 + ln 4 (about 2.4): more than two switches at 1, less than two at 4
    assert not kept("text", 1.0, 4.0) and kept("html", 1.0, 4.0)
    assert kept("text", 4.0, 1.0) and not kept("html", 4.0, 1.0)
    assert kept("text", None, None) and kept("html", None, None)
    assert kept("text", 1.0, 1.0, classifier_switch=4.0) and kept("html", 1.0, 1.0, classifier_switch=4.0)
    assert not kept("text", 4.0, 4.0, classifier_switch=1.0)
    path.write_text(json.dumps({"text": {**short_goes, "switch": -1}, "html": short_goes}), encoding="utf-8")
    with pytest.raises(ValueError, match="switch cost must be >= 0"):
        Cleaner(classifier_model=str(path))
    path.write_text(json.dumps({"text": {**short_goes, "gap": -1}, "html": short_goes}), encoding="utf-8")
    with pytest.raises(ValueError, match="gap cost must be >= 0"):
        Cleaner(classifier_model=str(path))


def test_a_gap_inside_the_article_costs_what_the_model_names(tmp_path):
    """A model's gap cost prices a run of boilerplate between two stretches of article, its switch
    cost the article's ends: a short line between two paragraphs goes at a cheap gap even when
    the switch is dear, and the same line at the end stays. classifier_gap overrides the model's;
    classifier_switch alone sets both."""
    short_goes = {"kind": "trees", "names": list(NAMES), "base": 0.0, "depth": 1,
                  "trees": [_stump(NAMES.index("log_words"), 2.0, -1.0, 2.0)]}
    prose = ["The ferry to the island will run twice a day from May, the harbour office said this week.",
             "Tickets can be bought on board, and the first crossing leaves at seven in the morning."]
    inside = "\n".join([prose[0], "See the timetable", prose[1]])
    at_end = "\n".join([prose[0], prose[1], "See the timetable"])
    path = tmp_path / "model.json"
    model = {**short_goes, "switch": 4.0, "gap": 1.0}
    path.write_text(json.dumps({"text": model, "html": model}), encoding="utf-8")

    def kept(text, **config):
        out = Cleaner(classifier_model=str(path), builtin_rules=False, format="text", classifier_min_words=0, **config)
        return "See the timetable" in out.clean(text).text

    # dropping the short line gains 1 + ln 4 (about 2.4): more than two gaps at 1, less than one switch at 4
    assert not kept(inside) and kept(at_end)
    assert kept(inside, classifier_gap=4.0)
    assert kept(inside, classifier_switch=4.0)  # every change at 4, the gap too
    assert not kept(inside, classifier_switch=4.0, classifier_gap=1.0)
    with pytest.raises(ValueError, match="classifier_gap must be a number >= 0"):
        Cleaner(classifier_gap=-1.0)


@pytest.mark.parametrize("lines, groups", [
    # a paragraph broken at its links: lower case or a comma goes on, a full stop ends it
    (["Tickets can be bought", "on board", ", and the first crossing leaves at seven.", "Ferries"],
     [[0, 1, 2], [3]]),
    # a line ending with a comma, an opening bracket or a joining sign is continued whatever follows
    (["Paris,", "London (", "UK) and", "Rome"], [[0, 1, 2], [3]]),
    # menus and headings break the same way but start in capitals: left alone
    (["Book now", "Hawaiian Adventure", "Things to do", "Restaurants"], [[0], [1], [2], [3]]),
    # a sentence's end, with a closing quote or bracket after it, stops a group
    (["He said \u201cno.\u201d", "then left", ", as we said (see above).", "and so on"], [[0], [1, 2], [3]]),
    (["\u7b2c\u4e00\u53e5\u3002", "and then", "bien \u00e0 vous !", "\u00e9t\u00e9"], [[0], [1, 2], [3]]),
    # an emoji's variation selector is not a word that goes on
    (["Summer sale \u2600\ufe0f", "Shop now"], [[0], [1]]),
])
def test_fragment_groups(lines, groups):
    assert fragment_groups(list(range(len(lines))), lines) == groups
    # the groups are of the indices given, in order
    assert fragment_groups([i + 10 for i in range(len(lines))], lines) == [[i + 10 for i in g] for g in groups]
    # a memo filled by an earlier round (other lines, some the same) changes nothing
    memo: dict = {}
    fragment_groups(list(range(len(lines) + 2)), ["and so", *reversed(lines), ""], memo)
    assert fragment_groups(list(range(len(lines))), lines, memo) == groups
    assert set(lines) <= set(memo)


_PIECES = st.sampled_from(["Home", "on board", "Paris,", "(", "end.", "\u201cno.\u201d", ", and", "", "x", "Shop"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=12), min_size=1, max_size=4))
def test_fragment_groups_are_the_same_with_a_memo_from_earlier_rounds(rounds):
    memo: dict = {}
    for lines in rounds:
        indices = list(range(len(lines)))
        assert fragment_groups(indices, lines, memo) == fragment_groups(indices, lines)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list(".!?\u2026:;\u3002\uff01\uff1f\u0964\"')]\u00bb\u201d\u2019\u203a\uff09\u0f3ba \u00e9Z,([&-%"), max_size=8))
def test_ends_sentence_is_the_pattern_it_stands_for(text):
    """ends_sentence, a loop from the end, says what the pattern says: a sentence's end followed
    only by closing quotes and brackets (Unicode's final and closing punctuation)."""
    pattern = regex.compile(r"[.!?\u2026:;\u3002\uff01\uff1f\u0964][\p{Pf}\p{Pe}\"']*\Z")
    assert ends_sentence(text) == bool(pattern.search(text))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=3) | st.sampled_from(list(",.;:!?)]%\u00bb\u201d\u2019([\u00ab\u201c")))
def test_goes_on_is_the_pattern_it_stands_for(text):
    """goes_on reads the first character's category with unicodedata, where a pattern would ask
    the regex module for \\p{Ll}: the same answer wherever the two Unicode databases agree on the
    character (they differ on a few letters a later Unicode version recategorised)."""
    assume(not text or (unicodedata.category(text[0]) == "Ll") == bool(regex.match(r"\p{Ll}", text[0])))
    pattern = regex.compile(r"(?:\p{Ll}|[,.;:!?)\]\u00bb\u201d\u2019%])")
    assert goes_on(text) == bool(pattern.match(text))


def test_a_broken_paragraph_is_judged_whole(tmp_path):
    """On a text dump where enough lines continue one another (classifier_join), a paragraph
    broken at its links is judged as one block: one verdict for all its lines, the lines left as
    they were. Below that share, or with the setting above 1, each short fragment is judged
    alone; HTML blocks are elements, never joined."""
    short_goes = {"kind": "trees", "names": list(NAMES), "base": 0.0, "depth": 1,
                  "trees": [_stump(NAMES.index("log_words"), 2.0, -1.0, 2.0)], "switch": 1.0}
    prose = "The ferry to the island will run twice a day from May, the harbour office said this week."
    broken = ["Tickets can be bought", "on board", ", and the first crossing leaves at seven in the morning."]
    text = "\n".join([prose] + broken + [prose.replace("ferry", "boat")])  # 3 lines of 5 continue
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"text": short_goes, "html": short_goes}), encoding="utf-8")

    def result(join, fmt="text", data=text):
        return Cleaner(classifier_model=str(path), builtin_rules=False, format=fmt, classifier_join=join,
                       classifier_min_words=0).clean(data)

    # alone, the two short fragments (each under e**2 - 1 words) go; whole, the paragraph stays
    for join in (0.7, 2.0):
        assert [d.text for d in result(join).decisions] == broken[:2]
    for join in (0.0, 0.4, 0.6):
        whole = result(join)
        assert not whole.decisions and whole.text.split("\n\n")[1:4] == broken
    assert Cleaner().config.classifier_join == 0.4
    # a paragraph that goes is dropped line by line, each saying why
    menu_goes = {**short_goes, "trees": [_stump(NAMES.index("log_words"), 2.5, -1.0, 2.0)]}
    path.write_text(json.dumps({"text": menu_goes, "html": menu_goes}), encoding="utf-8")
    gone = result(0.4, data="\n".join(broken[:2] + [prose]))
    assert [d.text for d in gone.decisions] == broken[:2]
    assert all("as one paragraph with 1 other line(s)" in d.reason for d in gone.decisions)
    # HTML: each element alone
    path.write_text(json.dumps({"text": short_goes, "html": short_goes}), encoding="utf-8")
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</body></html>"
    assert [d.text for d in result(0.0, "html", html).decisions] == broken[:2]


def test_rounds_run_until_nothing_changes(tmp_path):
    """A model that always calls the first block boilerplate peels one block per round; the engine
    must go on until it stops (here: one block left), or cleaning the output would remove more."""
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    first_goes = {"kind": "trees", "names": list(NAMES), "base": 0.0, "depth": 1,
                  "trees": [_stump(NAMES.index("rel_pos"), 0.0, -10.0, 10.0)]}
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"text": first_goes, "html": shipped["html"]}), encoding="utf-8")
    cleaner = Cleaner(classifier_model=str(path), builtin_rules=False)
    lines = [f"Paragraph number {k} of a long page, which says something about the harbour." for k in range(20)]
    once = cleaner.clean("\n".join(lines))
    assert once.text == lines[-1] + "\n"
    assert len(once.decisions) == 19
    assert cleaner.clean(once.text).text == once.text


RELEASE_NOTE = """# Release notes

Version 2.0 brings a new parser and faster exports.

## What changed

- The parser now reads nested lists.
- Exports run twice as fast.
- Share links work again.

Read more about the parser in the docs.
"""


def test_a_short_document_is_left_to_the_rules():
    """Under classifier_min_words (100) words the classifier does not judge: the shipped model,
    trained on pages of 135 words and more, kept one line of this clean note. Rules still run,
    and at 0 the classifier judges it again."""
    from cleaner.canonical import canonical

    assert len(RELEASE_NOTE.split()) < Cleaner().config.classifier_min_words == 100
    out = Cleaner(format="text").clean(RELEASE_NOTE)
    assert out.text == canonical(RELEASE_NOTE) and not out.decisions
    judged = Cleaner(format="text", classifier_min_words=0).clean(RELEASE_NOTE)
    assert any(d.rule == "classifier.boilerplate" for d in judged.decisions)
    ad = RELEASE_NOTE + "Advertising by Adpathway\n"
    assert Cleaner(format="text").clean(ad).text == canonical(RELEASE_NOTE)


@pytest.mark.parametrize("value", [-1, 2.5, True, "100"])
def test_classifier_min_words_must_be_a_whole_number(value):
    with pytest.raises(ValueError, match="classifier_min_words must be a whole number >= 0"):
        Cleaner(classifier_min_words=value)


def test_the_threshold_counts_the_input_so_cleaning_again_changes_nothing():
    """A page over the threshold whose output is under it: the second cleaning, without the
    classifier, leaves the output as it is."""
    desks = ["world", "business", "sport", "culture", "science", "travel", "health", "climate", "food",
             "music", "film", "books", "money", "cars"]
    page = "\n".join(f"More stories from the {desk} desk" for desk in desks) + "\n" + RELEASE_NOTE
    cleaner = Cleaner(format="text")
    assert len(page.split()) >= 100
    once = cleaner.clean(page).text
    assert len(once.split()) < 100
    assert cleaner.clean(once).text == once
