"""`bulletin import FILE.docx`: Word documents the tests make themselves (python-docx), as editors receive
them — title, —— subtitle, bylines, source lines, author notes, headings, lists, tables, footnotes, images."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import run_cli
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt
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
    path = project / "content/2026/01/qianghua-kaiju-zhimou.md"
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
        "![常委会会议现场](images/qianghua-kaiju-zhimou-1.png)",
        "1\\. 手工编号的段落，\\*星号\\*与#井号",
        "[^1]: 见《代表法》第二十条。",
    ):
        assert piece in body, piece
    assert "作者系" not in body and "和建华" not in body and "讲话" not in body.split("\n")[1]
    image = project / "content/2026/01/images/qianghua-kaiju-zhimou-1.png"
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
    page = (project / "output/site/2026/01/qianghua-kaiju-zhimou.html").read_text(
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
    path = project / "content/2026/01/wuji-daibiao-tongxin.md"
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
    fm = front_matter(project / "content/2026/01/jian-hao-zhuanye.md")
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
    body = (project / "content/2026/01/baogao.md").read_text(encoding="utf-8")
    assert "甲“两个联系”乙，下划线" in body  # the text is kept, only the looks are lost
    assert "![](images/baogao-1.png)" in body  # the BMP became a PNG
    assert Image.open(project / "content/2026/01/images/baogao-1.png").format == "PNG"


def test_huge_picture_is_scaled_down(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("大图")
    d.add_picture(picture("JPEG", (6000, 300)))
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "news")
    assert r.returncode == 0 and "6000×300" in r.stderr
    assert Image.open(project / "content/2026/01/images/datu-1.jpg").size == (4000, 200)


def test_import_refuses_to_overwrite(project, tmp_path):
    doc = speech_docx(tmp_path / "a.docx")
    assert import_(project, doc, "--section", "feature").returncode == 0
    images = sorted((project / "content/2026/01/images").iterdir())
    r = import_(project, doc, "--section", "feature")
    assert r.returncode == 1 and "本期已有这篇文章" in r.stderr
    assert "--slug" in r.stderr and "--replace" in r.stderr
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
    assert r.returncode == 1 and "请用 --section 指定" in r.stderr and "news（工作动态）" in r.stderr


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
    assert "正文一段。" in (project / "content/2026/01/jutu.md").read_text(encoding="utf-8")
    assert not any((project / "content/2026/01/images").glob("jutu-*"))


# --- manuscripts as they arrive (issue 13) ----------------------------------------------------------


def bold_line(d, text: str):
    p = d.add_paragraph()
    p.add_run(text).bold = True
    return p


def centred(d, text: str):
    p = d.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def body_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2].strip()


def only_article(project: Path, before=("kaiju.md", "shi.md")) -> Path:
    new = [p for p in (project / "content/2026/01").glob("*.md") if p.name not in before]
    assert len(new) == 1, new
    return new[0]


def test_a_poem_keeps_its_stanzas_and_its_byline_mark(project, tmp_path):
    """A poem as editors receive it: a bold title, a □ byline, stanzas separated by empty paragraphs.
    It becomes one ::: poem with the stanza break kept, the □ stays □ in print, the section is guessed."""
    d = docx.Document()
    bold_line(d, "河畔春早")
    d.add_paragraph("□ 李青")
    for stanza in (["春风吹绿了河岸", "柳枝轻轻摇", "孩子们跑过田埂"], ["燕子回来了", "檐下又有了新泥"]):
        for line in stanza:
            d.add_paragraph(line)
        d.add_paragraph("")
    d.save(tmp_path / "诗.docx")
    r = import_(project, tmp_path / "诗.docx")
    assert r.returncode == 0, r.stderr
    path = project / "content/2026/01/hepan-chunzao.md"
    poem = "::: poem\n春风吹绿了河岸\n柳枝轻轻摇\n孩子们跑过田埂\n\n燕子回来了\n檐下又有了新泥\n:::"
    assert body_of(path) == poem
    fm = front_matter(path)
    assert fm["authors"] == ["李青"] and fm["byline_mark"] == "□" and fm["section"] == "poetry"
    assert "诗歌 2 节 5 行" in r.stderr and "栏目 poetry（人大文苑），因为稿件是诗歌" in r.stderr
    from bulletin.build import check
    from bulletin.print.render import byline

    archive, report = check(project)
    assert not report.errors, [d.format() for d in report.errors]
    article = next(a for i in archive.issues for a in i.articles if a.path == path)
    assert byline(article) == ("□ 李青", "mark")
    html = (project / "content").parent  # the site shows the poem as a poem
    b = run_cli("--root", str(html), "build", "--no-pdf")
    assert b.returncode == 0, b.stderr
    page = (project / "output/site/2026/01/hepan-chunzao.html").read_text("utf-8")
    assert '<div class="poem">' in page and "柳枝轻轻摇<br" in page


def test_centred_lines_and_line_breaks_make_a_poem_too(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("山路")
    for line in ("山路弯弯", "通向云端", "代表走过", "留下脚印"):
        centred(d, line)
    d.save(tmp_path / "a.docx")
    assert import_(project, tmp_path / "a.docx", "--section", "news").returncode == 0
    poem = "::: poem\n山路弯弯\n通向云端\n代表走过\n留下脚印\n:::"
    assert body_of(project / "content/2026/01/shanlu.md") == poem
    d = docx.Document()  # Shift+Enter inside a paragraph: each paragraph a stanza
    d.add_paragraph("夜读")
    for stanza in (("灯下翻开旧书", "窗外虫声细细"), ("一页一页", "读到天明")):
        p = d.add_paragraph(stanza[0])
        p.add_run().add_break()
        p.add_run(stanza[1])
    d.save(tmp_path / "b.docx")
    assert import_(project, tmp_path / "b.docx", "--section", "poetry").returncode == 0
    poem = "::: poem\n灯下翻开旧书\n窗外虫声细细\n\n一页一页\n读到天明\n:::"
    assert body_of(project / "content/2026/01/yedu.md") == poem


def test_ordinary_articles_do_not_become_poems(project, tmp_path):
    """Empty paragraphs between ordinary paragraphs, short unpunctuated lines in a news article, a prose
    piece in the poetry section: none of them is a poem."""
    d = docx.Document()
    bold_line(d, "代表联络站回访")
    for text in (
        "入春以来，各代表联络站陆续开展回访活动，听取群众对办理结果的意见和建议。",
        "回访中，代表们逐件核对问题办理进度，对群众不满意的事项重新交办。",
        "下一步，联络站将把回访情况纳入年度考核，推动问题真正解决到位。",
    ):
        d.add_paragraph(text)
        d.add_paragraph("")
    d.save(tmp_path / "a.docx")
    assert import_(project, tmp_path / "a.docx", "--section", "news").returncode == 0
    body = body_of(project / "content/2026/01/daibiao-lianluozhan.md")
    assert ":::" not in body and body.startswith("入春以来") and body.count("\n\n") == 2
    d = docx.Document()
    d.add_paragraph("会议议程")
    for text in ("听取工作报告", "审议决定草案", "通过人事任免", "其他事项"):
        d.add_paragraph(text)
    d.save(tmp_path / "b.docx")
    r = import_(project, tmp_path / "b.docx", "--section", "news")
    assert r.returncode == 0 and "诗歌" not in r.stderr
    assert ":::" not in body_of(project / "content/2026/01/huiyiyicheng.md")
    d = docx.Document()
    d.add_paragraph("故乡的河")
    d.add_paragraph("")
    d.add_paragraph("小时候，我常常跟着祖父到河边去，看他撒网，看夕阳把河水染成金色，一看就是一个下午。")
    d.add_paragraph("")
    d.add_paragraph("如今河岸修起了步道，傍晚散步的人多了，河水也比从前清了，只是再也见不到撒网的人。")
    d.save(tmp_path / "c.docx")
    assert import_(project, tmp_path / "c.docx", "--section", "poetry").returncode == 0
    assert ":::" not in body_of(project / "content/2026/01/guxiang-he.md")


def test_the_paragraph_under_a_photo_is_its_caption(project, tmp_path):
    """Captions as editors write them: 图为…, ▲…, （图…）, a centred or a smaller line right under the
    photo. A body paragraph under a photo stays in the body."""
    d = docx.Document()
    d.add_paragraph("调研纪实")
    d.add_paragraph("代表们深入一线开展调研，听取基层意见建议。")
    d.add_picture(picture())
    d.add_paragraph("图为代表们在联络站听取群众意见。")
    d.add_picture(picture())
    d.add_paragraph("▲ 代表视察水库除险加固工程")
    d.add_picture(picture())
    centred(d, "村民代表发言")
    d.add_picture(picture())
    d.add_paragraph().add_run("调研组查看台账").font.size = Pt(9)
    d.add_picture(picture())
    d.add_paragraph("（图/本刊记者 王云）")
    d.add_picture(picture())
    d.add_paragraph("图书馆的代表之家也向群众开放，代表们在这里轮流值守，接待来访群众，记录他们的意见。")
    d.add_picture(picture())
    d.add_paragraph("图 代表们在村里走访")
    d.add_picture(picture())
    d.add_paragraph("调研结束后，代表们召开座谈会，交流了各自掌握的情况，梳理出三方面的问题。")
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "news")
    assert r.returncode == 0, r.stderr
    body = body_of(project / "content/2026/01/diaoyan-jishi.md")
    for figure in (
        "![图为代表们在联络站听取群众意见。](images/diaoyan-jishi-1.png)",
        "![代表视察水库除险加固工程](images/diaoyan-jishi-2.png)",
        "![村民代表发言](images/diaoyan-jishi-3.png)",
        "![调研组查看台账](images/diaoyan-jishi-4.png)",
        "![图/本刊记者 王云](images/diaoyan-jishi-5.png)",
        "![](images/diaoyan-jishi-6.png)\n\n图书馆的代表之家",  # 图书馆…: body text, not a caption
        "![图 代表们在村里走访](images/diaoyan-jishi-7.png)",
        "![](images/diaoyan-jishi-8.png)\n\n调研结束后，代表们召开座谈会",
    ):
        assert figure in body, (figure, body)
    assert "图片说明 6 条" in r.stderr


def test_an_unmarked_author_line_under_the_title_is_the_byline(project, tmp_path):
    d = docx.Document()
    bold_line(d, "深学细悟 笃行实干")
    d.add_paragraph("——学习贯彻全会精神体会")
    d.add_paragraph("市人大常委会党组理论学习中心组")
    d.add_paragraph("全会对今后一个时期的工作作出了全面部署，我们要认真学习领会。")
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "feature")
    assert r.returncode == 0, r.stderr
    path = only_article(project)
    fm = front_matter(path)
    assert fm["authors"] == ["市人大常委会党组理论学习中心组"] and fm["subtitle"] == "——学习贯彻全会精神体会"
    assert "署名“市人大常委会党组理论学习中心组”（原稿没有 ■" in r.stderr
    assert body_of(path).startswith("全会对今后")
    for line, authors, affiliation in (
        ("张晓明 李红", ["张晓明", "李红"], None),
        ("市人大常委会办公室 于慧文", ["于慧文"], "市人大常委会办公室"),
        ("本刊记者 王云", ["王云"], None),
    ):
        d = docx.Document()
        d.add_paragraph(f"标题{len(line)}")
        d.add_paragraph(line)
        d.add_paragraph("正文第一段。")
        d.save(tmp_path / "b.docx")
        r = import_(project, tmp_path / "b.docx", "--section", "news")
        assert r.returncode == 0, r.stderr
        new = project / f"content/2026/01/biaoti-{len(line)}.md"
        fm = front_matter(new)
        assert fm["authors"] == authors and fm.get("affiliation") == affiliation, (line, fm)
        new.unlink()


@pytest.mark.parametrize(
    "first", ["春天来了", "各位代表：", "王者归来", "一、总体要求", "2026年3月5日", "为民办实事"]
)
def test_a_short_first_paragraph_is_not_a_byline(project, tmp_path, first):
    d = docx.Document()
    d.add_paragraph("一篇文章")
    d.add_paragraph(first)
    d.add_paragraph("这是正文的一段，内容比较长，用来说明前面那一行不是署名。")
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "news")
    assert r.returncode == 0, r.stderr
    path = project / "content/2026/01/yipian-wenzhang.md"
    assert "authors" not in front_matter(path) and "署名" not in r.stderr
    assert first.rstrip("：") in body_of(path)


def test_a_column_line_is_the_section_not_the_title(project, tmp_path):
    """工作动态 on the first line, then ● briefs with half-width marks: the column names the section, the
    briefs stay in the body (none of them taken for a byline), and the summary says the title is missing."""
    d = docx.Document()
    bold_line(d, "工作动态")
    d.add_paragraph("●2月28日,市人大常委会召开第38次主任会议。会议研究了有关事项。")
    d.add_paragraph("●3月2日,市人大常委会组织代表视察重点项目建设情况。")
    d.save(tmp_path / "3月简讯.docx")
    r = import_(project, tmp_path / "3月简讯.docx")
    assert r.returncode == 0, r.stderr
    path = only_article(project)
    fm = front_matter(path)
    assert fm == {"title": "3月简讯", "section": "news"}, fm
    body = body_of(path)
    assert body.startswith("●2月28日,市人大常委会") and body.count("●") == 2
    assert "栏目 news（工作动态），根据稿件第一行“工作动态”" in r.stderr
    assert "第一行“工作动态”是栏目名，没有作标题" in r.stderr and "暂用文件名“3月简讯”" in r.stderr
    # a column line of this publication's own, then the real title
    d = docx.Document()
    d.add_paragraph("【特别关注】")
    bold_line(d, "代表履职这一年")
    d.add_paragraph("一年来，代表们围绕中心工作积极履职，提出了许多有分量的建议。")
    d.save(tmp_path / "b.docx")
    r = import_(project, tmp_path / "b.docx")
    assert r.returncode == 0, r.stderr
    fm = front_matter(project / "content/2026/01/daibiao-lvzhi-zhe.md")
    assert fm["title"] == "代表履职这一年" and fm["section"] == "feature"


def test_without_section_the_editor_is_asked_or_told(project, tmp_path):
    """No --section and nothing in the manuscript to tell it: in a terminal the editor picks one from the
    list; without one (a script) the import is refused with the list and the command to use."""
    d = docx.Document()
    d.add_paragraph("一篇文章")
    d.add_paragraph("这是正文的一段。")
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx")
    assert r.returncode == 1, r.stderr
    assert "稿件中看不出属于哪个栏目" in r.stderr
    assert "feature（特别关注）、news（工作动态）、poetry（人大文苑）" in r.stderr
    assert "bulletin import a.docx --issue 2026-01 --section feature" in r.stderr
    assert only_article_count(project) == 2
    out = _in_a_terminal(project, tmp_path / "a.docx", "9\n2\n")
    assert "1. feature（特别关注）" in out and "没有这个栏目：9" in out, out
    assert front_matter(project / "content/2026/01/yipian-wenzhang.md")["section"] == "news"


def only_article_count(project: Path) -> int:
    return len(list((project / "content/2026/01").glob("*.md")))


def _in_a_terminal(project: Path, doc: Path, answers: str) -> str:
    """Run the import with a terminal as its input (a pseudo-terminal), typing `answers`; its output."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO

    master, slave = pty.openpty()
    env = dict(os.environ, BULLETIN_LANG="zh")
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(project), "import", str(doc), "-i", "2026-01"],
        stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
    )
    os.close(slave)
    os.write(master, answers.encode())
    out, _ = proc.communicate(timeout=120)
    os.close(master)
    assert proc.returncode == 0, out.decode()
    return out.decode()


