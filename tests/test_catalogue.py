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
