"""Corpora: JSON Lines in and out, compressed or not, cleaned in order on all cores.

Memory stays flat: records are read, cleaned and written as a stream, with a bounded number of
batches in flight. Output files are written to a temporary file beside the target and renamed
into place when complete, so an interrupted run leaves no partial file. A bad record never stops
the run unless asked to (``on_error="fail"``): it is reported with its file and line, passed
through unchanged or written to a rejects file, and counted.
"""
from __future__ import annotations

import bz2
import concurrent.futures
import gzip
import io
import json
import lzma
import multiprocessing
import os
import pathlib
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from .config import Config
from .engine import Cleaner
from .io import fix_mojibake

BATCH = 64  # records per task sent to a worker


class CorpusError(Exception):
    """A record or file that stops the run (on_error="fail"); the message names file and line."""


# -- compressed files ------------------------------------------------------------------------

COMPRESSED = (".gz", ".bz2", ".xz", ".zst")


def is_compressed_path(path: str) -> bool:
    """A name that says its file is compressed (open_read decompresses it)."""
    return path != "-" and str(path).lower().endswith(COMPRESSED)


# What reading a stream from open_read raises when the file breaks off or is not what its name
# says (gzip, bz2 and the zstd reader raise OSError or EOFError; lzma its own error).
READ_ERRORS = (OSError, EOFError, lzma.LZMAError)


def read_error(shown: str, exc, line: int | None = None) -> str:
    """The one-line message for a READ_ERRORS exception while reading ``shown``."""
    where = shown if line is None else f"{shown}:{line}"
    what = "compressed input" if is_compressed_path(shown) else "input"
    return f"{where}: cannot read {what}: {getattr(exc, 'strerror', None) or exc}"


def is_jsonl_path(path: str) -> bool:
    """A .jsonl or .ndjson name, compressed or not."""
    name = str(path).lower()
    for suffix in COMPRESSED:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.endswith((".jsonl", ".ndjson"))


def _zstd():
    try:
        import zstandard
    except ImportError:
        raise CorpusError("reading or writing .zst needs the zstandard package: pip install 'cleaner[zstd]'") from None
    return zstandard


def open_read(path) -> io.BufferedIOBase:
    """A binary stream of ``path`` ("-" is stdin), decompressed according to its extension."""
    if path == "-":
        return sys.stdin.buffer
    path = str(path)
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    if path.endswith(".bz2"):
        return bz2.open(path, "rb")
    if path.endswith(".xz"):
        return lzma.open(path, "rb")
    if path.endswith(".zst"):
        zstandard = _zstd()  # before the file is opened: without the package there is nothing to close
        return io.BufferedReader(_ZstdReader(open(path, "rb"), zstandard))
    return open(path, "rb")


class _ZstdReader(io.RawIOBase):
    """A .zst file decompressed frame after frame, failing as gzip, bz2 and lzma do: a stream
    that stops inside a frame (a truncated download) raises EOFError at its end, and bytes that
    are not zstd raise OSError. zstandard's own stream_reader returns a short read for the first
    and its ZstdError, no OSError, for the second.

    The compressed bytes go in 16 KB at a time, so what one step holds is 16 KB times the
    compression ratio: a few hundred KB for text."""

    CHUNK = 1 << 14

    def __init__(self, raw, zstandard):
        self._raw = raw
        self._zstd = zstandard
        self._frame = None  # the decompressor of the frame being read; None between frames
        self._pending = b""  # compressed bytes read but not yet given to a decompressor
        self._out = b""  # decompressed bytes not yet read, from self._at on
        self._at = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        while self._at >= len(self._out):
            if not self._pending:
                self._pending = self._raw.read(self.CHUNK)
                if not self._pending:
                    if self._frame is not None:
                        raise EOFError("Compressed file ended before the end-of-stream marker was reached")
                    return 0
            if self._frame is None:
                self._frame = self._zstd.ZstdDecompressor().decompressobj()
            data, self._pending = self._pending, b""
            try:
                self._out, self._at = self._frame.decompress(data), 0
            except self._zstd.ZstdError as exc:
                raise OSError(f"not zstd data: {exc}") from None
            if self._frame.eof:  # the frame is whole; what follows it starts the next one
                self._pending = self._frame.unused_data
                self._frame = None
        n = min(len(buffer), len(self._out) - self._at)
        buffer[:n] = memoryview(self._out)[self._at:self._at + n]
        self._at += n
        return n

    def close(self):
        try:
            self._raw.close()
        finally:
            super().close()


