"""bulletin/site/feeds.py: the Atom feeds and the sitemap are well-formed XML with the right entries,
in order, with absolute links under base_url (relative ones without), and do not depend on the clock."""

from __future__ import annotations

import dataclasses
import shutil
import xml.etree.ElementTree as ET

import pytest
from conftest import FIXTURES

from bulletin.build import load
from bulletin.diagnostics import Report
from bulletin.site import feeds, links
from bulletin.site.pages import PdfRef, plan_site

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/bulletin/"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("feeds") / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    return load(root, Report(root))


def _with(archive, **settings):
    pub = archive.publication
    site = dataclasses.replace(pub.site, **{k: v for k, v in settings.items() if k != "base_url"})
    return dataclasses.replace(archive, publication=dataclasses.replace(
        pub, site=site, base_url=settings.get("base_url", pub.base_url)))  # fmt: skip


def _files(archive, pdfs=None):
    plan = plan_site(archive, pdfs or {})
    return plan, {name: data for name, data in feeds.feed_files(plan, archive.publication)}


def test_article_feed_lists_the_newest_articles_with_absolute_links(archive):
    archive = _with(archive, base_url=BASE, feed_articles=2)
    plan, files = _files(archive)
    feed = ET.fromstring(files[links.ARTICLE_FEED])  # well-formed, or this raises
    entries = feed.findall(ATOM + "entry")
    newest = [a for a in plan.articles][:2]
    assert [e.findtext(ATOM + "title") for e in entries] == [a.title for a in newest]
    assert newest[0].issue.key == "2026-01"  # the newest issue first
    pages = {p.path for p in plan.pages}
    for entry, article in zip(entries, newest, strict=True):
        href = entry.find(ATOM + "link").get("href")
        assert href == BASE + article.path and article.path in pages
        assert entry.findtext(ATOM + "id") == href
        assert [a.findtext(ATOM + "name") for a in entry.findall(ATOM + "author")] == [
            n.name for n in article.authors
        ]
    self_link = [ln.get("href") for ln in feed.findall(ATOM + "link") if ln.get("rel") == "self"]
    assert self_link == [BASE + links.ARTICLE_FEED]
    assert feed.findtext(ATOM + "updated") == "2026-01-05T00:00:00Z"  # the newest issue's date


def test_issue_feed_carries_each_pdf_as_an_enclosure(archive):
    archive = _with(archive, base_url=BASE)
    pdf = PdfRef("pdf/2026-01.pdf", 123456, 8)
    _, files = _files(archive, {"2026-01": pdf})
    entries = ET.fromstring(files[links.ISSUE_FEED]).findall(ATOM + "entry")
    assert [e.findtext(ATOM + "title") for e in entries][0].startswith("2026年第1期")
    assert len(entries) == len(archive.issues)
    enclosures = [ln for e in entries for ln in e.findall(ATOM + "link") if ln.get("rel") == "enclosure"]
    assert len(enclosures) == 1  # only the issue whose PDF was built
    assert enclosures[0].get("href") == BASE + "pdf/2026-01.pdf" and enclosures[0].get("length") == "123456"
    assert "8 页" in enclosures[0].get("title")


def test_sitemap_lists_every_page_but_search_and_404(archive):
    archive = _with(archive, base_url=BASE)
    plan, files = _files(archive)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [u.findtext(ns + "loc") for u in ET.fromstring(files[links.SITEMAP]).findall(ns + "url")]
    left_out = (links.SEARCH, links.NOT_FOUND)
    expected = [links.absolute(BASE, p.path) for p in plan.pages if p.path not in left_out]
    assert locs == expected and BASE in locs


def test_without_base_url_links_are_relative_and_there_is_no_sitemap(archive):
    archive = _with(archive, base_url="")
    plan, files = _files(archive)
    assert links.SITEMAP not in files
    feed = ET.fromstring(files[links.ARTICLE_FEED])
    hrefs = [e.find(ATOM + "link").get("href") for e in feed.findall(ATOM + "entry")]
    assert hrefs == [a.path for a in plan.articles]
    assert all(e.findtext(ATOM + "id").startswith("urn:uuid:") for e in feed.findall(ATOM + "entry"))
    assert not [ln for ln in feed.findall(ATOM + "link") if ln.get("rel") == "self"]


def test_feeds_escape_text_and_are_the_same_bytes_every_time(archive):
    pub = archive.publication
    archive = dataclasses.replace(archive, publication=dataclasses.replace(pub, title="A & B <内刊>"))
    _, first = _files(archive)
    _, again = _files(archive)
    assert first == again  # times come from the content, never the clock
    assert ET.fromstring(first[links.ARTICLE_FEED]).findtext(ATOM + "title") == "A & B <内刊> · 最新文章"


def test_feed_escaping_is_saxutils_escaping():
    from xml.sax import saxutils

    from bulletin.site import feeds

    for text in ("", "a&b<c>d", 'say "hi"', "it's", "both \" and '", "tab\there\nline\r", "&amp; 人大"):
        assert feeds.escape(text) == saxutils.escape(text)
        assert feeds.quoteattr(text) == saxutils.quoteattr(text)
