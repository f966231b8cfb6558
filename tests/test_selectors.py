"""The one-walk selector matcher (cleaner/selectors.py) selects exactly what cssselect's XPath does."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from cleaner import selectors
from cleaner.html import _parse, _trees
from cleaner.rules import load_rules

PAGE = """<html><body>
<header id="masthead" class="site-header"><nav><a href="/">Home</a></nav></header>
<div class="wrap"><header class="entry-header"><h1>Title</h1></header>
<div class="share-buttons  social">Share</div>
<div class="post-content"><p>Text.</p><aside class="widget-area"><p>Side</p></aside><header class="deep">In-article header</header><footer>Inner footer</footer></div>
<div id="ad-top" class="ad">Ad</div><div class="load">not an ad</div>
<div data-ad-slot="x">slot</div><div class="cookie-banner" role="dialog">Cookies</div>
<section id="comments"><form><input name="q"></form></section></div>
<footer class="site-footer">Footer</footer>
</body></html>"""


def catalogue_selectors():
    return tuple((rule.id, rule.selector) for rule in load_rules([]) if rule.selector)


def by_rule(selected):
    """rule id -> the selected elements' positions in document order (comparable across calls)."""
    out = {}
    for el, ids in selected.items():
        for rule_id in ids:
            out.setdefault(rule_id, set()).add(el)
    return out


def test_catalogue_selectors_select_what_the_xpath_selects():
    rules = catalogue_selectors()
    index = selectors.index(rules)
    assert not index.xpath, "the catalogue's selectors should all take the one-walk path"
    trees = _trees(_parse(PAGE))
    ours, theirs = index.select(trees), selectors.select_xpath(trees, rules)
    assert ours == theirs
    chosen = by_rule(ours)
    # the page exercises tags, combinators, classes, ids and attribute operators
    assert {el.text for el in chosen["html.footer"]} == {"Footer"}  # .site-footer; not a footer nested deeper than body > div > footer
    assert {el.get("class") for el in chosen["html.header"]} == {"site-header", "entry-header"}
    assert [el.get("id") for el in chosen["html.ads"] if el.get("id")] == ["ad-top"]
    assert not any(el.get("class") == "load" for el in chosen.get("html.ads", ()))


def test_selectors_beyond_the_simple_ones_fall_back_to_xpath():
    rules = (("a", "div:first-child"), ("b", "h1 + div"), ("c", "div.wrap > header, section#comments form"))
    index = selectors.index(rules)
    assert [rule for rule, _ in index.xpath] == ["a", "b"]
    trees = _trees(_parse(PAGE))
    assert index.select(trees) == selectors.select_xpath(trees, rules)
    assert "c" in set().union(*index.select(trees).values())


OPERATORS = ("", "=", "~=", "|=", "^=", "$=", "*=", "!=")
VALUES = ("ad", "ads", "ad-top", "top-ad", "share", "a b", "-", "")


def test_every_attribute_operator_agrees_with_xpath_on_every_value():
    """Each operator, against every attribute value it could meet (absent, empty, with the
    value as a prefix, a suffix, a dashed prefix, a word among others, whitespace around)."""
    values = VALUES + ("  ad\tshare ", "share\nad", "x ad", "AD")
    body = "".join(f'<div class="{v}">c</div><div id="{v}">i</div>' for v in values) + "<div>none</div>"
    root = lxml_html.document_fromstring(f"<html><body>{body}</body></html>")
    rules = []
    for op in OPERATORS:
        for value in VALUES:
            for name in ("class", "id"):
                rules.append((f"{name}{op}{value}", f"[{name}{op}'{value}']" if op else f"[{name}]"))
    rules += [("class-ad", ".ad"), ("id-ad", "#ad"), ("tag", "div")]
    rules = tuple(rules)
    index = selectors.index(rules)
    assert not index.xpath
    ours, theirs = index.select([root]), selectors.select_xpath([root], rules)
    assert ours == theirs
    assert len(set().union(*ours.values())) > 30  # most tests select something


def test_combinators_reach_ancestors_at_any_depth_and_parents_only_next_door():
    body = ('<section class="a"><div><ul><li><span id="deep">x</span></li></ul></div>'
            '<div class="b"><span id="child">y</span><p><span id="grand">z</span></p></div></section>')
    root = lxml_html.document_fromstring(f"<html><body>{body}</body></html>")
    rules = (("desc", "section.a span"), ("child", "div.b > span"), ("mixed", "section > div span"),
             ("chain", "section li > span"), ("none", "ul > span"))
    ours = by_rule(selectors.index(rules).select([root]))
    assert ours == by_rule(selectors.select_xpath([root], rules))
    ids = {rule: {el.get("id") for el in els} for rule, els in ours.items()}
    assert ids == {"desc": {"deep", "child", "grand"}, "child": {"child"}, "mixed": {"deep", "child", "grand"},
                   "chain": {"deep"}}


