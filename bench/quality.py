"""Quality benchmark: cleaner and its peers on ../shared/bench/dev, scored by the bench's score.py.

usage: python bench/quality.py [--bench ../shared/bench] [--only NAME[,NAME]] [--no-write] [--reuse-halves]

Systems, in one run on the same pages:
  dump          the unclean text dump itself (no cleaning)
  cleaner-text  cleaner on the text dumps
  cleaner-html  cleaner on the raw HTML
  trafilatura   trafilatura.extract() on the raw HTML (the `bench` extra)
  trafilatura-text  trafilatura.extract() on the text dump
  cleaner-text-split-inline  cleaner on a re-dump with a line break at every inline element (the
                text model is trained on these re-dumps too: train_classifier.VARIANTS)
  cleaner-text-blank-lines   cleaner on a re-dump with blank lines between paragraphs (a scraper
                style the model is not trained on)
  cleaner-text-heldout, cleaner-html-heldout, cleaner-text-split-inline-heldout,
  cleaner-text-blank-lines-heldout
                cleaner with classifiers that never saw the page: trained on the even page ids
                for the odd ones and the other way round (bench/train_classifier.py --pages).
                The shipped model is trained on all pages, so the plain cleaner rows are in-sample
                and these are the honest estimate of how cleaner does on pages it has not seen.
                --reuse-halves keeps the two held-out models an earlier run left in
                bench/out/models (they must come from the same code, catalogue and pages).
Outputs go to bench/out/SYSTEM/NNNN.txt, are scored with score.py as it is, and the table is
written to bench/RESULTS.md with the machine and the versions.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import importlib.util
import json
import os
import pathlib
import platform
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def load_score(bench: pathlib.Path):
    spec = importlib.util.spec_from_file_location("bench_score", bench / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_ids(bench):
    return sorted(p.stem for p in (bench / "dev" / "gold").glob("*.json"))


def read_html(bench, pid) -> bytes:
    return gzip.decompress((bench / "dev" / "html" / f"{pid}.html.gz").read_bytes())


def read_text(bench, pid) -> str:
    return (bench / "dev" / "text" / f"{pid}.txt").read_text(encoding="utf-8")


# Each runner works on a share of the pages in a worker process and returns {pid: output}.
def run_dump(bench, pids):
    return {pid: read_text(bench, pid) for pid in pids}


def run_cleaner_text(bench, pids):
    from cleaner import Cleaner

    c = Cleaner(format="text")
    return {pid: c.clean(read_text(bench, pid), source=pid).text for pid in pids}


def run_cleaner_html(bench, pids):
    from cleaner import Cleaner
    from cleaner.io import decode

    c = Cleaner(format="html")
    return {pid: c.clean(decode(read_html(bench, pid), pid), source=pid).text for pid in pids}


def run_trafilatura(bench, pids):
    import trafilatura

    return {pid: trafilatura.extract(read_html(bench, pid)) or "" for pid in pids}


def run_trafilatura_text(bench, pids):
    import html

    import trafilatura

    out = {}
    for pid in pids:
        body = "".join(f"<p>{html.escape(line)}</p>" for line in read_text(bench, pid).splitlines())
        out[pid] = trafilatura.extract(f"<html><body>{body}</body></html>") or ""
    return out


def variant_dump(html: bytes, split_inline: bool, blank_lines: bool) -> str:
    """The page's visible text as another kind of scraper writes it.

    split_inline: a line break at every inline element (links, bold, spans), as scrapers that walk
    text nodes do; blank_lines: paragraphs separated by an empty line.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "template", "svg", "head", "iframe", "object"]):
        tag.decompose()
    breaks = ["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "article",
              "header", "footer", "nav", "aside", "ul", "ol", "table", "blockquote", "figure", "figcaption", "br"]
    if split_inline:
        breaks += ["a", "b", "strong", "em", "i", "span", "code"]
    for tag in soup.find_all(breaks):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [" ".join(line.split()) for line in soup.get_text().split("\n")]
    lines = [line for line in lines if line]
    return ("\n\n" if blank_lines else "\n").join(lines) + "\n"


