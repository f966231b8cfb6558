"""The closed set of rule kinds, one function each.

Each function takes the rules of its kind and a Pass (the blocks of one document with what is still
alive) and records Decisions on it; none removes anything except through ``Pass.drop`` and
``Pass.strip``, which is what keeps every removal attributable to a rule.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import ahocorasick
import regex

from .anchors import fold as anchor_fold
from .canonical import canonical_line, unfenced
from .features import similar, word_key

_HAS_WORD = regex.compile(r"\w")
# Leftovers at the edges of a block after a span is cut out of it.
_EDGE_JUNK = " |/·•–—-:,;"
_BUCKET = 16
_LIST_ITEM = regex.compile(r"^(?:[•·▪◦●■►▸‣○*+\-–—]|\d{1,3}[.)])\s")


@dataclass(frozen=True, slots=True)
class Decision:
    """One removal: which rule, which block, what it did, and why."""

    rule: str
    action: str  # "drop" (the whole block), "strip" (a span of it) or "truncate" (a footer)
    block: int  # index of the block in the document
    line: int  # source line of the block
    text: str  # what was removed: the block, or the span
    reason: str
    span: tuple | None = None  # strip: (start, end) in the block's text as it was before this cut


def words(text: str) -> int:
    return len(text.split())


class AnchorIndex:
    """The anchors of a rule set's anchored rules (anchors.py) in two Aho-Corasick automata, one
    for anchors looked for in folded text and one for anchors as written: a single scan of a
    document finds every block holding an anchor of any rule, where looking for each anchor in
    turn scanned the document once per anchor (750 anchors in the catalogue). Immutable once
    built, so one index serves every document and thread."""

    def __init__(self, rules):
        owners: dict = {True: {}, False: {}}
        for rule in rules:
            for anchor in rule.anchors:
                owners[rule.anchors_folded].setdefault(anchor, set()).add(rule.id)
        self.rules = frozenset(rule.id for rule in rules if rule.anchors)
        self.automata = {}
        self.groups = []  # an automaton's value is the index here of the anchor's rule ids
        for folded, by_anchor in owners.items():
            if not by_anchor:
                continue
            automaton = ahocorasick.Automaton()
            for anchor, ids in by_anchor.items():
                automaton.add_word(anchor, len(self.groups))
                self.groups.append(tuple(sorted(ids)))
            automaton.make_automaton()
            self.automata[folded] = automaton

    def blocks(self, texts, folded: bool) -> dict:
        """rule id -> the indices of the texts (one line each) holding one of its anchors.

        The texts are scanned joined, each after a "\n", so that an anchor "\n..." (anchors.py's
        line-start anchors) is found at the start of every block. An anchor holds no other line
        break, so the block a match belongs to is the one its last character is in."""
        automaton = self.automata.get(folded)
        if automaton is None:
            return {}
        starts, pos = [], 1
        for text in texts:
            starts.append(pos)
            pos += len(text) + 1
        found: dict = {}  # group of rules -> blocks
        for end, group in automaton.iter("\n" + "\n".join(texts)):
            k = bisect.bisect_right(starts, end) - 1
            hits = found.get(group)
            if hits is None:
                found[group] = {k}
            else:
                hits.add(k)
        out: dict = {}
        for group, hits in found.items():
            for rule_id in self.groups[group]:
                known = out.get(rule_id)
                if known is None:
                    out[rule_id] = set(hits)
                else:
                    known |= hits
        return out


class Pass:
    """The mutable state of cleaning one document; made fresh per document, never shared.

    ``anchors`` (an AnchorIndex of the rules that will judge it) lets find() look for every
    anchored rule's anchors in one scan; without it those rules are searched like the others."""

    __slots__ = ("blocks", "texts", "nwords", "words_in", "alive", "decisions", "timeouts", "timeout",
                 "_scan", "keys", "protected", "_anchor_hits", "memo", "anchors", "_selected")

    def __init__(self, blocks, timeout, anchors: AnchorIndex | None = None):
        self.blocks = blocks
        self.texts = [b.text for b in blocks]
        self.nwords = [words(t) for t in self.texts]
        self.words_in = sum(self.nwords)
        # text -> its word key (fold), computed once per document: dedup reads every live
        # block's, and the classifier's features reuse them for the repeat column
        self.keys = {}
        # blocks that carry "cleaner: keep" are never removed or cut, by any rule or the classifier
        self.protected = frozenset(i for i, t in enumerate(self.texts) if "cleaner: keep" in t)
        self.alive = [True] * len(blocks)
        self.decisions = []
        self.timeouts = []
        self.timeout = timeout
        # max_words -> (eligible indices, joined text, line starts); reset by a strip
        self._scan = {}
        self.anchors = anchors
        self._anchor_hits = {}  # folded? -> {rule id: blocks holding its anchors}; reset by a strip
        self.memo = {}  # what the classifier computed in one round and may reuse in the next
        self._selected = None  # selector rule id -> the blocks its elements hold, in order

    def selected_by(self, rule_id) -> list[int]:
        """Indices of the blocks (live or not) inside an element the rule's selector matched
        (HTML input; none for text)."""
        if self._selected is None:
            self._selected = {}
            for i, block in enumerate(self.blocks):
                for selected_id in block.selected:
                    self._selected.setdefault(selected_id, []).append(i)
        return self._selected.get(rule_id, ())

    def find(self, rule) -> list[int]:
        """Indices of the blocks (live or not) within the rule's max_words that its patterns match.

        The blocks a rule may judge are joined one per line and each pattern searched once over
        them, restarting at the line after each hit; each hit is confirmed on its block alone.
        Patterns are MULTILINE, so a block's match is also a match of the joined text: nothing is
        missed, and the confirmation removes matches that strayed across a line end. Rules with
        lookarounds (which could look across lines) are searched block by block.
        """
        if rule.anchors and self.anchors is not None and rule.id in self.anchors.rules:
            return [i for i in self._anchored(rule) if self.search(rule, self.texts[i])]
        eligible, text, starts = self._scan_text(rule.max_words)
        if not eligible:
            return []
        if not rule.prefilter:
            return [i for i in eligible if self.search(rule, self.texts[i])]
        found = set()
        for pattern in rule.patterns:
            pos = 0
            while pos < len(text):
                try:
                    m = pattern.search(text, pos, timeout=self.timeout)
                except TimeoutError:
                    # a budget meant for one block ran out on many: judge block by block
                    return [i for i in eligible if self.search(rule, self.texts[i])]
                if not m:
                    break
                k = bisect.bisect_right(starts, m.start()) - 1
                found.add(k)
                pos = starts[k + 1] if k + 1 < len(starts) else len(text)
        return [eligible[k] for k in sorted(found) if self.search(rule, self.texts[eligible[k]])]

    def _anchored(self, rule) -> list[int]:
        """Indices of the blocks within the rule's max_words that contain one of its anchors: the
        only blocks any of its patterns can match (anchors.py)."""
        hits = self._anchor_hits.get(rule.anchors_folded)
        if hits is None:
            texts = [anchor_fold(t) for t in self.texts] if rule.anchors_folded else self.texts
            hits = self._anchor_hits[rule.anchors_folded] = self.anchors.blocks(texts, rule.anchors_folded)
        limit = rule.max_words
        return sorted(i for i in hits.get(rule.id, ()) if not limit or self.nwords[i] <= limit)

    def changed(self):
        """Forget what was derived from the blocks' texts (after a strip)."""
        self._scan.clear()
        self._anchor_hits.clear()

    def _scan_text(self, max_words):
        """The blocks of at most ``max_words`` words joined one per line, with their line starts.

        Many rules share a max_words value, so this is built once per value and document."""
        cached = self._scan.get(max_words)
        if cached is None:
            eligible = [i for i, n in enumerate(self.nwords) if not max_words or n <= max_words]
            parts = [self.texts[i] for i in eligible]
            starts, pos = [], 0
            for part in parts:
                starts.append(pos)
                pos += len(part) + 1
            cached = self._scan[max_words] = (eligible, "\n".join(parts), starts)
        return cached

    def folded(self, i) -> str:
        """The block's comparison key (see fold), computed once per text."""
        text = self.texts[i]
        key = self.keys.get(text)
        if key is None:
            key = self.keys[text] = fold(text)
        return key

    def search(self, rule, text):
        try:
            return rule.search(text, self.timeout)
        except TimeoutError:
            self.timeouts.append(rule.id)
            return None

    def drop(self, i, rule_id, reason, action="drop"):
        if i in self.protected:
            return
        self.alive[i] = False
        self.decisions.append(Decision(rule_id, action, i, self.blocks[i].line, self.texts[i], reason))

    def strip(self, i, rule_id, reason, start, end):
        if i in self.protected:
            return
        text = self.texts[i]
        self.decisions.append(Decision(rule_id, "strip", i, self.blocks[i].line, text[start:end], reason, (start, end)))
        self.texts[i] = text[:start] + text[end:]
        self.changed()


