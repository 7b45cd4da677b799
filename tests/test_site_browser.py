"""The site in a real browser (Debian's chromium through Playwright), as a reader meets it: served over
HTTP from 127.0.0.1 and opened straight from disk (file://), on a desktop and a 360 px phone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browsing import Watched, serve_folder
from conftest import FIXTURES

from bulletin.build import BuildOptions, build

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser") / "proj"
    shutil.copytree(FIXTURES / "site_basic", root)
    build(BuildOptions(root=root, pdf=False))
    return root / "output" / "site"


@pytest.fixture(scope="module")
def server(site: Path):
    with serve_folder(site) as base:
        yield base


def test_reader_follows_home_to_issue_to_article(browser, server):
    w = Watched(browser)
    pg = w.page
    pg.goto(server + "index.html")
    assert pg.locator("h1").first.inner_text().replace(" ", "") == "测试人大"
    pg.get_by_role("link", name="2026年第1期").first.click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/2026/01/index.html")
    assert "2026年第1期 总第25期" in pg.locator("h1").inner_text()
    pg.get_by_role("link", name="凝心聚力开新局").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/2026/01/kaiju.html")
    assert pg.locator("h1").inner_text() == "凝心聚力开新局"
    assert pg.locator("img").first.get_attribute("alt") == "常委会会议现场"
    assert pg.evaluate("document.querySelector('img').naturalWidth") > 0  # the picture loaded
    pg.locator("a[rel=next]").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/2026/01/waidi.html")
    pg.locator(".kicker a").first.click()  # the section
    pg.wait_for_load_state()
    assert pg.url.endswith("/sections/exchange.html")
    assert w.errors == [] and w.outside == []
    w.close()


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "archive.html",
        "2026/index.html",
        "2026/01/index.html",
        "2026/01/kaiju.html",
        "2026/01/chun-dao-he-pan.html",
        "sections/feature.html",
        "authors/index.html",
        "authors/wang-ming-yuan.html",
        "tags/index.html",
        "search.html",
        "404.html",
    ],
)
def test_fits_a_360px_phone(browser, server, path):
    w = Watched(browser, viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    w.page.goto(server + path)
    width = w.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width}px wide"
    # the article's table scrolls inside its own box instead of widening the page
    if path == "2026/01/kaiju.html":
        assert (
            w.page.evaluate("getComputedStyle(document.querySelector('.table-scroll')).overflowX") == "auto"
        )
    assert w.errors == [] and w.outside == []
    w.close()


def test_site_works_from_disk(browser, site: Path):
    """Opened via file:// (a shared drive): links name files, so every click lands on a page."""
    w = Watched(browser)
    pg = w.page
    pg.goto((site / "index.html").as_uri())
    pg.get_by_role("link", name="往期").first.click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/archive.html")
    pg.locator("h2 a", has_text="2025年").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/2025/index.html")
    pg.get_by_role("link", name="2025年第24期").first.click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/2025/24/index.html")
    pg.get_by_role("link", name="监督工作要在“实”字上下功夫").click()
    pg.wait_for_load_state()
    assert pg.locator("h1").inner_text() == "监督工作要在“实”字上下功夫"
    pg.get_by_role("link", name="汪明").click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/authors/wang-ming.html")
    pg.get_by_role("link", name="测试人大").first.click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/index.html")
    # styles applied (the stylesheet loaded from disk): the masthead is red, not black
    colour = pg.evaluate("getComputedStyle(document.querySelector('.masthead-title')).color")
    assert colour not in ("rgb(0, 0, 0)", "rgb(29, 29, 31)")
    assert w.errors == [] and w.outside == []
    w.close()


def test_header_search_goes_to_the_search_page(browser, server):
    w = Watched(browser)
    pg = w.page
    pg.goto(server + "2026/01/kaiju.html")
    pg.fill("#site-search", "代表")
    pg.press("#site-search", "Enter")
    pg.wait_for_load_state()
    assert "/search.html?q=" in pg.url
    assert pg.locator("#search-input").count() == 1
    w.close()


def test_landmarks_skip_link_and_visible_focus(browser, server):
    w = Watched(browser)
    pg = w.page
    pg.goto(server + "2026/01/kaiju.html")
    for role in ("banner", "navigation", "main", "contentinfo", "search"):
        assert pg.get_by_role(role).count() >= 1, role
    pg.keyboard.press("Tab")
    focused = pg.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = pg.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0  # shown on screen once focused
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.id") == "main"
    pg.keyboard.press("Tab")
    outline = pg.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    w.close()


def test_dark_mode_follows_the_system(browser, server):
    def background(scheme: str) -> tuple[int, ...]:
        pg = browser.new_page(color_scheme=scheme)
        pg.goto(server + "2026/01/kaiju.html")
        rgb = pg.evaluate("getComputedStyle(document.body).backgroundColor")
        pg.close()
        return tuple(int(x) for x in rgb[rgb.index("(") + 1 : -1].split(",")[:3])

    assert sum(background("light")) > 600
    assert sum(background("dark")) < 150


def test_printing_an_article_shows_the_article_only(browser, server):
    pg = browser.new_page()
    pg.goto(server + "2026/01/kaiju.html")
    pg.emulate_media(media="print")
    hidden = pg.evaluate("""['.site-header', '.site-footer', '.pager', '.search-form']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 4
    assert pg.locator(".article-body").is_visible()
    assert pg.locator("h1").is_visible()
    pg.close()
