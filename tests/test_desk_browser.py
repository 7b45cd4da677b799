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
    evil.close()  # an open keep-alive connection holds the desk's server thread at teardown
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
    a.context.close()
    b.context.close()


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


def upload(page, files: list[tuple[str, bytes]] | list[Path], section: str = "") -> list[str]:
    """Choose `files` (names and bytes, or files on disk) in the issue page's upload box and send them;
    the texts of the upload list."""
    if section:
        page.select_option("#upload-section", section)
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    chosen = [f if isinstance(f, Path) else {"name": f[0], "mimeType": mime, "buffer": f[1]} for f in files]
    done = page.locator(".upload-list li.ok, .upload-list li.err").count()
    page.set_input_files("#upload-files", chosen)
    page.click("#upload button[type=submit]")
    page.wait_for_function(
        "n => document.querySelectorAll('.upload-list li.ok, .upload-list li.err').length >= n",
        arg=done + len(files), timeout=60000,
    )  # fmt: skip
    return page.locator(".upload-list li").all_inner_texts()[-len(files) :]


def wait_for_job(page, timeout: float = 240000) -> str:
    page.wait_for_function(
        "() => /完成|失败/.test(document.querySelector('.job-state').textContent)", timeout=timeout
    )
    return page.inner_text(".job-state")


def test_an_issue_from_start_to_print(browser, desk):
    """An editor starts an issue, imports two Word files, reviews them, fixes a warning, reorders and
    makes a proof; the chief editor approves and makes the final PDF; the site is built."""
    base, root, _clock = desk
    w = Watched(browser, viewport={"width": 1280, "height": 900})
    pg = w.page
    pg.on("dialog", lambda d: d.accept())
    login(pg, base)
    assert "2026年第1期 总第25期" in pg.inner_text("table.issues")
    go(pg, "button:has-text('开始下一期')")
    assert "2026年第2期 总第26期" in pg.inner_text("h1")
    assert (root / "content/2026/02/issue.yaml").is_file()
    issue_url = pg.url
    # two Word files at once
    first = word_file("基层立法联系点建设取得新进展", ["市人大常委会在各县区设立基层立法联系点。" * 5],
                      byline="■ 陈碧海")  # fmt: skip
    second = word_file("代表联络站里的一天", ["上午九点,联络站开门接待群众,代表们认真记录每一条意见." * 4])
    texts = upload(pg, [("立法联系点.docx", first), ("联络站.docx", second)], section="news")
    assert all("核对导入结果" in t for t in texts), texts
    # review the first: what the import recognised, corrected in the form
    go(pg, ".upload-list li:nth-child(1) a")
    assert pg.locator("#f-title").input_value() == "基层立法联系点建设取得新进展"
    assert "陈碧海" in pg.locator("#f-authors").input_value()
    pg.fill("#f-subtitle", "——来自县区的报告")
    go(pg, "button:has-text('保存为文章')")
    assert "已保存为" in pg.inner_text(".flashes")
    pg.goto(issue_url)
    go(pg, "#upload a:has-text('代表联络站里的一天')")  # the other import waits in the issue's list
    go(pg, "button:has-text('保存为文章')")
    pg.goto(issue_url)
    before = pg.locator("ol[data-section=news] li .title a").all_inner_texts()
    assert sorted(before) == ["代表联络站里的一天", "基层立法联系点建设取得新进展"], before
    # fix a warning: the half-width punctuation of the second file
    pg.wait_for_selector("#findings[data-loaded]")
    finding = pg.locator("#findings li", has_text="联络站").filter(has_text="改正标点").first
    assert "半角" in finding.inner_text()
    with pg.expect_navigation():
        finding.locator("a:has-text('改正标点')").click()
    assert "开门接待群众，联络站" not in pg.inner_text("pre.diff")
    assert "+" in pg.inner_text("pre.diff") and "，" in pg.inner_text("pre.diff")
    go(pg, "button:has-text('应用改动')")
    assert "已改正标点" in pg.inner_text(".flashes")
    rel2 = pg.url.split("/articles/", 1)[1]
    assert "开门接待群众，代表们" in (root / rel2).read_text(encoding="utf-8")
    pg.goto(issue_url)
    pg.wait_for_selector("#findings[data-loaded]")
    assert pg.locator("#findings li", has_text="联络站").filter(has_text="改正标点").count() == 0
    # reorder by dragging the second above the first
    items = pg.locator("ol[data-section=news] li[data-relpath]")
    with pg.expect_navigation():
        items.nth(1).drag_to(items.nth(0), target_position={"x": 20, "y": 3})
    titles = pg.locator("ol[data-section=news] li .title a").all_inner_texts()
    assert titles == before[::-1], titles
    first_rel = pg.locator("ol[data-section=news] li[data-relpath]").first.get_attribute("data-relpath")
    assert "order: 1" in (root / first_rel).read_text(encoding="utf-8")
    # and with the keyboard: the first one down again
    pg.locator("ol[data-section=news] li[data-relpath]").first.locator("button[value=down]").focus()
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    assert pg.locator("ol[data-section=news] li .title a").all_inner_texts() == before
    # and into another section, from the menu beside it
    row = pg.locator("ol[data-section=news] li[data-relpath]").first
    row.locator("select[name=to_section]").select_option("feature")
    with pg.expect_navigation():
        row.locator("button[value=section]").click()
    assert pg.locator("ol[data-section=feature] li .title a").all_inner_texts()[-1] == before[0]
    moved = pg.locator("ol[data-section=feature] li[data-relpath]").last.get_attribute("data-relpath")
    assert "section: feature" in (root / moved).read_text(encoding="utf-8")
    # the proof
    go(pg, "button[value=proof]")
    assert wait_for_job(pg) == "完成", pg.inner_text(".joblog")
    link = pg.locator(".job-outputs a").first
    pdf = pg.request.get(base + link.get_attribute("href"))
    assert (
        pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    )
    # the editor may not approve: the chief editor does
    pg.goto(issue_url)
    assert pg.locator("button:has-text('批准付印')").count() == 0
    go(pg, "button:has-text('退出')")
    login(pg, base, CHIEF)
    pg.goto(issue_url)
    go(pg, "button:has-text('批准付印')")
    assert "已批准" in pg.inner_text(".flashes") and "李主编" in pg.inner_text(".page-head")
    go(pg, "button[value=final]")
    assert wait_for_job(pg) == "完成", pg.inner_text(".joblog")
    href = pg.locator(".job-outputs a").first.get_attribute("href")
    assert href.endswith("output/pdf/2026-02.pdf") and pg.request.get(base + href).status == 200
    # the site
    pg.goto(issue_url)
    go(pg, "button[value=site]")
    assert wait_for_job(pg) == "完成", pg.inner_text(".joblog")
    with pg.context.expect_page() as tab:  # the site opens in a tab of its own
        pg.locator(".job-outputs a:has-text('打开网站')").click()
    site = tab.value
    site.wait_for_load_state()
    assert "测试人大" in site.title() and "2026年第2期" in site.content()
    assert w.outside == []
    w.close()


