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

Whoever can write output/ can plant anything in it, so nothing there is followed or trusted blindly:
output/.bulletin and everything the journal moves (staging, its trees, old-*) must be real folders —
a symbolic link there is removed, never followed, renamed into place or deleted through; the lock is
opened without following a link; the manifest is read without following one and checked field by field
(a manifest that does not validate is discarded whole, noted in `Output.discarded`); and a previous
file is reused only when it is a regular file in a real folder of its own tree, linked as it is (a link
planted in output/site is never hard-linked through to the file it points at). output/ itself may be a
link (an output folder on another drive).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging  # noqa: F401 -- imported before our fork hooks are registered (see there)
import os
import shutil
import signal
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.buildstate import private_folder, read_private

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


_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}
_MASK_BEFORE_FORK: list[set] = []


def _before_fork() -> None:
    # Ctrl-C is held back while the process forks: arriving inside another module's fork hooks
    # (logging's lock release) it would print an "Exception ignored" traceback and be lost. It is
    # delivered as soon as the fork is done (_after_fork_in_parent).
    global _FORKING_PID
    _FORKING_PID = os.getpid()
    _MASK_BEFORE_FORK.append(signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS))


def _restore_mask() -> None:
    if _MASK_BEFORE_FORK:
        signal.pthread_sigmask(signal.SIG_SETMASK, _MASK_BEFORE_FORK.pop())


def _after_fork_in_parent() -> None:
    _restore_mask()


def _after_fork_in_child() -> None:
    _restore_mask()
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


# registered after logging's hooks (imported above), so that ours run outside them: before-fork hooks
# run in reverse order of registration, after-fork hooks in order
os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                    after_in_child=_after_fork_in_child)


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
        if not private_folder(self.path.parent, top=self.path.parent.parent):
            raise OSError(errno.ENOTDIR, "cannot make the build state folder", str(self.path.parent))
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            os.unlink(self.path)  # a link planted as the lock: removed, never truncated through
            fd = os.open(self.path, flags | os.O_EXCL, 0o644)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(errno.EINVAL, "the lock is not a regular file", str(self.path))
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                os.close(fd)
                raise
            # the holder's pid, digits only: the file is writable by anyone who can write output/, and
            # what it says is printed to the terminal (no escape sequences from it)
            pid = "".join(c for c in os.pread(fd, 32, 0).decode("ascii", "replace") if c.isdigit()) or "?"
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
    _own_dirs: dict[str, bool] = field(default_factory=dict, repr=False)  # folder of final → a real one

    def _reuse(self, rel: str, h: str, target: Path) -> bool:
        """Hard-link the previous build's file if it has hash `h` and is untouched since (size, mtime),
        and it is a regular file of the previous tree itself (not a link, not in a linked folder)."""
        entry = self.old_manifest.get(rel)
        if not entry or entry[0] != h:
            return False
        old = self.final / rel
        try:
            st = os.lstat(old)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode) or [st.st_size, st.st_mtime_ns] != entry[1:3]:
            return False
        if not self._own_dir(rel.rpartition("/")[0]):
            return False
        if _link(old, target):
            self.manifest[rel] = entry
            self.linked += 1
            return True
        return False

    def _own_dir(self, folder: str) -> bool:
        """Whether final/folder is a real folder of the previous tree: no link on the way (one check per
        folder: a build reuses thousands of files from a few hundred folders)."""
        known = self._own_dirs.get(folder)
        if known is None:
            if not folder:
                try:
                    known = stat.S_ISDIR(os.lstat(self.final).st_mode)
                except OSError:
                    known = False
            else:
                parent = folder.rpartition("/")[0]
                try:
                    known = self._own_dir(parent) and stat.S_ISDIR(os.lstat(self.final / folder).st_mode)
                except OSError:
                    known = False
            self._own_dirs[folder] = known
        return known

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
        os.link(src, dst, follow_symlinks=False)
        return True
    except FileExistsError:
        tmp = dst.with_name(f".{dst.name}.link")
        try:
            os.link(src, tmp, follow_symlinks=False)
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
        self.discarded: list[tuple[Path, str]] = []  # state found untrustworthy, not used: (file, why)

    def _read_manifest(self) -> dict:
        """The last build's manifest; {} when there is none or it does not validate (then noted in
        `discarded`; the file is left for the commit to replace, so a refused build changes nothing)."""
        path = self.state / MANIFEST
        data = read_private(path)
        if data is None:
            if os.path.lexists(path):
                self.discarded.append((path, "not a regular file"))
            return {}
        try:
            manifest = json.loads(data.decode("utf-8"))
            check_manifest(manifest)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and StateError are ValueErrors
            self.discarded.append((path, str(exc)[:200]))
            return {}
        return manifest

    def _old(self, tree: str) -> Path:
        return self.state / f"old-{tree}"

    def recover(self) -> None:
        """Finish a swap that an earlier build committed but was killed in the middle of, or throw away
        what an unfinished build staged. Call with the lock held. Only real folders are moved: a link
        planted as the staging folder, a staged tree or an old tree is removed, never followed."""
        private_folder(self.state, top=self.dir)
        if _is_dir(self.staging_root) and _is_file(self.staging_root / COMMITTED):
            self._swap()
        for tree in self.TREES:
            old, final = self._old(tree), self.dir / tree
            if _is_dir(old) and not os.path.lexists(final):  # cannot happen after a journalled swap
                os.replace(old, final)
            _remove(old)
        _remove(self.staging_root)

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
            _remove(self._old(tree))
        _remove(self.staging_root)

    def _swap(self) -> None:
        """Move each staged tree into place, then the manifest; safe to repeat after a crash at any step.
        A staged tree or manifest that is not a real folder / regular file is not ours: removed."""
        for tree in self.TREES:
            staged, final, old = self.staging_root / tree, self.dir / tree, self._old(tree)
            if not _is_dir(staged):
                _remove(staged)
                continue  # already swapped in (or a link planted there)
            if os.path.lexists(final):
                _remove(old)
                os.replace(final, old)  # a link as final is moved as a link, then removed as one
            os.replace(staged, final)
        staged_manifest = self.staging_root / MANIFEST
        if _is_file(staged_manifest):
            os.replace(staged_manifest, self.state / MANIFEST)
        else:
            _remove(staged_manifest)
        _fsync_dir(self.dir)
        (self.staging_root / COMMITTED).unlink(missing_ok=True)

    def abort(self) -> None:
        """Throw the staging away unless it was committed (then the swap is finished, not undone)."""
        if _is_file(self.staging_root / COMMITTED):
            self._swap()
        _remove(self.staging_root)


