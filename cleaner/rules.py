"""Rules as data: loading, validation and selection of the YAML rule catalogue.

Every problem in a rule file is a RuleError whose message names the file and, where there is one,
the rule id, so that ``cleaner`` can print it as one line and exit 2.
"""
from __future__ import annotations

import functools
import json
import pathlib
import sys
from dataclasses import dataclass, field

import regex
import yaml

from . import anchors as _anchors_module
from .anchors import rule_anchors
from .kinds import fold

KINDS = ("drop", "strip", "drop-with-list", "truncate-after", "dedup", "exact")
# The order in which the engine applies kinds; see engine.py for why.
FILE_KEYS = {"family", "description", "rules"}
RULE_KEYS = {
    "id", "description", "kind", "patterns", "languages", "examples", "selector",
    "max_words", "case_sensitive", "similarity", "min_chars", "min_chars_in_lists", "blocks",
    "spare_prose_words",
}
EXAMPLE_KEYS = {"remove", "keep", "format"}
_ID = regex.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)+$")
_LANG = regex.compile(r"^[a-z]{2,3}$")
# Inputs on which a pattern must finish within the timeout at load time: long runs of the
# characters that make nested quantifiers explode.
_PROBES = tuple(c * 4000 + "\u2060!" for c in ("a", " ", "a ", "-", "1", "é"))
DEFAULT_TIMEOUT = 0.25


class RuleError(Exception):
    """A rule file is not valid. The message is one line naming the file and rule id."""


@functools.lru_cache(maxsize=1024)
def _summary(description: str, rule_id: str) -> str:
    """Rule.summary, worked out once per rule rather than at every removal it makes (a frozen,
    slotted dataclass has nowhere to keep it)."""
    text = " ".join(description.split())
    if text.lower().startswith("removes:"):
        text = text[len("removes:"):].strip()
    for stop in (" (", ". ", " Why:"):
        if stop in text:
            text = text[:text.index(stop)]
    return text.rstrip(".;:") or rule_id


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    family: str
    description: str
    kind: str
    patterns: tuple = ()  # compiled regex patterns, tried against one block's text
    sources: tuple = ()  # the pattern strings as written
    languages: frozenset = frozenset()  # empty: any language
    selector: str | None = None  # CSS selector applied to HTML input
    spare_prose_words: int = 0  # selector rules: spare an element whose paragraphs hold this much prose
    max_words: int | None = None  # pattern rules: only blocks of at most this many words
    similarity: float = 1.0  # dedup: 1.0 exact (after folding), below 1.0 near-duplicates
    min_chars: int = 0  # dedup: shorter blocks are never treated as duplicates
    min_chars_in_lists: int = 0  # dedup: the same floor for blocks in HTML lists and table cells
    blocks: frozenset = frozenset()  # exact: folded texts of the blocks it drops
    remove: tuple = ()  # examples the rule must remove something from
    keep: tuple = ()  # examples the rule must leave unchanged
    example_format: str = "text"
    path: str = ""
    prefilter: bool = True  # whether a whole-document search may stand in for per-block search
    anchors: tuple = ()  # literals one of which any match contains (anchors.py); () = none known
    anchors_folded: bool = False  # whether the anchors are to be found in folded text

    @property
    def summary(self) -> str:
        """The reason given for a removal: the "Removes:" phrase of the description, up to its examples."""
        return _summary(self.description, self.id)

    def search(self, text: str, timeout: float = DEFAULT_TIMEOUT):
        for pattern in self.patterns:
            m = pattern.search(text, timeout=timeout)
            if m:
                return m
        return None


def _fail(path, rule_id, message):
    where = f"{path}: rule {rule_id}" if rule_id else str(path)
    raise RuleError(f"{where}: {message}")