class AtomicOutput:
    """A binary output file that appears only when complete (temporary file, fsync, rename).

    Compressed by the target's extension. ``path`` "-" writes to stdout directly.
    """

    def __init__(self, path):
        self.path = path
        self._tmp = None
        if path == "-":
            self._raw = None
            self.stream = sys.stdout.buffer
            return
        target = pathlib.Path(path)
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
        except OSError as exc:  # named after the output, not the temporary file beside it
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        self._raw = os.fdopen(fd, "wb")
        name = str(path)
        if name.endswith(".gz"):
            self.stream = gzip.GzipFile(fileobj=self._raw, mode="wb")
        elif name.endswith(".bz2"):
            self.stream = bz2.BZ2File(self._raw, "wb")
        elif name.endswith(".xz"):
            self.stream = lzma.LZMAFile(self._raw, "wb")
        elif name.endswith(".zst"):
            self.stream = _zstd().ZstdCompressor().stream_writer(self._raw, closefd=False)
        else:
            self.stream = self._raw

    def write(self, data: bytes) -> None:
        self.stream.write(data)

    def commit(self) -> None:
        if self._tmp is None:
            self.stream.flush()
            return
        if self.stream is not self._raw:
            self.stream.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        try:
            os.chmod(self._tmp, pathlib.Path(self.path).stat().st_mode & 0o7777)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._tmp, 0o666 & ~umask)
        os.replace(self._tmp, self.path)
        self._tmp = None

    def abort(self) -> None:
        if self._tmp is None:
            return
        try:
            self._raw.close()
        except OSError:
            pass
        try:
            os.unlink(self._tmp)
        except FileNotFoundError:
            pass
        self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.commit()
        else:
            self.abort()
        return False


# -- statistics --------------------------------------------------------------------------------

@dataclass
class Stats:
    documents: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    errors: int = 0
    guarded: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)  # input files not read to their end, one line each
    blocks_removed: Counter = field(default_factory=Counter)
    words_removed: Counter = field(default_factory=Counter)
    error_kinds: Counter = field(default_factory=Counter)

    def add(self, outcome: "Outcome") -> None:
        self.documents += 1
        self.bytes_in += outcome.bytes_in
        self.bytes_out += outcome.bytes_out
        if outcome.error:
            self.errors += 1
            self.error_kinds[outcome.error.split(":", 1)[0]] += 1
        if outcome.guarded:
            self.guarded.append(outcome.where)
        self.blocks_removed.update(outcome.blocks)
        self.words_removed.update(outcome.words)

    def merge(self, other: "Stats") -> None:
        """Add another run's counts to these (a folder's files, one by one)."""
        self.documents += other.documents
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.errors += other.errors
        self.guarded += other.guarded
        self.unreadable += other.unreadable
        self.blocks_removed.update(other.blocks_removed)
        self.words_removed.update(other.words_removed)
        self.error_kinds.update(other.error_kinds)

    def as_dict(self) -> dict:
        return {
            "documents": self.documents, "bytes_in": self.bytes_in, "bytes_out": self.bytes_out,
            "errors": self.errors, "error_kinds": dict(self.error_kinds),
            "guarded_documents": len(self.guarded), "guarded": self.guarded[:1000],
            "unreadable_inputs": self.unreadable,
            "blocks_removed": dict(self.blocks_removed.most_common()),
            "words_removed": dict(self.words_removed.most_common()),
        }


@dataclass
class Outcome:
    """What cleaning one record produced; small and picklable, sent back from workers."""

    where: str
    line: bytes  # the output line (with its newline)
    bytes_in: int
    bytes_out: int
    error: str | None = None
    reject: bool = False
    guarded: bool = False
    blocks: dict = field(default_factory=dict)
    words: dict = field(default_factory=dict)

    @classmethod
    def of(cls, result, where: str, line: bytes, bytes_in: int, bytes_out: int) -> "Outcome":
        """The outcome of a document cleaned without error."""
        return cls(where, line, bytes_in, bytes_out, guarded=result.guarded,
                   blocks=dict(result.counts()), words=dict(result.words_removed()))


# -- one record ----------------------------------------------------------------------------

