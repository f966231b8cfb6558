"""HTML input: blocks with features, selector rules, hidden content, charsets."""
import pytest

from cleaner import Cleaner, clean, replay
from cleaner.document import Document
from cleaner.html import looks_like_html, parse_html
from cleaner.io import decode
from cleaner.rules import load_rules

ARTICLE = ("<p>The council voted on Tuesday to keep the old bridge open for another ten years, after engineers "
           "said the repairs made last spring had worked better than expected.</p>"
           "<p>Residents had asked for the vote since the winter, when a lorry hit the railing and the road was "
           "closed for three weeks while the damage was assessed by the county.</p>")
PAGE = (f"<!DOCTYPE html><html><head><title>t</title><script>var x = 1;</script><style>p{{}}</style></head><body>"
        f"<header><a href='/'>Acme Gazette</a></header>"
        f"<nav><ul><li><a href='/'>Home</a></li><li><a href='/local'>Local news</a></li></ul></nav>"
        f"<article><h1>The bridge stays open</h1>{ARTICLE}</article>"
        f"<aside class='sidebar'><h3>Most read</h3><a href='/x'>Another story entirely</a></aside>"
        f"<div class='share-buttons'>Facebook Twitter</div>"
        f"<div id='cookie-banner'>We use cookies to improve your experience.</div>"
        f"<footer>© 2024 Acme Gazette</footer></body></html>")


def test_blocks_and_features():
    doc = parse_html(PAGE)
    texts = [b.text for b in doc.blocks]
    assert "var x = 1;" not in " ".join(texts) and "p{}" not in " ".join(texts)
    h1 = next(b for b in doc.blocks if b.text == "The bridge stays open")
    assert h1.tag == "h1" and h1.heading == 1 and h1.link_density == 0
    home = next(b for b in doc.blocks if b.text == "Home")
    assert home.in_list and home.link_density == 1.0 and home.boiler_hint == 1.0


def test_blocks_carry_what_their_container_holds():
    from cleaner.features import BOX, HTML, NAMES, document_features

    doc = parse_html(PAGE)
    box = {b.text: dict(zip(BOX, b.box)) for b in doc.blocks}
    home, paragraph = box["Home"], box[doc.blocks[next(i for i, b in enumerate(doc.blocks) if b.tag == "p")].text]
    # the menu's box is all links and no prose; the article's box holds all the page's prose
    assert home["box_link_density"] == 1.0 and home["box_prose"] == 0.0 and home["up_prose_share"] == 0.0
    assert paragraph["box_link_density"] == 0.0 and paragraph["up_prose_share"] == 1.0
    assert paragraph["box_prose"] > 0.8 and paragraph["box_log_words"] > home["box_log_words"]
    # the features reach the classifier's rows by name; text blocks have none
    rows = document_features(doc.blocks, [b.text for b in doc.blocks], "en")
    k = [b.text for b in doc.blocks].index("Home")
    assert rows[k][NAMES.index("box_link_density")] == 1.0
    text_rows = document_features(Document.from_text("Home\nNews").blocks, ["Home", "News"], "en")
    assert all(row[NAMES.index(name)] == 0.0 for row in text_rows for name in BOX) and set(BOX) <= set(HTML)


@pytest.mark.parametrize("open_tag,close_tag", [
    ("<form id='aspnetForm' action='/page.aspx'>", "</form>"),  # a whole page inside one form
    ("<div class='layout has-newsletter'>", "</div>"),  # a wrapper whose class names a widget
])
def test_a_selector_that_matches_the_article_wrapper_is_not_applied(open_tag, close_tag):
    page = (f"<html><body>{open_tag}<nav><a href='/'>Home</a> <a href='/local'>Local news</a></nav>"
            f"<article><h1>The bridge stays open</h1>{ARTICLE}</article>"
            f"<div class='newsletter-box'>Get our newsletter every morning</div>{close_tag}</body></html>")
    result = Cleaner(format="html", classifier=False).clean(page)
    assert not result.guarded
    assert "The council voted on Tuesday" in result.text and "Residents had asked" in result.text
    # the other rules still apply inside the wrapper
    by_rule = {d.text: d.rule for d in result.decisions}
    assert by_rule["Home Local news"] == "html.nav"
    if "newsletter" not in open_tag:
        assert by_rule["Get our newsletter every morning"] == "html.newsletter"


