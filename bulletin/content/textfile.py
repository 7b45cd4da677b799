"""Reading editor-written text files: size limit, encodings (BOM, GBK), line endings, links out."""

from __future__ import annotations

import errno
import re
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
    if b"\x00" in data[:8192] and not _few_nuls_in_utf8(data):
        # a picture or a Word file renamed to .md, not text in any encoding
        report.error(path, None, "not_text")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        report.warning(path, 1, "bom")
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        _report_undecodable(path, data, exc, report)
        return None
    # (a C0 byte is never part of a UTF-8 or GBK character; E2 80 AD/AE is U+202D/E in UTF-8 only)
    if _CONTROL_BYTES.search(data) is not None and (control := _CONTROL.search(text)) is not None:
        # a stray NUL, or a Word line break (\v) pasted in: invisible here, breaks the feeds' XML and
        # prints as an empty box
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - text.rfind("\n", 0, control.start())
        report.remember_source(report.rel(path), _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text))
        report.error(
            path,
            line,
            "control_char",
            column=column,
            char=f"U+{ord(control.group()):04X}",
            count=len(_CONTROL.findall(text)),
        )
        return None
    report.remember_source(report.rel(path), text)
    return text


# C0 control characters other than tab and line ends, and DEL: never typed on purpose, invisible in an editor;
# and the bidirectional overrides U+202D/U+202E, which show the text after them in another order than it is
# stored ("\u202egnp.exe" reads "exe.png" on the site, in the feeds and in the PDF)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202d\u202e]")
_GOOD_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xe2\x80[\xad\xae]")


def _few_nuls_in_utf8(data: bytes) -> bool:
    """A text file with a stray NUL or two (reported with its line), not a binary file."""
    if data.count(b"\x00") > 8:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _report_undecodable(path: Path, data: bytes, exc: UnicodeDecodeError, report: Report) -> None:
    """Say where the first byte that is not UTF-8 is: line, column, byte offset and value. A file that is
    mostly good UTF-8 with a few broken bytes is not called GBK (which would read it as other characters)."""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # `decode` cut it off before decoding
    start, end = exc.start + bom, exc.end + bom
    head = data[:start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    line = head.count(b"\n") + 1
    line_start = head.rfind(b"\n") + 1
    prefix = head[line_start:].decode("utf-8", errors="replace").lstrip("\ufeff")
    shown = data.decode("utf-8", errors="replace")
    bad = shown.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    good_multibyte = len(_GOOD_NON_ASCII.findall(shown))
    if good_multibyte < bad * 4:  # hardly any valid UTF-8 characters: saved in another encoding
        try:
            data.decode("gb18030")
            report.error(path, line, "not_utf8", guess="GBK/GB18030")
            return
        except UnicodeDecodeError:
            pass
    report.remember_source(report.rel(path), decode_lenient(data))
    report.error(
        path,
        line,
        "not_utf8_bytes",
        column=len(prefix) + 1,
        byte=" ".join(f"0x{b:02X}" for b in data[start : _broken_end(data, start, end)]),
        offset=start,
        nth=start + 1,
        count=bad,
    )


def _broken_end(data: bytes, start: int, end: int) -> int:
    """The end of the broken sequence at `start`: its continuation bytes too (ED A0 80, not just ED)."""
    while end < len(data) and end - start < 4 and 0x80 <= data[end] <= 0xBF:
        end += 1
    return end


def decode_lenient(data: bytes) -> str:
    """Like `decode`, with each byte that is not UTF-8 shown as U+FFFD (for quoting a broken line)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes) -> str:
    """A text file's bytes (UTF-8, perhaps with a BOM) as text with \\n line endings."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# why a file cannot be read, by errno: unreadable.<reason> in bulletin/messages.py (0: not a regular file)
_REASONS = {
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.ENOENT: "missing",
    errno.ELOOP: "loop",
    errno.EISDIR: "folder",
    0: "not_regular",
}


def _reason(code: int | None, fallback: str | None = None) -> str:
    from bulletin import messages

    if code in _REASONS:
        return messages.t("unreadable." + _REASONS[code])
    return fallback or str(code)


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"
