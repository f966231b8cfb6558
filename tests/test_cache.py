"""cleaner's cache (cleaner/cache.py): py3langid's decompressed model (cleaner/langmodel.py) and
the character table of the compiled features (the pattern analyses are tested with the rule
loading). It saves time and changes nothing else: an identifier read from it scores every text as
py3langid's own does, to the bit; a damaged entry is never used; a failing or racing writer
leaves a whole entry or none; `cleaner config` shows where it is."""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid import langid

from cleaner import cache as cache_module
from cleaner import features, langmodel

SEEDS = pathlib.Path(__file__).parent / "fixtures" / "seeds"
TEXTS = ["Le chat dort sur le canapé depuis ce matin.", "The cat has been asleep all morning.",
         "Die Katze schläft seit heute Morgen.", "Кошка спит с самого утра.", "猫は朝から寝ている。",
         "", "1234 !!!", "ÉTÉ CHAUD À PARIS"]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(root))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    return root


def samples():
    out = list(TEXTS)
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += [text[:3000], text[-1500:]]
    return out


def same_scores(identifier, reference) -> None:
    for text in samples():
        ours = identifier._raw_score(identifier._encode(text))
        theirs = reference._raw_score(reference._encode(text))
        assert ours.tobytes() == theirs.tobytes(), text[:60]
        assert identifier.classify(text) == reference.classify(text)


def entries(root: pathlib.Path) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_an_identifier_read_from_the_cache_is_py3langids(cache, monkeypatch):
    reference = langid._get_identifier()  # py3langid's own, from its compressed file
    first = langmodel.load_identifier()
    (name,) = entries(cache)  # one entry, no temporary directory left
    assert name.startswith("py3langid-") and (cache / name / "manifest.json").exists()

    def no_decompression(path):
        raise AssertionError("the model file was decompressed although the cache holds it")

    monkeypatch.setattr(langid, "_load_model_file", no_decompression)
    second = langmodel.load_identifier()
    assert second is not reference and second.nb_classes == reference.nb_classes
    same_scores(first, reference)
    same_scores(second, reference)


def damage_ptc(entry):
    path = entry / "ptc.npy"
    data = bytearray(path.read_bytes())
    half = len(data) // 2
    data[half:] = bytes(len(data) - half)  # the second half of the table's numbers zeroed
    path.write_bytes(bytes(data))


def truncate_nextmove(entry):
    path = entry / "nextmove.npy"
    path.write_bytes(path.read_bytes()[:1000])


def drop_manifest(entry):
    (entry / "manifest.json").unlink()


def alter_shapes(entry):
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest["shapes"]["out_feat"] = [1]
    (entry / "manifest.json").write_text(json.dumps(manifest))