COMMENT = ("I had the same problem with my old router last winter, and replacing the power supply fixed it "
           "for good.")


def test_a_form_holding_prose_is_left_to_the_classifier_and_other_forms_and_dialogs_are_not():
    page = (f"<html><body><article><h1>The bridge stays open</h1>{ARTICLE}</article>"
            f"<form class='usertext'><div class='md'><p>{COMMENT}</p></div></form>"
            f"<form class='signup'><p>Sign up to our newsletter. You can unsubscribe at any time.</p>"
            f"<input name='email'></form>"
            f"<div role='dialog'><p>We and our partners store and access information on your device to "
            f"measure the audience, show you personalised advertising and improve our services.</p></div>"
            f"</body></html>")
    result = Cleaner(format="html", classifier=False).clean(page)
    assert COMMENT in result.text and "The council voted" in result.text
    by_rule = {d.text: d.rule for d in result.decisions}
    assert by_rule["Sign up to our newsletter. You can unsubscribe at any time."] == "html.form"
    assert by_rule[next(t for t in by_rule if t.startswith("We and our partners"))] == "html.dialog"
    # without its paragraph of prose the same comment form is dropped like any form
    short = page.replace(COMMENT, "Same here.")
    assert "Same here." not in Cleaner(format="html", classifier=False).clean(short).text


def test_short_repeats_in_lists_and_tables_are_content_and_long_ones_still_repeats():
    rows = "".join(f"<tr><th>Certifications</th><td>Model {n}</td></tr>" for n in range(3))
    teaser = "The council voted to keep the old bridge open for ten more years."
    page = (f"<html><body><article><h1>The bridge stays open</h1>{ARTICLE}<table>{rows}</table>"
            f"<ul><li>{teaser}</li><li>Mark as watched</li></ul><ul><li>{teaser}</li><li>Mark as watched</li></ul>"
            f"<p>Mark as watched</p><p>Mark as watched</p></article></body></html>")
    result = Cleaner(format="html", classifier=False).clean(page)
    lines = result.text.split("\n")
    # a field label repeated down a table, a short item in two lists: each copy stays
    assert [f"Certifications | Model {n}" in lines for n in range(3)] == [True] * 3
    # (each list item written after its marker)
    assert lines.count("- Mark as watched") == 2 and lines.count("Mark as watched") == 1
    # a sentence-long repeat is still one copy too many, in a list or not, and so is a short
    # repeat outside lists
    assert lines.count(f"- {teaser}") == 1 and teaser not in lines
    dropped = [d.text for d in result.decisions if d.rule == "dedup.exact"]
    assert dropped.count("Mark as watched") == 1 and teaser in dropped
    # text input has no lists to tell apart: the short repeat goes as before
    text = Cleaner(format="text", classifier=False).clean("Intro line of the page.\nMark as watched\nMark as watched\n")
    assert text.text.split("\n").count("Mark as watched") == 1


