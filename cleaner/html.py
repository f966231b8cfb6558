"""HTML -> Blocks: lxml first, BeautifulSoup where lxml gives up.

Invisible content (script, style, template, hidden elements) never becomes a block. Everything
visible does, with the features of its element: tag, heading level, link density, list membership,
class/id hints, what its container holds, and the ids of the catalogue's selector rules whose element holds it. Dropping
navigation, asides, footers and the like is the catalogue's job (rules/html.yml), so that every
removal still carries a rule id.

Parsing is safe for hostile pages: no network access, no entity expansion beyond the predefined
ones, and a walk without recursion, so deep nesting cannot overflow the stack.
"""
from __future__ import annotations

import functools
import math

import regex
from lxml import etree
from lxml import html as lxml_html

from . import selectors
from .canonical import canonical_line, code_layout, code_lines, fenced, normalize_chars, unfenced
from .document import Block, Document
from .features import compiled_module, count_prose_words, prose_count

_htmlwalk = compiled_module("_htmlwalk")  # None: html._walk_python, the same blocks

_HTML_START = regex.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\b|html|head|body|meta|title|div|p|article|section|main)\b",
    regex.IGNORECASE | regex.DOTALL)
_TAGS = regex.compile(r"</?(?:html|body|head|p|div|span|a|br|li|ul|h[1-6]|table|td|img|section|article)\b",
                      regex.IGNORECASE)

INVISIBLE = frozenset({"script", "style", "template", "svg", "head", "iframe", "object",
                       "canvas", "embed", "math", "map", "datalist", "select", "option", "input", "textarea"})
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th",
    "title", "tr", "ul", "button", "label", "menu", "legend",
})
LIST_TAGS = frozenset({"ul", "ol", "dl", "menu"})
_HIDDEN_STYLE = regex.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.IGNORECASE)
_HIDDEN_CLASS = regex.compile(r"(?:^|\s)(?:hidden|sr-only|visually-hidden|screen-reader-text|d-none)(?:\s|$)")
# Words in class/id attributes that mark boilerplate or content containers. Used as classifier
# features only (the selector rules decide drops): they are hints, not verdicts.
_BOILER_HINT = regex.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|header|sidebar|widget|breadcrumbs?|share|sharing|social|related|"
    r"recommended|comments?|cookie|consent|newsletter|subscribe|promo|advert|ads?|banner|popup|modal|"
    r"tags?|pagination|pager|author-bio|byline|meta|toolbar|masthead|signup|login)(?:$|[\s_-])",
    regex.IGNORECASE)
_CONTENT_HINT = regex.compile(
    r"(?:^|[\s_-])(?:article|content|entry|post|story|main|body|text|prose|blog-post|article-body|"
    r"entry-content|post-content|story-body)(?:$|[\s_-])", regex.IGNORECASE)


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_TAGS.findall(head)) >= 4


_DOCTYPE = regex.compile(r"^\s*<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?[^>]*>", regex.IGNORECASE)


def _parse(data: str):
    # An internal DTD subset (<!DOCTYPE x [<!ENTITY ...>]>) means nothing to HTML and would leak
    # its "]>" as text; its entities are never expanded either way.
    data = _DOCTYPE.sub("", data, count=1)
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  recover=True, default_doctype=False, encoding="utf-8")
    try:
        # lxml refuses str input that declares an encoding, so it gets our UTF-8 bytes and is told
        # so (the page's own <meta charset> no longer applies: the text is already decoded).
        root = lxml_html.document_fromstring(data.encode("utf-8"), parser=parser)
        if root is not None and len(root):
            return root
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        pass
    return _parse_with_soup(data)


