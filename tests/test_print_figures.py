"""Figures and poems in print: photos side by side, captions at the photo's width, top floats (no white hole
at a page foot), width steps; poems as one centred block with centred stanza numbers.

The PDF is built by the real command line and read with pdfplumber as the print shop would; the hole test
also lays the same issue out without floats, to show that the fixture does push photos off pages.
"""

from __future__ import annotations

import dataclasses
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

pdfplumber = pytest.importorskip("pdfplumber")
pytest.importorskip("weasyprint")

MM = 72 / 25.4
ROW_2 = ("会场一角", "田间察看")
ROW_3 = ("接待居民", "广场宣讲", "站牌新貌")

_WORDS = "代表们深入基层听取群众意见建议认真梳理问题清单推动有关部门逐项落实取得了实际效果"


def _paragraph(rng: random.Random, chars: int) -> str:
    text = "".join(rng.choice(_WORDS) for _ in range(chars))
    return "，".join(text[i : i + 15] for i in range(0, len(text), 15)) + "。"


def _photo(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, colour)
    d = ImageDraw.Draw(img)
    for k in range(6):
        x = size[0] * k // 6
        d.rectangle([x, size[1] // 3, x + size[0] // 10, size[1] * 2 // 3], fill=(240, 240, 230))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=80, dpi=(300, 300))


def make_project(dest: Path, seed: int = 3) -> Path:
    """The minimal fixture with a photo article (rows of 2 and 3, then full-width photos between
    paragraphs of varied length, so that some fall at a page foot) and a poem with numbered stanzas."""
    shutil.copytree(FIXTURES / "minimal", dest)
    rng = random.Random(seed)
    issue = dest / "content" / "2026" / "01"
    (issue / "kaiju.md").unlink()  # its photo ends its article: this module's article is the subject
    images = issue / "images"
    for i, _caption in enumerate(ROW_2):
        _photo(images / f"row2-{i}.jpg", (1200, 800), (90 + 40 * i, 120, 160))
    for i, _caption in enumerate(ROW_3):
        _photo(images / f"row3-{i}.jpg", (700, 1050) if i == 2 else (900, 600), (160, 90 + 30 * i, 110))
    for i in range(6):
        _photo(images / f"big-{i}.jpg", (2400, 1600), (100, 100 + 20 * i, 90))
    parts = [_paragraph(rng, 160)]
    parts += [f"![{c}](images/row2-{i}.jpg)" for i, c in enumerate(ROW_2)]
    parts.append(_paragraph(rng, 200))
    parts += [f"![{c}](images/row3-{i}.jpg)" for i, c in enumerate(ROW_3)]
    for i, chars in enumerate((420, 900, 260, 1300, 610, 980)):
        parts.append(_paragraph(rng, chars))
        parts.append(f"![第{i + 1}张大照片的说明文字](images/big-{i}.jpg)")
        parts.append(_paragraph(rng, 700))
    (issue / "tupian.md").write_text(
        "---\ntitle: 代表活动图片集锦\nsection: news\nauthors: 林晓\n---\n\n" + "\n\n".join(parts) + "\n",
        encoding="utf-8",
    )
    (issue / "shi.md").write_text(
        "---\ntitle: 春到河畔\nsection: poetry\nauthors: [李青]\n---\n::: poem\n一\n\n"
        "春风吹绿了河岸\n柳枝轻轻摇\n\n（二）\n燕子回来了\n在新修的屋檐下筑一个很小很小的窝\n\n"
        "其三\n\n夜里有灯\n:::\n",
        encoding="utf-8",
    )
    return dest


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("figures") / "proj")
    r = run_cli("--root", str(root), "build", "2026-01")
    assert r.returncode == 0, r.stderr
    return root


@pytest.fixture(scope="module")
def pdf(project):
    with pdfplumber.open(project / "output" / "pdf" / "2026-01.pdf") as doc:
        yield doc


def _caption_chars(page, caption: str):
    """The characters of `caption` on `page` (first occurrence, in reading order)."""
    chars = [c for c in page.chars if c["text"] in caption]
    rows: dict = {}
    for c in chars:
        rows.setdefault(round(c["top"]), []).append(c)
    for row in rows.values():
        text = "".join(c["text"] for c in sorted(row, key=lambda c: c["x0"]))
        if caption[:4] in text:
            start = text.index(caption[:4])
            return sorted(row, key=lambda c: c["x0"])[start : start + len(caption)]
    return []


def _line(page, text: str):
    """The characters of the line that reads exactly `text` on `page`, or []."""
    rows: dict = {}
    for c in page.chars:
        rows.setdefault(round(c["top"]), []).append(c)
    for row in rows.values():
        row.sort(key=lambda c: c["x0"])
        if "".join(c["text"] for c in row).strip() == text:
            return row
    return []


def _row_images(pdf, captions: tuple[str, ...]):
    """(page, [image of each caption]) for the page holding the row with these captions."""
    for page in pdf.pages:
        found = [_caption_chars(page, c) for c in captions]
        if all(found):
            images = []
            for chars in found:
                x0, x1 = min(c["x0"] for c in chars), max(c["x1"] for c in chars)
                top = min(c["top"] for c in chars)
                above = [
                    im for im in page.images if im["bottom"] <= top + 1 and im["x0"] <= x0 + 1 <= im["x1"]
                ]
                images.append((max(above, key=lambda im: im["bottom"]) if above else None, x0, x1, top))
            return page, images
    raise AssertionError(f"no page with the captions {captions}")


@pytest.mark.parametrize("captions", [ROW_2, ROW_3])
def test_consecutive_photos_sit_side_by_side_with_their_captions_under_them(pdf, captions):
    page, found = _row_images(pdf, captions)
    images = [im for im, *_ in found]
    assert all(images), "every caption has its photo right above it"
    widths = [im["x1"] - im["x0"] for im in images]
    ratios = [w / (im["bottom"] - im["top"]) for w, im in zip(widths, images, strict=True)]
    if max(ratios) / min(ratios) < 1.1:  # photos of one shape: equal widths
        assert max(widths) - min(widths) < 0.5, widths
    else:  # a portrait among landscapes: one height, the row ends level (render.row_widths)
        assert max(im["bottom"] for im in images) - min(im["bottom"] for im in images) < 1, images
    assert len({round(im["top"], 0) for im in images}) == 1, [im["top"] for im in images]  # tops aligned
    assert all(a["x1"] < b["x0"] for a, b in zip(images, images[1:], strict=False))  # side by side
    from bulletin.model import PrintSettings
    from bulletin.print.geometry import geometry_for

    span = (images[-1]["x1"] - images[0]["x0"]) / MM
    assert span == pytest.approx(geometry_for(PrintSettings()).text_width, abs=1)  # the row fills the measure
    for im, x0, x1, top in found:
        assert im["x0"] - 1 <= x0 and x1 <= im["x1"] + 1, "the caption keeps the photo's width"
        assert 0 <= top - im["bottom"] < 6 * MM, "the caption sits right under its photo"


def _holes(pages) -> list[tuple[int, float]]:
    """Pages (not the last with body text) whose body text stops more than 40 mm above the lowest body
    line of the document, measured as ../shared/tools/pdfcheck.py does: (page number, gap in mm)."""
    sizes = Counter(round(c["size"], 1) for p in pages for c in p.chars)
    body = sizes.most_common(1)[0][0]
    bottoms = []
    for n, page in enumerate(pages, 1):
        chars = [c for c in page.chars if round(c["size"], 1) == body and c["text"].strip()]
        bottoms.append((n, max((c["bottom"] for c in chars), default=None)))
    with_text = [(n, b) for n, b in bottoms if b is not None]
    foot = max(b for _n, b in with_text)
    return [(n, (foot - b) / MM) for n, b in with_text[:-1] if (foot - b) / MM > 40]


def test_no_page_has_a_white_hole_above_a_moved_photo(project, pdf, tmp_path):
    from bulletin.build import load
    from bulletin.diagnostics import Report
    from bulletin.print.floats import FLOAT_CLASS, NARROWER_ATTR
    from bulletin.print.pdf import write_pdf
    from bulletin.print.render import print_html
    from bulletin.templating import default_templates_dir

    assert _holes(pdf.pages) == []
    # the same issue without floats and narrower steps: photos pushed to the next page leave holes
    archive = load(project, Report())
    doc = print_html(archive, archive.issues[-1])
    assert f" {FLOAT_CLASS}" in doc.html
    import re

    plain = re.sub(rf' {NARROWER_ATTR}="[^"]*"', "", doc.html.replace(f' {FLOAT_CLASS}"', '"'))
    out = write_pdf(dataclasses.replace(doc, html=plain), [project, default_templates_dir()], "x")
    (tmp_path / "plain.pdf").write_bytes(out.data)
    with pdfplumber.open(tmp_path / "plain.pdf") as without:
        assert _holes(without.pages), "the fixture should push photos off their pages"


def test_a_floated_photo_stands_at_the_top_of_a_page_with_its_caption(pdf):
    tops = []
    for page in pdf.pages:
        text_top = min((c["top"] for c in page.chars if c["size"] > 9.9), default=page.height)
        for im in page.images:
            if im["x1"] - im["x0"] > 150 * MM:  # the full-width photos
                tops.append(im["top"] < text_top)
    assert any(tops), "at least one full-width photo moved to the top of a page"


def test_every_photo_is_printed_once(project):
    with pdfplumber.open(project / "output" / "pdf" / "2026-01.pdf") as doc:
        n = sum(len(p.images) for p in doc.pages)
    assert n == len(ROW_2) + len(ROW_3) + 6  # the rows and the big ones: none twice, none lost


def test_poem_lines_share_one_left_edge_and_stanza_numbers_are_centred(pdf):
    lines = ["春风吹绿了河岸", "柳枝轻轻摇", "燕子回来了", "在新修的屋檐下筑一个很小很小的窝", "夜里有灯"]
    numbers = ["一", "（二）", "其三"]
    seen_lines, seen_numbers = 0, 0
    on_pages = []
    for page in pdf.pages:
        found = [chars for chars in (_caption_chars(page, line) for line in lines) if chars]
        if found:
            on_pages.append((page, found))
    width = max(chars[-1]["x1"] - chars[0]["x0"] for _p, found in on_pages for chars in found)
    for page, found in on_pages:  # the poem may break between stanzas: each page on its own (margins mirror)
        seen_lines += len(found)
        lefts = [chars[0]["x0"] for chars in found]
        assert max(lefts) - min(lefts) < 0.5, lefts  # one common left indent
        face = found[0][0]["fontname"]
        centre = lefts[0] + width / 2  # the block is as wide as its longest line
        for number in numbers:
            chars = _line(page, number)
            if chars:
                seen_numbers += 1
                assert abs((chars[0]["x0"] + chars[-1]["x1"]) / 2 - centre) < 3, number  # centred over it
                assert chars[0]["fontname"] == face  # in the poem's face
    assert seen_lines == len(lines) and seen_numbers == len(numbers)
    # the block is centred on the measure: its longest line has equal room on both sides
    page = next(p for p in pdf.pages if _caption_chars(p, lines[3]))
    longest = _caption_chars(page, lines[3])
    body = [c for c in page.chars if round(c["size"], 1) == 10.5 and c["text"].strip()]
    if body:  # the page has body text: its lines start at the measure's left edge
        from bulletin.model import PrintSettings
        from bulletin.print.geometry import geometry_for

        # the right edge from the measure, not from the text (a line-end mark may hang past it)
        left = min(c["x0"] for c in body)
        right = left + geometry_for(PrintSettings()).text_width * MM
        assert abs((longest[0]["x0"] - left) - (right - longest[-1]["x1"])) < 3


# --- the pieces, without a build -----------------------------------------------------------------------


def test_consecutive_figures_become_rows_of_two_or_three():
    from bulletin.markdown import render_body, row_sizes

    def fig(n: int) -> str:
        return "\n\n".join(f"![图{i}](p{i}.jpg)" for i in range(n))

    html = render_body("正文。\n\n" + fig(2) + "\n\n正文。\n\n![单张](one.jpg)\n\n正文。").html
    assert html.count('<div class="figure-row figure-row-2">') == 1
    assert '<figure class="figure"><img src="one.jpg"' in html  # a photo alone stays alone
    assert html.count("<figure") == 3 and html.count("<figcaption>") == 3
    html = render_body(fig(5)).html
    assert html.count("figure-row-3") == 1 and html.count("figure-row-2") == 1  # 5 = 3 + 2
    # photos on consecutive lines of one paragraph: one row, each its own figure with its caption
    html = render_body("![甲](a.jpg)\n![乙](b.jpg)\n![丙](c.jpg)").html
    assert html.startswith('<div class="figure-row figure-row-3"><figure class="figure"><img src="a.jpg"')
    assert html.count("<figcaption>") == 3
    assert row_sizes(1) == [1] and row_sizes(4) == [2, 2] and row_sizes(7) == [3, 2, 2]
    # an image inside text is no figure
    assert "figure" not in render_body("文字![图](a.jpg)文字").html


def test_stanza_numbers_are_marked_in_poems_only():
    from bulletin.markdown import render_body

    md = "::: poem\n一\n\n风来了\n\n（二）\n雨来了\n\n其三\n\n十二月的风\n吹过\n:::\n\n一\n"
    html = render_body(md).html
    assert html.count('<p class="stanza-no">') == 3
    assert '<p class="stanza-no">（二）</p>\n<p>雨来了</p>' in html  # split off its stanza's first line
    assert "<p>十二月的风<br />" in html  # a line that only starts with a numeral is poem text
    assert html.rstrip().endswith("<p>一</p>")  # outside the poem: an ordinary paragraph


def test_figure_width_steps():
    from bulletin.print.render import figure_width

    assert figure_width((2400, 1600), 172, 139) == 172  # sharp enough for the full measure
    assert figure_width((1200, 800), 172, 139) == 86  # 300 dpi at half the measure, not at full
    assert figure_width((1600, 2200), 172, 139) == 86  # portrait: half at most
    assert figure_width((1600, 2400), 172, 139) == pytest.approx(57.3)  # at half, taller than allowed
    assert figure_width((700, 1050), 172, 139) == pytest.approx(57.3)
    assert figure_width((250, 167), 172, 139) == pytest.approx(57.3)  # too small even for a third
    assert figure_width((1000, 4000), 172, 139) < 57.3  # a tall strip is narrowed to fit the height


def test_a_float_kept_for_a_page_after_the_last_is_laid_out_in_place(project, tmp_path):
    import weasyprint

    from bulletin.build import load
    from bulletin.diagnostics import Report
    from bulletin.print import floats
    from bulletin.print.pdf import write_pdf
    from bulletin.print.render import print_html
    from bulletin.templating import default_templates_dir

    floats.install_float_patch()
    # a page 90 mm high: 70 mm of text, a 40 mm photo that does not fit under it, a last short line
    style = "<style>@page { size: 100mm; margin: 5mm } p { margin: 0 }</style>"
    unit = (
        f'<figure class="figure {floats.FLOAT_CLASS}" data-float-room="900" data-float-tail="0"'
        ' style="margin: 0">'
        '<img src="images/big-0.jpg" style="width: 60mm; display: block"></figure>'
    )
    body = f'<p style="height: 70mm">文字</p>{unit}<p>最后一段。</p>'
    html = f'<html lang="zh-CN">{style}<div class="body">{body}</div>'
    base = (project / "content" / "2026" / "01").as_uri() + "/"
    assert floats.missing_floats(weasyprint.HTML(string=html, base_url=base).render()) == 1
    archive = load(project, Report())
    doc = dataclasses.replace(print_html(archive, archive.issues[-1]), html=html, base_url=base)
    out = write_pdf(doc, [project, default_templates_dir()], "x")
    (tmp_path / "end.pdf").write_bytes(out.data)
    with pdfplumber.open(tmp_path / "end.pdf") as pdf:
        assert sum(len(p.images) for p in pdf.pages) == 1


# --- long poems break between stanzas ------------------------------------------------------------------

_STANZA_LINES = ("河水", "田野", "灯火", "村口", "桥头", "石阶", "柳树", "炊烟")


def _stanzas(lines_per_stanza: tuple[int, ...]) -> list[list[str]]:
    out = []
    for s, n in enumerate(lines_per_stanza):
        word = _STANZA_LINES[s % len(_STANZA_LINES)]
        out.append([f"第{s + 1}节第{k + 1}行写{word}的诗句" for k in range(n)])
    return out


LONG_POEM = _stanzas((4, 3, 4, 6, 4, 2, 4, 4, 3, 4, 4, 4, 5, 4, 4))


@pytest.fixture(scope="module")
def poem_pdf(tmp_path_factory):
    """A page of text, then a poem of 15 stanzas (2 to 6 lines) that cannot fit on the rest of the page."""
    root = tmp_path_factory.mktemp("poem") / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    issue = root / "content" / "2026" / "01"
    rng = random.Random(5)
    (issue / "kaiju.md").write_text(
        "---\ntitle: 开局之年\nsection: feature\nauthors: 林晓\n---\n\n"
        + "\n\n".join(_paragraph(rng, 260) for _ in range(6)) + "\n",
        encoding="utf-8",
    )
    poem = "\n\n".join("\n".join(lines) for lines in LONG_POEM)
    (issue / "shi.md").write_text(
        f"---\ntitle: 河畔长歌\nsection: poetry\nauthors: [李青]\n---\n::: poem\n{poem}\n:::\n",
        encoding="utf-8",
    )
    r = run_cli("--root", str(root), "build", "2026-01")
    assert r.returncode == 0, r.stderr
    with pdfplumber.open(root / "output" / "pdf" / "2026-01.pdf") as doc:
        yield doc


def test_a_long_poem_breaks_between_stanzas_never_inside_a_short_one(poem_pdf):
    page_of: dict[str, int] = {}
    for number, page in enumerate(poem_pdf.pages):
        text = (page.extract_text() or "").replace(" ", "")
        for lines in LONG_POEM:
            for line in lines:
                if line in text:
                    page_of[line] = number
    assert len(page_of) == sum(map(len, LONG_POEM))  # every line printed
    first = page_of[LONG_POEM[0][0]]
    assert page_of[LONG_POEM[-1][-1]] > first  # the poem does break across pages …
    # … and starts on the page where the text before it ends (not moved whole to a new page)
    assert "开局之年" in (poem_pdf.pages[first].extract_text() or "").replace(" ", "") or first == 1
    for lines in LONG_POEM:
        pages = [page_of[line] for line in lines]
        if len(lines) <= 4:
            assert len(set(pages)) == 1, lines  # a stanza of up to four lines stays together
        else:
            for p in set(pages):
                assert pages.count(p) >= 2, lines  # a longer one leaves two lines at least on each page


def test_stanzas_of_up_to_four_lines_are_kept_together():
    from bulletin.markdown import render_body
    from bulletin.print.render import mark_stanzas

    md = "::: poem\n一\n\n甲\n乙\n丙\n丁\n\n戊\n己\n庚\n辛\n壬\n\n独行\n:::\n\n正文一行\n正文二行\n"
    html = mark_stanzas(render_body(md, target="print").html)
    assert html.count('class="stanza-keep"') == 1  # the four-line stanza
    assert '<p class="stanza-keep">甲<br />' in html
    assert "<p>戊<br />" in html  # five lines: may break (two lines at least each side, print.css)
    assert "<p>独行</p>" in html and '<p class="stanza-no">一</p>' in html
    assert "<p>正文一行<br />" in html or "<p>正文一行\n正文二行</p>" in html  # outside poems: untouched


def test_section_names_are_set_above_the_body_size(poem_pdf):
    # a section label (栏目) is a heading, half a point over the body like the subheads: at the body size
    # it read as a short body line in the left column of a page (pdfcheck's justification count)
    sizes = Counter(round(c["size"], 1) for p in poem_pdf.pages for c in p.chars if c["text"].strip())
    body = sizes.most_common(1)[0][0]
    label = next(row for p in poem_pdf.pages for row in [_line(p, "人大文苑")] if row)
    assert {round(c["size"], 1) for c in label} == {body + 0.5}


def test_floated_photos_and_press_variant_rebuild_byte_identical(tmp_path):
    """The float patch, rows, poems, PDF/X-4 output intent and crop marks outside the bleed: two builds
    of the same issue in two clean folders, one with one worker and one with the default, give the same
    bytes."""
    pdfs = []
    for name, jobs in (("one", "1"), ("two", "2")):
        root = make_project(tmp_path / name)
        with (root / "bulletin.yaml").open("a", encoding="utf-8") as f:
            f.write("print:\n  pdf_variant: pdf/x-4\n  crop_marks: true\n")
        r = run_cli("--root", str(root), "build", "2026-01", "--jobs", jobs)
        assert r.returncode == 0, r.stderr
        pdfs.append((root / "output" / "pdf" / "2026-01.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdfs[0])) as pdf:  # the variant was really built
        assert len(pdf.Root.OutputIntents) == 1
        page = pdf.pages[0]
        assert float(page.MediaBox[2]) - float(page.TrimBox[2]) > 9 * MM  # marks outside the bleed


def test_a_row_of_different_shapes_is_set_level_one_shape_at_equal_widths():
    from bulletin.print.render import row_widths

    # two landscape photos and a portrait one: one height, so that the row ends level under all three
    sizes = [(1600, 1200), (1600, 1200), (1200, 1600)]
    widths = row_widths(sizes, 172, 4, 139)
    heights = [wd * h / w for wd, (w, h) in zip(widths, sizes, strict=True)]
    assert max(heights) - min(heights) < 0.5
    assert sum(widths) + 2 * 4 == pytest.approx(172, abs=0.5) and widths[2] < widths[0]
    # photos of one shape: equal widths filling the measure
    assert row_widths([(1600, 1200), (1600, 1190)], 172, 4, 139) == [84.0, 84.0]
    # a very narrow strip among wide photos would be a sliver: equal widths instead
    assert row_widths([(3000, 1000), (3000, 1000), (800, 1400)], 172, 4, 139) == [54.6] * 3
    # a row whose photos would be taller than allowed stands one under the other
    assert row_widths([(1000, 3000), (1000, 3000)], 172, 4, 100) is None
    assert row_widths([(1600, 1200), (0, 0)], 172, 4, 139) is None
