"""Speed and memory benchmark: cleaner and its peers on the same documents, in one run.

usage: python bench/speed.py [--bench ../shared/bench] [--mb 100] [--no-write]

The dev pages of ../shared/bench are repeated until the text dumps reach --mb megabytes (the HTML
is repeated the same number of times). Each system runs in a fresh process (so peak memory is its
own) on one core:

  floor            read, split lines, strip, join: the least any cleaner must do
  cleaner-text     cleaner on the text dumps, full default catalogue and classifier
  cleaner-html     cleaner on the raw HTML
  trafilatura      trafilatura.extract() on the raw HTML
  justext          jusText on the raw HTML (English stoplist)

and the corpus path: `cleaner clean --jsonl` on a JSONL file of the text dumps with --jobs 1 and
--jobs 2, for the speed-up, and its peak memory at two input sizes, to show it stays flat (each
of the four CORPUS_ROUNDS times, taking turns; the fastest counts). Ratios are taken within this
run, since the machines are noisy. Results go to bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load(bench, mb):
    texts, htmls = [], []
    for path in sorted((bench / "dev" / "text").glob("*.txt")):
        texts.append(path.read_text(encoding="utf-8"))
        htmls.append(gzip.decompress((bench / "dev" / "html" / f"{path.stem}.html.gz").read_bytes()))
    size = sum(len(t.encode()) for t in texts)
    reps = max(1, round(mb * 1e6 / size))
    return texts, htmls, reps


def worker(system, bench, mb):
    """Run one system in this process; print its numbers as JSON."""
    texts, htmls, reps = load(pathlib.Path(bench), mb)
    if system == "floor":
        def run(doc):
            return "\n".join(line.strip() for line in doc.split("\n") if line.strip())
        docs = texts
    elif system == "cleaner-text":
        from cleaner import Cleaner
        c = Cleaner(format="text")
        run = lambda doc: c.clean(doc).text  # noqa: E731
        docs = texts
    elif system == "cleaner-html":
        from cleaner import Cleaner
        from cleaner.io import decode
        c = Cleaner(format="html")
        run = lambda doc: c.clean(decode(doc)).text  # noqa: E731
        docs = htmls
    elif system == "trafilatura":
        import trafilatura
        run = lambda doc: trafilatura.extract(doc) or ""  # noqa: E731
        docs = htmls
    elif system == "justext":
        import justext
        stop = justext.get_stoplist("English")
        run = lambda doc: "\n".join(p.text for p in justext.justext(doc, stop) if not p.is_boilerplate)  # noqa: E731
        docs = htmls
    else:
        raise SystemExit(f"unknown system {system}")
    # the heavy peers get fewer repetitions; rates are per document and per byte, so they compare
    reps_here = reps if system in ("floor", "cleaner-text") else max(1, reps // 4)
    nbytes = ndocs = 0
    start = time.perf_counter()
    for _ in range(reps_here):
        for doc in docs:
            run(doc)
            ndocs += 1
            nbytes += len(doc) if isinstance(doc, (bytes, bytearray)) else len(doc.encode("utf-8"))
    seconds = time.perf_counter() - start
    text_bytes = sum(len(t.encode()) for t in texts) * reps_here
    print(json.dumps({"system": system, "documents": ndocs, "input_mb": round(nbytes / 1e6, 1),
                      "text_mb": round(text_bytes / 1e6, 1), "seconds": round(seconds, 2),
                      "mb_per_s": round(nbytes / 1e6 / seconds, 2),
                      "docs_per_s": round(ndocs / seconds, 1),
                      "peak_rss_mb": round(peak_kb() / 1024, 1)}))


def peak_kb() -> int:
    """This process's peak resident set, in kB: Linux's VmHWM, which is the process's own, where
    ru_maxrss carries over fork and exec the peak of the process that started it."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_isolated(system, bench, mb):
    out = subprocess.run([sys.executable, __file__, "--worker", system, "--bench", str(bench), "--mb", str(mb)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_corpus(texts, path, mb) -> int:
    """``texts`` as JSON Lines records ({"text": ...}), repeated until ``mb`` megabytes; returns the size."""
    size = 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < mb * 1e6:
            for t in texts:
                line = json.dumps({"text": t}) + "\n"
                fh.write(line)
                size += len(line)
                if size >= mb * 1e6:
                    break
    return size


CORPUS_ROUNDS = 3


def corpus_runs(bench, mb_small, mb_large, rounds=CORPUS_ROUNDS):
    """`cleaner clean --jsonl` with 1 and 2 jobs, and peak memory at two input sizes.

    Each configuration runs ``rounds`` times, the four taking turns in every round, and keeps
    its fastest time (and its largest peak memory): on this shared machine one run of the pair
    read --jobs 2 at 1.60x and 2.41x the speed of --jobs 1 in two runs of the same code, and
    the fastest of a few is the time the code needs, the rest being the neighbours'."""
    texts, _, _ = load(pathlib.Path(bench), 1)
    configs = ((mb_small, 1), (mb_small, 2), (mb_large, 1), (mb_large, 2))
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for mb in (mb_small, mb_large):
            path = pathlib.Path(tmp) / f"corpus-{mb}.jsonl"
            write_corpus(texts, path, mb)
            paths[mb] = path
        runs = {c: [] for c in configs}
        for _ in range(rounds):
            for mb, jobs in configs:
                runs[(mb, jobs)].append(_corpus_run(paths[mb], jobs))
    rows = []
    for c in configs:
        row = dict(min(runs[c], key=lambda r: r["seconds_exact"]))
        row["peak_rss_mb_main"] = max(r["peak_rss_mb_main"] for r in runs[c])
        row["peak_rss_mb_worker"] = max(r["peak_rss_mb_worker"] for r in runs[c])
        del row["seconds_exact"]
        rows.append(row)
    return rows


def _corpus_run(path, jobs):
    """One `cleaner clean --jsonl` run in a fresh process: its time and peak memory."""
    cmd = [sys.executable, "-c",
           "import resource, sys, time; sys.path.insert(0, 'bench'); from speed import peak_kb; "
           "from cleaner.cli import main; t = time.perf_counter(); "
           "rc = main(sys.argv[1:]); own = peak_kb(); "
           "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
           "print(time.perf_counter() - t, own, kids, file=sys.stderr); sys.exit(rc)",
           "clean", "--jsonl", str(path), "-o", os.devnull, "-j", str(jobs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    seconds, own, kids = proc.stderr.strip().splitlines()[-1].split()
    size = path.stat().st_size
    return {"system": f"cleaner clean --jsonl -j {jobs}", "input_mb": round(size / 1e6, 1),
            "seconds": round(float(seconds), 1), "mb_per_s": round(size / 1e6 / float(seconds), 2),
            "peak_rss_mb_main": round(int(own) / 1024, 1),
            "peak_rss_mb_worker": round(int(kids) / 1024, 1), "seconds_exact": float(seconds)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--corpus-mb", default="20,60")
    ap.add_argument("--worker")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--only", default="floor,cleaner-text,cleaner-html,trafilatura,justext")
    ap.add_argument("--reuse", help="take the per-system rows from the JSON lines a previous run printed")
    args = ap.parse_args()
    if not any((pathlib.Path(args.bench) / "dev" / "text").glob("*.txt")):
        ap.error(f"--bench {args.bench}: no text dumps under dev/text (the benchmark's folder)")
    if args.worker:
        worker(args.worker, args.bench, args.mb)
        return
    rows = []
    if args.reuse:
        rows = [r for r in map(json.loads, pathlib.Path(args.reuse).read_text().splitlines()[:len(args.only.split(","))])
                if r["system"] in args.only.split(",")]
    for system in ([] if args.reuse else args.only.split(",")):
        row = run_isolated(system, args.bench, args.mb)
        rows.append(row)
        print(json.dumps(row), flush=True)
    small, large = (float(x) for x in args.corpus_mb.split(","))
    corpus = corpus_runs(args.bench, small, large)
    for row in corpus:
        print(json.dumps(row), flush=True)
    if not args.no_write:
        write(rows, corpus, args.mb)


def write(rows, corpus, mb):
    sys.path.insert(0, str(ROOT / "bench"))
    from quality import provenance, write_section
    by = {r["system"]: r for r in rows}
    lines = ["## Speed and memory (`python bench/speed.py`)", "",
             f"Dev pages repeated to about {mb:g} MB of text dumps (peers on a quarter of the repetitions; rates are "
             f"per byte and per document). One core per system, each in its own process. "
             f"{provenance()}", "",
             "| system | documents | input MB | seconds | MB/s per core | docs/s per core | peak RSS MB | vs floor (MB/s) |",
             "|---|---|---|---|---|---|---|---|"]
    floor = by.get("floor", {}).get("mb_per_s")
    for r in rows:
        ratio = f"{r['mb_per_s'] / floor:.4f}" if floor else ""
        lines.append(f"| {r['system']} | {r['documents']} | {r['input_mb']} | {r['seconds']} | {r['mb_per_s']} | "
                     f"{r['docs_per_s']} | {r['peak_rss_mb']} | {ratio} |")
    if "cleaner-html" in by and "trafilatura" in by:
        lines += ["", f"cleaner-html / trafilatura, pages per second: "
                      f"{by['cleaner-html']['docs_per_s'] / by['trafilatura']['docs_per_s']:.2f}x."]
    lines += ["", f"Corpus runs: each configuration {CORPUS_ROUNDS} times, the four taking turns; the fastest "
                  f"time and the largest peak memory of the {CORPUS_ROUNDS}.",
              "", "| corpus run | input MB | seconds | MB/s | peak RSS MB (main) | peak RSS MB (largest worker) |",
              "|---|---|---|---|---|---|"]
    for r in corpus:
        lines.append(f"| {r['system']} | {r['input_mb']} | {r['seconds']} | {r['mb_per_s']} | "
                     f"{r['peak_rss_mb_main']} | {r['peak_rss_mb_worker']} |")
    if len(corpus) >= 4:
        lines += ["", f"--jobs 2 / --jobs 1 on the same input: {corpus[1]['mb_per_s'] / corpus[0]['mb_per_s']:.2f}x "
                      f"({corpus[0]['input_mb']} MB) and {corpus[3]['mb_per_s'] / corpus[2]['mb_per_s']:.2f}x "
                      f"({corpus[2]['input_mb']} MB). Peak memory at the two input sizes shows whether it grows "
                      "with the input."]
    write_section("speed", lines, after="quality")


if __name__ == "__main__":
    main()
