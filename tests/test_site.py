"""The archive site: pages, URL scheme, links, metadata, feeds, templates people change, budgets.

Most tests build tests/fixtures/site_basic (3 issues across a year boundary, every kind of article)
without PDFs; the build is shared per test module and never modified.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import FIXTURES, run_cli, write

from bulletin.build import BuildOptions, build
from bulletin.content.excerpt import excerpt
from bulletin.diagnostics import BuildError
from bulletin.site import links
from bulletin.site.render import PdfInfo, render_site, static_files

ATOM = "{http://www.w3.org/2005/Atom}"


def copy_fixture(tmp: Path, name: str = "site_basic") -> Path:
    dest = tmp / name
    shutil.copytree(FIXTURES / name, dest)
    return dest


def build_site(root: Path, **kw):
    return build(BuildOptions(root=root, pdf=False, **kw))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_fixture(tmp_path_factory.mktemp("site"))
    result = build_site(root)
    assert [d.code for d in result.report.warnings] == []  # among others: the search index was built
    return root / "output" / "site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


# --- links -----------------------------------------------------------------------------------------

_TAG_RE = re.compile(r"<[a-zA-Z][^>]*>")
_REF_RE = re.compile(r"""\s(?:href|src|action|data-bundle)\s*=\s*["']([^"']*)["']""")


def check_links(site: Path) -> list[str]:
    """Every href/src/action of every page: relative, naming an existing file (never a folder).
    Absolute addresses are allowed only where they must be: canonical links, the publication's own
    website (rel="external") and the 404 page (served at any depth)."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        rel_page = page.relative_to(site).as_posix()
        for tag in _TAG_RE.findall(page.read_text(encoding="utf-8")):
            for url in _REF_RE.findall(tag):
                parsed = urlparse(url)
                if url.startswith("#") or parsed.scheme in ("mailto", "data"):
                    continue
                if parsed.scheme in ("http", "https") or url.startswith("//"):
                    if not ('rel="canonical"' in tag or 'rel="external"' in tag or rel_page == "404.html"):
                        problems.append(f"{rel_page}: absolute link {url}")
                    continue
                if url.startswith("/"):
                    problems.append(
                        f"{rel_page}: root-relative link {url} (breaks under a sub-path and file://)"
                    )
                    continue
                if not parsed.path:
                    continue
                target = (page.parent / unquote(parsed.path)).resolve()
                if parsed.path.endswith("/") or target.is_dir():
                    problems.append(f"{rel_page}: link to a folder {url} (breaks on file://)")
                elif not target.is_file():
                    problems.append(f"{rel_page}: broken link {url}")
    return problems


def test_every_link_resolves_to_a_file(site: Path):
    assert check_links(site) == []


def test_link_checker_catches_broken_and_folder_links(tmp_path: Path):
    write(
        tmp_path / "a" / "index.html",
        '<a href="../b/">x</a><a href="missing.html">y</a><img src="/c.png"><a href="index.html#top">ok</a>',
    )
    problems = check_links(tmp_path)
    assert any("folder" in p for p in problems)
    assert any("broken link missing.html" in p for p in problems)
    assert any("root-relative" in p for p in problems)
    assert len(problems) == 3


# --- URL scheme ------------------------------------------------------------------------------------


def test_search_index_is_built_with_the_site(site: Path):
    assert (site / "search" / "index.js").is_file() and (site / "search" / "pages.js").is_file()
    assert any((site / "search" / "shards").glob("*.js")) and any((site / "search" / "text").rglob("*.js"))
    assert not (site / "pagefind").exists()


def test_url_scheme(site: Path):
    for rel in [
        "index.html",
        "archive.html",
        "search.html",
        "404.html",
        "2025/index.html",
        "2026/index.html",
        "2025/24/index.html",
        "2026/01/index.html",
        "2026/02/index.html",
        "2026/01/kaiju.html",
        "2026/01/chun-dao-he-pan.html",
        "2026/01/images/huiyi.png",
        "sections/index.html",
        "sections/feature.html",
        "authors/index.html",
        "authors/wang-ming-yuan.html",
        "tags/index.html",
        "tags/dai-biao-gong-zuo.html",
        "feed.xml",
        "issues.xml",
        "sitemap.xml",
        "static/style.css",
    ]:
        assert (site / rel).is_file(), rel


