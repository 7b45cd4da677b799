"""`bulletin wechat`: the WeChat (公众号) version of articles (bulletin/wechat/)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_cli, write

from bulletin.wechat.body import ALLOWED_TAGS

ARTICLE = """---
title: 凝心聚力开新局
subtitle: ——在常委会党组会议上的讲话
section: feature
authors: 王明远
affiliation: 测试县人大常委会
source: 测试日报
author_note: 作者系测试县人大常委会主任
---
新的一年开始了，我们要把各项工作谋划好、落实好。这是第一段，
内容涉及“两个联系”制度[^1]和2026年的安排，详见[门户网站](https://www.example.cn/a)。

## 一、抓好代表工作

**一是完善代表联络站建设。**

1. 完善代表联络站建设。
2. 办好代表建议。

![大幅照片：常委会会议现场](images/big.jpg)

正文继续。

![第二张：示意图](images/chart.png)

[^1]: 即联系代表、联系群众。
"""

POEM = """---
title: 春到河畔
section: poetry
authors: [李青]
affiliation: 云南
---
::: poem
一

春风吹绿了河岸
柳枝　轻轻摇

燕子回来了
:::
"""

BRIEFS = """---
title: 工作动态
section: news
---
●1月3日，测试市人大常委会召开主任会议。

●1月4日，常委会机关开展新年走访慰问。
"""


def _project(tmp_path: Path) -> Path:
    from PIL import Image

    root = tmp_path / "proj"
    config = (
        "title: 测试人大\npublisher: 测试市人大常委会办公室主办\nfrequency: semimonthly\n"
        "sections:\n  - {id: feature, name: 特别关注}\n  - {id: news, name: 工作动态}\n"
        "  - {id: poetry, name: 人大文苑}\n"
    )
    write(root / "bulletin.yaml", config)
    issue = root / "content" / "2026" / "01"
    write(issue / "issue.yaml", "number: 1\ntotal: 25\ndate: 2026-01-05\n")
    write(issue / "kaiju.md", ARTICLE)
    write(issue / "shi.md", POEM)
    write(issue / "dongtai.md", BRIEFS)
    (issue / "images").mkdir()
    Image.new("RGB", (2400, 1600), (180, 40, 40)).save(issue / "images" / "big.jpg", quality=80)
    Image.new("RGB", (600, 300), (40, 80, 160)).save(issue / "images" / "chart.png")
    return root


@pytest.fixture
def wx(tmp_path: Path) -> Path:
    root = _project(tmp_path)
    r = run_cli("--root", str(root), "wechat", "2026-01")
    assert r.returncode == 0, r.stderr
    return root


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _content(path: Path) -> str:
    """The exported section of article.html (what the copy button copies)."""
    text = path.read_text(encoding="utf-8")
    return text[text.index("<body>") + 6 : text.index("</body>")].strip()


def _check_plain(fragment: str) -> None:
    p = _Tags()
    p.feed(fragment)
    assert p.tags, fragment
    for tag, attrs in p.tags:
        assert tag in ALLOWED_TAGS, tag
        assert not {"class", "id"} & attrs.keys(), (tag, attrs)
        assert set(attrs) <= {"style", "src", "alt", "colspan", "rowspan"}, (tag, attrs)
        for size in re.findall(r"font-size:\s*([^;]+)", attrs.get("style", "")):
            assert size.strip().endswith("px"), size
    assert not re.search(r"<(script|style|link)\b", fragment, re.I)
    assert "url(" not in fragment


def test_issue_export_files_and_images(wx: Path) -> None:
    from PIL import Image

    out = wx / "output" / "wechat" / "2026-01"
    assert sorted(p.name for p in out.iterdir()) == ["dongtai", "index.html", "kaiju", "shi"]
    kaiju = out / "kaiju"
    assert sorted(p.name for p in kaiju.iterdir()) == ["01.jpg", "02.png", "article.html", "preview.html"]
    with Image.open(kaiju / "01.jpg") as im:
        assert im.size == (1080, 720) and im.format == "JPEG"
    with Image.open(kaiju / "02.png") as im:
        assert im.size == (600, 300) and im.format == "PNG"  # narrower than the limit: not enlarged
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="kaiju/preview.html"' in index and "凝心聚力开新局" in index


def test_export_is_plain_inline_styled_markup(wx: Path) -> None:
    out = wx / "output" / "wechat" / "2026-01"
    for name in ("kaiju", "shi", "dongtai"):
        _check_plain(_content(out / name / "article.html"))
    html = _content(out / "kaiju" / "article.html")
    # the header: title, subtitle, byline as printed, and the source and author note at the end
    for text in (
        "凝心聚力开新局",
        "——在常委会党组会议上的讲话",
        "（测试县人大常委会　王明远）",
        "据《测试日报》",
        "（作者系测试县人大常委会主任）",
        "原载《测试人大》2026年第1期",
    ):
        assert text in html, text
    assert "text-align: justify" in html and "line-height" in html
    assert re.search(r'<p style="[^"]*text-indent: 2em[^"]*">新的一年开始了', html)
    # a soft line break inside Chinese text is no space
    assert "这是第一段，内容涉及" in html
    # headings become bold paragraphs, lists numbered paragraphs, links their text and address
    assert re.search(r"<p [^>]*><strong [^>]*>一、抓好代表工作</strong></p>", html)
    assert re.search(r">1\.</span>完善代表联络站建设。</p>", html)
    assert "门户网站</span>" not in html or "（https://www.example.cn/a）" in html
    assert "（https://www.example.cn/a）" in html
    # figures: picture, then its caption under it, in one centred section, pictures renamed in order
    m = re.search(r'<section style="[^"]*text-align: center[^"]*"><img [^>]*src="01\.jpg"[^>]*>'
                  r'<p style="([^"]*)">大幅照片：常委会会议现场</p></section>', html)  # fmt: skip
    assert m and "font-size: 14px" in m.group(1)
    assert html.index('src="01.jpg"') < html.index('src="02.png"')
    # footnotes: the reference as [1], the note at the end under 注释
    assert "[1]</span>" in html and "注释" in html and "[1] 即联系代表、联系群众。" in html
    poem = _content(out / "shi" / "article.html")
    assert "■ 李青（云南）" in poem
    assert re.search(r'<p style="[^"]*text-align: center[^"]*">春风吹绿了河岸<br>柳枝　轻轻摇</p>', poem)
    assert re.search(r'<p style="[^"]*text-align: center[^"]*font-weight: bold[^"]*">一</p>', poem)
    briefs = _content(out / "dongtai" / "article.html")
    assert re.search(r'<p style="[^"]*text-indent: 0[^"]*"><span style="[^"]*">●</span>1月3日', briefs)
    assert "工作动态</p><p" not in briefs.split("1月3日")[0].replace("工作动态</p>", "", 1)  # no kicker twice


def test_preview_page_works_offline(wx: Path) -> None:
    preview = (wx / "output" / "wechat" / "2026-01" / "kaiju" / "preview.html").read_text(encoding="utf-8")
    assert "复制正文" in preview and "navigator.clipboard" in preview and "execCommand" in preview
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", preview)  # nothing from the network
    assert _content(wx / "output" / "wechat" / "2026-01" / "kaiju" / "article.html") in preview
    assert "01.jpg、02.png" in preview


def test_one_article_replaces_only_its_folder(wx: Path) -> None:
    out = wx / "output" / "wechat" / "2026-01"
    stamp = (out / "shi" / "article.html").stat().st_mtime_ns
    (out / "kaiju" / "stale.txt").write_text("old", encoding="utf-8")
    r = run_cli("--root", str(wx), "wechat", "2026-01", "kaiju.md")
    assert r.returncode == 0, r.stderr
    assert not (out / "kaiju" / "stale.txt").exists()
    assert (out / "shi" / "article.html").stat().st_mtime_ns == stamp
    assert "output/wechat/2026-01/kaiju/preview.html" in r.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_unknown_issue_or_article_writes_nothing(wx: Path) -> None:
    before = _tree(wx / "output" / "wechat")
    r = run_cli("--root", str(wx), "wechat", "2026-01", "nosuch")
    assert r.returncode == 1
    assert "找不到文章 nosuch" in r.stderr and "kaiju" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("--root", str(wx), "wechat", "2026-09")
    assert r.returncode == 1 and "找不到第 2026-09 期" in r.stderr
    assert _tree(wx / "output" / "wechat") == before


def test_bad_content_refuses_export(wx: Path) -> None:
    before = _tree(wx / "output" / "wechat")
    art = wx / "content" / "2026" / "01" / "kaiju.md"
    art.write_text(ARTICLE.replace("section: feature", "section: nosuch"), encoding="utf-8")
    r = run_cli("--root", str(wx), "wechat", "2026-01")
    assert r.returncode == 1, r.stderr
    assert "content/2026/01/kaiju.md:4" in r.stderr and "Traceback" not in r.stderr
    assert _tree(wx / "output" / "wechat") == before


def test_project_stylesheet_cannot_add_what_wechat_drops(tmp_path: Path) -> None:
    root = _project(tmp_path)
    css = (Path(__file__).parent.parent / "templates" / "wechat" / "wechat.css").read_text(encoding="utf-8")
    css += "\n.title { position: absolute; font-size: 2em; background: url(http://evil.example/x.png); }\n"
    css = '@import url("http://evil.example/a.css");\n' + css
    write(root / "templates" / "wechat" / "wechat.css", css)
    r = run_cli("--root", str(root), "wechat", "2026-01", "kaiju")
    assert r.returncode == 0, r.stderr
    assert "templates/wechat/wechat.css" in r.stderr and "position: absolute" in r.stderr
    html = _content(root / "output" / "wechat" / "2026-01" / "kaiju" / "article.html")
    _check_plain(html)
    assert "evil.example" not in html and "position" not in html and "2em" not in html.split("</p>")[0]


def test_phone_photo_is_turned_upright(tmp_path: Path) -> None:
    from PIL import Image

    root = _project(tmp_path)
    photo = root / "content" / "2026" / "01" / "images" / "big.jpg"
    im = Image.new("RGB", (1600, 1200), (10, 120, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    im.save(photo, exif=exif)
    r = run_cli("--root", str(root), "wechat", "2026-01", "kaiju")
    assert r.returncode == 0, r.stderr
    with Image.open(root / "output" / "wechat" / "2026-01" / "kaiju" / "01.jpg") as out:
        assert out.size == (1080, 1440)
        assert 0x0112 not in out.getexif()


def test_links_in_output_are_not_followed(tmp_path: Path) -> None:
    root = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    (root / "output").mkdir()
    (root / "output" / "wechat").symlink_to(elsewhere, target_is_directory=True)
    r = run_cli("--root", str(root), "wechat", "2026-01")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    wechat = root / "output" / "wechat"
    assert not wechat.is_symlink() and (wechat / "2026-01" / "kaiju" / "article.html").is_file()


def test_help_is_chinese_by_default(tmp_path: Path) -> None:
    r = run_cli("wechat", "--help")
    assert r.returncode == 0 and "导出微信公众号版本" in r.stdout
    r = run_cli("--lang", "en", "wechat", "--help")
    assert "Export the WeChat" in r.stdout


# --- in the browser -------------------------------------------------------------------------------


def _screenshot_content(page) -> bytes:
    """The exported content as drawn (from the whole page: the preview's sticky bar would cover it)."""
    box = page.locator("#wechat-content").bounding_box()
    page.evaluate("window.scrollTo(0, 0)")
    return page.screenshot(full_page=True, clip=box)


def _pixels_differ(a: bytes, b: bytes) -> float:
    """The share of pixels that differ between two screenshots (1.0 when their sizes differ)."""
    import io

    from PIL import Image, ImageChops

    ia, ib = Image.open(io.BytesIO(a)).convert("RGB"), Image.open(io.BytesIO(b)).convert("RGB")
    if ia.size != ib.size:
        return 1.0
    diff = ImageChops.difference(ia, ib).convert("L").point(lambda v: 255 if v > 16 else 0)
    return sum(diff.histogram()[255:]) / (ia.width * ia.height)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_copied_html_renders_the_same_without_styles_or_classes(wx: Path, browser, width: int) -> None:
    folder = wx / "output" / "wechat" / "2026-01" / "kaiju"
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])  # fmt: skip
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(folder.joinpath("preview.html").as_uri())
        page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width  # no sideways scrolling
        shown = _screenshot_content(page)
        box = page.locator("#wechat-content").bounding_box()

        page.click("#copy-button")
        page.wait_for_function("document.getElementById('copy-status').textContent.includes('已复制')")
        copied = page.evaluate(
            """async () => {
                const items = await navigator.clipboard.read();
                const blob = await items[0].getType('text/html');
                return await blob.text();
            }"""
        )
        _check_plain(copied)
        # Chromium writes the pictures' addresses out in full (file:///…/01.jpg)
        assert "凝心聚力开新局" in copied and re.search(r'src="[^"]*/01\.jpg"', copied)
        assert errors == []

        # the copied HTML alone, in a page with no stylesheet, at the width it had in the preview
        bare = context.new_page()
        bare.goto(folder.joinpath("article.html").as_uri())  # same folder, so the pictures load
        bare.evaluate(
            """([html, box]) => {  // at the same (sub-pixel) place, so text is drawn on the same grid
                document.body.style.margin = '0';
                document.body.innerHTML = '<div id="wechat-content" style="margin: ' + (box.y % 1) + 'px 0 0 '
                    + box.x + 'px; width:' + box.width + 'px">' + html + '</div>';
            }""",
            [copied, box],
        )
        bare.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
        assert _pixels_differ(shown, _screenshot_content(bare)) < 0.001

        # the preview page itself with every <style> and class attribute removed
        page.evaluate(
            """(box) => {
                const c = document.getElementById('wechat-content');
                document.querySelectorAll('style, link[rel=stylesheet]').forEach(s => s.remove());
                document.querySelectorAll('[class]').forEach(e => e.removeAttribute('class'));
                // where it was, as wide as it was (the page around it has lost its layout)
                Object.assign(c.style, {position: 'absolute', left: box.x + 'px', top: box.y + 'px',
                                        width: box.width + 'px', background: 'white'});
            }""",
            box,
        )
        assert _pixels_differ(shown, _screenshot_content(page)) < 0.001
    finally:
        context.close()


