"""Cleaning and learning past one machine, with Dask (the optional ``dask`` extra).

    import dask.bag as db
    from cleaner.integrations.dask import clean_jsonl_bag, clean_bag, clean_dataframe, learn_bag

    lines = db.read_text("corpus-*.jsonl.gz")
    clean_jsonl_bag(lines).to_textfiles("clean-*.jsonl")        # same bytes as `cleaner clean --jsonl`
    texts = clean_bag(db.from_sequence(["page one ...", "page two ..."]), ignore=["dedup"])
    df = clean_dataframe(ddf, column="text")                     # a Dask dataframe column
    rules_yaml = learn_bag(lines, min_docs=5)                    # same file as `cleaner learn`

Each worker process builds one Cleaner per configuration and reuses it for every partition; the
options are Config fields, as for ``cleaner.clean``.
"""
from __future__ import annotations

import functools

from ..config import Config
from ..corpus import clean_field
from ..engine import Cleaner
from ..learn import DiskCounter, LearnOptions, document_blocks, document_counts, rule_file, select, site_of


@functools.lru_cache(maxsize=8)
def _cleaner(config: Config) -> Cleaner:
    # one immutable Cleaner per configuration and worker process, shared by its partitions
    return Cleaner(config)


def _config(options) -> Config:
    return Config().replace(**options) if options else Config()


def clean_bag(bag, field: str = "text", html_field: str | None = None, **options):
    """A bag of documents cleaned: strings become clean strings; dict records get ``field`` cleaned."""
    return bag.map_partitions(_clean_items, _config(options), field, html_field)


def _clean_items(items, config, field, html_field):
    cleaner = _cleaner(config)
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(cleaner.clean(item).text)
        elif isinstance(item, dict):
            record = dict(item)
            clean_field(cleaner, record, field, html_field)
            out.append(record)
        else:
            out.append(item)
    return out


def clean_jsonl_bag(lines, field: str = "text", html_field: str | None = None, **options):
    """A bag of JSONL lines (``dask.bag.read_text``) cleaned line by line, exactly as the CLI does:
    bad records pass through unchanged. Each output line ends with a newline."""
    return lines.map_partitions(_clean_lines, _config(options), field, html_field)


def _clean_lines(lines, config, field, html_field):
    from ..corpus import clean_record

    cleaner = _cleaner(config)
    out = []
    for raw in lines:
        if not raw.strip():
            continue
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        out.append(clean_record(cleaner, data, "dask", field, html_field).line.decode("utf-8", "surrogatepass"))
    return out


def clean_dataframe(df, column: str = "text", **options):
    """A Dask dataframe with ``column`` cleaned (other columns untouched)."""
    config = _config(options)

    def clean_part(part):
        cleaner = _cleaner(config)
        part = part.copy()
        part[column] = part[column].map(lambda v: cleaner.clean(v).text if isinstance(v, str) else v)
        return part

    return df.map_partitions(clean_part, meta=df._meta)


def learn_bag(lines, field: str = "text", html_field: str | None = None, min_docs: int = 5, prose_factor: int = 4,
              max_blocks: int = 500) -> str:
    """`cleaner learn` as a map-reduce over a bag of JSONL lines; returns the rule file's text.

    Each partition counts its documents' blocks in an on-disk table and passes on only the rows of
    blocks it saw; the reduction sums them. The result is the same file the CLI writes for the
    same records.
    """
    options = LearnOptions(min_docs, prose_factor, max_blocks)
    site_docs, rows = lines.reduction(
        functools.partial(_count_partition, field=field, html_field=html_field), _merge_partials,
        split_every=8).compute()
    return rule_file(select(((s, k, n, w, t) for (s, k), (n, w, t) in rows.items() if n >= min_docs),
                            site_docs, options), site_docs, options)


def _count_partition(lines, field, html_field):
    import json

    counter = DiskCounter()
    try:
        for raw in lines:
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(record, dict):
                continue
            if html_field and isinstance(record.get(html_field), str):
                text, fmt = record[html_field], "html"
            elif isinstance(record.get(field), str):
                text, fmt = record[field], "text"
            else:
                continue
            counter.add(site_of(record), document_counts(document_blocks(text, fmt)))
        rows = {(s, k): (n, w, t) for s, k, n, w, t in counter.rows(1)}
        return counter.sites(), rows
    finally:
        counter.close()


def _merge_partials(partials):
    site_docs, rows = {}, {}
    for sites, part in partials:
        for site, n in sites.items():
            site_docs[site] = site_docs.get(site, 0) + n
        for key, (n, w, t) in part.items():
            if key in rows:
                n0, w0, t0 = rows[key]
                rows[key] = (n0 + n, w0 if t0 <= t else w, min(t0, t))
            else:
                rows[key] = (n, w, t)
    return site_docs, rows