def test_replace_updates_the_article_imported_before(project, tmp_path):
    """--replace: the revised manuscript's body replaces the article's; what the editor put in the front
    matter stays (tags, a corrected title kept by slug), what it lacked is filled in; the earlier file and
    its pictures are backed up, and the summary says so."""
    d = docx.Document()
    bold_line(d, "代表联络站回访")
    d.add_paragraph("■ 王云")
    d.add_paragraph("第一稿的正文。")
    d.add_picture(picture())
    d.add_paragraph("图为回访现场")
    d.save(tmp_path / "v1.docx")
    assert import_(project, tmp_path / "v1.docx", "--section", "news").returncode == 0
    path = project / "content/2026/01/daibiao-lianluozhan.md"
    edited = path.read_text(encoding="utf-8").replace("# tags: [代表工作]", "tags: [回访]")
    path.write_text(edited, encoding="utf-8")
    old_image = (project / "content/2026/01/images/daibiao-lianluozhan-1.png").read_bytes()
    d = docx.Document()
    bold_line(d, "代表联络站回访")
    d.add_paragraph("——回访办理结果")
    d.add_paragraph("■ 王云")
    d.add_paragraph("修改后的正文，补充了回访的情况。")
    d.add_picture(picture(size=(80, 50)))
    d.add_paragraph("图为回访现场（新）")
    d.save(tmp_path / "v2.docx")
    r = import_(project, tmp_path / "v2.docx", "--replace")
    assert r.returncode == 0, r.stderr
    fm = front_matter(path)
    assert fm["tags"] == ["回访"] and fm["section"] == "news" and fm["subtitle"] == "——回访办理结果"
    body = body_of(path)
    assert body.startswith("修改后的正文") and "第一稿" not in body
    assert "![图为回访现场（新）](images/daibiao-lianluozhan-1.png)" in body
    assert Image.open(project / "content/2026/01/images/daibiao-lianluozhan-1.png").size == (80, 50)
    backups = list((project / "backups").glob("import-*"))
    assert len(backups) == 1
    saved = backups[0] / "content/2026/01/daibiao-lianluozhan.md"
    assert saved.read_text(encoding="utf-8") == edited
    assert (backups[0] / "content/2026/01/images/daibiao-lianluozhan-1.png").read_bytes() == old_image
    assert "已用 v2.docx 替换 content/2026/01/daibiao-lianluozhan.md 的正文" in r.stderr
    assert "前置信息补上了稿件中的：subtitle" in r.stderr and "diff backups/import-" in r.stderr
    # the title changed in the manuscript: --slug names the article; the editor's title is kept
    d.paragraphs[0].runs[0].text = "联络站回访记"
    d.save(tmp_path / "v3.docx")
    r = import_(project, tmp_path / "v3.docx", "--replace")
    assert r.returncode == 1 and "没有可替换的文章“联络站回访记”" in r.stderr and "--slug" in r.stderr
    assert "daibiao-lianluozhan.md" in r.stderr
    r = import_(project, tmp_path / "v3.docx", "--replace", "--slug", "daibiao-lianluozhan")
    assert r.returncode == 0, r.stderr
    assert front_matter(path)["title"] == "代表联络站回访" and "title: 代表联络站回访" in r.stderr