# Each re-dump's (split_inline, blank_lines) arguments to variant_dump.
REDUMPS = {"split-inline": (True, False), "blank-lines": (False, True)}


def clean_redumps(cleaner_for, bench, pids, redump):
    """cleaner_for(page id)'s output on each page re-dumped the REDUMPS ``redump`` way."""
    split, blank = REDUMPS[redump]
    return {pid: cleaner_for(pid).clean(variant_dump(read_html(bench, pid), split, blank), source=pid).text
            for pid in pids}


def shipped_cleaner(fmt):
    """A Cleaner with the shipped model, for every page."""
    from cleaner import Cleaner

    c = Cleaner(format=fmt)
    return lambda pid: c


def run_cleaner_split(bench, pids):
    return clean_redumps(shipped_cleaner("text"), bench, pids, "split-inline")


def run_cleaner_blank(bench, pids):
    return clean_redumps(shipped_cleaner("text"), bench, pids, "blank-lines")


HELDOUT = OUT / "models"


def train_halves(bench, reuse: bool = False):
    """Two classifier models, one per half of the pages, for the held-out rows, trained side by side
    (one process each: the text model, a mean of two two-stage models, takes most of an hour to
    train). With ``reuse``, halves already there (from an earlier run of this code) are kept."""
    HELDOUT.mkdir(parents=True, exist_ok=True)
    jobs = []
    for half in ("even", "odd"):
        out = HELDOUT / f"trained-on-{half}.json"
        if reuse and out.is_file():
            continue
        out.unlink(missing_ok=True)
        jobs.append(subprocess.Popen([sys.executable, str(ROOT / "bench" / "train_classifier.py"), "--bench",
                                      str(bench), "--pages", half, "--out", str(out)], stdout=subprocess.DEVNULL))
    failed = [job.args for job in jobs if job.wait() != 0]
    if failed:
        raise SystemExit(f"training a held-out model failed: {failed[0]}")


def heldout_cleaners(fmt):
    """{page id parity: a Cleaner whose classifier was trained on the other half}."""
    from cleaner import Cleaner

    return {parity: Cleaner(format=fmt, classifier_model=str(HELDOUT / f"trained-on-{other}.json"))
            for parity, other in ((0, "odd"), (1, "even"))}


def run_cleaner_text_heldout(bench, pids):
    cleaners = heldout_cleaners("text")
    return {pid: cleaners[int(pid) % 2].clean(read_text(bench, pid), source=pid).text for pid in pids}


def run_cleaner_html_heldout(bench, pids):
    from cleaner.io import decode

    cleaners = heldout_cleaners("html")
    return {pid: cleaners[int(pid) % 2].clean(decode(read_html(bench, pid), pid), source=pid).text for pid in pids}


def run_cleaner_split_heldout(bench, pids):
    cleaners = heldout_cleaners("text")
    return clean_redumps(lambda pid: cleaners[int(pid) % 2], bench, pids, "split-inline")


def run_cleaner_blank_heldout(bench, pids):
    cleaners = heldout_cleaners("text")
    return clean_redumps(lambda pid: cleaners[int(pid) % 2], bench, pids, "blank-lines")


SYSTEMS = {
    "dump": ("text", run_dump),
    "cleaner-text": ("text", run_cleaner_text),
    "cleaner-html": ("html", run_cleaner_html),
    "trafilatura": ("html", run_trafilatura),
    "trafilatura-text": ("text", run_trafilatura_text),
    "cleaner-text-split-inline": ("text: line break at every inline element", run_cleaner_split),
    "cleaner-text-blank-lines": ("text: blank line between paragraphs", run_cleaner_blank),
    "cleaner-text-heldout": ("text, held-out model", run_cleaner_text_heldout),
    "cleaner-html-heldout": ("html, held-out model", run_cleaner_html_heldout),
    "cleaner-text-split-inline-heldout": ("text: line break at every inline element, held-out model",
                                          run_cleaner_split_heldout),
    "cleaner-text-blank-lines-heldout": ("text: blank line between paragraphs, held-out model",
                                         run_cleaner_blank_heldout),
}


