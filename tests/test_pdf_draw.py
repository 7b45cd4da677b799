"""bulletin/print/pdf.py install_leader_draw_speedup: the dots of the contents' leaders are drawn by
replaying the first dot's stream calls, and the PDF stays byte for byte what WeasyPrint draws itself."""

from __future__ import annotations

import pytest
from conftest import REPO

from bulletin.diagnostics import Report

weasyprint = pytest.importorskip("weasyprint")


def test_leaders_drawn_by_replay_give_the_same_pdf():
    from weasyprint import draw

    from bulletin.build import load
    from bulletin.print.jobs import render_one, setup_process
    from bulletin.punctuation import typeset_archive

    setup_process()
    patched = draw.draw_text
    assert getattr(patched, "_bulletin_leaders", False)
    archive = typeset_archive(load(REPO, Report(REPO)))
    issue = archive.issue("2026-02")  # contents on page 1: nine lines of leaders
    before = patched.replays
    fast = render_one(archive, issue).data
    assert patched.replays - before > 300  # most dots were replayed
    draw.draw_text = patched.original
    try:
        plain = render_one(archive, issue).data
    finally:
        draw.draw_text = patched
    assert fast == plain


# --- the speed-ups are installed only on the WeasyPrint they were written for ------------------------


@pytest.fixture
def plain_weasyprint(monkeypatch):
    """WeasyPrint's own font ffi and draw_text, whatever an earlier test installed; put back afterwards."""
    from weasyprint import draw
    from weasyprint.pdf import fonts

    from bulletin.print.pdf import _CachedArrayTypes

    if isinstance(fonts.ffi, _CachedArrayTypes):
        monkeypatch.setattr(fonts, "ffi", fonts.ffi._ffi)
    if getattr(draw.draw_text, "_bulletin_leaders", False):
        monkeypatch.setattr(draw, "draw_text", draw.draw_text.original)
    return fonts, draw


def test_the_speedups_are_written_for_the_pinned_weasyprint():
    import tomllib

    from bulletin.print.pdf import SPEEDUPS_WEASYPRINT

    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert f"weasyprint=={SPEEDUPS_WEASYPRINT}" in deps
    assert weasyprint.__version__ == SPEEDUPS_WEASYPRINT  # the test environment is the pinned one


def test_the_speedups_install_on_the_pinned_weasyprint(plain_weasyprint):
    from bulletin.print.pdf import _CachedArrayTypes, install_font_subset_speedup, install_leader_draw_speedup

    fonts, draw = plain_weasyprint
    assert install_font_subset_speedup() and isinstance(fonts.ffi, _CachedArrayTypes)
    assert install_leader_draw_speedup() and draw.draw_text._bulletin_leaders
    assert install_font_subset_speedup() and install_leader_draw_speedup()  # once: asked again, still True
    assert not isinstance(fonts.ffi._ffi, _CachedArrayTypes)
    assert not getattr(draw.draw_text.original, "_bulletin_leaders", False)


def test_on_another_weasyprint_nothing_is_replaced(plain_weasyprint, monkeypatch):
    from bulletin.print.pdf import install_font_subset_speedup, install_leader_draw_speedup

    fonts, draw = plain_weasyprint
    ffi, draw_text = fonts.ffi, draw.draw_text
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    assert install_font_subset_speedup() is False
    assert install_leader_draw_speedup() is False
    assert fonts.ffi is ffi and draw.draw_text is draw_text


def test_a_draw_text_of_another_shape_is_not_replaced(plain_weasyprint, monkeypatch):
    from bulletin.print.pdf import install_leader_draw_speedup

    _, draw = plain_weasyprint

    def draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis, *, new_argument=None):
        raise AssertionError("not called")

    monkeypatch.setattr(draw, "draw_text", draw_text)
    assert install_leader_draw_speedup() is False
    assert draw.draw_text is draw_text


def test_streams_serialised_once_per_write_give_the_same_pdf(monkeypatch):
    """install_pdf_write_speedup: with a fixed identifier pydyf serialises (and compresses) every stream
    a second time to hash the file; the memo makes each stream's bytes once, and the PDF is the same."""
    import zlib

    import pydyf

    from bulletin.build import load
    from bulletin.print.jobs import render_one, setup_process
    from bulletin.punctuation import typeset_archive

    setup_process()
    memo_write = pydyf.PDF.write
    assert getattr(memo_write, "_bulletin_memo", False)
    compressions = []
    real_compressobj = zlib.compressobj

    def compressobj(*args, **kwargs):
        compressions.append(1)
        return real_compressobj(*args, **kwargs)

    monkeypatch.setattr(pydyf.zlib, "compressobj", compressobj)
    archive = typeset_archive(load(REPO, Report(REPO)))
    issue = archive.issue("2026-01")
    fast = render_one(archive, issue).data
    once = len(compressions)
    original_write, original_data = memo_write.original
    monkeypatch.setattr(pydyf.PDF, "write", original_write)
    monkeypatch.setattr(pydyf.Stream, "data", original_data)
    compressions.clear()
    plain = render_one(archive, issue).data
    assert fast == plain
    # each stream compressed once, not twice (all but the cross-reference stream, made after the hash)
    assert once > 20 and len(compressions) == 2 * once - 1


def test_the_write_memo_is_not_installed_on_another_pydyf(monkeypatch):
    import pydyf

    from bulletin.print.pdf import install_pdf_write_speedup

    if getattr(pydyf.PDF.write, "_bulletin_memo", False):  # installed by an earlier test: take it off
        original_write, original_data = pydyf.PDF.write.original
        monkeypatch.setattr(pydyf.PDF, "write", original_write)
        monkeypatch.setattr(pydyf.Stream, "data", original_data)
    write, data = pydyf.PDF.write, pydyf.Stream.__dict__["data"]
    monkeypatch.setattr(pydyf, "__version__", "0.99.0")
    assert install_pdf_write_speedup() is False
    assert pydyf.PDF.write is write and pydyf.Stream.__dict__["data"] is data
