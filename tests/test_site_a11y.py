"""Accessibility of the sample site, checked by a tool and by keyboard.

axe-core (the npm package, installed into tests/vendor/ by `make deps-test`) runs on the home, issue,
article, section, author, search and 404 pages of the repository's sample bulletin, at desktop width and
on a 360 px phone, in the light and the dark colour scheme: no serious or critical violation is allowed.
The search page is then used with the keyboard alone, as a reader without a mouse would."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from browsing import Watched, serve_folder
from conftest import REPO

from bulletin.build import BuildOptions, build

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")

AXE = REPO / "tests" / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
PAGES = [
    "index.html",  # home
    "2026/02/index.html",  # issue
    "2026/02/lianluozhan-zoufang.html",  # article: photos, a table
    "2026/01/hepan-sizhang.html",  # article: a poem
    "sections/news.html",  # section
    "authors/wang-lei.html",  # author
    "search.html",
    "search.html?q=代表",  # results, with highlighted terms in titles and snippets
    "404.html",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True},
}


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.is_file():
        why = f"axe-core is not installed ({AXE.relative_to(REPO)}): run `make deps-test`"
        if os.environ.get("CI"):
            pytest.fail(why)  # in CI `make test` installs it: its absence is a broken install step
        pytest.skip(why)
    return AXE


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    """The repository's sample bulletin (bulletin.yaml + content/), site only."""
    root = tmp_path_factory.mktemp("a11y") / "sample"
    root.mkdir()
    shutil.copy(REPO / "bulletin.yaml", root / "bulletin.yaml")
    shutil.copytree(REPO / "content", root / "content")
    build(BuildOptions(root=root, pdf=False))
    return root / "output" / "site"


@pytest.fixture(scope="module")
def server(sample_site: Path):
    with serve_folder(sample_site) as base:
        yield base


def open_settled(page, url: str) -> None:
    """Go to `url` and wait until the page is as a reader sees it."""
    page.goto(url)
    settle(page)


def settle(page) -> None:
    """Wait for the page's own work: the search page's filters and, for a query, its results drawn."""
    page.wait_for_load_state("load")
    if "/search.html" in page.url:
        page.wait_for_selector("#search-filters select")
    if "/search.html?q=" in page.url:
        page.wait_for_function(
            "document.getElementById('search-status').textContent.startsWith('找到')"
            " && document.querySelectorAll('.search-result-snippet mark').length > 0"
        )


def blocking_violations(page, axe: Path) -> list[str]:
    """axe-core's violations of impact serious or critical on the page, one line each."""
    page.add_script_tag(path=str(axe))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert result["testEngine"]["version"].startswith("4.")
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']}; e.g. {v['nodes'][0]['target']}"
        f" — {v['nodes'][0]['failureSummary'].splitlines()[-1].strip()}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_axe_finds_no_serious_violation(browser, server, axe_script, width, scheme):
    w = Watched(browser, color_scheme=scheme, **VIEWPORTS[width])
    found = {}
    for path in PAGES:
        open_settled(w.page, server + path)
        if problems := blocking_violations(w.page, axe_script):
            found[path] = problems
    w.close()
    assert not found, "\n".join(f"{p}: {line}" for p, lines in found.items() for line in lines)
    assert w.errors == [] and w.outside == []


# --- the keyboard alone ------------------------------------------------------------------------------

FOCUS = """() => {
  // the focused element, and whether its focus ring shows: an outline of 2px or more whose colour
  // stands out from the page (WCAG's 3:1 for non-text contrast)
  const e = document.activeElement, s = getComputedStyle(e);
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => {
    const [r, g, b] = rgb(c).map(v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const a = lum(s.outlineColor), b = lum(getComputedStyle(document.body).backgroundColor);
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  return { id: e.id, cls: e.className, tag: e.tagName, href: e.href || "", text: (e.innerText || "").trim(),
           ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && ratio >= 3 };
}"""


def tab_until(page, test, limit: int, key: str = "Tab") -> dict:
    """Press `key` until the focused element passes `test` (at most `limit` presses); its FOCUS facts."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = page.evaluate(FOCUS)
        if test(now):
            return now
    raise AssertionError(f"not reached with {limit} × {key}; focus is on {now}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_with_the_keyboard_alone(browser, server, scheme):
    w = Watched(browser, color_scheme=scheme, **VIEWPORTS["desktop"])
    pg = w.page
    open_settled(pg, server + "index.html")
    # Tab to the header's search field, type, Enter: the search page opens with the results
    field = tab_until(pg, lambda f: f["id"] == "site-search", limit=10)
    assert field["ring"], field
    pg.keyboard.type("代表")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/search.html?q=*")
    settle(pg)
    # the skip link leads past the header; the next Tab is the page's own search field, holding the query
    link = tab_until(pg, lambda f: True, limit=1)
    assert link["cls"] == "skip-link" and link["ring"], link
    pg.keyboard.press("Enter")
    field = tab_until(pg, lambda f: f["id"] == "search-input", limit=1)
    assert field["ring"] and pg.input_value("#search-input") == "代表"
    # type a new query there: the results follow as one types; Tab reaches them past the button and filters
    pg.keyboard.press("Control+A")
    pg.keyboard.type("联络站")
    pg.wait_for_function("document.getElementById('search-status').textContent.includes('联络站')")
    first = tab_until(pg, lambda f: "search-result-title" in f["cls"], limit=4)
    assert first["ring"] and "联络站" in first["text"], first
    second = tab_until(pg, lambda f: True, limit=1)
    assert "search-result-title" in second["cls"] and second["href"] != first["href"] and second["ring"]
    again = tab_until(pg, lambda f: True, limit=1, key="Shift+Tab")
    assert again["href"] == first["href"]
    # Enter opens the focused result
    pg.keyboard.press("Enter")
    pg.wait_for_url(first["href"])
    assert "联络站" in pg.locator("h1").inner_text()
    # back on the results, "show more" by keyboard: focus goes on to the first result it added
    open_settled(pg, server + "search.html?q=代表")
    more = tab_until(pg, lambda f: "search-more" in f["cls"], limit=40)
    assert more["ring"], more
    shown = pg.locator(".search-result").count()
    pg.keyboard.press("Enter")
    pg.wait_for_function(f"document.querySelectorAll('.search-result').length > {shown}")
    pg.wait_for_function("document.activeElement.classList.contains('search-result-title')")
    added = pg.evaluate(FOCUS)
    titles = pg.locator(".search-result-title")
    assert added["href"] == titles.nth(shown).evaluate("a => a.href") and added["ring"], added
    following = tab_until(pg, lambda f: True, limit=1)
    assert following["href"] == titles.nth(shown + 1).evaluate("a => a.href")
    assert w.errors == [] and w.outside == []
    w.close()


def test_search_landmarks_have_distinct_names(browser, server):
    """The search page has two search forms (the header's and its own): each is named, apart."""
    pg = browser.new_page()
    open_settled(pg, server + "search.html")
    names = pg.locator("[role=search]").evaluate_all(
        "fs => fs.map(f => f.getAttribute('aria-label') ||"
        " document.getElementById(f.getAttribute('aria-labelledby') || '-')?.textContent || '')"
    )
    assert len(names) == 2 and all(names) and len(set(names)) == 2, names
    assert pg.get_by_role("search", name="站内搜索").count() == 1
    pg.close()
