"""bulletin/model.py: the model every stage reads — frozen values (caches and render keys rely on a loaded
article never changing), the look-ups the commands use (an issue by key, a section by id or name), and what
an Article carries from its one parse (its pictures and its opening as plain text)."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import write

from bulletin.build import check
from bulletin.model import FONT_ROLE_DEFAULTS, PrintFonts, Section, TypographySettings


@pytest.fixture
def archive(project):
    write(project / "content/2026/01/dongtai.md", "---\ntitle: 动态\nsection: news\n---\n● 简讯一。\n")
    archive, report = check(project)
    assert not report.errors
    return archive


def test_the_model_is_frozen(archive):
    issue = archive.issues[0]
    article = issue.articles[0]
    pub = archive.publication
    for obj, name in ((archive, "issues"), (issue, "articles"), (article, "title"), (pub, "title")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, None)
    assert isinstance(issue.articles, tuple) and isinstance(article.authors, tuple)


def test_an_issue_by_its_key_and_the_years_newest_first(archive):
    assert archive.issue("2026-01").number == 1
    assert archive.issue("2025-24").total == 24
    assert archive.issue("2026-1") is None  # normalising what an editor types is build.normalise_issue_key's
    assert archive.years == (2026, 2025)
    assert [i.key for i in archive.issues] == ["2025-24", "2026-01"]  # by total: oldest first


def test_a_section_by_its_id_or_its_name(archive):
    pub = archive.publication
    assert pub.section("news") == pub.section("工作动态") == Section("news", "工作动态")
    assert pub.section("nothing") is None


def test_an_issues_sections_in_the_order_of_its_articles(archive):
    issue = archive.issue("2026-01")
    assert [s.id for s in issue.sections_used()] == ["feature", "news", "poetry"]
    news = archive.publication.section("news")
    assert [a.stem for a in issue.articles_in(news)] == ["dongtai"]
    assert issue.articles_in(archive.publication.section("feature"))[0].stem == "kaiju"


def test_an_article_carries_its_pictures_and_opening_from_loading(archive):
    kaiju = next(a for a in archive.issue("2026-01").articles if a.stem == "kaiju")
    assert kaiju.images == ("images/huiyi.png",)
    assert kaiju.excerpt.startswith("新的一年开始了，我们要把各项工作谋划好、落实好。")
    assert "**" not in kaiju.excerpt and "#" not in kaiju.excerpt
    assert kaiju.rel_path == "content/2026/01/kaiju.md" and kaiju.path.is_absolute()
    assert kaiju.content_hash  # the file and its pictures


def test_a_font_chain_puts_the_chosen_family_first_and_never_twice():
    assert PrintFonts().chain("kai") == FONT_ROLE_DEFAULTS["kai"]
    assert PrintFonts(kai="LXGW WenKai").chain("kai") == ("LXGW WenKai", "FandolKai", "AR PL KaitiM GB")
    chain = PrintFonts(body="Source Han Serif SC").chain("body")
    assert chain == ("Source Han Serif SC", "Noto Serif CJK SC")


def test_the_range_mark_is_rendered_only_when_punctuation_is_fixed():
    assert TypographySettings().render_range_mark == "—"
    assert TypographySettings(range_mark="～").render_range_mark == "～"
    assert TypographySettings(punctuation="keep").render_range_mark is None
