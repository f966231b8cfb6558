"""Memory of a corpus run as the number of workers grows: what each further worker costs.

usage: python bench/memory.py [--bench ../shared/bench] [--mb 20] [--jobs 1,2,4] [--no-write]

`cleaner clean --jsonl -j N` runs on the dev text dumps written as JSONL (about --mb MB), and the
proportional set size (PSS: each page shared by k processes counts 1/k in each) of the whole
process tree is sampled every 0.1 s from /proc/PID/smaps_rollup; the peak of the sum is what the
run needs. Peak RSS, what speed.py reports, counts shared pages once per process and so cannot
show sharing. Linux only. Results go to bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """The processes ``pid`` started, from any of its threads (a pool may start them from another)."""
    out = []
    for task in pathlib.Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def run(path: pathlib.Path, jobs: int) -> dict:
    cmd = [sys.executable, "-m", "cleaner", "clean", "--jsonl", str(path), "-o", os.devnull, "-j", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    peak_total, peak_worker, processes = 0, 0, 0
    while proc.poll() is None:
        pids = tree(proc.pid)
        sizes = [pss_kb(p) for p in pids]
        peak_total = max(peak_total, sum(sizes))
        if len(sizes) > 1:
            peak_worker = max(peak_worker, max(sizes[1:]))
        processes = max(processes, len(pids))
        time.sleep(0.1)
    if proc.returncode:
        sys.exit(f"cleaner exited with {proc.returncode} on -j {jobs}")
    return {"jobs": jobs, "processes": processes, "seconds": round(time.perf_counter() - start, 1),
            "peak_pss_mb": round(peak_total / 1024, 1), "peak_worker_pss_mb": round(peak_worker / 1024, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--mb", type=float, default=20)
    ap.add_argument("--jobs", default="1,2,4")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if not pathlib.Path("/proc/self/smaps_rollup").exists():
        sys.exit("bench/memory.py reads /proc/PID/smaps_rollup: Linux only")
    texts = [p.read_text(encoding="utf-8") for p in sorted((pathlib.Path(args.bench) / "dev" / "text").glob("*.txt"))]
    if not texts:
        ap.error(f"--bench {args.bench}: no text dumps under dev/text")
    sys.path.insert(0, str(ROOT / "bench"))
    from speed import write_corpus
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "corpus.jsonl"
        size = write_corpus(texts, path, args.mb)
        for jobs in (int(j) for j in args.jobs.split(",")):
            rows.append(run(path, jobs))
            print(json.dumps(rows[-1]), flush=True)
    if not args.no_write:
        write(rows, size)


def write(rows, size):
    from quality import provenance, write_section
    lines = ["## Memory of corpus runs (`python bench/memory.py`)", "",
             f"`cleaner clean --jsonl -j N` on {size / 1e6:.1f} MB of dev text dumps; peak proportional set size "
             f"of the whole process tree, sampled every 0.1 s. {provenance()}", "",
             "| --jobs | processes | seconds | peak PSS MB, all | peak PSS MB, largest worker |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['jobs']} | {r['processes']} | {r['seconds']} | {r['peak_pss_mb']} | {r['peak_worker_pss_mb']} |")
    multi = [r for r in rows if r["jobs"] > 1]
    if len(multi) >= 2:
        a, b = multi[0], multi[-1]
        lines += ["", f"Each further worker: {(b['peak_pss_mb'] - a['peak_pss_mb']) / (b['jobs'] - a['jobs']):.0f} MB "
                      f"(from -j {a['jobs']} to -j {b['jobs']})."]
    write_section("memory", lines, after="startup")


if __name__ == "__main__":
    main()
