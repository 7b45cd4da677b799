"""bulletin/print/geometry.py: the page measures Python and the print stylesheet agree on — page sizes,
the text block and its columns, how wide a photo may print and stay sharp, the room the contents take."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulletin.model import PrintSettings
from bulletin.print.geometry import (
    MARK_AREA_MM,
    MARK_GAP_MM,
    MARK_LENGTH_MM,
    MARK_MARGIN_MM,
    PAGE_SIZES_MM,
    TARGET_DPI,
    geometry_for,
    text_width_em,
)


@pytest.mark.parametrize("size, width, height", [("A4", 210, 297), ("A3", 297, 420), ("B5", 176, 250)])
def test_page_sizes_are_the_iso_sizes(size, width, height):
    g = geometry_for(PrintSettings(page_size=size))
    assert (g.size, g.width, g.height) == (size, width, height)
    assert PAGE_SIZES_MM[size] == (width, height)


def test_an_unknown_size_is_a4():
    assert geometry_for(PrintSettings(page_size="Letter")).size == "A4"


def test_the_bleed_is_the_settings():
    assert geometry_for(PrintSettings(bleed_mm=5.0)).bleed == 5.0


@pytest.mark.parametrize("size", sorted(PAGE_SIZES_MM))
def test_columns_fill_the_text_block_with_their_gaps(size):
    g = geometry_for(PrintSettings(page_size=size))
    assert g.text_width == g.width - g.margin_inner - g.margin_outer
    assert g.column_width(1) == g.text_width
    for n in (2, 3):
        assert n * g.column_width(n) + (n - 1) * g.column_gap == pytest.approx(g.text_width)
    # a gap of three body characters at least: a half-width mark at a line end never meets the next column
    assert g.column_gap >= 3 * g.body_pt * 25.4 / 72
    assert g.margin_inner >= g.margin_outer  # the binding side is never the narrower


def test_bigger_pages_have_a_bigger_text_block():
    a3, a4, b5 = (geometry_for(PrintSettings(page_size=s)) for s in ("A3", "A4", "B5"))
    assert a3.text_width > a4.text_width > b5.text_width
    assert a3.body_pt >= a4.body_pt >= b5.body_pt


def test_a_photo_with_pixels_enough_takes_the_column():
    g = geometry_for(PrintSettings())
    assert g.photo_width(4000, 1) == g.column_width(1)
    assert g.photo_width(4000, 2) == g.column_width(2)


def test_a_smaller_photo_prints_at_300_dpi():
    g = geometry_for(PrintSettings())
    assert g.photo_width(1200, 1) == pytest.approx(101.6)  # 1200 px / 300 dpi = 4 in


@given(
    st.integers(min_value=1, max_value=20000),
    st.sampled_from([1, 2, 3]),
    st.sampled_from(sorted(PAGE_SIZES_MM)),
)
def test_a_photo_is_never_softer_than_300_dpi_unless_it_is_at_half_its_column(pixels, columns, size):
    """Half the column is the least a photo is given (smaller is useless; preflight then warns)."""
    g = geometry_for(PrintSettings(page_size=size))
    width = g.photo_width(pixels, columns)
    column = g.column_width(columns)
    assert round(column / 2, 1) <= width <= column
    if width > round(column / 2, 1):
        assert pixels / (width / 25.4) >= TARGET_DPI - 1e-9


def test_text_width_in_em():
    assert text_width_em("人大") == 2.0
    assert text_width_em("“，”") == 3.0  # full-width and ambiguous-width marks: one em each
    assert text_width_em("GDP") == pytest.approx(1.65)


def test_the_contents_label_column_fits_the_longest_section_name():
    g = geometry_for(PrintSettings())
    assert g.toc_label_em([("建言献策直通车", 1), ("一篇文章", 2)]) == 8.5  # 7 characters
    assert g.toc_label_em([("要闻", 1)]) == g.toc_label_em([("特别关注", 1)]) == 5.5  # never under four
    assert g.toc_label_em([]) == 5.5


def test_a_long_title_takes_more_contents_lines_and_more_room():
    g = geometry_for(PrintSettings())
    short = [("特别关注", 1), ("凝心聚力开新局", 2)]
    long = [("特别关注", 1), ("凝心聚力开新局" * 8, 2)]
    assert g.toc_lines(short) == 1
    assert g.toc_lines(long) > 1
    assert g.toc_height(long) > g.toc_height(short)
    # section names stand beside their first article: they add no line, only a little spacing
    assert g.toc_lines(short + [("人大文苑", 1), ("春到河畔", 2)]) == 2


def test_crop_mark_area_is_gap_length_and_margin():
    assert MARK_AREA_MM == MARK_GAP_MM + MARK_LENGTH_MM + MARK_MARGIN_MM
    assert MARK_GAP_MM > 0  # a mark never touches the bleed
