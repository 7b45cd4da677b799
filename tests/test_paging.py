"""bulletin.print.paging: the colophon at the foot of the last page, blank pages for the binding."""

from __future__ import annotations

import pytest

weasyprint = pytest.importorskip("weasyprint")

from bulletin.print.paging import finish_pages  # noqa: E402

PAGE_CSS = """
@page { size: 100mm 100mm; margin: 15mm;
  @top-center { content: "RUNNING HEAD"; } @bottom-center { content: counter(page); } }
body { font: 10pt/1.5 serif; margin: 0; }
.colophon { border-top: 1px solid; break-inside: avoid; }
"""


def _pages(filler_lines: int, colophon: bool = True):
    body = "".join(f"<p>line {i}</p>" for i in range(filler_lines))
    end = "<footer class='colophon'><p>IMPRINT</p></footer>" if colophon else ""
    html = f"<style>{PAGE_CSS}</style><main>{body}</main>{end}"
    return weasyprint.HTML(string=html).render().pages


def _texts(page) -> list[str]:
    out: list[str] = []

    def walk(box):
        if getattr(box, "text", None):
            out.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page._page_box)
    return out


def _lines_per_page() -> int:
    n = 1
    while len(_pages(n + 1, colophon=False)) == 1:
        n += 1
    return n  # as many lines as fill one page: the colophon no longer fits under them


def test_a_page_that_held_only_the_colophon_is_left_blank_without_its_running_head():
    full = _lines_per_page()
    pages = _pages(full)  # the text fills page 1; the colophon alone goes to page 2
    assert len(pages) == 2 and "IMPRINT" in _texts(pages[1]) and "line 0" not in _texts(pages[1])
    finished = finish_pages(pages, 4)
    assert len(finished) == 4
    assert "IMPRINT" in _texts(finished[3]), "the colophon is on the last page"
    for blank in finished[1:3]:
        assert _texts(blank) == [], "a page between the text and the colophon carries nothing"
    assert "line 0" in _texts(finished[0]) and "RUNNING HEAD" in _texts(finished[0])


def test_a_colophon_under_text_moves_and_the_text_stays():
    pages = _pages(3)  # text and colophon on page 1
    finished = finish_pages(pages, 4)
    assert len(finished) == 4
    assert "line 0" in _texts(finished[0]) and "IMPRINT" not in _texts(finished[0])
    assert "IMPRINT" in _texts(finished[3])
