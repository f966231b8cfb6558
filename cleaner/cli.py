"""The ``cleaner`` command: thin click commands over the library.

Exit codes (named so the tests and pre-commit can rely on them): 0 ok, 1 changes found (``check``),
2 usage, rule or input error. Data goes to stdout, diagnostics to stderr, one line each, never a
traceback.
"""
from __future__ import annotations

import difflib
import os
import sys

import click

from .canonical import join_blocks
from .config import Config
from .engine import Cleaner
from .io import InputError, atomic_write, decode, read_source
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
    options = {"select": _split(select), "ignore": _split(ignore), "rules_dirs": tuple(rules_dirs),
               "languages": _split(languages)}
    if fmt:
        options["format"] = fmt
    try:
        return Cleaner(Config().replace(**options))
    except (RuleError, ValueError) as exc:
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


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of stdout.")
@rule_options
def clean(files, output, select, ignore, rules_dirs, languages, fmt):
    """Clean FILES (or stdin) and write canonical text."""
    cleaner = make_cleaner(select, ignore, rules_dirs, languages, fmt)
    chunks, failed = [], False
    for path in _inputs(files):
        try:
            result = cleaner.clean(_read_text(path), source=_display(path))
        except InputError as exc:
            _error(str(exc))
            failed = True
            continue
        _report(result)
        if output:
            chunks.append(result.text)
        else:
            sys.stdout.write(result.text)
    if output:
        atomic_write(output, "".join(chunks).encode("utf-8"))
    sys.stdout.flush()
    if failed:
        raise SystemExit(EXIT_ERROR)


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
        before = join_blocks([b.text for b in doc.blocks]).splitlines(keepends=True)
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
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    return EXIT_OK


def run() -> None:  # console_scripts entry point
    sys.exit(main())
