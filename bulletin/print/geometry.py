"""Page geometry for print: sizes, margins, columns, and the measures derived from them.

The numbers live here, not in the stylesheet alone, because Python needs them too: to size photos so that
they print at 300 dpi, and to reserve room for a table of contents at the top of page 2.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from bulletin.model import PrintSettings

PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "B5": (176.0, 250.0)}

MM_PER_PT = 25.4 / 72
# Article titles are set this many points above the body (print.css .article-title).
TITLE_PT_OVER_BODY = 6
TARGET_DPI = 300  # below this a photo prints soft: warning
MINIMUM_DPI = 150  # below this it prints visibly blurred: error


@dataclass(frozen=True)
class PageGeometry:
    """Everything the stylesheet and the layout rules need to agree on, in millimetres and points."""

    size: str
    width: float
    height: float
    bleed: float
    margin_top: float  # room for the running head above the text
    margin_bottom: float  # room for the page number
    margin_inner: float  # binding side (saddle stitch)
    margin_outer: float
    column_gap: float
    body_pt: float  # body type size
    line_height: float  # body leading, as a multiple of the size
    toc_pt: float
    toc_first_page_lines: int  # "auto" puts the contents on page 1 when it has at most this many lines

    @property
    def text_width(self) -> float:
        return self.width - self.margin_inner - self.margin_outer

    def column_width(self, columns: int) -> float:
        return (self.text_width - (columns - 1) * self.column_gap) / columns

    def photo_width(self, pixels: int, columns: int) -> float:
        """Printed width (mm) of a photo `pixels` wide: the column width, or less so that it still prints
        at TARGET_DPI, but never under half the column (a smaller photo is useless: preflight then warns)."""
        column = self.column_width(columns)
        at_target = math.floor(pixels / TARGET_DPI * 25.4 * 10) / 10
        return max(min(column, at_target), round(column / 2, 1))

    # --- the table of contents -------------------------------------------------------------------

    @staticmethod
    def toc_label_em(entries: list[tuple[str, int]]) -> float:
        """Width (em) of the column of section names at the left of the contents: the longest name on one
        line (`建言献策直通车`, 7 characters, takes 8.5 em), never less than a four-character name's."""
        longest = max((text_width_em(t) for t, level in entries if level == 1), default=0.0)
        return math.ceil(max(4.0, longest) * 2) / 2 + 1.5

    def toc_lines(self, entries: list[tuple[str, int]]) -> int:
        """Lines the contents take: `entries` are (text, level) with level 1 = section, 2 = article.
        Section names stand at the left of their first article; an article line needs room for a leader
        and a page number after the title."""
        # the section names' column and the gap after it
        per_line_em = self.text_width / (self.toc_pt * MM_PER_PT) - self.toc_label_em(entries) - 0.5
        lines = 0
        for text, level in entries:
            if level == 2:
                lines += max(1, math.ceil((text_width_em(text) + 4.5) / per_line_em))
        return lines

    def toc_height(self, entries: list[tuple[str, int]]) -> float:
        """Height (mm) to reserve for the contents at the top of page 2: heading, lines, padding; generous,
        since the contents sit at the bottom of the reserved room (too much only adds white above)."""
        line = self.toc_pt * 1.6 * MM_PER_PT
        sections = sum(1 for _t, level in entries if level == 1)
        return round(12 + (self.toc_lines(entries) + 1) * line + sections * 0.8 + 4, 1)


# Crop marks (print.crop_marks) stand outside the bleed, on a sheet enlarged to carry them: each mark
# starts MARK_GAP beyond the bleed edge and is MARK_LENGTH long, with MARK_MARGIN of paper after it.
MARK_GAP_MM = 1.0
MARK_LENGTH_MM = 5.0
MARK_MARGIN_MM = 1.0
MARK_AREA_MM = MARK_GAP_MM + MARK_LENGTH_MM + MARK_MARGIN_MM
MARK_LINE_PT = 0.25


def text_width_em(text: str) -> float:
    """Approximate advance of `text` in em: CJK and full-width characters 1 em, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


def geometry_for(settings: PrintSettings) -> PageGeometry:
    size = settings.page_size if settings.page_size in PAGE_SIZES_MM else "A4"
    width, height = PAGE_SIZES_MM[size]
    # Column gaps are a little over three body characters, with a rule in the middle: wide enough that a
    # half-width mark at a line end never reads as running into the next column (and that measuring
    # tools which split columns at a 3 em gap see two columns).
    if size == "A3":
        return PageGeometry(size, width, height, settings.bleed_mm, 26, 22, 22, 20, 13, 11.0, 1.75, 11.0, 16)
    if size == "B5":
        return PageGeometry(size, width, height, settings.bleed_mm, 21, 18, 18, 15, 11, 10.0, 1.7, 9.5, 8)
    return PageGeometry(size, width, height, settings.bleed_mm, 24, 20, 20, 18, 12, 10.5, 1.75, 10.0, 11)


def title_width_em(geometry: PageGeometry) -> float:
    """Characters of an article title per line (the full text width; half an em kept in hand)."""
    return geometry.text_width / ((geometry.body_pt + TITLE_PT_OVER_BODY) * MM_PER_PT) - 0.5
