"""Replacing a project source file (an article, issue.yaml, bulletin.yaml) in place, atomically: what
`bulletin fix`, `bulletin import --replace` and the desk write through."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically: a temporary file beside it (a dot name the loader ignores),
    flushed to disk, with the original's permissions (new files: 0644 less the umask), renamed over it,
    and the folder flushed so the rename survives a power cut. On any failure the temporary file goes
    and `path` is as it was."""
    folder = path.parent
    tmp = folder / f".{path.name[:80]}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o644 & ~umask
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
