"""Properties over arbitrary input: no exception escapes, and what comes out is well formed.

The CI profile (HYPOTHESIS_PROFILE=ci, set by .ci/run) runs more examples. fuzz/ holds a
coverage-guided harness for longer runs; what it finds becomes a case here.
"""
import json

from hypothesis import given
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.canonical import canonical
from cleaner.corpus import clean_record
from cleaner.html import parse_html

CLEANER = Cleaner()
TAGS = ["p", "div", "a", "b", "script", "style", "nav", "footer", "ul", "li", "h1", "br", "table", "td",
        "noscript", "template", "article", "span", "!--", "![CDATA[", "!DOCTYPE html"]
HTMLISH = st.lists(st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(['<p class="share">', '<div hidden>', '<a href="x">', "&amp;", "&#0;", "&#xD800;", "&bogus;",
                     '<div style="display:none">', "<", ">", "\x00", '"', "'"]),
    st.text(max_size=30),
), max_size=40).map("".join)


@given(st.text())
def test_any_text(text):
    out = CLEANER.clean(text, format="text").text
    assert out == canonical(out)
    out.encode("utf-8")


@given(HTMLISH)
def test_any_htmlish_string(html):
    doc = parse_html(html)
    for block in doc.blocks:
        assert block.text and "\n" not in block.text
        assert 0.0 <= block.link_density <= 1.0
    out = CLEANER.clean(html, format="html").text
    assert out == canonical(out)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


@given(st.one_of(
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(["text", "url", "id"]), JSON_VALUES, max_size=3).map(lambda d: json.dumps(d).encode()),
    st.binary(max_size=80),
))
def test_any_jsonl_record(raw):
    outcome = clean_record(CLEANER, raw, "fuzz:1", "text", None)
    assert outcome.line.endswith(b"\n")
    if outcome.error is None:
        record = json.loads(outcome.line)
        text = record["text"]
        assert isinstance(text, str) and canonical(text) == (text + "\n" if text else "")
    else:
        assert outcome.line.rstrip(b"\n") == raw.rstrip(b"\n")  # a bad record passes through unchanged
        assert "\n" not in outcome.error
