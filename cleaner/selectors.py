"""The catalogue's CSS selectors, matched in one pass over a page's elements.

cssselect translates a selector list into an XPath union, and libxml2 evaluates each alternative
as its own walk over the tree, testing string predicates on every element: with a dozen rules of
up to ten alternatives each, selection cost more than the rest of reading a page (bench/RESULTS.md).
The selectors the catalogue writes are simple: a tag, classes, an id and attribute tests, joined by
child and descendant combinators. Those are compiled here into tests that one walk applies to each
element, looked up by the element's tag and attribute names, and remembered per attribute value
(a page repeats its class attributes). A selector using anything else (pseudo-classes, sibling
combinators, namespaces) keeps cssselect's XPath, so every selector cssselect accepts still works.

The tests follow cssselect's translation to the letter (``[class~=x]`` splits on XML whitespace
as normalize-space does, an empty value in ``^=``, ``$=``, ``*=`` and ``~=`` matches nothing),
and tests/test_selectors.py checks both give the same elements.
"""
from __future__ import annotations

import functools
import re
import threading

import ahocorasick
from lxml import etree

from .features import compiled_module

_htmlwalk = compiled_module("_htmlwalk")  # None: select_python alone, the same elements

_XML_SPACE = re.compile(r"[ \t\r\n]+")
_CSS_SPACE = re.compile(r"[ \t\r\n\f]")
# how many attribute values are remembered across pages (least recently used first out)
MEMO_SIZE = 10_000


class Unsupported(Exception):
    """The selector needs cssselect's XPath."""


def _attr_test(op: str, value):
    """A function of an attribute's value (None: absent) that is True where cssselect's XPath
    for ``[name <op> value]`` selects the element; it carries ``op`` and ``value`` (_Verdicts)."""
    test = _attr_function(op, value)
    test.op, test.value = op, value
    return test


def _attr_function(op: str, value):
    if op == "exists":
        return lambda v: v is not None
    if op == "=":
        return lambda v: v == value
    if op == "!=":
        # not(@a) or @a != 'v' (an empty value: @a != '', false when absent)
        return (lambda v: v is None or v != value) if value else (lambda v: v is not None and v != value)
    if op == "~=":
        if not value or _CSS_SPACE.search(value):
            return lambda v: False
        return lambda v: v is not None and value in _XML_SPACE.split(v.strip(" \t\r\n"))
    if op == "|=":
        return lambda v: v is not None and (v == value or v.startswith(value + "-"))
    if op == "^=":
        return (lambda v: v is not None and v.startswith(value)) if value else (lambda v: False)
    if op == "$=":
        return (lambda v: v is not None and v.endswith(value)) if value else (lambda v: False)
    if op == "*=":
        return (lambda v: v is not None and value in v) if value else (lambda v: False)
    raise Unsupported(op)


_NONE = frozenset()


class _Verdicts:
    """The rules whose selector is one test of one attribute, and which of them accept a value.

    The catalogue's class and id tests are mostly "contains" (``[class*=share-]``) and "has the
    word" (``.sidebar``): those are answered together, by one Aho-Corasick scan of the value and
    one split of it into words, rather than one test after another (a page has thousands of
    distinct class values, and there are over forty class tests). Other tests run one by one."""

    def __init__(self, alternatives):
        contains: dict = {}  # substring -> rule ids
        self.words: dict = {}  # word -> rule ids
        self.equals: dict = {}  # whole value -> rule ids
        self.others = []  # (test, rule id)
        for alt in alternatives:
            test = alt.subject.tests[0][1]
            if test.op == "*=" and test.value:
                contains.setdefault(test.value, set()).add(alt.rule)
            elif test.op == "~=" and test.value and not _CSS_SPACE.search(test.value):
                self.words.setdefault(test.value, set()).add(alt.rule)
            elif test.op == "=":
                self.equals.setdefault(test.value, set()).add(alt.rule)
            else:
                self.others.append((test, alt.rule))
        self.contains = None
        if contains:
            self.contains = ahocorasick.Automaton()
            for sub, rules in contains.items():
                self.contains.add_word(sub, frozenset(rules))
            self.contains.make_automaton()

    def __call__(self, value: str) -> frozenset:
        out: set = set()
        if self.contains is not None:
            for _end, rules in self.contains.iter(value):
                out |= rules
        if self.words:
            for word in _XML_SPACE.split(value.strip(" \t\r\n")):
                out |= self.words.get(word, _NONE)
        if self.equals:
            out |= self.equals.get(value, _NONE)
        for test, rule in self.others:
            if test(value):
                out.add(rule)
        return frozenset(out)