def test_generated_file_names_are_short_and_whole_syllables():
    from pypinyin import lazy_pinyin

    from bulletin.content.slugs import short_slug

    assert short_slug("强化开局之谋 展现开局之为") == "qianghua-kaiju-zhimou"
    assert short_slug("关于加强代表工作的讲话") == "jiaqiang-daibiao-gongzuo"
    assert short_slug("市人大常委会召开第38次主任会议") == "shi-rdcwh-zhaokai"  # a long word: initials
    assert short_slug("工作动态") == "gongzuo-dongtai"
    assert short_slug("！？") == "article"
    titles = [
        "巴彦淖尔市人民代表大会常务委员会2026年工作要点",
        "五级代表同心抗洪",
        "人大代表建议促进全市学校保安队伍建设",
        "履职尽责 助民生清单化幸福账单",
        "“两个联系”制度：2026年GDP增长情况的报告",
    ]
    for title in titles:
        name = short_slug(title)
        assert len(name) <= 24 and name.count("-") <= 2, name
        syllables = [s for s in lazy_pinyin(title) if s.isascii() and s.isalpha()]
        for piece in name.split("-"):
            if piece.isdigit() or piece == "gdp":
                continue
            # a piece is whole syllables of the title, one after another, or their initials
            spans = [(i, j) for i in range(len(syllables)) for j in range(i + 1, len(syllables) + 1)]
            joined = ["".join(syllables[i:j]) for i, j in spans]
            initials = ["".join(s[0] for s in syllables[i:j]) for i, j in spans if j - i > 4]
            assert piece in joined or piece in initials, (title, name, piece)


