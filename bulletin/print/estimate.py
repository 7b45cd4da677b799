"""How many pages an issue will print on, estimated before the PDF is built (no WeasyPrint).

Each block of each article is given the height it takes in the print layout, from the same numbers as
the stylesheet (bulletin.print.geometry; templates/print/print.css): a paragraph takes as many lines as
its characters fill at the column's characters per line (a Chinese character one em, a Latin letter or
digit about half), a photo the height of the width step it prints at (render.figure_width) plus its
caption, a table its rows. Page 1 loses the masthead (and the contents when they stand there), page 2
the contents when they stand at its top, the last page the colophon. The heights are summed and divided
by the text height of a page; the page count is that rounded up, then padded to the binding's multiple
(print.pad_to_multiple), as the PDF is.

The error against the real PDFs of the sample issues is measured in tests/test_estimate.py and quoted in
docs/architecture.md.
"""

from __future__ import annotations

import html as htmlmod
import math
import re
from dataclasses import dataclass

from bulletin.headlines import text_em
from bulletin.markdown import render_body
from bulletin.model import Archive, Article, Issue
from bulletin.print.geometry import MM_PER_PT, PageGeometry, geometry_for

# Breaks the layout cannot avoid (a photo or heading kept off a page foot, widows and orphans) leave a
# little white on most pages: this share of a page's text height is the part text can really fill
# (measured on the sample issues, tests/test_estimate.py).
FILL = 0.98
MASTHEAD_MM = 47.0  # the masthead of page 1 with its rules (print.css .masthead), under the 9 mm top margin
FIRST_PAGE_TOP_MM = 9.0

_TAG = re.compile(r"<[^>]+>")
_FOOTNOTE = re.compile(r'<span class="footnote">(.*?)</span>', re.S)
_FIGURE_ROW = re.compile(r'<div class="figure-row figure-row-\d">(.*?)</div>', re.S)
_FIGURE = re.compile(r'<figure class="figure"><img src="([^"]*)"[^>]*>(.*?)</figure>', re.S)
_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
_POEM = re.compile(r'<div class="poem">(.*?)</div>', re.S)
_BLOCK = re.compile(r"<(p|h[1-6]|li)( [^>]*)?>(.*?)</\1>", re.S)
_BR = re.compile(r"<br\s*/?>")
_QUOTE = re.compile(r"<blockquote>(.*?)</blockquote>", re.S)


def _text(fragment: str) -> str:
    return htmlmod.unescape(_TAG.sub("", fragment)).strip()


@dataclass(frozen=True)
class PageEstimate:
    """The estimate for one issue."""

    pages: float  # pages of content, fractional
    content_pages: int  # pages with content (rounded up)
    printed_pages: int  # with the blank pages added for the binding, as in the PDF


class _Measure:
    """Line heights and characters per line for a type size on a measure."""

    def __init__(self, geometry: PageGeometry) -> None:
        self.g = geometry

    def line_mm(self, pt: float, leading: float) -> float:
        return pt * leading * MM_PER_PT

    def per_line(self, measure_mm: float, pt: float) -> float:
        return max(1.0, measure_mm / (pt * MM_PER_PT))

    def lines(self, text: str, measure_mm: float, pt: float, indent_em: float = 0.0) -> int:
        em = text_em(text)
        if em <= 0:
            return 0
        return max(1, math.ceil((em + indent_em) / self.per_line(measure_mm, pt) - 0.05))


