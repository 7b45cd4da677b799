"""Reading editor-written text files: size limit, encodings (BOM, GBK), line endings, links out."""

from __future__ import annotations

from pathlib import Path

from bulletin.diagnostics import Report

MAX_TEXT_BYTES = 2 * 1024 * 1024  # 2 MB: ~600,000 Chinese characters, far beyond any article


def is_inside(path: Path, root: Path) -> bool:
    """True when `path`, with links resolved, lies inside `root`."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError):
        return False


def read_text(path: Path, report: Report, root: Path, *, limit: int = MAX_TEXT_BYTES) -> str | None:
    """The file's text with \\n line endings, or None after reporting why it cannot be used."""
    if path.is_symlink() and not is_inside(path, root):
        report.error(path, None, "symlink_outside", target=str(path.resolve()))
        return None
    try:
        size = path.stat().st_size
        if size > limit:
            report.error(path, None, "too_large", size=_human(size), limit=_human(limit))
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.error(path, None, "unreadable", reason=exc.strerror or str(exc))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        report.warning(path, 1, "bom")
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            report.error(path, line, "not_utf8", guess="GBK/GB18030")
        except UnicodeDecodeError:
            report.error(path, line, "not_utf8_unknown", line=line)
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    report.remember_source(report.rel(path), text)
    return text


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"