def test_a_careless_editor_s_documents(project, tmp_path):
    """A title only, pictures only, a poem's title only: imported without a traceback, saying what is
    missing (the check after the import reports the empty body)."""
    d = docx.Document()
    bold_line(d, "只有标题")
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "news")
    assert r.returncode == 0 and "Traceback" not in r.stderr and "还没有正文" in r.stderr, r.stderr
    d = docx.Document()
    d.add_picture(picture())
    d.add_picture(picture())
    d.save(tmp_path / "照片.docx")
    r = import_(project, tmp_path / "照片.docx", "--section", "news")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    body = body_of(project / "content/2026/01/zhaopian.md")
    assert body == "![](images/zhaopian-1.png)\n\n![](images/zhaopian-2.png)"
    d = docx.Document()
    bold_line(d, "春")
    d.add_paragraph("□ 李青")
    d.save(tmp_path / "c.docx")
    r = import_(project, tmp_path / "c.docx", "--section", "poetry")
    assert r.returncode == 0 and "Traceback" not in r.stderr and "还没有正文" in r.stderr, r.stderr


def test_empty_document_is_refused_and_a_missing_title_is_said(project, tmp_path):
    docx.Document().save(tmp_path / "空白.docx")
    r = import_(project, tmp_path / "空白.docx", "--section", "news")
    assert r.returncode == 1 and "既没有文字也没有图片，没有导入" in r.stderr
    assert only_article_count(project) == 2
    d = docx.Document()
    d.add_paragraph("根据会议安排，现将有关事项通知如下。")
    d.save(tmp_path / "通知.docx")
    r = import_(project, tmp_path / "通知.docx", "--section", "news")
    assert r.returncode == 0 and "没有识别出标题，暂用文件名“通知”作标题" in r.stderr, r.stderr


