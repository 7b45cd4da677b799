"""Page operations after layout: the colophon to the foot of the last page, blank pages for the binding.

Saddle-stitched copies need a page count that is a multiple of 4. Like a typesetter, we add blank pages
at the end and keep the colophon (报尾: distribution list and imprint) at the foot of the very last page;
the blank pages carry nothing, not even a page number. Doing this on the laid-out pages costs nothing,
where laying the issue out a second time would double the rendering time.

This works on WeasyPrint's page boxes (pinned release, see pyproject.toml): `Page._page_box`, box
`children`, `translate()`.
"""

from __future__ import annotations

import copy

COLOPHON_CLASS = "colophon"


def _has_class(box, name: str) -> bool:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) is None:
        return False
    return name in (element.get("class") or "").split() and not getattr(box, "pseudo_type", None)


def _find(box, name: str, parent=None):
    """(box, parent) of the first block box with class `name` under `box`, or (None, None)."""
    if _has_class(box, name):
        return box, parent
    for child in getattr(box, "children", ()):
        found, found_parent = _find(child, name, box)
        if found is not None:
            return found, found_parent
    return None, None


def _content_bottom(page_box) -> float:
    """The y where the page's text area ends: above the footnotes, if the page has any."""
    bottom = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if type(child).__name__ == "FootnoteAreaBox" and child.children:
            bottom = min(bottom, child.position_y)
    return bottom


def _move_to_foot(box, page_box) -> None:
    dy = _content_bottom(page_box) - (box.position_y + box.margin_height())
    if dy > 0:
        box.translate(0, dy)


def blank_page(model):
    """A page with the size, bleed and marks of `model` and nothing on it."""
    page = copy.copy(model)
    page._page_box = model._page_box.copy_with_children([])
    page.bookmarks = []
    page.links = []
    page.anchors = {}
    page.forms = {None: []}
    return page


def finish_pages(pages: list, multiple: int) -> list:
    """The colophon at the foot of the last page, and blank pages up to a multiple of `multiple`."""
    pages = list(pages)
    if not pages:
        return pages
    colophon, parent, where = None, None, None
    for i in range(len(pages) - 1, -1, -1):
        colophon, parent = _find(pages[i]._page_box, COLOPHON_CLASS)
        if colophon is not None:
            where = i
            break
    missing = (-len(pages)) % multiple if multiple > 1 else 0
    if colophon is None:
        return pages + [blank_page(pages[-1]) for _ in range(missing)]
    if not missing:
        _move_to_foot(colophon, pages[where]._page_box)
        return pages

    # Move the colophon from the end of the text to the last (blank) page. A model page of the same
    # parity gives that page the right margins (left and right pages mirror each other).
    old_page = pages[where]._page_box
    alone = colophon.position_y - old_page.content_box_y() < 1  # it began a page of its own
    parent.children = [c for c in parent.children if c is not colophon]
    if alone:  # that page is empty now: blank, without a running head or a number
        pages[where] = blank_page(pages[where])
    last_index = len(pages) + missing - 1
    model = next((pages[i] for i in range(len(pages) - 1, 0, -1) if i % 2 == last_index % 2), pages[-1])
    blanks = [blank_page(pages[-1]) for _ in range(missing - 1)]
    last = blank_page(model)
    new_page = last._page_box
    colophon.translate(new_page.content_box_x() - old_page.content_box_x(), 0)
    new_page.children = [colophon]
    _move_to_foot(colophon, new_page)
    return pages + blanks + [last]
