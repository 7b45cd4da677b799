"""What changed since the last build, found from file metadata first.

A build records, as it starts, the stamp of every file it is going to read — the content tree, bulletin.yaml,
the project's and the packaged templates, the files bulletin.yaml names — and, once it has committed, the
stamp of every file it left in output/site and output/pdf, with the warnings it reported
(output/.bulletin/build-snapshot.state, data only: bulletin.buildstate). The next build walks the same
folders: when every stamp is the same, the code, the options and the output are those of the snapshot,
there is nothing to do, and the build says so after a walk of a few tens of thousands of `lstat` calls
(`nothing_changed`). Otherwise the build runs as usual, with the load cache and the pages' dependencies
(site/render.py) doing only the work the change needs.

A stamp is (inode, size, mtime_ns, ctime_ns). What metadata alone could miss, and what is done about it:

* an edit that keeps the size and puts the old mtime back (`touch -r`, a restored backup, `cp -p` over
  the file): the ctime still moves (no program can set it), and a new inode (an editor that writes a
  new file and renames it, `cp -p` to a new name then `mv`) is a change too;
* an edit within the clock tick of the build's own look at the file (ext4's timestamps advance in
  jiffies, FAT's mtime in 2 s steps): a stamp less than `buildstate.RACY_SECONDS` older than the
  snapshot is not trusted — such files are hashed when the snapshot is taken and hashed again when it
  is compared (as git does with "racily clean" entries);
* a symbolic link: its own stamp says nothing about the file it points to, so a project with a link among
  its inputs never takes the shortcut (the build itself checks where links go).

What is not covered: fonts installed on the system (`print.fonts` is checked against fc-list) and a clock
set backwards by more than buildstate.RACY_SECONDS between two builds.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bulletin import __version__
from bulletin.buildstate import (
    INT,
    OPT_INT,
    OPT_STR,
    SCALAR_DICT,
    STR,
    STR_TUPLE,
    Record,
    StateError,
    Store,
    Table,
    code_fingerprint,
    is_racy,
)

STORE = "build"  # output/.bulletin/build-snapshot.state
RECORD = "build-snapshot"
_FORMAT = 1

PACKAGED = "<packaged>/"  # in front of the packaged templates' paths (they are not the project's)
DIR = -1  # the size recorded for a folder (only that it is there, as a folder, counts)

# (inode, size, mtime_ns, ctime_ns); a folder is (inode, DIR, 0, 0)
Stamp = tuple[int, int, int, int]

_STAMP_COLUMNS = {"path": STR, "ino": INT, "size": INT, "mtime_ns": INT, "ctime_ns": INT, "sha1": OPT_STR}
INPUTS = Table("inputs", _STAMP_COLUMNS)
OUTPUTS = Table("outputs", _STAMP_COLUMNS)
DIAGNOSTICS = Table("diagnostics", {"severity": STR, "file": STR, "line": OPT_INT, "column": OPT_INT,
                                    "code": STR, "args": SCALAR_DICT, "source_line": STR})
SUMMARY = Table("summary", {"taken_ns": INT, "site_files": INT, "pdfs": STR_TUPLE})


class Walk:
    """The stamps of every file and folder under some folders, by path relative to a root."""

    def __init__(self) -> None:
        self.stamps: dict[str, Stamp] = {}
        self.links = False  # a symbolic link was found (its target's changes would not show)

    def add_tree(self, root: Path, top: Path, label: str = "") -> None:
        """`top` and everything under it (links are noted, never followed), by path relative to `root`
        with `label` in front."""
        prefix = len(str(root)) + 1
        try:
            st = os.lstat(top)
        except OSError:
            return
        rel = label + str(top)[prefix:]
        if stat.S_ISLNK(st.st_mode):
            self.links = True
            return
        if not stat.S_ISDIR(st.st_mode):
            self.add_file(root, top)
            return
        self.stamps[rel + "/"] = (st.st_ino, DIR, 0, 0)
        stack = [str(top)]
        stamps = self.stamps
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                self.links = True  # unreadable: never taken as unchanged
                continue
            for e in entries:
                try:
                    st = e.stat(follow_symlinks=False)
                except OSError:
                    self.links = True
                    continue
                mode = st.st_mode
                if stat.S_ISDIR(mode):
                    stamps[label + e.path[prefix:] + "/"] = (st.st_ino, DIR, 0, 0)
                    stack.append(e.path)
                elif stat.S_ISREG(mode):
                    stamps[label + e.path[prefix:]] = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
                else:  # a link, a pipe…
                    self.links = True

    def add_file(self, root: Path, path: Path) -> None:
        """One file (missing: recorded as missing, so that its arrival is a change)."""
        rel = os.path.relpath(path, root)
        try:
            st = os.lstat(path)
        except OSError:
            self.stamps[rel] = (0, -2, 0, 0)
            return
        if stat.S_ISREG(st.st_mode):
            self.stamps[rel] = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        else:
            self.links = True


def walk_inputs(root: Path, extra: tuple[str, ...] = ()) -> Walk:
    """The stamps of everything a build of `root` reads: content/, bulletin.yaml, the project's templates/,
    the packaged templates, and `extra` (files bulletin.yaml names, relative to root)."""
    from bulletin.templating import default_templates_dir

    w = Walk()
    w.add_file(root, root / "bulletin.yaml")
    w.add_tree(root, root / "content")
    w.add_tree(root, root / "templates")
    defaults = default_templates_dir()
    w.add_tree(defaults.parent, defaults, PACKAGED)
    for rel in extra:
        w.add_file(root, root / rel)
    return w


def walk_outputs(out: Path) -> Walk:
    """The stamps of output/site and output/pdf."""
    w = Walk()
    for tree in ("site", "pdf"):
        w.add_tree(out, out / tree)
    return w


def _path(root: Path, rel: str) -> Path:
    if rel.startswith(PACKAGED):
        from bulletin.templating import default_templates_dir

        return default_templates_dir().parent / rel[len(PACKAGED):]
    return root / rel


def _sha1(path: Path) -> str | None:
    try:
        with open(path, "rb", buffering=0) as f:
            return hashlib.sha1(f.read()).hexdigest()
    except OSError:
        return None


def _racy(stamp: Stamp, taken_ns: int) -> bool:
    return stamp[1] != DIR and is_racy(stamp, taken_ns)


@dataclass
class Snapshot:
    """What one build read and wrote (see the module docstring)."""

    taken_ns: int  # wall clock when the inputs were stamped
    inputs: dict[str, Stamp]
    input_hashes: dict[str, str] = field(default_factory=dict)  # sha1 of the racy inputs
    outputs: dict[str, Stamp] = field(default_factory=dict)
    diagnostics: tuple = ()  # the build's warnings
    site_files: int = 0
    pdfs: tuple[str, ...] = ()  # issues whose PDF the build left in place
    trusted: bool = True  # False: an input is a link, the snapshot is not recorded

    def add_files(self, root: Path, rels: tuple[str, ...]) -> None:
        """Stamp files found to be inputs only after loading (the logo bulletin.yaml names)."""
        w = Walk()
        for rel in rels:
            if rel not in self.inputs and not os.path.isabs(rel):
                w.add_file(root, root / rel)
        if w.links:
            self.trusted = False
        for rel, s in w.stamps.items():
            self.inputs[rel] = s
            if _racy(s, self.taken_ns) and (h := _sha1(root / rel)) is not None:
                self.input_hashes[rel] = h

    @classmethod
    def take(cls, root: Path, extra: tuple[str, ...] = ()) -> tuple[Snapshot | None, Walk]:
        """The inputs' stamps now (None if a link among them makes stamps untrustworthy)."""
        taken = time.time_ns()
        w = walk_inputs(root, extra)
        if w.links:
            return None, w
        hashes = {}
        for rel, s in w.stamps.items():
            if _racy(s, taken):
                h = _sha1(_path(root, rel))
                if h is None:
                    return None, w
                hashes[rel] = h
        return cls(taken, w.stamps, hashes), w