def compile_pattern(source: str, case_sensitive: bool, path="<rules>", rule_id=None):
    flags = regex.MULTILINE | regex.V0 | (0 if case_sensitive else regex.IGNORECASE)
    if not isinstance(source, str) or not source:
        _fail(path, rule_id, f"pattern must be a non-empty string, got {source!r}")
    if "\\A" in source or "\\Z" in source:
        _fail(path, rule_id, f"pattern {source!r}: use ^ and $ (a pattern sees one block), not \\A or \\Z")
    try:
        pattern = regex.compile(source, flags)
    except (regex.error, ValueError, OverflowError) as exc:
        _fail(path, rule_id, f"bad regex {source!r}: {exc}")
    if pattern.search("") is not None and pattern.fullmatch("") is not None:
        _fail(path, rule_id, f"pattern {source!r} matches the empty string, so it would match every block")
    memo, key = _analyses(), json.dumps(["probed", int(flags), source])
    if memo.get(key) is not True:
        if not _survives_probes(pattern):
            _fail(path, rule_id, f"pattern {source!r} is catastrophic: it did not finish within "
                                 f"{DEFAULT_TIMEOUT}s on a long probe string")
        _remember(key, True)  # only a pass is remembered: a catastrophic pattern is tried every time
    return pattern


def _survives_probes(pattern) -> bool:
    for probe in _PROBES:
        try:
            pattern.search(probe, timeout=DEFAULT_TIMEOUT)
        except TimeoutError:
            return False
    return True


# What loading works out about each pattern that no file changes: that it survives the probes,
# and the rule's literal anchors (anchors.py). About 0.13 s for the catalogue, paid by every
# process, so it is kept in cleaner's cache (cache.py) under a name that digests everything the
# answers depend on: anchors.py's source, the probes and timeout, the regex module's and
# Python's versions (Python's own regex parser reads the anchors). Any doubt about the stored
# file and it is worked out again.
_ANALYSES: dict | None = None
_ANALYSES_NEW: list = []
_ANALYSES_FORMAT = 1  # bump when what the stored file holds changes


def _analyses_name() -> str:
    from .cache import key_digest

    source = pathlib.Path(_anchors_module.__file__).read_bytes()
    return "patterns-" + key_digest(_ANALYSES_FORMAT, source, _PROBES, DEFAULT_TIMEOUT, regex.__version__, sys.version) + ".json"


def _analyses() -> dict:
    global _ANALYSES
    if _ANALYSES is None:
        from .cache import read_blob

        _ANALYSES = {}
        try:
            stored = json.loads(read_blob(_analyses_name()) or b"{}")
            if isinstance(stored, dict):
                _ANALYSES = stored
        except (OSError, ValueError):
            pass
    return _ANALYSES


def _remember(key: str, value) -> None:
    _analyses()[key] = value
    _ANALYSES_NEW.append(key)


def _rule_anchors(sources, case_sensitive: bool):
    """anchors.rule_anchors, remembered."""
    key = json.dumps(["anchors", case_sensitive, list(sources)])
    known = _analyses().get(key)
    if (isinstance(known, list) and len(known) == 2 and isinstance(known[1], bool)
            and (known[0] is None or (isinstance(known[0], list) and all(isinstance(a, str) for a in known[0])))):
        found, folded = known
        return (tuple(found) if found is not None else None), folded
    anchors, folded = rule_anchors(sources, case_sensitive)
    _remember(key, [list(anchors) if anchors is not None else None, folded])
    return anchors, folded


def _store_analyses() -> None:
    """Writes what was worked out anew to the cache (after a whole load, not after each rule)."""
    if _ANALYSES_NEW:
        from .cache import write_blob

        try:
            name = _analyses_name()
        except OSError:
            return
        write_blob(name, json.dumps(_analyses(), sort_keys=True).encode())
        _ANALYSES_NEW.clear()


def _string_list(value, path, rule_id, key):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        _fail(path, rule_id, f"'{key}' must be a list of strings")
    return value


