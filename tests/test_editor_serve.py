"""`bulletin serve` as an editor uses it: a browser on the preview, edits picked up and reloaded, a broken
file shown as an overlay naming file and line, recovery when fixed, the print PDF on request."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_cli

KAIJU = "content/2026/01/kaiju.md"


class Serve:
    """`python build.py serve --port 0` in the background, its terminal output collected."""

    def __init__(self, root: Path) -> None:
        env = {**os.environ, "BULLETIN_LANG": "zh"}
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--root", str(root), "serve", "--port", "0"],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self.url = ""
        ready = threading.Event()

        def read():
            for line in self.proc.stderr:
                self.lines.append(line)
                m = re.search(r"预览已启动：(http://127\.0\.0\.1:\d+/)", line)
                if m:
                    self.url = m.group(1)
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        assert ready.wait(60), "".join(self.lines)

    @property
    def terminal(self) -> str:
        return "".join(self.lines)

    def get(self, path: str) -> tuple[int, str, bytes]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=60) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read()

    def status(self) -> dict:
        return json.loads(self.get("/__bulletin/status")[2])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    s = Serve(root)
    yield root, s
    s.stop()


def edit(root: Path, rel: str, old: str, new: str) -> None:
    p = root / rel
    p.write_text(p.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def wait_for(predicate, timeout: float = 10) -> float:
    t0 = time.perf_counter()
    while not predicate():
        assert time.perf_counter() - t0 < timeout, "timed out"
        time.sleep(0.05)
    return time.perf_counter() - t0


def test_preview_is_served_with_the_live_script_but_never_built_with_it(served):
    root, s = served
    status, ctype, body = s.get("/")
    assert status == 200 and ctype.startswith("text/html")
    assert b'<script src="/__bulletin/live.js"></script></body>' in body
    assert s.get("/2026/01/kaiju.html")[0] == 200
    assert s.get("/__bulletin/live.js")[1].startswith("text/javascript")
    assert s.get("/../bulletin.yaml")[0] in (403, 404)
    on_disk = root / "output/.preview/site/index.html"
    assert on_disk.is_file() and b"__bulletin" not in on_disk.read_bytes()
    assert not (root / "output/site").exists()  # the published output is not touched
    assert s.status()["ok"] is True
    # a real build never carries the preview script
    assert run_cli("--root", str(root), "build", "--no-pdf").returncode == 0
    assert not [p for p in (root / "output/site").rglob("*.html") if b"__bulletin" in p.read_bytes()]


def test_rebuilds_on_settings_and_new_articles(served):
    root, s = served
    v = s.status()["version"]
    edit(root, "bulletin.yaml", "title: 测试人大", "title: 改名人大")
    wait_for(lambda: s.status()["version"] > v)
    assert "改名人大".encode() in s.get("/")[2]
    (root / "content/2026/01/xin.md").write_text(
        "---\ntitle: 新写的一篇\nsection: news\n---\n正文。\n", encoding="utf-8"
    )
    wait_for(lambda: s.get("/2026/01/xin.html")[0] == 200)
    assert "新写的一篇".encode() in s.get("/2026/01/xin.html")[2]
    # editors' temporary files do not trigger builds (first let any rebuild still under way finish)
    v = s.status()["version"]
    while True:
        time.sleep(0.8)
        if s.status()["version"] == v:
            break
        v = s.status()["version"]
    (root / "content/2026/01/~$gao.docx").write_bytes(b"lock")
    (root / "content/2026/01/.kaiju.md.swp").write_bytes(b"swap")
    time.sleep(1.0)
    assert s.status()["version"] == v


def test_pdf_as_it_will_print(served):
    root, s = served
    status, ctype, body = s.get("/__bulletin/pdf/2026-01.pdf")
    assert status == 200 and ctype == "application/pdf" and body.startswith(b"%PDF")
    assert (root / "output/.preview/pdf/2026-01.pdf").is_file() and not (root / "output/pdf").exists()


def test_port_in_use(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        r = run_cli("--root", str(root), "serve", "--port", str(port), timeout=30)
    assert r.returncode == 1 and f"端口 {port} 已被占用" in r.stderr and f"--port {port + 1}" in r.stderr


@pytest.mark.browser
def test_browser_reloads_and_shows_errors(served, browser):
    root, s = served
    page = browser.new_page()
    try:
        page.goto(s.url + "2026/01/kaiju.html")
        page.wait_for_function("() => document.title.includes('凝心聚力开新局')")
        page.wait_for_timeout(300)  # the page is listening for rebuilds

        # an edit appears by itself
        t0 = time.perf_counter()
        edit(root, KAIJU, "title: 凝心聚力开新局", "title: 凝心聚力谱新篇")
        page.wait_for_function("() => document.title.includes('凝心聚力谱新篇')", timeout=10000)
        reload_seconds = time.perf_counter() - t0
        assert reload_seconds < 2.0, reload_seconds

        # a broken file: an overlay naming file and line, the page kept
        edit(root, KAIJU, "section: feature", "section: [feature")
        overlay = page.locator("#bulletin-overlay")
        overlay.wait_for(timeout=10000)
        text = overlay.inner_text()
        assert "content/2026/01/kaiju.md:4" in text and "YAML 格式错误" in text and "如何修改" in text
        assert "section: [feature" in text  # the offending line itself
        assert "4 | section: [feature\n  | " + " " * 9 + "^" in text  # and a caret under the bracket
        assert "content/2026/01/kaiju.md:4" in s.terminal  # and in the terminal

        # fixed: the overlay goes, the page reloads with the new text
        edit(root, KAIJU, "section: [feature", "section: feature")
        overlay.wait_for(state="detached", timeout=10000)
        page.wait_for_function("() => document.title.includes('凝心聚力谱新篇')", timeout=10000)
        page.wait_for_selector("#bulletin-pdf")

        # the print PDF button on issue and article pages
        button = page.locator("#bulletin-pdf")
        assert button.get_attribute("href") == "/__bulletin/pdf/2026-01.pdf"
    finally:
        page.close()
    print(f"serve picked up the edit in {reload_seconds:.2f} s")


def test_the_overlay_gets_the_caret_under_the_right_character(served):
    """The status the overlay draws from carries the line, the column and what goes before the caret
    (an ideographic space under each Chinese character, so the caret lands under the mistake)."""
    root, s = served
    v = s.status()["version"]
    edit(root, KAIJU, "section: feature", "section feature")  # the colon forgotten on line 4
    wait_for(lambda: s.status()["version"] > v)
    [d] = [d for d in s.status()["diagnostics"] if d["severity"] == "error"]
    assert (d["location"], d["source"], d["caret"]) == (f"{KAIJU}:4:1", "section feature", "")
    v = s.status()["version"]
    edit(root, KAIJU, "section feature", "section: feature")
    edit(root, KAIJU, "title: 凝心聚力开新局", "title: 凝心聚力: 开新局")
    wait_for(lambda: s.status()["version"] > v and not s.status()["ok"])
    [d] = [d for d in s.status()["diagnostics"] if d["severity"] == "error"]
    assert d["location"] == f"{KAIJU}:2:12" and d["caret"] == " " * 7 + "\u3000" * 4
    assert "^" in s.get("/__bulletin/live.js")[2].decode()  # the script draws it


def _reset(port: int, send: bytes) -> None:
    """Connect, send `send`, and close with a TCP reset (SO_LINGER 0), as a browser tab closed mid-request."""
    import struct

    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    if send:
        sock.sendall(send)
        time.sleep(0.05)
    sock.close()


def test_a_browser_that_goes_away_prints_nothing(served):
    root, s = served
    port = int(s.url.rsplit(":", 1)[1].strip("/"))
    before = s.terminal
    for send in (
        b"",
        b"GET / HTTP/1.1\r\n",
        b"GET /__bulletin/events HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /2026/01/kaiju.html HTTP/1.1\r\nHost: x\r\n\r\n" * 50,
    ):
        for _ in range(5):
            _reset(port, send)
    time.sleep(0.5)
    assert s.get("/")[0] == 200  # still serving
    assert s.terminal == before, s.terminal[len(before) :]


def test_only_requests_naming_this_computer_are_answered(served):
    """DNS rebinding: a page on evil.example made to resolve to 127.0.0.1 sends Host: evil.example; it
    must not read the preview (drafts) or the diagnostics with their source lines."""
    root, s = served
    port = int(s.url.rsplit(":", 1)[1].strip("/"))
    for host, code in (
        (f"127.0.0.1:{port}", 200),
        (f"localhost:{port}", 200),
        ("LOCALHOST", 200),
        (f"evil.example:{port}", 403),
        ("evil.example", 403),
        ("127.0.0.1.evil.example", 403),
    ):
        for path in ("/", "/__bulletin/status", "/2026/01/kaiju.html"):
            req = urllib.request.Request(s.url + path.lstrip("/"), headers={"Host": host})
            try:
                with urllib.request.urlopen(req, timeout=60) as r:
                    got, body = r.status, r.read()
            except urllib.error.HTTPError as e:
                got, body = e.code, e.read()
            assert got == code, (host, path, got)
            if code == 403:
                assert "凝心聚力".encode() not in body and b"diagnostics" not in body


def test_other_errors_in_a_request_are_still_printed(tmp_path, capsys):
    from bulletin.editor.serve import Preview, PreviewServer

    server = PreviewServer(Preview(tmp_path), 0)
    try:
        for exc in (ConnectionResetError(104, "reset"), BrokenPipeError(32, "pipe"), ValueError("a bug")):
            try:
                raise exc
            except Exception:
                server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    err = capsys.readouterr().err
    assert "ValueError: a bug" in err and "ConnectionResetError" not in err and "BrokenPipeError" not in err


@pytest.mark.browser
def test_preview_shows_word_counts_and_the_page_estimate(served, browser):
    """The preview's panel: the article's 字数 on an article page, the issue's 字数 and estimated pages."""
    from bulletin.build import check
    from bulletin.print.estimate import estimate_pages
    from bulletin.wordcount import count_article

    root, s = served
    data = json.loads(s.get("/__bulletin/counts/2026-01.json")[2])
    archive, _ = check(root)
    issue = archive.issue("2026-01")
    kaiju = next(a for a in issue.articles if a.slug == "kaiju")
    assert data["articles"]["kaiju"]["chars"] == count_article(kaiju).total
    assert data["issue"]["printed"] == estimate_pages(archive, issue).printed_pages
    assert s.get("/__bulletin/counts/2099-01.json")[0] == 404
    page = browser.new_page()
    try:
        page.goto(s.url + "2026/01/kaiju.html")
        panel = page.wait_for_selector("#bulletin-counts", timeout=10000)
        text = panel.inner_text()
        assert f"本文 {count_article(kaiju).total:,} 字" in text
        assert f"本期 {len(issue.articles)} 篇" in text and f"印刷 {data['issue']['printed']} 页" in text
        page.screenshot(path=os.environ.get("BULLETIN_SHOT", str(root / "counts.png")))
    finally:
        page.close()