def test_author_pages_with_the_same_pinyin_keep_their_addresses(site: Path):
    # 汪明 writes in 2025年第24期's first section, before 王明 in the same issue: first come, first served
    assert "<h1>汪明" in read(site, "authors/wang-ming.html")
    assert "<h1>王明 " in read(site, "authors/wang-ming-2.html")
    assert links.name_slugs(["汪明", "王明", "王明远"]) == {
        "汪明": "wang-ming",
        "王明": "wang-ming-2",
        "王明远": "wang-ming-yuan",
    }
    # adding a later author with the same pinyin never takes an existing address
    assert links.name_slugs(["汪明", "王明", "王明远", "望明"])["望明"] == "wang-ming-3"


def test_relative_links():
    assert links.relative("index.html", "2026/01/index.html") == "2026/01/index.html"
    assert links.relative("2026/01/kaiju.html", "2026/01/index.html") == "index.html"
    assert links.relative("2026/01/kaiju.html", "sections/news.html") == "../../sections/news.html"
    assert links.relative("authors/a.html", "static/style.css") == "../static/style.css"
    # the same answers as posixpath.relpath, for every pair of the site's kinds of path
    import posixpath

    paths = [
        "index.html",
        "archive.html",
        "2026/index.html",
        "2026/01/index.html",
        "2026/01/kaiju.html",
        "2025/24/a.html",
        "sections/news.html",
        "authors/wang-ming.html",
        "static/style.css",
        "2026/01/images/huiyi.png",
        "pdf/2026-01.pdf",
        "search.html",
        "2026/02/images/sub/x.jpg",
    ]
    for a in paths:
        for b in paths:
            expected = b if "/" not in a else posixpath.relpath(b, posixpath.dirname(a))
            assert links.relative(a, b) == expected, (a, b)


# --- pages -----------------------------------------------------------------------------------------


def test_home_page_is_the_latest_issue_front_page(site: Path):
    html = read(site, "index.html")
    assert 'lang="zh-CN"' in html
    assert '<h1 class="masthead-title" id="front-title">测试人大</h1>' in html
    assert "2026年第2期 总第26期" in html and "半月刊" in html and "2026年1月20日" in html
    assert "内部资料 免费交流" in html
    assert "小站点连着大民生" in html and "工作动态" in html
    # recent issues follow, with their lead articles
    recent = html.split('id="recent-title"')[1]
    assert "2026年第1期" in recent and "2025年第24期" in recent
    assert "凝心聚力开新局" in recent


def test_issue_page(site: Path):
    html = read(site, "2026/01/index.html")
    assert "<h1" in html and "2026年第1期 总第25期" in html
    assert "2026年1月5日" in html and "新年开篇" in html
    assert "人民代表为人民。" in html and "——题记" in html  # epigraph
    # contents by section, in bulletin.yaml order, with bylines
    order = [html.index(s) for s in ("特别关注", "他山之石", "人大文苑")]
    assert order == sorted(order)
    assert 'href="kaiju.html"' in html and "王明远" in html
    assert "马文涛" in html and "（四川）" in html
    assert 'rel="prev" href="../../2025/24/index.html"' in html
    assert 'rel="next" href="../02/index.html"' in html
    assert "下载" not in html  # no PDF was built


def test_issue_page_offers_the_pdf_with_size_and_pages(tmp_path: Path):
    from bulletin.build import load
    from bulletin.diagnostics import Report

    root = copy_fixture(tmp_path)
    archive = load(root, Report(root))
    pdfs = {"2026-01": PdfInfo("pdf/2026-01.pdf", 1_288_490, 12)}
    files = {f.path: f for f in render_site(archive, pdfs)}
    html = files["2026/01/index.html"].data.decode()
    assert 'href="../../pdf/2026-01.pdf"' in html
    assert "1.2 MB" in html and "共 12 页" in html
    feed = ET.fromstring(files["issues.xml"].data)
    enclosures = [e for e in feed.iter(ATOM + "link") if e.get("rel") == "enclosure"]
    assert len(enclosures) == 1
    assert enclosures[0].get("href") == "https://bulletin.example.org/ceshi/pdf/2026-01.pdf"
    assert enclosures[0].get("length") == "1288490" and enclosures[0].get("type") == "application/pdf"


