"""Canonical text: the one normal form every output of cleaner is written in.

NFC; every Unicode space separator (category Zs) and the tab become a plain space; zero-width
characters, soft hyphens, byte-order marks, lone surrogates and control characters go; line
endings are unified; each line is stripped and its inner runs of spaces collapse; blocks are
separated by exactly one blank line and the text ends with one newline (an empty text stays empty).

One kind of block spans lines: a code block, written between fence lines (three or more backticks
or tildes, as Markdown writes them). Its lines keep their indentation and tabs, lose trailing spaces
and the indentation they all share, and follow one another without blank lines; HTML ``<pre>``
elements are read as code blocks, and text input's fenced blocks stay what they are. Rules and the
classifier judge a code block by its words on one line (``Block.text``); only the output keeps its
layout (``Block.code``).

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


# A fence opens a code block: three or more backticks (with an info string holding none, such as a
# language name) or tildes (with any); it is closed by a line of the same character, at least as
# many, and nothing else. A line that opens a fence never closed loses its fence (unfenced).
_FENCE_OPEN = re.compile(r"(`{3,})([^`]*)|(~{3,})(.*)")
_FENCE_RUN = re.compile(r"^[ \t]*(`+)", re.MULTILINE)


def unfenced(line: str) -> str:
    """A canonical line that would open a fence, without its fence: a fence that closes nothing is
    markup, not text (a bare one goes; "```python" keeps "python"). Canonical text holds no other
    line that starts like a fence, so reading it again finds the code blocks it wrote, no more."""
    while line[:1] in ("`", "~") and (opened := _FENCE_OPEN.fullmatch(line)):
        line = canonical_line(opened.group(2) if opened.group(1) else opened.group(4))
    return line


def _normalize_keeping_tabs(text: str) -> str:
    """normalize_chars, but for the tab, which only code keeps."""
    return "\t".join(normalize_chars(part) for part in text.split("\t")) if "\t" in text else normalize_chars(text)


def code_lines(raw: str) -> str:
    """A piece of code's lines with characters normalised as everywhere except that tabs stay,
    and trailing spaces gone; indentation and blank lines are left to code_layout, which reads
    the pieces of one block together."""
    return "\n".join(line.rstrip(" \t") for line in _normalize_keeping_tabs(raw).split("\n"))


def code_layout(raw: str) -> str:
    """The canonical lines of a code block's text: characters normalised as everywhere except that
    tabs stay; trailing spaces go, so do blank lines at either end and the indentation every line
    shares (a template's, not the code's). Idempotent. Empty when the code holds nothing."""
    lines = code_lines(raw).split("\n")
    while lines and not lines[-1]:
        lines.pop()
    first = next((k for k, line in enumerate(lines) if line), len(lines))
    lines = lines[first:]
    if not lines:
        return ""
    indents = [line[:len(line) - len(line.lstrip(" \t"))] for line in lines if line]
    shared = indents[0]
    for indent in indents[1:]:
        while not indent.startswith(shared):
            shared = shared[:-1]
    if shared:
        lines = [line[len(shared):] for line in lines]
    return "\n".join(lines)


def code_text(layout: str) -> str:
    """What rules and the classifier read of a code block: its words on one line."""
    return canonical_line(" ".join(layout.replace("\t", " ").split()))


def fenced(layout: str, info: str = "") -> str:
    """A code block as canonical text writes it: between fences longer than any run of backticks
    that starts one of its lines, so that no line of the code can close it."""
    longest = max((len(m.group(1)) for m in _FENCE_RUN.finditer(layout)), default=0)
    fence = "`" * max(3, longest + 1)
    if "`" in info:  # a tilde fence's info may hold backticks; a backtick fence's may not
        info = canonical_line(info.replace("`", " "))
    return f"{fence}{info}\n{layout}\n{fence}"


def split_blocks(text: str) -> list[tuple[int, str, str]]:
    """Normalise ``text`` and return its blocks as (1-based line, text, code): the non-empty
    canonical lines with ``code`` empty, and each fenced code block as one block whose text is its
    words (``code_text``) and whose ``code`` is the block as written (``fenced``). Text without a
    fence takes split_lines' path (a single character is the test: normalising can join a fence
    that an invisible character split)."""
    if "`" not in text and "~" not in text:
        return [(number, line, "") for number, line in split_lines(text)]
    lines = _normalize_keeping_tabs(text).split("\n")
    # the lines that could close a fence (one character repeated), and for each line the longest
    # such line of each character from there on: a fence that nothing closes is known at once, and
    # a search for a closing line ends where the block ends, so reading stays linear in the lines
    bare = [(s[0], len(s)) if len(s) >= 3 and s[0] in "`~" and s == s[0] * len(s) else None
            for s in (line.strip(" \t") for line in lines)]
    ahead = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
    for j in range(len(lines) - 1, -1, -1):
        for char, longest in ahead.items():
            longest[j] = max(longest[j + 1], bare[j][1] if bare[j] and bare[j][0] == char else 0)
    out = []
    k = 0
    while k < len(lines):
        line = canonical_line(lines[k].replace("\t", " "))
        opened = _FENCE_OPEN.fullmatch(line) if line[:1] in ("`", "~") else None
        if opened:
            fence = opened.group(1) or opened.group(3)
            char, size = fence[0], len(fence)
            if ahead[char][k + 1] >= size:
                end = next(j for j in range(k + 1, len(lines)) if bare[j] and bare[j][0] == char and bare[j][1] >= size)
                layout = code_layout("\n".join(lines[k + 1:end]))
                if layout:
                    info = canonical_line(opened.group(2) if opened.group(1) else opened.group(4))
                    out.append((k + 1, code_text(layout), fenced(layout, info)))
                k = end + 1
                continue
        line = unfenced(line)
        if line:
            out.append((k + 1, line, ""))
        k += 1
    return out


def join_blocks(blocks) -> str:
    """Write blocks (already canonical strings) as canonical text."""
    return "\n\n".join(blocks) + "\n" if blocks else ""


def canonical(text: str) -> str:
    """Canonical text of ``text`` with no block removed: every non-empty line becomes a block, and
    every fenced code block one block."""
    return join_blocks([code or line for _, line, code in split_blocks(text)])
