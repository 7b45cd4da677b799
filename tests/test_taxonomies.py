"""bulletin/site/taxonomies.py: authors and tags — one page per name listing every article filed under
it across all issues (newest first, by year), names keeping their page address as the archive grows, and
the index pages that list the names.

(tests/test_pages.py checks the same pages as part of the whole plan; these check the rules themselves.)
"""

from __future__ import annotations

import pytest
from conftest import write

from bulletin.build import check
from bulletin.site import taxonomies
from bulletin.site.pages import plan_site


def art(title: str, authors: str = "", tags: str = "", section: str = "news", extra: str = "") -> str:
    fm = f"title: {title}\nsection: {section}\n"
    fm += f"authors: {authors}\n" if authors else ""
    fm += f"tags: {tags}\n" if tags else ""
    return "---\n" + fm + extra + "---\n正文第一段。\n"


def issue_yaml(number: int, total: int, date: str) -> str:
    return f"number: {number}\ntotal: {total}\ndate: {date}\n"


@pytest.fixture
def archive(project):
    """Three issues; 王明 writes in all three, twice in 2026-02; 汪明 (same pinyin) first in 2026-01."""
    c = project / "content"
    write(c / "2025/24/w1.md", art("旧年的文章", "王明", "[监督]", extra="affiliation: 旧单位\n"))
    write(c / "2026/01/w2.md", art("新年的文章", "[汪明, 王明]", "[监督, 预算]"))
    write(c / "2026/02/issue.yaml", issue_yaml(2, 26, "2026-01-20"))
    write(c / "2026/02/w3.md", art("第二期头条", "王明", extra="order: 1\naffiliation: 新单位\n"))
    write(c / "2026/02/w4.md", art("第二期之二", "[王明, 王明]", "[预算, 预算]", extra="order: 2\n"))
    archive, report = check(project)
    assert not report.errors, [d.format() for d in report.errors]
    return archive


def chrono(archive):
    return [(i, a) for i in archive.issues for a in i.articles]


def page(plan, path):
    [p] = [p for p in plan.pages if p.path == path]
    return p


def listed(p) -> list[tuple[int, list[str]]]:
    return [(g.year, [a.title for a in g.articles]) for g in p.data["groups"]]


def test_an_author_in_several_issues_has_one_page_listing_all_articles_newest_first(archive):
    plan = plan_site(archive, {})
    pages = [p for p in plan.pages if p.meta.kind == "author" and p.meta.title == "王明"]
    assert len(pages) == 1
    wang = pages[0]
    assert wang.path == "authors/wang-ming.html"  # 王明 came first (2025-24)
    assert listed(wang) == [
        (2026, ["第二期之二", "第二期头条", "新年的文章"]),
        (2025, ["旧年的文章"]),
    ]
    assert wang.data["count"] == 4
    assert wang.data["affiliation"] == "新单位"  # the newest article that gives one


def test_a_name_given_twice_in_one_article_lists_it_once(archive):
    plan = plan_site(archive, {})
    titles = [t for _, ts in listed(page(plan, "authors/wang-ming.html")) for t in ts]
    assert titles.count("第二期之二") == 1
    budget = page(plan, "tags/yu-suan.html")
    assert budget.data["count"] == 2
    assert [t for _, ts in listed(budget) for t in ts] == ["第二期之二", "新年的文章"]
    tags = {c.ref.name: c.count for c in page(plan, "tags/index.html").data["tags"]}
    assert tags["预算"] == 2


def test_names_of_the_same_pinyin_get_their_own_addresses_first_come_first_served(archive):
    authors, _ = taxonomies.authors_and_tags(chrono(archive), {})
    assert authors.refs["王明"].path == "authors/wang-ming.html"
    assert authors.refs["汪明"].path == "authors/wang-ming-2.html"
    # w2.md names 汪明 before 王明, but 王明 wrote first (2025-24): names count in order of first appearance
    assert list(authors.slugs) == ["王明", "王明远", "汪明", "李青"]


def test_adding_an_article_never_moves_an_existing_name_page(project, archive):
    before, _ = taxonomies.authors_and_tags(chrono(archive), {})
    # a newer article by a new 汪明-sound-alike, and one that names 汪明 first: nothing already there moves
    write(project / "content/2026/02/w5.md", art("新作者", "[望明, 汪明]", extra="order: 3\n"))
    again, report = check(project)
    assert not report.errors
    after, _ = taxonomies.authors_and_tags(chrono(again), {})
    for name, ref in before.refs.items():
        assert after.refs[name] == ref
    assert after.refs["望明"].path == "authors/wang-ming-3.html"


def test_known_pinyin_is_used_and_new_names_are_added_to_it(archive):
    known = {"王明": "wangming-old"}
    authors, tags = taxonomies.authors_and_tags(chrono(archive), known)
    assert authors.refs["王明"].path == "authors/wangming-old.html"
    assert known["监督"] == "jian-du" and known["汪明"] == "wang-ming"  # filled in for the next build


def test_the_authors_index_groups_names_by_the_first_letter_of_their_pinyin(archive):
    authors, _ = taxonomies.authors_and_tags(chrono(archive), {})
    specs = taxonomies.author_pages("测试人大", authors, lambda items: tuple(items))
    path, template, kind, title, description, data = specs[0]
    assert (path, kind) == ("authors/index.html", "authors")
    letters = {letter: [c.ref.name for c in names] for letter, names in data["letters"]}
    assert letters == {"L": ["李青"], "W": ["王明", "汪明", "王明远"]}  # by address: wang-ming, -2, -yuan
    assert data["count"] == 4 and "4位作者" in description
    per_name = [s for s in specs if s[2] == "author"]
    assert [s[3] for s in per_name] == list(authors.slugs)  # one page per name, none twice


def test_the_tags_index_is_in_pinyin_order_with_counts(archive):
    _, tags = taxonomies.authors_and_tags(chrono(archive), {})
    specs = taxonomies.tag_pages("测试人大", tags, lambda items: tuple(items))
    index = specs[0]
    assert index[0] == "tags/index.html"
    assert [(c.ref.name, c.count) for c in index[5]["tags"]] == [("代表工作", 1), ("监督", 2), ("预算", 2)]
    assert {s[0] for s in specs[1:]} == {
        "tags/dai-biao-gong-zuo.html",
        "tags/jian-du.html",
        "tags/yu-suan.html",
    }


def test_a_name_that_is_not_chinese_keeps_a_readable_address(project):
    write(project / "content/2026/01/en.md", art("英文作者", "[John Smith]", "[GDP]"))
    archive, report = check(project)
    assert not report.errors
    authors, tags = taxonomies.authors_and_tags(chrono(archive), {})
    assert authors.refs["John Smith"].path == "authors/john-smith.html"
    assert tags.refs["GDP"].path == "tags/gdp.html"
