"""Bytes a reader downloads for one search, in Debian's chromium through Playwright.

    python bench/search_transfer.py SITE_DIR [--runs 3] [--query Q ...] [--file] [--json]

For each query: a fresh browser context (empty cache) opens SITE_DIR/search.html?q=QUERY, served on
127.0.0.1 by Python's http.server (no compression, as a plain intranet server sends files), and waits
until the status line reports the result and the network is idle. Every response body is counted, split
into the page itself with its stylesheets and script (`page`: what any visit to the search page costs)
and what the search read (`search`: the index files and whatever the script loaded for the ten results
on screen). Prints the median over the runs of each, in KB (1,000 bytes), and the files behind them.
`--file` opens the page from disk (file://) instead and counts the same files by their size on disk.

Without --query it runs a 1-, a 2- and a 4-character query, an author and a number, taken from what the
synthetic archive of bench/generate.py writes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from browsing import ARGS, CHROMIUM, serve_folder  # noqa: E402

# 1, 2 and 4 characters, an author (the generator's pool of regular contributors), a number
QUERIES = ["代", "监督", "养老服务", "赖宏伟", "240"]


def _kind(rel: str) -> str:
    """"page": the search page, its stylesheets and its script; "search": everything else."""
    return "page" if rel == "search.html" or rel.endswith((".css", "static/search.js")) else "search"


def measure(browser, site: Path, base: str, query: str) -> dict:
    """One search in a fresh context: {"page": bytes, "search": bytes, "files": n, "status": text}."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    got: list = []
    pg.on("requestfinished", lambda r: got.append(r))
    pg.goto(f"{base}search.html?q={quote(query)}")
    pg.wait_for_function(
        "() => /找到|没有|无法/.test(document.getElementById('search-status').textContent)", timeout=60000)
    pg.wait_for_load_state("networkidle")
    sizes = {"page": 0, "search": 0}
    files = 0
    for r in got:
        url = urlparse(r.url)
        rel = unquote(url.path)[len(urlparse(base).path):]
        if url.scheme == "file":
            n = (site / rel).stat().st_size
        else:
            resp = r.response()
            n = len(resp.body()) if resp is not None else 0
        sizes[_kind(rel)] += n
        files += 1
    status = pg.inner_text("#search-status")
    ctx.close()
    return {**sizes, "files": files, "status": status}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--query", action="append", help="a query (repeatable); default: five kinds")
    ap.add_argument("--file", action="store_true", help="open the page from disk (file://)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    site = args.site.resolve()
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with serve_folder(site) as http_base:
            base = site.as_uri() + "/" if args.file else http_base
            for q in args.query or QUERIES:
                runs = [measure(browser, site, base, q) for _ in range(args.runs)]
                results[q] = {
                    "page_kb": statistics.median(r["page"] for r in runs) / 1000,
                    "search_kb": statistics.median(r["search"] for r in runs) / 1000,
                    "total_kb": statistics.median(r["page"] + r["search"] for r in runs) / 1000,
                    "files": statistics.median(r["files"] for r in runs),
                    "status": runs[-1]["status"],
                }
        browser.close()
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return
    print(f"{'query':<10} {'total KB':>9} {'page KB':>8} {'search KB':>10} {'files':>6}  status")
    for q, r in results.items():
        print(f"{q:<10} {r['total_kb']:>9.1f} {r['page_kb']:>8.1f} {r['search_kb']:>10.1f} "
              f"{r['files']:>6.0f}  {r['status']}")


if __name__ == "__main__":
    main()
