"""Corpus paths: compressed JSONL in and out, folders, pieces of huge text files, order with jobs."""
import bz2
import gzip
import json
import lzma
import subprocess
import sys

import pytest

from cleaner import Config, cli, corpus

TEXT = "A sentence of the article that stays in the output.\nAdvertising by Adpathway"
ROWS = [{"id": i, "text": f"{TEXT} {i}", "url": f"https://example.org/{i}"} for i in range(50)]


def run(*args, cwd):
    proc = subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, cwd=cwd)
    assert b"Traceback" not in proc.stderr
    return proc


OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, "": open}


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zst", ""])
def test_compressed_jsonl_in_and_out(tmp_path, suffix):
    if suffix == ".zst":
        zstandard = pytest.importorskip("zstandard")
        write = lambda p, data: p.write_bytes(zstandard.ZstdCompressor().compress(data))  # noqa: E731
        read = lambda p: zstandard.ZstdDecompressor().stream_reader(open(p, "rb")).read()  # noqa: E731
    else:
        write = lambda p, data: OPENERS[suffix](p, "wb").write(data)  # noqa: E731
        read = lambda p: OPENERS[suffix](p, "rb").read()  # noqa: E731
    src, dst = tmp_path / f"in.jsonl{suffix}", tmp_path / f"out.jsonl{suffix}"
    write(src, "".join(json.dumps(r) + "\n" for r in ROWS).encode())
    proc = run("clean", src.name, "-o", dst.name, "-j", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = [json.loads(x) for x in read(dst).decode().splitlines()]
    assert [r["id"] for r in got] == list(range(50))  # input order
    assert all("Adpathway" not in r["text"] and r["url"] == ROWS[r["id"]]["url"] for r in got)


def test_field_and_html_field(tmp_path):
    rows = [{"body": TEXT, "html": "<p>Kept paragraph of the page.</p><nav><a href='/'>Home</a></nav>"}]
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    out = run("clean", "in.jsonl", "--field", "body", "-j", "1", cwd=tmp_path).stdout.decode()
    assert "Adpathway" not in json.loads(out)["body"]
    out = run("clean", "in.jsonl", "--html-field", "html", "--field", "text", "-j", "1", cwd=tmp_path).stdout.decode()
    record = json.loads(out)
    assert record["text"] == "Kept paragraph of the page." and record["html"] == rows[0]["html"]


def test_folder_into_folder(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "in" / "sub" / "b.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "in" / "c.jsonl").write_text(json.dumps({"text": TEXT}) + "\n", encoding="utf-8")
    (tmp_path / "in" / "skip.bin").write_bytes(b"\x00\x01")
    proc = run("clean", "in", "-o", "out", "--stats", "stats.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a.txt").read_text() == (tmp_path / "out" / "sub" / "b.md").read_text()
    assert "Adpathway" not in (tmp_path / "out" / "c.jsonl").read_text()
    assert not (tmp_path / "out" / "skip.bin").exists()
    assert json.loads((tmp_path / "stats.json").read_text())["documents"] == 3


def test_folder_needs_an_output_folder(tmp_path):
    (tmp_path / "in").mkdir()
    proc = run("clean", "in", cwd=tmp_path)
    assert proc.returncode == 2 and b"a folder is cleaned into a folder" in proc.stderr


def test_huge_text_is_cleaned_in_pieces_cut_at_line_ends(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "PIECE_BYTES", 100)
    path = tmp_path / "big.txt"
    lines = [f"Line number {i} of a long document, with words." for i in range(40)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pieces = list(cli._pieces(str(path)))
    assert len(pieces) > 10
    assert "".join(pieces).splitlines() == lines  # nothing cut inside a line, nothing lost


def test_stats_file(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in ROWS[:5]), encoding="utf-8")
    stats = corpus.clean_jsonl([str(src)], str(tmp_path / "o.jsonl"), Config(classifier=False), jobs=1)
    data = stats.as_dict()
    assert data["documents"] == 5 and data["blocks_removed"] == {"ads.network-credit": 5}
    assert data["words_removed"] == {"ads.network-credit": 20}  # "Advertising by Adpathway 3": 4 words and data["bytes_out"] < data["bytes_in"]


def test_mojibake_in_a_jsonl_field_is_repaired_when_read(tmp_path):
    from cleaner.corpus import clean_record
    from cleaner.engine import Cleaner

    raw = json.dumps({"text": "Le cafÃ© crÃ¨me est servi dÃ¨s sept heures, dit le patron."}).encode()
    outcome = clean_record(Cleaner(classifier=False), raw, "x:1", "text", None)
    assert json.loads(outcome.line)["text"] == "Le café crème est servi dès sept heures, dit le patron."


def test_folder_stats_keep_jsonl_errors(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "c.jsonl").write_text(json.dumps({"text": TEXT}) + "\n[1]\n", encoding="utf-8")
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    assert run("clean", "in", "-o", "out", "--stats", "stats.json", cwd=tmp_path).returncode == 0
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["documents"] == 3 and stats["errors"] == 1
    assert stats["error_kinds"] == {"not a JSON object but an array": 1}


def corpus_file(tmp_path, rows=ROWS):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return src


def never_built(*args, **kwargs):
    raise AssertionError("a second Cleaner was built although one was given")


def test_a_given_cleaner_is_the_one_used_with_one_job(tmp_path, monkeypatch):
    src = corpus_file(tmp_path)
    corpus.clean_jsonl([str(src)], str(tmp_path / "built.jsonl"), Config(), jobs=1)
    given = corpus.Cleaner(Config())
    monkeypatch.setattr(corpus, "Cleaner", never_built)
    corpus.clean_jsonl([str(src)], str(tmp_path / "given.jsonl"), Config(), jobs=1, cleaner=given)
    assert (tmp_path / "given.jsonl").read_bytes() == (tmp_path / "built.jsonl").read_bytes()
    with pytest.raises(ValueError):  # a cleaner for another configuration is refused
        corpus.clean_jsonl([str(src)], str(tmp_path / "x.jsonl"), Config(classifier=False), cleaner=given)
    assert not (tmp_path / "x.jsonl").exists()


def test_forked_workers_use_the_parents_cleaner(tmp_path, monkeypatch):
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers are not forked here: each builds its own Cleaner")
    src = corpus_file(tmp_path, ROWS * 4)
    corpus.clean_jsonl([str(src)], str(tmp_path / "one.jsonl"), Config(), jobs=1)
    given = corpus.Cleaner(Config())
    # a worker that tried to build its own would fail, and its records be reported as lost
    monkeypatch.setattr(corpus, "Cleaner", never_built)
    reports = []
    stats = corpus.clean_jsonl([str(src)], str(tmp_path / "two.jsonl"), Config(), jobs=2,
                               cleaner=given, report=reports.append)
    assert reports == [] and stats.as_dict()["documents"] == len(ROWS) * 4
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert corpus._PARENT == {}  # the parent lets go of it after the run
