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