def test_a_poem_s_first_line_is_not_taken_for_its_author(project, tmp_path):
    """杨柳青 under the title, with verse after it, is the poem's first line; a name set apart from the
    verse by an empty paragraph is the author."""
    d = docx.Document()
    d.add_paragraph("杨柳")
    for line in ("杨柳青", "风吹过", "河水流", "人未归"):
        d.add_paragraph(line)
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "poetry")
    assert r.returncode == 0 and "署名" not in r.stderr, r.stderr
    assert body_of(project / "content/2026/01/yangliu.md") == "::: poem\n杨柳青\n风吹过\n河水流\n人未归\n:::"
    d = docx.Document()
    d.add_paragraph("柳色")
    d.add_paragraph("张晓明")
    d.add_paragraph("")
    for line in ("杨柳青", "风吹过", "河水流", "人未归"):
        d.add_paragraph(line)
    d.save(tmp_path / "b.docx")
    r = import_(project, tmp_path / "b.docx", "--section", "poetry")
    assert r.returncode == 0, r.stderr
    assert front_matter(project / "content/2026/01/liuse.md")["authors"] == ["张晓明"]
    assert body_of(project / "content/2026/01/liuse.md") == "::: poem\n杨柳青\n风吹过\n河水流\n人未归\n:::"


