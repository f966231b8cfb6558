"""Engine behaviour: kinds, guard, decisions, replay, threads."""
import concurrent.futures

import pytest

from cleaner import Cleaner, Config, clean, replay
from cleaner.document import Document

# The rules alone: these tests pin down the kinds; the classifier has its own tests.
RULES = Cleaner(classifier=False)

PROSE = ("The council voted on Tuesday to keep the old bridge open for another ten years, after engineers "
         "said the repairs made last spring had worked better than expected.")
PROSE2 = ("Residents had asked for the vote since the winter, when a lorry hit the railing and the road was "
          "closed for three weeks while the damage was assessed.")


def test_every_removal_has_a_rule_and_reason():
    result = RULES.clean(f"Advertising by Adpathway\n{PROSE}\nPartager sur Facebook\n")
    assert result.text == PROSE + "\n"
    assert [(d.rule, d.line, d.action) for d in result.decisions] == [
        ("ads.network-credit", 1, "drop"), ("share.buttons", 3, "drop")]
    assert all(d.reason for d in result.decisions)
    assert result.counts() == {"ads.network-credit": 1, "share.buttons": 1}


def test_strip_keeps_the_rest_of_the_block():
    result = RULES.clean(f"date 2025-03 {PROSE}")
    assert result.text == PROSE + "\n"
    [d] = result.decisions
    assert d.action == "strip" and d.text == "date 2025-03 " and d.span == (0, 13)


CODE = "```python\nwhen = parse('date 2025-03 the start')  # (Photo : AFP)\n\tprint(when)\n```"


def test_a_code_block_is_dropped_whole_or_written_as_it_came():
    text = f"{PROSE}\n{CODE}\n{PROSE2}\n{CODE}\n"
    doc = Document.from_text(text)
    result = RULES.clean_document(doc)
    # strip rules that match its words (a date prefix, a photo credit) leave it alone; its copy
    # goes as any repeated block does
    assert result.text == f"{PROSE}\n\n{CODE}\n\n{PROSE2}\n"
    assert [(d.rule, d.line) for d in result.decisions] == [("dedup.exact", 7)]
    assert replay(doc, result.decisions) == result.text
    assert RULES.clean(result.text).text == result.text


def test_a_guarded_document_keeps_its_code_blocks(tmp_path):
    result = greedy(tmp_path).clean(f"{PROSE}\n{CODE}\n{PROSE2}\n")
    assert result.guarded and result.text == f"{PROSE}\n\n{CODE}\n\n{PROSE2}\n"


def test_truncate_cuts_teaser_list_at_the_end():
    doc = f"{PROSE}\n{PROSE2}\nÀ lire aussi\nLe pont de Brooklyn fête ses 140 ans\nPourquoi les ponts rouillent\n"
    result = RULES.clean(doc)
    assert result.text == f"{PROSE}\n\n{PROSE2}\n"
    assert {d.rule for d in result.decisions} == {"read-also.footer-fr"}


def test_truncate_does_not_cut_prose():
    doc = f"{PROSE}\nÀ lire aussi\n{PROSE2}\n"
    assert RULES.clean(doc).text == f"{PROSE}\n\nÀ lire aussi\n\n{PROSE2}\n"


def test_truncate_needs_the_second_half():
    doc = "À lire aussi\nUn titre\nUn autre titre\nEncore un titre\n"
    assert RULES.clean(doc).decisions == ()


def test_near_duplicate_removed_first_kept():
    typo = PROSE.replace("engineers", "enginers")
    result = RULES.clean(f"{PROSE}\n{PROSE2}\n{typo}\n")
    assert result.text == f"{PROSE}\n\n{PROSE2}\n"
    [d] = result.decisions
    assert d.rule == "dedup.near" and d.line == 3 and "line 1" in d.reason


def test_exact_duplicate_ignores_case_and_punctuation():
    shout = PROSE.upper().replace(",", "")
    result = RULES.clean(f"{PROSE}\n{shout}\n")
    assert result.text == PROSE + "\n" and result.decisions[0].rule == "dedup.exact"


def greedy(tmp_path) -> Cleaner:
    """A cleaner whose only rule removes nearly every block: what the guard is for."""
    rules = tmp_path / "greedy.yml"
    rules.write_text("""
family: greedy
description: a misfiring rule
rules:
  - id: greedy.everything
    description: "Removes: every block with a letter e. Why: a test. Keeps: blocks without it."
    kind: drop
    max_words: 100
    patterns: ['e']
    examples: {remove: ["e"], keep: ["x"]}
""", encoding="utf-8")
    return Cleaner(rules_dirs=[str(rules)], select=["greedy"])


def test_guard_keeps_a_gutted_document(tmp_path):
    result = greedy(tmp_path).clean(f"{PROSE}\n{PROSE2}\n")
    assert result.guarded and result.text == f"{PROSE}\n\n{PROSE2}\n"
    assert result.decisions  # still reported
    assert result.counts() == {}  # but not counted as removals


def test_short_documents_are_not_guarded():
    assert clean("Advertising by Adpathway", classifier=False) == ""


def test_replay_reproduces_output():
    text = (f"Language Selection\ndate 2025-03 {PROSE}\nAdvertising by Adpathway\n{PROSE2}\n{PROSE2}\n"
            f"Voitures, Vous aimerez lire aussi …\nUn titre\n")
    cleaner = RULES
    doc = Document.from_text(text)
    result = cleaner.clean_document(doc)
    assert len(result.decisions) >= 5
    assert replay(doc, result.decisions) == result.text


