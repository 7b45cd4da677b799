"""Writing output/ atomically: a staging tree, unchanged files hard-linked, one swap, a lock.

A build writes everything into output/.staging/ and swaps it in only when the whole build has succeeded,
so a failed or interrupted build leaves the previous output exactly as it was. Files whose content did
not change are hard-linked from the previous output instead of rewritten (same inode, same mtime).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

STATE_DIR = ".bulletin"
MANIFEST = "manifest.json"


def digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


class OutputLocked(Exception):
    def __init__(self, pid: str, path: Path) -> None:
        super().__init__(pid)
        self.pid = pid
        self.path = path


class OutputLock:
    """An exclusive lock on output/ held for the whole build (flock: released if the process dies)."""

    def __init__(self, out_dir: Path, wait: bool = False) -> None:
        self.path = out_dir / STATE_DIR / "lock"
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            pid = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise OutputLocked(pid, self.path) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


@dataclass
class TreeWriter:
    """Builds the next version of one output tree (e.g. output/site) in a staging folder."""

    final: Path  # e.g. output/site
    staging: Path  # e.g. output/.staging/site
    old_manifest: dict[str, list]
    manifest: dict[str, list] = field(default_factory=dict)
    written: int = 0
    linked: int = 0

    def _reuse(self, rel: str, h: str, target: Path) -> bool:
        """Hard-link the previous build's file if it has hash `h` and is untouched since (size, mtime)."""
        entry = self.old_manifest.get(rel)
        if not entry or entry[0] != h:
            return False
        old = self.final / rel
        try:
            st = old.stat()
        except OSError:
            return False
        if [st.st_size, st.st_mtime_ns] != entry[1:3]:
            return False
        if _link(old, target):
            self.manifest[rel] = entry
            self.linked += 1
            return True
        return False

    def _record(self, rel: str, h: str, target: Path) -> None:
        st = target.stat()
        self.manifest[rel] = [h, st.st_size, st.st_mtime_ns]

    def put(self, rel: str, data: bytes) -> None:
        """Add a file with this content to the next tree."""
        h = digest(data)
        target = self.staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if self._reuse(rel, h, target):
            return
        target.write_bytes(data)
        self._record(rel, h, target)
        self.written += 1

    def put_file(self, rel: str, source: Path, content_hash: str | None = None, *, link: bool = False) -> None:
        """Add a copy of an existing file; `link` hard-links it instead (only for files inside output/,
        never for editors' files, which an in-place edit would then change in the published tree)."""
        h = content_hash or _file_digest(source)
        target = self.staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if self._reuse(rel, h, target):
            return
        if not (link and _link(source, target)):
            shutil.copy2(source, target)
        self._record(rel, h, target)
        self.written += 1

    def keep(self, rel: str) -> bool:
        """Carry a file of the previous tree over unchanged; False if it is not there or was changed."""
        entry = self.old_manifest.get(rel)
        if not entry:
            return False
        target = self.staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return self._reuse(rel, entry[0], target)

    def previous_hash(self, rel: str) -> str | None:
        entry = self.old_manifest.get(rel)
        return entry[0] if entry else None


def _file_digest(path: Path) -> str:
    h = hashlib.sha1()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _link(src: Path, dst: Path) -> bool:
    try:
        if dst.exists():
            dst.unlink()
        os.link(src, dst)
        return True
    except OSError:
        return False


class Output:
    """output/ with its trees (site, pdf), the manifest of the last good build, and the swap."""

    TREES = ("site", "pdf")

    def __init__(self, out_dir: Path) -> None:
        self.dir = out_dir
        self.state = out_dir / STATE_DIR
        self.staging_root = out_dir / ".staging"
        self.manifest = self._read_manifest()
        self.writers: dict[str, TreeWriter] = {}

    def _read_manifest(self) -> dict:
        try:
            data = json.loads((self.state / MANIFEST).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def recover(self) -> None:
        """Finish or undo a swap that an earlier build was killed in the middle of."""
        for tree in self.TREES:
            final, old = self.dir / tree, self.dir / f".old-{tree}"
            if old.exists():
                if final.exists():
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    os.replace(old, final)
        shutil.rmtree(self.staging_root, ignore_errors=True)

    def begin(self) -> None:
        self.recover()
        self.staging_root.mkdir(parents=True)
        for tree in self.TREES:
            old = self.manifest.get("files", {}).get(tree, {})
            # trust the old manifest only for files that are still there
            self.writers[tree] = TreeWriter(self.dir / tree, self.staging_root / tree, dict(old))
            (self.staging_root / tree).mkdir()

    def tree(self, name: str) -> TreeWriter:
        return self.writers[name]

    def commit(self, extra_state: dict | None = None) -> None:
        """Swap every staged tree into place, then record the manifest."""
        for tree, writer in self.writers.items():
            final, old = self.dir / tree, self.dir / f".old-{tree}"
            if final.exists():
                os.replace(final, old)
            os.replace(writer.staging, final)
            shutil.rmtree(old, ignore_errors=True)
        manifest = dict(self.manifest)
        manifest["files"] = {t: w.manifest for t, w in self.writers.items()}
        if extra_state:
            manifest.update(extra_state)
        self.state.mkdir(parents=True, exist_ok=True)
        tmp = self.state / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.state / MANIFEST)
        shutil.rmtree(self.staging_root, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.staging_root, ignore_errors=True)
