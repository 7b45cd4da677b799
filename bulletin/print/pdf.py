"""WeasyPrint with a confined fetcher, deterministic metadata and the PDF's page count."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bulletin.print.fetcher import ConfinedFetcher
from bulletin.print.render import PrintDocument


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    refused: tuple[str, ...]  # resources the fetcher refused or could not read


def write_pdf(doc: PrintDocument, roots: list[Path], identifier: str) -> RenderedPdf:
    import weasyprint

    fetcher = ConfinedFetcher(roots)
    html = weasyprint.HTML(string=doc.html, base_url=doc.base_url, url_fetcher=fetcher)
    document = html.render()
    data = document.write_pdf(pdf_identifier=hashlib.md5(identifier.encode()).hexdigest().encode())
    return RenderedPdf(data, len(document.pages), tuple(fetcher.refused))
