"""Start-up benchmark: what one `cleaner clean` call costs before and around its first page.

usage: python bench/startup.py [--rounds 7] [--no-write]

A pipe (`cat page.txt | cleaner clean`), a pre-commit run and each `--jobs` worker are fresh
processes, so they pay for importing the package, building a Cleaner and their first page, which
includes loading py3langid's language model. Here a fresh process cleans one bundled seed page and
reports those three phases, with cleaner's model cache (cleaner/langmodel.py) off
(CLEANER_NO_CACHE=1: py3langid decompresses its model, as every process did before the cache) and
on (a warm cache in a temporary directory). The two modes alternate, round after round, so that
the machine's drifts fall on both; the ratio of their medians is the result. Results go to
bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGE = next(p for p in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
            if not p.name.endswith(".expected.txt"))

# Runs in the fresh process: the wall time of each phase, as JSON on stdout.
PHASES = """
import json, sys, time
t0 = time.perf_counter()
from cleaner import Cleaner
t1 = time.perf_counter()
c = Cleaner()
t2 = time.perf_counter()
out = c.clean(open(sys.argv[1], encoding="utf-8").read()).text
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "cleaner": t2 - t1, "first_page": t3 - t2, "out": len(out)}))
"""


def one(env, mode):
    """One fresh process: its phases and its whole wall time, start to exit."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PHASES, str(PAGE)], env=env, capture_output=True,
                          text=True, cwd=ROOT, check=True)
    row = json.loads(proc.stdout)
    row["process"] = time.perf_counter() - start
    row["mode"] = mode
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        base = dict(os.environ, CLEANER_CACHE_DIR=cache)
        base.pop("CLEANER_NO_CACHE", None)
        modes = {"cache off": dict(base, CLEANER_NO_CACHE="1"), "cache on": base}
        one(modes["cache on"], "warm-up")  # fills the cache (and the OS's file cache)
        rows = []
        for _ in range(args.rounds):
            for mode, env in modes.items():
                rows.append(one(env, mode))
                print(json.dumps(rows[-1]), flush=True)
    outs = {r["out"] for r in rows}
    if len(outs) != 1:
        sys.exit(f"the two modes wrote different lengths: {sorted(outs)}")
    medians = {mode: {k: statistics.median(r[k] for r in rows if r["mode"] == mode)
                      for k in ("import", "cleaner", "first_page", "process")} for mode in modes}
    ratio = medians["cache off"]["process"] / medians["cache on"]["process"]
    print(json.dumps({"medians": medians, "off_over_on": ratio}))
    if not args.no_write:
        write(medians, ratio, args.rounds)


def write(medians, ratio, rounds):
    sys.path.insert(0, str(ROOT / "bench"))
    from quality import provenance, write_section
    lines = ["## Start-up (`python bench/startup.py`)", "",
             f"One fresh process cleans one seed page ({PAGE.name}); medians of {rounds} rounds, the two "
             f"modes alternating. {provenance()}", "",
             "| model cache | import s | Cleaner() s | first page s | whole process s |", "|---|---|---|---|---|"]
    for mode, m in medians.items():
        lines.append(f"| {mode.split()[-1]} | {m['import']:.3f} | {m['cleaner']:.3f} | {m['first_page']:.3f} | "
                     f"{m['process']:.3f} |")
    lines += ["", f"Whole process, cache off / cache on: {ratio:.2f}x."]
    write_section("startup", lines, after="speed")


if __name__ == "__main__":
    main()