def parse_rule(raw, family: str, path: str) -> Rule:
    if not isinstance(raw, dict):
        _fail(path, None, f"each entry of 'rules' must be a mapping, got {type(raw).__name__}")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        _fail(path, rule_id if isinstance(rule_id, str) else None,
              "rule needs an 'id' of dotted lowercase words, like 'ads.adpathway'")
    unknown = set(raw) - RULE_KEYS
    if unknown:
        _fail(path, rule_id, f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    kind = raw.get("kind")
    if kind not in KINDS:
        _fail(path, rule_id, f"'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        _fail(path, rule_id, "missing 'description'")
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        _fail(path, rule_id, "'case_sensitive' must be true or false")
    sources = _string_list(raw.get("patterns"), path, rule_id, "patterns")
    patterns = tuple(compile_pattern(s, case_sensitive, path, rule_id) for s in sources)
    selector = raw.get("selector")
    if selector is not None:
        if not isinstance(selector, str) or not selector.strip():
            _fail(path, rule_id, "'selector' must be a CSS selector string")
        if kind != "drop":
            _fail(path, rule_id, "'selector' is only for rules of kind drop")
        _check_selector(selector, path, rule_id)
    spare = _count(raw, "spare_prose_words", path, rule_id)
    if spare and not selector:
        _fail(path, rule_id, "'spare_prose_words' is only for rules with a 'selector'")
    blocks = _string_list(raw.get("blocks"), path, rule_id, "blocks")
    if kind == "exact":
        if not blocks or patterns or selector:
            _fail(path, rule_id, "an exact rule takes 'blocks' (the texts it drops), and no patterns or selector")
    elif blocks:
        _fail(path, rule_id, "'blocks' is only for rules of kind exact")
    if kind not in ("dedup", "exact") and not patterns and not selector:
        _fail(path, rule_id, f"a {kind} rule needs 'patterns'" + (" or 'selector'" if kind == "drop" else ""))
    if kind == "dedup" and patterns:
        _fail(path, rule_id, "a dedup rule takes no 'patterns'")
    languages = _string_list(raw.get("languages"), path, rule_id, "languages")
    for lang in languages:
        if not _LANG.match(lang):
            _fail(path, rule_id, f"language {lang!r} is not an ISO 639 code like 'fr'")
    max_words = raw.get("max_words")
    if patterns and max_words is None:
        # Every pattern rule says how long a block it may judge: a rule written for a button
        # label must never take a paragraph, and the engine scans only blocks a rule may judge.
        _fail(path, rule_id, "a pattern rule needs 'max_words' (the longest block, in words, it may judge)")
    if max_words is not None and (not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 1):
        _fail(path, rule_id, "'max_words' must be a positive whole number")
    similarity = raw.get("similarity", 1.0)
    if not isinstance(similarity, (int, float)) or isinstance(similarity, bool) or not 0.5 <= similarity <= 1.0:
        _fail(path, rule_id, "'similarity' must be a number from 0.5 to 1.0")
    min_chars = _count(raw, "min_chars", path, rule_id)
    min_chars_in_lists = _count(raw, "min_chars_in_lists", path, rule_id)
    if min_chars_in_lists and kind != "dedup":
        _fail(path, rule_id, "'min_chars_in_lists' is only for rules of kind dedup")
    examples = raw.get("examples")
    if not isinstance(examples, dict):
        _fail(path, rule_id, "missing 'examples' (what it removes and what it keeps)")
    unknown = set(examples) - EXAMPLE_KEYS
    if unknown:
        _fail(path, rule_id, f"unknown key(s) in examples: {', '.join(sorted(map(str, unknown)))}")
    remove = _string_list(examples.get("remove"), path, rule_id, "examples.remove")
    keep = _string_list(examples.get("keep"), path, rule_id, "examples.keep")
    if not remove:
        _fail(path, rule_id, "missing 'examples.remove': show what the rule removes")
    if not keep:
        _fail(path, rule_id, "missing 'examples.keep': show what the rule must keep")
    example_format = examples.get("format", "html" if selector and not patterns else "text")
    if example_format not in ("text", "html"):
        _fail(path, rule_id, "'examples.format' must be text or html")
    lookaround = any(tok in s for s in sources for tok in ("(?=", "(?!", "(?<"))
    anchors, anchors_folded = _rule_anchors(sources, case_sensitive) if sources else (None, False)
    return Rule(
        id=rule_id, family=family, description=description.strip(), kind=kind,
        patterns=patterns, sources=tuple(sources), languages=frozenset(languages),
        selector=selector.strip() if selector else None, spare_prose_words=spare, max_words=max_words,
        similarity=float(similarity), min_chars=min_chars, min_chars_in_lists=min_chars_in_lists,
        remove=tuple(remove), keep=tuple(keep),
        blocks=frozenset(fold(b) for b in blocks),
        example_format=example_format, path=str(path), prefilter=not lookaround,
        anchors=anchors or (), anchors_folded=anchors_folded,
    )


def _count(raw, key, path, rule_id) -> int:
    """The rule's ``key`` as a whole number >= 0 (0 when absent)."""
    value = raw.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        _fail(path, rule_id, f"'{key}' must be a whole number >= 0")
    return value


def _check_selector(selector, path, rule_id):
    try:
        from cssselect import GenericTranslator, SelectorError
    except ImportError:  # pragma: no cover - cssselect is a declared dependency
        return
    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        _fail(path, rule_id, f"bad CSS selector {selector!r}: {exc}")


# PyYAML's safe loader written in C (libyaml) when PyYAML was built with it, as its wheels are:
# the same documents from our rule files, read about ten times faster (0.13 s -> 0.014 s for the
# catalogue), which every `cleaner` command and every worker process pays when it starts.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_file(path) -> list[Rule]:
    path = pathlib.Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc}") from None
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleError(f"{where}: invalid YAML: {problem}") from None
    if data is None:
        return []
    if not isinstance(data, dict):
        _fail(path, None, "a rule file is a mapping with 'family' and 'rules'")
    unknown = set(data) - FILE_KEYS
    if unknown:
        _fail(path, None, f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    family = data.get("family")
    if not isinstance(family, str) or not family:
        _fail(path, None, "missing 'family'")
    rules = data.get("rules")
    if not isinstance(rules, list):
        _fail(path, None, "'rules' must be a list")
    return [parse_rule(raw, family, str(path)) for raw in rules]


def builtin_rules_dir() -> pathlib.Path:
    """The catalogue shipped with cleaner: the checkout's rules/ or the installed copy."""
    here = pathlib.Path(__file__).resolve().parent
    checkout = here.parent / "rules"
    if checkout.is_dir():
        return checkout
    return here / "catalogue"


def rule_files(directory) -> list[pathlib.Path]:
    directory = pathlib.Path(directory)
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        raise RuleError(f"{directory}: no such rule folder")
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def load_rules(directories=(), builtin: bool = True) -> "RuleSet":
    """Load the built-in catalogue (unless ``builtin`` is false) and every YAML file in ``directories``."""
    dirs = ([builtin_rules_dir()] if builtin else []) + [pathlib.Path(d) for d in directories]
    rules, seen = [], {}
    for directory in dirs:
        for path in rule_files(directory):
            for rule in load_file(path):
                if rule.id in seen:
                    _fail(path, rule.id, f"duplicate rule id, first defined in {seen[rule.id]}")
                seen[rule.id] = path
                rules.append(rule)
    _store_analyses()
    return RuleSet(tuple(rules))


def _covers(selector: str, rule_id: str) -> bool:
    return rule_id == selector or rule_id.startswith(selector + ".")


def _segments(selector):
    return selector.count(".") + 1


def selected(rule_id: str, select=(), ignore=()) -> bool:
    """Whether ``rule_id`` is active under --select/--ignore.

    The most specific selector covering it (the one with the most id segments; ``select`` wins a
    tie) decides; when none covers it, it is active unless a ``select`` was given.
    """
    best = None  # (segments, is_select)
    for selector in select:
        if _covers(selector, rule_id):
            best = max(best or (0, False), (_segments(selector), True))
    for selector in ignore:
        if _covers(selector, rule_id) and (best is None or _segments(selector) > best[0]):
            best = (_segments(selector), False)
    return best[1] if best else not select


@dataclass(frozen=True)
class RuleSet:
    rules: tuple = ()
    by_id: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_id", {r.id: r for r in self.rules})

    def __iter__(self):
        return iter(self.rules)

    def __len__(self):
        return len(self.rules)

    def select(self, select=(), ignore=(), languages=(), extra_ids=()) -> "RuleSet":
        """Rules chosen by id prefixes (see ``selected``) and languages.

        Language-specific rules stay only if they share a language with ``languages`` (when
        given); language-neutral rules always stay. ``extra_ids`` are ids outside the catalogue
        (the classifier's) that selectors may name too.
        """
        select, ignore = tuple(select), tuple(ignore)
        ids = [r.id for r in self.rules] + list(extra_ids)
        for selector in select + ignore:
            if not any(_covers(selector, rule_id) for rule_id in ids):
                raise RuleError(f"no rule id or prefix matches {selector!r}")
        langs = frozenset(languages)
        return RuleSet(tuple(
            rule for rule in self.rules
            if selected(rule.id, select, ignore)
            and not (langs and rule.languages and not (rule.languages & langs))))

    def matching(self, prefix: str) -> list[Rule]:
        return [r for r in self.rules if _covers(prefix, r.id)]
