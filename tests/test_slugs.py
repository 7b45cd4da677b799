"""bulletin/content/slugs.py: the URL of an article (its slug), and the file name `new article` gives one.

A slug is the last part of the article's address (2026/01/<slug>.html): it must be lowercase ASCII, stay
the same from one build to the next (readers bookmark and share it), and be unique within its issue.
"""

from __future__ import annotations

import pytest
from conftest import write

from bulletin.build import check
from bulletin.content.slugs import (
    RESERVED_SLUGS,
    SHORT_NAME_CHARS,
    SLUG_RE,
    name_words,
    pinyin_slug,
    short_slug,
    slug_for,
)

ISSUE = "content/2026/01/"


def article(title: str = "标题", section: str = "news", extra: str = "") -> str:
    return f"---\ntitle: {title}\nsection: {section}\n{extra}---\n正文。\n"


# --- the slug of an article -------------------------------------------------------------------------


def test_front_matter_slug_wins():
    assert slug_for("开局", "kaiju-2026") == "kaiju-2026"
    assert slug_for("kaiju", "other") == "other"


def test_an_ascii_file_name_is_the_slug_in_lower_case():
    assert slug_for("kaiju") == "kaiju"
    assert slug_for("Kai_Ju-2026") == "kai-ju-2026"  # underscores read as hyphens


@pytest.mark.parametrize(
    "stem, slug",
    [
        ("开局之年", "kai-ju-zhi-nian"),
        ("重庆调研", "chong-qing-diao-yan"),  # the reading of 重 in this word, not zhong
        ("“两个联系”制度：2026年", "liang-ge-lian-xi-zhi-du-2026-nian"),  # marks dropped, digits kept whole
        ("GDP增长7%", "gdp-zeng-zhang-7"),
        ("工作 动态", "gong-zuo-dong-tai"),  # a space in a file name
        ("kai ju", "kai-ju"),  # ASCII but not URL-safe: cleaned, not kept as is
    ],
)
def test_a_chinese_file_name_becomes_its_pinyin(stem, slug):
    assert slug_for(stem) == slug
    assert SLUG_RE.match(slug)


def test_a_name_with_nothing_to_spell_gets_a_slug_still():
    assert pinyin_slug("！？") == "article"
    assert SLUG_RE.match(slug_for("——"))


def test_a_long_title_is_cut_to_a_clean_slug():
    slug = pinyin_slug("长" * 200)
    assert len(slug) <= 60
    assert SLUG_RE.match(slug) and not slug.endswith("-")


def test_every_slug_is_url_safe():
    for stem in ("人大代表联络站", "Ünïcödé", "a b", "2026", "第１期", "αβγ", "Kai_Ju", "-x-"):
        slug = slug_for(stem)
        assert SLUG_RE.match(slug), (stem, slug)


# --- collisions, checked when loading (so `check` finds them too) -----------------------------------


def codes(report):
    return [(d.code, d.file, d.args.get("slug"), d.args.get("other")) for d in report.errors]


def test_two_articles_with_one_slug_in_an_issue_are_an_error(project):
    """开局.md is spelt kai-ju, like kai-ju.md: both would be 2026/01/kai-ju.html. The second is named,
    with the file it collides with."""
    write(project / ISSUE / "kai-ju.md", article("甲"))
    write(project / ISSUE / "开局.md", article("乙"))
    _, report = check(project)
    assert codes(report) == [
        ("duplicate_slug", ISSUE + "开局.md", "kai-ju", ISSUE + "kai-ju.md"),
    ]


def test_an_explicit_slug_colliding_with_a_file_name_is_an_error_on_its_line(project):
    write(project / ISSUE / "x.md", article("甲", extra="slug: kaiju\n"))  # kaiju.md is in the fixture
    _, report = check(project)
    [d] = report.errors
    assert (d.code, d.file, d.line) == ("duplicate_slug", ISSUE + "x.md", 4)
    assert d.args["other"] == ISSUE + "kaiju.md"


def test_an_explicit_slug_resolves_a_collision(project):
    write(project / ISSUE / "kai-ju.md", article("甲"))
    write(project / ISSUE / "开局.md", article("乙", extra="slug: kaiju-yi\n"))
    archive, report = check(project)
    assert not report.errors
    assert {"kai-ju", "kaiju-yi", "kaiju"} <= {a.slug for a in archive.issue("2026-01").articles}


def test_the_same_slug_in_two_issues_is_fine(project):
    """Addresses carry the issue (2025/24/kai-ju.html, 2026/01/kai-ju.html)."""
    write(project / "content/2025/24/kai-ju.md", article("丙"))
    write(project / ISSUE / "kai-ju.md", article("丁"))
    archive, report = check(project)
    assert not report.errors
    assert "kai-ju" in [a.slug for a in archive.issue("2025-24").articles]
    assert "kai-ju" in [a.slug for a in archive.issue("2026-01").articles]


@pytest.mark.parametrize("how", ["file", "front matter"])
def test_the_issue_page_slug_is_reserved(project, how):
    """index would overwrite the issue's own contents page (2026/01/index.html)."""
    assert "index" in RESERVED_SLUGS
    if how == "file":
        write(project / ISSUE / "index.md", article())
        name, line = "index.md", 1
    else:
        write(project / ISSUE / "x.md", article(extra="slug: index\n"))
        name, line = "x.md", 4
    _, report = check(project)
    [d] = report.errors
    assert (d.code, d.file, d.line) == ("reserved_slug", ISSUE + name, line)


def test_a_slug_that_is_not_url_safe_is_an_error(project):
    write(project / ISSUE / "x.md", article(extra="slug: Kai Ju\n"))
    _, report = check(project)
    assert [(d.code, d.file, d.line) for d in report.errors] == [("bad_slug", ISSUE + "x.md", 4)]


# --- file names for new articles (bulletin new article, Word import) -----------------------------------


def test_short_names_are_whole_words():
    assert short_slug("代表联络站回访") == "daibiao-lianluozhan"  # huifang would pass the 24 characters
    assert short_slug("代表回访") == "daibiao-huifang"
    assert short_slug("关于加强人大代表联络站建设的讲话").startswith("jiaqiang-")  # 关于 left out


def test_a_long_word_is_written_by_its_initials():
    assert name_words("人民代表大会常务委员会工作报告")[0] == "rmdbdhcwwyh"


def test_short_names_are_short_and_never_cut_inside_a_syllable():
    for title in ("关于加强人大代表联络站建设的讲话", "长" * 100, "2026年GDP增长百分之七", "代表"):
        name = short_slug(title)
        assert SLUG_RE.match(name), name
        words = name_words(title)
        assert name.split("-") == words[: len(name.split("-"))], (title, name)  # whole words, in order
        assert len(name) <= SHORT_NAME_CHARS or "-" not in name


def test_a_title_with_no_words_still_gets_a_name():
    assert short_slug("！？") == "article"