def test_article_page(site: Path):
    html = read(site, "2026/01/kaiju.html")
    assert '<main id="main"' in html and "data-search-body" in html
    assert 'href="../../sections/feature.html">特别关注</a>' in html
    assert '<h1 class="article-title">凝心聚力开新局</h1>' in html
    assert "——在常委会党组会议上的讲话" in html
    assert 'href="../../authors/wang-ming-yuan.html">王明远</a>' in html
    assert 'datetime="2026-01-05"' in html
    # figure with the caption as alt text, its image copied beside the page
    assert '<img src="images/huiyi.png" alt="常委会会议现场"' in html
    assert "<figcaption>常委会会议现场</figcaption>" in html
    assert '<div class="table-scroll"' in html
    assert 'href="index.html">2026年第1期 总第25期</a>' in html  # its issue
    assert 'href="../../tags/dai-biao-lian-luo-zhan.html">代表联络站</a>' in html
    assert 'rel="next" href="waidi.html"' in html and 'rel="prev"' not in html  # exchange: by file name


def test_article_reprint_external_and_poem(site: Path):
    reprint = read(site, "2026/01/zhuanzai.html")
    assert "据《人民代表报》" in reprint
    external = read(site, "2026/01/waidi.html")
    assert "（四川）" in external and "（作者系某县人大常委会代表工作委员会干部）" in external
    assert 'rel="prev" href="kaiju.html"' in external and 'rel="next" href="zhuanzai.html"' in external
    poem = read(site, "2026/01/chun-dao-he-pan.html")
    assert '<div class="poem">' in poem and "春风吹绿了河岸<br" in poem
    assert poem.count("<p>") >= 2  # stanzas


def test_search_attribute_contract(site: Path):
    html = read(site, "2026/01/kaiju.html")
    assert re.search(r'<main id="main"[^>]*\sdata-search-body', html)
    assert '<span data-search-meta="issue">2026年第1期</span>' in html
    assert '<span data-search-meta="section">特别关注</span>' in html
    assert '<span data-search-filter="year">2026</span>' in html
    assert '<span data-search-filter="section">特别关注</span>' in html
    # listings are not indexed
    for rel in (
        "index.html",
        "2026/01/index.html",
        "sections/feature.html",
        "authors/index.html",
        "search.html",
    ):
        assert "data-search-body" not in read(site, rel), rel
    # every page's header searches through search.html with q, by a relative link
    for rel in ("index.html", "2026/01/kaiju.html", "authors/li-qing.html"):
        m = re.search(
            r'<form class="search-form" role="search" action="([^"]+)" method="get"[^>]*>', read(site, rel)
        )
        assert m and m.group(1).endswith("search.html") and not m.group(1).startswith("/")
        assert 'name="q"' in read(site, rel)


def test_year_archive_section_author_tag_pages(site: Path):
    year = read(site, "2026/index.html")
    assert "2026年第1期" in year and "2026年第2期" in year and "2025年第24期" not in year
    assert "凝心聚力开新局" in year  # lead articles
    archive = read(site, "archive.html")
    assert archive.index("2026年第2期") < archive.index("2026年第1期") < archive.index("2025年第24期")
    feature = read(site, "sections/feature.html")
    assert all(t in feature for t in ("凝心聚力开新局", "小站点连着大民生", "监督工作要在“实”字上下功夫"))
    assert "年终工作座谈会召开" not in feature
    assert feature.index('id="y2026"') < feature.index('id="y2025"')
    author = read(site, "authors/li-qing.html")
    assert "春到河畔" in author and "小站点连着大民生" in author and "凝心聚力开新局" not in author
    tag = read(site, "tags/dai-biao-gong-zuo.html")
    assert all(t in tag for t in ("年终工作座谈会召开", "凝心聚力开新局", "“院坝会”开出基层治理新气象"))
    sections = read(site, "sections/index.html")
    assert sections.index("特别关注") < sections.index("工作动态") < sections.index("人大文苑")
    authors = read(site, "authors/index.html")
    assert 'id="l-W"' in authors and "汪明" in authors
    tags = read(site, "tags/index.html")
    assert "监督工作" in tags