def test_a_near_duplicate_rule_honours_its_list_floor_too(tmp_path):
    (tmp_path / "near.yml").write_text(
        "family: near\nrules:\n  - id: near.lists\n    description: near repeats, list items under 60 letters spared\n"
        "    kind: dedup\n    similarity: 0.9\n    min_chars: 20\n    min_chars_in_lists: 60\n"
        "    examples:\n      remove: [\"The line that is printed twice here.\\nOther.\\nThe line that is printed twice here!\"]\n"
        "      keep: [\"The first paragraph of the page.\\nThe second paragraph, not the same.\"]\n", encoding="utf-8")
    item = "Free delivery on every order over fifty euros"
    page = (f"<html><body><article>{ARTICLE}<ul><li>{item}</li></ul><ul><li>{item}!</li></ul>"
            f"<p>{item}</p><p>{item}.</p></article></body></html>")
    result = Cleaner(format="html", classifier=False, builtin_rules=False, rules_dirs=[str(tmp_path)]).clean(page)
    # both list items stay; the second paragraph is still a near repeat of the first list item
    assert [d.text for d in result.decisions if d.rule == "near.lists"] == [f"{item}."]
    lines = result.text.split("\n")
    assert lines.count(f"- {item}") == 1 and lines.count(f"- {item}!") == 1 and lines.count(item) == 1


def test_prose_in_a_form_is_counted_once_per_paragraph():
    from cleaner.html import _parse, prose_words_in

    words = len(COMMENT.split())
    root = _parse(f"<html><body><form><ul><li><p>{COMMENT}</p></li><li>Reply</li></ul>"
                  f"<blockquote>{COMMENT}</blockquote><p>Short line.</p></form></body></html>")
    assert prose_words_in(next(root.iter("form"))) == 2 * words


def test_selector_rules_drop_page_furniture_with_ids():
    result = Cleaner(format="html", classifier=False).clean(PAGE)
    assert result.text.startswith("The bridge stays open\n\nThe council voted")
    by_rule = {d.text: d.rule for d in result.decisions}
    assert by_rule["Home"] == "html.nav"
    assert by_rule["Most read"] == "html.aside"
    assert by_rule["Facebook Twitter"] == "html.share"
    # the text rule and the selector rule both know this banner; either may claim it
    assert by_rule["We use cookies to improve your experience."] in {"cookies.banner-en", "html.cookie-banner"}
    assert by_rule["© 2024 Acme Gazette"] in {"captions.copyright-line", "html.footer"}


DOCS = ("<html><body><main><section id='guide'><h1>Guide<a class='headerlink' href='#guide'>¶</a></h1>"
        "<p>This guide walks through the framework, one feature at a time, with a short example for each of them.</p>"
        "<section id='{sid}'><h2>{title}<a class='headerlink' href='#{sid}'>¶</a></h2>"
        "<p>{body}</p></section></section></main>"
        "<div id='cookie-banner'>We use cookies to improve your experience.</div></body></html>")


@pytest.mark.parametrize("sid,title,body", [
    ("cookies", "Cookies", "To read cookies use the cookies attribute of the request, a dictionary of every cookie sent."),
    ("ad-hoc-queries", "Ad-hoc queries", "An ad-hoc query runs once against the database and is never saved with the project."),
    ("share-state", "Share state", "Components share state through a store that every one of them can read and update."),
])
def test_a_documentation_section_is_not_taken_for_a_widget_by_its_id(sid, title, body):
    """A manual's section ids are its headings' words: "[id*=cookie]", "[id^=ad-]" and
    "[id*=share-]" match them. A section that links to its own id (the heading's permalink) is
    the document's; the banner beside it, which links nowhere, still goes."""
    result = Cleaner(format="html", classifier=False).clean(DOCS.format(sid=sid, title=title, body=body))
    assert body in result.text and title + "¶" in result.text
    assert "We use cookies" not in result.text


def test_a_users_own_selector_still_takes_a_section_that_links_to_itself(tmp_path):
    (tmp_path / "mine.yml").write_text(
        "family: mine\ndescription: x\nrules:\n  - id: mine.cookies\n    description: |\n"
        "      Removes: the cookies section.\n      Why: not wanted.\n      Keeps: the rest.\n"
        "    kind: drop\n    selector: '#cookies'\n    examples:\n"
        "      remove: [\"<body><section id='cookies'><p>Cookies here.</p></section><p>Rest of the text.</p></body>\"]\n"
        "      keep: [\"<body><p>Rest of the text.</p></body>\"]\n", encoding="utf-8")
    page = DOCS.format(sid="cookies", title="Cookies", body="To read cookies use the cookies attribute of the request.")
    result = Cleaner(format="html", classifier=False, rules_dirs=[str(tmp_path)]).clean(page)
    assert "To read cookies" not in result.text and "mine.cookies" in {d.rule for d in result.decisions}


