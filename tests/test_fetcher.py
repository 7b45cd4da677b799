"""bulletin/print/fetcher.py, confine.py and preflight's naming: what print may read, and who asked."""

from __future__ import annotations

import base64
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli, write

from bulletin.print.confine import OUTSIDE, REMOTE, UNREADABLE
from bulletin.print.fetcher import ConfinedFetcher
from bulletin.print.render import PROJECT_PREFIX, PROJECT_URL


@pytest.fixture
def fetcher(tmp_path) -> tuple[ConfinedFetcher, Path]:
    root = tmp_path / "proj"
    (root / "images").mkdir(parents=True)
    (root / "images/a.png").write_bytes(b"\x89PNG fake")
    return ConfinedFetcher([root], {PROJECT_PREFIX: root}), root


@pytest.mark.parametrize(
    "url, why",
    [
        ("https://example.com/x.png", REMOTE),
        ("ftp://example.com/x.png", REMOTE),
        ("file:///etc/passwd", OUTSIDE),
        ("file://localhost/etc/passwd", OUTSIDE),
        ("file://evil.example/etc/passwd", OUTSIDE),
        (PROJECT_URL + "../../etc/passwd", OUTSIDE),
        (PROJECT_URL + "%2e%2e/%2e%2e/etc/passwd", OUTSIDE),
        (PROJECT_URL + "images/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd", OUTSIDE),
        ("file:///proc/self/environ", OUTSIDE),
        (PROJECT_URL + "images/missing.png", UNREADABLE),
        (PROJECT_URL + "images", UNREADABLE),  # a folder
    ],
)
def test_refused(fetcher, url, why):
    f, _root = fetcher
    with pytest.raises(ValueError):
        f.fetch(url)
    assert f.why[url] == why and url in f.refused


def test_project_files_and_data_urls_load(fetcher):
    f, root = fetcher
    assert f.fetch(PROJECT_URL + "images/a.png").read() == b"\x89PNG fake"
    assert f.fetch((root / "images/a.png").as_uri()).read() == b"\x89PNG fake"
    inner = "data:text/plain;base64," + base64.b64encode(b"data:image/png;base64,AAAA").decode()
    assert f.fetch(inner).read() == b"data:image/png;base64,AAAA"  # a data: URL in a data: URL is only bytes
    assert not f.refused


def test_links_out_and_pipes_are_refused_without_waiting(fetcher, tmp_path):
    f, root = fetcher
    (tmp_path / "secret.png").write_bytes(b"secret")
    (root / "images/link.png").symlink_to(tmp_path / "secret.png")
    (root / "images/zero.png").symlink_to("/dev/zero")
    os.mkfifo(root / "images/fifo.png")
    done = threading.Event()

    def fetch_all():
        for name, why in (("link.png", OUTSIDE), ("zero.png", OUTSIDE), ("fifo.png", UNREADABLE)):
            with pytest.raises(ValueError):
                f.fetch(PROJECT_URL + "images/" + name)
            assert f.why[PROJECT_URL + "images/" + name] == why
        done.set()

    t = threading.Thread(target=fetch_all, daemon=True)
    t.start()
    t.join(10)
    assert done.is_set(), "the fetcher waited on a pipe"


def test_a_logo_in_the_project_still_prints(tmp_path):
    """The fetcher's folders are fixed (the project, the defaults): no longer widened to the logo's
    folder, a logo in the project's images/ still loads."""
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    (root / "images").mkdir()
    shutil.copy(root / "content/2026/01/images/huiyi.png", root / "images/logo.png")
    with (root / "bulletin.yaml").open("a", encoding="utf-8") as fh:
        fh.write("print:\n  logo: images/logo.png\n")
    r = run_cli("--root", str(root), "build", "2026-01")
    assert r.returncode == 0, r.stderr


def _issue_with(tmp_path, css: str = "", body_extra: str = "") -> Path:
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    with (root / "bulletin.yaml").open("a", encoding="utf-8") as fh:
        fh.write("site: {allow_html: true}\n")
    if css:
        write(root / "templates/print/print.css", css)
    if body_extra:
        with (root / "content/2026/01/kaiju.md").open("a", encoding="utf-8") as fh:
            fh.write(body_extra)
    return root


def test_a_refused_raw_html_picture_is_named_at_its_article_line(tmp_path):
    """What the fetcher refuses for an article's raw <img> (say a link swapped to lead out after check)
    is named at the article and line that asked for it, as a picture — not at bulletin.yaml."""
    from bulletin.build import load
    from bulletin.diagnostics import Report
    from bulletin.print.preflight import Findings, load_problems
    from bulletin.print.render import project_uri

    root = _issue_with(tmp_path, body_extra='\n<img src="images/huiyi.png" alt="x">\n')
    archive = load(root, Report(root))
    issue = archive.issue("2026-01")
    url = project_uri(root, root / "content/2026/01/images/huiyi.png")
    findings = Findings(failed_images=[url], refused_why={url: OUTSIDE})
    problems = load_problems(archive, issue, findings, {})
    lines = (root / "content/2026/01/kaiju.md").read_text(encoding="utf-8").splitlines()
    raw_line = next(n for n, t in enumerate(lines, 1) if t.startswith("<img"))
    places = {(str(p[1]), p[2], p[3]) for p in problems}
    article = str(root / "content/2026/01/kaiju.md")
    assert (article, raw_line, "pf_outside_image") in places
    assert all(p[1] != "bulletin.yaml" for p in problems)


@pytest.mark.parametrize(
    "css, line, kind",
    [
        ('@import url("file:///etc/passwd");\n', 1, "样式表"),
        ('p {}\n@font-face {\n  font-family: S;\n  src: url("/etc/passwd");\n}\n', 4, "字体"),
        ("p {}\n\nbody { background: url(https://example.com/t.png) }\n", 3, "图片"),
        ('@font-face { font-family: S; src: url("/bulletin-project/%2e%2e/%2e%2e/etc/x") }\n', 1, "字体"),
    ],
)
def test_print_css_refusals_name_the_stylesheet_line_and_kind(tmp_path, css, line, kind):
    root = _issue_with(tmp_path, css=css)
    for args in (["check"], ["build", "2026-01"]):  # check reads the stylesheet; the build renders it
        r = run_cli("--root", str(root), *args)
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert f"templates/print/print.css:{line}: 错误: {kind} " in r.stderr, r.stderr
        assert "bulletin.yaml:" not in r.stderr
