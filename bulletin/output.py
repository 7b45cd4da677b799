"""Writing output/ atomically: a staging tree, unchanged files hard-linked, one committed swap, a lock.

A build writes everything into output/.bulletin/staging/ and swaps it in only when the whole build has
succeeded, so a failed or interrupted build leaves the previous output exactly as it was. Files whose
content did not change are hard-linked from the previous output instead of rewritten (same inode, same
mtime); a staged file is never written through such a link (it is replaced, not overwritten).

The swap of several trees (site/, pdf/) and the manifest cannot be one rename, so it is journalled:
once everything is staged, a COMMITTED marker is written (atomically). Before the marker, recovery
throws the staging away (roll back); after it, recovery finishes the swap (roll forward). Every build
recovers first, under the lock, so output/ is only ever seen as the old or the new build — never a mix.
SIGINT/SIGTERM are held back during the few milliseconds of the swap itself.

output/.bulletin/ also holds the manifest (hash, size and mtime of every output file, and the PDF cache
keys): deleting it only costs time — the next build re-renders and writes the same bytes.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

STATE_DIR = ".bulletin"
MANIFEST = "manifest.json"
STAGING = "staging"
COMMITTED = "COMMITTED"


def digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


class OutputLocked(Exception):
    """Another build holds the lock on this output folder."""

    def __init__(self, pid: str, path: Path) -> None:
        super().__init__(pid)
        self.pid = pid
        self.path = path


# Lock descriptors held by this process. A child forked during a build (a PDF worker) inherits them: it
# closes its copies at once, so a build killed with SIGKILL releases the lock, and it asks the kernel to
# kill it when the build process dies — orphaned pool workers would otherwise wait forever on a pipe that
# their siblings keep open.
_HELD_FDS: set[int] = set()
_FORKING_PID = 0
_prctl = None  # libc's prctl, looked up while the lock is taken (not in a freshly forked child)
_PR_SET_PDEATHSIG = 1


def _before_fork() -> None:
    global _FORKING_PID
    _FORKING_PID = os.getpid()


def _after_fork_in_child() -> None:
    if not _HELD_FDS:
        return
    for fd in list(_HELD_FDS):
        try:
            os.close(fd)  # closes the child's copy only: the parent's lock stays
        except OSError:
            pass
    _HELD_FDS.clear()
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != _FORKING_PID:  # the build died before the line above took effect
            os._exit(1)


def _find_prctl():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: workers end when their queue breaks instead
        return None


os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)


class OutputLock:
    """An exclusive lock on output/ held for the whole build (flock: released if the process dies, so a
    stale lock file never blocks anyone)."""

    def __init__(
        self, out_dir: Path, wait: bool = False, on_wait: Callable[[str], None] | None = None
    ) -> None:
        self.path = out_dir / STATE_DIR / "lock"
        self.wait = wait
        self.on_wait = on_wait
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        global _prctl
        if _prctl is None:
            _prctl = _find_prctl()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                os.close(fd)
                raise
            pid = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            if not self.wait:
                os.close(fd)
                raise OutputLocked(pid, self.path) from None
            if self.on_wait:
                self.on_wait(pid)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        _HELD_FDS.add(fd)
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            _HELD_FDS.discard(self._fd)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


@dataclass
class TreeWriter:
    """Builds the next version of one output tree (e.g. output/site) in a staging folder."""

    final: Path  # e.g. output/site
    staging: Path  # e.g. output/.bulletin/staging/site
    old_manifest: dict[str, list]
    manifest: dict[str, list] = field(default_factory=dict)
    written: int = 0
    linked: int = 0
    _made_dirs: set[str] = field(default_factory=set, repr=False)

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

    def _target(self, rel: str) -> Path:
        target = self.staging / rel
        if not _is_within(target, self.staging):
            raise ValueError(f"output path outside its tree: {rel}")
        parent = rel.rpartition("/")[0]
        if parent not in self._made_dirs:  # one mkdir per folder, not per file
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(parent)
        return target

    def put(self, rel: str, data: bytes) -> None:
        """Add a file with this content to the next tree."""
        h = digest(data)
        target = self._target(rel)
        if self._reuse(rel, h, target):
            return
        _unlink(target)  # never write through a hard link into the previous output
        target.write_bytes(data)
        self._record(rel, h, target)
        self.written += 1

    def put_file(
        self, rel: str, source: Path, content_hash: str | None = None, *, link: bool = False
    ) -> None:
        """Add a copy of an existing file; `link` hard-links it instead (only for files inside output/,
        never for editors' files, which an in-place edit would then change in the published tree)."""
        h = content_hash or _file_digest(source)
        target = self._target(rel)
        if self._reuse(rel, h, target):
            return
        if not (link and _link(source, target)):
            _unlink(target)
            shutil.copy2(source, target)
        self._record(rel, h, target)
        self.written += 1

    def adopt(self, rel: str, content_hash: str, size: int, mtime_ns: int) -> None:
        """Take a file another process wrote at staging/rel (with this hash, size and mtime) into the
        tree. Identical bytes of the previous build replace it, so an unchanged file keeps its inode."""
        target = self.staging / rel
        if not _is_within(target, self.staging):
            raise ValueError(f"output path outside its tree: {rel}")
        if self._reuse(rel, content_hash, target):
            return  # the previous build's identical file took its place
        self.manifest[rel] = [content_hash, size, mtime_ns]
        self.written += 1

    def keep(self, rel: str) -> bool:
        """Carry a file of the previous tree over unchanged; False if it is not there or was changed."""
        entry = self.old_manifest.get(rel)
        if not entry:
            return False
        return self._reuse(rel, entry[0], self._target(rel))

    def previous_hash(self, rel: str) -> str | None:
        entry = self.old_manifest.get(rel)
        return entry[0] if entry else None


def _is_within(path: Path, folder: Path) -> bool:
    return os.path.normpath(path).startswith(os.path.normpath(folder) + os.sep)


def _file_digest(path: Path) -> str:
    h = hashlib.sha1()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _link(src: Path, dst: Path) -> bool:
    """Hard-link `src` at `dst`. An existing `dst` is replaced atomically (linked under a temporary name,
    renamed over it), so it is never lost when the link cannot be made (no hard links on a FAT drive)."""
    try:
        os.link(src, dst)
        return True
    except FileExistsError:
        tmp = dst.with_name(f".{dst.name}.link")
        try:
            os.link(src, tmp)
            os.replace(tmp, dst)
            return True
        except OSError:
            _unlink(tmp)
            return False
    except OSError:
        return False


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _SignalsHeld:
    """Hold SIGINT/SIGTERM back for a few milliseconds (delivered when the block ends)."""

    SIGNALS = {signal.SIGINT, signal.SIGTERM}

    def __enter__(self):
        self._active = threading.current_thread() is threading.main_thread()
        if self._active:
            self._old = signal.pthread_sigmask(signal.SIG_BLOCK, self.SIGNALS)
        return self

    def __exit__(self, *exc) -> None:
        if self._active:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._old)