def tidy(text: str) -> str:
    """A block's text after spans were cut from it: spaces collapsed, dangling separators gone."""
    return unfenced(canonical_line(canonical_line(text).strip(_EDGE_JUNK)))


def apply_strip(rules, p: Pass) -> None:
    touched = set()
    for rule in rules:
        for i in p.find(rule):
            # a code block is written as it came (Block.code): a span cut from its words could
            # not be cut from its lines, and code holds no injected ad text to cut
            if not p.alive[i] or p.blocks[i].code:
                continue
            for pattern in rule.patterns:
                try:
                    spans = [m.span() for m in pattern.finditer(p.texts[i], timeout=p.timeout) if m.end() > m.start()]
                except TimeoutError:
                    p.timeouts.append(rule.id)
                    continue
                for start, end in reversed(spans):
                    p.strip(i, rule.id, rule.summary, start, end)
                    touched.add((i, rule.id))
    for i, rule_id in sorted(touched):
        if not p.alive[i]:
            continue
        p.texts[i] = tidy(p.texts[i])
        p.nwords[i] = words(p.texts[i])
        p.changed()
        if not _HAS_WORD.search(p.texts[i]):
            p.drop(i, rule_id, "nothing but the stripped span was left")


def apply_drop(rules, p: Pass) -> None:
    for rule in rules:
        if rule.selector:
            for i in p.selected_by(rule.id):
                if p.alive[i]:
                    p.drop(i, rule.id, rule.summary)
        if rule.patterns:
            for i in p.find(rule):
                if p.alive[i]:
                    p.drop(i, rule.id, rule.summary)


