r"""Literal anchors: strings one of which every match of a pattern must contain.

Most catalogue patterns can only match where some word occurs ("cookies", "newsletter", one of a
menu's labels). Searching a document for those words is a C-speed substring test; running the
backtracking engine over it is not. So each pattern's anchors are worked out once, when the rules
load, from the pattern's parse tree, and a rule's patterns run on a document only when one of its
anchors is in it. This is the literal prefilter that grep, ripgrep and hyperscan put in front of a
regex engine.

A pattern that can only match at the start of a line (``^(?:ad|ads|sponsored)\s+by ...``) is
anchored by the texts it starts with, each written after a "\n": the scan looks for them in the
blocks joined one per line after a line break, so they are found at the start of a block only.
"ad" anywhere would filter nothing; "ad" as a block's first letters filters nearly everything.

The analysis is conservative: whatever it cannot read (a construct Python's own parser does not
know, inline flags inside the pattern, a pattern whose every required piece is shorter than
MIN_ANCHOR and that may start anywhere) gives no anchors, and the rule then always runs. The
regex module's property classes (``\p{L}``) are read as any other class. Case-insensitive patterns compare
folded text (``fold``), which keeps every pair of characters the regex module matches without
regard to case together (tests/test_anchors.py checks all cased characters).
"""
from __future__ import annotations

import re
import warnings

try:  # Python 3.11+: the parser lives in re._parser
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse

# Anchors shorter than this occur in nearly every document and would filter nothing.
MIN_ANCHOR = 3

_IGNORECASE = 2  # re.IGNORECASE, as stored in a parsed pattern's state flags
# The regex module's fuzzy matching ("(?:cookie){e<=1}"): the one piece of its syntax that Python's
# own parser accepts with another meaning (as literal braces) instead of rejecting.
_FUZZY = re.compile(r"\{[^{}]*[eisd]\s*(?:<=?|>=?|=|\+|\})")


def fold(text: str) -> str:
    """Case-folded text for anchor tests. str.casefold alone misses two pairs the regex module
    matches case-insensitively: dotless ı with I, and İ with i."""
    return text.casefold().replace("ı", "i").replace("i\u0307", "i")


def _best(candidates):
    """The most selective of several alternative anchor sets: the longest shortest anchor."""
    usable = [c for c in candidates if c and min(map(len, c)) >= MIN_ANCHOR]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


# Consecutive pieces with a few exact readings each ("(?:download|get) (?:our|the) app") give
# their combinations as anchors, up to this many.
MAX_COMBINATIONS = 64


_REPEATS = tuple(op for op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT,
                               getattr(sre_parse, "POSSESSIVE_REPEAT", None)) if op is not None)


def _exact(op, av):
    """The strings a construct matches, when they are few and fixed (a literal, a small class of
    literals, a group or alternation of such), else None."""
    if op is sre_parse.LITERAL:
        return {chr(av)}
    if op is sre_parse.IN:
        if len(av) <= 4 and all(o is sre_parse.LITERAL for o, _ in av):
            return {chr(c) for _, c in av}
        return None
    if op is sre_parse.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _exact_sequence(list(sub))
    if op is sre_parse.BRANCH:
        out = set()
        for alt in av[1]:
            strings = _exact_sequence(list(alt))
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= MAX_COMBINATIONS else None
    if op in _REPEATS and av[0] == 0 and av[1] == 1:  # "e-?mail": an optional piece is there or not
        strings = _exact_sequence(list(av[2]))
        return None if strings is None or len(strings) >= MAX_COMBINATIONS else strings | {""}
    return None


def _exact_sequence(items):
    out = {""}
    for op, av in items:
        strings = _exact(op, av)
        if strings is None or len(out) * len(strings) > MAX_COMBINATIONS:
            return None
        out = {a + b for a in out for b in strings}
    return out


def _literal_head(items) -> str:
    """The literal text a parsed sequence starts with ("" when it starts otherwise)."""
    head = []
    for op, av in items:
        if op is not sre_parse.LITERAL:
            break
        head.append(chr(av))
    return "".join(head)


def _leading(op, av):
    """For a group or alternation: the literal text each of its alternatives starts with (some
    may be ""), or None for any other construct, or a group that sets flags."""
    if op is sre_parse.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return None
        items = list(sub)
        if len(items) == 1 and items[0][0] is sre_parse.BRANCH:
            op, av = items[0]
        else:
            return {_literal_head(items)}
    if op is sre_parse.BRANCH:
        return {_literal_head(alt) for alt in av[1]}
    return None