@pytest.mark.parametrize(
    "lines",
    [
        ["●3月2日，市人大开展视察。", "●3月5日，代表接待群众。", "●3月9日，座谈。", "●3月12日，调研。"],
        ["3月2日，市人大开展视察。", "3月5日，代表接待群众。", "3月9日，召开座谈会。", "3月12日，调研。"],
        ["时间：3月5日上午9时", "地点：常委会会议室", "参加人员：全体代表", "联系人：王云"],
        ["一、听取工作报告", "二、审议决定草案", "三、通过人事任免", "四、其他事项"],
    ],
)
def test_short_lines_with_empty_paragraphs_between_are_not_always_a_poem(project, tmp_path, lines):
    d = docx.Document()
    d.add_paragraph("会议通知")
    for line in lines:
        d.add_paragraph(line)
        d.add_paragraph("")
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx", "--section", "poetry")
    assert r.returncode == 0 and "诗歌" not in r.stderr, r.stderr
    assert ":::" not in body_of(project / "content/2026/01/huiyi-tongzhi.md")


def test_a_literary_column_poem_with_numbered_stanzas(project, tmp_path):
    """The 文学社 page's shape: column line, a title with a half-width colon, a —— subtitle, stanza
    numbers on their own lines, stanzas between empty paragraphs, half-width commas in the lines."""
    d = docx.Document()
    d.add_paragraph("文学社")
    bold_line(d, "田野: 写给春天")
    d.add_paragraph("——为代表联络站成立而作")
    stanzas = (
        ("1", ["梦想,在一身泥水中", "缓缓打开", "像向日葵的笑脸"]),
        ("2", ["去看灌溉过的田野", "去看辽阔的春色"]),
    )
    for number, stanza in stanzas:
        d.add_paragraph("")
        d.add_paragraph(number)
        d.add_paragraph("")
        for line in stanza:
            d.add_paragraph(line)
    d.save(tmp_path / "a.docx")
    r = import_(project, tmp_path / "a.docx")
    assert r.returncode == 0, r.stderr
    path = only_article(project)
    fm = front_matter(path)
    assert fm["title"] == "田野: 写给春天" and fm["subtitle"] == "——为代表联络站成立而作"
    assert fm["section"] == "poetry", fm
    assert body_of(path) == (
        "::: poem\n1\n\n梦想,在一身泥水中\n缓缓打开\n像向日葵的笑脸\n\n2\n\n"
        "去看灌溉过的田野\n去看辽阔的春色\n:::"
    )