def run_system(name, bench, pids, jobs):
    runner = SYSTEMS[name][1]
    chunks = [pids[i::jobs] for i in range(jobs)]
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(jobs) as pool:
        results = {}
        for part in pool.map(runner, [bench] * jobs, chunks):
            results.update(part)
    seconds = time.perf_counter() - start
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for pid, text in results.items():
        (folder / f"{pid}.txt").write_text(text, encoding="utf-8")
    return folder, seconds


def versions():
    out = {"python": platform.python_version()}
    for pkg in ("cleaner", "trafilatura", "lxml", "regex"):
        try:
            from importlib.metadata import version
            out[pkg] = version(pkg)
        except Exception:  # noqa: BLE001 - a missing optional package is reported as such
            out[pkg] = "not installed"
    return out


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--only", default=",".join(SYSTEMS))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--reuse-halves", action="store_true",
                    help="keep the held-out models of an earlier run (bench/out/models) instead of training them again")
    args = ap.parse_args()
    bench = pathlib.Path(args.bench)
    if not (bench / "score.py").is_file() or not any((bench / "dev" / "gold").glob("*.json")):
        ap.error(f"--bench {bench}: not the benchmark's folder (score.py and dev/gold/*.json)")
    unknown = [name for name in args.only.split(",") if name not in SYSTEMS]
    if unknown:
        ap.error(f"--only: unknown system {unknown[0]} (known: {', '.join(SYSTEMS)})")
    score = load_score(bench)
    pids = page_ids(bench)
    rows = []
    names = args.only.split(",")
    if any(name.endswith("-heldout") for name in names):
        train_halves(bench, args.reuse_halves)
    for name in names:
        folder, seconds = run_system(name, bench, pids, args.jobs)
        per_page, total = score.score(bench / "dev" / "gold", folder)
        empty = sum(1 for r in per_page if not (folder / f"{r['id']}.txt").read_text(encoding="utf-8").strip())
        total.update(system=name, input=SYSTEMS[name][0], seconds=round(seconds, 1), empty_outputs=empty)
        rows.append(total)
        print(json.dumps(total), flush=True)
    if not args.no_write:
        write_results(rows, bench)


def provenance() -> str:
    """Where and with what a table was made: the sentence every RESULTS section carries."""
    return f"Machine: {machine()}. Versions: {json.dumps(versions())}. Run {time.strftime('%Y-%m-%d')}."


def write_section(name: str, lines: list[str], after: str | None = None) -> None:
    """Puts ``lines`` into bench/RESULTS.md between the markers <!-- name:start --> and
    <!-- name:end -->: in place of the section's previous text, or, the first time, after
    section ``after`` (else at the end). The file is replaced whole, never left half-written."""
    import tempfile

    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    head, tail = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = "\n".join([head, *lines, tail])
    if head in text:
        text = text[:text.index(head)] + block + text[text.index(tail) + len(tail):]
    elif after and f"<!-- {after}:end -->" in text:
        at = text.index(f"<!-- {after}:end -->") + len(f"<!-- {after}:end -->")
        text = text[:at] + "\n\n" + block + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".RESULTS.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_results(rows, bench):
    cols = ["precision", "recall", "f1", "accuracy", "failures", "with_coverage", "without_leak", "empty_outputs", "seconds"]
    table = ["## Quality (`python bench/quality.py`)", "",
             f"{len(rows and page_ids(bench))} pages of `shared/bench/dev`, scored with `shared/bench/score.py` as it is. "
             + provenance(), "",
             "| system | input | " + " | ".join(cols) + " |", "|---|---|" + "---|" * len(cols)]
    for r in rows:
        table.append(f"| {r['system']} | {r['input']} | " + " | ".join(str(r[c]) for c in cols) + " |")
    table += ["", "`failures` is the share of pages with page-F1 < 0.5; `empty_outputs` counts pages whose output is empty "
              "(every gold text here is non-empty); `seconds` is wall time with 2 worker processes."]
    write_section("quality", table)


if __name__ == "__main__":
    main()
