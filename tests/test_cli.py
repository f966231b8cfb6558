"""The command line, through click's runner (in process) and through real subprocess pipes."""
import os
import pathlib
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cleaner.cli import main

SEEDS = pathlib.Path(__file__).parent / "fixtures" / "seeds"
SEED = SEEDS / "001_3ffe8a034c523f4c.txt"
EXPECTED = SEEDS / "001_3ffe8a034c523f4c.expected.txt"
CLEANER = [sys.executable, "-m", "cleaner"]


def run(args, stdin=None):
    # main() is what the installed command runs: it turns failures into one line and an exit code.
    return CliRunner().invoke(_entry, args, input=stdin)


import click  # noqa: E402


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _entry(ctx):
    ctx.exit(main(ctx.args))


def test_clean_stdin_to_stdout():
    result = run(["clean"], SEED.read_text(encoding="utf-8"))
    assert result.exit_code == 0
    assert result.stdout == EXPECTED.read_text(encoding="utf-8")


def test_clean_file_to_output_file(tmp_path):
    out = tmp_path / "out.txt"
    assert main(["clean", str(SEED), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == EXPECTED.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left


CASES = [
    # (args, stdin, exit code, text expected in stdout, text expected in stderr)
    (["clean", "--select", "ads"], "Advertising by Adpathway\nHello there, world.\n", 0, "Hello there, world.\n", ""),
    (["clean", "--ignore", "ads"], "Advertising by Adpathway\n", 0, "Advertising by Adpathway\n", ""),
    (["clean", "--lang", "de"], "Publicité\nAnzeige\n", 0, "Publicité\n", ""),
    (["clean", "--select", "nosuch"], "x", 2, "", "cleaner: error: no rule id or prefix matches 'nosuch'"),
    (["clean", "missing-file.txt"], "", 2, "", "cleaner: error: missing-file.txt: No such file or directory"),
    (["clean", "--bogus"], "", 2, "", "cleaner: error: No such option"),
    (["frobnicate"], "", 2, "", "cleaner: error: No such command 'frobnicate'"),
    (["rules", "ads.medbed"], "", 0, "ads.medbed  (drop; languages: any)", ""),
    (["rules", "read-also"], "", 0, "read-also.footer-nl", ""),
    (["rules", "zzz"], "", 2, "", "cleaner: error: no rule id or prefix matches 'zzz'"),
    (["explain"], "Hello there, world.\nAdvertising by Adpathway\n", 0,
     "<stdin>:2: ads.network-credit: drop: the credit line an ad network prints under its slot: Advertising by Adpathway", ""),
    (["explain", "--diff"], "Hello there, world.\nAdvertising by Adpathway\n", 0, "-Advertising by Adpathway", ""),
]


@pytest.mark.parametrize("args,stdin,code,out,err", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_cli_cases_in_process(args, stdin, code, out, err):
    result = run(args, stdin)
    assert result.exit_code == code
    assert out in result.stdout
    assert err in result.stderr
    if code == 2:
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("args,stdin,code,out,err", CASES[:7], ids=[" ".join(c[0]) for c in CASES[:7]])
def test_cli_cases_in_subprocess(args, stdin, code, out, err, tmp_path):
    proc = subprocess.run(CLEANER + args, input=stdin.encode(), capture_output=True, cwd=tmp_path)
    assert proc.returncode == code
    assert out in proc.stdout.decode()
    assert err in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr


def test_real_pipe_from_cat():
    proc = subprocess.run(f"cat {SEED} | {sys.executable} -m cleaner clean", shell=True, capture_output=True)
    assert proc.returncode == 0 and proc.stdout.decode() == EXPECTED.read_text(encoding="utf-8")


def test_pipe_into_head_is_quiet(tmp_path):
    import random

    rng = random.Random(7)
    vocabulary = "river bridge council vote engineer winter repair lorry road city budget school".split()
    big = tmp_path / "big.txt"
    big.write_text("A sentence of the article that goes on for a while.\n" + "".join(
        " ".join(rng.choice(vocabulary) for _ in range(14)).capitalize() + ".\n" for _ in range(20_000)),
        encoding="utf-8")
    # the classifier is left out: what matters here is the pipe, not the verdict on a word salad
    proc = subprocess.run(f"{sys.executable} -m cleaner clean --ignore classifier {big} | head -1", shell=True,
                          capture_output=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert proc.stdout.decode() == "A sentence of the article that goes on for a while.\n"
    assert proc.stderr == b""