def _parse_with_soup(data: str):
    """Broken markup lxml cannot read: let BeautifulSoup's html.parser repair it, then re-read."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html.parser")
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, recover=True, encoding="utf-8")
    try:
        return lxml_html.document_fromstring(str(soup).encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return lxml_html.document_fromstring(b"<html><body></body></html>", parser=parser)


def _remembered(pattern, size: int = 10_000):
    """pattern.search(text) as a bool, remembered per text (least recently used first out past
    ``size`` texts): a page repeats its class and style attributes, and pages of a site repeat
    them across documents."""
    return functools.lru_cache(maxsize=size)(lambda text: bool(pattern.search(text)))


_hidden_style, _hidden_class = _remembered(_HIDDEN_STYLE), _remembered(_HIDDEN_CLASS)
_boiler_hint, _content_hint = _remembered(_BOILER_HINT), _remembered(_CONTENT_HINT)


def _hidden(el) -> bool:
    get = el.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    style = get("style")
    if style and _hidden_style(style):
        return True
    cls = get("class")
    return bool(cls and _hidden_class(cls))


def _selections(trees, ruleset) -> dict:
    """element -> ids of the selector rules that select it (selectors.py).

    Keyed by the element itself: lxml makes a new proxy object for a node whenever the old one has
    been collected, so id() is only stable while the dict holds the proxies alive.
    """
    if ruleset is None:
        return {}
    rules = tuple((rule.id, rule.selector) for rule in ruleset if rule.selector)
    if not rules:
        return {}
    selected = selectors.index(rules).select(trees)
    spare = {rule.id: rule.spare_prose_words for rule in ruleset if rule.selector and rule.spare_prose_words}
    if spare:
        _spare_prose(selected, spare)
    _spare_sections(selected, {rule.id for rule in ruleset if rule.selector and rule.family == "html"})
    return selected


def _spare_sections(selected: dict, generic: set) -> None:
    """Take back the catalogue's generic matches (the html family's) of an element that links to
    its own id: a section of the document with a permalink on its heading, as documentation
    generators write them (Sphinx: <section id="cookies"><h2>Cookies<a href="#cookies">).
    Their ids are the headings' words, so "[id*=cookie]" or "[id^=ad-]", written for banners
    and ad slots, would take a manual's section on cookies or on ad-hoc queries. A banner or
    a widget does not link to itself. Rules of the user's own are left as they are."""
    for el, ids in list(selected.items()):
        own = el.get("id")
        if not own or not ids & generic:
            continue
        if el.xpath(".//a[@href=$h]", h="#" + own):
            kept = ids - generic
            if kept:
                selected[el] = kept
            else:
                del selected[el]


# The elements whose text is a paragraph of their own, for prose_words_in.
_PARAGRAPHS = ("p", "blockquote", "li", "dd")


def prose_words_in(el) -> int:
    """Words of prose (features.prose_count) in the innermost paragraphs (p, blockquote, li, dd)
    inside ``el``."""
    total = 0
    for par in el.iter(*_PARAGRAPHS):
        if next(par.iterdescendants(*_PARAGRAPHS), None) is not None:
            continue  # its inner paragraphs are counted on their own
        text = " ".join(par.text_content().split())
        if text:
            total += prose_count(text, len(text.split()))
    return total


def _spare_prose(selected: dict, spare: dict) -> None:
    """Take back, element by element, the matches of rules with ``spare_prose_words``: an element
    whose paragraphs hold at least that many words of prose is left to the classifier.

    A <form> is a search box or a sign-up form on most pages, but some sites put content in one:
    each comment of an old-Reddit thread is its own <form>, as are a forum's posts under an
    inline-moderation form. Prose is what tells them apart (a sign-up form's line of legal text
    stays under 20 words); the classifier then judges those blocks like any others."""
    for el, ids in list(selected.items()):
        if not any(rule in spare for rule in ids):
            continue
        prose = prose_words_in(el)
        kept = {rule for rule in ids if rule not in spare or prose < spare[rule]}
        if kept != ids:
            if kept:
                selected[el] = kept
            else:
                del selected[el]


