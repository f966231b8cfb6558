"""Dask: cleaning and learning on a LocalCluster of 2 workers, byte-identical to the CLI."""
import subprocess
import sys

import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
import dask.bag as db  # noqa: E402

from cleaner.integrations.dask import clean_bag, clean_dataframe, clean_jsonl_bag, learn_bag  # noqa: E402

from test_learn import corpus  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def cli(*args):
    proc = subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_clean_jsonl_bag_is_byte_identical_to_the_cli(client, tmp_path):
    src = corpus(tmp_path / "c.jsonl", n=60)
    with open(src, "a", encoding="utf-8") as fh:
        fh.write("not json\n")
    cli("clean", str(src), "-o", str(tmp_path / "cli.jsonl"), "-j", "1")
    lines = db.read_text(str(src), blocksize=4000)
    assert lines.npartitions >= 2
    out = "".join(clean_jsonl_bag(lines).compute())
    assert out.encode("utf-8") == (tmp_path / "cli.jsonl").read_bytes()


def test_learn_bag_writes_the_same_file_as_the_cli(client, tmp_path):
    src = corpus(tmp_path / "c.jsonl", n=60)
    cli("learn", str(src), "-o", str(tmp_path / "cli.yml"), "--min-docs", "5")
    text = learn_bag(db.read_text(str(src), blocksize=4000), min_docs=5)
    assert text.encode("utf-8") == (tmp_path / "cli.yml").read_bytes()


def test_clean_bag_of_strings_and_records(client):
    docs = ["A sentence of the article, long enough to stay.\nAdvertising by Adpathway"] * 4
    assert clean_bag(db.from_sequence(docs, npartitions=2), classifier=False).compute() == \
        ["A sentence of the article, long enough to stay.\n"] * 4
    records = [{"id": i, "text": d} for i, d in enumerate(docs)]
    got = clean_bag(db.from_sequence(records, npartitions=2), classifier=False).compute()
    assert [r["text"] for r in got] == ["A sentence of the article, long enough to stay."] * 4


def test_clean_dataframe(client):
    pd = pytest.importorskip("pandas")
    import dask.dataframe as dd

    pdf = pd.DataFrame({"id": [1, 2], "text": ["Kept text of the page.\nPartager sur Facebook", None]})
    out = clean_dataframe(dd.from_pandas(pdf, npartitions=2), classifier=False).compute()
    assert out["text"].tolist() == ["Kept text of the page.\n", None]
    assert out["id"].tolist() == [1, 2]