def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def clean_field(cleaner: Cleaner, record, field_name: str, html_field: str | None = None, source="<record>"):
    """Clean one field of a record (any mutable mapping) in place; returns the Cleaned result, or
    None when the record holds no text to clean.

    When ``html_field`` holds a string, its HTML is cleaned into ``field_name``; otherwise
    ``field_name``'s text is cleaned. The field then holds canonical text without the final
    newline a file ends with. JSONL, Dask and the Scrapy pipeline all clean fields through here.
    """
    if html_field and isinstance(record.get(html_field), str):
        value, fmt = record[html_field], "html"
    elif isinstance(record.get(field_name), str):
        value, fmt = record[field_name], None
    else:
        return None
    result = cleaner.clean(fix_mojibake(value), source=source, format=fmt)
    record[field_name] = result.text[:-1] if result.text.endswith("\n") else result.text
    return result


def clean_record(cleaner: Cleaner, raw: bytes, where: str, field_name: str, html_field: str | None) -> Outcome:
    """Clean one JSONL line. Never raises: a bad record comes back as an Outcome with an error."""
    try:
        try:
            record = json.loads(raw, object_pairs_hook=_no_duplicates)
        except ValueError as exc:
            message = str(exc).split(":", 1)[0] if "duplicate key" not in str(exc) else str(exc)
            return _bad(raw, where, f"invalid JSON: {message}")
        if not isinstance(record, dict):
            return _bad(raw, where, f"not a JSON object but {_kind(record)}")
        name = html_field if html_field and html_field in record else field_name
        value = record.get(name)
        if value is None:
            return _bad(raw, where, f"missing field {name!r}")
        if not isinstance(value, str):
            return _bad(raw, where, f"field {name!r} is not a string but {_kind(value)}")
        result = clean_field(cleaner, record, field_name, html_field, where)
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
        return Outcome.of(result, where, line, len(raw), len(line))
    except RecursionError:
        return _bad(raw, where, "record nested too deeply")
    except Exception as exc:  # noqa: BLE001 - one bad document must never stop a corpus run
        return _bad(raw, where, f"internal error while cleaning: {type(exc).__name__}: {exc}")


def _kind(value) -> str:
    return {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean",
            dict: "an object"}.get(type(value), "null")


def _bad(raw: bytes, where: str, message: str) -> Outcome:
    line = raw if raw.endswith(b"\n") else raw + b"\n"
    return Outcome(where, line, len(raw), len(line), error=message, reject=True)


# -- workers ---------------------------------------------------------------------------------

_WORKER: dict = {}
# The parent's Cleaner while a pool of forked workers runs: they find it here, already built,
# rather than each building one (a Cleaner is immutable once built).
_PARENT: dict = {}


def _init_worker(config: Config) -> None:
    # Each worker process has one Cleaner for the whole run: the parent's when the worker was
    # forked from it, else (spawned or forkserver workers start afresh) one built here.
    inherited = _PARENT.get("cleaner")
    _WORKER["cleaner"] = inherited if inherited is not None and inherited.config == config else Cleaner(config)


def _work(batch, field_name, html_field):
    cleaner = _WORKER["cleaner"]
    return [clean_record(cleaner, raw, where, field_name, html_field) for where, raw in batch]


def _batches(paths, per_batch=BATCH, unreadable=None):
    """The records of ``paths``, in batches of (where, raw line). A file that cannot be opened,
    or whose compressed stream breaks off (a truncated download), is passed to
    ``unreadable(message)`` and the next file is read: the records before the break are whole
    lines and come out as usual. Without ``unreadable`` it raises CorpusError."""
    def give_up(message):
        if unreadable is None:
            raise CorpusError(message)
        unreadable(message)

    for path in paths:
        shown = "<stdin>" if path == "-" else str(path)
        try:
            stream = open_read(path)
        except OSError as exc:
            give_up(f"{shown}: {exc.strerror or exc}")
            continue
        with stream:
            batch, number = [], 0
            try:
                for number, raw in enumerate(stream, 1):
                    if not raw.strip():
                        continue
                    batch.append((f"{shown}:{number}", raw))
                    if len(batch) >= per_batch:
                        yield batch
                        batch = []
            except READ_ERRORS as exc:
                if batch:
                    yield batch
                give_up(read_error(shown, exc, number + 1))
                continue
            if batch:
                yield batch