def test_auto_detects_html_and_format_text_forces_text():
    out = clean(PAGE)
    assert "<p>" not in out and "The council voted" in out
    forced = clean("<p>Hello there, world.</p>", format="text", classifier=False)
    assert forced == "<p>Hello there, world.</p>\n"


@pytest.mark.parametrize("text,expected", [
    (PAGE, True), ("<p>one</p><p>two</p><div>three</div><br>", True),
    ("Plain text that mentions <b> once.", False), ("", False),
])
def test_looks_like_html(text, expected):
    assert looks_like_html(text) is expected


def test_hidden_elements_are_not_text():
    html = ("<body><div hidden>secret one</div><p style='display: none'>secret two</p>"
            "<span class='sr-only'>secret three</span><p aria-hidden='true'>secret four</p>" + ARTICLE + "</body>")
    text = " ".join(b.text for b in parse_html(html).blocks)
    assert "secret" not in text and "council voted" in text


def test_script_rendered_page_reads_hidden_and_noscript_content():
    # a page whose only text waits in a hidden container or a <noscript> crawler view
    for wrap in ("<div hidden>{}</div>", "<noscript>{}</noscript>"):
        html = "<body><div id='app'></div>" + wrap.format(ARTICLE * 2) + "</body>"
        assert "council voted" in " ".join(b.text for b in parse_html(html).blocks)


def test_prose_kept_in_collapsed_tabs_is_read_when_it_is_most_of_the_page():
    # A product page: a one-line summary on show, the description in a tab hidden until a click.
    description = "".join(f"<p>{p}</p>" for p in (
        "This mug is thrown by hand on a wheel in a small studio, so no two are quite alike in shape or glaze.",
        "The stoneware is fired twice at high heat, which makes it strong enough for daily use and safe in a dishwasher.",
        "Each one holds about twelve ounces, and the handle is wide enough for two fingers even when the mug is full.") * 2)
    summary = "<h1>Handmade stoneware mug</h1><p>Twelve ounces. Blue glaze. Ships in two days.</p>"
    shop = "<nav>" + "".join(f"<a href='/c/{k}'>Kitchen and dining {k}</a>" for k in range(15)) + "</nav>"
    page = f"<html><body>{shop}{summary}<div class='tab-panel' hidden>{description}</div></body></html>"
    visible = parse_html(page.replace(description, ""))
    assert sum(len(b.text.split()) for b in visible.blocks) > 50  # not a shell rendered by script
    out = clean(page, format="html")
    assert "fired twice at high heat" in out
    # A hidden menu beside a visible article stays out: it adds no prose.
    menu = "<ul class='mobile-menu' style='display:none'>" + "".join(f"<li><a href='/{k}'>Section {k}</a></li>" for k in range(40)) + "</ul>"
    page = f"<html><body>{menu}<article>{ARTICLE}</article></body></html>"
    blocks = [b.text for b in parse_html(page).blocks]
    assert "Section 3" not in blocks and any(b.startswith("The council voted") for b in blocks)


def test_inline_elements_stay_in_their_paragraph_and_br_breaks():
    doc = parse_html("<p>One <b>bold</b> and <a href='#'>a link</a> here.<br>Next line</p>")
    assert [b.text for b in doc.blocks] == ["One bold and a link here.", "Next line"]
    assert 0 < doc.blocks[0].link_density < 0.5


CODE_PAGE = ("<html><body><article><h1>Summing a list</h1>" + ARTICLE +
             "<pre><code class='language-python'>\n    def total(xs):\n        s = 0\n\n        for x in xs:"
             "\n            s += x  <span class='c'># add</span>\n        return s\n</code></pre>" + ARTICLE +
             "<pre>pip install acme</pre></article>"
             "<div class='share-buttons'><pre>share\nthis</pre></div></body></html>")


