"""Properties that hold for any input (hypothesis)."""
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Cleaner, Config
from cleaner.canonical import canonical, split_blocks
from cleaner.document import Document
from cleaner.engine import replay
from cleaner.rules import load_rules

# Idempotence and the block properties are about text: HTML input comes out as text, and a second
# run reads that text as text.
CLEANER = Cleaner(format="text")
BARE = Cleaner(Config(builtin_rules=False, classifier=False))

# Lines that exercise the rules: their own examples, plus prose-like and random lines.
EXAMPLE_LINES = sorted({line for r in load_rules() for ex in r.remove + r.keep for line in ex.split("\n")})
PROSE = st.sampled_from([
    "The council voted on Tuesday to keep the old bridge open for another ten years.",
    "Les deux entreprises ont démenti la rumeur jeudi soir, selon un communiqué publié à Pékin.",
    "Die Regierung hat am Montag einen neuen Haushalt vorgelegt, der weniger Schulden vorsieht.",
    "La rencontre n'a rien d'anodin : les deux groupes se connaissent bien et travaillent ensemble.",
])
# fences, and lines of code, so that documents hold code blocks (and fences that close nothing)
CODE = st.sampled_from(["```", "```python", "~~~", "````", "    return total  # Advertising by Adpathway",
                        "\tfor x in xs:", "", "Source : Numerama"])
LINE = st.one_of(st.sampled_from(EXAMPLE_LINES), PROSE, CODE, st.text(max_size=80))
DOCUMENT = st.lists(LINE, max_size=25).map("\n".join)


@given(DOCUMENT)
def test_idempotent(text):
    once = CLEANER.clean(text).text
    assert CLEANER.clean(once).text == once


def _is_subsequence(small, big):
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


@given(DOCUMENT)
def test_output_blocks_are_a_subsequence_of_input_blocks(text):
    doc = Document.from_text(text)
    result = CLEANER.clean_document(doc)
    stripped = {d.block for d in result.decisions if d.action == "strip"}
    inputs = iter(enumerate(b.code or b.text for b in doc.blocks))
    for _, text, code in split_blocks(result.text):
        block = code or text
        # an untouched block (a code block always) equals an input block; a stripped one keeps
        # its words in order
        assert any(block == b or (i in stripped and _is_subsequence(block.split(), b.replace("(", " ").split()))
                   for i, b in inputs)


@given(DOCUMENT)
def test_replaying_decisions_reproduces_output(text):
    doc = Document.from_text(text)
    result = CLEANER.clean_document(doc)
    if not result.guarded:
        assert replay(doc, result.decisions) == result.text


@given(st.text())
def test_empty_rule_set_only_canonicalises(text):
    assert BARE.clean(text).text == canonical(text)


@given(st.text())
def test_any_unicode_text_is_handled(text):
    out = CLEANER.clean(text).text
    assert out == "" or out.endswith("\n")
    out.encode("utf-8")  # always writable
