"""Cross-document boilerplate: blocks that repeat across many documents of one site.

No per-document rule can see that "Subscribe to The Gazette's morning briefing" ends every page
of a site; counting can. ``cleaner learn`` counts, per site (the host of a record's ``url``
field, or the whole corpus when there is none), in how many documents each normalised block
appears, and writes the blocks seen in at least ``min_docs`` documents as an ordinary rule file
of kind ``exact``, with the counts as comments, for a person to review before ``--rules`` uses it.

Memory is bounded: counts live in an SQLite table in a temporary file, and one document is held
at a time. False-positive guards: blocks that look like article prose (at least 12 words ending in
sentence punctuation) or are long (over 25 words) must be seen ``prose_factor`` times as often;
blocks with fewer than 3 letters are never learned; at most ``max_blocks`` blocks per site.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import sqlite3
import tempfile
import urllib.parse
from dataclasses import dataclass

from .canonical import split_blocks
from .kinds import fold

CORPUS_SITE = "corpus"
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class LearnOptions:
    #: a block must appear in at least this many documents of its site
    min_docs: int = 5
    #: prose-like or long blocks must appear in this many times min_docs documents
    prose_factor: int = 4
    #: the most blocks one site's rule may hold (the most frequent first)
    max_blocks: int = 500


def site_of(record: dict) -> str:
    url = record.get("url")
    if isinstance(url, str):
        host = urllib.parse.urlsplit(url).hostname
        if host:
            return host.lower().removeprefix("www.")
    return CORPUS_SITE


def document_blocks(text: str, fmt: str = "text") -> list[str]:
    if fmt == "html":
        from .html import parse_html

        return [b.text for b in parse_html(text).blocks]
    # the blocks' texts as the engine reads them (a code block's words on one line), which is
    # what a learned exact rule is matched against
    return [line for _, line, _ in split_blocks(text)]


def document_counts(blocks) -> dict:
    """key -> (words, sample) for the distinct blocks of one document."""
    out = {}
    for text in blocks:
        key = fold(text)
        if sum(c.isalpha() for c in key) < 3:
            continue
        words = len(text.split())
        if key not in out or text < out[key][1]:
            out[key] = (words, text)
    return out


def is_prose(words: int, sample: str) -> bool:
    return words > 25 or (words >= 12 and sample[-1:] in ".!?…\"”»")


class DiskCounter:
    """Document counts per (site, block) in SQLite: memory stays flat on corpora of any size."""

    def __init__(self, path=None):
        if path is None:
            fd, path = tempfile.mkstemp(prefix="cleaner-learn-", suffix=".sqlite")
            os.close(fd)
            self._owned = path
        else:
            self._owned = None
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE IF NOT EXISTS blocks (site TEXT, key TEXT, n INTEGER, words INTEGER, "
                        "sample TEXT, PRIMARY KEY (site, key))")
        self.db.execute("CREATE TABLE IF NOT EXISTS sites (site TEXT PRIMARY KEY, docs INTEGER)")

    def add(self, site: str, counts: dict) -> None:
        self.db.execute("INSERT INTO sites VALUES (?, 1) ON CONFLICT(site) DO UPDATE SET docs = docs + 1", (site,))
        self.db.executemany(
            "INSERT INTO blocks VALUES (?, ?, 1, ?, ?) ON CONFLICT(site, key) DO UPDATE SET n = n + 1, "
            "words = CASE WHEN excluded.sample < sample THEN excluded.words ELSE words END, "
            "sample = min(sample, excluded.sample)",
            [(site, key, words, sample) for key, (words, sample) in counts.items()])

    def rows(self, min_docs: int):
        """(site, key, n, words, sample) of blocks seen in at least min_docs documents."""
        return self.db.execute("SELECT site, key, n, words, sample FROM blocks WHERE n >= ?", (min_docs,))

    def sites(self) -> dict:
        return dict(self.db.execute("SELECT site, docs FROM sites"))

    def close(self) -> None:
        self.db.close()
        if self._owned:
            os.unlink(self._owned)


def select(rows, site_docs: dict, options: LearnOptions) -> dict:
    """site -> [(n, sample), ...] of the blocks to write, most frequent first."""
    chosen: dict = {}
    for site, _key, n, words, sample in rows:
        need = options.min_docs * (options.prose_factor if is_prose(words, sample) else 1)
        if n >= need:
            chosen.setdefault(site, []).append((n, words, sample))
    out = {}
    for site, items in chosen.items():
        items.sort(key=lambda x: (-x[0], x[2]))
        out[site] = items[: options.max_blocks]
    return out


def rule_file(selected: dict, site_docs: dict, options: LearnOptions) -> str:
    """The YAML text of a rule file: one exact rule per site, counts as comments."""
    lines = ["# Written by `cleaner learn`. Review before use: every block listed here will be dropped.",
             f"# A block is listed when seen in at least {options.min_docs} documents of its site "
             f"({options.min_docs * options.prose_factor} for long or prose-like blocks).",
             "family: learned",
             "description: Blocks that repeat across the documents of a site (learned from a corpus).",
             "rules:"]
    keep = "This sentence of an article is not one of the lines this site repeats on every page."
    for site in sorted(selected):
        items = selected[site]
        slug = _SLUG.sub("-", site.lower()).strip("-") or "corpus"
        lines += [f"  - id: learned.{slug}",
                  "    description: |",
                  f"      Removes: blocks that {site} repeats across its documents ({site_docs.get(site, 0)} documents counted).",
                  "      Why: text printed on page after page of one site is its frame, not an article.",
                  "      Keeps: every other block.",
                  "    kind: exact",
                  f"    max_words: {max(w for _, w, _ in items)}",
                  "    blocks:"]
        for n, _w, sample in items:
            lines.append(f"      # seen in {n} of {site_docs.get(site, 0)} documents")
            lines.append(f"      - {json.dumps(sample, ensure_ascii=False)}")
        lines += ["    examples:",
                  f"      remove: [{json.dumps(items[0][2], ensure_ascii=False)}]",
                  f"      keep: [{json.dumps(keep)}]"]
    return "\n".join(lines) + "\n"


def learn_paths(paths, output, field_name="text", html_field=None, options=LearnOptions(), report=None) -> dict:
    """Count the documents of ``paths`` (JSONL, or one text file per document) and write ``output``."""
    from .corpus import READ_ERRORS, AtomicOutput, CorpusError, is_jsonl_path, open_read, read_error

    counter = DiskCounter()
    try:
        for path in paths:
            name = str(path)
            with open_read(path) as stream:
                number = 0
                try:
                    if not is_jsonl_path(name):
                        from .io import decode

                        counter.add(CORPUS_SITE, document_counts(document_blocks(decode(stream.read(), name))))
                        continue
                    for number, raw in enumerate(stream, 1):
                        record = _record(raw)
                        if record is None:
                            if raw.strip() and report:
                                report(f"{name}:{number}: not a JSON object with a string field; skipped")
                            continue
                        text, fmt = _text(record, field_name, html_field)
                        if text is None:
                            continue
                        counter.add(site_of(record), document_counts(document_blocks(text, fmt)))
                except READ_ERRORS as exc:
                    # counts from part of a file would be written as if whole: stop, write nothing
                    raise CorpusError(read_error(name, exc, number + 1)) from None
        site_docs = counter.sites()
        selected = select(counter.rows(options.min_docs), site_docs, options)
    finally:
        counter.close()
    pathlib.Path(output).parent.mkdir(parents=True, exist_ok=True)
    with AtomicOutput(output) as out:
        out.write(rule_file(selected, site_docs, options).encode("utf-8"))
    return {site: len(items) for site, items in selected.items()}


def _record(raw: bytes):
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _text(record: dict, field_name: str, html_field: str | None):
    if html_field and isinstance(record.get(html_field), str):
        return record[html_field], "html"
    value = record.get(field_name)
    return (value, "text") if isinstance(value, str) else (None, None)