class _Frame:
    __slots__ = ("tag", "selected", "boiler", "content", "in_list", "in_link", "is_block", "path", "hidden", "pre",
                 "item", "marker")

    def __init__(self, tag, selected, boiler, content, in_list, in_link, is_block, path, hidden=0.0, pre=0,
                 item=0, marker=""):
        self.tag, self.selected, self.boiler, self.content = tag, selected, boiler, content
        self.in_list, self.in_link, self.is_block = in_list, in_link, is_block
        self.path = path  # ids of the block-level ancestors, outermost first
        self.hidden = hidden  # 1.0 inside a hidden element or <noscript> (read only when asked)
        self.pre = pre  # the id of the innermost <pre> this frame is in, or 0
        self.item, self.marker = item, marker  # the innermost <li> this frame is in (its id, its marker)


# List items keep their markers (document.written_blocks): "- " for an item of <ul> or <menu>
# (or of no list), and for an item of <ol> its number as the browser shows it: from the list's
# start, counting down when it is reversed, an item's value attribute resetting the count, in
# the list's type (1, a, A, i, I).
_INTEGER = regex.compile(r"[ \t\n\f\r]*([+-]?[0-9]+)")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _integer(value) -> int | None:
    """An attribute's integer as HTML reads one (leading spaces, a sign, digits; what follows is
    ignored), or None; None too past nine digits, which no list counts to."""
    match = _INTEGER.match(value) if value else None
    return int(match.group(1)) if match and len(match.group(1).lstrip("+-")) <= 9 else None


def list_numbering(ol) -> list:
    """[the next item's number, the step, the type] of an <ol> element before its first item."""
    reversed_ = ol.get("reversed") is not None
    start = _integer(ol.get("start"))
    if start is None:
        start = sum(1 for child in ol if child.tag == "li") if reversed_ else 1
    kind = ol.get("type", "1")
    return [start, -1 if reversed_ else 1, kind if kind in ("a", "A", "i", "I") else "1"]


def item_marker(numbering, value) -> str:
    """The marker of the next item of a list numbered ``numbering`` (list_numbering; advanced by
    this call), whose value attribute is ``value`` (or None)."""
    own = _integer(value)
    number = numbering[0] if own is None else own
    numbering[0] = number + numbering[1]
    kind = numbering[2]
    if kind in ("a", "A") and number > 0:
        letters = ""
        while number:
            number, k = divmod(number - 1, 26)
            letters = chr(ord("a") + k) + letters
        return (letters if kind == "a" else letters.upper()) + "."
    if kind in ("i", "I") and 0 < number < 4000:
        roman = ""
        for size, numeral in _ROMAN:
            count, number = divmod(number, size)
            roman += numeral * count
        return (roman if kind == "i" else roman.upper()) + "."
    return f"{number}."


def _mark_main(blocks, paths) -> None:
    """Mark the blocks inside the element that holds most of the page's paragraph text.

    Readability's idea: each paragraph-like block scores by its length and commas, and its score
    goes to its container and, halved, to the container's container; the element with the highest
    total is taken as the article's. Links count against a block (menus are text too).
    """
    scores: dict = {}
    for block, path in zip(blocks, paths):
        if len(block.text) < 25 or not path:
            continue
        value = (1 + block.text.count(",") + min(len(block.text) / 100, 3)) * (1 - block.link_density)
        # path[-1] is the block's own element; its containers start at path[-2]
        for depth, weight in ((2, 1.0), (3, 0.5), (4, 0.25)):
            if len(path) >= depth:
                key = path[-depth]
                scores[key] = scores.get(key, 0.0) + value * weight
    if not scores:
        return
    main = max(scores, key=scores.get)
    for block, path in zip(blocks, paths):
        if main in path:
            block.in_main = 1.0