@pytest.mark.parametrize("target", ["file:///etc/passwd", "http://example.com/x.png"])
def test_a_picture_linked_to_outside_the_document_is_left_out_with_a_note(project, tmp_path, target):
    """A picture that is only a link (TargetMode External: to a file on the author's PC or the web) is not
    read from there: it is left out, said so with what to do, and the rest of the document is imported."""
    d = docx.Document()
    d.add_paragraph("链接图片")
    d.add_paragraph("正文一段。")
    d.add_picture(picture())
    d.save(tmp_path / "a.docx")
    with zipfile.ZipFile(tmp_path / "a.docx") as z:
        files = {n: z.read(n) for n in z.namelist()}
    rels = files["word/_rels/document.xml.rels"].decode()
    rels = rels.replace('Target="media/image1.png"', f'Target="{target}" TargetMode="External"')
    assert target in rels
    files["word/_rels/document.xml.rels"] = rels.encode()
    with zipfile.ZipFile(tmp_path / "b.docx", "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    r = import_(project, tmp_path / "b.docx", "--section", "news")
    assert r.returncode == 0, r.stderr
    assert "链接到文档外" in r.stderr and "插入" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "no item named" not in r.stderr
    made = only_article(project)
    text = made.read_text(encoding="utf-8")
    assert "正文一段。" in text and "passwd" not in text and "root:" not in text
