"""The desk's file handling: versions, atomic writes, and paths from the web checked to stay inside.

* A version is the hex SHA-256 of a file's bytes (`version`, `file_version`).
* Every write goes through `atomic_write`: a temporary file in the same folder, flushed to disk, renamed
  over the target (a reader sees the old file or the new one, never half of one).
* Every path that comes from outside (a relpath from the web, an upload's name, a draft or job id) is
  checked by `project_path`/`article_file`/`desk_path`/`check_id` before use: no NUL or control
  characters, no absolute paths or "..", and after links are resolved still inside the project (or inside
  `.desk/`).
* `project_lock` serialises the desk's own read-compare-write steps across processes (flock).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from bulletin.content.replace import replace_file
from bulletin.desk.errors import DeskError

DESK_DIR = ".desk"
MAX_RELPATH = 1024  # characters; real paths are content/2026/04/a-short-name.md
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\:*?\"<>|]")
_ARTICLE_RE = re.compile(r"content/\d{4}/\d{2}/[^/]+\.md")
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_ISSUE_KEY_RE = re.compile(r"(\d{4})-(\d{2})")


def version(data: bytes | str) -> str:
    """The version of a file with these bytes (text is taken as UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def file_version(path: Path) -> str:
    """The version of the file at `path` now."""
    return version(path.read_bytes())


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically: a temporary file beside it (a dot name the loader ignores),
    flushed to disk, with the original's permissions (new files: 0644 less the umask), renamed over it,
    and the folder flushed so the rename survives a power cut. A link at `path` is refused (the rename
    would replace the link, not the file it points to)."""
    if path.is_symlink():
        raise DeskError.of("desk_bad_path", path=path.name, why=_why("link"))
    replace_file(path, data)


def _why(code: str) -> str:
    from bulletin import messages

    return messages.t("desk_why_" + code)


def _refuse(shown: object, why: str) -> DeskError:
    text = str(shown)
    if len(text) > 120:
        text = text[:120] + "…"
    text = _BAD_CHARS.sub("\ufffd", text)
    return DeskError.of("desk_bad_path", path=text, why=_why(why))


def check_relpath(relpath: object) -> str:
    """`relpath` if it is a plain relative path with "/" separators: text, not empty, not too long, no
    control characters or Windows separators, not absolute, no "." or ".." parts. Else DeskError."""
    if not isinstance(relpath, str) or not relpath:
        raise _refuse(relpath, "empty")
    if len(relpath) > MAX_RELPATH:
        raise _refuse(relpath, "long")
    if _BAD_CHARS.search(relpath):
        raise _refuse(relpath, "chars")
    if relpath.startswith("/") or relpath.startswith("~"):
        raise _refuse(relpath, "absolute")
    parts = relpath.split("/")
    if any(p in ("..", ".") for p in parts):
        raise _refuse(relpath, "parent")
    if any(not p for p in parts):
        raise _refuse(relpath, "chars")
    return relpath


def project_path(
    root: Path, relpath: object, *, under: str = "", must_exist: bool = True, allow_link: bool = False
) -> Path:
    """The path of `relpath` in the project (inside `root/under` when given), checked: see
    `check_relpath`; with links resolved it is still inside; the last part is not a link itself unless
    `allow_link`; it exists if `must_exist`. Else DeskError."""
    rel = check_relpath(relpath)
    base = root / under if under else root
    path = root / rel
    if under and not rel.startswith(under.rstrip("/") + "/"):
        raise _refuse(rel, "outside")
    try:
        real_root = root.resolve(strict=True)
        real_base = base.resolve(strict=True)
        real = path.resolve()
    except (OSError, RuntimeError):
        raise _refuse(rel, "outside") from None
    if not real_base.is_relative_to(real_root) or not real.is_relative_to(real_base):
        raise _refuse(rel, "outside")
    if not allow_link and path.is_symlink():
        raise _refuse(rel, "link")
    if must_exist and not path.exists():
        raise DeskError.of("desk_not_found", path=rel)
    return path


def article_file(root: Path, relpath: object, *, must_exist: bool = True) -> Path:
    """The article file `relpath` (content/YYYY/NN/name.md, an existing regular file), checked."""
    rel = check_relpath(relpath)
    if not _ARTICLE_RE.fullmatch(rel) or rel.rsplit("/", 1)[1].startswith((".", "_")):
        raise _refuse(rel, "not_article")
    path = project_path(root, rel, under="content", must_exist=must_exist)
    if must_exist and not path.is_file():
        raise _refuse(rel, "not_article")
    return path


def issue_folder(root: Path, issue_key: object) -> Path:
    """The folder of issue `issue_key` (2026-04), which must hold an issue.yaml; else DeskError."""
    m = _ISSUE_KEY_RE.fullmatch(issue_key) if isinstance(issue_key, str) else None
    if m is None:
        raise DeskError.of("desk_no_issue", key=_BAD_CHARS.sub("\ufffd", str(issue_key)[:40]))
    folder = project_path(root, f"content/{m.group(1)}/{m.group(2)}", under="content", must_exist=False)
    if not (folder / "issue.yaml").is_file():
        raise DeskError.of("desk_no_issue", key=issue_key)
    return folder


def relpath_of(root: Path, path: Path) -> str:
    """`path` relative to the project, with "/"."""
    return path.relative_to(root).as_posix()


def check_id(value: object) -> str:
    """A draft or job id: letters, digits, "-" and "_", at most 64 characters; else DeskError."""
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        shown = _BAD_CHARS.sub("\ufffd", str(value)[:40])
        raise DeskError.of("desk_bad_id", id=shown)
    return value


def desk_path(root: Path, *parts: str, create: bool = True) -> Path:
    """A folder (or file) under the project's `.desk/`: each part checked like an id or a plain file
    name, `.desk/` itself and the folders on the way created (mode 0700) if `create`, and the result,
    links resolved, inside `.desk/`. Else DeskError."""
    base = root / DESK_DIR
    if base.is_symlink():
        raise _refuse(DESK_DIR, "link")
    for p in parts:
        check_relpath(p)
        if "/" in p:
            raise _refuse(p, "chars")
    path = base.joinpath(*parts)
    if create:
        base.mkdir(mode=0o700, exist_ok=True)
    try:
        real_base = base.resolve()
        real = path.resolve()
    except (OSError, RuntimeError):
        raise _refuse("/".join(parts), "outside") from None
    if not real.is_relative_to(real_base) or not real_base.is_relative_to(root.resolve()):
        raise _refuse("/".join((DESK_DIR, *parts)), "outside")
    return path


def desk_folder(root: Path, *parts: str) -> Path:
    """`desk_path`, made a folder (mode 0700), refusing a link on the way."""
    path = desk_path(root, *parts)
    cur = root / DESK_DIR
    ignore = cur / ".gitignore"
    if not ignore.exists() and not ignore.is_symlink():
        # accounts, the session key, drafts and backups never go into the project's git repository
        atomic_write(ignore, b"# bulletin desk: state of the desk, never committed\n*\n")
    for p in parts:
        cur = cur / p
        if cur.is_symlink():
            raise _refuse("/".join((DESK_DIR, *parts)), "link")
        cur.mkdir(mode=0o700, exist_ok=True)
    return path


@contextlib.contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Hold the desk's lock of the project (`.desk/lock`) for a read-compare-write step, so that two
    saves from two browsers (served by one process or several) cannot interleave."""
    desk_folder(root)
    path = desk_path(root, "lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