@pytest.mark.browser
def test_copy_falls_back_to_selecting_the_content(wx: Path, browser) -> None:
    folder = wx / "output" / "wechat" / "2026-01" / "shi"
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.add_init_script("window.ClipboardItem = undefined;")  # a browser without the Clipboard API
        page.add_init_script(
            """document.addEventListener('copy', () => {
                const sel = window.getSelection();
                window.__copied = sel.rangeCount ? sel.getRangeAt(0).cloneContents().textContent : '';
            });"""
        )
        page.goto(folder.joinpath("preview.html").as_uri())
        page.click("#copy-button")
        page.wait_for_function("document.getElementById('copy-status').textContent.length > 0")
        copied = page.evaluate("window.__copied || ''")
        expected = page.evaluate("document.getElementById('wechat-content').textContent")
        assert copied == expected and "春风吹绿了河岸" in copied
        assert "已复制" in page.text_content("#copy-status")
    finally:
        context.close()


def test_sample_issue_exports(tmp_path: Path) -> None:
    """The repository's sample issue with photos, a poem and briefs exports without a warning."""
    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy(repo / "bulletin.yaml", root / "bulletin.yaml")
    shutil.copytree(repo / "content" / "2026" / "01", root / "content" / "2026" / "01")
    shutil.copytree(repo / "content" / "_fillers", root / "content" / "_fillers")  # print.fillers
    r = run_cli("--root", str(root), "wechat", "2026-01")
    assert r.returncode == 0, r.stderr
    assert "警告" not in r.stderr, r.stderr
    out = root / "output" / "wechat" / "2026-01"
    for article in out.glob("*/article.html"):
        _check_plain(_content(article))
    assert sorted(p.name for p in (out / "xiaozu-huodong").glob("0*")) == [f"0{i}.jpg" for i in range(1, 6)]