def article_height(article: Article, geometry: PageGeometry, columns: int, photo_size=None) -> float:
    """Height (mm) the article takes in print: head, body and end, on its own (no section head)."""
    from bulletin.print.render import FIGURE_MAX_HEIGHT, _pixel_size, figure_width, row_widths

    m = _Measure(geometry)
    g = geometry
    size_of = photo_size or (lambda src: _pixel_size((article.path.parent / htmlmod.unescape(src)).resolve()))
    text_height = g.height - g.margin_top - g.margin_bottom
    measure = g.column_width(columns)
    body_pt = g.body_pt
    body_line = m.line_mm(body_pt, g.line_height)
    caption_pt = body_pt - 1.5

    # the head: title (centred, balanced), subtitle, byline
    from bulletin.print.geometry import title_width_em

    title_lines = max(1, math.ceil(text_em(article.title) / title_width_em(g) - 0.05))
    head = 2 + 1.5 + title_lines * m.line_mm(body_pt + 6, 1.4) + 3
    if article.subtitle:
        head += m.lines(article.subtitle, g.text_width, body_pt + 1) * m.line_mm(body_pt + 1, 1.5)
    if article.authors:
        head += 1 + body_line

    html = render_body(article.body, target="print").html
    footnotes = [_text(f) for f in _FOOTNOTE.findall(html)]
    html = _FOOTNOTE.sub("", html)
    body = 0.0  # mm of body text, in one column

    def figure(src: str, caption: str, width: float | None = None) -> float:
        w, h = size_of(src)
        if width is None:
            width = figure_width((w, h), measure, FIGURE_MAX_HEIGHT * text_height) if w and h else measure
        photo = width * h / w if w and h else 0.0
        cap = m.lines(_text(caption), width, caption_pt) * m.line_mm(caption_pt, 1.5) + 1.2 if caption else 0
        return photo + cap

    def rows(match: re.Match) -> str:
        nonlocal body
        figs = _FIGURE.findall(match.group(1))
        n = len(figs)
        if n:
            sizes = [size_of(src) for src, _cap in figs]
            widths = row_widths(sizes, measure, g.column_gap / 2, FIGURE_MAX_HEIGHT * text_height)
            if widths is not None:
                body += max(figure(src, cap, wd) for (src, cap), wd in zip(figs, widths, strict=True)) + 5.5
            else:
                body += sum(figure(src, cap) + 5.5 for src, cap in figs)
        return ""

    def single(match: re.Match) -> str:
        nonlocal body
        body += figure(match.group(1), match.group(2)) + 5.5
        return ""

    def table(match: re.Match) -> str:
        nonlocal body
        table_rows = [_CELL.findall(r) for r in _ROW.findall(match.group(1))]
        cols = max((len(r) for r in table_rows), default=1) or 1
        cell_measure = max(5.0, measure / cols - 3)
        small = body_pt - 1.5
        for cells in table_rows:
            lines = max((m.lines(_text(c), cell_measure, small) for c in cells), default=1)
            body += max(1, lines) * m.line_mm(small, 1.5) + 1.2
        body += 2 * 0.6 * small * MM_PER_PT
        return ""

    def poem(match: re.Match) -> str:
        nonlocal body
        pt = body_pt + 0.5
        stanzas = re.findall(r"<p[^>]*>(.*?)</p>", match.group(1), re.S)
        for i, stanza in enumerate(stanzas):
            for line in _BR.split(stanza):
                if _text(line):
                    body += m.lines(_text(line), measure, pt) * m.line_mm(pt, g.line_height)
            if i < len(stanzas) - 1:
                body += 0.9 * pt * MM_PER_PT
        body += 2 * 0.6 * pt * MM_PER_PT
        return ""

    def quote(match: re.Match) -> str:
        nonlocal body
        inner = measure - 4 * body_pt * MM_PER_PT
        for _tag, _attrs, text in _BLOCK.findall(match.group(1)):
            body += m.lines(_text(text), inner, body_pt, 2) * body_line
        body += body_pt * MM_PER_PT
        return ""

    html = _FIGURE_ROW.sub(rows, html)
    html = _FIGURE.sub(single, html)
    html = _TABLE.sub(table, html)
    html = _POEM.sub(poem, html)
    html = _QUOTE.sub(quote, html)
    for tag, attrs, text in _BLOCK.findall(html):
        plain = _text(text)
        if not plain:
            continue
        attrs = attrs or ""
        if tag.startswith("h"):
            pt = body_pt + 0.5
            body += m.lines(plain, measure, pt, 2) * m.line_mm(pt, g.line_height) + 0.5 * pt * MM_PER_PT
        elif "brief" in attrs:
            body += m.lines(plain, measure, body_pt) * body_line + 0.8 * body_pt * MM_PER_PT
        elif "bold-heading" in attrs:
            pt = body_pt + 0.5
            body += m.lines(plain, measure, pt, 2) * m.line_mm(pt, g.line_height) + 0.4 * pt * MM_PER_PT
        else:
            body += m.lines(plain, measure, body_pt, 2) * body_line
    if columns > 1:
        body /= columns  # balanced columns
    notes_pt = body_pt - 2
    notes = sum(m.lines(n, g.text_width, notes_pt) * m.line_mm(notes_pt, 1.5) for n in footnotes)
    if footnotes:
        notes += 4.5  # the rule above the footnotes
    end = 0.0
    for extra in (f"据《{article.source}》" if article.source else "", article.author_note):
        if extra:
            end += m.lines(extra, measure, body_pt, 2) * body_line
    return head + body + notes + end


def estimate_pages(archive: Archive, issue: Issue) -> PageEstimate:
    """The issue's page count, estimated from its text, photos and the page geometry."""
    from bulletin.print.render import toc_entries, toc_mode

    pub = archive.publication
    settings = pub.print
    g = geometry_for(settings)
    m = _Measure(g)
    text_height = g.height - g.margin_top - g.margin_bottom
    section_head = 6 + 2 + m.line_mm(g.body_pt, 1.6) + 0.8
    total = 0.0
    seen = set()
    for i, article in enumerate(issue.articles):
        if article.section not in seen:
            total += section_head
            seen.add(article.section)
        elif i:
            total += 4  # the rule and space between two articles of a section
        total += 5 + article_height(article, g, article.columns or settings.columns)
    # page 1: a smaller top margin, the masthead (and the epigraph, the contents when short)
    total += MASTHEAD_MM - (g.margin_top - FIRST_PAGE_TOP_MM)
    if issue.epigraph is not None:
        pt = g.body_pt + 0.5
        width = g.text_width - 10
        texts = [t for t in (issue.epigraph.text, issue.epigraph.source) if t]
        total += 7 + 5 + sum(m.lines(t, width, pt, 2) * m.line_mm(pt, 1.7) for t in texts)
    mode = toc_mode(issue, g, settings.toc)
    entries = toc_entries(issue)
    if mode == "first-page":
        total += 4 + 5 + m.line_mm(g.toc_pt + 2, 1.6) + g.toc_lines(entries) * m.line_mm(g.toc_pt, 1.6)
    elif mode == "second-page":
        total += g.toc_height(entries)
    # the colophon at the foot of the last page
    rows = 1 + bool(pub.distribution) + bool(settings.printer or settings.print_run or settings.permit_number)
    rows += bool(settings.imprint)
    total += 4 + rows * (m.line_mm(g.body_pt - 1.5, 1.5) + 1.2)
    pages = total / (text_height * FILL)
    content = max(1, math.ceil(pages - 0.02))
    pad = max(1, settings.pad_to_multiple)
    return PageEstimate(round(pages, 2), content, math.ceil(content / pad) * pad)


def article_pages(archive: Archive, article: Article) -> float:
    """The share of a page the article takes (its head, body and end), for check's table."""
    settings = archive.publication.print
    g = geometry_for(settings)
    text_height = g.height - g.margin_top - g.margin_bottom
    return article_height(article, g, article.columns or settings.columns) / (text_height * FILL)