class _Compound:
    """One element's part of a selector: a tag (None: any) and attribute tests, all required."""

    __slots__ = ("tag", "tests")

    def __init__(self, tag, tests):
        self.tag = tag
        self.tests = tests  # ((attribute name, test), ...)

    def matches(self, el) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        get = el.get
        return all(test(get(name)) for name, test in self.tests)


def _compound(tree) -> _Compound:
    from cssselect.parser import Attrib, Class, Element, Hash

    tests = []
    while not isinstance(tree, Element):
        if isinstance(tree, Class):
            tests.append(("class", _attr_test("~=", tree.class_name)))
        elif isinstance(tree, Hash):
            tests.append(("id", _attr_test("=", tree.id)))
        elif isinstance(tree, Attrib):
            if tree.namespace or getattr(tree, "flag", None):
                raise Unsupported("attribute namespace or flag")
            value = None if tree.value is None else tree.value.value
            tests.append((tree.attrib, _attr_test(tree.operator, value)))
        else:
            raise Unsupported(type(tree).__name__)
        tree = tree.selector
    if tree.namespace:
        raise Unsupported("namespace")
    tests.reverse()
    return _Compound(tree.element or None, tuple(tests))


class _Selector:
    """One alternative of a selector list: compounds from the subject leftwards, each with the
    combinator that links it to the next one on its left ('>' parent, ' ' some ancestor)."""

    __slots__ = ("rule", "parts")

    def __init__(self, rule, parts):
        self.rule = rule
        self.parts = parts  # ((compound, combinator to the next part or None), ...), subject first

    @property
    def subject(self) -> _Compound:
        return self.parts[0][0]

    def matches(self, el) -> bool:
        return self.subject.matches(el) and self._left(el, 0)

    def _left(self, el, k) -> bool:
        combinator = self.parts[k][1]
        if combinator is None:
            return True
        compound = self.parts[k + 1][0]
        parent = el.getparent()
        if combinator == ">":
            return parent is not None and compound.matches(parent) and self._left(parent, k + 1)
        while parent is not None:  # descendant: any ancestor that matches and whose left side does
            if compound.matches(parent) and self._left(parent, k + 1):
                return True
            parent = parent.getparent()
        return False


def _alternatives(rule_id: str, selector: str) -> list:
    from cssselect import parse
    from cssselect.parser import CombinedSelector

    out = []
    for parsed in parse(selector):
        if parsed.pseudo_element:
            raise Unsupported("pseudo-element")
        parts, tree = [], parsed.parsed_tree
        while isinstance(tree, CombinedSelector):
            if tree.combinator not in (">", " "):
                raise Unsupported(f"combinator {tree.combinator!r}")
            parts.append((_compound(tree.subselector), tree.combinator))
            tree = tree.selector
        parts.append((_compound(tree), None))
        out.append(_Selector(rule_id, tuple(parts)))
    return out