def test_404_page_works_at_any_depth(site: Path):
    html = read(site, "404.html")
    assert "<style>" in html and "--color-accent" in html  # the stylesheet is inside: no relative link
    assert 'href="https://bulletin.example.org/ceshi/index.html"' in html
    assert 'rel="stylesheet"' not in html


# --- metadata --------------------------------------------------------------------------------------


def test_meta_description_open_graph_canonical(site: Path):
    html = read(site, "2026/01/kaiju.html")
    assert '<link rel="canonical" href="https://bulletin.example.org/ceshi/2026/01/kaiju.html">' in html
    assert '<meta property="og:url" content="https://bulletin.example.org/ceshi/2026/01/kaiju.html">' in html
    assert '<meta property="og:type" content="article">' in html
    assert (
        '<meta property="og:image" content="https://bulletin.example.org/ceshi/2026/01/images/huiyi.png">'
        in html
    )
    m = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert m and m.group(1).startswith("新的一年开始了")
    summary = read(site, "2026/02/lianluozhan.html")
    assert '<meta name="description" content="走访多个代表联络站' in summary  # front-matter summary wins
    home = read(site, "index.html")
    assert '<link rel="canonical" href="https://bulletin.example.org/ceshi/">' in home
    assert '<meta name="description" content="测试市人大常委会主办的内部工作交流刊物。">' in home


def test_no_canonical_or_sitemap_without_base_url(tmp_path: Path):
    root = copy_fixture(tmp_path)
    text = (root / "bulletin.yaml").read_text(encoding="utf-8")
    (root / "bulletin.yaml").write_text(re.sub(r"^base_url:.*\n", "", text, flags=re.M), encoding="utf-8")
    build_site(root)
    site = root / "output" / "site"
    assert not (site / "sitemap.xml").exists()
    html = read(site, "2026/01/kaiju.html")
    assert "canonical" not in html and "og:url" not in html and "og:image" not in html
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    entry = feed.find(ATOM + "entry")
    assert entry.find(ATOM + "id").text.startswith("urn:uuid:")
    href = entry.find(ATOM + "link").get("href")
    assert href == "2026/02/lianluozhan.html" and (site / href).is_file()
    assert 'href="index.html"' in read(site, "404.html")


def test_article_feed(site: Path):
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    entries = feed.findall(ATOM + "entry")
    titles = [e.find(ATOM + "title").text for e in entries]
    assert titles[0] == "小站点连着大民生" and titles[-1] in (
        "年终工作座谈会召开",
        "监督工作要在“实”字上下功夫",
    )
    assert len(entries) == 8
    first = entries[0]
    assert (
        first.find(ATOM + "link").get("href") == "https://bulletin.example.org/ceshi/2026/02/lianluozhan.html"
    )
    assert [a.find(ATOM + "name").text for a in first.findall(ATOM + "author")] == ["王明远", "李青"]
    assert first.find(ATOM + "category").get("label") == "特别关注"
    assert "有人接" in first.find(ATOM + "summary").text
    assert feed.find(ATOM + "updated").text == "2026-01-20T00:00:00Z"  # from the content, not the clock


def test_issue_feed_and_sitemap(site: Path):
    feed = ET.fromstring((site / "issues.xml").read_bytes())
    titles = [e.find(ATOM + "title").text for e in feed.findall(ATOM + "entry")]
    assert titles == ["2026年第2期 总第26期", "2026年第1期 总第25期（新年开篇）", "2025年第24期 总第24期"]
    sitemap = ET.fromstring((site / "sitemap.xml").read_bytes())
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [u.find(ns + "loc").text for u in sitemap.findall(ns + "url")]
    assert "https://bulletin.example.org/ceshi/" in locs
    assert "https://bulletin.example.org/ceshi/2026/01/kaiju.html" in locs
    assert not any(loc.endswith(("404.html", "search.html")) for loc in locs)
    html_pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html", "search.html"}
    assert len(locs) == len(html_pages)