def test_body_markup_of_tables_quotes_code_and_nested_lists() -> None:
    from bulletin.markdown import render_body
    from bulletin.wechat.body import wechat_markup

    md = (
        "> 引用的话。\n\n| 项目 | 数量 |\n|:--|--:|\n| 联络站 | 42 |\n\n```\ncode  line\n```\n\n"
        "- 甲\n  - 乙\n\n3. 丙\n4. 丁\n\n---\n\n~~删去~~ *强调* `x`\n"
    )
    out = wechat_markup(render_body(md).html, lambda src: src)
    assert re.search(r'<section class="quote"><p class="quote-p">引用的话。</p></section>', out)
    assert '<td class="td" style="text-align: right;">42</td>' in out and '<th class="th"' in out
    assert '<section class="pre">code\u00a0\u00a0line</section>' in out
    assert '<p class="li li-1"><span class="li-mark">•</span>甲</p><p class="li li-2">' in out
    assert '<span class="li-mark">3.</span>丙' in out and '<span class="li-mark">4.</span>丁' in out
    assert (
        '<hr class="hr">' in out
        and '<span class="del">删去</span>' in out
        and '<span class="em">强调</span>' in out
    )
    tags = set(re.findall(r"<([a-z0-9]+)", out))
    assert tags <= ALLOWED_TAGS, tags


