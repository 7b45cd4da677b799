"""The page estimate (bulletin/print/estimate.py) against the real PDFs of the sample issues."""

from __future__ import annotations

import pdfplumber
import pytest

from bulletin.build import check
from bulletin.print.estimate import estimate_pages
from bulletin.print.geometry import geometry_for

BODY_PT = 10.0  # body text is 10.5 pt: running heads (8.5), page numbers and the colophon (9) are smaller


def real_pages(pdf_path, geometry) -> tuple[float, int]:
    """(pages of content as a fraction: whole pages up to the last body line, its share of the last
    page's text height, and the colophon's; the PDF's page count)."""
    mm = 72 / 25.4
    top = geometry.margin_top * mm
    text_height = (geometry.height - geometry.margin_top - geometry.margin_bottom) * mm
    with pdfplumber.open(pdf_path) as pdf:
        last, bottom = 0, 0.0
        for i, page in enumerate(pdf.pages):
            body = [c["bottom"] for c in page.chars if c["size"] > BODY_PT]
            if body:
                last, bottom = i + 1, max(body)
        final = pdf.pages[-1]
        colophon = [c for c in final.chars if c["size"] < BODY_PT and c["top"] > final.height / 2
                    and not c["text"].strip("— 0123456789")]  # fmt: skip
        colophon_h = (max(c["bottom"] for c in colophon) - min(c["top"] for c in colophon)) + 6 * mm
        return last - 1 + (bottom - top + colophon_h) / text_height, len(pdf.pages)


@pytest.mark.slow
def test_estimate_is_within_half_a_page_of_the_sample_pdfs(sample_build):
    archive, report = check(sample_build)
    assert archive is not None and not report.errors
    geometry = geometry_for(archive.publication.print)
    errors = {}
    for issue in archive.issues:
        est = estimate_pages(archive, issue)
        real, printed = real_pages(sample_build / "output" / "pdf" / f"{issue.key}.pdf", geometry)
        errors[issue.key] = round(est.pages - real, 2)
        assert est.printed_pages == printed, (issue.key, est, printed)
    assert len(errors) == 4
    assert all(abs(e) <= 0.5 for e in errors.values()), errors


def test_more_text_more_pages(project):
    archive, _ = check(project)
    issue = archive.issue("2026-01")
    before = estimate_pages(archive, issue)
    article = project / "content" / "2026" / "01" / "kaiju.md"
    more = ("代表履职，群众满意。" * 40 + "\n\n") * 30
    article.write_text(article.read_text(encoding="utf-8") + "\n" + more, encoding="utf-8")
    archive, _ = check(project)
    after = estimate_pages(archive, archive.issue("2026-01"))
    # 30 paragraphs of 400 characters at 46 a line: 9 lines each, 270 lines, about 7 pages of 39 lines
    assert 6 <= after.pages - before.pages <= 8
    assert after.printed_pages % 4 == 0 and after.printed_pages >= after.content_pages
