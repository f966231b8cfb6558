"""Rule files are validated on load; every error is one line naming the file and the rule id."""
import json
import textwrap

import pytest

from cleaner import rules as rules_module
from cleaner.rules import RuleError, load_file, load_rules

GOOD = """
family: test
description: test rules
rules:
  - id: test.rule
    description: |
      Removes: x. Why: y. Keeps: z.
    kind: drop
    max_words: 5
    patterns: ['^buy now$']
    examples:
      remove: ["Buy now"]
      keep: ["Buy now or never, said the dealer, and left."]
"""


def write(tmp_path, text, name="r.yml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_good_file_loads(tmp_path):
    [rule] = load_file(write(tmp_path, GOOD))
    assert rule.id == "test.rule" and rule.kind == "drop"


BAD = [
    ("unknown key", GOOD.replace("kind: drop", "kind: drop\n    colour: red"), "unknown key(s): colour"),
    ("bad regex", GOOD.replace("'^buy now$'", "'^buy (now$'"), "bad regex"),
    ("missing remove", GOOD.replace('remove: ["Buy now"]', ""), "missing 'examples.remove'"),
    ("missing keep", GOOD.replace('keep: ["Buy now or never, said the dealer, and left."]', ""), "missing 'examples.keep'"),
    ("no examples", GOOD.split("    examples:")[0], "missing 'examples'"),
    ("bad kind", GOOD.replace("kind: drop", "kind: zap"), "'kind' must be one of"),
    ("empty-matching pattern", GOOD.replace("'^buy now$'", "'x*'"), "matches the empty string"),
    ("catastrophic regex", GOOD.replace("'^buy now$'", "'^(a|aa)+$'"), "catastrophic"),
    ("bad language", GOOD.replace("kind: drop", "kind: drop\n    languages: [French]"), "not an ISO 639 code"),
    ("bad selector", GOOD.replace("kind: drop", "kind: drop\n    selector: 'div[['"), "bad CSS selector"),
    ("no max_words", GOOD.replace("    max_words: 5\n", ""), "needs 'max_words'"),
    ("spare without selector", GOOD.replace("kind: drop", "kind: drop\n    spare_prose_words: 20"),
     "only for rules with a 'selector'"),
    ("list floor outside dedup", GOOD.replace("kind: drop", "kind: drop\n    min_chars_in_lists: 40"),
     "'min_chars_in_lists' is only for rules of kind dedup"),
    ("bad spare", GOOD.replace("kind: drop", "kind: drop\n    selector: form\n    spare_prose_words: -1"),
     "'spare_prose_words' must be a whole number"),
]


@pytest.mark.parametrize("name,text,message", BAD, ids=[b[0] for b in BAD])
def test_bad_rule_is_one_clear_line(tmp_path, name, text, message):
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as err:
        load_file(path)
    text = str(err.value)
    assert message in text
    assert str(path) in text and "test.rule" in text
    assert "\n" not in text


def test_invalid_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "family: x\nrules: [\n  - id: a\n")
    with pytest.raises(RuleError, match=r"r\.yml:\d+: invalid YAML"):
        load_file(path)


def test_invalid_yaml_names_the_line_of_the_problem(tmp_path):
    path = write(tmp_path, "family: x\nrules:\n  - id: a\n    kind: drop\n   bad: [\n")
    with pytest.raises(RuleError) as err:
        load_file(path)
    assert str(err.value).startswith(f"{path}:5: invalid YAML: ") and "\n" not in str(err.value)


def test_the_catalogue_reads_the_same_with_pyyamls_python_loader():
    # rules.py reads with libyaml's loader when PyYAML has it: it must give what the reference
    # (pure-Python) safe loader gives for every file we ship
    import yaml

    from cleaner.rules import builtin_rules_dir, rule_files

    files = rule_files(builtin_rules_dir())
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=rules_module._SAFE_LOADER) == yaml.safe_load(text), path


def test_rule_files_are_read_with_the_chosen_safe_loader(tmp_path, monkeypatch):
    # the loader the test above vouches for is the one load_file uses
    import yaml

    used = []

    class Spy(rules_module._SAFE_LOADER):
        def __init__(self, stream):
            used.append(stream)
            super().__init__(stream)

    monkeypatch.setattr(rules_module, "_SAFE_LOADER", Spy)
    assert [r.id for r in load_file(write(tmp_path, GOOD))] and len(used) == 1
    assert issubclass(Spy, yaml.SafeLoader if not yaml.__with_libyaml__ else yaml.CSafeLoader)