def _required(items):
    """A set of strings one of which every match of this parsed sequence contains, or None.

    Consecutive pieces with fixed readings are combined ("\\((?:photo|image)" gives "(photo" and
    "(image"; "(?:get|download) (?:our|the) app" gives "get our app", "download the app" and two
    more), and a run that meets a group goes on with the literal start of each alternative: the
    longer the anchors, the fewer blocks hold one."""
    candidates = []
    run = {""}  # the exact readings of the pieces since the last unknown one
    for op, av in items:
        strings = _exact(op, av)
        if strings is not None:
            if len(run) * len(strings) <= MAX_COMBINATIONS:
                run = {a + b for a in run for b in strings}
            else:
                candidates.append(frozenset(run))
                run = set(strings)
            continue
        if run != {""}:
            candidates.append(frozenset(run))
            heads = _leading(op, av)
            if heads is not None and len(run) * len(heads) <= MAX_COMBINATIONS:
                candidates.append(frozenset(a + h for a in run for h in heads))
            run = {""}
        if op is sre_parse.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                continue  # inline flags change what matches: nothing to learn here
            candidates.append(_required(sub))
        elif op is sre_parse.BRANCH:
            alternatives = [_required(alt) for alt in av[1]]
            if all(a is not None for a in alternatives):
                candidates.append(frozenset().union(*alternatives))
        elif op in _REPEATS:
            low, _high, sub = av
            if low >= 1:
                candidates.append(_required(sub))
        elif op is getattr(sre_parse, "ATOMIC_GROUP", None):
            candidates.append(_required(av))
        # anything else (classes, anchors, any-character, backreferences) requires no literal
    if run != {""}:
        candidates.append(frozenset(run))
    return _best(candidates)


def _prefixes(items):
    """A set of strings one of which every match of this parsed sequence starts with ("" among
    them when it can start otherwise)."""
    if not items:
        return {""}
    op, av = items[0]
    strings = _exact(op, av)
    if strings is not None:
        rest = _prefixes(items[1:])
        return {a + b for a in strings for b in rest} if len(strings) * len(rest) <= MAX_COMBINATIONS else strings
    if op is sre_parse.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return {""} if add_flags or del_flags else _prefixes(list(sub))
    if op is sre_parse.BRANCH:
        out = set().union(*(_prefixes(list(alt)) for alt in av[1]))
        return out if len(out) <= MAX_STARTS else {""}
    if op in _REPEATS and av[0] >= 1:
        return _prefixes(list(av[2]))
    if op is getattr(sre_parse, "ATOMIC_GROUP", None):
        return _prefixes(list(av))
    return {""}


# A pattern anchored at the start of a line may have this many different literal beginnings.
MAX_STARTS = 512
_STARTS = (sre_parse.AT_BEGINNING, sre_parse.AT_BEGINNING_STRING)


def _line_starts(items):
    """For a pattern whose every match begins a line (``^...``, or ``^a|^b``): the literal texts
    one of which it starts with, each after a "\n" (a line start in text joined one block per line
    after a leading "\n"); None if it may start elsewhere or with anything."""
    if len(items) == 1 and items[0][0] is sre_parse.BRANCH:
        alternatives = [_line_starts(list(alt)) for alt in items[0][1][1]]
        if any(a is None for a in alternatives):
            return None
        return frozenset().union(*alternatives)
    if not items or items[0][0] is not sre_parse.AT or items[0][1] not in _STARTS:
        return None
    heads = _prefixes(items[1:])
    if "" in heads:
        return None
    return frozenset("\n" + h for h in heads)


# The regex module's property classes (\p{L}, \P{Lu}, \pN), which Python's own parser rejects. For
# finding anchors any class does as well as another (no class is read as literal text), so they
# are read as \w; a backslash before them that is itself escaped is left alone.
_PROPERTY = re.compile(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^{}]*\}|[A-Za-z])")


def pattern_anchors(source: str, case_sensitive: bool):
    """(anchors, folded) for one pattern: a frozenset of strings, or None when it has none it can
    prove; ``folded`` says whether to look for them in folded text."""
    if _FUZZY.search(source):
        return None, False  # Python's parser would read a fuzzy constraint as literal text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = sre_parse.parse(_PROPERTY.sub(r"\1\\w", source))
    except Exception:  # noqa: BLE001 - the regex module's own syntax (sets, \X, ...): no anchors
        return None, False
    folded = not case_sensitive or bool(parsed.state.flags & _IGNORECASE)
    anchors = _required(list(parsed))
    starts = _line_starts(list(parsed))
    # a text at the start of a line is rarer than the same text anywhere: line starts win unless
    # the anchors found anywhere in a match are longer
    if starts is not None and (anchors is None or min(map(len, starts)) > min(map(len, anchors))):
        anchors = starts
    if anchors is None:
        return None, folded
    return (frozenset(fold(a) for a in anchors) if folded else anchors), folded


def rule_anchors(sources, case_sensitive: bool):
    """(anchors, folded) for a rule: any match of any of its patterns contains one of the anchors.
    (None, False) when some pattern has no anchors, or the patterns disagree on folding."""
    result, folded_all = set(), None
    for source in sources:
        anchors, folded = pattern_anchors(source, case_sensitive)
        if anchors is None or (folded_all is not None and folded != folded_all):
            return None, False
        folded_all = folded
        result |= anchors
    if not result or any("\n" in a[1:] for a in result):
        return None, False  # (a block is one line: an anchor across lines would mislead)
    # an anchor that contains another is implied by it: keep the shorter
    kept = [a for a in result if not any(b != a and b in a for b in result)]
    return tuple(sorted(kept)), bool(folded_all)
