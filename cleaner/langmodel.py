"""py3langid's model, decompressed once and kept in a per-user cache directory.

py3langid ships its model LZMA-compressed (4.5 MB on disk, 68 MB of arrays inside). Decompressing
it takes about half a second, and every process that identifies a language pays it: each
``cleaner clean`` in a pipe, each pre-commit run, each ``--jobs`` worker. So the arrays are written
once, uncompressed, as .npy files, and later processes read them back in a few hundredths of a
second.

The directory is cleaner's cache (cache.py: ``$CLEANER_CACHE_DIR``, ...; ``CLEANER_NO_CACHE``
turns it off, and then py3langid loads its own file, as it always did). An entry is named after
py3langid's version and the digest of its model file, so another model gets another entry;
entries are never changed once written, and deleting the directory is always safe.

An entry is written into a temporary directory beside it and renamed into place in one step, so a
reader sees a whole entry or none, and two processes writing at once leave one. Before an entry is
used, the identifier built from it must give, to the bit, the raw scores its writer recorded for a
probe text (py3langid's own walk and sums over several scripts); on any doubt (a missing or
truncated file, other shapes, other scores, an unreadable directory) py3langid's file is read
instead and nothing is reported: the cache only saves time, it never changes an answer.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from array import array
from pathlib import Path

import numpy as np

from .cache import cache_root, sweep

# The probe whose raw scores vouch for an entry: several scripts, so that many rows of the
# automaton and of the naive-Bayes table take part.
PROBE = ("Ceci est une phrase en français. This is an English sentence, isn't it? Der Hund "
         "schläft. El perro duerme. Ελληνικά κείμενα. Русский текст. 日本語の文章。 العربية 1234")
_ARRAYS = ("ptc", "pc", "nextmove", "nextmove_row", "out_feat")
_FORMAT = 1  # bump when what an entry holds changes


def load_identifier():
    """py3langid's LanguageIdentifier for its shipped model, from the cache when it holds a sound
    entry; else from py3langid's file (and the entry is written for the next process). With the
    cache off, or a py3langid whose layout this does not know, it is py3langid's own identifier."""
    from py3langid import langid

    root = cache_root()
    if root is None:
        return langid._get_identifier()
    try:
        model_path = Path(langid.MODEL_DIR) / langid.MODEL_FILE
        load_file = langid._load_model_file
        build = langid.LanguageIdentifier
        name = entry_name(model_path)
    except (AttributeError, OSError):  # another py3langid layout, or its model file unreadable
        return langid._get_identifier()
    entry = root / name
    identifier = _read(entry, build)
    if identifier is not None:
        return identifier
    damaged = entry.exists()
    try:
        parts = load_file(model_path)
        identifier = _build(build, *parts)
    except Exception:  # noqa: BLE001 - a layout this was not written for: py3langid's own way
        return langid._get_identifier()
    try:
        _write(root, name, parts, identifier, replace=damaged)
    except Exception:  # noqa: BLE001 - e.g. a read-only or full disk: the next process decompresses again
        pass
    return identifier


def _discard(entry: Path) -> None:
    """Moves a damaged entry out of the way (in one step, so a reader never meets half of it)
    and deletes it, so that a sound one can take its name."""
    if not entry.exists():
        return
    aside = Path(tempfile.mkdtemp(prefix=f".tmp-{entry.name}-", dir=entry.parent))
    try:
        os.rename(entry, aside / "damaged")
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def entry_name(model_path: Path) -> str:
    import py3langid

    digest = hashlib.sha256(Path(model_path).read_bytes()).hexdigest()[:20]
    version = getattr(py3langid, "__version__", "unknown")
    return f"py3langid-{version}-{digest}-v{_FORMAT}"


def _build(build, ptc, pc, classes, nextmove, row, output):
    # what py3langid's LanguageIdentifier.from_model_file makes of load_model's six parts
    return build(np.asarray(ptc), np.asarray(pc), classes, nextmove, output, tk_row=row)


def _probe_scores(identifier) -> str:
    return identifier._raw_score(identifier._encode(PROBE)).tobytes().hex()


def _typed(values) -> np.ndarray:
    """A stdlib array('H'/'I'/'L') as the numpy array of the same unsigned integers."""
    return np.frombuffer(values, dtype=np.dtype(f"u{values.itemsize}"))


def _write(root: Path, name: str, parts, identifier, replace: bool = False) -> None:
    """Writes an entry; ``replace``: the one in place was found damaged, it goes."""
    ptc, pc, classes, nextmove, row, output = parts
    root.mkdir(parents=True, exist_ok=True)
    sweep(root)
    if replace:
        _discard(root / name)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=root))
    try:
        arrays = {"ptc": np.asarray(ptc), "pc": np.asarray(pc), "nextmove": _typed(nextmove),
                  "nextmove_row": _typed(row), "out_feat": np.asarray(output, dtype=np.int32)}
        for key, values in arrays.items():
            with open(tmp / f"{key}.npy", "wb") as f:
                np.save(f, values, allow_pickle=False)
                f.flush()
                os.fsync(f.fileno())
        manifest = {
            "format": _FORMAT, "classes": list(classes),
            "typecodes": {"nextmove": nextmove.typecode, "nextmove_row": row.typecode},
            "shapes": {key: list(values.shape) for key, values in arrays.items()},
            "probe": _probe_scores(identifier),
        }
        # the manifest last: an entry without one is never read
        with open(tmp / "manifest.json", "w", encoding="utf-8") as f:
            json.dump(manifest, f)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.rename(tmp, root / name)
        except OSError:
            if not (root / name / "manifest.json").exists():
                raise
            # another process put the same entry in place first: keep theirs
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _read(entry: Path, build):
    """The identifier an entry holds, or None when it is missing or anything about it is off."""
    try:
        with open(entry / "manifest.json", encoding="utf-8") as f:
            manifest = json.load(f)
        if manifest.get("format") != _FORMAT:
            return None
        arrays = {}
        for key in _ARRAYS:
            values = np.load(entry / f"{key}.npy", allow_pickle=False)
            if list(values.shape) != manifest["shapes"][key]:
                return None
            arrays[key] = values
        tables = {}
        for key, code in manifest["typecodes"].items():
            tables[key] = array(code)
            if tables[key].itemsize != arrays[key].dtype.itemsize:
                return None
            tables[key].frombytes(np.ascontiguousarray(arrays[key]).data.cast("B"))
        identifier = _build(build, arrays["ptc"], arrays["pc"], list(manifest["classes"]),
                            tables["nextmove"], tables["nextmove_row"], arrays["out_feat"].tolist())
        if _probe_scores(identifier) != manifest["probe"]:
            return None
        return identifier
    except Exception:  # noqa: BLE001 - a damaged entry (or another py3langid): not used
        return None