def test_the_overlay_and_the_pdf_button_speak_the_editors_language():
    from bulletin import messages
    from bulletin.editor.serve import live_script

    try:
        messages.set_language("en")
        english = live_script()
    finally:
        messages.set_language("zh")
    chinese = live_script()
    assert "Print PDF" in english and "the preview is not up to date" in english and "打印版" not in english
    assert "打印版 PDF" in chinese and "预览暂未更新" in chinese and "Print PDF" not in chinese


def test_a_rebuild_reads_again_only_the_issue_folders_that_changed(tmp_path, monkeypatch):
    """The preview keeps the loaded issues between rebuilds: after a save, only the saved file's issue
    folder is read again; the site is the one a fresh build makes; a change to bulletin.yaml (or outside
    content/) loads everything again, and so do the warnings of the issues kept in memory."""
    import bulletin.content.loader as loader
    from bulletin.build import BuildOptions, build
    from bulletin.editor.serve import Preview

    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "site_basic", root)
    loaded: list[str] = []
    real = loader.load_issue

    def counting(root_, folder, *args, **kwargs):
        loaded.append(folder.relative_to(root_).as_posix())
        return real(root_, folder, *args, **kwargs)

    monkeypatch.setattr(loader, "load_issue", counting)
    preview = Preview(root)
    preview.rebuild()
    assert preview.state.ok and len(set(loaded)) > 1
    warnings = {d.format() for d in preview.state.diagnostics}
    article = sorted((root / "content").glob("*/*/*.md"))[0]
    folder = article.parent.relative_to(root).as_posix()
    edit(root, article.relative_to(root).as_posix(), "。", "。补一句。")
    loaded.clear()
    preview.note_changes([article])
    preview.rebuild()
    assert preview.state.ok and loaded == [folder]
    assert {d.format() for d in preview.state.diagnostics} == warnings  # kept issues' warnings replayed
    fresh = tmp_path / "fresh"
    build(BuildOptions(root=root, pdf=False, out_dir=fresh))
    site = preview.site_dir
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert files == {p.relative_to(fresh / "site").as_posix(): p.read_bytes()
                     for p in (fresh / "site").rglob("*") if p.is_file()}
    loaded.clear()
    preview.note_changes([root / "bulletin.yaml"])
    preview.rebuild()
    assert len(set(loaded)) > 1