def test_duplicate_ids_across_files(tmp_path):
    write(tmp_path, GOOD, "a.yml")
    write(tmp_path, GOOD, "b.yml")
    with pytest.raises(RuleError, match=r"b\.yml: rule test\.rule: duplicate rule id, first defined in .*a\.yml"):
        load_rules([tmp_path], builtin=False)


def test_user_rule_cannot_reuse_a_builtin_id(tmp_path):
    write(tmp_path, GOOD.replace("test.rule", "ads.medbed"))
    with pytest.raises(RuleError, match="duplicate rule id"):
        load_rules([tmp_path])


def test_select_and_ignore_most_specific_wins():
    rules = load_rules()
    ids = {r.id for r in rules.select(select=["ads"], ignore=["ads.label-fr"])}
    assert "ads.medbed" in ids and "ads.label-fr" not in ids and "dedup.exact" not in ids
    ids = {r.id for r in rules.select(ignore=["ads"], select=["ads.medbed"])}
    assert ids == {"ads.medbed"}  # a select narrows to what it names
    with pytest.raises(RuleError, match="no rule id or prefix matches 'adz'"):
        rules.select(select=["adz"])


def test_language_restriction_keeps_neutral_rules():
    ids = {r.id for r in load_rules().select(languages=["de"])}
    assert "read-also.footer-de" in ids and "read-also.footer-fr" not in ids
    assert "ads.medbed" in ids  # language-neutral


def test_a_removal_gives_the_removes_phrase_of_the_rule_description():
    from cleaner.rules import Rule

    share = Rule(id="x.share", family="x", kind="drop",
                 description='Removes: share prompts ("Share this"). Why: they are page furniture.')
    assert share.summary == "share prompts"
    assert share.summary == "share prompts"  # the second time from memory, the same
    cookies = Rule(id="x.cookies", family="x", kind="drop", description="Removes:   cookie\n banners.  More text")
    assert cookies.summary == "cookie banners"
    assert Rule(id="x.bare", family="x", kind="drop", description="").summary == "x.bare"


@pytest.fixture
def fresh_analyses(tmp_path, monkeypatch):
    """An empty cache directory, and rules.py's memory of pattern analyses emptied."""
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    monkeypatch.setattr(rules_module, "_ANALYSES", None)
    monkeypatch.setattr(rules_module, "_ANALYSES_NEW", [])
    return tmp_path / "cache"


def described(ruleset):
    return [(r.id, r.anchors, r.anchors_folded, r.sources, r.prefilter) for r in ruleset]


def test_pattern_analyses_are_kept_in_the_cache_and_give_the_same_rules(fresh_analyses, monkeypatch):
    first = described(load_rules())
    (name,) = [p.name for p in fresh_analyses.iterdir()]
    assert name.startswith("patterns-")
    # a new process: nothing in memory, the stored file read; neither analysis runs again
    monkeypatch.setattr(rules_module, "_ANALYSES", None)

    def not_again(*args):
        raise AssertionError("worked out again although the cache holds it")

    monkeypatch.setattr(rules_module, "rule_anchors", not_again)
    monkeypatch.setattr(rules_module, "_survives_probes", not_again)
    assert described(load_rules()) == first
    assert any(anchors for _, anchors, *_ in first)


def test_a_catastrophic_pattern_is_refused_every_time(fresh_analyses, tmp_path):
    path = write(tmp_path, GOOD.replace("'^buy now$'", "'^(a|aa)+$'"))
    for _ in range(2):
        with pytest.raises(RuleError, match="catastrophic"):
            load_rules([path])


def test_a_damaged_analyses_file_is_worked_out_again(fresh_analyses, monkeypatch):
    from cleaner import cache

    first = described(load_rules())
    (name,) = [p.name for p in fresh_analyses.iterdir()]
    kept = json.loads(cache.read_blob(name))
    wrong = {k: ("yes" if v is True else ["bad", True]) for k, v in kept.items()}  # values of other types
    probed = []
    real_probes = rules_module._survives_probes
    monkeypatch.setattr(rules_module, "_survives_probes", lambda p: probed.append(p) or real_probes(p))
    for stored in (b"not json", b"[1, 2]", json.dumps({"x": 1}).encode(), json.dumps(wrong).encode()):
        cache.write_blob(name, stored)  # whole and checksummed, but not what rules.py wrote
        monkeypatch.setattr(rules_module, "_ANALYSES", None)
        probed.clear()
        assert described(load_rules()) == first
        assert len(probed) == sum(v is True for v in kept.values())  # every pattern probed again
    data = bytearray((fresh_analyses / name).read_bytes())
    data[10] ^= 1  # a flipped bit: the checksum fails and the file is not read
    (fresh_analyses / name).write_bytes(bytes(data))
    monkeypatch.setattr(rules_module, "_ANALYSES", None)
    assert described(load_rules()) == first
