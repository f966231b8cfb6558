"""The engine: applies a RuleSet to a Document and returns a Cleaned result.

Kinds run in a fixed order, each on what the previous ones left alive:
strip (so a block is judged on its text without injected spans) -> drop -> drop-with-list ->
dedup -> {truncate-after, classifier} until neither removes anything -> guard.

truncate-after and the classifier come last, and loop, because they measure what the others left:
a stage after them could shorten a marker's tail or change a block's neighbours and make a second
run remove what the first kept, and cleaning must be idempotent.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import kinds
from .canonical import join_blocks
from .config import FORMATS, Config
from .document import Document, written_blocks
from .kinds import Decision, Pass, tidy, words
from .classifier import RULE_ID as CLASSIFIER_ID
from .rules import RuleSet, load_rules, selected


@dataclass(frozen=True)
class Cleaned:
    """The clean text of one document, with every decision that made it."""

    text: str
    decisions: tuple
    source: str = "<stdin>"
    guarded: bool = False  # True: the decisions would have gutted the document, so none applied
    words_in: int = 0
    words_out: int = 0
    timeouts: tuple = ()  # ids of rules whose pattern ran out of time on some block
    language: str | None = None
    skipped: bool = False  # True: the document asked to be left alone ("cleaner: skip-file")

    @property
    def changed(self) -> bool:
        return bool(self.decisions) and not self.guarded

    def counts(self) -> Counter:
        """Blocks removed per rule id (strips count the spans cut)."""
        return Counter(d.rule for d in self.decisions) if not self.guarded else Counter()

    def words_removed(self) -> Counter:
        out = Counter()
        if not self.guarded:
            for d in self.decisions:
                out[d.rule] += words(d.text)
        return out


class Cleaner:
    """Rules compiled once; ``clean`` may be called from many threads at once.

    A Cleaner holds only immutable values after construction: every per-document state lives in a
    Pass made for that document.
    """

    def __init__(self, config: Config | None = None, ruleset: RuleSet | None = None, **options):
        config = (config or Config()).replace(**options) if options else (config or Config())
        config.validate()
        self.config = config
        if ruleset is None:
            # the classifier's id is selected and ignored like a rule's, though not in the catalogue
            ruleset = load_rules(config.rules_dirs, builtin=config.builtin_rules).select(
                config.select, config.ignore, config.languages, extra_ids=(CLASSIFIER_ID,))
        self.ruleset: RuleSet = ruleset
        by_kind = {kind: [] for kind in ("drop", "strip", "drop-with-list", "truncate-after", "dedup", "exact")}
        for rule in self.ruleset:
            by_kind[rule.kind].append(rule)
        self._by_kind = {k: tuple(v) for k, v in by_kind.items()}
        self._anchors = kinds.AnchorIndex(self.ruleset)
        self._classifier = None
        if config.classifier and selected(CLASSIFIER_ID, config.select, config.ignore):
            from .classifier import Classifier
            self._classifier = Classifier.default(config)

    def preload(self) -> None:
        """Loads now what the first document would otherwise load (the classifier's language
        identifier and character table). A process about to fork workers calls it, so that they
        share those pages rather than each loading its own copy."""
        if self._classifier is not None:
            from .features import preload
            preload()

    # -- reading ------------------------------------------------------------------------------
    def read(self, data: str, source: str = "<stdin>", format: str | None = None) -> Document:
        fmt = format or self.config.format
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
        if fmt == "auto":
            from .html import looks_like_html
            fmt = "html" if looks_like_html(data) else "text"
        if fmt == "html":
            from .html import parse_html
            return parse_html(data, source, self.ruleset)
        return Document.from_text(data, source)

    def clean(self, data: str | bytes, source: str = "<stdin>", format: str | None = None) -> Cleaned:
        """Clean one document. ``data`` is text, or bytes as fetched (``response.content``):
        those are decoded as files are (a BOM, UTF-8, the page's declared charset, detection),
        and binary data raises InputError."""
        if not isinstance(data, str):
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError(f"cleaner cleans text (str) or bytes, not {type(data).__name__}")
            from .io import decode
            data = decode(bytes(data), source)
        if "cleaner:" in data and SKIP_FILE.search(data):
            return Cleaned(data, (), source, skipped=True)
        return self.clean_document(self.read(data, source, format))

    # -- judging ------------------------------------------------------------------------------
    def judge_rules(self, doc: Document) -> Pass:
        """The catalogue's verdicts on a document, before the classifier and truncation."""
        p = Pass(doc.blocks, self.config.regex_timeout, self._anchors)
        kinds.apply_strip(self._by_kind["strip"], p)
        kinds.apply_drop(self._by_kind["drop"], p)
        kinds.apply_exact(self._by_kind["exact"], p)
        kinds.apply_drop_with_list(self._by_kind["drop-with-list"], p)
        kinds.apply_dedup(self._by_kind["dedup"], p)
        return p

    def settle(self, doc: Document, p: Pass, after_round=None) -> str | None:
        """Run truncation and the classifier on a Pass until a round removes nothing; returns the
        document's language. ``after_round(p)`` is called after each round that removed something
        (training uses it to see the states the loop goes through).

        Truncation and the classifier judge blocks by their context, so each removal can change
        the verdict on others; they run until neither removes anything, which is what makes
        cleaning the output again a no-op (the second run starts where this loop ended). There is
        no cap short of that: a round that changes something removes a block, so the blocks bound
        the rounds, and a loop stopped early would leave output that a second run changes.
        Most documents settle in two to four rounds (bench/RESULTS.md)."""
        language = None
        # a short document is left to the rules (Config.classifier_min_words): counted on the
        # input, so its output, shorter, is never judged by the classifier when it was not
        classify = self._classifier is not None and p.words_in >= self.config.classifier_min_words
        for _ in range(len(doc.blocks) + 1):
            before = len(p.decisions)
            kinds.apply_truncate(self._by_kind["truncate-after"], p, self.config.tail_max_words)
            if classify:
                language = self._classifier.apply(doc, p)
            if len(p.decisions) == before:
                break
            if after_round is not None:
                after_round(p)
        return language

    def clean_document(self, doc: Document) -> Cleaned:
        cfg = self.config
        p = self.judge_rules(doc)
        language = self.settle(doc, p)

        words_in = p.words_in
        # a code block is never cut (kinds.apply_strip), so its lines are written as read
        kept = written_blocks(doc.blocks, p.texts, p.alive)
        words_out = sum(n for n, alive in zip(p.nwords, p.alive) if alive)
        # The guard stops misfiring rules: it weighs what the catalogue removes. The classifier is
        # not counted: on a page that is mostly frame (a product page, a forum thread) removing 95%
        # is its job, and its own floor is that it never empties a document.
        by_classifier = sum(len(d.text.split()) for d in p.decisions if d.rule == CLASSIFIER_ID)
        by_rules = words_in - words_out - by_classifier
        guarded = bool(p.decisions) and words_in >= cfg.guard_min_words and by_rules > cfg.guard_ratio * words_in
        if guarded:
            kept = written_blocks(doc.blocks)
            words_out = words_in
        return Cleaned(join_blocks(kept), tuple(p.decisions), doc.source, guarded, words_in, words_out,
                       tuple(sorted(set(p.timeouts))), language)


# A line that says "cleaner: skip-file" (bare or in a comment: "<!-- cleaner: skip-file -->",
# "# cleaner: skip-file") leaves the whole document exactly as it is.
SKIP_FILE = re.compile(r"^[^\w\n]*cleaner:\s*skip-file\b", re.MULTILINE)


def replay(doc: Document, decisions) -> str:
    """Apply recorded decisions to a document again; equals the engine's output when not guarded.

    This is the audit path: it shows that the decisions alone account for every removal.
    """
    texts = [b.text for b in doc.blocks]
    alive = [True] * len(texts)
    stripped = []
    for d in decisions:
        if d.action == "strip":
            start, end = d.span
            if texts[d.block][start:end] != d.text:
                raise ValueError(f"decision {d.rule} at line {d.line} does not fit the document")
            texts[d.block] = texts[d.block][:start] + texts[d.block][end:]
            stripped.append(d.block)
        else:
            # A drop decision's text is the block as it was when dropped: after its strips.
            alive[d.block] = False
    for i in stripped:
        texts[i] = tidy(texts[i])
    return join_blocks(written_blocks(doc.blocks, texts, alive))


__all__ = ["Cleaner", "Cleaned", "Decision", "replay"]