def is_extra(rel: str) -> bool:
    """Whether an input's path is one of the files bulletin.yaml names (not content/ nor templates)."""
    return rel != "bulletin.yaml" and not rel.startswith(("content/", "templates/", PACKAGED))


def salt(root: Path, out: Path, options: tuple) -> str:
    """What else a snapshot holds for: the code, bulletin's version, Python's, the folders and the
    build's options (a build of other issues, with drafts… is another build)."""
    h = hashlib.sha1(repr((__version__, sys.version_info[:3], code_fingerprint(), str(root), str(out),
                           options)).encode())
    return h.hexdigest()


def _store(out: Path, salt_: str) -> Store:
    state = out / ".bulletin"
    return Store(state, STORE, _FORMAT, salt_, top=state.parent)


def _rows(stamps: dict[str, Stamp], hashes: dict[str, str]) -> dict[str, list]:
    paths = list(stamps)
    values = list(stamps.values())
    return {"path": paths, "ino": [v[0] for v in values], "size": [v[1] for v in values],
            "mtime_ns": [v[2] for v in values], "ctime_ns": [v[3] for v in values],
            "sha1": [hashes.get(p) for p in paths]}


def save(out: Path, salt_: str, snap: Snapshot) -> bool:
    """Record the snapshot of a build that has just committed (False if it could not be written)."""
    from bulletin.content.cache import DIAGNOSTIC_FIELDS

    store = _store(out, salt_)
    diagnostics = {c: [getattr(d, c) for d in snap.diagnostics] for c in DIAGNOSTIC_FIELDS}
    tables = {
        "inputs": (INPUTS, _rows(snap.inputs, snap.input_hashes)),
        "outputs": (OUTPUTS, _rows(snap.outputs, {})),
        "diagnostics": (DIAGNOSTICS, diagnostics),
        "summary": (SUMMARY, {"taken_ns": [snap.taken_ns], "site_files": [snap.site_files],
                              "pdfs": [tuple(snap.pdfs)]}),
    }
    if not all(DIAGNOSTICS.fits({c: getattr(d, c) for c in DIAGNOSTIC_FIELDS}) for d in snap.diagnostics):
        store.remove(RECORD)
        return False
    return store.write(RECORD, tables)


