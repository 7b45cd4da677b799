"""The desk in a real browser (Debian's chromium through Playwright): each task as an editor does it, and
each protection as an attacker or a careless editor meets it."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from browsing import Watched
from conftest import FIXTURES

from bulletin.desk import accounts
from bulletin.desk.app import create_app
from bulletin.desk.server import running
from bulletin.desk.throttle import LoginThrottle

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
docx = pytest.importorskip("docx")

EDITOR = ("wang", "editor-pass-1")
CHIEF = ("li", "chief-pass-1")


class Clock:
    """The desk's clock, which a test moves forward to make a session old."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def make_project(base: Path) -> Path:
    root = base / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    accounts.add_user(root, "wang", "editor", EDITOR[1], "王晓明")
    accounts.add_user(root, "li", "chief", CHIEF[1], "李主编")
    return root


@pytest.fixture
def desk(tmp_path):
    """A fresh project and its desk on a free port: (base URL, project root, clock)."""
    root = make_project(tmp_path)
    clock = Clock()
    app = create_app(root, clock=clock, throttle=LoginThrottle(per_name=5, per_ip=50, window=900))
    with running(app) as base:
        yield base, root, clock


def login(page, base: str, who=EDITOR) -> None:
    page.goto(base + "/login")
    page.fill("#name", who[0])
    page.fill("#password", who[1])
    go(page, "button[type=submit]")


def go(page, selector: str) -> None:
    """Click what leads to another page (a link, a form's button) and wait for that page."""
    with page.expect_navigation():
        page.click(selector)


def word_file(title: str, paragraphs: list[str], *, byline: str = "") -> bytes:
    d = docx.Document()
    d.add_paragraph(title, style="Title")
    if byline:
        d.add_paragraph(byline)
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_wrong_password_and_rate_limit(browser, desk):
    base, _root, _clock = desk
    w = Watched(browser)
    pg = w.page
    login(pg, base, ("wang", "not-the-password"))
    assert "用户名或密码不对" in pg.inner_text(".flashes")
    assert pg.url.endswith("/login")
    for _ in range(4):
        login(pg, base, ("wang", "still-wrong"))
    login(pg, base, EDITOR)  # the right password, too late
    assert "登录失败次数过多" in pg.inner_text(".flashes") and pg.url.endswith("/login")
    login(pg, base, CHIEF)  # another name is not locked
    assert "李主编" in pg.inner_text(".who")
    w.close()


def test_expired_session_asks_to_log_in_again(browser, desk):
    base, root, clock = desk
    pg = browser.new_page()
    login(pg, base)
    pg.goto(base + "/articles/content/2026/01/kaiju.md")
    assert pg.locator("#f-title").input_value() == "凝心聚力开新局"
    clock.offset += 61 * 60  # an hour at lunch
    pg.fill("#f-title", "午饭后改的标题")
    go(pg, "button:has-text('保存')")
    assert "登录已过期" in pg.content()
    assert "午饭后" not in (root / "content/2026/01/kaiju.md").read_text(encoding="utf-8")
    pg.click("text=登录编辑部")  # the page's way back
    pg.wait_for_load_state()
    assert pg.url.startswith(base + "/login")
    pg.goto(base + "/articles/content/2026/01/kaiju.md")
    assert pg.url.startswith(base + "/login?next=")
    pg.fill("#name", EDITOR[0])
    pg.fill("#password", EDITOR[1])
    go(pg, "button[type=submit]")
    assert pg.url == base + "/articles/content/2026/01/kaiju.md"  # back where they were
    pg.close()


def test_post_without_csrf_token_is_refused(browser, desk):
    base, root, _clock = desk
    pg = browser.new_page()
    login(pg, base)
    before = sorted(p.name for p in (root / "content" / "2026").iterdir())
    r = pg.request.post(base + "/issues/new", form={"x": "1"})  # the browser's cookie, no token
    assert r.status == 400 and "表单已过期" in r.text()
    # a page of another site posting a form to the desk: SameSite=Lax keeps the cookie away and the
    # token is missing anyway
    evil = browser.new_page()  # a page of its own, as another site's would be
    evil.set_content(f'<form method="post" action="{base}/issues/new"><button>go</button></form>')
    go(evil, "button")
    assert "表单已过期" in evil.content() or "请先登录" in evil.content()
    assert sorted(p.name for p in (root / "content" / "2026").iterdir()) == before
    pg.close()


