"""The pre-commit hooks, for real: a temporary repository uses this checkout's .pre-commit-hooks.yaml."""
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seeds" / "001_3ffe8a034c523f4c.txt"
EXPECTED = ROOT / "tests" / "fixtures" / "seeds" / "001_3ffe8a034c523f4c.expected.txt"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def run(*args, cwd, env):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def test_hooks_catch_fix_and_pass(tmp_path):
    pytest.importorskip("pre_commit")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("the checkout is not a git repository")
    if subprocess.run(["git", "status", "--porcelain", "--", "cleaner", "rules", ".pre-commit-hooks.yaml", "pyproject.toml"],
                      cwd=ROOT, capture_output=True, text=True).stdout.strip():
        pytest.skip("the hooks are installed from a commit: commit the checkout first")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    repo = tmp_path / "corpus"
    repo.mkdir()
    run("git", "init", "-q", cwd=repo, env=env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head.stdout.strip()}\n  hooks:\n  - id: cleaner-check\n  - id: cleaner-fix\n",
        encoding="utf-8")
    shutil.copy(SEED, repo / "page.txt")
    run("git", "add", ".", cwd=repo, env=env)
    run("git", "commit", "-qm", "polluted corpus", "--no-verify", cwd=repo, env=env)
    python = [sys.executable, "-m", "pre_commit"]

    check = run(*python, "run", "cleaner-check", "--all-files", cwd=repo, env=env)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "page.txt:8: ads.network-credit: Advertising by Adpathway" in check.stdout

    fixed = run(*python, "run", "cleaner-fix", "--all-files", cwd=repo, env=env)
    assert fixed.returncode == 1 and "Fixing page.txt" in fixed.stdout
    assert (repo / "page.txt").read_text(encoding="utf-8") == EXPECTED.read_text(encoding="utf-8")

    again = run(*python, "run", "cleaner-check", "--all-files", cwd=repo, env=env)
    assert again.returncode == 0, again.stdout
