"""Search on the repository's sample bulletin, in a real browser, opened from disk (file://: a USB stick,
a shared folder) and served over HTTP: the same queries, the same results, links that open the articles.

The queries are chosen from the sample's own articles (a 1-, a 2- and a 4-character query, an author, a
number), and so are the expected results: every article whose title, subtitle, authors or body holds the
query must be listed, linked to its page. Firefox runs the same searches where Debian's firefox-esr is
installed (see browsing.Firefox).
"""

from __future__ import annotations

import html
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from browsing import Watched, firefox, serve_folder
from conftest import REPO

from bulletin.build import BuildOptions, build, check
from bulletin.site.links import article_path

pytestmark = pytest.mark.browser
HAN = re.compile(r"[\u4e00-\u9fff]+")
DONE = "() => /找到|没有|无法/.test(document.getElementById('search-status').textContent)"
MORE = ".search-more"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, list]:
    """The sample built (site only) and its articles as (site path, title, searchable text, authors)."""
    root = tmp_path_factory.mktemp("sample-search") / "proj"
    root.mkdir()
    shutil.copy(REPO / "bulletin.yaml", root / "bulletin.yaml")
    shutil.copytree(REPO / "content", root / "content")
    build(BuildOptions(root=root, pdf=False))
    archive, _ = check(root)
    articles = [(article_path(i, a), a.title, "\n".join([a.title, a.subtitle, *a.authors, a.body]), a.authors)
                for i in archive.issues for a in i.articles]
    return root / "output" / "site", articles


def holding(articles: list, query: str) -> set[str]:
    return {path for path, _, text, _ in articles if query in text}


def choose_queries(articles: list) -> dict[str, str]:
    """One query of each kind, picked from the sample: the one found in the most articles, at most ten
    (a rare query for the single character, where nearly every character is common)."""
    def pick(candidates, rare=False):
        counted = [(len(holding(articles, c)), c) for c in sorted(set(candidates))]
        usable = [(n, c) for n, c in counted if 1 <= n <= 10]
        return (min if rare else max)(usable)[1]

    runs = [r for _, title, _, _ in articles for r in HAN.findall(title)]
    authors = Counter(a for *_, names in articles for a in names)
    return {
        "1 character": pick([c for r in runs for c in r], rare=True),
        "2 characters": pick([r[i:i + 2] for r in runs for i in range(len(r) - 1)]),
        "4 characters": pick([r[i:i + 4] for r in runs for i in range(len(r) - 3)], rare=True),
        "author": pick(list(authors)),
        "number": pick([n for _, _, text, _ in articles for n in re.findall(r"\d{3,}", text)]),
    }


def run_search(page, base: str, query: str) -> tuple[str, list[tuple[str, str]]]:
    """Open base/search.html?q=query; show every result; (status, [(title, href)])."""
    page.goto(f"{base}search.html?q={quote(query)}")
    page.wait_for_function(DONE, timeout=20000)
    while page.locator(MORE).count():
        n = page.locator(".search-result").count()
        page.click(MORE)
        page.wait_for_function(f"() => document.querySelectorAll('.search-result').length > {n}")
    found = page.eval_on_selector_all(".search-result-title", "els => els.map(e => [e.textContent, e.href])")
    return page.inner_text("#search-status"), [tuple(r) for r in found]


def check_results(site: Path, articles, query: str, status: str, found: list, base: str) -> None:
    expected = holding(articles, query)
    assert expected, query
    hrefs = {href for _, href in found}
    missing = {p for p in expected if base + p not in hrefs}
    assert not missing, (query, status, missing)
    assert f"找到 {len(found)} 篇" in status, (query, status)
    # each result is titled as its page is (the site shows half-width marks in Chinese text as full-width)
    for title, href in found:
        assert href.startswith(base) and href.endswith(".html"), href
        page = (site / href[len(base):]).read_text(encoding="utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        assert h1 is not None and html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).strip() == title


@pytest.mark.parametrize("kind", ["1 character", "2 characters", "4 characters", "author", "number"])
@pytest.mark.parametrize("where", ["file", "http"])
def test_sample_search_in_chromium(browser, sample, kind, where):
    site, articles = sample
    query = choose_queries(articles)[kind]
    with serve_folder(site) as server:
        base = site.as_uri() + "/" if where == "file" else server
        w = Watched(browser, levels=("error", "warning"))
        status, found = run_search(w.page, base, query)
        check_results(site, articles, query, status, found, base)
        # the first result opens its article (a file, index.html spelled out where there is one)
        w.page.click(".search-result-title >> nth=0")
        w.page.wait_for_load_state()
        assert w.page.url == found[0][1] and w.page.locator("h1").first.inner_text() == found[0][0]
        assert w.errors == [] and w.outside == []
        w.close()


def test_sample_queries_are_of_each_kind(sample):
    queries = choose_queries(sample[1])
    assert [len(queries[k]) for k in ("1 character", "2 characters", "4 characters")] == [1, 2, 4]
    assert queries["number"].isdigit() and HAN.fullmatch(queries["author"])


@pytest.mark.parametrize("where", ["file", "http"])
def test_sample_search_in_firefox(sample, where):
    site, articles = sample
    with firefox() as ff, serve_folder(site) as server:
        base = site.as_uri() + "/" if where == "file" else server
        for query in choose_queries(articles).values():
            status, found = ff.search(base, query)
            check_results(site, articles, query, status, found, base)
        assert ff.errors() == []
