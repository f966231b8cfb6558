"""cleaner check / fix, configuration files and the opt-out markers."""
import json
import os
import subprocess
import sys

import pytest

POLLUTED = "Le conseil municipal a voté mardi le maintien du vieux pont pendant dix ans.\nAdvertising by Adpathway\n"


def cleaner(*args, cwd):
    proc = subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in proc.stderr
    return proc


def test_check_lists_and_exits_1_fix_rewrites_only_changed_files(tmp_path):
    dirty, clean_file = tmp_path / "dirty.txt", tmp_path / "clean.txt"
    dirty.write_text(POLLUTED, encoding="utf-8")
    clean_file.write_text("Le conseil municipal a voté mardi le maintien du vieux pont pendant dix ans.\n", encoding="utf-8")
    os.chmod(dirty, 0o640)
    before = clean_file.stat().st_mtime_ns
    proc = cleaner("check", "dirty.txt", "clean.txt", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == "dirty.txt:2: ads.network-credit: Advertising by Adpathway\n"
    assert dirty.read_text(encoding="utf-8") == POLLUTED  # check never writes
    proc = cleaner("fix", "dirty.txt", "clean.txt", cwd=tmp_path)
    assert proc.returncode == 1 and "Fixing dirty.txt" in proc.stdout and "clean.txt" not in proc.stdout
    assert dirty.read_text(encoding="utf-8") == POLLUTED.splitlines()[0] + "\n"
    assert dirty.stat().st_mode & 0o777 == 0o640  # permissions kept
    assert clean_file.stat().st_mtime_ns == before  # an unchanged file is not rewritten
    assert cleaner("check", "dirty.txt", "clean.txt", cwd=tmp_path).returncode == 0
    assert cleaner("check", "--fix", "dirty.txt", cwd=tmp_path).returncode == 0


def test_fix_keeps_a_documents_code_blocks(tmp_path):
    # a corpus of Markdown-like text: its fenced code is one block, written back as it was
    article = ("Le conseil municipal a voté mardi le maintien du vieux pont pendant dix ans.\n\n"
               "```python\ndef vote(council):\n\tif council.quorum:\n        return council.count()\n```\n")
    page = tmp_path / "page.md"
    page.write_text(article.replace("\n\n```", "\nAdvertising by Adpathway\n```"), encoding="utf-8")
    assert cleaner("fix", "page.md", cwd=tmp_path).returncode == 1
    assert page.read_text(encoding="utf-8") == article
    assert cleaner("check", "page.md", cwd=tmp_path).returncode == 0


def test_check_jsonl(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"id": 1, "text": "Clean text of the first document."}, {"id": 2, "text": POLLUTED}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    proc = cleaner("check", "corpus.jsonl", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == "corpus.jsonl:2: ads.network-credit: 1 block(s)\n"
    assert cleaner("fix", "corpus.jsonl", cwd=tmp_path).returncode == 1
    lines = corpus.read_text(encoding="utf-8").splitlines()
    assert lines[0] == json.dumps(rows[0])  # an unchanged record keeps its bytes
    assert json.loads(lines[1])["text"] == POLLUTED.splitlines()[0]


def test_skip_file_marker_leaves_the_document_alone(tmp_path):
    text = "<!-- cleaner: skip-file -->\n" + POLLUTED + "  spaces   kept  \n"
    (tmp_path / "keep.md").write_text(text, encoding="utf-8")
    assert cleaner("check", "keep.md", cwd=tmp_path).returncode == 0
    assert cleaner("clean", "keep.md", cwd=tmp_path).stdout == text


def test_keep_marker_protects_a_block():
    from cleaner import clean

    out = clean("A sentence of the article.\nAdvertising by Adpathway (cleaner: keep)\nAdvertising by Adpathway\n",
                classifier=False)
    assert out == "A sentence of the article.\n\nAdvertising by Adpathway (cleaner: keep)\n"


def test_project_configuration_found_upwards_and_overridden(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\nignore = ["ads"]\nclassifier = false\n', encoding="utf-8")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    (sub / "page.txt").write_text(POLLUTED, encoding="utf-8")
    assert cleaner("clean", "page.txt", cwd=sub).stdout == POLLUTED.replace("\n", "\n\n", 1)
    assert cleaner("clean", "page.txt", "--ignore", "dedup", cwd=sub).stdout == POLLUTED.splitlines()[0] + "\n"
    shown = cleaner("config", cwd=sub).stdout
    assert f"ignore = ('ads',)  ({tmp_path / 'pyproject.toml'})" in shown
    assert "guard_ratio = 0.9  (default)" in shown


def test_cleaner_toml_and_rule_folders_relative_to_it(tmp_path):
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "site.yml").write_text("""
family: site
description: this site's own boilerplate
rules:
  - id: site.slogan
    description: "Removes: the site slogan. Why: on every page. Keeps: the rest."
    kind: drop
    max_words: 6
    patterns: ['^the bridge gazette, since 1851$']
    examples: {remove: ["The Bridge Gazette, since 1851"], keep: ["The bridge was built in 1851."]}
""", encoding="utf-8")
    (tmp_path / "cleaner.toml").write_text('rules = ["my-rules"]\nclassifier = false\n', encoding="utf-8")
    (tmp_path / "p.txt").write_text("The Bridge Gazette, since 1851\nThe bridge was built in 1851.\n", encoding="utf-8")
    assert cleaner("clean", "p.txt", cwd=tmp_path).stdout == "The bridge was built in 1851.\n"


@pytest.mark.parametrize("content,message", [
    ('[tool.cleaner]\ncolour = "red"\n', "unknown key 'colour'"),
    ("[tool.cleaner\n", "invalid TOML"),
    ('[tool.cleaner]\nguard_ratio = 7\n', "guard_ratio must be in (0, 1]"),
    ('[tool.cleaner]\nclassifier_switch = -1\n', "classifier_switch must be a number >= 0"),
    ('[tool.cleaner]\nclassifier_switch = "high"\n', "classifier_switch must be a number >= 0"),
    ('[tool.cleaner]\nclassifier_gap = -1\n', "classifier_gap must be a number >= 0"),
    ('[tool.cleaner]\nclassifier_join = -0.5\n', "classifier_join must be a number >= 0"),
    ('[tool.cleaner]\nclassifier_join = true\n', "classifier_join must be a number >= 0"),
])
def test_bad_configuration_is_one_line(tmp_path, content, message):
    (tmp_path / "pyproject.toml").write_text(content, encoding="utf-8")
    proc = cleaner("config", cwd=tmp_path)
    assert proc.returncode == 2 and message in proc.stderr and proc.stderr.count("\n") == 1
