"""补白: short items set into the white hole a new article leaves at a page foot when it moves on.

A typesetter does not leave 40 mm of white at the foot of a page because the next article (its head and
first lines kept together) did not fit there: they set a short item into the hole, a call for papers
(征稿启事), a quotation, a notice, from a stock the publication keeps. `print.fillers` in bulletin.yaml is
that stock (Markdown files); `print.fill_holes_mm` the height from which a hole is filled (0: never).

bulletin.print.pdf lays the issue out once. Only when a page (not the last) ends over
`fill_holes_mm` above its text area's foot, and the next page starts a new article or section, does it
choose fillers (:func:`plan`), insert them before those articles (:func:`insert`) and lay the issue out
a second time. A filler that fits the hole leaves everything before it where it was, and the article
after it still does not fit in the smaller room left, so every later page stays as it was;
:func:`placed` checks exactly that on the second layout, and if it does not hold the first layout is
kept. Issues without a hole, or without fillers, are laid out once, as before.

This reads WeasyPrint's laid-out boxes (pinned release, see pyproject.toml) without importing it.
"""

from __future__ import annotations

import html as htmlmod
import math
import re
from dataclasses import dataclass

from bulletin.headlines import text_em
from bulletin.print.geometry import MM_PER_PT, PageGeometry
from bulletin.print.paging import _content_bottom

FILLER_CLASS = "filler"
PX_PER_MM = 96 / 25.4
HOLE_MM = 40.0  # with print.fill_holes_mm 0 (never fill), holes from this height are still reported
SAFETY_MM = 2.0  # a filler is chosen only when its estimated height leaves this much of the hole free
# print.css: the filler's top margin (collapsing with the article's 5 mm bottom margin), its rule and
# padding, the heading's space under it
FILLER_TOP_MM = 5.0 + 2.5
TITLE_GAP_MM = 1.0

_LEAVES = frozenset({"LineBox", "BlockReplacedBox", "InlineReplacedBox"})
_P = re.compile(r"<(p|li|h[1-6])\b[^>]*>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class PrintFiller:
    """A filler as the print document carries it: its HTML (id `filler-N`) and estimated height."""

    index: int
    path: str  # print.fillers entry, for messages
    html: str
    height_mm: float


@dataclass(frozen=True)
class Hole:
    """White at the foot of `page` (0-based) because the article `anchor` starts on the next page."""

    page: int
    mm: float
    anchor: str


def estimate_height_mm(title: str, body_html: str, geometry: PageGeometry) -> float:
    """The height a filler takes (print.css `.filler`): its top margin and rule, a heading line, and its
    paragraphs at the body size, each as many lines as its characters fill (indent 2 em)."""
    line = geometry.body_pt * geometry.line_height * MM_PER_PT
    per_line = geometry.text_width / (geometry.body_pt * MM_PER_PT)
    height = FILLER_TOP_MM
    if title:
        height += math.ceil(text_em(title) / per_line - 0.05) * line + TITLE_GAP_MM
    for m in _P.finditer(body_html):
        text = htmlmod.unescape(_TAG.sub("", m.group(2))).replace("\u2060", "").replace("\u200b", "")
        if text.strip():
            height += max(1, math.ceil((text_em(text) + 2) / per_line - 0.05)) * line
    return height


# --- reading the layout ------------------------------------------------------------------------


def _classes(box) -> tuple[str, ...]:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) != element.tag:
        return ()
    return tuple((element.get("class") or "").split())


def _root(page):
    return next((b for b in page._page_box.children if getattr(b, "element_tag", None) == "html"), None)


def _out_of_flow(box) -> bool:
    """Boxes outside the text's flow: a proof's watermark and ¶ numbers (fixed, absolute), floats."""
    style = getattr(box, "style", None)
    return style is not None and (style["position"] in ("absolute", "fixed") or style["float"] != "none")


def _in_flow(box):
    """The descendants of `box` in the text's flow, in document order."""
    for child in getattr(box, "children", ()):
        if _out_of_flow(child):
            continue
        yield child
        yield from _in_flow(child)


