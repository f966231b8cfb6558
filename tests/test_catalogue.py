"""The rule catalogue: every rule's examples hold, and the catalogue has the breadth it promises."""
import pytest

from cleaner.examples import check_examples
from cleaner.rules import load_rules

RULES = list(load_rules())
LANGUAGES = {"fr", "en", "de", "es", "it", "pt", "nl"}


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    assert rule.remove and rule.keep
    assert check_examples(rule) == []


def test_catalogue_breadth():
    assert len(RULES) >= 60
    covered = set().union(*(r.languages for r in RULES))
    assert LANGUAGES <= covered
    # language-specific families cover every language, not just French and English
    for family in ("read-also", "cookies", "newsletter"):
        langs = set().union(*(r.languages for r in RULES if r.family == family))
        assert LANGUAGES <= langs, family


def test_kinds_in_use():
    assert {r.kind for r in RULES} == {"drop", "strip", "drop-with-list", "truncate-after", "dedup"}


def test_descriptions_have_one_shape():
    for rule in RULES:
        text = rule.description
        assert text.startswith("Removes:") and "Why:" in text and "Keeps:" in text, rule.id


def test_no_rule_removes_another_rules_prose():
    """A rule's keep examples that are prose (one line, five words or more) survive the whole
    catalogue, not only their own rule: the sentences one rule was taught to spare are as much
    article text for every other. Shorter keep examples are often labels another rule removes
    by design ("e-mail", "Read the entire article")."""
    from cleaner.canonical import canonical
    from cleaner.config import Config
    from cleaner.engine import Cleaner
    from cleaner.rules import RuleSet

    whole = Cleaner(Config(guard_ratio=1.0, classifier=False), ruleset=RuleSet(tuple(RULES)))
    removed = []
    for rule in RULES:
        if rule.example_format == "html":
            continue
        for example in rule.keep:
            if "\n" in example or len(example.split()) < 5:
                continue
            result = whole.clean(example, source=f"{rule.id} keep example", format="text")
            if result.text != canonical(example):
                removed.append(f"{rule.id}: {example!r} removed by {', '.join(sorted({d.rule for d in result.decisions}))}")
    assert removed == []
