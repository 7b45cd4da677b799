"""The bad-input corpus: tests/bad_inputs/<case>/ — broken content trees and what the editor must be told.

Each case is the minimal fixture (tests/fixtures/minimal) plus the files in <case>/files/, minus `delete`,
plus an optional generated change (binary, huge or symlinked files — GENERATORS below), run as an editor
runs it (`python build.py --all` unless `args` says otherwise) on a project whose output/ was built
before. case.yaml says what must happen:

    exit: 1                      the exit code (0 for warning-only cases)
    expect:                      each diagnostic that must be printed:
      - {at: FILE:LINE, says: text in the message, fix: text in the "how to fix" line}
    unchanged: true              (default) output/ is byte-for-byte what the previous build left

and always: no Python traceback, no "internal error". The same cases are checked in English as well.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.yaml").is_file())
KAIJU = "content/2026/01/kaiju.md"


# --- generated cases: files a test should make rather than keep in git -----------------------


def _kaiju(root: Path) -> Path:
    return root / KAIJU


def gbk_article(root: Path, outside: Path) -> None:
    p = _kaiju(root)
    p.write_bytes(p.read_text(encoding="utf-8").encode("gbk"))


def utf16_article(root: Path, outside: Path) -> None:
    p = _kaiju(root)
    p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16"))


def bom_article(root: Path, outside: Path) -> None:
    p = _kaiju(root)
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())


def crlf_article(root: Path, outside: Path) -> None:
    p = _kaiju(root)
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))


def crlf_error_article(root: Path, outside: Path) -> None:
    p = _kaiju(root)
    text = p.read_text(encoding="utf-8").replace("section: feature", "section: featrue")
    p.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))


def garbage_article(root: Path, outside: Path) -> None:
    rng = random.Random(5)
    _kaiju(root).write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4000))
    )


def huge_article(root: Path, outside: Path) -> None:
    with _kaiju(root).open("r+b") as f:
        f.truncate(50 * 1024 * 1024)  # 50 MB (sparse: the size is what counts)


def huge_image(root: Path, outside: Path) -> None:
    from PIL import Image

    Image.new("L", (20000, 100), 128).save(root / "content/2026/01/images/huiyi.png")


def tiny_image(root: Path, outside: Path) -> None:
    from PIL import Image

    Image.new("RGB", (60, 40), (10, 120, 200)).save(root / "content/2026/01/images/huiyi.png")


def corrupt_image(root: Path, outside: Path) -> None:
    (root / "content/2026/01/images/huiyi.png").write_bytes(b"this is not a picture\n" * 20)


def deep_yaml(root: Path, outside: Path) -> None:
    p = _kaiju(root)
    p.write_text(
        p.read_text(encoding="utf-8").replace("tags: [代表工作]", "tags: " + "[" * 10000 + "]" * 10000),
        encoding="utf-8",
    )


def deep_markdown(root: Path, outside: Path) -> None:
    p = _kaiju(root)
    text = p.read_text(encoding="utf-8")
    head, sep, body = text.partition("---\n新的一年")
    p.write_text(head + "---\n" + ">" * 10000 + " 引文\n\n新的一年" + body, encoding="utf-8")


def huge_paragraph(root: Path, outside: Path) -> None:
    """The first paragraph, 1.8 MB long (600,000 characters, no blank line)."""
    p = _kaiju(root)
    lines = p.read_text(encoding="utf-8").split("\n")
    lines[7] = "新的一年开始了，我们要把各项工作谋划好。" * 30000
    p.write_text("\n".join(lines), encoding="utf-8")


def huge_title(root: Path, outside: Path) -> None:
    p = _kaiju(root)
    p.write_text(p.read_text(encoding="utf-8").replace("凝心聚力开新局", "长" * 100_000), encoding="utf-8")


def _table(rows: int, cols: int) -> str:
    head = "| " + " | ".join(f"列{c}" for c in range(cols)) + " |\n" + "|---" * cols + "|\n"
    return head + "".join("| " + " | ".join(f"{r}-{c}" for c in range(cols)) + " |\n" for r in range(rows))


def _insert_table(root: Path, rows: int, cols: int) -> None:
    p = _kaiju(root)
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("安排。\n", "安排。\n\n" + _table(rows, cols), 1), encoding="utf-8")


def huge_table(root: Path, outside: Path) -> None:
    _insert_table(root, 300, 200)  # header on line 10


def long_table(root: Path, outside: Path) -> None:
    _insert_table(root, 1200, 10)


def symlink_article(root: Path, outside: Path) -> None:
    secret = outside / "secret.md"
    secret.write_text("---\ntitle: 项目外的文件\nsection: news\n---\n不应被读取。\n", encoding="utf-8")
    _kaiju(root).unlink()
    _kaiju(root).symlink_to(secret)


def symlink_issue_folder(root: Path, outside: Path) -> None:
    folder = outside / "issue"
    folder.mkdir()
    (folder / "issue.yaml").write_text("number: 2\ntotal: 26\ndate: 2026-01-20\n", encoding="utf-8")
    (folder / "a.md").write_text("---\ntitle: 外部\nsection: news\n---\n正文。\n", encoding="utf-8")
    (root / "content/2026/02").symlink_to(folder, target_is_directory=True)


def symlink_image(root: Path, outside: Path) -> None:
    img = root / "content/2026/01/images/huiyi.png"
    shutil.copy(img, outside / "photo.png")
    img.unlink()
    img.symlink_to(outside / "photo.png")


def symlink_loop(root: Path, outside: Path) -> None:
    (root / "content/2026/01/loop.md").symlink_to("loop.md")


def print_css_outside(root: Path, outside: Path) -> None:
    css = root / "templates" / "print" / "print.css"
    css.parent.mkdir(parents=True)
    css.write_text(
        '@import url("file:///etc/passwd");\nbody { background: url("https://example.com/t.png") }\n',
        encoding="utf-8",
    )


def _spoil(path: Path, old: str, new: bytes) -> None:
    """Replace the UTF-8 of `old` in the file by the raw bytes `new`."""
    data = path.read_bytes()
    assert old.encode("utf-8") in data, old
    path.write_bytes(data.replace(old.encode("utf-8"), new, 1))


def invalid_utf8_front_matter(root: Path, outside: Path) -> None:
    # one stray byte in otherwise good UTF-8 (a copy-paste from a damaged file): not GBK, not binary
    _spoil(_kaiju(root), "凝心聚力", "凝心".encode() + b"\xff" + "聚力".encode())


def invalid_utf8_body(root: Path, outside: Path) -> None:
    # a character cut in half
    _spoil(_kaiju(root), "这是第一段", "这是".encode() + b"\xe4\xb8" + "第一段".encode())


def invalid_utf8_config(root: Path, outside: Path) -> None:
    _spoil(root / "bulletin.yaml", "测试市人大", b"\xc0\xaf" + "测试市人大".encode())  # an overlong "/"


def invalid_utf8_issue(root: Path, outside: Path) -> None:
    _spoil(root / "content/2026/01/issue.yaml", "新年开篇", "新年".encode() + b"\xed\xa0\x80")  # U+D800


def nul_in_front_matter(root: Path, outside: Path) -> None:
    _spoil(_kaiju(root), "section: feature", b"section: fea\x00ture")


def invalid_utf8_bom_crlf_issue(root: Path, outside: Path) -> None:
    (root / "content/2026/01/issue.yaml").write_bytes(
        b"\xef\xbb\xbfnumber: 1\r\ntotal: 25\r\ndate: 2026-01-05\r\ntitle: ab\xffc\r\n"
    )


def bidi_override(root: Path, outside: Path) -> None:
    # U+202E typed in an article (it shows "局新开" as "开新局"), and written as an escape in issue.yaml
    _spoil(_kaiju(root), "凝心聚力开新局", "凝心聚力\u202e局新开".encode())
    _spoil(root / "content/2026/01/issue.yaml", "title: 新年开篇", b'title: "\\u202egnp.exe"')


def image_name_nfd(root: Path, outside: Path) -> None:
    # the picture's name written with é as e + U+0301 (a Mac), the article's as one character
    import unicodedata

    images = root / "content/2026/01/images"
    (images / "huiyi.png").rename(images / unicodedata.normalize("NFD", "huiyi-café.png"))
    _spoil(_kaiju(root), "images/huiyi.png", unicodedata.normalize("NFC", "images/huiyi-café.png").encode())


def long_qr_url(root: Path, outside: Path) -> None:
    url = "https://www.example.gov.cn/?q=" + "x" * (2500 - 30)
    with (root / "bulletin.yaml").open("a", encoding="utf-8") as f:
        f.write(f"print:\n  qr_codes:\n    - label: 官方网站\n      url: {url}\n")


def huge_number_issue(root: Path, outside: Path) -> None:
    _spoil(root / "content/2026/01/issue.yaml", "number: 1\n", b"number: " + b"9" * 5000 + b"\n")


def windows_unsafe_names(root: Path, outside: Path) -> None:
    """Files an editor on Linux can make but a Windows PC cannot hold (kept out of git for that reason)."""
    issue = root / "content/2026/01"
    (issue / "kaiju.md").rename(issue / "kaiju.md ")  # a trailing space: silently not an article before
    (issue / "images" / "CON.png").write_bytes((issue / "images" / "huiyi.png").read_bytes())


GENERATORS = {
    f.__name__: f
    for f in (
        gbk_article,
        utf16_article,
        bom_article,
        crlf_article,
        crlf_error_article,
        garbage_article,
        huge_article,
        huge_image,
        tiny_image,
        corrupt_image,
        deep_yaml,
        deep_markdown,
        huge_paragraph,
        huge_title,
        huge_table,
        long_table,
        symlink_article,
        symlink_issue_folder,
        symlink_image,
        symlink_loop,
        print_css_outside,
        invalid_utf8_front_matter,
        invalid_utf8_body,
        invalid_utf8_config,
        invalid_utf8_issue,
        nul_in_front_matter,
        huge_number_issue,
        long_qr_url,
        bidi_override,
        image_name_nfd,
        invalid_utf8_bom_crlf_issue,
        windows_unsafe_names,
    )
}


# --- generated cases: paths, templates and resources that lead out of the project -----------------


def _print_settings(root: Path, lines: str) -> None:
    """Append a print: block to bulletin.yaml (its first key lands on line 9 of the minimal fixture)."""
    with (root / "bulletin.yaml").open("a", encoding="utf-8") as f:
        f.write("print:\n" + lines)


def logo_absolute(root: Path, outside: Path) -> None:
    shutil.copy(root / "content/2026/01/images/huiyi.png", outside / "logo.png")
    _print_settings(root, f"  logo: {outside / 'logo.png'}\n")


def logo_escape(root: Path, outside: Path) -> None:
    shutil.copy(root / "content/2026/01/images/huiyi.png", outside / "logo.png")
    _print_settings(root, "  pdf_variant: ''\n  logo: ../outside/logo.png\n")


def logo_symlink_outside(root: Path, outside: Path) -> None:
    shutil.copy(root / "content/2026/01/images/huiyi.png", outside / "logo.png")
    (root / "images").mkdir()
    (root / "images/logo.png").symlink_to(outside / "logo.png")
    _print_settings(root, "  logo: images/logo.png\n")


def logo_directory(root: Path, outside: Path) -> None:
    (root / "images").mkdir()
    _print_settings(root, "  logo: images\n")


def icc_profile_device(root: Path, outside: Path) -> None:
    (root / "icc").mkdir()
    (root / "icc/printer.icc").symlink_to("/dev/zero")
    _print_settings(root, "  icc_profile: icc/printer.icc\n")


def icc_profile_fifo(root: Path, outside: Path) -> None:
    (root / "icc").mkdir()
    os.mkfifo(root / "icc/printer.icc")
    _print_settings(root, "  icc_profile: icc/printer.icc\n")


SECRET = "secret-outside-the-project"


def template_symlink_outside(root: Path, outside: Path) -> None:
    (outside / "secret.html").write_text(SECRET + "\n", encoding="utf-8")
    (root / "templates/site").mkdir(parents=True)
    (root / "templates/site/404.html").symlink_to(outside / "secret.html")


def templates_folder_symlink_outside(root: Path, outside: Path) -> None:
    (outside / "templates/site").mkdir(parents=True)
    (outside / "templates/site/404.html").write_text(SECRET + "\n", encoding="utf-8")
    (root / "templates").symlink_to(outside / "templates", target_is_directory=True)


def static_symlink_outside(root: Path, outside: Path) -> None:
    (root / "templates/site/static").mkdir(parents=True)
    (root / "templates/site/static/notes.txt").symlink_to("/etc/passwd")


GENERATORS.update(
    {
        f.__name__: f
        for f in (
            logo_absolute,
            logo_escape,
            logo_symlink_outside,
            logo_directory,
            icc_profile_device,
            icc_profile_fifo,
            template_symlink_outside,
            templates_folder_symlink_outside,
            static_symlink_outside,
        )
    }
)


# --- generated cases: build state under output/.bulletin/ that must never run code ---------------


class _TouchesAMarker:
    """Unpickling this would run `touch <project>/pwned-by-build-state`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        import shlex

        return (os.system, (f"touch {shlex.quote(str(self.marker))}",))