def _mark_boxes(blocks, paths, words) -> None:
    """Give each block what its containers hold: the link density, words, prose share and block
    count of its parent element (its box: a menu's links share one, an article's paragraphs
    another), the share of the page's prose words its grandparent holds, and its depth.

    A block alone is often ambiguous ("Contact us" heads a footer and ends many articles); the
    element around it says more: boilerpipe and Readability both judge text by its container.
    ``path[-1]`` is the block's own element; a block with no parent is its own box, and a box
    with no parent is its own grandparent."""
    stats: dict = {}
    keys = []
    prose_total = 0
    for block, path, n in zip(blocks, paths, words):
        if not path:
            keys.append(None)
            continue
        box = path[-2] if len(path) >= 2 else path[-1]
        up = path[-3] if len(path) >= 3 else box
        keys.append((box, up))
        text = block.text
        chars = len(text)
        prose = prose_count(text, n)
        prose_total += prose
        linked = block.link_density * chars
        for key in ((box,) if up == box else (box, up)):
            s = stats.get(key)
            if s is None:
                stats[key] = [n, chars, linked, prose, 1]
            else:
                s[0] += n
                s[1] += chars
                s[2] += linked
                s[3] += prose
                s[4] += 1
    for block, path, key in zip(blocks, paths, keys):
        if key is None:
            continue
        box, up = stats[key[0]], stats[key[1]]
        block.box = (box[2] / box[1] if box[1] else 0.0, math.log1p(box[0]), box[3] / box[0] if box[0] else 0.0,
                     math.log1p(box[4]), up[3] / prose_total if prose_total else 0.0, min(len(path), 30) / 30)


# Below this many words of visible text, hidden elements and <noscript> are read too: pages
# rendered by script keep their content in hidden containers (React streaming) or in a
# <noscript> version for crawlers (Discourse) until the script runs.
MIN_VISIBLE_WORDS = 50
# Pages that show a short summary and keep the description, the specifications or the answer in
# collapsed tabs and accordions (hidden until a click): when the hidden elements hold 50 words or
# more, and reading them gives at least half again as many words of prose (features.
# count_prose_words) as the visible page holds, plus 50, the page is read with them. On the dev
# pages this read 23 pages whole; the result was flat for ratios from 1.2 to 2 (bench/RESULTS.md).
HIDDEN_PROSE_RATIO = 1.5
HIDDEN_PROSE_MIN = 50


def parse_html(data: str, source: str = "<stdin>", ruleset=None) -> Document:
    trees = _trees(_parse(data))
    selected_by = _selections(trees, ruleset)
    hidden_words: list = []
    blocks = _blocks(trees, selected_by, skip_hidden=True, hidden_words=hidden_words)
    if sum(len(b.text.split()) for b in blocks) < MIN_VISIBLE_WORDS:
        with_hidden = _blocks(trees, selected_by, skip_hidden=False)
        if sum(len(b.text.split()) for b in with_hidden) > 2 * MIN_VISIBLE_WORDS:
            blocks = with_hidden
        chars = sum(len(b.text) for b in blocks)
        if chars < len(data) / 50:
            flat = _flat_blocks(data)
            if chars < 0.1 * sum(len(b.text) for b in flat):
                blocks = flat
    elif sum(hidden_words) >= HIDDEN_PROSE_MIN:
        # 200 of the 468 dev pages hold that many hidden words; 23 are read with them
        prose = count_prose_words([b.text for b in blocks])
        if _hidden_prose(trees) >= HIDDEN_PROSE_RATIO * prose + HIDDEN_PROSE_MIN:
            blocks = _blocks(trees, selected_by, skip_hidden=False)
    return Document(blocks, source, "html")


# Markup that never becomes text: script, style and template elements, comments, the doctype
# (also what io.fix_mojibake sets aside on a page of markup).
NEVER_TEXT = regex.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->|<!DOCTYPE[^>]*(?:\[[^\]]*\])?[^>]*>",
                           regex.IGNORECASE | regex.DOTALL)
