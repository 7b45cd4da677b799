"""What consumers need from an article's body is made once, when it is loaded, and carried by the model
(issue 11: a thicker Article): its pictures (Article.images) and its opening as plain text
(Article.excerpt). The load cache keeps them; the site's pages take them from the article instead of
reading the body again."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES

from bulletin.config import load_publication
from bulletin.content import excerpt as content_excerpt
from bulletin.content import images as content_images
from bulletin.content.cache import LoadCache
from bulletin.content.loader import load_archive
from bulletin.diagnostics import Report
from bulletin.site.pages import plan_site


@pytest.fixture
def root(tmp_path):
    dest = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", dest)
    return dest


def _load(root):
    report = Report(root)
    pub = load_publication(root, report)
    lc = LoadCache.open(root / "output" / ".bulletin", pub)
    archive = load_archive(root, pub, report, cache=lc)
    lc.save()
    return archive, lc


def _kaiju(archive):
    return next(a for i in archive.issues for a in i.articles if a.stem == "kaiju")


def test_images_are_found_at_load_and_kept_by_the_cache(root):
    kaiju = root / "content/2026/01/kaiju.md"
    kaiju.write_text(
        kaiju.read_text(encoding="utf-8") + "\n| 表 |\n|---|\n| ![表中的图](images/huiyi.png) |\n",
        encoding="utf-8",
    )
    cold, lc = _load(root)
    assert lc.misses == 3
    assert _kaiju(cold).images == ("images/huiyi.png", "images/huiyi.png")
    warm, lc = _load(root)
    assert lc.hits == 3 and lc.misses == 0
    assert _kaiju(warm).images == _kaiju(cold).images
    assert _kaiju(cold).excerpt == content_excerpt.excerpt(_kaiju(cold).body) != ""
    assert _kaiju(warm).excerpt == _kaiju(cold).excerpt


def test_site_pages_take_the_pictures_from_the_article(root, monkeypatch):
    archive, _ = _load(root)

    def no_second_parse(*args, **kwargs):
        raise AssertionError("the body was parsed again for its pictures")

    monkeypatch.setattr(content_images, "image_refs", no_second_parse)
    monkeypatch.setattr(content_images, "_parser", no_second_parse)
    plan = plan_site(archive, {})
    page = next(p for p in plan.pages if p.article is not None and p.article.stem == "kaiju")
    assert page.images == (("2026/01/images/huiyi.png", "images/huiyi.png"),)


def test_site_descriptions_take_the_excerpt_from_the_article(root, monkeypatch):
    kaiju = root / "content/2026/01/kaiju.md"
    text = kaiju.read_text(encoding="utf-8")
    assert "\nsummary:" not in text  # the description is the excerpt
    archive, _ = _load(root)
    art = _kaiju(archive)

    def no_second_read(*args, **kwargs):
        raise AssertionError("the body was read again for its excerpt")

    monkeypatch.setattr(content_excerpt, "excerpt", no_second_read)
    plan = plan_site(archive, {})
    page = next(p for p in plan.pages if p.article is not None and p.article.stem == "kaiju")
    assert page.data["article"].summary == art.excerpt