def _lowest(root) -> float | None:
    """The bottom (px) of the lowest line or image in the page's flow."""
    bottoms = [b.position_y + b.margin_height() for b in _in_flow(root) if type(b).__name__ in _LEAVES]
    return max(bottoms, default=None)


def _starts_article(root) -> str | None:
    """The id of the article the page starts with, when its first line is a section head or an article's
    head; else None (the page goes on with an article begun before)."""
    head = None

    def walk(box, stack) -> bool:
        nonlocal head
        classes = _classes(box)
        stack = stack + [(classes, box)]
        if _out_of_flow(box):
            return False
        if type(box).__name__ in _LEAVES:
            names = {c for cs, _b in stack for c in cs}
            if "section-head" in names or "article-head" in names:
                head = (
                    "section"
                    if "article-head" not in names
                    else next((b.element.get("id") for cs, b in stack if "article" in cs), None)
                )
            else:
                head = ""
            return True
        return any(walk(child, stack) for child in getattr(box, "children", ()))

    walk(root, [])
    if head == "section":  # the section's first article, further down this page
        for box in root.descendants():
            if "article" in _classes(box) and any("article-head" in _classes(c) for c in box.children):
                return box.element.get("id")
        return None
    return head or None


def find_holes(pages, min_mm: float) -> list[Hole]:
    """Pages (not the last) ending at least `min_mm` (0: HOLE_MM) above their text area's foot before a
    page that starts a new article or section."""
    min_mm = min_mm if min_mm > 0 else HOLE_MM
    holes = []
    for i in range(len(pages) - 1):
        root, next_root = _root(pages[i]), _root(pages[i + 1])
        if root is None or next_root is None:
            continue
        lowest = _lowest(root)
        if lowest is None:
            continue
        white = (_content_bottom(pages[i]._page_box) - lowest) / PX_PER_MM
        if white >= min_mm and (anchor := _starts_article(next_root)):
            holes.append(Hole(i, round(white, 1), anchor))
    return holes


# --- filling -----------------------------------------------------------------------------------


def plan(holes: list[Hole], fillers: tuple[PrintFiller, ...]) -> dict[str, PrintFiller]:
    """For each hole in page order, the tallest filler not used yet that fits it (the first listed of
    equal ones): article anchor -> filler. Each filler is used once per issue."""
    chosen: dict[str, PrintFiller] = {}
    left = list(fillers)
    for hole in holes:
        fits = [f for f in left if f.height_mm + SAFETY_MM <= hole.mm]
        if not fits:
            continue
        best = max(fits, key=lambda f: (f.height_mm, -f.index))
        chosen[hole.anchor] = best
        left.remove(best)
    return chosen


def insert(html: str, chosen: dict[str, PrintFiller]) -> str:
    """`html` with each chosen filler just before its article (before the section head when the
    article opens its section)."""
    for anchor, filler in chosen.items():
        m = re.search(
            r'(<h1 class="section-head">(?:(?!</h1>).)*</h1>\s*)?<article\b[^>]*\bid="'
            + re.escape(anchor)
            + '"',
            html,
            re.S,
        )
        if m is None:  # a project template without our article markup: no filler there
            continue
        html = html[: m.start()] + filler.html + "\n" + html[m.start() :]
    return html


def placed(pages, holes: list[Hole], chosen: dict[str, PrintFiller], page_count: int) -> bool:
    """True when, in the second layout, every chosen filler stands whole on the page of its hole and its
    article still starts the next page, on as many pages as before: the rest of the issue is unchanged."""
    if len(pages) != page_count:
        return False
    by_anchor = {h.anchor: h for h in holes}
    for anchor, filler in chosen.items():
        hole = by_anchor[anchor]
        on = [
            i
            for i, page in enumerate(pages)
            if (root := _root(page)) is not None
            and any(
                b.element.get("id") == f"filler-{filler.index}"
                for b in root.descendants()
                if FILLER_CLASS in _classes(b)
            )  # fmt: skip
        ]
        if on != [hole.page] or hole.page + 1 >= len(pages):
            return False
        if _starts_article(_root(pages[hole.page + 1])) != anchor:
            return False
    return True