_BLOCK_TAG = regex.compile(r"</?(?:" + "|".join(sorted(BLOCK_TAGS)) + r"|br)\b[^>]*>", regex.IGNORECASE)
_ANY_TAG = regex.compile(r"<[^>]*>")


def _flat_blocks(data: str) -> list[Block]:
    """Blocks from markup lxml could not build a tree of (nesting past libxml2's depth limit).

    Tags are stripped, block-level tags become line breaks and only HTML's own entities are
    decoded: the text survives, the element features do not.
    """
    import html as html_module

    text = _BLOCK_TAG.sub("\n", NEVER_TEXT.sub(" ", data))
    text = html_module.unescape(_ANY_TAG.sub("", text))
    blocks = []
    for number, line in enumerate(normalize_chars(text).split("\n"), 1):
        line = unfenced(canonical_line(line))
        if line:
            blocks.append(Block(line, number))
    return blocks


def _trees(root) -> list:
    """The document's top-level elements: the root, and what libxml2 put beside it.

    A page that closes its </html> early and goes on (a theme that includes a whole document
    mid-page) is read by libxml2 as two trees side by side at the top; the article is often in
    the second (2% of the dev pages have one, and on some it holds most of the text)."""
    return [root, *(el for el in root.itersiblings() if isinstance(el.tag, str))]


def _blocks(trees, selected_by, skip_hidden: bool, hidden_words: list | None = None) -> list[Block]:
    """The blocks of the trees, in document order. With ``skip_hidden``, hidden elements and
    <noscript> are left out, and the words they hold are appended to ``hidden_words`` if given."""
    if _htmlwalk is not None:
        blocks, paths = _htmlwalk.walk(trees, selected_by, skip_hidden, hidden_words)
    else:
        blocks, paths = _walk_python(trees, selected_by, skip_hidden, hidden_words)
    words = [len(b.text.split()) for b in blocks]
    _mark_main(blocks, paths)
    _mark_boxes(blocks, paths, words)
    _release_wrappers(blocks, words)
    _mark_rows(blocks, paths)
    return _join_pre(blocks)


def _join_pre(blocks) -> list[Block]:
    """One block per <pre>: the walk ends a block at a <br> or a block element, and highlighters
    write each line of code as a <div> of its own (CodeMirror, Shiki), so the blocks of one <pre>
    that follow one another (with the same selections and visibility) become one, its words on
    one line for the rules and the classifier, its lines (Block.code, as the walk read them) a
    code block (canonical.fenced) when there are more than one; a <pre> of one line is an
    ordinary block. The first piece's element features stand for the whole."""
    out: list[Block] = []
    for block in blocks:
        last = out[-1] if out else None
        if (block.pre and last is not None and last.pre == block.pre and last.selected == block.selected
                and last.hidden == block.hidden):
            total = len(last.text) + len(block.text)
            last.link_density = (last.link_density * len(last.text) + block.link_density * len(block.text)) / total
            last.text = f"{last.text} {block.text}"
            last.code = f"{last.code}\n{block.code}"
        else:
            out.append(block)
    for block in out:
        if block.pre:
            layout = code_layout(block.code)
            block.code = fenced(layout) if "\n" in layout else ""
    return out


def _mark_rows(blocks, paths) -> None:
    """Number the table row and cell of each block that is a cell's own text (its element a <td>
    or <th>, whose parent block element is the row), so that the output writes a row's surviving
    cells on one line (document.written_blocks). A cell that holds paragraphs or lists gives
    blocks of those elements, which stay blocks of their own."""
    for block, path in zip(blocks, paths):
        if block.tag in ("td", "th") and len(path) >= 2:
            block.row, block.cell = path[-2], path[-1]


