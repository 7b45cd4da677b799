"""Top floats for print: a photo that does not fit where it is written goes to the top of the next page,
and the text after it fills the page it was pushed from (no white hole at the page foot).

WeasyPrint 70 has no page floats (``float: top`` is ignored as invalid). It does lay out, on every
page and before the page's text, a note area (GCPM notes, ``@note-area``) at the top of the page, and
starts the text below it. :func:`install_float_patch` (once per process, before rendering; WeasyPrint
70.0 only, like the justification patch in bulletin.print.cjk) uses that box, in the same single pass:

* a float unit (a block with class :data:`FLOAT_CLASS`: a figure, or a row of figures side by side)
  that does not fit in the room left on its page, or that would leave less than ``data-float-tail``
  (CSS px) under it, is taken out of the flow there and kept for the next page instead of ending the
  page; the text after it goes on filling this page;
* the next page's note area holds copies of the units kept for it, in order, and the flow skips a unit
  where it meets it again (a break found earlier, before the unit, must not print it twice);
* a figure that may not float, or finds no room on the next page, takes the first of its narrower
  widths (``data-narrower``, CSS px) that fits with room under it; else it breaks the page as before.

Rules: units keep their order (once one is deferred, the following units of that page are deferred
too); the units kept for one page take at most ``data-float-room`` (CSS px) — else the unit breaks the
page as before; a unit first on its page is laid out in place as before. bulletin.print.render gives the
class and the two attributes only where this is safe: one-column articles (column balancing lays text
out several times) and units followed in their article by enough text to fill the room they leave.
A unit kept for a page after the last is on no page: :func:`missing_floats` counts those, and
bulletin.print.pdf then renders the issue again without floats.
"""

from __future__ import annotations

from math import inf

__all__ = [
    "FLOAT_CLASS",
    "SUPPORTED_WEASYPRINT",
    "float_patch_installed",
    "install_float_patch",
    "missing_floats",
    "uninstall_float_patch",
]

FLOAT_CLASS = "top-float"
NARROWER_ATTR = "data-narrower"  # widths (CSS px, widest first) a figure may take where it does not fit
NOTE_AREA_TAG = "@note-area"
SUPPORTED_WEASYPRINT = "70.0"

_originals: dict = {}


def float_patch_installed() -> bool:
    return bool(_originals)


def _is_float(box) -> bool:
    element = getattr(box, "element", None)
    if element is None or box.element_tag != element.tag:  # pseudo-elements and anonymous boxes
        return False
    return FLOAT_CLASS in (element.get("class") or "").split()


def _is_unit(box) -> bool:
    """A float unit, or a figure that may be set narrower where it does not fit."""
    return _is_float(box) or (
        getattr(box, "element", None) is not None
        and box.element_tag == box.element.tag
        and box.element.get(NARROWER_ATTR) is not None
    )


def _widths(box) -> list[float]:
    try:
        return [float(w) for w in (box.element.get(NARROWER_ATTR) or "").split()]
    except ValueError:
        return []


def _number(box, name: str, default: float) -> float:
    try:
        return float(box.element.get(name) or default)
    except ValueError:
        return default


def _state(context) -> dict:
    """The units kept for each page of this layout: page number -> [(unit box, height)]."""
    state = context.__dict__.get("_bulletin_floats")
    if state is None:
        state = context.__dict__["_bulletin_floats"] = {}
    return state


def missing_floats(document) -> int:
    """How many float units of a rendered WeasyPrint `document` are on no page (kept for a page after
    the last one) or on more than one."""
    if not document.pages:
        return 0
    root = next((b.element for b in document.pages[0]._page_box.children if b.element_tag == "html"), None)
    if root is None:
        return 0
    pages_of: dict = {}
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if _is_float(box):
                pages_of.setdefault(box.element, set()).add(number)
    units = [e for e in root.iter() if FLOAT_CLASS in (e.get("class") or "").split()]
    return sum(1 for e in units if len(pages_of.get(e, ())) != 1)


