"""The compiled HTML walk (cleaner/_htmlwalk.pyx) gives what html._walk_python gives: the same
blocks, field by field, the same element paths and the same hidden-word counts."""
from __future__ import annotations

import dataclasses
import pathlib
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import features, html
from cleaner.document import Block
from cleaner.rules import load_rules

if html._htmlwalk is None:
    if shutil.which("cc") or shutil.which("gcc"):
        pytest.fail("cleaner._htmlwalk is not built although a C compiler is here: "
                    "install with `pip install -e .` (or unset CLEANER_PURE_PYTHON)", pytrace=False)
    pytest.skip("no C compiler: cleaner walks the HTML in Python only", allow_module_level=True)

RULES = load_rules((), builtin=True)
SEEDS = pathlib.Path(__file__).parent / "fixtures" / "seeds"
FIELDS = [f.name for f in dataclasses.fields(Block)]


def both(data: str, skip_hidden: bool):
    trees = html._trees(html._parse(data))
    selected_by = html._selections(trees, RULES)
    out = []
    for walk in (html._walk_python, html._htmlwalk.walk):
        hidden_words: list = []
        blocks, paths = walk(trees, selected_by, skip_hidden, hidden_words)
        out.append(([tuple(getattr(b, n) for n in FIELDS) for b in blocks], paths, hidden_words))
    return out


# Pieces of markup that reach every branch of the walk: block and inline elements, links, lists,
# headings, <br>, <pre> (whose blocks keep their lines), numbered lists and their items' markers,
# hidden elements of each kind, invisible elements, comments, processing instructions, entities in
# text and attributes, CDATA, namespaced tags, class/id/role hints and selector-matched classes, and
# text with spaces and line breaks of several kinds.
OPEN = ["<p>", "<div>", "<span>", "<a href='x'>", "<li>", "<ul>", "<h2>", "<h7>", "<b>", "<td>",
        "<article>", "<nav>", "<footer>", "<aside>", "<main>", "<section class='content'>",
        "<div class='share-buttons'>", "<div class='sidebar widget'>", "<div id='comments'>",
        "<div role='navigation'>", "<div hidden>", "<div aria-hidden='true'>", "<p aria-hidden='false'>",
        "<div style='display: none'>", "<div style='DISPLAY:NONE'>", "<span class='sr-only'>",
        "<div class='a &amp; b'>", "<noscript>", "<script>", "<style>", "<svg>", "<template>",
        "<select>", "<fb:like>", "<DIV CLASS='Related'>", "<button>", "<form>", "<pre>", "<code>",
        "<ol>", "<ol start='3' type='i'>", "<ol reversed>", "<li value='7'>", "<menu>"]
CLOSE = ["</p>", "</div>", "</span>", "</a>", "</li>", "</ul>", "</h2>", "</b>", "</td>", "</article>",
         "</nav>", "</section>", "</noscript>", "</script>", "</html>", "</body>", "</pre>", "</code>", "</ol>"]
OTHER = ["<br>", "<br/>", "<hr>", "<!-- a comment -->", "<?pi x?>", "<![CDATA[cdata]]>", "&amp;", "&nbsp;",
         "&#8212;", "\n", "\n\n", "  ", "\t", "\xa0", "\u2028"]
TEXT = ["Hello", "world.", "2025", "A sentence, with commas, that goes on.", "Share", "Menu", "é", "日本語", "x" * 40]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(OPEN + CLOSE + OTHER + TEXT), max_size=60).map("".join), st.booleans())
def test_compiled_walk_is_the_python_walk(body, skip_hidden):
    python, compiled = both(f"<html><body>{body}</body></html>", skip_hidden)
    assert compiled == python


def test_compiled_walk_on_the_seeds_and_pages_in_pieces():
    pages = [f"<html><body>{''.join(f'<p>{line}</p>' for line in p.read_text(encoding='utf-8').splitlines())}"
             "</body></html>" for p in sorted(SEEDS.glob("*.txt"))]
    # a page that closes </html> early and goes on: libxml2 puts a second tree beside the first
    pages.append("<html><body><p>First tree.</p></body></html><div><p>Second tree, a tail</p>x</div>")
    # past line 65535 libxml2 no longer keeps the line in the node itself
    pages.append("<html><body>" + "\n" * 70000 + "<p>Far down the page.</p><p>And after.</p></body></html>")
    # sibling elements met with nothing between (html.glued), in and out of a <pre>
    pages.append("<html><body><div><span>Rewards</span><span>Purchasing</span> 58m<b>R</b></div>"
                 "<pre><span>self</span><span>Foo</span></pre><!-- c --><i>x</i><!-- --><i>Y</i></body></html>")
    assert len(pages) > 3
    for page in pages:
        for skip_hidden in (True, False):
            python, compiled = both(page, skip_hidden)
            assert compiled == python
            assert python[0]  # something was read


def test_compiled_walk_reads_what_the_page_says():
    data = ("<html><body><nav class='menu'><a href='/'>Home</a></nav><article><h2>Title</h2>"
            "<p>Some <a href='#'>linked</a> text.</p><div hidden>Hidden words here</div></article>"
            "</body></html>")
    trees = html._trees(html._parse(data))
    hidden_words: list = []
    blocks, paths = html._htmlwalk.walk(trees, {}, True, hidden_words)
    assert [b.text for b in blocks] == ["Home", "Title", "Some linked text."]
    assert [b.tag for b in blocks] == ["nav", "h2", "p"]
    assert blocks[0].boiler_hint == 1.0 and blocks[0].link_density == 1.0
    assert blocks[1].heading == 2 and blocks[2].content_hint == 1.0
    assert blocks[2].link_density == pytest.approx(len("linked") / len("Some linked text."))
    assert hidden_words == [3]
    assert paths[1][:-1] == paths[2][:-1]  # title and paragraph: children of the same article


