"""The literal prefilter: a rule's patterns run only on blocks holding one of its anchors, and that
must never lose a match."""
import regex
from hypothesis import given
from hypothesis import strategies as st

from cleaner.anchors import fold, pattern_anchors, rule_anchors
from cleaner.document import Document
from cleaner.kinds import AnchorIndex, Pass
from cleaner.rules import load_rules

RULES = [r for r in load_rules() if r.patterns]
ANCHORED = [r for r in RULES if r.anchors]
INDEX = AnchorIndex(RULES)


def test_anchors_of_simple_patterns():
    assert pattern_anchors(r"\bcookies?\b", False) == (frozenset({"cookie", "cookies"}), True)
    assert rule_anchors([r"\bcookies?\b"], False) == (("cookie",), True)  # "cookies" holds "cookie"
    # an optional piece is read both ways
    assert pattern_anchors(r"e-?mail", False) == (frozenset({"email", "e-mail"}), True)
    assert pattern_anchors(r"\b(?:Read also|Lire aussi)\s*:", False) == (frozenset({"read also", "lire aussi"}), True)
    # the longest piece every match needs is chosen
    assert pattern_anchors(r"\b(?:we|our site) uses? \w*cookies\b", True) == (frozenset({"cookies"}), False)
    # optional pieces require nothing; a repeat of at least one does
    assert pattern_anchors(r"^(?:advert)?\d+$", False) == (None, True)
    assert pattern_anchors(r"(?:sponsored\s*)+$", False) == (frozenset({"sponsored"}), True)


def test_a_literal_before_a_group_anchors_with_each_alternative():
    # "(" alone is too short and the words alone are common; "(" and the word are neither
    assert pattern_anchors(r"\s*\((?:photo|credit|image)\s*:", False) == (frozenset({"(photo", "(credit", "(image"}), True)
    # an alternative that starts with no literal leaves the literal alone as its anchor
    assert pattern_anchors(r"read (?:\w+ )?more", False) == (frozenset({"read "}), True)
    assert pattern_anchors(r"Lire (?:aussi|encore)", True) == (frozenset({"Lire aussi", "Lire encore"}), False)
    # a group with its own flags matches text the literal join would miss: the words stay apart
    assert pattern_anchors(r"Lire (?i:aussi|encore)", True) == (frozenset({"Lire "}), False)


@given(st.text("ab(x ", min_size=1, max_size=4), st.lists(st.text("abxy(", max_size=4), min_size=1, max_size=4),
       st.lists(st.text("ab(xy ", max_size=6), max_size=6), st.booleans())
def test_anchors_of_a_literal_and_a_group_hold_in_every_match(prefix, alternatives, pieces, optional):
    source = regex.escape(prefix) + "(?:" + "|".join(regex.escape(a) for a in alternatives) + ")" + ("?" if optional else "") + "x"
    anchors, folded = pattern_anchors(source, True)
    text = "".join(p + prefix + alternatives[k % len(alternatives)] + "x" for k, p in enumerate(pieces))
    for m in regex.finditer(source, text):
        if anchors is not None:
            assert any(a in m.group() for a in anchors), (source, m.group(), anchors)


def test_property_classes_are_classes():
    """The regex module's \\p{..} classes, which Python's parser rejects, are read as a class:
    they hold no literal, and the literals around them still anchor the pattern."""
    assert pattern_anchors(r"^\p{Lu}+ by Adpathway$", False) == (frozenset({" by adpathway"}), True)
    assert pattern_anchors(r"[\p{L}\d]+ cookies \PL", False) == (frozenset({" cookies "}), True)
    assert pattern_anchors(r"\pN+ comments", False) == (frozenset({" comments"}), True)
    # an escaped backslash before "p{L}" makes it literal text, which stays an anchor
    assert pattern_anchors(r"\\p{L}abc", True) == (frozenset({"\\p{L}abc"}), False)


