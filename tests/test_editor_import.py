"""`bulletin import FILE.docx`: Word documents the tests make themselves (python-docx), as editors receive
them — title, —— subtitle, bylines, source lines, author notes, headings, lists, tables, footnotes, images."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import run_cli
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from PIL import Image

from bulletin.content.yamlfile import parse
from bulletin.diagnostics import Report
from bulletin.editor.docx_import import escape, escape_line_start

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def add_footnotes(document, notes: list[str]) -> None:
    """python-docx cannot write footnotes: add word/footnotes.xml as Word does."""
    xml = (
        f'<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0">'
        "<w:p><w:r><w:continuationSeparator/>"
        "</w:r></w:p></w:footnote>"
    )
    for i, text in enumerate(notes, 1):
        xml += (
            f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}'
            "</w:t></w:r></w:p></w:footnote>"
        )
    xml += "</w:footnotes>"
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def footnote_ref(paragraph, i: int) -> None:
    paragraph.add_run()._r.append(parse_xml(f'<w:footnoteReference {W} w:id="{i}"/>'))


def picture(fmt: str = "PNG", size=(60, 40)) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buf, fmt)
    buf.seek(0)
    return buf


def speech_docx(path: Path) -> Path:
    """A speech with everything: Title style, —— subtitle, ■ byline, source, headings (Word's and bold
    一、 lines), lists, a table, a footnote, a captioned picture, an author note."""
    d = docx.Document()
    d.add_paragraph("强化开局之谋 展现开局之为", style="Title")
    d.add_paragraph("——在第38次主任会议上的讲话")
    d.add_paragraph("■ 和建华 陈碧海（云南）")
    p = d.add_paragraph("　　新的一年已经开始，我们要把各项工作谋划好、落实好。")
    footnote_ref(p, 1)
    d.add_heading("一、抓好代表工作", level=1)
    d.add_paragraph("完善代表联络站建设。", style="List Number")
    d.add_paragraph("办好代表建议。", style="List Number")
    d.add_heading("（一）联络站", level=2)
    d.add_paragraph("要点甲", style="List Bullet")
    p = d.add_paragraph()
    p.add_run("二、加强监督工作").bold = True
    p = d.add_paragraph("这是")
    p.add_run("加粗").bold = True
    p.add_run("和")
    p.add_run("斜体").italic = True
    p.add_run("文字，面积 100 m")
    p.add_run("2").font.superscript = True
    p.add_run("。")
    t = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "项目", (0, 1): "数量", (1, 0): "建议", (1, 1): "127"}.items():
        t.cell(r, c).text = text
    d.add_picture(picture())
    d.add_paragraph("常委会会议现场", style="Caption")
    d.add_paragraph("1. 手工编号的段落，*星号*与#井号")
    d.add_paragraph("（作者系某县人大常委会主任）")
    add_footnotes(d, ["见《代表法》第二十条。"])
    d.save(path)
    return path


def import_(project: Path, doc: Path, *args: str):
    return run_cli("--root", str(project), "import", str(doc), "--issue", "2026-01", *args)


def front_matter(path: Path) -> dict:
    return parse(path.read_text(encoding="utf-8").split("---\n")[1], "x", Report()).data


def test_a_speech_becomes_an_article(project, tmp_path):
    doc = speech_docx(tmp_path / "讲话稿.docx")
    r = import_(project, doc, "--section", "feature")
    assert r.returncode == 0, r.stderr
    path = project / "content/2026/01/qiang-hua-kai-ju-zhi-mou-zhan-xian-kai-ju-zhi-wei.md"
    assert f"已导入 讲话稿.docx → {path.relative_to(project).as_posix()}" in r.stderr
    assert front_matter(path) == {
        "title": "强化开局之谋 展现开局之为",
        "subtitle": "——在第38次主任会议上的讲话",
        "section": "feature",
        "authors": ["和建华", "陈碧海"],
        "affiliation": "云南",
        "author_note": "作者系某县人大常委会主任",
    }
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body.lstrip().startswith(
        "新的一年已经开始，我们要把各项工作谋划好、落实好。[^1]"
    )  # indentation gone
    for piece in (
        "## 一、抓好代表工作",
        "1. 完善代表联络站建设。\n2. 办好代表建议。",
        "### （一）联络站",
        "- 要点甲",
        "## 二、加强监督工作",
        "这是**加粗**和*斜体*文字，面积 100 m²。",
        "| 项目 | 数量 |\n|---|---|\n| 建议 | 127 |",
        "![常委会会议现场](images/qiang-hua-kai-ju-zhi-mou-zhan-xian-kai-ju-zhi-wei-1.png)",
        "1\\. 手工编号的段落，\\*星号\\*与#井号",
        "[^1]: 见《代表法》第二十条。",
    ):
        assert piece in body, piece
    assert "作者系" not in body and "和建华" not in body and "讲话" not in body.split("\n")[1]
    image = project / "content/2026/01/images/qiang-hua-kai-ju-zhi-mou-zhan-xian-kai-ju-zhi-wei-1.png"
    assert Image.open(image).size == (60, 40)
    for found in (
        "标题“强化开局之谋 展现开局之为”",
        "副标题",
        "署名“■ 和建华 陈碧海（云南）”",
        "作者简介",
        "小标题 3 个",
        "列表 2 个",
        "表格 1 个",
        "脚注 1 条",
        "图片 1 张",
    ):
        assert found in r.stderr, found
    # the imported article goes through the build's checks and builds
    b = run_cli("--root", str(project), "build", "--no-pdf")
    assert b.returncode == 0, b.stderr
    page = (project / "output/site/2026/01/qiang-hua-kai-ju-zhi-mou-zhan-xian-kai-ju-zhi-wei.html").read_text(
        "utf-8"
    )
    assert "强化开局之谋 展现开局之为" in page and "<figcaption>常委会会议现场</figcaption>" in page


def test_closing_byline_and_trailing_source(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("五级代表同心抗洪")
    d.add_paragraph("入汛以来，全市各级人大代表投身防汛一线。")
    d.add_paragraph("代表们连续奋战，守护群众平安。 据《人民代表报》")
    d.add_paragraph("（市人大常委会办公室 于慧文）")
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "news")
    assert r.returncode == 0, r.stderr
    path = project / "content/2026/01/wu-ji-dai-biao-tong-xin-kang-hong.md"
    assert front_matter(path) == {
        "title": "五级代表同心抗洪",
        "section": "news",
        "authors": ["于慧文"],
        "affiliation": "市人大常委会办公室",
        "source": "人民代表报",
    }
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body.strip().endswith("守护群众平安。") and "据" not in body


@pytest.mark.parametrize(
    "line,authors,affiliation",
    [
        ("□ 巴彦淖尔市人大代表 梁斌 呼成军", ["梁斌", "呼成军"], "巴彦淖尔市人大代表"),
        ("■ 高福宏 (陕西)", ["高福宏"], "陕西"),
        ("■ 王云", ["王云"], None),
    ],
)
def test_bylines(project, tmp_path, line, authors, affiliation):
    d = docx.Document()
    d.add_paragraph("建好专业代表小组")
    d.add_paragraph(line)
    d.add_paragraph("正文第一段。")
    d.save(tmp_path / "a.docx")
    assert import_(project, tmp_path / "a.docx", "--section", "news").returncode == 0
    fm = front_matter(project / "content/2026/01/jian-hao-zhuan-ye-dai-biao-xiao-zu.md")
    assert fm["authors"] == authors and fm.get("affiliation") == affiliation


def test_what_cannot_be_carried_over_is_reported(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("报告")
    p = d.add_paragraph("甲")
    p.add_run("“两个联系”").bold = True
    p.add_run("乙，下划线").underline = True
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1))
    t.cell(0, 0).text = "合并"
    d.add_comment(p.runs[0], text="请核实", author="审稿人")
    d.add_picture(picture("BMP"))
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "news")
    assert r.returncode == 0, r.stderr
    for note in ("合并单元格", "批注", "下划线", "“两个联系”"):
        assert note in r.stderr.split("未能完整转换")[1], note
    body = (project / "content/2026/01/bao-gao.md").read_text(encoding="utf-8")
    assert "甲“两个联系”乙，下划线" in body  # the text is kept, only the looks are lost
    assert "![](images/bao-gao-1.png)" in body  # the BMP became a PNG
    assert Image.open(project / "content/2026/01/images/bao-gao-1.png").format == "PNG"


def test_huge_picture_is_scaled_down(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("大图")
    d.add_picture(picture("JPEG", (6000, 300)))
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "news")
    assert r.returncode == 0 and "6000×300" in r.stderr
    assert Image.open(project / "content/2026/01/images/da-tu-1.jpg").size == (4000, 200)


def test_import_refuses_to_overwrite(project, tmp_path):
    doc = speech_docx(tmp_path / "a.docx")
    assert import_(project, doc, "--section", "feature").returncode == 0
    images = sorted((project / "content/2026/01/images").iterdir())
    r = import_(project, doc, "--section", "feature")
    assert r.returncode == 1 and "已经存在，没有做任何改动" in r.stderr and "--slug" in r.stderr
    assert sorted((project / "content/2026/01/images").iterdir()) == images
    r = import_(project, doc, "--section", "feature", "--slug", "jianghua")
    assert r.returncode == 0 and (project / "content/2026/01/images/jianghua-1.png").is_file()


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make,says,fix",
    [
        (
            lambda p: _file(p.with_suffix(".doc"), b"\xd0\xcf\x11\xe0old word"),
            "是旧的 Word/WPS 格式",
            "另存为",
        ),
        (lambda p: _file(p, b"PK\x03\x04 broken"), "无法读取 Word 文件", "另存为"),
        (lambda p: _zip(p, {"hello.txt": "x"}), "无法读取 Word 文件", "另存为"),
        # 31 MB of padding in the text (35 KB compressed): mammoth would read it for a quarter of a minute
        (lambda p: _zip(p, {"word/document.xml": " " * (31 << 20)}), "word/document.xml > 30 MB", "另存为"),
        (lambda p: p.parent / "missing.docx", "找不到文件", "文件名"),
    ],
)
def test_unreadable_documents(project, tmp_path, make, says, fix):
    doc = make(tmp_path / "bad.docx")
    r = import_(project, doc, "--section", "news")
    assert r.returncode == 1 and says in r.stderr and fix in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in (project / "content/2026/01").glob("*.md")) == ["kaiju.md", "shi.md"]


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def test_import_needs_an_issue_and_a_section(project, tmp_path):
    doc = speech_docx(tmp_path / "a.docx")
    r = run_cli("--root", str(project), "import", str(doc), "--issue", "2026-05", "--section", "news")
    assert r.returncode == 1 and "第 2026-05 期还不存在" in r.stderr
    r = run_cli("--root", str(project), "import", str(doc), "--issue", "2026-01")
    assert r.returncode == 1 and "请用 --section 指定栏目" in r.stderr


def test_escaping_keeps_text_literal():
    from bulletin.markdown import render_body

    for text in ("*不是强调*", "[不是链接](x)", "<script>", "a_b_c", "&amp;", "`代码`", "~~删~~", "1|2"):
        assert render_body(escape(text)).text == text
    for line in ("# 不是标题", "> 不是引文", "- 不是列表", "1. 不是列表", "3) 也不是", "::: poem", "==="):
        html = render_body(escape_line_start(escape(line))).html
        assert html.startswith("<p>"), html


def _png_header_only(width: int, height: int) -> io.BytesIO:
    """A PNG that claims width × height pixels but holds a few bytes of image data (a decompression bomb's
    shape: decoding it would allocate width × height bytes before finding the data cut short)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    idat = zlib.compress(b"\x00" * (width + 1) * 4)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return io.BytesIO(png)


def test_picture_past_the_pixel_limit_is_left_out_unread(project, tmp_path):
    """A 60,000 × 60,000 picture (3.6 billion pixels) is left out from its header, before decoding it would
    take gigabytes, with its size, the limit and what to do; the rest of the document is imported."""
    d = docx.Document()
    d.add_paragraph("巨图")
    d.add_paragraph("正文一段。")
    d.add_picture(_png_header_only(60000, 60000))
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "news")
    assert r.returncode == 0, r.stderr
    assert "60000×60000" in r.stderr and "100 百万像素" in r.stderr and "缩小" in r.stderr, r.stderr
    assert "正文一段。" in (project / "content/2026/01/ju-tu.md").read_text(encoding="utf-8")
    assert not any((project / "content/2026/01/images").glob("ju-tu-*"))
