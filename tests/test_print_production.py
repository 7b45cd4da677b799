"""Print production: crop marks outside the bleed, the colophon (报尾) and the permit number, running
heads, a contents column for long section names, the output profile and the faces per role.

One build of the print test issue (tests/test_print.py) with crop marks, PDF/X-4, the fields of an
internal publication and a section named 建言献策直通车, looked at with pikepdf and pdfplumber.
"""

from __future__ import annotations

import re

import pytest
from test_print import build, make_print_project, pdf_path, render_png, squash

from bulletin.model import PrintSettings
from bulletin.print.geometry import MARK_AREA_MM, PageGeometry, geometry_for
from bulletin.print.marks import mark_lines

pdfplumber = pytest.importorskip("pdfplumber")
pikepdf = pytest.importorskip("pikepdf")

MM = 72 / 25.4
LONG_SECTION = "建言献策直通车"
SECTIONS = ("特别关注", "工作动态", "人大文苑", LONG_SECTION)
PERMIT = "（测）内资准字第T-2026-001号"

PROPOSAL = """---
title: 一条建议的办理经过
section: proposals
authors: 林溪
order: 9
---
代表提出的建议交办以后，承办单位逐项研究，与代表当面沟通办理方案，并在规定时间内书面答复。

代表对答复表示满意，还将继续跟踪落实情况。
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    root = make_print_project(
        tmp_path_factory.mktemp("production") / "proj",
        print_yaml=(
            "  crop_marks: true\n  pdf_variant: pdf/x-4\n"
            f"  permit_number: {PERMIT}\n  printer: 测试市印刷厂\n  print_run: 600\n"
        ),
    )
    cfg = root / "bulletin.yaml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            "sections:\n", f"sections:\n  - {{id: proposals, name: {LONG_SECTION}}}\n", 1
        ),
        encoding="utf-8",
    )
    (root / "content" / "2026" / "01" / "jianyi.md").write_text(PROPOSAL, encoding="utf-8")
    r = build(root)
    assert r.returncode == 0, r.stderr
    return root, r


def _box(arr) -> tuple[float, float, float, float]:
    return tuple(float(x) for x in arr)


# --- crop marks ----------------------------------------------------------------------------------


def test_boxes_nest_media_bleed_trim_with_marks(production):
    root, _ = production
    with pikepdf.open(pdf_path(root)) as pdf:
        for page in pdf.pages:
            media, bleed, trim = _box(page.MediaBox), _box(page.BleedBox), _box(page.TrimBox)
            assert trim[2] - trim[0] == pytest.approx(210 * MM, abs=0.1)
            for i, sign in enumerate((-1, -1, 1, 1)):
                assert (bleed[i] - trim[i]) * sign == pytest.approx(3 * MM, abs=0.05)
                assert (media[i] - bleed[i]) * sign == pytest.approx(MARK_AREA_MM * MM, abs=0.05)


def _registration_segments(page) -> list[list[tuple[float, float]]]:
    """The paths stroked in the registration colour on `page`, as lists of points (PDF space)."""
    paths: list[list[tuple[float, float]]] = []
    stroke_space = None
    current: list[tuple[float, float]] = []
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "CS":
            stroke_space = str(operands[0])
        elif op in ("m", "l"):
            current.append((float(operands[0]), float(operands[1])))
        elif op == "S":
            if stroke_space and "registration" in stroke_space:
                paths.append(current)
            current = []
        elif op in ("n", "f", "f*", "B", "b", "re", "Q"):
            current = [] if op != "re" else current
    return paths


def test_crop_marks_lie_outside_the_bleed_in_registration_colour(production):
    root, _ = production
    with pikepdf.open(pdf_path(root)) as pdf:
        for page in pdf.pages:
            bx0, by0, bx1, by1 = _box(page.BleedBox)
            tx0, ty0, tx1, ty1 = _box(page.TrimBox)
            spaces = page.Resources.ColorSpace
            reg = [k for k in spaces.keys() if "registration" in k]
            assert reg and str(spaces[reg[0]][1]) == "/All", "marks in the registration colour (all plates)"
            paths = _registration_segments(page)
            assert len(paths) == 8
            for path in paths:
                for x, y in path:  # every point at least 1 mm clear of the bleed, on a trim line
                    clear = max(bx0 - x, x - bx1, by0 - y, y - by1)
                    assert clear >= 1 * MM - 0.01, (x, y)
                    assert min(abs(x - tx0), abs(x - tx1), abs(y - ty0), abs(y - ty1)) < 0.01
    # the masthead band reaches the bleed edge but not into the mark area: clipped to the BleedBox
    png = render_png(pdf_path(root), 1, root / "p1")
    from PIL import Image

    with Image.open(png) as im:
        rgb = im.convert("RGB")
        w, _h = rgb.size
        px_per_mm = w / (210 + 2 * 3 + 2 * MARK_AREA_MM)
        assert rgb.getpixel((w // 2, int(2 * px_per_mm))) == (255, 255, 255), "mark area is blank paper"
        r, g, b = rgb.getpixel((w // 2, int((MARK_AREA_MM + 1.5) * px_per_mm)))
        assert r > 180 and g < 80 and b < 80, "the band still fills the bleed"


def test_mark_lines_never_touch_the_bleed_box():
    trim, bleed = (0.0, 0.0, 500.0, 700.0), (-8.5, -8.5, 508.5, 708.5)
    lines = mark_lines(trim, bleed)
    assert len(lines) == 8
    for (x0, y0), (x1, y1) in lines:
        assert x0 == x1 or y0 == y1
        assert (min(x0, x1) > bleed[2] or max(x0, x1) < bleed[0]) or (
            min(y0, y1) > bleed[3] or max(y0, y1) < bleed[1]
        )
        assert x0 in (0.0, 500.0) or y0 in (0.0, 700.0)  # on a trim line


def test_output_profile_named_in_the_build_summary_and_deterministic(production):
    root, r = production
    assert "PDF/X-4 输出配置：" in r.stderr, r.stderr
    with pikepdf.open(pdf_path(root)) as pdf:
        intent = pdf.Root.OutputIntents[0]
        ident = str(intent.OutputConditionIdentifier)
        assert intent.DestOutputProfile.N == 4
    assert f"（{ident}，" in r.stderr
    before = pdf_path(root).read_bytes()
    assert build(root, "--force").returncode == 0
    assert pdf_path(root).read_bytes() == before


# --- colophon and permit ---------------------------------------------------------------------


def _lines(page) -> dict[float, list]:
    rows: dict[float, list] = {}
    for c in page.chars:
        rows.setdefault(round(c["bottom"], 1), []).append(c)
    return {k: sorted(v, key=lambda c: c["x0"]) for k, v in rows.items()}


def test_colophon_issuer_left_date_right_one_em_in_on_one_line(production):
    root, _ = production
    g = geometry_for(PrintSettings())
    with pdfplumber.open(pdf_path(root)) as pdf:
        n = len(pdf.pages)
        page = pdf.pages[-1]
        rows = _lines(page)
        text = {k: "".join(c["text"] for c in v) for k, v in rows.items()}
        issue_row = [k for k, t in text.items() if t.endswith("2026年1月5日印发")]
        assert len(issue_row) == 1, text
        chars = rows[issue_row[0]]
        size = chars[0]["size"]
        assert all(abs(c["bottom"] - chars[0]["bottom"]) < 0.2 for c in chars), "one baseline"
        # the last page is a left page (even): outer margin on the left, inner on the right
        assert n % 2 == 0
        trim_left = 0.0  # pdfplumber gives x in PDF space, where the TrimBox starts at 0
        left, right = trim_left + g.margin_outer * MM, trim_left + (g.width - g.margin_inner) * MM
        issuer = "".join(c["text"] for c in chars if c["x0"] < (left + right) / 2)
        assert issuer == "测试市人大常委会办公室"
        assert chars[0]["x0"] == pytest.approx(left + size, abs=0.8), "issuer one character from the left"
        assert chars[-1]["x1"] == pytest.approx(right - size, abs=0.8), "date one character from the right"
        # the issue line is the colophon's last; the production line and distribution above it
        below = [
            k for k, t in text.items() if k > issue_row[0] and not re.fullmatch(r"—\d+—", t.replace(" ", ""))
        ]
        assert not below, [text[k] for k in below]
        last = squash(page.extract_text())
        assert "印刷单位：测试市印刷厂" in last and "印数：600份" in last and f"准印证号：{PERMIT}" in last
        assert last.index("发放范围") < last.index("印刷单位") < last.index("2026年1月5日印发")
        first = squash(pdf.pages[0].extract_text())
        assert f"准印证号：{PERMIT}" in first, "the permit number is printed on the cover too"


# --- running heads and contents -----------------------------------------------------------------


def _section_heads(page) -> list[tuple[float, str]]:
    """(top, name) of each section head on the page: a line of heading-face text that is a section name."""
    out = []
    y0 = page.bbox[1]
    for _bottom, chars in _lines(page).items():
        t = "".join(c["text"] for c in chars)
        if t in SECTIONS and "Sans" in chars[0]["fontname"] and chars[0]["top"] - y0 > 35 * MM:
            out.append((chars[0]["top"], t))
    return sorted(out)


def test_running_head_names_the_section_in_force_at_the_top_of_the_page(production):
    root, _ = production
    mid_page_starts = 0
    current = None
    with pdfplumber.open(pdf_path(root)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            y0 = page.bbox[1]
            heads = _section_heads(page)
            body = [c["top"] for c in page.chars if c["top"] - y0 > 35 * MM]
            in_force = current
            if heads and body and heads[0][0] <= min(body) + 1:
                in_force = heads[0][1]
            elif heads and n > 1:
                mid_page_starts += 1
            if n > 1 and body and in_force:
                head = "".join(c["text"] for c in page.chars if c["top"] - y0 < 30 * MM)
                named = [s for s in SECTIONS if s in head]
                assert named == [in_force], (n, head, heads)
            if heads:
                current = heads[-1][1]
    assert mid_page_starts >= 1, "the test issue has a section starting mid-page"


def test_contents_hold_the_long_section_name_on_one_line(production):
    root, _ = production
    with pdfplumber.open(pdf_path(root)) as pdf:
        page = pdf.pages[0]
        hits = [c for c in page.chars if c["text"] in LONG_SECTION and "Sans" in c["fontname"]]
        row = [c for c in hits if abs(c["top"] - hits[0]["top"]) < 1]
        assert "".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])).startswith(LONG_SECTION)
        # the entry beside it starts after the name, not over it
        entry = [c for c in page.chars if c["text"] == "一" and abs(c["top"] - row[0]["top"]) < 1]
        assert entry and entry[0]["x0"] > max(c["x1"] for c in row)


def test_toc_label_column_fits_the_longest_name():
    entries = [("工作动态", 1), ("标题", 2)]
    assert PageGeometry.toc_label_em(entries) == 5.5
    assert PageGeometry.toc_label_em([*entries, (LONG_SECTION, 1)]) == 8.5


# --- faces ----------------------------------------------------------------------------------------


def test_fonts_setting_changes_the_byline_face(tmp_path):
    from bulletin.installed_fonts import is_installed

    if not is_installed("AR PL KaitiM GB"):
        pytest.skip("fonts-arphic-gkai00mp is not installed")
    root = make_print_project(tmp_path / "proj", print_yaml="  fonts:\n    kai: AR PL KaitiM GB\n")
    r = build(root)
    assert r.returncode == 0, r.stderr
    with pdfplumber.open(pdf_path(root)) as pdf:
        byline = [
            c["fontname"]
            for p in pdf.pages
            for c in p.chars
            if c["text"] in "孙晓岚" and abs(c["size"] - 10.5) < 0.1 and "Kai" in c["fontname"]
        ]
    assert byline and all("KaitiM" in f for f in byline), byline