def test_a_pre_element_keeps_its_lines_as_a_fenced_code_block():
    doc = parse_html(CODE_PAGE)
    code, furniture = [b for b in doc.blocks if b.code]
    assert furniture.text == "share this" and furniture.boiler_hint and not code.boiler_hint
    # judged by its words on one line, written with its lines
    assert code.text == "def total(xs): s = 0 for x in xs: s += x # add return s"
    assert code.code == "```\ndef total(xs):\n    s = 0\n\n    for x in xs:\n        s += x  # add\n    return s\n```"
    out = clean(CODE_PAGE, format="html")
    assert code.code in out
    assert out.endswith("```\n\npip install acme\n")  # a one-line <pre> is an ordinary block
    assert "share" not in out  # furniture holding a <pre> still goes
    # the output read again as text is the same code block, and cleaning it changes nothing
    assert clean(out, format="text") == out


@pytest.mark.parametrize("pre", [
    "<pre>one\n  two<br>  three\nfour</pre>",
    # highlighters that write a line per element (CodeMirror, Shiki), one of them a link
    "<pre><code><div class='cm-line'>one</div><div class='cm-line'>  two</div>\n"
    "<div class='cm-line'>  <a href='#'>three</a></div><span style='display:block'>four</span></code></pre>",
])
def test_the_lines_of_a_pre_element_are_one_code_block_however_they_are_marked(pre):
    doc = parse_html(f"<html><body><p>Before.</p>{pre}<pre>single line</pre><p>After.</p></body></html>")
    assert [(b.text, b.code) for b in doc.blocks] == [
        ("Before.", ""), ("one two three four", "```\none\n  two\n  three\nfour\n```"),
        ("single line", ""), ("After.", "")]


@pytest.mark.parametrize("markup", ["<p>```</p>", "<p>```python</p>", "<pre>~~~</pre>"])
def test_html_text_that_would_open_a_fence_loses_its_fence(markup):
    doc = parse_html(f"<html><body>{markup}<p>After.</p></body></html>")
    assert [b.text for b in doc.blocks] == (["python"] if "python" in markup else []) + ["After."]


TABLE_PAGE = ("<html><body><article><h1>Results by region</h1>" + ARTICLE +
              "<table><tr><th>Region</th><th>Revenue</th><th>Change</th></tr>"
              "<tr><td>Europe</td><td>12.4 bn<br>(estimate)</td><td>+3%</td><td><a href='/s'>Share on Facebook</a></td></tr>"
              "<tr><td>Asia</td><td><p>Revenue fell in the summer.</p><p>It rose again in autumn.</p></td>"
              "<td>-1%</td></tr></table></article></body></html>")


def test_a_table_row_is_written_on_one_line_and_its_cells_judged_one_by_one():
    cleaner = Cleaner(format="html")
    doc = cleaner.read(TABLE_PAGE)
    result = cleaner.clean_document(doc)
    assert ("\n\nRegion | Revenue | Change\n\nEurope | 12.4 bn (estimate) | +3%\n\nAsia\n\n"
            "Revenue fell in the summer.\n\nIt rose again in autumn.\n\n-1%\n") in result.text
    # the share cell went by its own rule, and the rest of its row stayed one line
    assert [d.text for d in result.decisions if d.rule.startswith("share.")] == ["Share on Facebook"]
    assert replay(doc, result.decisions) == result.text
    assert clean(result.text, format="text", classifier=False) == result.text


def test_broken_markup_is_repaired():
    doc = parse_html("<div><p>Unclosed <b>bold <i>italic</p></div></span><p>Second</div>")
    assert [b.text for b in doc.blocks] == ["Unclosed bold italic", "Second"]