def crafted_build_state(root: Path, outside: Path) -> None:
    import pickle

    payload = pickle.dumps({"salt": "x", "entries": _TouchesAMarker(root / "pwned-by-build-state")})
    state = root / "output" / ".bulletin"
    for rel in ("load-cache.state", "search/pages.state", "load-cache.pickle", "search/pages.pickle"):
        (state / rel).write_bytes(payload)


GENERATORS[crafted_build_state.__name__] = crafted_build_state


# --- running the corpus -------------------------------------------------------------------------


def snapshot(out: Path) -> dict[str, str]:
    """The published trees and the manifest describing them. (Caches under output/.bulletin/ may be
    refreshed by any run, failed or not: they are not output — test_output checks deleting them.)"""
    return {
        rel: hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and (
            not (rel := p.relative_to(out).as_posix()).startswith(".bulletin/")
            or rel == ".bulletin/manifest.json"
        )
    }


@dataclass
class Outcome:
    case: dict
    root: Path
    returncode: int
    stderr: str
    stdout: str
    before: dict
    after: dict


def prepare(name: str, base: Path, work: Path) -> tuple[dict, Path]:
    case = yaml.safe_load((CORPUS / name / "case.yaml").read_text(encoding="utf-8"))
    root = work / name / "proj"
    outside = work / name / "outside"
    outside.mkdir(parents=True)
    shutil.copytree(base, root, symlinks=True)
    for rel in case.get("delete") or []:
        p = root / rel
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    files = CORPUS / name / "files"
    if files.is_dir():
        shutil.copytree(files, root, dirs_exist_ok=True)
    if case.get("generate"):
        GENERATORS[case["generate"]](root, outside)
    return case, root


