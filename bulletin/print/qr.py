"""QR codes for the masthead, generated at build time (no network) with segno, as vector SVG."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bulletin.model import QRCode


@dataclass(frozen=True)
class QRImage:
    label: str
    url: str
    data_uri: str  # an SVG data: URI, the same bytes for the same URL


@lru_cache(maxsize=64)
def _svg_data_uri(url: str) -> str:
    import segno

    # Error correction M survives the ink spread of uncoated paper; a quiet zone of 2 modules is kept inside
    # the image so the code scans even when the caption or a rule comes close.
    code = segno.make(url, error="m", micro=False)
    return code.svg_data_uri(
        scale=1, border=2, dark="#000", light="#fff", xmldecl=False, svgns=True, omitsize=True
    )


def qr_images(codes: tuple[QRCode, ...]) -> list[QRImage]:
    return [QRImage(c.label, c.url, _svg_data_uri(c.url)) for c in codes]