def test_content_after_an_early_closing_html_tag_is_read():
    # libxml2 reads what follows a premature </html> as a second tree beside the root; a theme
    # that prints a whole document's end mid-page leaves the article there.
    page = ("<!DOCTYPE html><html><head><title>t</title></head><body><nav><a href='/'>Home</a></nav>"
            f"</body></html><div class='post'><h1>The bridge stays open</h1>{ARTICLE}"
            "<aside class='sidebar'><h3>Most read</h3><a href='/x'>Another story entirely</a></aside></div>")
    texts = [b.text for b in parse_html(page, ruleset=load_rules()).blocks]
    assert texts[0] == "Home" and "The bridge stays open" in texts
    out = clean(page, format="html")
    assert "The council voted on Tuesday" in out and "Residents had asked" in out
    assert "Another story entirely" not in out  # the selector rules apply in the second tree too


def test_entities_are_not_expanded_beyond_html_ones():
    html = ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            "<body><p>&b;&b;&b; &amp; caf&eacute;</p></body>")
    text = " ".join(b.text for b in parse_html(html).blocks)
    assert "aaaaaaaaaa" not in text and "& café" in text


def test_declared_charset_and_wrong_declared_charset():
    page = "<html><head><meta charset='windows-1252'></head><body><p>Café crème</p></body></html>"
    assert "Café crème" in decode(page.encode("cp1252"))
    # declares latin-1 but is really UTF-8: UTF-8 wins
    lying = "<html><head><meta charset='iso-8859-1'></head><body><p>Café crème</p></body></html>"
    assert "Café crème" in decode(lying.encode("utf-8"))


def test_html_examples_use_the_catalogue_selectors():
    assert {r.id for r in load_rules() if r.selector} >= {"html.nav", "html.footer", "html.aside", "html.ads"}


def test_remembered_patterns_answer_as_the_pattern_and_stay_bounded():
    import regex

    from cleaner.html import _remembered

    search = _remembered(regex.compile(r"\bnav\b"), size=3)
    for k in range(20):
        assert search(f"x{k} nav") is True
        assert search(f"navy{k}") is False
        assert search(f"x{k} nav") is True  # the remembered answer
    assert search.cache_info().currsize <= 3


LIST_PAGE = ("<html><body><article><h1>Bread at home</h1>" + ARTICLE +
             "<ol><li>Mix the flour</li><li>Knead the dough</li><li value='7'>Let it rise</li><li>Bake it</li></ol>"
             "<ol start='3' type='a'><li>Third, lettered</li><li>Fourth, lettered</li></ol>"
             "<ol reversed type='I'><li>Counted down</li><li>To one</li></ol>"
             "<ol><li>1) The page numbered this itself</li><li><p>Share on Facebook</p><p>Kept after the share line</p></li>"
             "<li><pre>one line\n  two lines</pre><p>After the code</p></li></ol>"
             "<ul><li>A bullet<ol><li>Nested, numbered</li></ol>Back in the bullet</li><li>\u2022 Its own bullet</li></ul>"
             "</article></body></html>")


def test_list_items_are_written_after_their_markers():
    cleaner = Cleaner(format="html", classifier=False)
    doc = cleaner.read(LIST_PAGE)
    result = cleaner.clean_document(doc)
    lines = [line for line in result.text.split("\n") if line]
    start = lines.index("1. Mix the flour")
    assert lines[start:start + 8] == [
        "1. Mix the flour", "2. Knead the dough", "7. Let it rise", "8. Bake it",  # value resets the count
        "c. Third, lettered", "d. Fourth, lettered",  # start and type
        "II. Counted down", "I. To one",  # reversed: from the number of items
    ]
    # a number the page wrote is not doubled; an item whose first block goes gives its marker to
    # the next; code is never prefixed, and its item's marker has no other place
    assert "1) The page numbered this itself" in lines
    assert "Share on Facebook" not in result.text and "2. Kept after the share line" in lines
    assert "After the code" in lines and "3. After the code" not in lines
    # a nested list numbers its own items; the outer item's marker goes once, on its first block
    assert lines[-4:] == ["- A bullet", "1. Nested, numbered", "Back in the bullet", "\u2022 Its own bullet"]
    # the blocks' texts (what rules and the classifier judge) carry no marker
    assert "Mix the flour" in [b.text for b in doc.blocks]
    assert replay(doc, result.decisions) == result.text