def run(root: Path, args: list[str], lang: str = "zh") -> subprocess.CompletedProcess:
    env = {**os.environ, "BULLETIN_LANG": lang}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    """Every case run once (two at a time), on copies of one previously built project."""
    work = tmp_path_factory.mktemp("bad")
    base = work / "base"
    shutil.copytree(FIXTURES / "minimal", base)
    r = run(base, ["build", "--all"])
    assert r.returncode == 0, r.stderr

    def one(name: str) -> Outcome:
        case, root = prepare(name, base, work)
        before = snapshot(root / "output")
        r = run(root, case.get("args") or ["build", "--all"])
        return Outcome(case, root, r.returncode, r.stderr, r.stdout, before, snapshot(root / "output"))

    with ThreadPoolExecutor(2) as pool:
        return dict(zip(CASES, pool.map(one, CASES), strict=True))


def blocks(stderr: str) -> list[str]:
    """Diagnostics as printed: a head line, then indented excerpt and fix lines."""
    out: list[str] = []
    for line in stderr.splitlines():
        if line.startswith(" ") and out:
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def find_diagnostic(stderr: str, at: str, says: str) -> str | None:
    where = re.compile(rf"^{re.escape(at)}(:\d+)?: ") if at else re.compile(r"^[^:\s]*")
    for b in blocks(stderr):
        head = b.split("\n", 1)[0]
        if where.match(head) and says in head:
            return b
    return None


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", CASES)
def test_bad_input(outcomes, name):
    o = outcomes[name]
    case = o.case
    text = o.stderr + o.stdout
    assert "Traceback" not in text and "内部错误" not in text, text
    assert o.returncode == case["exit"], text
    for e in case["expect"]:
        block = find_diagnostic(o.stderr, e["at"], e["says"])
        assert block is not None, f"expected {e['at']}: …{e['says']}… in:\n{o.stderr}"
        if e.get("fix"):
            fix = block.split("如何修改: ", 1)
            assert len(fix) == 2 and e["fix"] in fix[1], f"no fix mentioning {e['fix']!r} in:\n{block}"
    if case["exit"] == 1:
        assert "未生成任何文件，已有的输出保持不变" in o.stderr or "找不到" in o.stderr
    if case.get("unchanged", True):
        assert o.after == o.before, "output/ changed"
    extra = case.get("extra") or {}
    for name_ in extra.get("absent", []):
        assert not (o.root / name_).exists() and not (REPO / name_).exists()
    if "page" in extra:
        page = (o.root / "output" / extra["page"]).read_text(encoding="utf-8")
        assert extra["page_has"] in page
        for text in extra.get("page_lacks", []):
            assert text not in page, f"{text!r} reached {extra['page']}"


