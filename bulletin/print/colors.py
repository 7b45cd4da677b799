"""The print palette: process colours for the press, sRGB for the archive copy.

A print shop wants text in black ink only (K 100 %: four-colour "rich" black misregisters on small type)
and the masthead red as magenta + yellow (M 100 Y 100), so the press PDF uses device CMYK. PDF/A archives
are colour-managed in sRGB, where device CMYK is not allowed without a CMYK output intent.
"""

from __future__ import annotations

CMYK = {
    "red": "device-cmyk(0 1 1 0)",
    "red_tint": "device-cmyk(0 0.08 0.08 0)",
    "text": "device-cmyk(0 0 0 1)",
    "grey": "device-cmyk(0 0 0 0.6)",
    "rule": "device-cmyk(0 0 0 0.5)",
    "paper": "device-cmyk(0 0 0 0)",
}

RGB = {
    "red": "#d7141a",
    "red_tint": "#fcebea",
    "text": "#000",
    "grey": "#666",
    "rule": "#808080",
    "paper": "#fff",
}


def palette(variant: str) -> dict[str, str]:
    return RGB if variant.startswith("pdf/a") else CMYK
