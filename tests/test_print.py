"""Print-ready PDFs: masthead, page furniture, contents, boxes, fonts, padding, determinism, preflight.

Each test looks at the PDF the way the print shop or an editor would (pdfplumber / pikepdf), built by the
real command line. A handful of builds at ~2 s each keep the module well under a minute.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

pdfplumber = pytest.importorskip("pdfplumber")
pikepdf = pytest.importorskip("pikepdf")

MM = 72 / 25.4
SECTION_NAMES = {"特别关注", "工作动态", "人大文苑"}
LABEL = "2026年第1期 总第25期（半月刊）"

# --- the test issue ------------------------------------------------------------------------------

_SUBJECTS = [
    "常委会组成人员",
    "各位代表",
    "调研组",
    "联络站",
    "专门委员会",
    "县区人大",
    "机关干部",
    "代表小组",
]
_VERBS = ["认真梳理", "持续跟进", "深入了解", "逐项核实", "广泛听取", "统筹推进", "及时反馈", "集中讨论"]
_OBJECTS = [
    "群众反映的停车难问题",
    "老旧小区改造进度",
    "农村饮水工程运行情况",
    "社区养老服务站建设",
    "义务教育课后服务安排",
    "河道治理的后续管护",
    "营商环境的突出短板",
    "基层立法联系点的意见",
]
_ENDS = [
    "形成了书面意见。",
    "提出了改进建议。",
    "取得了实际效果。",
    "得到了群众的认可。",
    "推动问题逐步解决。",
    "为下一步工作打下基础。",
]
_QUOTES = ["“办实事”", "《工作规则》", "“回头看”", "“两个联系”", "《实施方案》"]


def paragraph(rng: random.Random, sentences: int) -> str:
    out = []
    for i in range(sentences):
        s = f"{rng.choice(_SUBJECTS)}{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}，"
        if i % 3 == 1:
            s += f"对照{rng.choice(_QUOTES)}的要求，"
        s += rng.choice(_ENDS)
        out.append(s)
    return "".join(out)


def body(rng: random.Random, paragraphs: int, sentences: int = 5) -> str:
    return "\n\n".join(paragraph(rng, sentences) for _ in range(paragraphs))


ARTICLES = {
    "jianghua.md": """---
title: 聚焦主责主业 推动履职提质
subtitle: ——在常委会机关年度工作会议上的讲话
section: feature
authors: 周启明
order: 1
---
{p1}

## 一、把握新形势

{p2}[^1]

## 二、落实新任务

{p3}

[^1]: 本文根据会议录音整理，有删节。
""",
    "dongtai.md": """---
title: 工作动态
section: news
---
●1月3日，常委会召开主任会议，研究部署第一季度重点工作。

●1月4日，常委会领导带队走访基层代表联络站，听取代表对年度工作的意见建议。

●1月5日，常委会机关召开全体干部大会，传达学习有关会议精神。
""",
    "yaodian.md": """---
title: 2026年度代表工作要点
section: news
order: 5
---
{p1}

## 一、加强代表联络

1. {s1}

2. {s2}

## 二、提升建议质量

1. {s3}

2. {s4}
""",
    "waidi.md": """---
title: 让联络站真正“活”起来
section: feature
authors: 孙晓岚
affiliation: 四川
author_note: 作者系某县人大常委会代表工委主任
order: 3
columns: 2
---
{p1}

{p2}

{p3}

{p4}
""",
    "zhuanzai.md": """---
title: 小切口立法的实践思考
section: feature
authors: 钱立
affiliation: 某市人大常委会法工委
source: 人民代表报
order: 4
---
{p1}