def test_line_start_anchors():
    """A pattern that can only match at the start of a line is anchored by the literal texts it
    starts with, after a line break: short words ("ad", "x") that would filter nothing anywhere
    in a line are rare as the first word of one."""
    assert pattern_anchors(r"^(?:ads?|sponsored)\s+by\s+\S+$", False) == (
        frozenset({"\nad", "\nads", "\nsponsored"}), True)
    assert rule_anchors([r"^(?:ads?|sponsored)\s+by\s+\S+$"], False) == (("\nad", "\nsponsored"), True)
    assert pattern_anchors(r"^(?:(?:x|e-?mail)[\s|]*){2,}$", False) == (frozenset({"\nx", "\nemail", "\ne-mail"}), True)
    assert pattern_anchors(r"^©|^\([cC]\)\s", True) == (frozenset({"\n©", "\n(c)", "\n(C)"}), False)
    assert pattern_anchors(r"^(?:Read also|Lire aussi)\s*:", False) == (
        frozenset({"\nread also", "\nlire aussi"}), True)
    # a longer anchor anywhere in the match is preferred
    assert pattern_anchors(r"^(?:a|b)\s+newsletter", False) == (frozenset({"newsletter"}), True)
    # a start that may be anything, or a branch not every alternative of which starts a line
    assert pattern_anchors(r"^\s*ad\b", False)[0] is None
    assert pattern_anchors(r"^(?:ad|\d+)$", False)[0] is None
    assert pattern_anchors(r"^ad|ad$", False)[0] is None


def test_no_anchors_when_unsure():
    assert pattern_anchors(r"(?|(cookie)|(biscuit))s", False)[0] is None  # regex-only syntax
    assert pattern_anchors(r"(?-i:Menu) items", False)[0] == frozenset({" items"})
    assert pattern_anchors(r"ab\d", False)[0] is None  # too short to filter anything
    # fuzzy matching (regex module only) may match without the literal text
    assert pattern_anchors(r"\b(?:newsletter){e<=1}\b", False)[0] is None
    assert regex.search(r"\b(?:newsletter){e<=1}\b", "the newsleter", regex.I)
    # one pattern without anchors: the rule has none
    assert rule_anchors([r"\bcookies\b", r"^\d+ h$"], False) == (None, False)
    assert rule_anchors([r"\bcookies\b", r"^\d+ ago$"], False) == ((" ago", "cookies"), True)


def test_most_of_the_catalogue_is_anchored():
    assert len(ANCHORED) >= 0.7 * len(RULES)


def test_fold_keeps_what_the_regex_module_matches_together():
    """Every character a case-insensitive pattern's anchor letter matches folds to contain it."""
    letters = sorted({c for r in ANCHORED if r.anchors_folded for a in r.anchors for c in a} | set("iIİıßsSkK"))
    cased = [chr(c) for c in range(0x2FFFF)
             if chr(c).lower() != chr(c) or chr(c).upper() != chr(c) or chr(c).casefold() != chr(c)]
    for letter in letters:
        pattern = regex.compile(regex.escape(letter), regex.IGNORECASE | regex.V0)
        for c in cased:
            if pattern.search(c):
                assert fold(letter) in fold(c), (letter, c)


def _brute_force(rule, p):
    return [i for i, n in enumerate(p.nwords) if n <= rule.max_words and rule.search(p.texts[i])]


# Lines near what the rules look for: their own examples, upper-cased, title-cased and glued to
# other text, and random text.
EXAMPLES = sorted({line for r in RULES for ex in r.remove + r.keep for line in ex.split("\n") if line.strip()})
LINE = st.one_of(
    st.sampled_from(EXAMPLES),
    st.sampled_from(EXAMPLES).map(str.upper),
    st.sampled_from(EXAMPLES).map(str.title),
    st.tuples(st.text(max_size=20), st.sampled_from(EXAMPLES), st.text(max_size=20)).map("".join),
    st.text(max_size=60),
)


@given(st.lists(LINE, min_size=1, max_size=12))
def test_prefilter_finds_what_a_search_of_every_block_finds(lines):
    blocks = Document.from_text("\n".join(lines)).blocks
    for rule in ANCHORED:
        p = Pass(blocks, 1.0, INDEX)
        assert p.find(rule) == _brute_force(rule, p), rule.id


def test_rule_examples_pass_the_prefilter():
    for rule in ANCHORED:
        for example in rule.remove:
            blocks = Document.from_text(example).blocks
            p = Pass(blocks, 1.0, INDEX)
            if _brute_force(rule, p):
                assert p.find(rule), rule.id