@pytest.mark.parametrize("kind, numbers, expected", [
    ("i", [1, 4, 9, 14, 40, 90, 400, 1994, 3999, 4000, 0], "i. iv. ix. xiv. xl. xc. cd. mcmxciv. mmmcmxcix. 4000. 0."),
    ("A", [1, 26, 27, 52, 53, 702, 703, 0, -2], "A. Z. AA. AZ. BA. ZZ. AAA. 0. -2."),
    ("1", [-1, 0, 12], "-1. 0. 12."),
])
def test_item_markers_count_as_browsers_do(kind, numbers, expected):
    from cleaner.html import item_marker

    markers = [item_marker([0, 1, kind], str(n)) for n in numbers]
    assert " ".join(markers) == expected


@pytest.mark.parametrize("attrs, values, expected", [
    ("", [None, None, " 5x", None], ["1.", "2.", "5.", "6."]),  # a value's digits count, what follows not
    ("start='-2'", [None, None, None], ["-2.", "-1.", "0."]),
    ("reversed start='10'", [None, "3", None], ["10.", "3.", "2."]),
    ("start='oops' type='z'", [None, "9999999999", None], ["1.", "2.", "3."]),  # unreadable: ignored
])
def test_list_numbering_reads_the_lists_attributes(attrs, values, expected):
    from cleaner.html import _parse, item_marker, list_numbering

    ol = _parse(f"<html><body><ol {attrs}>{'<li>x</li>' * len(values)}</ol></body></html>").find(".//ol")
    numbering = list_numbering(ol)
    assert [item_marker(numbering, v) for v in values] == expected


@pytest.mark.parametrize("markup, expected", [
    # sibling elements the page's style sets apart: a word each side
    ("<div><span>Rewards &amp; Benefits</span><span>Purchasing this earns points</span></div>",
     "Rewards & Benefits Purchasing this earns points"),
    ("<p><span>1h 58m</span><span>R</span> and <a href='/a'>Sign in</a><a href='/b'>Register</a></p>",
     "1h 58m R and Sign in Register"),
    ("<p><span>Nov 7, 2025</span><img src='x.png'><span>Updated</span></p>", "Nov 7, 2025 Updated"),
    ("<p><span>Nov 7, 2025</span><span>11 min read</span><span>Page</span><span>2</span></p>",
     "Nov 7, 2025 11 min read Page 2"),
    # a word that runs into or out of an element is one word; so are two capitals, a capital and
    # a lower-case letter (a drop cap), two lower-case letters, and the lines of code
    ("<p>i<b>P</b>hone and Mc<span>Donald</span>s</p>", "iPhone and McDonalds"),
    ("<p><span>OK</span><span>Excellent</span><span>poor</span><span>er</span></p>", "OKExcellentpoorer"),
    ("<p><span class='dropcap'>T</span><span>he bridge</span></p>", "The bridge"),
])
def test_sibling_elements_with_nothing_between_are_not_one_word(markup, expected):
    from cleaner import html

    page = f"<html><body>{markup}</body></html>"
    assert [b.text for b in parse_html(page).blocks] == [expected]
    # the reference walk (the compiled one is checked against it in test_htmlwalk.py)
    blocks, _ = html._walk_python(html._trees(html._parse(page)), {}, True, None)
    assert [b.text for b in blocks] == [expected]


def test_code_is_never_split_at_a_seam():
    doc = parse_html("<html><body><pre><span>self</span><span>Foo</span>()\nreturn</pre></body></html>")
    assert [b.code for b in doc.blocks] == ["```\nselfFoo()\nreturn\n```"]
