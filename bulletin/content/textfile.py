"""Reading editor-written text files: size limit, encodings (BOM, GBK), line endings, links out."""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from bulletin.diagnostics import Report

MAX_TEXT_BYTES = 2 * 1024 * 1024  # 2 MB: ~600,000 Chinese characters, far beyond any article


def is_inside(path: Path, root: Path, *, resolved: bool = False) -> bool:
    """True when `path`, with links resolved, lies inside `root`. `resolved`: `path` already is."""
    try:
        (path if resolved else path.resolve()).relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False


def read_text(
    path: Path, report: Report, root: Path, *, limit: int = MAX_TEXT_BYTES, data: bytes | None = None
) -> str | None:
    """The file's text with \\n line endings, or None after reporting why it cannot be used. `data`: its
    bytes, when the caller has just read them from a regular file within the limit."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        report.error(path, None, "unreadable", reason=_reason(errno.ELOOP))
        return None
    # a real path that lies under `root` as written is inside it (a path with links or ".." in it is
    # never the start of a real path); otherwise compare with the root's own real path
    if not resolved.is_relative_to(root) and not is_inside(resolved, root, resolved=True):
        # the file or one of its folders is a link leading out of the project
        report.error(path, None, "symlink_outside", target=str(resolved))
        return None
    try:
        if data is None:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):  # a folder named x.md, a pipe (reading it would hang)…
                report.error(
                    path, None, "unreadable", reason=_reason(errno.EISDIR if stat.S_ISDIR(st.st_mode) else 0)
                )
                return None
            if st.st_size > limit:
                report.error(path, None, "too_large", size=_human(st.st_size), limit=_human(limit))
                return None
            data = path.read_bytes()
    except OSError as exc:
        report.error(path, None, "unreadable", reason=_reason(exc.errno, exc.strerror))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Notepad's "Unicode": decoding it as GB18030 would "succeed" and mislead
        report.error(path, 1, "not_utf8", guess="UTF-16")
        return None
    if b"\x00" in data[:8192]:  # a picture or a Word file renamed to .md, not text in any encoding
        report.error(path, None, "not_text")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        report.warning(path, 1, "bom")
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            report.error(path, line, "not_utf8", guess="GBK/GB18030")
        except UnicodeDecodeError:
            report.error(path, line, "not_utf8_unknown", line=line)
        return None
    report.remember_source(report.rel(path), text)
    return text


def decode(data: bytes) -> str:
    """A text file's bytes (UTF-8, perhaps with a BOM) as text with \\n line endings."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_REASONS = {
    errno.EACCES: ("没有读取权限", "permission denied"),
    errno.EPERM: ("没有读取权限", "permission denied"),
    errno.ENOENT: ("文件不存在（可能是失效的链接）", "the file does not exist (a broken link?)"),
    errno.ELOOP: ("链接指向自身（循环链接）", "the link points to itself (a link loop)"),
    errno.EISDIR: ("这是一个文件夹，不是文件", "it is a folder, not a file"),
    0: ("这不是普通文件", "it is not a regular file"),
}


def _reason(code: int | None, fallback: str | None = None) -> str:
    from bulletin import messages

    if code in _REASONS:
        zh, en = _REASONS[code]
        return en if messages.language() == "en" else zh
    return fallback or str(code)


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"
