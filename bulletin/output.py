"""Writing output/ atomically at the cost of what changed: two trees per output, one exchanged for the other.

Each published tree (output/site, output/pdf) has a spare, output/.bulletin/spare-<tree>: the tree as it
was one build earlier, a real folder whose unchanged files are hard links to the published ones. A
build writes only the files whose bytes changed, into output/.bulletin/staging/<tree>; everything else
is carried over by name (the published file is checked: a regular file of its own tree, same size and
mtime as the manifest says). The commit then brings the spare up to date — moves the staged files in,
links over the files that differed since the last build, removes what is gone — and exchanges the spare
and the published folder in one step (renameat2 RENAME_EXCHANGE): whoever opens output/site/index.html
at any moment finds the complete old tree or the complete new one, never a mix and never nothing. The
folder just replaced is the next build's spare. The cost is proportional to the files that changed in
this build and the last, plus one walk of directory entries (names only) that keeps the spare exact.

What may differ between a spare and its tree is recorded in output/.bulletin/spare.json (paths, and
the device and inode of both folders) before the spare is touched, so a build killed while bringing it
up to date leaves a record that covers every file it touched; a record that does not validate or names
other folders is not used, and the build completes its staging tree from the published one instead
(the cost of every file, as a cold build; the replaced tree becomes the spare).

The swap of several trees and the manifest cannot be one step, so it is journalled: once everything is
prepared, a COMMITTED journal is written atomically (per tree: the folder to swap in, by device and
inode). Before it, recovery throws the staging away (roll back; the published trees were not touched);
after it, recovery finishes the swap (roll forward: an exchange done is recognised by the inode now at
output/<tree>). Every build recovers first, under the lock. Where the system cannot exchange (not
Linux, a file system without it) the swap is two renames through output/.bulletin/old-<tree>, with the
same journal; output/<tree> is then missing for the moment between them. SIGINT/SIGTERM are held back
during the swap itself.

Published files are never written in place, so a hard link between a tree and its spare never changes
under a reader; output/site holds only regular files and folders (copying it to a USB stick copies
everything).

output/.bulletin/ also holds the manifest (hash, size and mtime of every output file, and the PDF cache
keys): deleting it only costs time — the next build re-renders and writes the same bytes.

Whoever can write output/ can plant anything in it, so nothing there is followed or trusted blindly:
output/.bulletin and everything the journal moves (staging, its trees, spare-*, old-*) must be real
folders — a symbolic link there is removed, never followed, renamed into place or deleted through;
folders inside a spare are checked the same way before anything is put in them, and links or stray
files found in a spare are removed; paths read from state files must be relative paths inside their
tree; the lock is opened without following a link; the manifest is read without following one and
checked field by field (a manifest that does not validate is discarded whole, noted in
`Output.discarded`); and a previous file is carried over only when it is a regular file in a real folder
of its own tree (a link planted in output/site is never linked through to the file it points at). A
writer of output/.bulletin can put content of their choosing in a spare, as they could in output/site.
output/ itself may be a link (an output folder on another drive).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.buildstate import private_folder, read_private
from bulletin.workers import close_in_children

STATE_DIR = ".bulletin"
MANIFEST = "manifest.json"
STAGING = "staging"
COMMITTED = "COMMITTED"
SPARES = "spare.json"


def digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


class OutputLocked(Exception):
    """Another build holds the lock on this output folder."""

    def __init__(self, pid: str, path: Path) -> None:
        super().__init__(pid)
        self.pid = pid
        self.path = path


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
        close_in_children(fd)  # a worker forked during the build does not keep the lock (workers.py)
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            close_in_children(self._fd, held=False)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


@dataclass
class TreeWriter:
    """Collects the next version of one output tree (e.g. output/site): what changed is written into a
    staging folder, what did not is only recorded (the published file is checked, never copied)."""

    final: Path  # e.g. output/site
    staging: Path  # e.g. output/.bulletin/staging/site: the files this build wrote
    old_manifest: dict[str, list]
    manifest: dict[str, list] = field(default_factory=dict)
    written: int = 0
    linked: int = 0  # files carried over from the previous tree (the name is older than the scheme)
    staged: set[str] = field(default_factory=set)  # files with new bytes, under `staging`
    _made_dirs: set[str] = field(default_factory=set, repr=False)
    _own_dirs: dict[str, bool] = field(default_factory=dict, repr=False)  # folder of final → a real one

    def __post_init__(self) -> None:
        self._final = os.fspath(self.final) + "/"  # lstat by string: a Path per file costs more than it

    def _reuse(self, rel: str, h: str) -> bool:
        """Carry the previous build's file over if it has hash `h` and is untouched since (size, mtime),
        and it is a regular file of the previous tree itself (not a link, not in a linked folder)."""
        entry = self.old_manifest.get(rel)
        if not entry or entry[0] != h:
            return False
        try:
            st = os.lstat(self._final + rel)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode) or [st.st_size, st.st_mtime_ns] != entry[1:3]:
            return False
        if not self._own_dir(rel.rpartition("/")[0]):
            return False
        if rel in self.staged:  # written earlier in this build, now back to the published bytes
            self.staged.discard(rel)
            _unlink(self.staging / rel)
            self.written -= 1
        self.manifest[rel] = entry
        self.linked += 1
        return True

    def _own_dir(self, folder: str) -> bool:
        """Whether final/folder is a real folder of the previous tree: no link on the way (one check per
        folder: a build reuses thousands of files from a few hundred folders)."""
        known = self._own_dirs.get(folder)
        if known is None:
            if not folder:
                known = _is_dir(self.final)
            else:
                known = self._own_dir(folder.rpartition("/")[0]) and _is_dir(self.final / folder)
            self._own_dirs[folder] = known
        return known

    def _record(self, rel: str, h: str, target: Path) -> None:
        st = target.stat()
        self.manifest[rel] = [h, st.st_size, st.st_mtime_ns]
        if rel not in self.staged:
            self.staged.add(rel)
            self.written += 1

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
        if self._reuse(rel, h):
            return
        target = self._target(rel)
        _unlink(target)  # never write through a hard link
        target.write_bytes(data)
        self._record(rel, h, target)

    def put_file(
        self, rel: str, source: Path, content_hash: str | None = None, *, link: bool = False
    ) -> None:
        """Add a copy of an existing file; `link` hard-links it instead (only for files inside output/,
        never for editors' files, which an in-place edit would then change in the published tree)."""
        h = content_hash or _file_digest(source)
        if self._reuse(rel, h):
            return
        target = self._target(rel)
        if not (link and _link(source, target)):
            _unlink(target)
            shutil.copy2(source, target)
        self._record(rel, h, target)

    def adopt(self, rel: str, content_hash: str, size: int, mtime_ns: int) -> None:
        """Take a file another process wrote at staging/rel (with this hash, size and mtime) into the
        tree. When the previous build's file has these bytes, it is kept and the new one dropped, so an
        unchanged file keeps its inode and mtime."""
        target = self.staging / rel
        if not _is_within(target, self.staging):
            raise ValueError(f"output path outside its tree: {rel}")
        self.staged.add(rel)  # there now: _reuse removes it if the published file is the same
        self.written += 1
        if self._reuse(rel, content_hash):
            return
        self.manifest[rel] = [content_hash, size, mtime_ns]

    def keep(self, rel: str) -> bool:
        """Carry a file of the previous tree over unchanged; False if it is not there or was changed."""
        entry = self.old_manifest.get(rel)
        if not entry:
            return False
        return self._reuse(rel, entry[0])

    def discard(self, prefix: str) -> None:
        """Leave every file under `prefix` (a folder, ending in "/") out of the next tree."""
        for rel in [r for r in self.manifest if r.startswith(prefix)]:
            del self.manifest[rel]
            if rel in self.staged:
                self.staged.discard(rel)
                _unlink(self.staging / rel)
                self.written -= 1

    def previous_hash(self, rel: str) -> str | None:
        entry = self.old_manifest.get(rel)
        return entry[0] if entry else None

    def path_of(self, rel: str) -> Path:
        """Where the next tree's file `rel` can be read now: staged, or the published one kept."""
        return self.staging / rel if rel in self.staged else self.final / rel


def _is_within(path: Path, folder: Path) -> bool:
    return os.path.normpath(path).startswith(os.path.normpath(folder) + os.sep)


def _safe_rel(rel: object) -> bool:
    """A relative path inside its tree, as the writer makes them (state files are checked with this)."""
    return (
        type(rel) is str and rel != "" and not rel.startswith("/") and "\x00" not in rel
        and "\\" not in rel and all(part not in ("", ".", "..") for part in rel.split("/"))
    )


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


def _link_or_copy(src: Path, dst: Path, scratch: Path) -> None:
    """`dst` becomes `src`'s bytes (same size and mtime): a hard link, or where none can be made a copy.
    An existing `dst` is replaced by renaming over it a link or copy made in `scratch` (a folder of the
    build's own, thrown away with it), so a kill midway leaves nothing half-made in the tree."""
    try:
        os.link(src, dst, follow_symlinks=False)
        return
    except OSError:
        pass
    tmp = scratch / "replacement"
    _unlink(tmp)
    try:
        os.link(src, tmp, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, tmp, follow_symlinks=False)
    os.replace(tmp, dst)


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


# --- swapping two folders --------------------------------------------------------------------------

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100
_renameat2 = None  # libc's renameat2, or False where there is none


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders at `a` and `b` in one step (Linux renameat2 RENAME_EXCHANGE): whoever opens a
    path under `b` meanwhile finds the old folder or the new one, never nothing. False where the system
    or the file system cannot (then the caller renames twice)."""
    global _renameat2
    if _renameat2 is None:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            _renameat2 = libc.renameat2
            c = ctypes
            _renameat2.argtypes = [c.c_int, c.c_char_p, c.c_int, c.c_char_p, c.c_uint]
        except (OSError, AttributeError):
            _renameat2 = False
    if _renameat2 is False:
        return False
    import ctypes

    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _dir_id(path: Path) -> list[int] | None:
    """[device, inode] of a real folder (a link to one is not), else None."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino] if stat.S_ISDIR(st.st_mode) else None


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


class _Folders:
    """Real folders under a tree's root, made where missing: anything else in the way (a link, a file) is
    removed, never followed. Each folder is checked once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ok: dict[str, bool] = {"": True}

    def ensure(self, folder: str) -> None:
        if self._ok.get(folder):
            return
        self.ensure(folder.rpartition("/")[0])
        path = self.root / folder
        if not _is_dir(path):
            _remove(path)
            os.mkdir(path)
        self._ok[folder] = True

    def real(self, folder: str) -> bool:
        """Whether root/folder exists as a real folder with no link on the way (nothing is made)."""
        known = self._ok.get(folder)
        if known is None:
            known = self.real(folder.rpartition("/")[0]) and _is_dir(self.root / folder)
            self._ok[folder] = known
        return known


class Output:
    """output/ with its trees (site, pdf), each with a spare, the manifest of the last good build, and
    the swap (see the module's docstring)."""

    TREES = ("site", "pdf")

    def __init__(self, out_dir: Path) -> None:
        self.dir = out_dir
        self.state = out_dir / STATE_DIR
        self.staging_root = self.state / STAGING
        self.manifest: dict = {}
        self.writers: dict[str, TreeWriter] = {}
        self.discarded: list[tuple[Path, str]] = []  # state found untrustworthy, not used: (file, why)
        self.spares: dict[str, dict] = {}  # tree → {"active", "spare", "differs"} of a usable spare

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

    def _read_spares(self) -> dict[str, dict]:
        """The spare trees that can be brought up to date: those whose record in spare.json validates and
        names the folders now at output/<tree> and .bulletin/spare-<tree> (by device and inode)."""
        data = read_private(self.state / SPARES)
        if data is None:
            return {}
        try:
            record = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError):
            return {}
        spares = {}
        for tree in self.TREES:
            info = record.get(tree) if type(record) is dict else None
            if not (type(info) is dict and info.keys() == {"active", "spare", "differs"}):
                continue
            ids, differs = (info["active"], info["spare"]), info["differs"]
            if not all(type(i) is list and len(i) == 2 and set(map(type, i)) == {int} for i in ids):
                continue
            if type(differs) is not list or not all(map(_safe_rel, differs)):
                continue
            if ids == (_dir_id(self.dir / tree), _dir_id(self._spare(tree))) and ids[0] != ids[1]:
                spares[tree] = {"active": ids[0], "spare": ids[1], "differs": set(differs)}
        return spares

    def _write_spares(self, spares: dict[str, dict]) -> None:
        record = {
            tree: {"active": s["active"], "spare": s["spare"], "differs": sorted(s["differs"])}
            for tree, s in spares.items()
        }
        _write_state(self.state / SPARES, json.dumps(record, ensure_ascii=False).encode("utf-8"))

    def _old(self, tree: str) -> Path:
        return self.state / f"old-{tree}"

    def _spare(self, tree: str) -> Path:
        return self.state / f"spare-{tree}"

    def recover(self) -> None:
        """Finish a swap that an earlier build committed but was killed in the middle of, or throw away
        what an unfinished build staged. Call with the lock held. Only real folders are moved: a link
        planted as the staging folder, a staged tree, a spare or an old tree is removed, never followed."""
        private_folder(self.state, top=self.dir)
        journal = self._read_journal()
        if journal is not None:
            self._finish(journal)
        for tree in self.TREES:
            old, final = self._old(tree), self.dir / tree
            if _is_dir(old) and not os.path.lexists(final):  # a swap that renamed only the first time
                os.replace(old, final)  # (no journal: it cannot be ours to finish; the old tree returns)
            _remove(old)
            if os.path.lexists(self._spare(tree)) and not _is_dir(self._spare(tree)):
                _remove(self._spare(tree))
        _remove(self.staging_root)

    def _read_journal(self) -> dict | None:
        """The COMMITTED journal of a staging folder, if it is a real one and the journal validates."""
        if not _is_dir(self.staging_root):
            return None
        data = read_private(self.staging_root / COMMITTED)
        try:
            journal = json.loads(data.decode("utf-8")) if data is not None else None
        except (ValueError, RecursionError):
            return None
        if type(journal) is not dict or not set(journal) <= set(self.TREES):
            return None
        for step in journal.values():
            if not (
                type(step) is dict and step.keys() == {"target", "id", "spare", "differs"}
                and step["target"] in ("spare", "staging") and step["spare"] in ("keep", "adopt", "copy")
                and type(step["id"]) is list and len(step["id"]) == 2 and set(map(type, step["id"])) == {int}
                and type(step["differs"]) is list and all(map(_safe_rel, step["differs"]))
            ):
                return None
        return journal

    def begin(self) -> None:
        self.recover()
        self.manifest = self._read_manifest()
        self.spares = self._read_spares() if self.manifest else {}
        self.staging_root.mkdir(parents=True)
        for tree in self.TREES:
            old = self.manifest.get("files", {}).get(tree, {})
            # trust the old manifest only for files that are still there (TreeWriter._reuse checks)
            self.writers[tree] = TreeWriter(self.dir / tree, self.staging_root / tree, dict(old))
            (self.staging_root / tree).mkdir()

    def tree(self, name: str) -> TreeWriter:
        return self.writers[name]

    def commit(self, extra_state: dict | None = None) -> None:
        """Make the staged build the output: bring each tree's spare up to date (or complete the staged
        tree where there is no usable spare), write the manifest and the journal, swap, settle."""
        manifest = dict(self.manifest)
        manifest["files"] = {t: w.manifest for t, w in self.writers.items()}
        if extra_state:
            manifest.update(extra_state)
        # what may differ between each spare and its tree, recorded before a spare is touched: a build
        # killed while bringing it up to date leaves a record that still covers every file it touched
        for tree, spare in self.spares.items():
            w = self.writers[tree]
            spare["differs"] |= w.staged | _deleted(w)
        if self.spares:
            self._write_spares(self.spares)
        journal = {tree: self._prepare(tree, w) for tree, w in self.writers.items()}
        (self.staging_root / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        _fsync_dir(self.staging_root)
        with _SignalsHeld():
            # the commit point: from here on the next build rolls forward, not back
            _write_state(self.staging_root / COMMITTED, json.dumps(journal, ensure_ascii=False).encode())
            _fsync_dir(self.staging_root)
            self._finish(journal, manifest)
        _remove(self.staging_root)

    def _prepare(self, tree: str, w: TreeWriter) -> dict:
        """Make the folder that will become output/<tree>: its spare brought up to date with the files
        that differ (cost: what changed), or, with no usable spare, the staging tree completed with the
        previous tree's unchanged files (cost: every file). Returns the tree's step of the journal."""
        differs_after = sorted(w.staged | _deleted(w))
        spare = self.spares.get(tree)
        if spare is not None:
            root = self._spare(tree)
            folders = _Folders(root)
            for rel in sorted(spare["differs"]):
                folder = rel.rpartition("/")[0]
                if rel in w.staged:
                    folders.ensure(folder)
                    if _is_dir(root / rel):
                        _remove(root / rel)
                    os.replace(w.staging / rel, root / rel)
                elif rel in w.manifest:  # carried over: the published file (checked by the writer)
                    folders.ensure(folder)
                    if _is_dir(root / rel):  # a folder once, a file now
                        _remove(root / rel)
                    _link_or_copy(w.final / rel, root / rel, self.staging_root)
                elif folders.real(folder):
                    _remove(root / rel)
                    _prune_empty(root, folder)
            # what is published is exactly the manifest's files: anything else found in the spare (a
            # link or a file planted there, a file dropped into the tree it was) goes, what it lacks
            # is linked over
            for rel in _tidy(root, w.manifest, set()):
                folders.ensure(rel.rpartition("/")[0])
                _link_or_copy(w.path_of(rel), root / rel, self.staging_root)
            return {"target": "spare", "id": _dir_id(root), "spare": "keep", "differs": differs_after}
        staged = w.staging
        folders = _Folders(staged)
        for rel in w.manifest.keys() - w.staged:  # unchanged: linked from the published tree
            folders.ensure(rel.rpartition("/")[0])
            _link_or_copy(w.final / rel, staged / rel, self.staging_root)
        trusted = bool(w.old_manifest) and _is_dir(w.final)
        return {
            "target": "staging",
            "id": _dir_id(staged),
            "spare": "adopt" if trusted else "copy",
            "differs": differs_after if trusted else [],
        }

    def _finish(self, journal: dict, manifest: dict | None = None) -> None:
        """Swap every tree the journal names into place, then the manifest, then settle the spares;
        safe to repeat after a kill at any step. `manifest`: the one being committed (else read)."""
        for tree, step in journal.items():
            target = self._spare(tree) if step["target"] == "spare" else self.staging_root / tree
            _swap_in(target, self.dir / tree, self._old(tree), step["id"])
        staged_manifest = self.staging_root / MANIFEST
        if _is_file(staged_manifest):
            os.replace(staged_manifest, self.state / MANIFEST)
        else:
            _remove(staged_manifest)
        _fsync_dir(self.dir)
        if manifest is None:
            manifest = self._read_manifest()
        spares = {}
        for tree, step in journal.items():
            final, spare = self.dir / tree, self._spare(tree)
            files = manifest.get("files", {}).get(tree) if manifest else None
            if _dir_id(final) != step["id"] or files is None:  # not swapped in (a journal planted), or
                _remove(spare)  # the manifest is not readable: no spare to trust, the next build makes one
                _remove(self.staging_root / tree)
                continue
            if step["target"] == "staging":
                previous = self.staging_root / tree  # the tree that was published until now
                if step["spare"] == "adopt" and _is_dir(previous):
                    _remove(spare)
                    os.replace(previous, spare)
                elif step["spare"] == "copy" or _is_dir(previous):
                    _remove(previous)
                    _remove(spare)
                    _copy_tree(final, spare, files, self.staging_root)
            if not _is_dir(spare):
                continue
            differs = set(step["differs"])
            differs |= _tidy(spare, files, differs)
            spares[tree] = {"active": step["id"], "spare": _dir_id(spare), "differs": differs}
        self._write_spares(spares)
        (self.staging_root / COMMITTED).unlink(missing_ok=True)

    def abort(self) -> None:
        """Throw the staging away unless it was committed (then the swap is finished, not undone)."""
        journal = self._read_journal()
        if journal is not None:
            self._finish(journal)
        _remove(self.staging_root)


def _deleted(w: TreeWriter) -> set[str]:
    """The previous tree's files the next one does not have (names from the manifest: checked)."""
    return {rel for rel in w.old_manifest.keys() - w.manifest.keys() if _safe_rel(rel)}


def _swap_in(target: Path, final: Path, old: Path, target_id: list[int]) -> None:
    """Put the folder at `target` (a real folder with this device and inode) at `final`, and the folder
    that was at `final` at `target`: in one exchange where the system can, else by renaming twice through
    `old`. Repeating it after a kill at any point finishes it."""
    if _dir_id(final) == target_id:  # done (perhaps all but moving the old tree to `target`)
        if os.path.lexists(old) and not os.path.lexists(target):
            os.replace(old, target)
        return
    if _dir_id(target) != target_id:
        return  # nothing of ours to swap in: the journal was not written by a build of this output
    if not os.path.lexists(final):
        os.replace(target, final)
        if os.path.lexists(old):  # killed between the two renames below
            os.replace(old, target)
        return
    if _exchange(target, final):
        return
    _remove(old)
    os.replace(final, old)  # a link as final is moved as a link, then removed as one
    os.replace(target, final)
    os.replace(old, target)


def _copy_tree(src: Path, dst: Path, files: dict[str, list], scratch: Path) -> None:
    """A spare of `src`: every file of `files` hard-linked (copied where links fail) into a new `dst`."""
    os.mkdir(dst)
    folders = _Folders(dst)
    src_folders = _Folders(src)
    for rel in sorted(filter(_safe_rel, files)):
        folder = rel.rpartition("/")[0]
        if not (src_folders.real(folder) and _is_file(src / rel)):
            continue  # the next build puts it in the spare's differs (see _tidy)
        folders.ensure(folder)
        _link_or_copy(src / rel, dst / rel, scratch)


def _tidy(root: Path, files: dict[str, list], differs: set[str]) -> set[str]:
    """Remove from a spare what no tree holds: links, files that are neither a file of the tree (`files`)
    nor an expected difference (`differs`), folders that hold neither. One walk of names (no file is
    read or stat'ed beyond its directory entry). Returns the files of the tree the spare lacks (to be
    brought over by the next build)."""
    wanted = files.keys() | differs
    dirs = {""}
    for rel in wanted:
        folder = rel.rpartition("/")[0]
        while folder not in dirs:
            dirs.add(folder)
            folder = folder.rpartition("/")[0]
    seen: set[str] = set()
    stack = [""]
    while stack:
        folder = stack.pop()
        prefix = folder + "/" if folder else ""
        try:
            entries = list(os.scandir(root / folder if folder else root))
        except OSError:
            continue
        for e in entries:
            rel = prefix + e.name
            if e.is_dir(follow_symlinks=False):
                if rel in dirs:
                    stack.append(rel)
                else:
                    _remove(Path(e.path))
            elif e.is_file(follow_symlinks=False) and rel in wanted:
                seen.add(rel)
            else:
                _remove(Path(e.path))
    return files.keys() - seen


def _prune_empty(root: Path, folder: str) -> None:
    """Remove `folder` under `root` and its parents while they are empty (a deleted issue's folder)."""
    while folder:
        try:
            os.rmdir(root / folder)
        except OSError:
            return
        folder = folder.rpartition("/")[0]


def _write_state(path: Path, data: bytes) -> None:
    """A small state file written beside and renamed into place (never through a link)."""
    tmp = path.with_name(path.name + ".tmp")
    _remove(tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.replace(tmp, path)


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
