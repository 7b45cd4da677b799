"""Images referenced by articles: found in the Markdown, confined to the issue folder, checked to open."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from bulletin.content.textfile import is_inside
from bulletin.diagnostics import Report

MAX_PIXELS_SIDE = 12000  # a 12,000 px side is ~1 m at 300 dpi: anything larger is a mistake

_IMG_RE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")


def image_refs(body: str) -> list[tuple[str, int]]:
    """(path, 0-based line in body) of each Markdown image outside code fences."""
    refs: list[tuple[str, int]] = []
    in_fence = False
    for i, line in enumerate(body.split("\n")):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or "![" not in line:
            continue
        for m in _IMG_RE.finditer(line):
            refs.append((m.group(1), i))
    return refs


def resolve_image(article: Path, ref: str) -> Path:
    return (article.parent / unquote(ref)).resolve()


def check_image(root: Path, article: Path, ref: str, line: int, report: Report) -> Path | None:
    """The image file for `ref` in `article`, or None after reporting what is wrong with it."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", ref) or ref.startswith("//"):
        report.error(article, line, "image_remote", path=ref)
        return None
    issue_folder = article.parent
    target = resolve_image(article, ref)
    if ref.startswith("/") or not is_inside(target, issue_folder):
        report.error(article, line, "image_outside", path=ref)
        return None
    if not target.is_file():
        report.error(article, line, "missing_image", path=ref,
                     folder=(issue_folder / "images").relative_to(root).as_posix() + "/")
        return None
    try:
        from PIL import Image

        with Image.open(target) as im:
            w, h = im.size
            if max(w, h) > MAX_PIXELS_SIDE:
                report.error(article, line, "image_too_large", path=ref, width=w, height=h, limit=MAX_PIXELS_SIDE)
                return None
            im.verify()
    except Exception as exc:  # Pillow raises many kinds for broken files
        reason = type(exc).__name__ if not str(exc) else str(exc).splitlines()[0][:80]
        report.error(article, line, "image_corrupt", path=ref, reason=reason)
        return None
    return target
