"""Screenshots of the desk's screens for the editor's guide: docs/images/desk-<screen>-<width>.png.

    python scripts/desk_screenshots.py [--out docs/images]

Runs the desk on a copy of the repository's sample bulletin (bulletin.yaml + content/) in a temporary
folder, with two accounts, and drives Debian's chromium (Playwright) through each screen at 1280 px and
768 px wide: login, issues, an issue, reviewing a Word import, the article editor, the conflict screen,
the punctuation fix, the history and a build's progress. Needs the test extras (playwright, python-docx).
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bulletin.desk import accounts  # noqa: E402
from bulletin.desk.app import create_app  # noqa: E402
from bulletin.desk.server import running  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
ISSUE = "2026-01"
ARTICLE = "content/2026/01/quanshi-huiyi.md"
WIDTHS = {1280: 860, 768: 1000}


def word_file() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("代表联络站里的一天", style="Title")
    d.add_paragraph("——记清溪区河湾街道人大代表联络站")
    d.add_paragraph("■ 陈碧海")
    d.add_paragraph("上午九点,联络站的门刚打开,就有几位居民来反映小区停车难的问题。")
    d.add_paragraph("值班的两位代表一边听一边记,答应三天内给出答复。")
    d.add_paragraph("图为代表在联络站接待群众")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def login(page, base: str, name: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#name", name)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def shoot(page, out: Path, name: str, width: int) -> None:
    path = out / f"desk-{name}-{width}.png"
    page.screenshot(path=str(path))
    print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "images")
    args = ap.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="desk-shots-") as tmp:
        root = Path(tmp) / "qingchuan"
        root.mkdir()
        shutil.copy(REPO / "bulletin.yaml", root / "bulletin.yaml")
        shutil.copytree(REPO / "content", root / "content")
        accounts.add_user(root, "wangxm", "editor", "editor-pass-1", "王晓明")
        accounts.add_user(root, "lizb", "chief", "chief-pass-1", "李主编")
        # a sentence with half-width marks, for the check's warning and the punctuation screen
        path = root / ARTICLE
        path.write_text(path.read_text(encoding="utf-8") + "\n会议强调,要把代表建议办理好,让群众满意.\n",
                        encoding="utf-8")  # fmt: skip
        with running(create_app(root)) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for width, height in WIDTHS.items():
                ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
                page = ctx.new_page()
                page.on("dialog", lambda d: d.accept())
                page.goto(base + "/login")
                page.fill("#name", "wangxm")
                shoot(page, out, "login", width)
                login(page, base, "wangxm", "editor-pass-1")
                shoot(page, out, "issues", width)
                page.goto(f"{base}/issues/{ISSUE}")
                page.wait_for_selector("#findings[data-loaded]", timeout=120000)
                shoot(page, out, "issue", width)
                mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                doc = {"name": "联络站.docx", "buffer": word_file(), "mimeType": mime}
                page.set_input_files("#upload-files", [doc])
                page.click("#upload button[type=submit]")
                page.wait_for_selector(".upload-list li.ok a", timeout=60000)
                with page.expect_navigation():
                    page.click(".upload-list li.ok a")
                shoot(page, out, "import", width)
                page.goto(f"{base}/articles/{ARTICLE}")
                page.wait_for_timeout(800)  # the preview frame's page
                shoot(page, out, "article", width)
                page.goto(f"{base}/articles/{ARTICLE}/punctuation")
                shoot(page, out, "punctuation", width)
                # the conflict: the file changes on disk while the page is open
                page.goto(f"{base}/articles/{ARTICLE}")
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace("会议强调", "会议要求"), encoding="utf-8")
                page.fill("#f-subtitle", "——王晓明改的副标题")
                with page.expect_navigation():
                    page.click("button:has-text('保存')")
                shoot(page, out, "conflict", width)
                page.goto(f"{base}/articles/{ARTICLE}")
                page.fill("#f-tags", "代表联络站、代表工作、履职")
                with page.expect_navigation():
                    page.click("button:has-text('保存')")
                page.goto(f"{base}/articles/{ARTICLE}/history")
                shoot(page, out, "history", width)
                page.goto(f"{base}/issues/{ISSUE}")
                with page.expect_navigation():
                    page.click("button[value=proof]")
                done = "() => /完成|失败/.test(document.querySelector('.job-state').textContent)"
                page.wait_for_function(done, timeout=300000)
                shoot(page, out, "job", width)
                ctx.close()
                # the chief editor's view of the issue: approval and the final PDF
                ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
                page = ctx.new_page()
                login(page, base, "lizb", "chief-pass-1")
                page.goto(f"{base}/issues/{ISSUE}")
                page.wait_for_selector("#findings[data-loaded]", timeout=120000)
                shoot(page, out, "issue-chief", width)
                ctx.close()
            browser.close()


if __name__ == "__main__":
    main()
