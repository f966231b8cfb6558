"""The Scrapy pipeline in a real crawl of a local HTTP server serving polluted article pages."""
import http.server
import json
import subprocess
import sys
import textwrap
import threading

import pytest

pytest.importorskip("scrapy")

ARTICLE = ("<p>The council voted on Tuesday to keep the old bridge open for another ten years, after engineers "
           "said the repairs made last spring had worked better than expected.</p>"
           "<p>Residents had asked for the vote since the winter, when a lorry hit the railing and the road was "
           "closed for three weeks while the damage was assessed by the county.</p>")
PAGES = {
    "/": "<html><body><a href='/a'>one</a> <a href='/b'>two</a></body></html>",
    "/a": f"<html><body><p>Advertising by Adpathway</p>{ARTICLE}<p>Partager sur Facebook</p></body></html>",
    "/b": f"<html><body><p>Publicité par Adpathway</p>{ARTICLE.replace('Tuesday', 'Friday')}<p>Lire aussi</p>"
          f"<p>Un autre titre</p></body></html>",
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        body = PAGES.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write((body or "").encode("utf-8"))

    def log_message(self, *args):
        pass


SPIDER = textwrap.dedent("""
    import json, sys
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class Pages(scrapy.Spider):
        name = "pages"
        start_urls = [sys.argv[1]]

        def parse(self, response):
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, self.article)

        def article(self, response):
            lines = [t.strip() for t in response.xpath("//body//text()").getall() if t.strip()]
            yield {"url": response.url, "text": "\\n".join(lines)}

    process = CrawlerProcess(settings={
        "ITEM_PIPELINES": {"cleaner.integrations.scrapy.CleanerPipeline": 300},
        "CLEANER_FIELDS": ["text"],
        "CLEANER_OPTIONS": {"classifier": False},
        "FEEDS": {sys.argv[2]: {"format": "jsonlines"}},
        "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False,
    })
    crawler = process.create_crawler(Pages)
    process.crawl(crawler)
    process.start()
    print(json.dumps({k: v for k, v in crawler.stats.get_stats().items() if k.startswith("cleaner/")}))
""")


def test_pipeline_in_a_real_crawl(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        script = tmp_path / "crawl.py"
        script.write_text(SPIDER, encoding="utf-8")
        out = tmp_path / "items.jsonl"
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        proc = subprocess.run([sys.executable, str(script), url, str(out)], capture_output=True, text=True,
                              timeout=120)
    finally:
        server.shutdown()
    assert proc.returncode == 0, proc.stderr
    items = {json.loads(x)["url"].rsplit("/", 1)[1]: json.loads(x)["text"] for x in out.read_text().splitlines()}
    assert set(items) == {"a", "b"}
    assert items["a"].startswith("The council voted on Tuesday") and "Adpathway" not in items["a"]
    assert "Facebook" not in items["a"]
    assert "Adpathway" not in items["b"] and "Lire aussi" not in items["b"] and "Un autre titre" not in items["b"]
    stats = json.loads(proc.stdout.strip().splitlines()[-1])
    assert stats["cleaner/documents"] == 2
    assert stats["cleaner/removed/ads.network-credit"] == 2
    assert stats["cleaner/removed/share.buttons"] == 1
    assert stats["cleaner/removed/read-also.footer-fr"] == 2
