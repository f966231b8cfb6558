"""The ``cleaner`` command: thin click commands over the library.

Exit codes (named so the tests and pre-commit can rely on them): 0 ok, 1 changes found (``check``),
2 usage, rule or input error. Data goes to stdout, diagnostics to stderr, one line each, never a
traceback.
"""
from __future__ import annotations

import difflib
import json
import os
import pathlib
import sys

import click

from .canonical import join_blocks
from .document import written_blocks
from .engine import Cleaner
from .corpus import (READ_ERRORS, AtomicOutput, CorpusError, Outcome, Progress, Stats, clean_jsonl,
                     is_compressed_path, is_jsonl_path, open_read, read_error)
from .io import InputError, atomic_write, decode, read_source
from . import settings
from .rules import RuleError

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2


class Failure(Exception):
    """A one-line error for the user; the command stops with EXIT_ERROR."""


def _split(values):
    out = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


def rule_options(f):
    f = click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids or prefixes (comma-separated, repeatable).")(f)
    f = click.option("--ignore", multiple=True, metavar="IDS", help="Leave out these rule ids or prefixes.")(f)
    f = click.option("--rules", "rules_dirs", multiple=True, metavar="DIR", type=click.Path(), help="Extra folder (or file) of YAML rules.")(f)
    f = click.option("--lang", "languages", multiple=True, metavar="CODES", help="Restrict language-specific rules to these ISO codes, e.g. fr,en.")(f)
    f = click.option("--format", "fmt", type=click.Choice(["auto", "text", "html"]), default=None, help="Input format (default: auto).")(f)
    return f


def make_cleaner(select, ignore, rules_dirs, languages, fmt) -> Cleaner:
    """A Cleaner from the project's configuration file, overridden by the command line."""
    overrides = {"select": _split(select), "ignore": _split(ignore), "rules_dirs": tuple(rules_dirs),
                 "languages": _split(languages), "format": fmt}
    try:
        config, _ = settings.load(overrides=overrides)
        return Cleaner(config)
    except (RuleError, ValueError, settings.SettingsError) as exc:
        raise Failure(str(exc)) from None


def _inputs(files):
    return list(files) or ["-"]


def _display(path):
    return "<stdin>" if path == "-" else path


def _error(message: str) -> None:
    click.echo(f"cleaner: error: {message}", err=True)