def test_empty_rule_set_only_canonicalises():
    cleaner = Cleaner(Config(builtin_rules=False, classifier=False))
    text = "Advertising by Adpathway\n\n\n  Hello   world \u00a0\n"
    assert cleaner.clean(text).text == "Advertising by Adpathway\n\nHello world\n"


def test_options_select_and_lang():
    text = f"{PROSE}\nAdvertising by Adpathway\nPublicité\n"
    assert clean(text, select=["ads.label-fr"], classifier=False) == f"{PROSE}\n\nAdvertising by Adpathway\n"
    assert clean(text, ignore="ads", classifier=False) == f"{PROSE}\n\nAdvertising by Adpathway\n\nPublicité\n"
    assert clean(text, languages=["de"], classifier=False) == f"{PROSE}\n\nPublicité\n"  # adpathway rule is neutral


def test_cleaner_is_safe_to_share_between_threads():
    cleaner = RULES
    docs = [f"Advertising by Adpathway\n{PROSE} {i}\nPartager sur Facebook\n{PROSE} {i}\n" for i in range(200)]
    expected = [cleaner.clean(d).text for d in docs]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda d: cleaner.clean(d).text, docs)) == expected
    assert all(e == f"{PROSE} {i}\n" for i, e in enumerate(expected))


def test_bytes_are_decoded_as_files_are():
    """Bytes as a scraper fetches them: the page's declared charset is honoured (this page is
    cp1252, not UTF-8), and the result equals cleaning the decoded text."""
    from cleaner import InputError, clean

    page = ('<html><head><meta charset="windows-1252"></head><body><p>Café crème, a long sentence of '
            'the article that stays in the output.</p><p>Advertising by Adpathway</p></body></html>')
    assert clean(page.encode("cp1252"), format="html") == clean(page, format="html")
    assert "Café crème" in clean(page.encode("cp1252"), format="html")
    assert clean(bytearray("Une phrase.\nAdvertising by Adpathway\n".encode())) == "Une phrase.\n"
    with pytest.raises(InputError, match="binary data"):
        clean(b"\x00\x01\x02\x03" * 64)


@pytest.mark.parametrize("wrongly", ["sloppy-windows-1252", "latin-1"])
def test_mojibake_is_repaired_whichever_charset_made_it(wrongly):
    """UTF-8 read as cp1252 ("â€™") or as Latin-1 ("â\x80\x99", whose C1 controls would
    otherwise be dropped as control characters, leaving "Grandmaâs") comes out as written when
    read, as files and bytes are."""
    import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252", cp1252 as browsers read it

    from cleaner.io import fix_mojibake

    # characters of three bytes only: read as Latin-1, none leaves an "Ã" or an "Â"
    text = "Grandma’s groceries — “fresh” eggs and ← arrows, as the shop’s sign says."
    garbled = text.encode("utf-8").decode(wrongly)
    assert garbled != text and fix_mojibake(garbled) == text
    assert clean(garbled.encode("utf-8"), classifier=False) == text + "\n"
    # text that merely holds the letters mojibake is made of stays as it is
    for legit in ("Le château à « la mer » est ouvert.", "naïve été, 30 °C ± 2", "Ãrbok ist ein Fjord."):
        assert fix_mojibake(legit) == legit


def test_mojibake_in_a_page_is_repaired_around_its_scripts_and_styles():
    """On a page of markup the repair reads the text outside script and style bodies (which never
    become text): those come back as they were, the rest is repaired as the whole page used to be,
    and a NUL in the page (where the bodies are set aside) falls back to the whole page."""
    import ftfy
    import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252", cp1252 as browsers read it

    from cleaner.io import fix_mojibake

    text = "<p>Le café est très bon, déjà vu à l’été.</p><p>Grandma’s “fresh” eggs.</p>"
    garbled = text.encode("utf-8").decode("sloppy-windows-1252")
    script = '<script type="application/json">{"name": "CafÃ© Ã  Paris", "n": 1}</script>'
    style = "<STYLE>p::after { content: 'Â»'; }</STYLE >"
    page = f"<!DOCTYPE html><html><head>{script}{style}</head><body>{garbled}</body></html>"
    fixed = fix_mojibake(page)
    assert fixed == f"<!DOCTYPE html><html><head>{script}{style}</head><body>{text}</body></html>"
    # without the bodies, the page is repaired exactly as before
    bare = f"<!DOCTYPE html><html><head><script></script></head><body>{garbled}</body></html>"
    assert fix_mojibake(bare) == ftfy.fix_encoding(bare)
    with_nul = page.replace("<body>", "<body>\0")
    assert fix_mojibake(with_nul) == ftfy.fix_encoding(with_nul)
    # a text that is not markup is repaired whole, "<script>" in it or not
    prose = f"A note on <script> tags: {garbled}"
    assert fix_mojibake(prose) == ftfy.fix_encoding(prose)
    assert "très" in clean(page.encode("utf-8"), format="html", classifier=False)

@pytest.mark.parametrize("value", [None, 12, ["a list"]])
def test_other_types_are_a_clear_type_error(value):
    from cleaner import clean

    with pytest.raises(TypeError, match=f"str\\) or bytes, not {type(value).__name__}"):
        clean(value)


def test_an_unknown_format_is_refused():
    from cleaner import Cleaner, clean

    with pytest.raises(ValueError, match="format must be one of auto, text, html, got 'pdf'"):
        clean("Hello.", format="pdf")
    with pytest.raises(ValueError, match="got 'htm'"):
        Cleaner().clean("Hello.", format="htm")