def install_float_patch(*, check_version: bool = True) -> bool:
    """Install the top floats described in the module docstring. Idempotent; returns True when this
    call installed them. Raises RuntimeError for another WeasyPrint release unless `check_version` is
    false (the patch wraps internal functions). Documents without float units lay out as before."""
    if _originals:
        return False
    import weasyprint
    from weasyprint.css.properties import Dimension
    from weasyprint.layout import block, page

    if check_version and weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        raise RuntimeError(
            f"bulletin.print.floats: written for WeasyPrint {SUPPORTED_WEASYPRINT}, "
            f"found {weasyprint.__version__}"
        )
    for module, name in ((block, "_in_flow_layout"), (block, "block_level_layout"), (page, "make_page"),
                         (page, "block_level_layout")):  # fmt: skip
        if not hasattr(module, name):
            raise RuntimeError(f"bulletin.print.floats: WeasyPrint has no {module.__name__}.{name}")

    original_in_flow = block._in_flow_layout
    original_make_page = page.make_page
    original_page_block_layout = page.block_level_layout
    block_level_layout = block.block_level_layout

    def make_page(context, root_box, page_type, resume_at, page_number, page_state):
        _state(context).pop(page_number + 1, None)  # this page decides (again) what goes to the next
        return original_make_page(context, root_box, page_type, resume_at, page_number, page_state)

    def page_block_layout(context, box, *args, **kwargs):
        # make_page lays out the note area first; the units kept for this page become its children.
        if box.element_tag == NOTE_AREA_TAG and not box.children:
            units = [unit.deepcopy() for unit, _h in _state(context).get(context.current_page, ())]
            if units:
                first = units[0]
                first.style = first.style.copy()
                first.style["margin_top"] = Dimension(0, "px")  # flush with the top of the text area
                box.children = units
                box.style = box.style.copy()  # the last unit's bottom margin stays above the text
                box.style["padding_bottom"] = Dimension(0.01, "px")
                context.__dict__["_bulletin_note_area"] = True  # the units are laid out as they are
                try:
                    return original_page_block_layout(context, box, *args, **kwargs)
                finally:
                    context.__dict__["_bulletin_note_area"] = False
        return original_page_block_layout(context, box, *args, **kwargs)

    def in_flow_layout(context, box, index, child, new_children, page_is_empty, absolute_boxes,
                       fixed_boxes, adjoining_margins, bottom_space, position_y, skip_stack,
                       first_letter_style, first_line_style, discard, next_page, max_lines):  # fmt: skip
        def in_place(unit=child, trial=False):
            # A trial works on copies of the lists: a unit set otherwise is as if never tried here.
            return original_in_flow(
                context, box, index, unit, list(new_children) if trial else new_children, page_is_empty,
                absolute_boxes, fixed_boxes, list(adjoining_margins) if trial else adjoining_margins,
                bottom_space, position_y, skip_stack, first_letter_style, first_line_style, discard,
                next_page, max_lines)  # fmt: skip

        def fits(result) -> bool:
            """Placed on this page with room for a few lines under it (or first on the page)."""
            abort, _stop, _resume, after_y, _margins, _next, children, _lines = result
            if first:
                return True
            placed = not abort and children and getattr(children[-1], "element", None) is child.element
            return bool(placed) and context.page_bottom - bottom_space - after_y >= tail

        if skip_stack is not None or not _is_unit(child) or context.__dict__.get("_bulletin_note_area"):
            return in_place()
        skipped = (False, False, None, position_y, adjoining_margins, next_page, new_children, max_lines)
        state = _state(context)
        number = context.current_page
        if any(unit.element is child.element for unit, _h in state.get(number, ())):
            return skipped  # already at the top of this page
        first = page_is_empty and not any(type(c).__name__ != "AbsolutePlaceholder" for c in new_children)
        tail = _number(child, "data-float-tail", 0)
        floating = _is_float(child)
        kept = state.get(number + 1, [])
        if not (floating and kept):  # units keep their order: after one deferred, the next ones too
            result = in_place(trial=True)
            if fits(result):
                return result
        if floating:
            trial = block_level_layout(context, child.deepcopy(), -inf, None, box, True, [], [], [])[0]
            height = trial.margin_height() if trial is not None else inf
            if sum(h for _u, h in kept) + height <= _number(child, "data-float-room", inf):
                state.setdefault(number + 1, []).append((child, height))
                return skipped
        for width in _widths(child):  # narrower steps, widest first
            narrower = child.deepcopy()
            narrower.style = narrower.style.copy()
            narrower.style["width"] = Dimension(width, "px")
            result = in_place(narrower, trial=True)
            if fits(result):
                return in_place(narrower)
        return in_place()

    _originals.update(in_flow=original_in_flow, make_page=original_make_page,
                      page_block_layout=original_page_block_layout)  # fmt: skip
    block._in_flow_layout = in_flow_layout
    page.make_page = make_page
    page.block_level_layout = page_block_layout
    return True


def uninstall_float_patch() -> None:
    """Restore WeasyPrint's own layout (tests and measurements)."""
    if not _originals:
        return
    from weasyprint.layout import block, page

    block._in_flow_layout = _originals["in_flow"]
    page.make_page = _originals["make_page"]
    page.block_level_layout = _originals["page_block_layout"]
    _originals.clear()