def test_raw_html_cannot_bring_scripts_styles_or_remote_pictures(tmp_path: Path) -> None:
    root = _project(tmp_path)
    config = root / "bulletin.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "site: {allow_html: true}\n", encoding="utf-8")
    write(
        root / "content" / "2026" / "01" / "shi.md",
        POEM
        + '\n<div id="x" class="evil" style="position: fixed; top: 0">浮层<script>alert(1)</script></div>\n\n'
        '<p onclick="alert(2)">段落<img src="http://evil.example/t.gif">'
        '<a href="javascript:alert(3)">点</a></p>\n\n'
        '<iframe src="http://evil.example/"></iframe><style>p{color:red}</style>\n',
    )
    r = run_cli("--root", str(root), "wechat", "2026-01", "shi")
    assert r.returncode == 0, r.stderr
    html = _content(root / "output" / "wechat" / "2026-01" / "shi" / "article.html")
    _check_plain(html)
    assert "evil.example" not in html and "alert" not in html and "position" not in html
    assert "浮层" in html and "段落" in html
    preview = (root / "output" / "wechat" / "2026-01" / "shi" / "preview.html").read_text(encoding="utf-8")
    assert "evil.example" not in preview and "alert(" not in preview


def test_issue_and_article_as_editors_write_them(wx: Path) -> None:
    for issue, article in (("2026年第1期", "kaiju"), ("2026-1", "content/2026/01/kaiju.md")):
        r = run_cli("--root", str(wx), "wechat", issue, article)
        assert r.returncode == 0, r.stderr
        assert "output/wechat/2026-01/kaiju/" in r.stderr


def test_summary_is_the_text_not_a_caption(wx: Path) -> None:
    art = wx / "content" / "2026" / "01" / "kaiju.md"
    art.write_text(
        ARTICLE.replace("新的一年开始了", "![开头的照片](images/big.jpg)\n\n新的一年开始了", 1),
        encoding="utf-8",
    )
    r = run_cli("--root", str(wx), "wechat", "2026-01", "kaiju")
    assert r.returncode == 0, r.stderr
    preview = (wx / "output" / "wechat" / "2026-01" / "kaiju" / "preview.html").read_text(encoding="utf-8")
    summary = re.search(r"<dt>摘要</dt><dd>(.*?)</dd>", preview).group(1)
    assert summary.startswith("新的一年开始了") and len(summary) <= 120