def test_one_scan_finds_overlapping_anchors_of_different_rules(tmp_path):
    """Anchors of different rules may overlap or nest ("cookie" in "cookies"), and some rules look
    for them as written ("Share", not "share"), others folded: each rule still gets every block
    holding one of its own anchors, within its max_words."""
    (tmp_path / "t.yml").write_text("""
family: t
description: overlapping anchors
rules:
  - id: t.cookie
    description: "Removes: cookie lines. Why: a test. Keeps: the rest."
    kind: drop
    max_words: 5
    patterns: ['(?i)cookie']
    examples: {remove: ["cookie"], keep: ["x"]}
  - id: t.cookies
    description: "Removes: cookies lines. Why: a test. Keeps: the rest."
    kind: drop
    max_words: 50
    patterns: ['(?i)cookies\\b']
    examples: {remove: ["Cookies"], keep: ["x"]}
  - id: t.share
    description: "Removes: Share, as written. Why: a test. Keeps: the rest."
    kind: drop
    case_sensitive: true
    max_words: 50
    patterns: ['Share']
    examples: {remove: ["Share"], keep: ["share"]}
""", encoding="utf-8")
    rules = list(load_rules([str(tmp_path / "t.yml")], builtin=False))
    assert all(r.anchors for r in rules)
    index = AnchorIndex(rules)
    assert index.rules == {r.id for r in rules}  # all three go through the one scan
    lines = ["We use COOKIES.", "cookie", "Share this", "share this", "no match here",
             "a long line that mentions cookies and goes on past the five words of the first rule"]
    p = Pass(Document.from_text("\n".join(lines)).blocks, 1.0, index)
    found = {r.id: p.find(r) for r in rules}
    assert found == {"t.cookie": [0, 1], "t.cookies": [0, 5], "t.share": [2]}
    assert found == {r.id: _brute_force(r, p) for r in rules}


def test_line_start_anchors_find_what_a_search_of_every_block_finds(tmp_path):
    """Blocks that start with a rule's first word are found, the first block too; blocks that only
    hold it further in are not even searched."""
    (tmp_path / "t.yml").write_text("""
family: t
description: line-start anchors
rules:
  - id: t.credit
    description: "Removes: ad credit lines. Why: a test. Keeps: the rest."
    kind: drop
    max_words: 6
    patterns: ['^(?:ads?|sponsored)\\s+by\\s+\\p{L}+$']
    examples: {remove: ["Ads by Example"], keep: ["x"]}
  - id: t.copyright
    description: "Removes: copyright lines. Why: a test. Keeps: the rest."
    kind: drop
    case_sensitive: true
    max_words: 6
    patterns: ['^©', '^\\([cC]\\)\\s']
    examples: {remove: ["© Example"], keep: ["x"]}
""", encoding="utf-8")
    rules = list(load_rules([str(tmp_path / "t.yml")], builtin=False))
    assert [r.anchors for r in rules] == [("\nad", "\nsponsored"), ("\n(C)", "\n(c)", "\n©")]
    index = AnchorIndex(rules)
    lines = ["Ads by Example", "Read this. Ads by Example", "SPONSORED by Someone", "adverts by hand",
             "© Example", "Photo © Example", "(C) Example", "(c)Example", "ads by far too many words here"]
    p = Pass(Document.from_text("\n".join(lines)).blocks, 1.0, index)
    found = {r.id: p.find(r) for r in rules}
    assert found == {"t.credit": [0, 2], "t.copyright": [4, 6]}
    assert found == {r.id: _brute_force(r, p) for r in rules}
    assert sorted(index.blocks([fold(t) for t in lines], True)["t.credit"]) == [0, 2, 3, 8]


@given(st.lists(st.text("ab x", min_size=1, max_size=3), min_size=1, max_size=4), st.booleans(),
       st.lists(st.text("abx \n", max_size=8), max_size=8))
def test_line_start_anchors_hold_in_every_match(alternatives, optional, lines):
    """Wherever such a pattern matches, the line it matches in starts with one of the anchors."""
    source = "^(?:" + "|".join(regex.escape(a) for a in alternatives) + ")" + ("?" if optional else "") + "x"
    anchors, _ = pattern_anchors(source, True)
    text = "\n".join(alt + line for alt, line in zip(alternatives * 8, lines))
    assert anchors is None or all(a.startswith("\n") for a in anchors)
    for m in regex.finditer(source, text, regex.MULTILINE):
        if anchors is not None:
            line_start = text.rfind("\n", 0, m.start()) + 1
            assert any(("\n" + text[line_start:]).startswith(a) for a in anchors), (source, anchors)