# Cases whose build fails for a reason `check` cannot see, and why (docs/architecture.md, "What check
# cannot find"). Every other case that fails to build must fail `check` too.
BUILD_ONLY = {
    "site-template-runtime-error": "a project template fails only when a page is rendered with it",
    "image-too-small-for-print": "a photo's printed width, hence its resolution, is known after layout",
}


def check_args(case: dict) -> list[str]:
    """What the case's build was given that `check` takes too: the issues named (2026-01), --drafts."""
    args = case.get("args") or ["build", "--all"]
    assert args[0] == "build", args
    return [a for a in args[1:] if not a.startswith("-") or a == "--drafts"]


@pytest.mark.parametrize(
    # build-state-crafted: `check` reads no build state, so it has nothing to say about it
    "name", [n for n in CASES if n not in BUILD_ONLY and n != "build-state-crafted"]
)
def test_bad_input_in_english(outcomes, name, capsys):
    """`--lang en check` names the same places, in English, with a fix for every error."""
    from bulletin import messages
    from bulletin.cli import main

    o = outcomes[name]
    code = 0
    try:
        main(["--root", str(o.root), "--lang", "en", "check", *check_args(o.case)])
    except SystemExit as exc:
        code = exc.code
    finally:
        messages.set_language("zh")
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == o.case["exit"]
    for e in o.case["expect"]:
        where = re.compile(rf"^{re.escape(e['at'])}(:\d+)?: ")
        heads = [b for b in blocks(err) if where.match(b) or not e["at"]]
        assert any(re.search(r"(error|warning): .*[A-Za-z]{3,}", b) for b in heads), err
    for b in blocks(err):
        if re.match(r"^\S.*: error: ", b):
            assert "\n    fix: " in b, b