# Selectors of every kind the one-walk index takes: a tag alone, a tag with a class (tested whole
# on the element), one test of one attribute (answered from the value alone), an attribute
# needed with no tag, a test an absent attribute passes (checked on every element), and the
# two combinators.
SELECTORS = ("nav", "div.ad", "[class*=share]", ".sidebar", "#comments", "[role=navigation]",
             "[data-x]", "[data-x='a b'].ad", "[id!=x]", "section > div", "article p.lead",
             "[class~='a']", "footer, [class^=ad-]")
MARKUP = OPEN + CLOSE + OTHER + TEXT + [
    "<div class='ad'>", "<div class='ad' class='share'>", "<p class='lead'>", "<div id='x'>",
    "<div data-x='a b' class='ad'>", "<div class='ad-top'>", "<div class='a &amp; b'>",
    "<div class='&#x61;'>", "<section>", "<nav id='comments'>", "<fb:like class='ad'>",
    "<div xml:lang='fr' class='sidebar'>"]


def selections_both(data: str, rules):
    from cleaner import selectors

    trees = html._trees(html._parse(data))
    index = selectors.SelectorIndex(rules)
    python = index.select_python(trees)
    compiled = index.select(trees)
    return list(python.items()), list(compiled.items())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MARKUP), max_size=60).map("".join),
       st.lists(st.sampled_from(SELECTORS), min_size=1, max_size=5, unique=True))
def test_compiled_selection_is_the_python_selection(body, chosen):
    rules = tuple((f"r{k}", selector) for k, selector in enumerate(chosen))
    # the second tree: libxml2 puts what follows an early </html> beside the first
    python, compiled = selections_both(f"<html><body>{body}</body></html><div class='ad'>{body}</div>", rules)
    assert compiled == python


def test_compiled_selection_on_the_seeds_with_the_catalogue():
    rules = tuple((rule.id, rule.selector) for rule in RULES if rule.selector)
    pages = [f"<html><body><nav class='menu'>x</nav><div class='share-buttons'>s</div>"
             f"{''.join(f'<p class=lead>{line}</p>' for line in p.read_text(encoding='utf-8').splitlines())}"
             "<footer id='colophon'>f</footer></body></html>" for p in sorted(SEEDS.glob("*.txt"))]
    assert pages
    for page in pages:
        python, compiled = selections_both(page, rules)
        assert compiled == python
        assert len(python) >= 3  # the menu, the share bar and the footer at least


# Characters of every kind normalize_chars treats: letters, ASCII and Unicode whitespace, the
# separators str.split() takes for whitespace that normalize_chars deletes, controls, invisible
# format characters, a lone surrogate, combining marks that compose under NFC, and singletons
# NFC replaces.
CHARS = ("a", "e", "Z", "1", ".", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f",
         "\x85", "\xa0", "\u2000", "\u2001", "\u2028", "\u3000", "\x00", "\x07", "\x7f", "\x9c", "\u00ad",
         "\u200b", "\ufeff", "\u180e", "\ud800", "\u0301", "\u0308", "\u0327", "\u212b", "\u037e", "é", "日")


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(CHARS), max_size=3).map("".join), max_size=8).map("w".join))
def test_block_text_is_normalise_split_join_and_canonical_line(raw):
    """Runs of up to three such characters between words."""
    reference = html.canonical_line(" ".join(html.normalize_chars(raw).split()))
    assert html._htmlwalk.block_text(raw, html.normalize_chars, html.canonical_line) == reference


# twenty words and more (features.PROSE_WORDS), with an end mark and without
PROSE = ["A sentence long enough to count as prose on its own, with a verb and quite a few words, that ends right here.",
         "Another one that goes on for a while and has no end mark at all in this piece of text, however long it gets"]


def both_prose(data: str):
    trees = html._trees(html._parse(data))
    python = features.count_prose_words([b.text for b in html._walk_python(trees, {}, False, None)[0]])
    compiled = html._htmlwalk.hidden_prose(trees, html.normalize_chars, html.canonical_line, features.prose_count)
    return python, compiled


# prose in the tail of an element, of a hidden one and of a comment
TAILS = [f"{before}{prose}" for before in ("<br>", "<b>bold</b>", "<div hidden>h</div>", "<!-- c -->", "</p>")
         for prose in PROSE]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(OPEN + CLOSE + OTHER + TEXT + PROSE + TAILS), max_size=60).map("".join))
def test_compiled_hidden_prose_is_the_prose_of_the_python_walk(body):
    python, compiled = both_prose(f"<html><body>{body}</body></html><div>{body}</div>")
    assert compiled == python


def test_compiled_hidden_prose_on_the_seeds():
    for p in sorted(SEEDS.glob("*.txt")):
        lines = p.read_text(encoding="utf-8").splitlines()
        # every other line in a hidden paragraph, the next one its tail
        page = ("<html><body>" + "".join(f"<div hidden><p>{a}</p></div>{b}" for a, b in zip(lines[::2], lines[1::2]))
                + "</body></html>")
        python, compiled = both_prose(page)
        assert compiled == python
        assert python > 0


def test_compiled_hidden_prose_splits_seams_as_the_walk_does():
    # nineteen words and a twentieth across a seam of sibling elements (html.glued): prose only
    # when the seam is split, which it is not inside a <pre> nor where text runs into an element
    words = " ".join(["word"] * 18) + " and"
    for markup, prose in ((f"<p><span>{words}</span><span>More.</span></p>", 20),
                          (f"<p>{words}<span>More.</span></p>", 0),
                          (f"<pre><span>{words}</span><span>More.</span></pre>", 0)):
        assert both_prose(f"<html><body>{markup}</body></html>") == (prose, prose)