class SelectorIndex:
    """Every selector rule of a rule set, ready to select the elements of many pages."""

    def __init__(self, rules):
        self.by_tag: dict = {}  # tag -> alternatives whose subject needs that tag
        self.by_attr: dict = {}  # attribute -> alternatives whose subject needs it and no tag
        self.anywhere: list = []  # alternatives whose subject needs neither
        # attribute -> alternatives that are one test of that attribute alone (their verdicts
        # depend on its value only, so _single remembers them per value)
        self.single: dict = {}
        self.xpath: list = []  # (rule id, selector) that stay with cssselect's XPath
        for rule_id, selector in rules:
            try:
                alternatives = _alternatives(rule_id, selector)
            except Exception:  # noqa: BLE001 - anything cssselect parses but we do not: XPath
                self.xpath.append((rule_id, selector))
                continue
            for alt in alternatives:
                subject = alt.subject
                needed = [name for name, test in subject.tests if not test(None)]
                if subject.tag is not None:
                    self.by_tag.setdefault(subject.tag, []).append(alt)
                elif needed and len(alt.parts) == 1 and len(subject.tests) == 1:
                    self.single.setdefault(needed[0], []).append(alt)
                elif needed:
                    self.by_attr.setdefault(needed[0], []).append(alt)
                else:
                    self.anywhere.append(alt)
        self.verdicts = {name: _Verdicts(alts) for name, alts in self.single.items()}
        # the tags and attribute names some alternative needs, as the bytes libxml2 holds them
        # (_htmlwalk.select compares them in C and decodes no other name)
        self.tag_bytes = tuple(tag.encode("utf-8") for tag in self.by_tag)
        self.attribute_bytes = tuple(name.encode("utf-8") for name in {**self.single, **self.by_attr})
        self._single = functools.lru_cache(maxsize=MEMO_SIZE)(self._verdicts)

    def _verdicts(self, name, value) -> frozenset:
        """The ids of the rules whose one-test alternatives on attribute ``name`` accept ``value``."""
        return self.verdicts[name](value)

    def _verdicts_one_by_one(self, name, value) -> frozenset:
        """The same, each alternative's test run in turn (the reference the tests compare with)."""
        return frozenset(alt.rule for alt in self.single[name] if alt.subject.tests[0][1](value))

    def select(self, trees) -> dict:
        """element -> set of the ids of the rules that select it, over all the trees."""
        if _htmlwalk is None:
            return self.select_python(trees)
        out: dict = {}
        for tree in trees:
            _htmlwalk.select(tree, self, out)
            self._select_xpath(tree, out)
        return out

    def _select_xpath(self, tree, out: dict) -> None:
        for rule_id, selector in self.xpath:
            for el in _xpath(selector)(tree):
                out.setdefault(el, set()).add(rule_id)

    def select_python(self, trees) -> dict:
        """select's answer from a Python loop over the elements: the reference of the compiled
        walk (_htmlwalk.select), and what runs without it."""
        out: dict = {}
        by_tag, by_attr, single, anywhere = self.by_tag, self.by_attr, self.single, self.anywhere
        for tree in trees:
            for el in tree.iter(etree.Element):
                ids = None
                candidates = by_tag.get(el.tag)  # extended below by new lists, never in place
                for name, value in el.items():
                    if name in single:
                        hit = self._single(name, value)
                        if hit:
                            ids = set(hit) if ids is None else ids | hit
                    more = by_attr.get(name)
                    if more:
                        candidates = (candidates or []) + more
                if anywhere:
                    candidates = (candidates or []) + anywhere
                if candidates:
                    for alt in candidates:
                        if (ids is None or alt.rule not in ids) and alt.matches(el):
                            ids = {alt.rule} if ids is None else ids | {alt.rule}
                if ids:
                    out[el] = ids
            self._select_xpath(tree, out)
        return out


@functools.lru_cache(maxsize=16)
def index(rules: tuple) -> SelectorIndex:
    """The SelectorIndex of ((rule id, selector), ...), built once per rule set."""
    return SelectorIndex(rules)


_COMPILED = threading.local()


def _xpath(selector: str):
    """A CSS selector compiled to an XPath evaluator, once per selector and thread rather than per
    page (translating and compiling cost as much as evaluating on a typical page). Per thread,
    because Cleaner.clean may run in many threads and lxml does not promise that one evaluator may
    be shared between them."""
    cache = getattr(_COMPILED, "xpaths", None)
    if cache is None:
        cache = _COMPILED.xpaths = {}
    compiled = cache.get(selector)
    if compiled is None:
        from cssselect import GenericTranslator

        compiled = cache[selector] = etree.XPath(GenericTranslator().css_to_xpath(selector))
    return compiled


def select_xpath(trees, rules) -> dict:
    """The same selection done by cssselect's XPath alone (the reference the tests compare with)."""
    out: dict = {}
    for rule_id, selector in rules:
        for tree in trees:
            for el in _xpath(selector)(tree):
                out.setdefault(el, set()).add(rule_id)
    return out