class Output:
    """output/ with its trees (site, pdf), the manifest of the last good build, and the swap."""

    TREES = ("site", "pdf")

    def __init__(self, out_dir: Path) -> None:
        self.dir = out_dir
        self.state = out_dir / STATE_DIR
        self.staging_root = self.state / STAGING
        self.manifest: dict = {}
        self.writers: dict[str, TreeWriter] = {}

    def _read_manifest(self) -> dict:
        try:
            data = json.loads((self.state / MANIFEST).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _old(self, tree: str) -> Path:
        return self.state / f"old-{tree}"

    def recover(self) -> None:
        """Finish a swap that an earlier build committed but was killed in the middle of, or throw away
        what an unfinished build staged. Call with the lock held."""
        marker = self.staging_root / COMMITTED
        if marker.is_file():
            self._swap()
        for tree in self.TREES:
            old, final = self._old(tree), self.dir / tree
            if old.exists() and not final.exists():  # cannot happen after a journalled swap; be safe
                os.replace(old, final)
            shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(self.staging_root, ignore_errors=True)

    def begin(self) -> None:
        self.recover()
        self.manifest = self._read_manifest()
        self.staging_root.mkdir(parents=True)
        for tree in self.TREES:
            old = self.manifest.get("files", {}).get(tree, {})
            # trust the old manifest only for files that are still there (TreeWriter._reuse checks)
            self.writers[tree] = TreeWriter(self.dir / tree, self.staging_root / tree, dict(old))
            (self.staging_root / tree).mkdir()

    def tree(self, name: str) -> TreeWriter:
        return self.writers[name]

    def commit(self, extra_state: dict | None = None) -> None:
        """Make the staged build the output: write the new manifest into the staging folder, mark the
        staging committed, then swap every tree into place."""
        manifest = dict(self.manifest)
        manifest["files"] = {t: w.manifest for t, w in self.writers.items()}
        if extra_state:
            manifest.update(extra_state)
        (self.staging_root / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        _fsync_dir(self.staging_root)
        with _SignalsHeld():
            tmp = self.staging_root / (COMMITTED + ".tmp")
            tmp.write_bytes(b"1")
            os.replace(tmp, self.staging_root / COMMITTED)  # the commit point
            _fsync_dir(self.staging_root)
            self._swap()
        for tree in self.TREES:
            shutil.rmtree(self._old(tree), ignore_errors=True)
        shutil.rmtree(self.staging_root, ignore_errors=True)

    def _swap(self) -> None:
        """Move each staged tree into place, then the manifest; safe to repeat after a crash at any step."""
        for tree in self.TREES:
            staged, final, old = self.staging_root / tree, self.dir / tree, self._old(tree)
            if not staged.exists():
                continue  # already swapped in
            if final.exists():
                shutil.rmtree(old, ignore_errors=True)
                os.replace(final, old)
            os.replace(staged, final)
        staged_manifest = self.staging_root / MANIFEST
        if staged_manifest.exists():
            os.replace(staged_manifest, self.state / MANIFEST)
        _fsync_dir(self.dir)
        (self.staging_root / COMMITTED).unlink(missing_ok=True)

    def abort(self) -> None:
        """Throw the staging away unless it was committed (then the swap is finished, not undone)."""
        if (self.staging_root / COMMITTED).is_file():
            self._swap()
        shutil.rmtree(self.staging_root, ignore_errors=True)
