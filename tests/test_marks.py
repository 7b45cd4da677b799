"""bulletin/print/marks.py: crop marks on the paper around the bleed, as a print shop needs them — the
sheet grown by the mark area, artwork clipped to the bleed, eight hairlines on the trim lines in the
registration colour (every plate) for press PDFs, RGB black for the PDF/A archive copy.

(tests/test_print_production.py checks the marks in a whole issue's PDF; these run on one page.)
"""

from __future__ import annotations

import io
import re

import pytest

from bulletin.print.geometry import MARK_AREA_MM, MARK_GAP_MM, MARK_LENGTH_MM, MARK_LINE_PT
from bulletin.print.marks import PT_PER_MM, REGISTRATION, add_crop_marks, mark_lines

pydyf = pytest.importorskip("pydyf")
pikepdf = pytest.importorskip("pikepdf")

TRIM = (0.0, 0.0, 595.3, 841.9)  # A4 in points
BLEED = (-8.5, -8.5, 603.8, 850.4)  # 3 mm around it


def one_page_pdf(pages: int = 1, shared_resources: bool = True):
    """A PDF as WeasyPrint hands it to the finisher: MediaBox = the CSS bleed box, TrimBox = the page."""
    pdf = pydyf.PDF()
    resources = pydyf.Dictionary({"ProcSet": pydyf.Array(["/PDF"])})
    pdf.add_object(resources)
    for _ in range(pages):
        content = pydyf.Stream(["0 0 1 rg", "-8.5 -8.5 612.3 100 re f"])  # a band into the bleed
        pdf.add_object(content)
        res = resources
        if not shared_resources:
            res = pydyf.Dictionary({"ProcSet": pydyf.Array(["/PDF"])})
            pdf.add_object(res)
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array(BLEED),
                "TrimBox": pydyf.Array(TRIM),
                "Contents": content.reference,
                "Resources": res.reference,
            }
        )
        pdf.add_page(page)
    return pdf


def written(pdf) -> pikepdf.Pdf:
    out = io.BytesIO()
    pdf.write(out)
    return pikepdf.open(io.BytesIO(out.getvalue()))


def box(array) -> tuple[float, ...]:
    return tuple(float(v) for v in array)


def test_the_sheet_grows_by_the_mark_area_around_the_bleed():
    pdf = one_page_pdf()
    add_crop_marks(pdf, pydyf, registration=True)
    doc = written(pdf)  # (kept: a page of a closed file reads nothing)
    page = doc.pages[0]
    extra = MARK_AREA_MM * PT_PER_MM
    assert box(page.MediaBox) == pytest.approx(
        (BLEED[0] - extra, BLEED[1] - extra, BLEED[2] + extra, BLEED[3] + extra)
    )
    assert box(page.BleedBox) == pytest.approx(BLEED)
    assert box(page.TrimBox) == pytest.approx(TRIM)


def test_the_artwork_is_clipped_to_the_bleed_and_the_marks_drawn_after_it():
    pdf = one_page_pdf()
    add_crop_marks(pdf, pydyf, registration=True)
    doc = written(pdf)
    clip, artwork, marks = (s.read_bytes().decode() for s in doc.pages[0].Contents)
    assert clip == "q -8.5 -8.5 612.3 858.9 re W n"  # the bleed box, as a clipping path
    assert "0 0 1 rg" in artwork
    assert marks.startswith("Q\nq\n")  # the clip ends before the marks
    assert f"{MARK_LINE_PT} w" in marks.split("\n")
    assert len(re.findall(r" m .* l S", marks)) == 8


def marked_page(registration: bool):
    """(the page, its marks' content stream) of a one-page PDF given crop marks."""
    pdf = one_page_pdf()
    add_crop_marks(pdf, pydyf, registration=registration)
    doc = written(pdf)
    page = doc.pages[0]
    return page, page.Contents[2].read_bytes().decode(), doc  # (doc kept: a closed file's page reads nothing)


def test_press_marks_are_in_the_registration_colour():
    page, marks, _doc = marked_page(registration=True)
    assert f"/{REGISTRATION} CS" in marks and "1 SCN" in marks
    space = page.Resources.ColorSpace[f"/{REGISTRATION}"]
    assert [str(space[0]), str(space[1]), str(space[2])] == ["/Separation", "/All", "/DeviceCMYK"]
    assert list(space[3].C1) == [1, 1, 1, 1]  # full tint on every plate


def test_archive_copy_marks_are_rgb_black_without_a_separation():
    page, marks, _doc = marked_page(registration=False)
    assert "0 0 0 RG" in marks and "SCN" not in marks
    assert "/ColorSpace" not in page.Resources


@pytest.mark.parametrize("shared", [True, False])
def test_every_page_is_marked_and_shared_resources_get_the_colour_once(shared):
    pdf = one_page_pdf(pages=3, shared_resources=shared)
    add_crop_marks(pdf, pydyf, registration=True)
    doc = written(pdf)
    for page in doc.pages:
        assert box(page.BleedBox) == pytest.approx(BLEED)
        assert f"/{REGISTRATION}" in page.Resources.ColorSpace
    assert len({page.Resources.ColorSpace[f"/{REGISTRATION}"].objgen for page in doc.pages}) == 1


def test_the_marks_lie_on_the_trim_lines_outside_the_bleed():
    gap, length = MARK_GAP_MM * PT_PER_MM, MARK_LENGTH_MM * PT_PER_MM
    lines = mark_lines(TRIM, BLEED)
    assert len(lines) == 8
    for (x0, y0), (x1, y1) in lines:
        assert (x0 == x1) != (y0 == y1)  # horizontal or vertical
        assert abs(x1 - x0) + abs(y1 - y0) == pytest.approx(length)
        if y0 == y1:  # horizontal: on a trim line y, starting `gap` beyond the bleed's left or right edge
            assert y0 in (TRIM[1], TRIM[3])
            assert min(abs(x0 - (BLEED[0] - gap)), abs(x0 - (BLEED[2] + gap))) == pytest.approx(0)
        else:
            assert x0 in (TRIM[0], TRIM[2])
            assert min(abs(y0 - (BLEED[1] - gap)), abs(y0 - (BLEED[3] + gap))) == pytest.approx(0)


def test_marking_is_deterministic():
    a, b = one_page_pdf(), one_page_pdf()
    add_crop_marks(a, pydyf, registration=True)
    add_crop_marks(b, pydyf, registration=True)
    out_a, out_b = io.BytesIO(), io.BytesIO()
    a.write(out_a, identifier=b"x")
    b.write(out_b, identifier=b"x")
    assert out_a.getvalue() == out_b.getvalue()