def test_excerpt():
    assert (
        excerpt("## 一、标题\n\n第一段**加粗**文字，[链接](x.html)。\n\n- 列表项。")
        == "第一段加粗文字，链接。列表项。"
    )
    assert excerpt("::: poem\n春风吹绿了河岸\n柳枝轻轻摇\n:::") == "春风吹绿了河岸 柳枝轻轻摇"
    long = "这是一句很长的话。" * 30
    out = excerpt(long)
    assert len(out) <= 120 and out.endswith("。")
    assert excerpt("![图](a.png)\n\n正文。") == "正文。"


# --- templates and static files people change --------------------------------------------------------


def test_project_overrides_one_template_and_one_static_file(tmp_path: Path):
    root = copy_fixture(tmp_path)
    write(
        root / "templates" / "site" / "article.html",
        '{% extends "site/base.html" %}{% block main %}<h1 class="custom">{{ article.title }}</h1>'
        "{{ body.html | safe }}{% endblock %}",
    )
    write(root / "templates" / "site" / "static" / "style.css", ":root { --color-accent: #004488; }\n")
    build_site(root)
    site = root / "output" / "site"
    assert '<h1 class="custom">凝心聚力开新局</h1>' in read(site, "2026/01/kaiju.html")
    assert 'class="masthead-title"' in read(site, "index.html")  # the other templates are the defaults
    assert read(site, "static/style.css") == ":root { --color-accent: #004488; }\n"
    assert sorted(p.name for p in (site / "static").iterdir()) == sorted(static_files(root))
    assert static_files(root)["style.css"] == root / "templates" / "site" / "static" / "style.css"


def test_template_change_rerenders_pages(tmp_path: Path):
    root = copy_fixture(tmp_path)
    build_site(root)
    write(
        root / "templates" / "site" / "tag.html",
        '{% extends "site/base.html" %}{% block main %}<h1>标签：{{ tag.name }}</h1>{% endblock %}',
    )
    build_site(root)
    assert "<h1>标签：代表工作</h1>" in read(root / "output" / "site", "tags/dai-biao-gong-zuo.html")
    (root / "templates" / "site" / "tag.html").unlink()
    build_site(root)
    assert "<h1>标签：" not in read(root / "output" / "site", "tags/dai-biao-gong-zuo.html")


def test_broken_project_template_names_file_and_line(tmp_path: Path):
    root = copy_fixture(tmp_path)
    build_site(root)
    before = read(root / "output" / "site", "index.html")
    write(
        root / "templates" / "site" / "issue.html",
        '{% extends "site/base.html" %}\n{% block main %}\n'
        "<h1>{{ issue.nosuchthing }}</h1>\n{% endblock %}\n",
    )
    r = run_cli("--root", str(root), "build", "--no-pdf")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "templates/site/issue.html:3" in r.stderr
    assert "nosuchthing" in r.stderr and "docs/site.md" in r.stderr
    assert read(root / "output" / "site", "index.html") == before  # the previous site is untouched


def test_template_syntax_error(tmp_path: Path):
    root = copy_fixture(tmp_path)
    write(
        root / "templates" / "site" / "tags.html",
        '{% extends "site/base.html" %}\n{% block main %}\n{% if %}\n',
    )
    r = run_cli("--root", str(root), "build", "--no-pdf")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "templates/site/tags.html:3" in r.stderr


def test_reserved_slug_is_an_error(tmp_path: Path):
    root = copy_fixture(tmp_path)
    write(root / "content" / "2026" / "02" / "index.md", "---\ntitle: 目录\nsection: news\n---\n正文。\n")
    with pytest.raises(BuildError) as exc:
        build_site(root)
    codes = [(d.file, d.code) for d in exc.value.report.errors]
    assert ("content/2026/02/index.md", "reserved_slug") in codes  # found while loading (check reports it)


# --- budgets and policies ----------------------------------------------------------------------------