def _hidden_prose(trees) -> int:
    """count_prose_words of the blocks the trees give read with their hidden elements. Compiled,
    _htmlwalk.hidden_prose reads only what the texts need (a full second walk cost about a tenth
    of cleaning the dev pages); the selections change no text, so the reference walks without."""
    if _htmlwalk is not None:
        return _htmlwalk.hidden_prose(trees, normalize_chars, canonical_line, prose_count)
    return count_prose_words([b.text for b in _walk_python(trees, {}, False, None)[0]])


# Two elements side by side with nothing between them ("<span>Rewards</span><span>Purchasing this
# earns 176 points</span>") are often set apart by the page's style (a flex row, buttons, badges),
# which no walk sees: joined, the last word of one and the first of the other become one word
# ("RewardsPurchasing", "1h 58mR", "Nov 7, 202511 min read") in the output and to every rule. A
# space goes between them when the first ends with a lower-case letter or a digit and the second
# starts with a capital or a digit: within a word that is rare (a camel-case name is seldom split
# across sibling elements), between two pieces of a frame, a date and a reading time, a label and
# its value, common. At such seams of the dev pages whose two sides are words of the gold text,
# the gold has them apart 3,037 times and joined 36 (bench/RESULTS.md). A capital followed by a
# lower-case letter (a drop cap: "<span>T</span>he") and two lower-case letters stay joined, and
# so do two capitals ("OK", "Excellent"): splitting those too scored no better. Only at such a seam:
# text running into or out of an element ("i<b>P</b>hone") is never split, nor code in a <pre>.
# The walks track the seam since the last text (SEAM_*): an element ended, and another started
# after it.
SEAM_NONE, SEAM_ENDED, SEAM_SIBLING = 0, 1, 2


def glued(before: str, after: str) -> bool:
    """Whether text ``before`` and ``after``, met at a seam of sibling elements, read as one
    word that should be two: see the comment above."""
    last, first = before[-1], after[0]
    return (last.islower() or last.isdigit()) and (first.isupper() or first.isdigit())


