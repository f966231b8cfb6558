"""cleaner's per-user cache directory: things every new process would otherwise rebuild.

What is kept (py3langid's decompressed model, langmodel.py; the character-class table of the
compiled features, features.char_table; what loading the rules works out per pattern, rules.py)
is a pure function of installed code and of the patterns, so an entry's name carries a digest of
what it was built from, and a changed package simply gets a new entry.
Where: ``$CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else ``~/.cache/cleaner``; a
non-empty ``CLEANER_NO_CACHE`` turns it off. Entries are written whole or not at all (a temporary
file or directory beside them, renamed into place), checked before use, and never required:
with the directory unwritable or an entry damaged, cleaner computes what it needs as it would
without a cache. Deleting the directory is always safe.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

_DIGEST = 32  # bytes of sha256 after a blob's data
_STALE_SECONDS = 24 * 3600  # a temporary file or directory this old was left by a killed writer


def cache_root() -> Path | None:
    """The directory that holds cache entries, or None when the cache is turned off."""
    return where()[0]


def where() -> tuple[Path | None, str]:
    """The cache directory (None: turned off) and the setting it comes from."""
    if os.environ.get("CLEANER_NO_CACHE"):
        return None, "CLEANER_NO_CACHE"
    if os.environ.get("CLEANER_CACHE_DIR"):
        return Path(os.environ["CLEANER_CACHE_DIR"]), "CLEANER_CACHE_DIR"
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "cleaner", "XDG_CACHE_HOME"
    return Path(os.path.expanduser("~")) / ".cache" / "cleaner", "default"


def key_digest(*parts) -> str:
    """A short name-safe digest of what an entry is built from."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def read_blob(name: str) -> bytes | None:
    """The data of blob ``name``, or None: cache off, no such blob, or its checksum is wrong."""
    root = cache_root()
    if root is None:
        return None
    try:
        raw = (root / name).read_bytes()
    except OSError:
        return None
    if len(raw) < _DIGEST:
        return None
    data, digest = raw[:-_DIGEST], raw[-_DIGEST:]
    return data if hashlib.sha256(data).digest() == digest else None


def write_blob(name: str, data: bytes) -> bool:
    """Stores ``data`` as blob ``name`` (its sha256 after it), atomically; False when it could not
    be written (cache off, read-only or full disk), which only means the next process rebuilds it."""
    root = cache_root()
    if root is None:
        return False
    tmp = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        sweep(root)
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{name}-", dir=root)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.write(hashlib.sha256(data).digest())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, root / name)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def sweep(root: Path) -> None:
    """Removes the temporary files and directories that writers killed mid-way left behind."""
    now = time.time()
    for path in root.glob(".tmp-*"):
        try:
            if now - path.lstat().st_mtime > _STALE_SECONDS:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink()
        except OSError:
            pass


def cached_blob(name: str, build) -> bytes:
    """Blob ``name`` from the cache, or ``build()``'s bytes (then stored for the next process)."""
    data = read_blob(name)
    if data is None:
        data = build()
        write_blob(name, data)
    return data
