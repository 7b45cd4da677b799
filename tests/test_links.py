"""bulletin/site/links.py: the URL scheme, relative links that resolve from every page, absolute links
under base_url, and author/tag page names that never move."""

from __future__ import annotations

import posixpath
import shutil
from urllib.parse import urljoin

import pytest
from conftest import FIXTURES

from bulletin.build import load
from bulletin.diagnostics import Report
from bulletin.site import links
from bulletin.site.pages import plan_site


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    root = tmp_path_factory.mktemp("links") / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    archive = load(root, Report(root))
    return archive, plan_site(archive, {})


def test_every_relative_link_resolves_to_its_target_from_every_page(plan):
    archive, site = plan
    pages = [p.path for p in site.pages]
    assert {p.count("/") for p in pages} == {0, 1, 2}  # the site root, one folder down, an issue folder
    targets = pages + ["static/style.css", "2026/01/images/huiyi.png", links.pdf_path(archive.issues[0])]
    for page in pages:
        for target in targets:
            link = links.relative(page, target)
            assert not link.startswith("/") and "//" not in link
            # as a browser resolves it, under any address the site is served from, and from disk
            for base in ("https://example.org/", "https://example.org/sub/dir/", "file:///home/u/site/"):
                assert urljoin(base + page, link) == base + target, (page, target, link)


def test_links_name_files_never_folders(plan):
    _, site = plan
    assert all(p.path.endswith(".html") for p in site.pages)
    listings = {links.HOME, links.ARCHIVE, links.SECTIONS, links.AUTHORS, links.TAGS}
    assert listings <= {p.path for p in site.pages}
    assert links.relative("2026/01/kaiju.html", links.HOME) == "../../index.html"


def test_absolute_links_under_base_url():
    assert links.absolute("https://example.org/bulletin/", links.HOME) == "https://example.org/bulletin/"
    assert links.absolute("https://example.org/bulletin/", "2026/01/kaiju.html") == (
        "https://example.org/bulletin/2026/01/kaiju.html"
    )
    assert links.absolute("", "2026/01/kaiju.html") == ""  # no base_url: no absolute address


def test_page_names_for_authors_and_tags():
    assert links.name_slugs(["Li Qing", "AI 2.0", "王明"]) == {"Li Qing": "li-qing", "AI 2.0": "ai-2-0",
                                                             "王明": "wang-ming"}  # fmt: skip
    assert links.name_slugs(["Index"]) == {"Index": "index-2"}  # authors/index.html is the list of authors
    # names transliterated by an earlier build are not transliterated again, and new ones are added
    known = {"王明": "wang-ming"}
    assert links.name_slugs(["王明", "李青"], known) == {"王明": "wang-ming", "李青": "li-qing"}
    assert known == {"王明": "wang-ming", "李青": "li-qing"}
    # a name seen again keeps its page; a later name with the same pinyin never takes an earlier one's
    first = links.name_slugs(["汪明", "王明"])
    later = links.name_slugs(["汪明", "王明", "汪明", "望明"])
    assert later["汪明"] == first["汪明"] and later["王明"] == first["王明"]
    assert later["望明"] == "wang-ming-3"
    assert posixpath.basename(links.author_path(later["望明"])) == "wang-ming-3.html"