def alter_probe(entry):
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest["probe"] = "00" + manifest["probe"][2:]
    (entry / "manifest.json").write_text(json.dumps(manifest))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A cache with one entry, written once for the tests that damage copies of it."""
    root = tmp_path_factory.mktemp("pristine")
    name, parts, identifier = parts_and_identifier()
    langmodel._write(root, name, parts, identifier)
    return root


@pytest.mark.parametrize("damage", [damage_ptc, truncate_nextmove, drop_manifest, alter_shapes, alter_probe])
def test_a_damaged_entry_is_not_used_and_is_replaced(cache, pristine, damage):
    shutil.copytree(pristine, cache)
    (name,) = entries(cache)
    assert langmodel._read(cache / name, langid.LanguageIdentifier) is not None
    damage(cache / name)
    assert langmodel._read(cache / name, langid.LanguageIdentifier) is None
    again = langmodel.load_identifier()  # from py3langid's file, and a sound entry written
    same_scores(again, langid._get_identifier())
    assert entries(cache) == [name]
    assert langmodel._read(cache / name, langid.LanguageIdentifier) is not None


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    assert cache_module.cache_root() is None
    assert langmodel.load_identifier() is langid._get_identifier()
    assert not cache.exists()


def test_where_the_cache_lives(monkeypatch, tmp_path):
    for name in ("CLEANER_CACHE_DIR", "CLEANER_NO_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_module.cache_root() == tmp_path / "home" / ".cache" / "cleaner"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_module.cache_root() == tmp_path / "xdg" / "cleaner"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_module.cache_root() == tmp_path / "mine"


def test_an_unwritable_cache_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    same_scores(langmodel.load_identifier(), langid._get_identifier())
    assert blocker.read_text() == "not a directory"


def parts_and_identifier():
    path = pathlib.Path(langid.MODEL_DIR) / langid.MODEL_FILE
    parts = langid._load_model_file(path)
    return langmodel.entry_name(path), parts, langmodel._build(langid.LanguageIdentifier, *parts)


def test_a_writer_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch):
    name, parts, identifier = parts_and_identifier()
    saved = []
    real_save = np.save

    def failing_save(f, values, **kwargs):
        if len(saved) == 2:
            raise OSError(28, "No space left on device")
        saved.append(1)
        real_save(f, values, **kwargs)

    monkeypatch.setattr(np, "save", failing_save)
    with pytest.raises(OSError):
        langmodel._write(tmp_path, name, parts, identifier)
    assert len(saved) == 2 and entries(tmp_path) == []


def test_two_writers_of_one_entry_leave_one_whole_entry(tmp_path):
    name, parts, identifier = parts_and_identifier()
    langmodel._write(tmp_path, name, parts, identifier)
    written = (tmp_path / name / "manifest.json").stat().st_mtime_ns
    langmodel._write(tmp_path, name, parts, identifier)  # the second finds the first's in place
    assert entries(tmp_path) == [name]
    assert (tmp_path / name / "manifest.json").stat().st_mtime_ns == written
    same_scores(langmodel._read(tmp_path / name, langid.LanguageIdentifier), langid._get_identifier())


def test_temporary_files_of_killed_writers_are_swept(tmp_path, monkeypatch):
    old, fresh = tmp_path / ".tmp-old-1", tmp_path / ".tmp-fresh-2"
    for path in (old, fresh):
        path.mkdir()
        (path / "ptc.npy").write_bytes(b"partial")
    old_blob = tmp_path / ".tmp-chartable-x.bin-3"
    old_blob.write_bytes(b"partial")
    day_and_more = time.time() - 2 * 24 * 3600
    for path in (old, old_blob):
        os.utime(path, (day_and_more, day_and_more))
    name, parts, identifier = parts_and_identifier()
    langmodel._write(tmp_path, name, parts, identifier)
    # the old ones are gone; the fresh one may belong to a writer still at work
    assert entries(tmp_path) == sorted([".tmp-fresh-2", name])
    os.utime(fresh, (day_and_more, day_and_more))
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    assert cache_module.write_blob("b.bin", b"data")  # blob writers sweep too
    assert entries(tmp_path) == sorted(["b.bin", name])


def test_the_command_line_fills_the_cache_and_reads_it(tmp_path):
    env = dict(os.environ, CLEANER_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("CLEANER_NO_CACHE", None)
    page = next(iter(sorted(SEEDS.glob("*.txt")))).read_text(encoding="utf-8")
    runs = [subprocess.run([sys.executable, "-m", "cleaner", "clean"], input=page, env=env,
                           capture_output=True, text=True, check=True) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.strip()
    names = entries(tmp_path / "cache")  # the model, the character table, the patterns: nothing else
    assert [n.split("-")[0] for n in names] == ["chartable", "patterns", "py3langid"]
    off = subprocess.run([sys.executable, "-m", "cleaner", "clean"], input=page,
                         env=dict(env, CLEANER_NO_CACHE="1"), capture_output=True, text=True, check=True)
    assert off.stdout == runs[0].stdout


EDGES = [0x0000, 0x0001, 0x7BFF, 0x7C00, 0x7C01, 0x7FFF, 0x8000, 0x8001, 0x83FF, 0xBC00, 0xFBFF,
         0xFC00, 0xFC01, 0xFFFF]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(EDGES), st.integers(0, 0xFFFF)), min_size=1, max_size=12))
def test_the_bitwise_sign_check_is_numpys(bits):
    # features._finite_negative reads the float16 bits; numpy's own test of the same thing
    table = np.array(bits, dtype=np.uint16).view(np.float16)
    with np.errstate(invalid="ignore"):
        expected = bool(np.isfinite(table).all()) and float(table.max()) < 0
    assert features._finite_negative(table) == expected
    assert features._finite_negative(table.reshape(1, -1)) == expected


def test_py3langids_table_passes_the_sign_check():
    table = langid._get_identifier().nb_ptc
    assert table.dtype == np.float16 and features._finite_negative(table)
    assert not features._finite_negative(np.concatenate([table[:3].ravel(), np.float16([0.0])]))


def test_the_character_table_is_kept_in_the_cache(cache, monkeypatch):
    fresh = features._build_char_table()
    assert features.char_table.__wrapped__() == fresh  # built, and stored
    (name,) = [n for n in entries(cache) if n.startswith("chartable-")]

    def no_rebuild():
        raise AssertionError("rebuilt although the cache holds it")

    monkeypatch.setattr(features, "_build_char_table", no_rebuild)
    assert features.char_table.__wrapped__() == fresh
    # a damaged blob (one flipped byte) is not used: the table is built again and stored again
    data = bytearray((cache / name).read_bytes())
    data[len(data) // 3] ^= 0x40
    (cache / name).write_bytes(bytes(data))
    assert cache_module.read_blob(name) is None
    monkeypatch.undo()
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(cache))
    assert features.char_table.__wrapped__() == fresh
    assert cache_module.read_blob(name) == fresh
    # a sound blob of the wrong size (another writer's mistake) is not used either
    assert cache_module.write_blob(name, fresh[:1000])
    assert features.char_table.__wrapped__() == fresh


def test_blobs_are_written_whole_or_not_at_all(cache, tmp_path, monkeypatch):
    assert cache_module.write_blob("a.bin", b"x" * 100) and cache_module.read_blob("a.bin") == b"x" * 100
    assert cache_module.read_blob("missing.bin") is None
    (cache / "short.bin").write_bytes(b"abc")  # shorter than its checksum
    assert cache_module.read_blob("short.bin") is None

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    assert not cache_module.write_blob("a.bin", b"y" * 100)
    assert cache_module.read_blob("a.bin") == b"x" * 100  # the old blob, whole
    assert entries(cache) == ["a.bin", "short.bin"]  # no temporary file left
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "a-file" / "below"))
    (tmp_path / "a-file").write_text("")
    assert not cache_module.write_blob("a.bin", b"z") and cache_module.read_blob("a.bin") is None
    assert cache_module.cached_blob("a.bin", lambda: b"built") == b"built"


def test_cleaner_config_shows_where_the_cache_is(tmp_path):
    def shown(**env):
        full = {k: v for k, v in os.environ.items()
                if k not in ("CLEANER_CACHE_DIR", "CLEANER_NO_CACHE", "XDG_CACHE_HOME")}
        full.update(HOME=str(tmp_path / "home"), **env)
        proc = subprocess.run([sys.executable, "-m", "cleaner", "config"], env=full, cwd=tmp_path,
                              capture_output=True, text=True, check=True)
        return proc.stdout.splitlines()[-1]

    assert shown() == f"cache = {str(tmp_path / 'home' / '.cache' / 'cleaner')!r}  (default)"
    assert shown(XDG_CACHE_HOME=str(tmp_path / "x")) == f"cache = {str(tmp_path / 'x' / 'cleaner')!r}  (XDG_CACHE_HOME)"
    assert shown(CLEANER_CACHE_DIR="/c") == "cache = '/c'  (CLEANER_CACHE_DIR)"
    assert shown(CLEANER_CACHE_DIR="/c", CLEANER_NO_CACHE="1") == "cache = None  (CLEANER_NO_CACHE)"


def test_processes_filling_an_empty_cache_at_once_leave_one_whole_entry(tmp_path):
    # pre-commit runs a hook in several processes at once: on a fresh machine all of them miss
    env = dict(os.environ, CLEANER_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("CLEANER_NO_CACHE", None)
    page = next(iter(sorted(SEEDS.glob("*.txt")))).read_text(encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "cleaner", "clean"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
             for _ in range(4)]
    outs = [p.communicate(page) for p in procs]
    assert all(p.returncode == 0 for p in procs) and all(err == "" for _, err in outs)
    assert len({out for out, _ in outs}) == 1 and outs[0][0].strip()
    names = entries(tmp_path / "cache")
    assert [n.split("-")[0] for n in names] == ["chartable", "patterns", "py3langid"]  # no temporary leftovers
    (entry,) = [n for n in names if n.startswith("py3langid")]
    same_scores(langmodel._read(tmp_path / "cache" / entry, langid.LanguageIdentifier), langid._get_identifier())
