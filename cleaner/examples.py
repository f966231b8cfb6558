"""Running a rule's own examples: what it must remove and what it must keep.

The test suite runs every rule's examples through this module, so a rule documents itself with
examples that are checked on every build. Each example is a small document judged by the rule
alone (guard off). A truncate-after example is judged as the end of an article: a paragraph of
prose is put before it, so that the marker stands where footers stand.
"""
from __future__ import annotations

from .canonical import canonical
from .config import Config
from .engine import Cleaner
from .rules import Rule, RuleSet

ARTICLE_CONTEXT = (
    "The council voted on Tuesday to keep the old bridge open for another ten years, after engineers "
    "said the repairs made last spring had worked better than expected and that the traffic it carries "
    "every day could not easily move to the new road along the river."
)


def _document(rule: Rule, example: str) -> str:
    if rule.kind == "truncate-after":
        return ARTICLE_CONTEXT + "\n" + example
    return example


def check_examples(rule: Rule) -> list[str]:
    """Problems with ``rule``'s examples, one line each; empty when all hold."""
    cleaner = Cleaner(Config(guard_ratio=1.0, classifier=False), ruleset=RuleSet((rule,)))
    problems = []
    for kind, examples in (("remove", rule.remove), ("keep", rule.keep)):
        for example in examples:
            doc = _document(rule, example)
            result = cleaner.clean(doc, source=f"{rule.id} example", format=rule.example_format)
            if rule.example_format == "html":
                unchanged = not result.decisions
            else:
                unchanged = result.text == canonical(doc)
            if kind == "remove" and unchanged:
                problems.append(f"{rule.path}: rule {rule.id}: does not remove anything from {example!r}")
            if kind == "keep" and not unchanged:
                removed = "; ".join(d.text for d in result.decisions)
                problems.append(f"{rule.path}: rule {rule.id}: should keep {example!r} but removes {removed!r}")
    return problems