def test_no_request_leaves_the_site(site: Path):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for m in re.finditer(r"""\ssrc\s*=\s*["']([^"']+)""", html):
            assert not re.match(r"(https?:)?//", m.group(1)), (page, m.group(1))
        for m in re.finditer(r"""<link[^>]+rel="(?:stylesheet|icon|preload)"[^>]*href="([^"]+)""", html):
            assert not re.match(r"(https?:)?//", m.group(1)), (page, m.group(1))
    css = read(site, "static/style.css")
    assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)


def test_javascript_budget_per_page(site: Path):
    """Total JavaScript a page loads, the search page's own script aside, stays under 30 KB."""
    for page in site.rglob("*.html"):
        if page.name == "search.html":
            continue
        html = page.read_text(encoding="utf-8")
        total = sum(len(m) for m in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S))
        for src in re.findall(r"""<script[^>]*\bsrc=["']([^"']+)""", html):
            total += (page.parent / src).stat().st_size
        assert total < 30 * 1024, page


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_meet_wcag_aa_in_light_and_dark_mode(site: Path):
    css = read(site, "static/style.css")
    light = dict(
        re.findall(r"--color-([a-z-]+):\s*(#[0-9a-fA-F]{6})", css.split("@media (prefers-color-scheme")[0])
    )
    dark_block = re.search(
        r"@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S
    ).group(1)
    dark = dict(light, **dict(re.findall(r"--color-([a-z-]+):\s*(#[0-9a-fA-F]{6})", dark_block)))
    for scheme in (light, dark):
        for fg in ("text", "muted", "accent", "link", "link-visited"):
            for bg in ("bg", "surface"):
                assert _contrast(scheme[fg], scheme[bg]) >= 4.5, (fg, bg, scheme[fg], scheme[bg])
    assert dark["bg"] != light["bg"]


def test_output_is_deterministic_and_the_caches_can_be_deleted(tmp_path: Path):
    root = copy_fixture(tmp_path)
    build_site(root)
    site = root / "output" / "site"
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    shutil.rmtree(root / "output" / ".bulletin")  # manifest, render keys, load cache
    build_site(root)
    second = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differing = [str(k) for k in first if first[k] != second[k]]
    assert differing == []


def test_parallel_rendering_gives_the_same_site(tmp_path: Path, monkeypatch):
    """A cold build of a large archive renders pages in worker processes that write them straight into
    the staging tree; the site is byte for byte the one a serial build makes, and no staging is left."""
    import bulletin.site.render as render_mod

    serial_root = copy_fixture(tmp_path / "serial")
    build_site(serial_root)
    monkeypatch.setattr(render_mod, "PARALLEL_THRESHOLD", 1)
    parallel_root = copy_fixture(tmp_path / "parallel")
    build_site(parallel_root)

    def files(root: Path) -> dict:
        site = root / "output" / "site"
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    serial, parallel = files(serial_root), files(parallel_root)
    assert serial.keys() == parallel.keys()
    assert [k for k in serial if serial[k] != parallel[k]] == []
    assert not (parallel_root / "output" / ".bulletin" / "staging").exists()
    # and a template error in a worker is reported like one in the main process
    write(parallel_root / "templates" / "site" / "tag.html", "{{ tag.nope.deeper }}")
    with pytest.raises(BuildError) as exc:
        build_site(parallel_root, force=True)
    assert [(d.file, d.code) for d in exc.value.report.errors] == [
        ("templates/site/tag.html", "site_template_error")
    ]


def test_drafts_are_left_out_unless_asked_for(tmp_path: Path):
    root = copy_fixture(tmp_path)
    write(
        root / "content" / "2026" / "02" / "caogao.md",
        "---\ntitle: 草稿文章\nsection: news\ndraft: true\n---\n正文。\n",
    )
    build_site(root)
    site = root / "output" / "site"
    assert not (site / "2026" / "02" / "caogao.html").exists()
    assert "草稿文章" not in read(site, "2026/02/index.html")
    build_site(root, drafts=True)
    assert (site / "2026" / "02" / "caogao.html").is_file()


def test_issue_dates_come_from_the_content(site: Path):
    html = read(site, "2025/24/index.html")
    assert dt.date(2025, 12, 20).isoformat() in html