def _read_text(path: str) -> str:
    return decode(read_source(path), _display(path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cleaner", prog_name="cleaner")
def cli():
    """Strip injected ads and boilerplate from scraped articles."""


TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")
# Plain-text input larger than this is cleaned in pieces cut at line ends, so memory stays flat
# on a file of any size; each piece is judged as a document of its own.
PIECE_BYTES = 16 * 1024 * 1024


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))
@click.option("-o", "--output", type=click.Path(), help="Write here (atomically) instead of stdout; a folder when cleaning a folder.")
@click.option("--jsonl", is_flag=True, help="Input is JSON Lines (implied by .jsonl/.ndjson, also compressed).")
@click.option("--field", "field_name", default="text", show_default=True, help="JSONL: the field to clean.")
@click.option("--html-field", default=None, help="JSONL: a field holding HTML; its clean text goes to --field.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, help="Worker processes (default: all cores).")
@click.option("--on-error", type=click.Choice(["skip", "fail"]), default="skip", show_default=True,
              help="A bad record: report it and go on (passed through, or to --rejects), or stop.")
@click.option("--rejects", type=click.Path(dir_okay=False), help="JSONL: write bad records here instead of passing them through.")
@click.option("--stats", "stats_path", type=click.Path(dir_okay=False), help="Write a JSON summary of the run here.")
@rule_options
def clean(files, output, jsonl, field_name, html_field, jobs, on_error, rejects, stats_path,
          select, ignore, rules_dirs, languages, fmt):
    """Clean FILES (or stdin) and write canonical text (or JSON Lines)."""
    cleaner = make_cleaner(select, ignore, rules_dirs, languages, fmt)
    jobs = jobs or os.cpu_count() or 1
    inputs = _inputs(files)
    progress = Progress() if sys.stderr.isatty() else None
    dirs = [p for p in inputs if p != "-" and os.path.isdir(p)]
    try:
        if dirs:
            if len(inputs) != 1 or not output:
                raise Failure("a folder is cleaned into a folder: give one input folder and -o OUTPUT_FOLDER")
            stats, failed = _clean_folder(cleaner, dirs[0], output, on_error)
        elif jsonl or all(p != "-" and is_jsonl_path(p) for p in inputs):
            stats = clean_jsonl(inputs, output or "-", cleaner.config, field_name, html_field, jobs, on_error,
                                rejects, progress, report=_error_line, cleaner=cleaner)
            failed = bool(stats.unreadable)
        else:
            stats, failed = _clean_texts(cleaner, inputs, output, on_error)
    except CorpusError as exc:
        raise Failure(str(exc)) from None
    finally:
        if progress:
            progress.close()
    if stats_path:
        atomic_write(stats_path, (json.dumps(stats.as_dict(), indent=1) + "\n").encode("utf-8"))
    if failed:
        raise SystemExit(EXIT_ERROR)


def _error_line(message: str) -> None:
    click.echo(f"cleaner: {message}", err=True)


def _pieces(path: str):
    """Decoded text of a file or stdin, in pieces of about PIECE_BYTES cut at line ends."""
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")
    shown = _display(path)
    with stream:
        head = stream.read(PIECE_BYTES)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
            yield decode(head + stream.read(), shown)  # UTF-16/32 cannot be cut at b"\n"
            return
        carry = b""
        while head:
            data = carry + head
            cut = data.rfind(b"\n") + 1 if len(head) == PIECE_BYTES else len(data)
            if cut <= 0:
                cut = len(data)
            piece, carry = data[:cut], data[cut:]
            yield decode(piece, shown)
            head = stream.read(PIECE_BYTES)
        if carry:
            yield decode(carry, shown)


def _clean_texts(cleaner, inputs, output, on_error):
    stats, failed = Stats(), False
    out = AtomicOutput(output) if output else None
    sink = out.stream if out else sys.stdout.buffer
    first = True
    try:
        for path in inputs:
            try:
                for piece in _pieces(path):
                    result = cleaner.clean(piece, source=_display(path))
                    _report(result)
                    data = result.text.encode("utf-8")
                    if data:
                        sink.write(data if first else b"\n" + data)
                        first = False
                    stats.add(Outcome.of(result, result.source, b"", len(piece.encode("utf-8", "surrogatepass")),
                                         len(data)))
            except InputError as exc:
                if on_error == "fail":
                    raise Failure(str(exc)) from None
                _error(str(exc))
                failed = True
            except OSError as exc:
                if isinstance(exc, BrokenPipeError):
                    raise
                message = f"{_display(path)}: {exc.strerror or exc}"
                if on_error == "fail":
                    raise Failure(message) from None
                _error(message)
                failed = True
        if out:
            out.commit()
        else:
            sys.stdout.flush()
    finally:
        if out:
            out.abort()
    return stats, failed


def _clean_folder(cleaner, folder, output, on_error):
    """Every text file under ``folder`` into the same place under ``output``."""
    stats, failed = Stats(), False
    root, target = pathlib.Path(folder), pathlib.Path(output)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root)
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if is_jsonl_path(str(path)):
            part = clean_jsonl([str(path)], str(dest), cleaner.config, jobs=1, on_error=on_error,
                               report=_error_line, cleaner=cleaner)
            failed |= bool(part.unreadable)
        elif str(path).lower().endswith(TEXT_SUFFIXES):
            part, bad = _clean_texts(cleaner, [str(path)], str(dest), on_error)
            failed |= bad
        else:
            continue
        stats.merge(part)
    return stats, failed


def _report(result) -> None:
    if result.guarded:
        proposed = sum(len(d.text.split()) for d in result.decisions)
        click.echo(f"cleaner: {result.source}: guard: the rules would remove {proposed} of "
                   f"{result.words_in} words; kept the document whole", err=True)
    for rule_id in result.timeouts:
        click.echo(f"cleaner: {result.source}: rule {rule_id}: pattern timed out on a block; the block was kept",
                   err=True)


