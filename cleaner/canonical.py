"""Canonical text: the one normal form every output of cleaner is written in.

NFC; every Unicode space separator (category Zs) and the tab become a plain space; zero-width
characters, soft hyphens, byte-order marks, lone surrogates and control characters go; line
endings are unified; each line is stripped and its inner runs of spaces collapse; blocks are
separated by exactly one blank line and the text ends with one newline (an empty text stays empty).

The functions are pure and idempotent: ``canonical(canonical(x)) == canonical(x)``.
"""
from __future__ import annotations

import re
import unicodedata

# Built from the Unicode database of the running Python so a newer Unicode version is honoured.
_SPACES = "\t" + "".join(
    chr(c) for c in range(0x80, 0x3001) if unicodedata.category(chr(c)) == "Zs"
)
# Line separators a scraper may leave: vertical tab, form feed, NEL, LINE/PARAGRAPH SEPARATOR.
_NEWLINES = "\x0b\x0c\x85\u2028\u2029"
# Zero-width characters, soft hyphen, word joiner, BOM, Mongolian vowel separator.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"

_SPACE_RE = re.compile("[" + re.escape(_SPACES) + "]")
_NEWLINE_RE = re.compile("\r\n?|[" + _NEWLINES + "]")
# C0 and C1 controls except \t and \n (handled above), the invisible set, and lone surrogates,
# which cannot be written as UTF-8 and only appear after a lossy decode.
_DROP_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f" + re.escape(_INVISIBLE) + "\ud800-\udfff]"
)
_RUNS = re.compile(" {2,}")


def normalize_chars(text: str) -> str:
    """Unicode-level normalisation, without touching the line structure beyond line endings."""
    # Every character the patterns below remove or replace is a control, a format character, a
    # surrogate or a separator other than the space: none is printable in str.isprintable's sense
    # (Unicode's "Other" and "Separator" categories). A printable text, as most HTML blocks are,
    # can only need NFC, and one C call says so. So can a text dump whose only unprintable
    # character is the line break, which none of the patterns touches.
    if text.isprintable() or ("\n" in text and text.replace("\n", "").isprintable()):
        return text if text.isascii() or unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    return _normalize_unprintable(text)


def _normalize_unprintable(text: str) -> str:
    """normalize_chars for any text: its reference, and its path for text with unprintable characters."""
    if not text.isascii():
        text = _DROP_RE.sub("", text)
        text = _SPACE_RE.sub(" ", text)
        text = _NEWLINE_RE.sub("\n", text)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    else:
        if "\r" in text:
            text = _NEWLINE_RE.sub("\n", text)
        text = _DROP_RE.sub("", text)
        if "\t" in text or "\x0b" in text or "\x0c" in text:
            text = text.replace("\t", " ").replace("\x0b", "\n").replace("\x0c", "\n")
    return text


def canonical_line(line: str) -> str:
    """Strip a line and collapse its inner runs of spaces (the line is already normalised)."""
    line = line.strip(" ")
    if "  " in line:
        line = _RUNS.sub(" ", line)
    return line


def split_lines(text: str) -> list[tuple[int, str]]:
    """Normalise ``text`` and return its non-empty canonical lines with 1-based line numbers."""
    out = []
    for number, line in enumerate(normalize_chars(text).split("\n"), 1):
        line = canonical_line(line)
        if line:
            out.append((number, line))
    return out


def join_blocks(blocks) -> str:
    """Write blocks (already canonical strings) as canonical text."""
    return "\n\n".join(blocks) + "\n" if blocks else ""


def canonical(text: str) -> str:
    """Canonical text of ``text`` with no block removed: every non-empty line becomes a block."""
    return join_blocks([line for _, line in split_lines(text)])
