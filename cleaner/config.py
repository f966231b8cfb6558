"""Configuration: one immutable value, every field documented where it is defined.

Values come from the defaults below, then ``[tool.cleaner]`` in pyproject.toml, then command-line
flags or keyword arguments; each later source overrides the earlier one.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

FORMATS = ("auto", "text", "html")


@dataclass(frozen=True)
class Config:
    #: Rule ids or id prefixes to use; empty means every rule. The most specific of select/ignore wins.
    select: tuple = ()
    #: Rule ids or id prefixes to leave out.
    ignore: tuple = ()
    #: Restrict language-specific rules to these ISO 639-1 codes; empty means all languages.
    #: Language-neutral rules always run.
    languages: tuple = ()
    #: Extra folders (or single files) of YAML rules, loaded after the built-in catalogue.
    rules_dirs: tuple = ()
    #: Load the built-in catalogue in rules/. False leaves only ``rules_dirs``.
    builtin_rules: bool = True
    #: Input format: "text", "html", or "auto" (HTML when the input looks like markup).
    format: str = "auto"
    #: The guard: when the catalogue's rules would remove more than this share of a document's
    #: words, nothing is removed and the document is reported as guarded. The classifier's
    #: removals are not counted (it never empties a document).
    guard_ratio: float = 0.9
    #: Documents with fewer words than this are not guarded (a three-word ad may go whole).
    guard_min_words: int = 20
    #: truncate-after: a footer marker cuts the document only if no block after it is longer than
    #: this many words (teaser headlines are short; article prose is not).
    tail_max_words: int = 30
    #: Seconds one pattern may spend on one block before it is abandoned and reported.
    regex_timeout: float = 0.25
    #: Run the generic block classifier after the rules (see classifier.py). Selecting or
    #: ignoring the id prefix "classifier" turns it on or off like a rule.
    classifier: bool = True
    #: Classifier: a JSON model file (from bench/train_classifier.py) to use instead of the shipped
    #: one; empty means the shipped model.
    classifier_model: str = ""
    #: Classifier: added to every block's log-odds of being article text, on top of the model's
    #: own operating point (its "offset", chosen in training). Higher keeps more (recall), lower
    #: removes more (precision).
    classifier_bias: float = 0.0
    #: Classifier: the cost of entering the article and of leaving it for good, from one block to
    #: the next; higher makes longer runs (short blocks follow their neighbours). None means the
    #: model's own, part of its operating point like the offset (the shipped models: 4 for text,
    #: 2 for HTML, chosen on held-out halves of the dev set, bench/RESULTS.md; the text one
    #: among the points that leave the hand-checked seed articles exactly as checked).
    classifier_switch: float | None = None
    #: Classifier: the cost of each switch into or out of a run of boilerplate inside the article
    #: (classifier.article_path): entering the article and leaving it for good cost
    #: ``classifier_switch``, a gap in it this. None means the model's own (the shipped models:
    #: text 4, its switch cost; HTML 1, half its switch cost, chosen on held-out halves of the
    #: dev set), or ``classifier_switch`` when that is set: one cost for every change.
    classifier_gap: float | None = None
    #: Classifier, text input: when at least this share of the lines it judges continue one
    #: another (a line that does not end a sentence, then one in lower case or opening with a
    #: comma: classifier.fragment_groups), as a scraper writes that breaks paragraphs at every link
    #: and bold word, each such paragraph is judged as one block; below it every line is judged
    #: alone. Above 1: never. 0.4 was chosen on held-out halves of the dev set (bench/RESULTS.md).
    classifier_join: float = 0.4
    #: Classifier: documents of fewer words than this (as they come in) are left to the rules.
    #: The model learnt from web pages of 135 words and more; a shorter text is more often a
    #: note, a brief or an already clean excerpt than a page dump, and on one the model was
    #: seen to keep a single line of a clean 45-word release note.
    classifier_min_words: int = 100

    def replace(self, **changes) -> "Config":
        """A copy with ``changes``; list values become tuples so the value stays hashable."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        fixed = {}
        for key, value in changes.items():
            if isinstance(value, (list, set, frozenset)):
                value = tuple(value)
            elif isinstance(value, str) and key in ("select", "ignore", "languages", "rules_dirs"):
                value = tuple(v.strip() for v in value.split(",") if v.strip())
            fixed[key] = value
        new = dataclasses.replace(self, **fixed)
        new.validate()
        return new

    def validate(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {self.format!r}")
        if not 0 < self.guard_ratio <= 1:
            raise ValueError("guard_ratio must be in (0, 1]")
        if self.guard_min_words < 0 or self.tail_max_words < 1:
            raise ValueError("guard_min_words must be >= 0 and tail_max_words >= 1")
        if self.classifier_switch is not None and not _non_negative(self.classifier_switch):
            raise ValueError("classifier_switch must be a number >= 0 (or unset: the model's own)")
        if self.classifier_gap is not None and not _non_negative(self.classifier_gap):
            raise ValueError("classifier_gap must be a number >= 0 (or unset: the model's own)")
        if not _non_negative(self.classifier_join):
            raise ValueError("classifier_join must be a number >= 0 (above 1: never join)")
        if isinstance(self.classifier_min_words, bool) or not isinstance(self.classifier_min_words, int) \
                or self.classifier_min_words < 0:
            raise ValueError("classifier_min_words must be a whole number >= 0")
        if self.regex_timeout <= 0:
            raise ValueError("regex_timeout must be positive")


def _non_negative(value) -> bool:
    """A number >= 0 (not a bool, which Python counts as an int; not NaN)."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value >= 0