def _walk_python(trees, selected_by, skip_hidden: bool, hidden_words: list | None):
    """(blocks, paths): the blocks of the trees and, for each, the ids of its block-level elements
    (outermost first). The reference of _htmlwalk.walk, which reads the same nodes in compiled
    code."""
    blocks: list[Block] = []
    pieces: list[str] = []
    link_chars = [0]
    line = [0]
    stack: list[_Frame] = [_Frame("html", frozenset(), 0.0, 0.0, False, False, True, ())]
    paths: list[tuple] = []
    counter = [0]
    numberings: dict = {}  # per <ol> frame: list_numbering, advanced item by item
    seam = [SEAM_NONE]  # what the walk passed since the last text (see glued)

    def add(text, frame):
        if text:
            if seam[0] == SEAM_SIBLING and pieces and not frame.pre and glued(pieces[-1], text):
                pieces.append(" ")
            seam[0] = SEAM_NONE
            pieces.append(text)
            if frame.in_link:
                link_chars[0] += len(text.strip())

    def flush():
        if not pieces:
            return
        raw = "".join(pieces)
        text = unfenced(canonical_line(" ".join(normalize_chars(raw).split())))
        total = len(text)
        if text:
            block_frame = next((f for f in reversed(stack) if f.is_block), stack[0])
            top = stack[-1]
            tag = block_frame.tag
            blocks.append(Block(
                text=text, line=line[0] or 1, tag=tag,
                heading=int(tag[1]) if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit() else 0,
                link_density=min(1.0, link_chars[0] / total) if total else 0.0,
                in_list=top.in_list, selected=top.selected,
                boiler_hint=top.boiler, content_hint=top.content, hidden=top.hidden,
                pre=top.pre, code=code_lines(raw) if top.pre else "", item=top.item, marker=top.marker))
            paths.append(block_frame.path)
        pieces.clear()
        link_chars[0] = 0
        line[0] = 0

    for root in trees:
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            tag = el.tag if isinstance(el.tag, str) else ""
            tag = tag.lower()
            if event == "start":
                if seam[0] == SEAM_ENDED:
                    seam[0] = SEAM_SIBLING
                hidden = bool(tag) and tag not in INVISIBLE and (tag == "noscript" or _hidden(el))
                if not tag or tag in INVISIBLE or (skip_hidden and hidden):
                    if hidden and hidden_words is not None:
                        hidden_words.append(len(el.text_content().split()))
                    walker.skip_subtree()
                    # skip_subtree still sends this element's "end": mark it so its tail is kept
                    stack.append(None)
                    continue
                parent = stack[-1]
                is_block = tag in BLOCK_TAGS
                if is_block or tag == "br":
                    if pieces:
                        flush()
                attrs = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}".strip()
                own = selected_by.get(el)
                counter[0] += 1
                item, marker = parent.item, parent.marker
                if tag == "li":
                    item = counter[0]
                    if parent.tag == "ol":
                        numbering = numberings.get(parent)
                        if numbering is None:
                            numbering = numberings[parent] = list_numbering(el.getparent())
                        marker = item_marker(numbering, el.get("value"))
                    else:
                        marker = "-"
                frame = _Frame(
                    tag,
                    parent.selected | own if own else parent.selected,
                    1.0 if parent.boiler or (attrs and _boiler_hint(attrs)) or tag in ("nav", "footer", "aside") else 0.0,
                    1.0 if parent.content or (attrs and _content_hint(attrs)) or tag in ("article", "main") else 0.0,
                    parent.in_list or tag in LIST_TAGS,
                    parent.in_link or tag == "a",
                    is_block,
                    parent.path + (counter[0],) if is_block else parent.path,
                    1.0 if parent.hidden or hidden else 0.0,
                    counter[0] if tag == "pre" else parent.pre,
                    item, marker,
                )
                stack.append(frame)
                if not line[0] and el.sourceline:
                    line[0] = el.sourceline
                if el.text:
                    add(el.text, frame)
            else:
                if seam[0] == SEAM_NONE:
                    seam[0] = SEAM_ENDED
                frame = stack[-1]
                if pieces and frame is not None and (frame.is_block or frame.tag == "br"):
                    flush()
                stack.pop()
                if el.tail:
                    add(el.tail, stack[-1])
    flush()
    return blocks, paths


# A selector rule whose elements hold at least this share of the article container's words, and
# of the page's, has matched a wrapper, not furniture (see _release_wrappers).
WRAPPER_SHARE = 0.5


def _release_wrappers(blocks, words) -> None:
    """Undo, for this page, a selector rule that matched the element wrapping the article.

    Class and id patterns meet wrappers: an ASP.NET page inside one <form>, a <div
    class="has-newsletter">, a theme's "comments-area" around the whole post. Such a match would
    remove the article with the frame (on 7% of the dev pages the rules then removed over 90% of
    the words and the guard printed the page whole). A rule whose elements hold most of the
    article container's words (html._mark_main; one of at least MIN_VISIBLE_WORDS words) and most
    of the page's has matched such a wrapper; its selections are dropped for the page, and the
    classifier judges those blocks."""
    total = sum(words)
    main = sum(w for b, w in zip(blocks, words) if b.in_main)
    if main < MIN_VISIBLE_WORDS:
        return  # no article container worth the name: the rules' matches stand
    by_rule: dict = {}
    in_main: dict = {}
    for b, w in zip(blocks, words):
        for rule in b.selected:
            by_rule[rule] = by_rule.get(rule, 0) + w
            if b.in_main:
                in_main[rule] = in_main.get(rule, 0) + w
    wrappers = {rule for rule, n in by_rule.items()
                if in_main.get(rule, 0) >= WRAPPER_SHARE * main and n >= WRAPPER_SHARE * total}
    if wrappers:
        for b in blocks:
            if b.selected & wrappers:
                b.selected = b.selected - wrappers