def apply_exact(rules, p: Pass) -> None:
    """Drop blocks whose folded text is one of a rule's blocks (rules written by `cleaner learn`)."""
    for rule in rules:
        limit = rule.max_words or 10**9
        for i, alive in enumerate(p.alive):
            if alive and p.nwords[i] <= limit and p.folded(i) in rule.blocks:
                p.drop(i, rule.id, rule.summary)


def is_list_item(block, text) -> bool:
    return block.in_list or bool(_LIST_ITEM.match(text))


def apply_drop_with_list(rules, p: Pass) -> None:
    """Drop a widget heading and the list that follows it (e.g. an AI summary's bullet points)."""
    for rule in rules:
        for i in p.find(rule):
            if not p.alive[i]:
                continue
            p.drop(i, rule.id, rule.summary)
            for j in range(i + 1, len(p.alive)):
                if not p.alive[j]:
                    continue
                if not is_list_item(p.blocks[j], p.texts[j]):
                    break
                p.drop(j, rule.id, "list item under a dropped widget heading")


def apply_truncate(rules, p: Pass, tail_max_words: int) -> None:
    """Cut the document at a footer marker, when what follows it looks like a list of teasers.

    A marker qualifies when its tail (the live blocks after it, other markers aside) holds no
    block longer than ``tail_max_words`` and it stands in the second half of the live words.
    Markers already dropped by another rule (a bare "Read more" link) count too.

    Idempotence decides the search order: a marker whose tail holds prose is passed over (it will
    still hold that prose next time); a live marker with a short tail that fails the position test
    ends the search, because cutting at a later marker would shorten its tail and could qualify it
    on a second run; a dropped one does not (it will not be there on a second run).
    """
    markers = {}
    for rule in rules:
        for i in p.find(rule):
            markers.setdefault(i, rule)
    if not markers:
        return
    live = [i for i, alive in enumerate(p.alive) if alive]
    counts = {i: p.nwords[i] for i in live}
    for m in sorted(markers):
        tail = [i for i in live if i > m and i not in markers]
        if any(counts[i] > tail_max_words for i in tail):
            continue
        before = sum(counts[i] for i in live if i < m)
        after = sum(counts[i] for i in live if i >= m)
        if before >= after:
            rule = markers[m]
            if p.alive[m]:
                p.drop(m, rule.id, rule.summary, action="truncate")
            for i in live:
                if i > m:
                    p.drop(i, rule.id, "after a footer marker", action="truncate")
            return
        if p.alive[m]:
            return


def fold(text: str) -> str:
    """The comparison key of a block: case, spacing and punctuation ignored (its words, case
    folded: the key the classifier's repeat feature uses, compiled when cleaner._native is)."""
    return word_key(text)