@cli.command()
@click.argument("file", required=False, default="-", type=click.Path(allow_dash=True))
@click.option("--diff", is_flag=True, help="Print a unified diff of the canonical input and the output.")
@rule_options
def explain(file, diff, select, ignore, rules_dirs, languages, fmt):
    """Show every removal in FILE: line, rule id, reason and text."""
    cleaner = make_cleaner(select, ignore, rules_dirs, languages, fmt)
    try:
        text = _read_text(file)
    except InputError as exc:
        raise Failure(str(exc)) from None
    doc = cleaner.read(text, source=_display(file))
    result = cleaner.clean_document(doc)
    _report(result)
    if diff:
        before = join_blocks(written_blocks(doc.blocks)).splitlines(keepends=True)
        after = result.text.splitlines(keepends=True)
        sys.stdout.writelines(difflib.unified_diff(before, after, f"{result.source} (input)", f"{result.source} (clean)"))
        return
    prefix = "(guarded, not applied) " if result.guarded else ""
    for d in sorted(result.decisions, key=lambda d: (d.line, d.block)):
        shown = d.text if len(d.text) <= 100 else d.text[:97] + "..."
        click.echo(f"{result.source}:{d.line}: {d.rule}: {prefix}{d.action}: {d.reason}: {shown}")
    click.echo(f"{len(result.decisions)} removal(s); {result.words_in - result.words_out} of "
               f"{result.words_in} words removed", err=True)


@cli.command()
@click.argument("rule_id", required=False)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(), help="Extra folder (or file) of YAML rules.")
def rules(rule_id, rules_dirs):
    """List the rule catalogue; with a rule id, show its description and examples."""
    from .rules import load_rules

    try:
        ruleset = load_rules(rules_dirs)
    except RuleError as exc:
        raise Failure(str(exc)) from None
    if rule_id and rule_id in ruleset.by_id:
        r = ruleset.by_id[rule_id]
        click.echo(f"{r.id}  ({r.kind}; languages: {', '.join(sorted(r.languages)) or 'any'})")
        click.echo(r.description)
        if r.selector:
            click.echo(f"selector: {r.selector}")
        for source in r.sources:
            click.echo(f"pattern: {source}")
        for example in r.remove:
            click.echo(f"removes: {example}")
        for example in r.keep:
            click.echo(f"keeps:   {example}")
        return
    chosen = ruleset.matching(rule_id) if rule_id else list(ruleset)
    if not chosen:
        raise Failure(f"no rule id or prefix matches {rule_id!r}")
    width = max(len(r.id) for r in chosen)
    for r in chosen:
        langs = ",".join(sorted(r.languages)) or "any"
        click.echo(f"{r.id:<{width}}  {r.kind:<14}  {langs:<20}  {r.summary}")


@cli.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The rule file to write, e.g. rules/learned/site.yml.")
@click.option("--min-docs", type=click.IntRange(2), default=5, show_default=True, help="Seen in at least this many documents of a site.")
@click.option("--prose-factor", type=click.IntRange(1), default=4, show_default=True, help="Long or prose-like blocks need this many times --min-docs.")
@click.option("--max-blocks", type=click.IntRange(1), default=500, show_default=True, help="At most this many blocks per site.")
@click.option("--field", "field_name", default="text", show_default=True, help="JSONL: the text field.")
@click.option("--html-field", default=None, help="JSONL: a field holding HTML.")
def learn(corpus, output, min_docs, prose_factor, max_blocks, field_name, html_field):
    """Write blocks that repeat across many documents of a site as a rule file to review."""
    from .learn import LearnOptions, learn_paths

    try:
        found = learn_paths(corpus, output, field_name, html_field,
                            LearnOptions(min_docs, prose_factor, max_blocks), report=_error_line)
    except (OSError, CorpusError) as exc:
        raise Failure(str(exc)) from None
    total = sum(found.values())
    click.echo(f"cleaner: wrote {total} block(s) for {len(found)} site(s) to {output}", err=True)