{p2}
""",
}


def make_print_project(dest: Path, *, print_yaml: str = "", seed: int = 7) -> Path:
    """Copy tests/fixtures/minimal to `dest` and add the print test articles to its 2026-01 issue."""
    shutil.copytree(FIXTURES / "minimal", dest)
    rng = random.Random(seed)
    issue = dest / "content" / "2026" / "01"
    for name, text in ARTICLES.items():
        fills = {f"p{i}": body(rng, 3 + i, 5) for i in range(1, 5)}
        fills.update({f"s{i}": paragraph(rng, 2) for i in range(1, 5)})
        (issue / name).write_text(text.format(**fills), encoding="utf-8")
    cfg = dest / "bulletin.yaml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8")
        + "website: http://www.test.example.cn\n"
        + "distribution: 市委、市人大、市政府、市政协领导，各县区人大常委会\n"
        + "print:\n  qr_codes:\n    - {label: 官方网站, url: http://www.test.example.cn}\n"
        + print_yaml,
        encoding="utf-8",
    )
    return dest


def build(root: Path, *args: str):
    return run_cli("--root", str(root), "build", "2026-01", *args)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The print test issue built with the default settings (A4, one column, contents on page 1)."""
    root = make_print_project(tmp_path_factory.mktemp("print") / "proj")
    r = build(root)
    assert r.returncode == 0, r.stderr
    return root


def pdf_path(root: Path) -> Path:
    return root / "output" / "pdf" / "2026-01.pdf"


@pytest.fixture(scope="module")
def pages(built) -> list[str]:
    with pdfplumber.open(pdf_path(built)) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def render_png(pdf: Path, page: int, prefix: Path) -> Path:
    """Page `page` rendered at 20 dpi with its bleed (pdftoppm from poppler-utils)."""
    import subprocess

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "20",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    return prefix.with_suffix(".png")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def band(root: Path, page: int, top: float, bottom: float) -> str:
    """Text of page `page` (1-based) between `top` and `bottom` mm from the top of the trimmed page."""
    with pdfplumber.open(pdf_path(root)) as pdf:
        p = pdf.pages[page - 1]
        y0 = p.bbox[1]  # the top of the sheet, bleed included
        chars = sorted(
            (c for c in p.chars if top * MM <= c["top"] - y0 <= bottom * MM),
            key=lambda c: (round(c["top"]), c["x0"]),
        )
        return "".join(c["text"] for c in chars).replace(" ", "")