def test_every_build_only_case_is_in_the_corpus():
    assert set(BUILD_ONLY) <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_check_refuses_what_build_refuses(outcomes, name, capsys):
    """`check`, given the issues the build was given, exits 1 whenever `build` did (the build's exit code
    is the corpus run's, not run again): every check that can fail a build runs while loading."""
    from bulletin.cli import main

    o = outcomes[name]
    code = 0
    try:
        main(["--root", str(o.root), "check", *check_args(o.case)])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if name in BUILD_ONLY:
        assert o.returncode == 1 and code == 0, f"{name} is no longer build-only: remove it from BUILD_ONLY"
    elif o.returncode == 1:
        assert code == 1, f"build refused {name} but check passed it:\n{o.stderr}\n---- check:\n{err}"


# --- hostile HTML against the built pages ------------------------------------------------------

XSS_BODY = """正文<script>alert("xss-marker")</script>

<img src=images/huiyi.png onerror="alert('xss-marker')"><svg onload="alert('xss-marker')"></svg>

<a href="javascript:alert('xss-marker')">链接一</a> [链接二](javascript:alert('xss-marker'))
[链接三](JaVaScRiPt:alert('xss-marker')) <a href="&#106;avascript:alert('xss-marker')">四</a>

<iframe src="javascript:alert('xss-marker')"></iframe><object data="x"></object>
<div style="background:url(javascript:alert('xss-marker'))" onclick="alert('xss-marker')">块</div>

![说明"><script>alert('xss-marker')</script>](images/huiyi.png)

<style>body{display:none}</style><base href="http://evil.example/"><meta http-equiv="refresh" content="0;url=http://evil.example/">
"""