def test_uploads_that_are_refused(browser, desk, tmp_path):
    """A 50 MB file, a program renamed .docx, and names that try to climb out of the project."""
    base, root, _clock = desk
    pg = browser.new_page()
    login(pg, base)
    pg.goto(base + "/issues/2026-01")
    before = {p for p in root.rglob("*")}
    big = tmp_path / "大文件.docx"
    big.write_bytes(b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))
    (text,) = upload(pg, [big])
    assert "太大" in text, text
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 4000  # the start of a Windows program
    (text,) = upload(pg, [("稿件.docx", exe)])
    assert "大文件" not in text and "Word" in text, text
    good = word_file("路径里的花招", ["这篇稿件的文件名想跳出项目文件夹。"])
    texts = upload(pg, [("../../../../tmp/evil.docx", good), ("..\\..\\windows\\evil2.docx", good)])
    assert all("核对导入结果" in t for t in texts), texts
    after = {p for p in root.rglob("*")} - before
    # the drafts, and the check's load cache (output/.bulletin/): nothing else, nowhere else
    allowed = (root / ".desk", root / "output" / ".bulletin")
    stray = [
        p for p in after if p != root / "output" and not any(p.resolve().is_relative_to(a) for a in allowed)
    ]
    assert after and not stray, stray
    assert not (root.parent / "tmp").exists() and not list(root.parent.glob("evil*"))
    go(pg, ".upload-list li:nth-child(3) a")
    go(pg, "button:has-text('保存为文章')")
    rel = pg.url.split("/articles/", 1)[1]
    assert rel.startswith("content/2026/01/") and ".." not in rel and (root / rel).is_file()
    pg.close()
