"""Images referenced by articles: found in the Markdown, confined to the issue folder, checked to open."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from bulletin.content.textfile import is_inside
from bulletin.diagnostics import Report

MAX_PIXELS_SIDE = 12000  # a 12,000 px side is ~1 m at 300 dpi: anything larger is a mistake
MAX_PIXELS = 80_000_000  # ~320 MB once decoded; also below Pillow's own "decompression bomb" warning
FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}  # what both browsers and WeasyPrint show reliably
# Formats editors meet (Word exports EMF/WMF, phones HEIC) that neither side can show; SVG can carry scripts.
_UNSUPPORTED_SUFFIXES = {
    ".svg",
    ".svgz",
    ".heic",
    ".heif",
    ".tif",
    ".tiff",
    ".bmp",
    ".emf",
    ".wmf",
    ".psd",
    ".pdf",
    ".eps",
    ".ai",
    ".raw",
    ".cr2",
    ".nef",
}
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@lru_cache(maxsize=1)
def _parser():
    """A plain CommonMark parser with tables and footnotes: enough to find every image, including
    reference-style ones (![caption][ref]) and images inside tables and footnotes."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark", {"maxNesting": 40}).enable("table").use(footnote_plugin)


def image_refs(body: str, *, allow_html: bool = False) -> list[tuple[str, int]]:
    """(path, 0-based line in body) of each Markdown image, as the renderer will see it; with
    `allow_html`, also each raw `<img src>` that the raw-HTML policy keeps (a local path), so it is
    checked, hashed and published like a Markdown picture."""
    raw: list[tuple[str, int]] = []
    if allow_html and "<" in body:
        from bulletin.markdown import raw_html_resources

        raw = [
            (value, line)
            for line, tag, attr, value in raw_html_resources(body)
            if tag == "img" and attr == "src" and value.strip() and not _SCHEME_RE.match(value.strip())
        ]
    if "![" not in body:  # fast path: most articles have no images
        return raw
    lines = body.split("\n")
    refs: list[tuple[str, int]] = []
    for tok in _parser().parse(body):
        if tok.type != "inline" or not tok.children:
            continue
        start, end = tok.map if tok.map else (0, len(lines))
        for child in tok.children:
            if child.type != "image":
                continue
            src = child.attrGet("src") or ""
            refs.append((src, _find_line(lines, start, end, src)))
    return refs + raw


def _find_line(lines: list[str], start: int, end: int, src: str) -> int:
    """The line of the paragraph [start, end) that mentions `src` (first line if none does)."""
    plain = unquote(src)
    for i in range(start, min(end, len(lines))):
        if src in lines[i] or plain in lines[i]:
            return i
    return start


def resolve_image(article: Path, ref: str) -> Path:
    """The file an image reference points at (links resolved). Raises ValueError on a link loop."""
    try:
        return (article.parent / unquote(ref)).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise ValueError(str(exc)) from None


def check_image(root: Path, article: Path, ref: str, line: int, report: Report) -> Path | None:
    """The image file for `ref` in `article`, or None after reporting what is wrong with it."""
    path = unquote(ref)
    if _SCHEME_RE.match(path) or path.startswith("//"):
        report.error(article, line, "image_remote", path=path)
        return None
    issue_folder = article.parent
    images_folder = (issue_folder / "images").relative_to(root).as_posix() + "/"
    if "\\" in path:
        report.error(article, line, "image_backslash", path=path, fixed=path.replace("\\", "/"))
        return None
    try:
        target = resolve_image(article, ref)
    except ValueError:
        report.error(article, line, "image_corrupt", path=path, reason="link loop")
        return None
    if path.startswith("/") or not is_inside(target, issue_folder):
        report.error(article, line, "image_outside", path=path)
        return None
    if not target.is_file():
        close = _similar_file(issue_folder, path)
        if close and _nfc(close) == _nfc(path):
            # the same name with its accents composed another way (é as one character, or e + ◌́: names
            # copied from a Mac): identical on screen, so "did you mean" would show the same name twice
            report.error(article, line, "missing_image_unicode", path=path, folder=images_folder)
        elif close:
            report.error(
                article, line, "missing_image_suggest", path=path, suggestion=close, folder=images_folder
            )
        else:
            report.error(article, line, "missing_image", path=path, folder=images_folder)
        return None
    if target.suffix.lower() in _UNSUPPORTED_SUFFIXES:
        report.error(article, line, "image_format", path=path, format=target.suffix.lstrip(".").upper())
        return None
    return target if _check_pixels(target, article, path, line, report) else None


def _check_pixels(target: Path, article: Path, path: str, line: int, report: Report) -> bool:
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # we apply our own limit, with a message naming the file and the size
    try:
        with Image.open(target) as im:
            w, h = im.size
            fmt = im.format or "?"
            if max(w, h) > MAX_PIXELS_SIDE or w * h > MAX_PIXELS:
                report.error(
                    article,
                    line,
                    "image_too_large",
                    path=path,
                    width=w,
                    height=h,
                    limit=MAX_PIXELS_SIDE,
                    megapixels=MAX_PIXELS // 1_000_000,
                )
                return False
            if fmt not in FORMATS:
                report.error(article, line, "image_format", path=path, format=fmt)
                return False
            im.verify()
    except Exception as exc:  # Pillow raises many kinds for broken files
        reason = type(exc).__name__ if not str(exc) else str(exc).splitlines()[0][:80]
        report.error(article, line, "image_corrupt", path=path, reason=reason)
        return False
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    return True


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _similar_file(issue_folder: Path, path: str) -> str | None:
    """The existing file an editor most likely meant: same name in other case, or a close spelling."""
    wanted = (issue_folder / path).name
    folder = (issue_folder / path).parent
    try:
        names = [p.name for p in folder.iterdir() if p.is_file()]
    except OSError:
        return None
    rel_dir = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    for name in names:
        if _nfc(name).lower() == _nfc(wanted).lower():
            return rel_dir + name
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.7)
    return rel_dir + close[0] if close else None
