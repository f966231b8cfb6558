"""A Scrapy item pipeline that cleans items as they are scraped.

Two settings in a Scrapy project are enough::

    ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 300}
    CLEANER_FIELDS = ["text"]          # item fields cleaned in place (default: ["text"])

and, optionally::

    CLEANER_HTML_FIELDS = {"html": "text"}   # clean the HTML in "html" into "text"
    CLEANER_OPTIONS = {"languages": ["fr"], "ignore": ["dedup.near"]}   # any Config field

Cleaned fields hold canonical text without a final newline, as JSONL fields do. Removals are
counted in Scrapy's stats: ``cleaner/documents``, ``cleaner/guarded``,
``cleaner/removed/<rule id>`` (blocks) and ``cleaner/words_removed``.
"""
from __future__ import annotations

from ..corpus import clean_field
from ..engine import Cleaner


class CleanerPipeline:
    def __init__(self, cleaner: Cleaner, fields=("text",), html_fields=None, stats=None):
        self.cleaner = cleaner
        self.fields = tuple(fields)
        self.html_fields = dict(html_fields or {})
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        options = settings.getdict("CLEANER_OPTIONS", {})
        return cls(Cleaner(**options), settings.getlist("CLEANER_FIELDS", ["text"]),
                   settings.getdict("CLEANER_HTML_FIELDS", {}), crawler.stats)

    def process_item(self, item, spider=None):
        from itemadapter import ItemAdapter

        adapter = ItemAdapter(item)
        jobs = [(name, None) for name in self.fields] + [(dst, src) for src, dst in self.html_fields.items()]
        for field_name, html_field in jobs:
            result = clean_field(self.cleaner, adapter, field_name, html_field, source=html_field or field_name)
            if result is not None:
                self._count(result)
        return item

    def _count(self, result) -> None:
        if self.stats is None:
            return
        self.stats.inc_value("cleaner/documents")
        if result.guarded:
            self.stats.inc_value("cleaner/guarded")
        for rule, n in result.counts().items():
            self.stats.inc_value(f"cleaner/removed/{rule}", n)
        self.stats.inc_value("cleaner/words_removed", result.words_in - result.words_out)
