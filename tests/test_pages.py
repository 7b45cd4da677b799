"""bulletin/site/pages.py and taxonomies.py: which pages the site has and what each shows — every
article, issue, year, section, author and tag has its page, names keep their addresses, the lists are in
the order readers see them."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, write

from bulletin.build import load
from bulletin.diagnostics import Report
from bulletin.site.pages import plan_site


def _article(title: str, section: str, authors: str = "", tags: str = "", extra: str = "") -> str:
    fm = f"title: {title}\nsection: {section}\n" + (f"authors: {authors}\n" if authors else "")
    return "---\n" + fm + (f"tags: {tags}\n" if tags else "") + extra + "---\n正文第一段，讲清楚一件事。\n"


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages") / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    old, new = root / "content/2025/24", root / "content/2026/01"
    write(old / "a.md", _article("汪明的文章", "news", "汪明", "[监督, Budget]", "affiliation: 旧单位\n"))
    write(new / "b.md", _article("王明的文章", "news", "[王明, 汪明]", "[监督]", "affiliation: 新单位\n"))
    report = Report(root)
    archive = load(root, report)
    assert not report.errors, [d.message for d in report.errors]
    return archive, plan_site(archive, {})


def _page(plan, path):
    return next(p for p in plan.pages if p.path == path)


def test_every_article_issue_and_year_has_one_page(plan):
    archive, site = plan
    paths = [p.path for p in site.pages]
    assert len(paths) == len(set(paths))
    kinds = {}
    for p in site.pages:
        kinds.setdefault(p.meta.kind, []).append(p.path)
    assert len(kinds["article"]) == sum(len(i.articles) for i in archive.issues) == 5
    assert kinds["issue"] == ["2025/24/index.html", "2026/01/index.html"]
    assert kinds["year"] == ["2026/index.html", "2025/index.html"]  # newest first, as listed
    assert [a.path for a in site.articles][:1] == [site.issues[0].contents[0].articles[0].path]
    assert site.issues[0].ref.key == "2026-01"  # newest first


def test_authors_keep_the_first_comer_address_and_their_articles(plan):
    _, site = plan
    wang_ming = _page(site, "authors/wang-ming.html")  # 汪明 wrote first (2025-24)
    assert wang_ming.meta.title == "汪明" and wang_ming.data["count"] == 2
    assert _page(site, "authors/wang-ming-2.html").meta.title == "王明"
    groups = wang_ming.data["groups"]
    assert [g.year for g in groups] == [2026, 2025]  # newest year first
    assert wang_ming.data["affiliation"] == "新单位"  # from the newest article that gives one
    index = _page(site, "authors/index.html")
    letters = dict(index.data["letters"])
    assert [c.ref.name for c in letters["W"]] == ["汪明", "王明", "王明远"]
    assert index.data["count"] == 4 == len(site.pinyin) - 3  # the three tags are the other names
    assert [(c.ref.name, c.count) for c in letters["L"]] == [("李青", 1)]


def test_tags_in_pinyin_order_with_counts_and_links_from_articles(plan):
    _, site = plan
    tags = _page(site, "tags/index.html").data["tags"]
    assert [(c.ref.name, c.count, c.ref.path) for c in tags] == [
        ("Budget", 1, "tags/budget.html"),
        ("代表工作", 1, "tags/dai-biao-gong-zuo.html"),
        ("监督", 2, "tags/jian-du.html"),
    ]
    article = next(a for a in site.articles if a.title == "王明的文章")
    assert [t.path for t in article.tags] == ["tags/jian-du.html"]
    assert [a.path for a in article.authors] == ["authors/wang-ming-2.html", "authors/wang-ming.html"]
    assert _page(site, "tags/jian-du.html").data["count"] == 2


def test_known_pinyin_is_reused_and_returned(plan):
    archive, site = plan
    again = plan_site(archive, {}, pinyin={"汪明": "wang-ming", "监督": "jiandu-old"})
    assert _page(again, "tags/jiandu-old.html").meta.title == "监督"
    assert again.pinyin["监督"] == "jiandu-old" and again.pinyin == {**site.pinyin, "监督": "jiandu-old"}


def test_sections_page_lists_only_sections_with_articles(plan):
    archive, site = plan
    counted = _page(site, "sections/index.html").data["sections"]
    used = {a.section.id for i in archive.issues for a in i.articles}
    assert [c.ref.id for c in counted] == [s.id for s in archive.publication.sections if s.id in used]
    assert sum(c.count for c in counted) == 5