@cli.command("config")
def show_config():
    """Show the effective configuration and where each value comes from."""
    try:
        config, origin = settings.load()
    except (settings.SettingsError, ValueError) as exc:
        raise Failure(str(exc)) from None
    for name in sorted(origin):
        click.echo(f"{name} = {getattr(config, name)!r}  ({origin[name]})")
    from .cache import where
    directory, source = where()
    click.echo(f"cache = {str(directory) if directory else None!r}  ({source})")


def _check(files, fix, field_name, select, ignore, rules_dirs, languages, fmt):
    cleaner = make_cleaner(select, ignore, rules_dirs, languages, fmt)
    changed_any, failed = False, False
    for path in files:
        try:
            original = _read_decompressed(path)
            if is_jsonl_path(path):
                new, findings = _check_jsonl(cleaner, path, original, field_name)
            else:
                result = cleaner.clean(decode(original, path), source=path)
                new = result.text.encode("utf-8")
                findings = [(d.line, d.rule, d.text) for d in sorted(result.decisions, key=lambda d: (d.line, d.block))
                            ] if not result.guarded else []
        except InputError as exc:
            _error(str(exc))
            failed = True
            continue
        if new == original:
            continue
        changed_any = True
        for line, rule, text in findings:
            shown = text if len(text) <= 120 else text[:117] + "..."
            click.echo(f"{path}:{line}: {rule}: {shown}")
        if not findings:
            click.echo(f"{path}: not canonical text (spaces, blank lines or Unicode)")
        if fix:
            if is_compressed_path(path):
                with AtomicOutput(path) as out:  # compressed again by its extension
                    out.write(new)
            else:
                atomic_write(path, new)
            click.echo(f"Fixing {path}")
    if failed:
        raise SystemExit(EXIT_ERROR)
    if changed_any:
        raise SystemExit(EXIT_CHANGED)


def _read_decompressed(path: str) -> bytes:
    """A file's bytes (stdin for "-"), decompressed when its name says it is compressed
    (``corpus.jsonl.gz``), so that check and fix read the records rather than the gzip stream."""
    if not is_compressed_path(path):
        return read_source(path)
    try:
        with open_read(path) as stream:
            return stream.read()
    except READ_ERRORS as exc:
        raise InputError(read_error(path, exc)) from None


def _check_jsonl(cleaner, path, original: bytes, field_name):
    from .corpus import clean_record

    out, findings = [], []
    for number, raw in enumerate(original.splitlines(keepends=True), 1):
        if not raw.strip():
            out.append(raw)
            continue
        outcome = clean_record(cleaner, raw, f"{path}:{number}", field_name, None)
        if outcome.error:
            _error_line(f"{outcome.where}: {outcome.error}")
            out.append(raw)
            continue
        if json.loads(outcome.line) == json.loads(raw):
            out.append(raw)  # unchanged record: keep its bytes as they were
            continue
        out.append(outcome.line)
        findings.extend((number, rule, f"{count} block(s)") for rule, count in outcome.blocks.items())
    return b"".join(out), findings


def check_options(f):
    f = click.option("--field", "field_name", default="text", show_default=True, help="JSONL: the field to check.")(f)
    return rule_options(f)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--fix", is_flag=True, help="Rewrite the files that would change (as `cleaner fix`).")
@check_options
def check(files, fix, field_name, select, ignore, rules_dirs, languages, fmt):
    """List what would be removed from FILES; exit 1 when any would change."""
    _check(files, fix, field_name, select, ignore, rules_dirs, languages, fmt)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@check_options
def fix(files, field_name, select, ignore, rules_dirs, languages, fmt):
    """Rewrite FILES that would change, atomically; exit 1 when any changed."""
    _check(files, True, field_name, select, ignore, rules_dirs, languages, fmt)


def main(argv=None) -> int:
    """Entry point: runs the click group and turns every failure into one line and an exit code."""
    try:
        cli.main(args=argv, prog_name="cleaner", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        _error(exc.format_message().replace("\n", " "))
        return EXIT_ERROR
    except click.exceptions.Abort:
        _error("interrupted")
        return 130
    except (Failure, RuleError, InputError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python from complaining
        # again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # an output that cannot be written: where, and why, on one line
        _error(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc))
        return EXIT_ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    return EXIT_OK


def run() -> None:  # console_scripts entry point
    sys.exit(main())