def forget(out: Path) -> None:
    """Remove the snapshot (a build that fails or changes output/ some other way leaves none behind)."""
    try:
        os.unlink(out / ".bulletin" / (RECORD + ".state"))
    except OSError:
        pass


def _stamps(columns: dict[str, list], rows: int) -> tuple[dict[str, Stamp], dict[str, str]]:
    paths = columns["path"]
    if len(set(paths)) != rows:
        raise StateError("a file twice")
    stamps = dict(zip(paths, zip(columns["ino"], columns["size"], columns["mtime_ns"], columns["ctime_ns"],
                                 strict=True), strict=True))
    hashes = {p: h for p, h in zip(paths, columns["sha1"], strict=True) if h is not None}
    return stamps, hashes


def _snapshot(record: Record) -> Snapshot:
    from bulletin.content.cache import check_warning
    from bulletin.diagnostics import Diagnostic

    n, summary = record.tables["summary"]
    if n != 1:
        raise StateError("not one summary")
    inputs, hashes = _stamps(*reversed(record.tables["inputs"]))
    outputs, _ = _stamps(*reversed(record.tables["outputs"]))
    if not all(p.startswith(("site/", "pdf/")) for p in outputs):
        raise StateError("an output outside output/site and output/pdf")
    _, dg = record.tables["diagnostics"]
    from bulletin.content.cache import DIAGNOSTIC_FIELDS

    diagnostics = []
    for values in zip(*(dg[f] for f in DIAGNOSTIC_FIELDS), strict=True):
        d = Diagnostic(*values)
        check_warning(d)
        diagnostics.append(d)
    return Snapshot(summary["taken_ns"][0], inputs, hashes, outputs, tuple(diagnostics),
                    summary["site_files"][0], summary["pdfs"][0])


def load(out: Path, salt_: str) -> tuple[Snapshot | None, list[tuple[Path, str]]]:
    """The last build's snapshot for this salt, or None; and the state files found untrustworthy."""
    store = _store(out, salt_)
    snap = store.read(RECORD, (INPUTS, OUTPUTS, DIAGNOSTICS, SUMMARY), _snapshot)
    return snap, store.discarded


def nothing_changed(root: Path, out: Path, old: Snapshot, now: Snapshot) -> bool:
    """Whether a build now would find what `old` recorded: the same inputs (a racy one by its hash),
    and output/site and output/pdf exactly as that build left them."""
    if now.inputs.keys() != old.inputs.keys():
        return False
    for rel, stamp in now.inputs.items():
        if old.inputs[rel] != stamp:
            return False
        if rel in old.input_hashes or _racy(stamp, old.taken_ns):
            # changed in the clock tick of the old snapshot, perhaps after it looked: compare the bytes
            h = now.input_hashes.get(rel) or _sha1(_path(root, rel))
            if h is None or h != old.input_hashes.get(rel):
                return False
    if os.path.lexists(out / ".bulletin" / "staging"):
        return False  # an interrupted build or swap: let the build recover it
    w = walk_outputs(out)
    return not w.links and w.stamps == old.outputs