def test_editor_cannot_approve_or_build_the_final_pdf(browser, desk):
    base, root, _clock = desk
    pg = browser.new_page()
    login(pg, base)
    pg.goto(base + "/issues/2026-01")
    assert "2026年第1期" in pg.inner_text("h1")
    assert pg.locator("button:has-text('批准付印')").count() == 0  # not offered
    token = pg.get_attribute('meta[name="csrf-token"]', "content")
    before = (root / "content/2026/01/issue.yaml").read_bytes()
    r = pg.request.post(base + "/issues/2026-01/approve", form={"csrf_token": token})
    assert r.status == 403 and "只有主编" in r.text()
    r = pg.request.post(base + "/issues/2026-01/jobs", form={"csrf_token": token, "kind": "final"})
    assert r.status == 403 and "只有主编" in r.text()
    assert (root / "content/2026/01/issue.yaml").read_bytes() == before
    assert not (root / "output" / "pdf").exists()
    pg.close()


def test_concurrent_edit_shows_the_conflict_screen(browser, desk):
    base, root, _clock = desk
    a = browser.new_context().new_page()
    b = browser.new_context().new_page()
    login(a, base)
    login(b, base, CHIEF)
    url = base + "/articles/content/2026/01/kaiju.md"
    a.goto(url)
    b.goto(url)
    b.fill("#f-subtitle", "——主编改的副标题")
    go(b, "button:has-text('保存')")
    assert "已保存" in b.inner_text(".flashes")
    a.fill("#f-body", a.locator("#f-body").input_value() + "\n编辑加的一段。\n")
    go(a, "button:has-text('保存')")
    assert "保存被拒绝" in a.inner_text("h1")
    theirs = a.locator("textarea").nth(0).input_value()
    mine = a.locator("textarea").nth(1).input_value()
    assert "主编改的副标题" in theirs and "编辑加的一段" in mine and "编辑加的一段" not in theirs
    text = (root / "content/2026/01/kaiju.md").read_text(encoding="utf-8")
    assert "主编改的副标题" in text and "编辑加的一段" not in text
    go(a, "a:has-text('打开最新版本')")
    assert a.locator("#f-subtitle").input_value() == "——主编改的副标题"


def test_url_with_a_path_outside_the_project(browser, desk):
    base, _root, _clock = desk
    pg = browser.new_page()
    login(pg, base)
    for path in (
        "/articles/content/2026/01/..%2F..%2F..%2Fbulletin.yaml",
        "/output/output%2F..%2F..%2Fetc%2Fpasswd",
        "/preview/content/2026/01/%2E%2E/%2E%2E/%2E%2E/bulletin.yaml",
    ):
        r = pg.goto(base + path)
        assert r.status == 404 and "找不到这个页面" in pg.content() and "root:" not in pg.content(), path
    pg.close()


def test_editor_edits_with_the_preview_beside(browser, desk):
    base, root, _clock = desk
    w = Watched(browser, viewport={"width": 1280, "height": 900})
    pg = w.page
    login(pg, base)
    pg.goto(base + "/articles/content/2026/01/kaiju.md")
    frame = pg.frame_locator("#preview")
    assert "凝心聚力开新局" in frame.locator("h1").first.inner_text()
    pg.locator("#f-body").press("End")
    pg.locator("#f-body").type("\n\n打字之后预览里出现的新句子。")
    frame.locator("text=打字之后预览里出现的新句子").wait_for(timeout=10000)
    assert "打字之后" not in (root / "content/2026/01/kaiju.md").read_text(encoding="utf-8")
    go(pg, "button:has-text('保存')")
    assert "打字之后预览里出现的新句子" in (root / "content/2026/01/kaiju.md").read_text(encoding="utf-8")
    assert w.outside == []
    w.close()