def clean_jsonl(paths, output, config: Config, field_name="text", html_field=None, jobs=1,
                on_error="skip", rejects=None, progress=None, report=None, cleaner=None) -> Stats:
    """Clean JSONL ``paths`` into ``output`` (a path or "-"), in input order.

    ``report(message)`` receives one line per bad record; with on_error="fail" the first bad
    record raises CorpusError and no output file is left behind. ``cleaner``, a Cleaner the
    caller already built as ``Cleaner(config)``, is used rather than building another: by this
    process with one job, and by worker processes forked from this one (workers started afresh
    build ``Cleaner(config)``, so a cleaner with a ruleset of its own would not be theirs).
    """
    if cleaner is not None and cleaner.config != config:
        raise ValueError("clean_jsonl: the cleaner given was built for another configuration")
    stats = Stats()
    report = report or (lambda message: None)

    def unreadable(message):
        # an input file that breaks off: the run goes on with the next (its records before the
        # break come out), and the caller learns of it from stats.unreadable
        if on_error == "fail":
            raise CorpusError(message)
        report(message)
        stats.unreadable.append(message)

    with AtomicOutput(output) as out, (AtomicOutput(rejects) if rejects else _Null()) as rej:
        for outcome in _outcomes(paths, config, field_name, html_field, jobs, cleaner, unreadable):
            if outcome.error:
                message = f"{outcome.where}: {outcome.error}"
                if on_error == "fail":
                    raise CorpusError(message)
                report(message)
                if rejects:
                    rej.write(outcome.line)
                    stats.add(outcome)
                    continue
            out.write(outcome.line)
            stats.add(outcome)
            if progress:
                progress(stats)
    return stats


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, data):
        pass


def _outcomes(paths, config, field_name, html_field, jobs, cleaner=None, unreadable=None):
    if jobs <= 1:
        cleaner = Cleaner(config) if cleaner is None else cleaner
        for batch in _batches(paths, unreadable=unreadable):
            for where, raw in batch:
                yield clean_record(cleaner, raw, where, field_name, html_field)
        return
    if cleaner is not None and multiprocessing.get_start_method() == "fork":
        # Forked workers inherit it, and with it what its first document would load (py3langid's
        # model, the character table): loaded once here, those pages are shared by all workers
        # rather than copied into each.
        cleaner.preload()
        _PARENT["cleaner"] = cleaner
    try:
        yield from _parallel(_batches(paths, unreadable=unreadable), config, field_name, html_field, jobs)
    finally:
        _PARENT.clear()


def _parallel(batches, config, field_name, html_field, jobs):
    """Batches cleaned by ``jobs`` worker processes, yielded in input order, bounded in flight.

    A worker that dies (a crash, not an exception: those are caught per record) breaks the pool;
    the batches in flight are then retried one record at a time in a fresh pool, the record that
    kills its worker again is reported and passed through unchanged, and the run goes on.
    """
    pending = []  # futures in submission order
    limit = jobs * 4
    pool = _pool(config, jobs)
    try:
        for batch in batches:
            pending.append((batch, pool.submit(_work, batch, field_name, html_field)))
            while len(pending) >= limit or (pending and pending[0][1].done()):
                batch0, fut = pending.pop(0)
                result, pool = _result(batch0, fut, pool, config, jobs, field_name, html_field, pending)
                yield from result
        while pending:
            batch0, fut = pending.pop(0)
            result, pool = _result(batch0, fut, pool, config, jobs, field_name, html_field, pending)
            yield from result
    finally:
        # Always wait: queued batches are cancelled and the few running ones finish. A pool left
        # running makes Python's exit handler write to closed pipes and print a traceback.
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(config, jobs):
    return concurrent.futures.ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(config,))


def _result(batch, fut, pool, config, jobs, field_name, html_field, pending):
    try:
        return fut.result(), pool
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        pool = _pool(config, jobs)
        out = []
        for where, raw in batch:
            try:
                out.extend(pool.submit(_work, [(where, raw)], field_name, html_field).result())
            except BrokenProcessPool:
                out.append(_bad(raw, where, "a worker process died while cleaning this record"))
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _pool(config, jobs)
        # the batches still in flight were lost with the old pool: send them again
        for k, (b, _) in enumerate(pending):
            pending[k] = (b, pool.submit(_work, b, field_name, html_field))
        return out, pool


class Progress:
    """Documents, MB and rate on stderr, at most a few times a second; only when stderr is a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.start = self.last = time.monotonic()

    def __call__(self, stats: Stats) -> None:
        now = time.monotonic()
        if now - self.last < 0.25:
            return
        self.last = now
        rate = stats.bytes_in / 1e6 / max(now - self.start, 1e-9)
        self.stream.write(f"\rcleaner: {stats.documents:,} documents, {stats.bytes_in / 1e6:,.1f} MB, "
                          f"{rate:,.1f} MB/s, {stats.documents / max(now - self.start, 1e-9):,.0f} docs/s  ")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
