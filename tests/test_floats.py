"""bulletin/print/floats.py: a photo (or table) that does not fit at a page foot goes to the top of the next
page and the text after it fills the page it was pushed from — no white hole under the text; a document
without float units lays out exactly as WeasyPrint alone lays it out; the patch refuses a WeasyPrint it was
not written for.

(tests/test_print_figures.py checks the same in whole issues; these lay out one small page.)
"""

from __future__ import annotations

import pytest

from bulletin.print import floats

weasyprint = pytest.importorskip("weasyprint")

STYLE = "<style>@page { size: 100mm; margin: 5mm } p, div { margin: 0 }</style>"  # 90 mm of text height
UNIT = (
    f'<div id="unit" class="{floats.FLOAT_CLASS}" data-float-room="900" data-float-tail="0"'
    ' style="height: 40mm">图</div>'
)


def html(*blocks: str) -> str:
    return f'<html lang="zh-CN">{STYLE}<div class="body">{"".join(blocks)}</div>'


def p(name: str, mm: int) -> str:
    return f'<p id="{name}" style="height: {mm}mm">{name}</p>'


def layout(source: str):
    """Per page: {element id: top of its first box (px)}; and the document."""
    document = weasyprint.HTML(string=source).render()
    pages = []
    for page in document.pages:
        tops: dict[str, float] = {}
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") and box.element_tag == element.tag:
                tops.setdefault(element.get("id"), box.position_y)
        pages.append(tops)
    return pages, document


@pytest.fixture
def patched():
    was = floats.float_patch_installed()
    floats.install_float_patch()
    yield
    if not was:
        floats.uninstall_float_patch()


@pytest.fixture
def unpatched():
    was = floats.float_patch_installed()
    floats.uninstall_float_patch()
    yield
    if was:
        floats.install_float_patch()


# 60 mm of text, a 40 mm photo that does not fit under it, 25 mm of text that does, then 40 mm more
PUSHED = html(p("a", 60), UNIT, p("b", 25), p("c", 40))


def test_without_the_patch_the_photo_breaks_the_page(unpatched):
    pages, _ = layout(PUSHED)
    assert [sorted(t) for t in pages] == [["a"], ["b", "unit"], ["c"]]  # 30 mm left white on page 1


def test_the_text_after_a_pushed_photo_fills_its_page_and_the_photo_tops_the_next(patched):
    pages, document = layout(PUSHED)
    assert [sorted(t) for t in pages] == [["a", "b"], ["c", "unit"]]
    assert pages[1]["unit"] < pages[1]["c"]  # at the top of page 2, the text under it
    assert floats.missing_floats(document) == 0  # printed once


def test_a_photo_that_fits_stays_where_it_is_written(patched):
    pages, _ = layout(html(p("a", 20), UNIT, p("b", 10)))
    assert len(pages) == 1 and pages[0]["a"] < pages[0]["unit"] < pages[0]["b"]


def test_a_photo_kept_for_a_page_that_never_comes_is_counted_missing(patched):
    """Nothing after it reaches page 2: write_pdf then lays the issue out again without floats."""
    _, document = layout(html(p("a", 60), UNIT, p("b", 10)))
    assert floats.missing_floats(document) == 1


def test_a_document_without_float_units_lays_out_as_without_the_patch(unpatched):
    plain = html(p("a", 60), '<div id="photo" style="height: 40mm">图</div>', p("b", 25), p("c", 40))
    before, _ = layout(plain)
    floats.install_float_patch()
    try:
        after, _ = layout(plain)
    finally:
        floats.uninstall_float_patch()
    assert after == before


def test_install_once_and_uninstall_restores_weasyprint(unpatched):
    from weasyprint.layout import block, page

    originals = (block._in_flow_layout, page.make_page, page.block_level_layout)
    assert floats.install_float_patch() is True
    assert floats.install_float_patch() is False  # already there
    assert floats.float_patch_installed()
    assert block._in_flow_layout is not originals[0] and page.make_page is not originals[1]
    floats.uninstall_float_patch()
    assert (block._in_flow_layout, page.make_page, page.block_level_layout) == originals
    assert not floats.float_patch_installed()


def test_another_weasyprint_is_refused(unpatched, monkeypatch):
    """The patch wraps WeasyPrint's internal layout functions: on another release it says so instead of
    laying pages out wrongly."""
    # undone here, not at teardown: `unpatched` (set up after the autouse fixture's monkeypatch, so torn
    # down before it) reinstalls the patch when an earlier test module left it installed
    with monkeypatch.context() as m:
        m.setattr(weasyprint, "__version__", "71.0")
        with pytest.raises(RuntimeError, match=r"written for WeasyPrint 70\.0, found 71\.0"):
            floats.install_float_patch()
        assert not floats.float_patch_installed()