def article_starts(root: Path) -> dict[str, int]:
    """Page where each article title is set (the large bold heading), by title text."""
    starts: dict[str, int] = {}
    with pdfplumber.open(pdf_path(root)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            lines: dict[int, list] = {}
            for c in page.chars:
                if c["size"] >= 15:
                    lines.setdefault(round(c["top"]), []).append(c)
            # a title of two or more lines is one title: lines less than two sizes apart are joined
            title, previous_top = "", None
            for top in sorted(lines):
                chars = sorted(lines[top], key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                if previous_top is not None and top - previous_top < 2 * chars[0]["size"]:
                    title += text
                else:
                    if title:
                        starts.setdefault(title, n)
                    title = text
                previous_top = top
            if title:
                starts.setdefault(title, n)
    return starts


def toc_entries(text: str) -> list[tuple[str, int]]:
    """(title, page) of each contents line `[section] title ........ 3`."""
    out = []
    for m in re.finditer(r"^(.*?)\s*\.{3,}\s*(\d+)$", text, re.M):
        words = m.group(1).split(" ", 1)
        title = words[1] if len(words) == 2 and words[0] in SECTION_NAMES else m.group(1)
        out.append((title.strip(), int(m.group(2))))
    return out


# --- the default build ---------------------------------------------------------------------------


def test_masthead_lines_and_numbering_on_page_one(built, pages):
    first = squash(pages[0])
    for expected in (
        "测试人大",
        "测试市人大常委会办公室主办",
        LABEL,
        "2026年1月5日",
        "内部资料免费交流",
        "http://www.test.example.cn",
        "人民代表为人民。",
        "——题记",
        "官方网站",
    ):
        assert squash(expected) in first, expected
    assert not re.search(r"—\s*1\s*—", pages[0]), "page 1 carries no page number"
    # the red masthead band runs to the edge of the bleed (the sheet is rendered with its bleed)
    png = render_png(pdf_path(built), 1, built / "p1")
    from PIL import Image

    with Image.open(png) as im:
        rgb = im.convert("RGB")
        w, h = rgb.size
        for x in (0, w // 2, w - 2):
            r, g, b = rgb.getpixel((x, 0))
            assert r > 180 and g < 80 and b < 80, (x, (r, g, b))
        assert rgb.getpixel((w // 2, h // 2)) != rgb.getpixel((w // 2, 0))


def test_running_heads_and_page_numbers_from_page_two(built, pages):
    content_pages = [
        n for n in range(2, len(pages) + 1) if squash(pages[n - 1]) and "发放范围" not in pages[n - 1]
    ]
    assert len(content_pages) >= 3
    for n in content_pages:
        head = band(built, n, 0, 25)
        assert "测试人大" in head and "2026年第1期总第25期" in head, (n, head)
        foot = band(built, n, 280, 303)
        assert f"—{n}—" in foot, (n, foot)
    # the section name of the text below stands in the running head
    sections = {"特别关注", "工作动态", "人大文苑"}
    assert all(any(s in band(built, n, 0, 25) for s in sections) for n in content_pages)


def test_contents_page_numbers_are_where_articles_start(built, pages):
    entries = toc_entries(pages[0])
    starts = article_starts(built)
    assert len(entries) == 7, entries
    for title, page in entries:
        started = [p for t, p in starts.items() if squash(title) in squash(t) or squash(t) in squash(title)]
        assert started == [page], (title, page, starts)


def test_trim_and_bleed_boxes(built):
    with pikepdf.open(pdf_path(built)) as pdf:
        for page in pdf.pages:
            media = [float(x) for x in page.MediaBox]
            trim = [float(x) for x in page.TrimBox]
            bleed = [float(x) for x in page.BleedBox]
            assert trim[2] - trim[0] == pytest.approx(210 * MM, abs=0.1)
            assert trim[3] - trim[1] == pytest.approx(297 * MM, abs=0.1)
            assert trim[0] - media[0] == pytest.approx(3 * MM, abs=0.05)
            assert bleed == pytest.approx(media, abs=0.05)


def test_fonts_embedded_subset_chinese(built):
    with pikepdf.open(pdf_path(built)) as pdf:
        names = set()
        for page in pdf.pages:
            for _key, font in (page.Resources.get("/Font") or {}).items():
                desc = font.DescendantFonts[0].FontDescriptor
                assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                names.add(str(font.BaseFont))
    assert all(re.match(r"/[A-Z]{6}\+", n) for n in names), names
    assert not any("JP" in n for n in names)
    families = {n.split("+")[1] for n in names}
    assert {"Noto-Serif-CJK-SC", "LXGW-WenKai"} <= families and any("Sans-CJK-SC" in f for f in families)


def test_pages_padded_to_four_blank_pages_bare_colophon_last(built, pages):
    assert len(pages) % 4 == 0
    last = squash(pages[-1])
    assert "发放范围" in last and "测试市人大常委会办公室2026年1月5日印发" in last
    with pdfplumber.open(pdf_path(built)) as pdf:
        chars = [c for c in pdf.pages[-1].chars if c["text"] == "发"]
        assert chars and chars[0]["top"] > 240 * MM, "the colophon sits at the foot of the last page"
    # pages between the text and the colophon, if any, are blank: no running head, no number
    text_end = max(n for n, t in enumerate(pages, 1) if "—" in t and n < len(pages)) if len(pages) > 1 else 1
    for n in range(text_end + 1, len(pages)):
        assert squash(pages[n - 1]) == "", n


def test_bookmarks_sections_then_articles_and_metadata(built):
    with pikepdf.open(pdf_path(built)) as pdf:
        with pdf.open_outline() as outline:
            top = [(item.title, [child.title for child in item.children]) for item in outline.root]
        assert [t for t, _ in top] == ["特别关注", "工作动态", "人大文苑"]
        assert "聚焦主责主业 推动履职提质" in top[0][1] and "春到河畔" in top[2][1]
        info = pdf.docinfo
        assert str(info.Title) == "测试人大 2026年第1期 总第25期"
        assert str(info.Author) == "测试市人大常委会办公室主办"
        assert LABEL in str(info.Subject)
        assert str(pdf.Root.Lang) == "zh-CN"
        assert str(info.CreationDate).startswith("D:20260105")


def test_article_typography_in_text(built, pages):
    text = squash("".join(pages))
    assert "——在常委会机关年度工作会议上的讲话" in text
    assert "■孙晓岚（四川）" in text
    assert "（某市人大常委会法工委钱立）" in text
    assert "据《人民代表报》" in text
    assert "（作者系某县人大常委会代表工委主任）" in text
    assert "①本文根据会议录音整理" in text  # footnote at the page foot, numbered ①


def test_two_column_article_is_set_in_two_columns(built):
    with pdfplumber.open(pdf_path(built)) as pdf:
        for page in pdf.pages:
            titles = [c for c in page.chars if c["size"] >= 15]
            start = [c for c in titles if c["text"] == "让"]
            if not start:
                continue
            top = start[0]["bottom"] + 15 * MM  # below the title and the byline
            below = [c["top"] for c in titles if c["top"] > top]
            end = min(below) if below else page.bbox[3]
            body = [
                c
                for c in page.chars
                if abs(c["size"] - 10.5) < 0.1 and top < c["top"] < end and "Serif" in c["fontname"]
            ]
            mid = (page.bbox[0] + page.bbox[2]) / 2
            left = [c for c in body if c["x1"] < mid - 5]
            right = [c for c in body if c["x0"] > mid + 5]
            assert len(left) > 100 and len(right) > 100
            assert not [c for c in body if c["x0"] < mid < c["x1"]], "nothing crosses the column gap"
            return
    pytest.fail("two-column article not found")


def test_rebuild_elsewhere_is_byte_identical(built, tmp_path):
    """A second build, in another process and another folder, gives the same bytes."""
    again = tmp_path / "elsewhere"
    shutil.copytree(built, again, ignore=shutil.ignore_patterns("output", "p1.png"))
    r = build(again)
    assert r.returncode == 0, r.stderr
    assert pdf_path(again).read_bytes() == pdf_path(built).read_bytes()


# --- print production variants -------------------------------------------------------------------


def test_b5_pdfx4_crop_marks_contents_on_page_two(tmp_path):
    root = make_print_project(
        tmp_path / "proj",
        print_yaml=(
            "  page_size: B5\n  pdf_variant: pdf/x-4\n  crop_marks: true\n  toc: second-page\n  columns: 2\n"
        ),
    )
    r = build(root)
    assert r.returncode == 0, r.stderr
    with pikepdf.open(pdf_path(root)) as pdf:
        page = pdf.pages[0]
        trim = [float(x) for x in page.TrimBox]
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((176 * MM, 250 * MM), abs=0.1)
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.S) == "/GTS_PDFX"
        assert intent.DestOutputProfile.N == 4
        assert str(intent.OutputConditionIdentifier)
        xmp = pdf.Root.Metadata.read_bytes()
        assert b"PDF/X-4" in xmp and b"xmp.did:" in xmp
        assert len(pdf.pages) % 4 == 0
    with pdfplumber.open(pdf_path(root)) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    assert not toc_entries(texts[0]), "contents are not on page 1"
    entries = toc_entries(texts[1])
    assert len(entries) == 7
    starts = article_starts(root)
    for title, page in entries:
        assert [p for t, p in starts.items() if squash(title) in squash(t) or squash(t) in squash(title)] == [
            page
        ]
    again = pdf_path(root).read_bytes()
    assert build(root, "--force").returncode == 0
    assert pdf_path(root).read_bytes() == again, "PDF/X-4 output is deterministic too"


def test_a3_pdfa2b_archive_copy(tmp_path):
    root = make_print_project(
        tmp_path / "proj", print_yaml="  page_size: A3\n  pdf_variant: pdf/a-2b\n  pad_to_multiple: 1\n"
    )
    r = build(root)
    assert r.returncode == 0, r.stderr
    with pikepdf.open(pdf_path(root)) as pdf:
        trim = [float(x) for x in pdf.pages[0].TrimBox]
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((297 * MM, 420 * MM), abs=0.1)
        assert (
            b'pdfaid:part="2"' in pdf.Root.Metadata.read_bytes()
            or b"<pdfaid:part>2" in pdf.Root.Metadata.read_bytes()
        )
        assert str(pdf.Root.OutputIntents[0].S) == "/GTS_PDFA1"


# --- preflight -----------------------------------------------------------------------------------


def test_preflight_fails_on_a_character_no_font_has(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    poem = root / "content" / "2026" / "01" / "shi.md"
    poem.write_text(
        poem.read_text(encoding="utf-8").replace("燕子回来了", "燕子回来了\ue000"), encoding="utf-8"
    )
    r = build(root)
    assert r.returncode == 1
    assert "content/2026/01/shi.md:11" in r.stderr, r.stderr
    assert "U+E000" in r.stderr and "春到河畔" in r.stderr
    assert not pdf_path(root).exists()


def test_preflight_fails_on_a_72_dpi_photo(tmp_path):
    from PIL import Image

    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    photo = root / "content" / "2026" / "01" / "images" / "huiyi.png"
    # 250 px: even at the narrowest figure width (a third of the measure, 57 mm) it prints at 111 dpi
    Image.new("RGB", (250, 167), (120, 140, 160)).save(photo, dpi=(72, 72))
    r = build(root)
    assert r.returncode == 1
    assert "content/2026/01/kaiju.md:17" in r.stderr, r.stderr
    assert "images/huiyi.png" in r.stderr and "dpi" in r.stderr
    assert not pdf_path(root).exists()


# --- layout rules, no rendering ------------------------------------------------------------------


def test_photos_print_at_300_dpi_or_column_width():
    from bulletin.model import PrintSettings
    from bulletin.print.geometry import geometry_for

    g = geometry_for(PrintSettings())
    assert g.photo_width(4000, 1) == pytest.approx(g.text_width)
    assert g.photo_width(1200, 1) == pytest.approx(101.6)  # 1200 px at 300 dpi
    assert g.photo_width(300, 1) == pytest.approx(g.text_width / 2, abs=0.1)  # never below half the column


def test_bylines_region_and_unit():
    from bulletin.print.render import author_note, byline

    class A:
        authors = ("和建华",)
        affiliation = "云南"
        author_note = "（作者系某县人大常委会主任）"
        byline_mark = ""

    assert byline(A) == ("■ 和建华（云南）", "mark")
    A.byline_mark = "□"  # the mark the manuscript used (front matter byline_mark)
    assert byline(A) == ("□ 和建华（云南）", "mark")
    A.affiliation = "某县人大常委会研究室"
    assert byline(A) == ("（某县人大常委会研究室　和建华）", "paren")
    assert author_note(A) == "（作者系某县人大常委会主任）"


def _load_project(root: Path):
    from bulletin.build import STATE_DIR, load
    from bulletin.diagnostics import Report

    archive = load(root, Report(root), drafts=False, cache_dir=root / "output" / STATE_DIR)
    assert archive is not None
    return archive


def test_single_issue_build_renders_in_prewarmed_worker(project: Path):
    """`build ISSUE` forks a worker that imports WeasyPrint while the build goes on: the PDF is the one an
    in-process render gives."""
    r = run_cli("--root", str(project), "build", "2026-01", "--force")
    assert r.returncode == 0, r.stderr
    from bulletin.print.jobs import render_one

    archive = _load_project(project)
    expected = render_one(archive, archive.issue("2026-01"))
    assert (project / "output" / "pdf" / "2026-01.pdf").read_bytes() == expected.data


def test_prewarmed_worker_that_died_falls_back(project: Path):
    import os

    from bulletin.print.jobs import PrewarmedWorker
    from bulletin.workers import Prefork

    archive = _load_project(project)
    issue = archive.issue("2026-01")
    req_r, req_w = os.pipe()
    res_r, res_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # a worker that dies at once
        os._exit(1)
    os.close(req_r)
    os.close(res_w)
    worker = PrewarmedWorker(issue.key, Prefork(pid, req_w, res_r))
    assert worker.render(archive, issue) is None  # the caller renders in its own process
    assert worker.pid == 0
    worker.close()  # idempotent


def test_the_qr_url_limit_checked_at_load_is_segnos():
    """config.QR_MAX_BYTES (checked by `check`) is exactly what print/qr.py's QR codes can hold."""
    import segno

    from bulletin.config import QR_MAX_BYTES
    from bulletin.print.qr import _svg_data_uri

    base = "https://www.example.gov.cn/?q="
    assert _svg_data_uri(base + "x" * (QR_MAX_BYTES - len(base)))
    assert _svg_data_uri(base + "字" * ((QR_MAX_BYTES - len(base)) // 3))  # UTF-8: 3 bytes each
    with pytest.raises(segno.DataOverflowError):
        _svg_data_uri(base + "x" * (QR_MAX_BYTES + 1 - len(base)))
