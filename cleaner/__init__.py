"""cleaner: strip injected ads and boilerplate from scraped articles, one canonical text per document.

    >>> from cleaner import clean
    >>> clean("A real sentence of the article.\\nAdvertising by Adpathway\\n")
    'A real sentence of the article.\\n'
"""
from __future__ import annotations

from functools import lru_cache

from .config import Config
from .engine import Cleaned, Cleaner, replay
from .io import InputError
from .kinds import Decision
from .rules import Rule, RuleError, RuleSet, load_rules

__all__ = ["clean", "Cleaner", "Cleaned", "Config", "Decision", "InputError", "Rule", "RuleError", "RuleSet",
           "load_rules", "replay"]
__version__ = "0.1.0"


@lru_cache(maxsize=16)
def _cleaner(config: Config) -> Cleaner:
    # A Cleaner is immutable once built, so sharing one per configuration is safe across threads.
    return Cleaner(config)


def clean(text: str | bytes, **options) -> str:
    """Clean one document (text, or bytes as fetched, decoded as files are) and return its
    canonical text.

    ``options`` are fields of Config (``select``, ``ignore``, ``languages``, ``rules_dirs``,
    ``format``, ``guard_ratio``, ...); the compiled rules are reused between calls with the same
    options.
    """
    fmt = options.pop("format", None)
    config = Config().replace(**options) if options else Config()
    return _cleaner(config).clean(text, format=fmt).text