def _is_dir(path: Path) -> bool:
    """A real folder (a link to one is not)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    """A regular file (a link to one is not)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _remove(path: Path) -> None:
    """Remove a folder with what is in it, or a file or link (never what a link points to)."""
    if _is_dir(path):
        shutil.rmtree(path, ignore_errors=True)  # does not follow links inside
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError:
            pass


# --- the manifest ----------------------------------------------------------------------------------
# {"files": {tree: {rel: [sha1, size, mtime_ns]}}, "pdf": {issue: {"cache_key", "pages", "bytes"[, "holes"]}},
#  "site": {"keys": {page: [render key, sha1]}, "memo": {"pinyin": {name: slug}, ...}}, "version": str}
# (written by Output.commit with the build's state). Checked whole, column by column, before any of it is
# used: a wrong type anywhere would otherwise be an internal error deep in the build, and a crafted
# value (an author's page slug "../../x") would aim a page outside the site.


def check_manifest(m: object) -> None:
    """StateError unless `m` has the manifest's layout (see above)."""
    from bulletin.buildstate import StateError
    from bulletin.content.slugs import SLUG_RE

    def need(ok: bool, what: str) -> None:
        if not ok:
            raise StateError(f"manifest: {what}")

    def rows(d: object, what: str, types: tuple[type, ...]) -> None:
        """d maps str → list of exactly `types`."""
        need(type(d) is dict, what)
        values = list(d.values())
        need(set(map(type, values)) <= {list} and set(map(len, values)) <= {len(types)}, what)
        for column, t in zip(zip(*values, strict=True), types, strict=False):  # no rows: no columns
            need(set(map(type, column)) <= {t}, what)

    need(type(m) is dict, "not an object")
    files = m.get("files", {})
    need(type(files) is dict, "files")
    for tree in files.values():
        rows(tree, "files", (str, int, int))
    pdf = m.get("pdf", {})
    need(type(pdf) is dict, "pdf")
    for v in pdf.values():
        need(type(v) is dict and v.keys() - {"holes"} == {"cache_key", "pages", "bytes"}
             and type(v["cache_key"]) is str and type(v["pages"]) is int and type(v["bytes"]) is int, "pdf")
        # unfilled holes at a page foot, for `check`: [article rel path, page, mm]
        holes = v.get("holes", [])
        need(type(holes) is list and all(type(h) is list and len(h) == 3 and type(h[0]) is str
                                         and type(h[1]) is int and type(h[2]) in (int, float) for h in holes),
             "pdf holes")
    site = m.get("site", {})
    need(type(site) is dict, "site")
    rows(site.get("keys", {}), "site keys", (str, str))
    memo = site.get("memo", {})
    need(type(memo) is dict, "site memo")
    pinyin = memo.get("pinyin", {})
    need(type(pinyin) is dict and set(map(type, pinyin.values())) <= {str}
         and all(map(SLUG_RE.match, pinyin.values())), "pinyin")
    need(type(m.get("version", "")) is str, "version")