TAGS = ("div", "p", "span", "section", "ul", "li")
WORDS = ("ad", "ads", "ad-top", "top-ad", "share", "x", "share-x", "a b", "")
ATTRS = ("class", "id", "role", "data-x")


@st.composite
def documents(draw, depth=0):
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.dictionaries(st.sampled_from(ATTRS), st.sampled_from(WORDS + ("  ad\tshare ", "share\nad")), max_size=3))
    children = draw(st.lists(documents(depth=depth + 1), max_size=3)) if depth < 3 else []
    attr_text = "".join(f' {name}="{value}"' for name, value in attrs.items())
    return f"<{tag}{attr_text}>t{''.join(children)}</{tag}>"


@st.composite
def compound(draw):
    parts = [draw(st.sampled_from(TAGS + ("*", "")))]
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(("class", "id", "attr")))
        word = draw(st.sampled_from(("ad", "ads", "share", "x", "top")))
        if kind == "class":
            parts.append(f".{word}")
        elif kind == "id":
            parts.append(f"#{word}")
        else:
            op = draw(st.sampled_from(("", "=", "~=", "|=", "^=", "$=", "*=", "!=")))
            value = draw(st.sampled_from(("ad", "share", "a b", "-", "")))
            parts.append(f"[{draw(st.sampled_from(ATTRS))}{op}'{value}']" if op else f"[{draw(st.sampled_from(ATTRS))}]")
    text = "".join(parts)
    return text or "*"


@st.composite
def selector_lists(draw):
    alternatives = []
    for _ in range(draw(st.integers(1, 3))):
        chain = [draw(compound())]
        for _ in range(draw(st.integers(0, 2))):
            chain.append(draw(st.sampled_from((" > ", " "))))
            chain.append(draw(compound()))
        alternatives.append("".join(chain))
    return ", ".join(alternatives)


@settings(max_examples=300, deadline=None)
@given(documents(), st.lists(selector_lists(), min_size=1, max_size=3))
def test_random_selectors_on_random_pages_agree_with_xpath(body, lists):
    rules = tuple((f"r{k}", selector) for k, selector in enumerate(lists))
    root = lxml_html.document_fromstring(f"<html><body>{body}</body></html>")
    trees = [root]
    assert selectors.SelectorIndex(rules).select(trees) == selectors.select_xpath(trees, rules)


def test_the_per_value_memory_is_bounded(monkeypatch):
    """A long run over many sites meets endless class values: the memory keeps the latest and
    the answers stay right."""
    monkeypatch.setattr(selectors, "MEMO_SIZE", 50)
    rules = (("ads", "[class*=ad-]"),)
    index = selectors.SelectorIndex(rules)
    for k in range(400):
        body = f'<div class="ad-{k}">a</div><div class="x{k}">b</div>'
        root = lxml_html.document_fromstring(f"<html><body>{body}</body></html>")
        chosen = {el.get("class") for el in index.select([root])}
        assert chosen == {f"ad-{k}"}
        assert index._single.cache_info().currsize <= 50


CATALOGUE_PIECES = ("share-", "-share", "share", "sharing", "social", "related", "ad", "ads", "advert", "promo",
                    "cookie", "consent", "newsletter", "subscribe", "comments", "footer", "sidebar", "site-header",
                    "OUTBRAIN", "outbrain", "x", "-", "_", " ", "  ", "\t", "\n", "\f", "navigation", "dialog")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["class", "id", "role", "aria-label", "data-ad-slot"]),
       st.lists(st.sampled_from(CATALOGUE_PIECES), max_size=6).map("".join))
def test_verdicts_on_a_value_are_each_tests_verdict(name, value):
    """The catalogue's one-test selectors on an attribute, answered together (one scan for the
    "contains" tests, one split for the "has the word" tests), accept the values their tests do."""
    index = selectors.SelectorIndex(catalogue_selectors())
    if name in index.single:
        assert index._verdicts(name, value) == index._verdicts_one_by_one(name, value)


def test_verdicts_of_the_catalogue_on_class_values():
    index = selectors.SelectorIndex(catalogue_selectors())
    assert index._verdicts("class", "post share-buttons") == {"html.share"}
    assert index._verdicts("class", "ad") == {"html.ads"}
    assert index._verdicts("class", "load") == frozenset()
    assert index._verdicts("class", "related-posts newsletter-box") == {"html.related", "html.newsletter"}
