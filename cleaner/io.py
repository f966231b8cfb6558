"""Bytes in, bytes out: decoding scraped input safely and writing files atomically."""
from __future__ import annotations

import codecs
import re
import os
import pathlib
import tempfile


class InputError(Exception):
    """Input that cannot be cleaned (binary, unreadable). The message is one line naming the source."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    """Binary data: NUL bytes in a sample, or many control bytes. (UTF-16/32 are caught by their BOM first.)"""
    sample = data[:8192]
    if not sample:
        return False
    if sample.count(b"\x00") > max(1, len(sample) // 100):
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) // 10


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


# UTF-8 read as cp1252 leaves these pairs ("Ã©" for "é", "â€™" for "’"); read as Latin-1, a
# character of three bytes keeps a C1 control character ("â\x80\x99" for "’", "â\x86\x90" for "←"),
# which no text means to hold.
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]|â€[\u0080-\u00bf™œ\u009d\u2018-\u201d¢¦]"
                       "|[\u00e0-\u00ef](?:[\u0080-\u009f][\u0080-\u00bf]|[\u00a0-\u00bf][\u0080-\u009f])")
# What lets a text be looked at for Latin-1 mojibake: the lead of the commonest characters of three
# bytes (punctuation, arrows, symbols: U+2000 to U+27FF) followed by a C1 control. A search with a
# literal first character runs at about 3 GB/s; a search for any C1 control took ten times as long.
_LATIN1_MOJIBAKE = re.compile("â[\u0080-\u009f]")


def fix_mojibake(text: str) -> str:
    """Repair text that was decoded with the wrong charset somewhere upstream, with ftfy.

    Part of reading input (files, stdin, JSONL fields), not of cleaning: only ftfy's encoding fix
    runs, and only on text that carries the telltale sequences, so clean text is never touched.
    On a page of markup its scripts, styles and comments are left as they are.
    """
    # a prefilter: an ASCII text is known as such at once, the substring tests run at memory
    # speed, and the pattern (which alone took 2 ms on a 400 KB page) runs only after them
    if text.isascii() or not ("Ã" in text or "Â" in text or "â€" in text or _LATIN1_MOJIBAKE.search(text)):
        return text
    if not _MOJIBAKE.search(text):
        return text
    import ftfy

    from .html import NEVER_TEXT, looks_like_html

    if "\0" not in text and looks_like_html(text):
        # A page's scripts and styles (and its comments) never become text, and they can be most
        # of its bytes (a 5 MB page of JSON state): ftfy decides and repairs on the rest alone, so
        # the page's text still gets one decision for all of it (the scripts no longer weigh in),
        # and the check that ends the repair (ftfy scans what it repaired for anything left to
        # fix: a second on that page, most of a pass's decoding time) reads only it. What never
        # becomes text is set aside at NUL characters, which neither the text (tested) nor a
        # repair holds; were the pieces to come back another number, the whole page is repaired
        # as before.
        pieces, kept, at = [], [], 0
        for m in NEVER_TEXT.finditer(text):
            pieces.append(text[at:m.start()])
            kept.append(m.group())
            at = m.end()
        if kept:
            pieces.append(text[at:])
            fixed = ftfy.fix_encoding("\0".join(pieces)).split("\0")
            if len(fixed) == len(pieces):
                return "".join(piece + markup for piece, markup in zip(fixed, kept + [""]))
    return ftfy.fix_encoding(text)


def decode(data: bytes, source: str = "<stdin>", declared: str | None = None) -> str:
    """Decode bytes of text: a BOM wins, then UTF-8, then a declared charset, then detection.

    UTF-8 goes first even for a page that declares another charset: bytes that decode as UTF-8
    almost never are anything else, and pages that lie about their charset are common.

    Never raises for text in a wrong or unknown encoding (the worst case is a replacement character);
    raises InputError for binary data, which must not be "cleaned" into garbage text.
    """
    return fix_mojibake(_decode(data, source, declared))


def _decode(data: bytes, source: str, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if looks_binary(data):
        raise InputError(f"{source}: binary data, not text; skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared or declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best)
    except ImportError:  # pragma: no cover - charset-normalizer is a declared dependency
        pass
    return data.decode("cp1252", errors="replace")


def read_source(path: str) -> bytes:
    """Bytes of a file, or of stdin for "-"."""
    import sys

    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return pathlib.Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None


def atomic_write(path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is either the old one or the whole new one.

    The data goes to a temporary file in the same folder, is flushed to disk, takes the old file's
    permissions, and replaces the target by a rename; on any failure the temporary file goes.
    """
    path = pathlib.Path(path)
    folder = path.parent if str(path.parent) else pathlib.Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # named after the target, not the temporary file beside it
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