def _in_list_or_cell(block) -> bool:
    """Whether an HTML block is in a list (ul, ol, dl, menu) or a table cell: the places where short
    texts repeat as the content itself (field labels, names in two lists, a table's values)."""
    return block.in_list or block.tag in ("td", "th")


def _below_floor(key: str, block, floor: int, list_floor: int) -> bool:
    """Whether a dedup rule leaves this block alone: shorter than its floor, or than its list
    floor in a list or a table cell (both kinds of comparison honour both floors)."""
    return len(key) < floor or (len(key) < list_floor and _in_list_or_cell(block))


def _copy_not_edit(a: str, b: str) -> bool:
    """Whether two nearly equal keys (words one space apart, folded) are one paragraph printed
    twice rather than two sentences of the article: they differ only inside words (a typo, an
    accent, "comuniqué"), or one is the other cut short (a teaser). A whole word changed, added
    or dropped is an edit that can change the meaning ("rent" and "deposit", "5 mg" and "50 mg",
    "guilty" and "not guilty", "Step 1" and "Step 2"), and both are kept: on the dev pages, the
    rule without this test removed more of the gold than of the boilerplate (bench/RESULTS.md)."""
    wa, wb = a.split(" "), b.split(" ")
    if len(wa) != len(wb):
        short, longer = (wa, wb) if len(wa) < len(wb) else (wb, wa)
        # cut short, the last word perhaps mid-way ("... selon un commu")
        return longer[:len(short) - 1] == short[:-1] and longer[len(short) - 1].startswith(short[-1])
    for x, y in zip(wa, wb):
        if x != y and (x.isdigit() or y.isdigit() or not similar(x, y, 0.75)):
            return False
    return True


def apply_dedup(rules, p: Pass) -> None:
    """Drop repeated blocks, the first one kept.

    A rule of similarity 1.0 compares folded text exactly. Below 1.0 it compares a block with
    earlier live blocks that share its first or its last four words (one typo cannot change both
    ends of a paragraph of eight words or more), by difflib's ratio (features.similar).
    """
    if not rules:
        return
    # Every rule compares the same keys (the texts do not change here), so they are read once;
    # a block dead from the start has none, and alive[i] is False for it.
    keys = [p.folded(i) if alive else None for i, alive in enumerate(p.alive)]
    alive = p.alive
    for rule in rules:
        floor = max(rule.min_chars, 1)
        list_floor = rule.min_chars_in_lists
        if rule.similarity >= 1.0:
            seen: dict = {}
            for i, key in enumerate(keys):
                if not alive[i] or _below_floor(key, p.blocks[i], floor, list_floor):
                    continue
                first = seen.setdefault(key, i)
                if first != i:
                    p.drop(i, rule.id, f"repeats the block at line {p.blocks[first].line}")
            continue
        heads: dict = {}
        tails: dict = {}
        for i, key in enumerate(keys):
            if not alive[i] or _below_floor(key, p.blocks[i], floor, list_floor):
                continue
            # a key is its words one space apart (fold), so its ends are cut at spaces
            head = " ".join(key.split(" ", 4)[:4])
            tail = " ".join(key.rsplit(" ", 4)[-4:])
            same_head, same_tail = heads.get(head), tails.get(tail)
            match = None
            if same_head is not None or same_tail is not None:
                # Only the latest few blocks of a bucket are compared: a template line that ends
                # many paragraphs the same way must not make the pass quadratic.
                candidates = (same_head or [])[-_BUCKET:] + (same_tail or [])[-_BUCKET:]
                toks = key.split(" ")
                for j, other in candidates:
                    if not alive[j] or j == i:
                        continue
                    lo, hi = sorted((len(key), len(other)))
                    if 2 * lo / (lo + hi) < rule.similarity:
                        continue
                    # Cheap gate on words first: one typo changes one word, so most words are shared.
                    if len(set(toks) & set(other.split(" "))) < 0.6 * len(toks):
                        continue
                    if similar(other, key, rule.similarity) and _copy_not_edit(other, key):
                        match = j
                        break
            if match is not None:
                p.drop(i, rule.id, f"nearly repeats the block at line {p.blocks[match].line}")
            else:
                if same_head is None:
                    heads[head] = [(i, key)]
                else:
                    same_head.append((i, key))
                if same_tail is None:
                    tails[tail] = [(i, key)]
                else:
                    same_tail.append((i, key))