class _Scripts(HTMLParser):
    """What could run in a reader's browser: inline or foreign scripts, frames, handlers, script URLs."""

    URL_ATTRS = {
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "poster",
        "srcset",
        "xlink:href",
        "background",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self._in_script = True
            src = a.get("src") or ""
            if not src or "://" in src or src.startswith(("//", "javascript", "data")):
                self.problems.append(f"script src={src!r}")
        if tag in ("iframe", "object", "embed", "base", "svg") or (tag == "meta" and "http-equiv" in a):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:  # text attributes (alt, title, content) may quote anything: they are text
            v = "".join(ch for ch in (value or "") if ch > " ").lower()
            if (
                name.startswith("on")
                or (name in self.URL_ATTRS and v.startswith(("javascript:", "vbscript:")))
                or (name == "style" and "javascript:" in v)
            ):
                self.problems.append(f"{tag} {name}={value!r}")

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("inline script")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


@pytest.mark.parametrize("allow_html", [False, True])
def test_hostile_html_never_reaches_a_built_page(tmp_path, allow_html):
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    if allow_html:
        with (root / "bulletin.yaml").open("a", encoding="utf-8") as f:
            f.write("site: {allow_html: true}\n")
    (root / "content/2026/01/xss.md").write_text(
        "---\ntitle: \"<script>alert('xss-marker')</script>标题\"\nsection: news\n"
        'authors: ["\\"><img src=x onerror=alert(1)>"]\n'
        'summary: "</title><script>alert(\'xss-marker\')</script>"\n'
        'tags: ["<b onmouseover=alert(1)>标签"]\n---\n' + XSS_BODY,
        encoding="utf-8",
    )
    r = run(root, ["build", "--no-pdf"])
    assert r.returncode == 0, r.stderr
    pages = [p for p in (root / "output/site").rglob("*") if p.suffix in (".html", ".xml")]
    assert any("xss" in p.name for p in pages)
    for page in pages:
        parser = _Scripts()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not parser.problems, (page.name, parser.problems)
