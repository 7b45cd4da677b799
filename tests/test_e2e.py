"""End to end: the sample bulletin builds into a site and PDFs that a reader and a print shop can use."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.slow


def _pdf_text(path: Path, page: int) -> str:
    reader = pypdf.PdfReader(str(path))
    return re.sub(r"\s+", "", reader.pages[page].extract_text() or "")


def test_every_issue_has_a_pdf(sample_build: Path):
    issues = sorted(
        p.parent.relative_to(sample_build / "content")
        for p in (sample_build / "content").glob("*/*/issue.yaml")
    )
    assert len(issues) >= 3
    for rel in issues:
        year, nn = rel.parts
        assert (sample_build / "output" / "pdf" / f"{year}-{nn}.pdf").is_file()


def test_masthead_on_page_one(sample_build: Path):
    pdf = sample_build / "output" / "pdf" / "2026-01.pdf"
    text = _pdf_text(pdf, 0)
    assert "青川人大" in text
    assert "2026年第1期总第25期" in text
    assert "内部资料免费交流" in text
    assert "2026年1月5日" in text


def test_fonts_embedded_and_chinese(sample_build: Path):
    reader = pypdf.PdfReader(str(sample_build / "output" / "pdf" / "2026-01.pdf"))
    fonts = {}
    for page in reader.pages:
        res = page.get("/Resources") or {}
        for _, ref in (res.get("/Font") or {}).items():
            f = ref.get_object()
            desc = f.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            fonts[str(f.get("/BaseFont"))] = desc is not None and any(
                k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts, "no fonts found"
    assert all(fonts.values()), f"not embedded: {[n for n, e in fonts.items() if not e]}"
    assert any("CJK-SC" in n or "CJKSC" in n for n in fonts), fonts
    assert not any("JP" in n for n in fonts), fonts


def test_site_lists_every_issue(sample_build: Path):
    index = (sample_build / "output" / "site" / "index.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in index
    for label in ("2025年第23期", "2025年第24期", "2026年第1期"):
        assert label in index


def test_site_internal_links_resolve(sample_build: Path):
    site = sample_build / "output" / "site"
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    broken = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for m in re.finditer(r'(?:href|src)="([^"#]+)', html):
            url = m.group(1)
            parsed = urlparse(url)
            if parsed.scheme or url.startswith("//"):
                continue
            target = (page.parent / unquote(parsed.path)).resolve()
            if url.endswith("/") or target.is_dir():
                broken.append(f"{page.relative_to(site)} -> {url} (folder link breaks on file://)")
            elif not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {url}")
    assert not broken, broken[:10]
