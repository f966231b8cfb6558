import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.canonical import _normalize_unprintable, canonical, code_text, fenced, normalize_chars, split_blocks, split_lines

CASES = [
    # (input, expected canonical text, what it shows)
    ("", "", "empty stays empty"),
    ("  \n\t\n\u00a0 \n", "", "whitespace only is empty"),
    ("a", "a\n", "one trailing newline"),
    ("a\n\n\n\nb", "a\n\nb\n", "blocks separated by exactly one blank line"),
    ("a\nb", "a\n\nb\n", "every line is a block"),
    ("  a   b \t c  ", "a b c\n", "lines stripped, runs of spaces collapse, tab is a space"),
    ("a\u00a0b\u2009c\u3000d\u202fe", "a b c d e\n", "Unicode space separators become spaces"),
    ("in\u00adcredible\u200b wo\u200drd\ufeff", "incredible word\n", "soft hyphen, zero-width, BOM go"),
    ("ctrl\x00\x07\x1b\x7f\x9f here", "ctrl here\n", "control characters go"),
    ("e\u0301te\u0301", "\u00e9t\u00e9\n", "NFC"),
    ("a\r\nb\rc\u2028d", "a\n\nb\n\nc\n\nd\n", "line endings unified"),
    ("\ud800lone surrogate", "lone surrogate\n", "lone surrogates go"),
    # code blocks: the lines between fences stay lines
    ("Run it:\n```\nfor x in xs:\n    print(x)\n```\nDone.", "Run it:\n\n```\nfor x in xs:\n    print(x)\n```\n\nDone.\n",
     "a fenced code block keeps its lines and indentation, without blank lines between them"),
    ("```python \n\n        if a:\n        \tb()   \n\n\n        c\n\n```", "```python\nif a:\n\tb()\n\n\nc\n```\n",
     "code keeps tabs and inner blank lines, loses trailing spaces, edge blank lines and shared indentation"),
    ("  ~~~~\n  x = 1\n  ~~~\n  y = 2\n  ~~~~~\n", "```\nx = 1\n~~~\ny = 2\n```\n",
     "tildes fence too, closed only by as many or more"),
    ("```\nnot closed\n\nstill text", "not closed\n\nstill text\n", "a fence that closes nothing goes"),
    ("~~~~ bash\necho\n~~~", "bash\n\necho\n", "a shorter line does not close a fence"),
    ("```js`\ncode\n```", "```js`\n\ncode\n", "a backtick fence's info holds no backtick"),
    ("a\n```\n \n```\nb", "a\n\nb\n", "an empty code block goes"),
    ("````\n```\ninner\n```\n````", "````\n```\ninner\n```\n````\n", "fenced code that shows a fence"),
    ("```\nx\u00a0=\u200b1\r\ny\u2028z\n```", "```\nx =1\ny\nz\n```\n", "code is normalised as all text is, but for tabs"),
    ("``\u200b`\ncode\n`\u00ad``", "```\ncode\n```\n", "a fence split by an invisible character is a fence"),
    ("~~~ a`b\ncode\n~~~", "```a b\ncode\n```\n", "a tilde fence's info loses its backticks"),
]


@pytest.mark.parametrize("text,expected,why", CASES, ids=[c[2] for c in CASES])
def test_canonical(text, expected, why):
    assert canonical(text) == expected
    assert canonical(expected) == expected  # idempotent


def test_line_numbers_refer_to_the_source():
    assert split_lines("\n\nfirst\n\n  \nsecond\n") == [(3, "first"), (6, "second")]
    assert split_blocks("\nfirst\n```sh\n$ make\n  $ make install\n```\nlast") == [
        (2, "first", ""), (3, "$ make $ make install", "```sh\n$ make\n  $ make install\n```"), (7, "last", "")]


def test_text_without_a_fence_splits_into_its_lines():
    text = "a\n\n  b  c\n`` not a fence\n~~ nor this"
    assert split_blocks(text) == [(n, line, "") for n, line in split_lines(text)]


@pytest.mark.parametrize("layout", ["x", "```\ny", "a\n  ````\nb", "``` `` `"])
def test_no_line_of_the_code_closes_its_fence(layout):
    ((_, text, code),) = split_blocks(fenced(layout))
    assert code == fenced(layout)
    assert text == code_text(layout)


# Texts made of lines that open and close fences of both kinds and lengths, hold backticks, tabs,
# indentation and trailing spaces: canonical text reads back as itself.
_CODE_LINE = st.sampled_from(["```", "````", "~~~", "~~~~", "```py", "~~~ x ~", "~~~ `a`", " ``` ", "``\u200b`",
                              "\tx = 1", "    y()  ", "", " ", "word", "two words", "`", "\t\t", "```js`",
                              "a\u00a0b", "\r"])


@given(st.lists(_CODE_LINE, max_size=14).map("\n".join))
def test_canonical_is_idempotent_on_text_with_fences(text):
    once = canonical(text)
    assert canonical(once) == once
    blocks = split_blocks(once)
    assert [code or line for _, line, code in blocks] == [code or line for _, line, code in split_blocks(text)]


# characters normalize_chars treats specially, mixed into any text: spaces, line separators,
# controls, invisible ones, combining marks (NFC), surrogates
_SPECIAL = st.sampled_from(list("\t\r\n\x0b\x0c\x85\u2028\u2029\x00\x1b\x7f\x9f\u00a0\u2009\u3000\u202f"
                                "\u00ad\u180e\u200b\u200d\u2060\ufeff\u0301\u0327e\ud800\udfff \u00e9A"))


@given(st.text(st.one_of(st.characters(), _SPECIAL)))
def test_the_printable_shortcut_is_the_general_path(text):
    assert normalize_chars(text) == _normalize_unprintable(text)


# Lines of printable characters (combining marks among them) and spaces: a text dump's usual
# make-up, which takes the shortcut whole; each line ends with a line break, or now and then with
# a character that must send the text the general way (a carriage return, a tab, a no-break
# space, a line separator, a form feed).
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"))
_LINE = st.text(st.one_of(_PRINTABLE, st.sampled_from(" \u0301\u0327e")), max_size=12)
_END = st.sampled_from(["\n", "\n", "\n", "\n", "\r\n", "\r", "\t", "\u00a0", "\u2028", "\x0c"])


@given(st.lists(st.tuples(_LINE, _END), max_size=6))
def test_lines_of_printable_text_take_the_shortcut_to_the_same_result(lines):
    text = "".join(line + end for line, end in lines)
    assert normalize_chars(text) == _normalize_unprintable(text)
