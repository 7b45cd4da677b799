"""Load cache: articles an earlier build parsed and validated, reused while their files are unchanged.

Parsing front matter (YAML with line numbers), validating it, checking the body and opening every
picture is most of a load; for an archive of thousands of articles of which one changed, that is waste.
The cache keeps, per article file, the parsed `Article` (less its body: the cache stays small to read and
write) and the warnings it produced, and reuses them when

  * the file's stamp (inode, size, mtime_ns, ctime_ns) is the one recorded, and was not taken within
    buildstate.RACY_SECONDS of the file's last change — then its bytes are not hashed at all; otherwise
    its bytes hash the same (an edit that puts the size and mtime back still moves the ctime; a stamp
    taken in the clock tick of an edit is not trusted, so an edit within the same tick is still seen),
  * every picture it uses has the same stamp (inode, size, mtime_ns, ctime_ns) and still exists,
  * its issue's date is the same (an article's date defaults to it),
  * and the code and settings that shape an article (bulletin's version and loader source, the
    sections and allow_html of bulletin.yaml) are the same.

A reused article's body is cut again from the file's bytes: those just hashed when the stamp moved, else
those read when something first asks for the body (`DeferredBody`, through `Article.body`), checked
against the recorded hash — on a build after one edit, only the pages re-rendered read theirs. The
stamps are those the build took of its inputs before reading anything (`use_stamps`), when it did.

Articles with errors are never cached: the next build reports them again from scratch. Warnings of a
cached article are reported again exactly as the first time.

A cold build (hundreds of articles not in the cache) loads the issue folders in worker processes first
(`prefetch`); each runs the loader's own `load_issue`, and the diagnostics are reported in the order a
serial load gives.

The cache is one data-only file, output/.bulletin/load-cache.state (bulletin.buildstate: typed columns,
no code), decoded back into the exact model objects: dates from ISO strings, tuples from lists, the
section by its id in bulletin.yaml. Deleting it changes nothing but the time the next build takes. A
file that does not decode or validate is never trusted: it is removed and reported as a warning
(`state_discarded`), and the articles are loaded from their files. An article whose values cannot be
stored exactly (a type the columns do not declare) is simply not cached. The pickle of earlier
versions (load-cache.pickle) is removed unread.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import os
import re
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from bulletin import __version__, messages, workers
from bulletin.buildstate import (
    BOOL,
    DATE,
    INT,
    OPT_DATE,
    OPT_INT,
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
from bulletin.content.frontmatter import split_front_matter
from bulletin.content.slugs import SLUG_RE
from bulletin.content.textfile import MAX_TEXT_BYTES, decode
from bulletin.diagnostics import Diagnostic, Report
from bulletin.model import Article, Issue, Publication

STORE = "load-cache"  # the store's name and its one record: output/.bulletin/load-cache.state
LEGACY_FILES = ("load-cache.pickle", "load-cache.pickle.*.tmp")  # earlier versions': removed unread
# Load issues in worker processes when at least this many articles are not in the cache.
PREFETCH_THRESHOLD = 400
_FORMAT = 7  # 4: byline_mark; 5: stamps with inode and ctime; 6: images, excerpt; 7: body_digest

# The Article's fields but `path` (the cache entry's key gives it) and `body` (cut again from the file's
# bytes), with how each is stored; `section` is stored as its id. tests/test_statefile.py checks that this
# names every field of Article, so a new field cannot be dropped silently (until it is added here, no
# article is cached: `_storable` refuses what it cannot store).
ARTICLE_FIELDS = {
    "rel_path": STR, "title": STR, "section": STR, "slug": STR, "date": DATE, "body_line": INT,
    "subtitle": STR, "authors": STR_TUPLE, "affiliation": STR, "author_note": STR, "source": STR,
    "byline_mark": STR, "order": OPT_INT, "tags": STR_TUPLE, "summary": STR, "draft": BOOL,
    "columns": OPT_INT,
    "content_hash": STR, "halfwidth_marks": INT, "images": STR_TUPLE, "excerpt": STR, "body_digest": STR,
}
ARTICLES = Table("articles", {
    "key": STR, "path": STR, "ino": INT, "size": INT, "mtime_ns": INT, "ctime_ns": INT, "seen_ns": INT,
    "sha1": STR, "issue_date": OPT_DATE,
    **ARTICLE_FIELDS,
})
IMAGES = Table("images", {"owner": INT, "path": STR, "ino": OPT_INT, "size": OPT_INT, "mtime_ns": OPT_INT,
                          "ctime_ns": OPT_INT})
DIAGNOSTICS = Table("diagnostics", {
    "owner": INT, "severity": STR, "file": STR, "line": OPT_INT, "column": OPT_INT, "code": STR,
    "args": SCALAR_DICT, "source_line": STR,
})
_STAMP_COLUMNS = ("ino", "size", "mtime_ns", "ctime_ns")
_SHA1_HEX = re.compile(r"[0-9a-f]{40}")
DIAGNOSTIC_FIELDS = ("severity", "file", "line", "column", "code", "args", "source_line")

# load_article(root, path, pub, report, issue_date, data): data is the file's bytes, already read
LoadArticle = Callable[[Path, Path, Publication, Report, "dt.date | None", bytes], "Article | None"]

# Stamp of a file: (inode, size, mtime_ns, ctime_ns), or None when the file did not exist.
Stamp = tuple[int, int, int, int] | None


class _Entry(NamedTuple):  # a tuple: 4,800 of them are made on every warm build's start
    path: str  # absolute path when cached: a moved project folder does not reuse entries
    stamp: tuple[int, int, int, int]  # (inode, size, mtime_ns, ctime_ns) when it was read
    seen_ns: int  # wall clock when the build that read it started (a stamp that recent is racy)
    sha1: str  # of the file's bytes
    issue_date: dt.date | None
    images: tuple[tuple[str, Stamp], ...]
    fields: dict  # the Article's fields but `path` (the entry has it) and `body` (cut from the bytes)
    diagnostics: tuple[Diagnostic, ...]  # warnings the article produced


def _code_fingerprint() -> str:
    """The code that turns a file into an Article (all of bulletin's: buildstate.code_fingerprint)."""
    return f"{__version__} {sys.version_info[:2]} {_FORMAT} {code_fingerprint()}"


def _stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class LoadCache:
    """The cache for one project (one output folder). `article()` is the only thing the loader calls."""

    def __init__(self, file: Path, salt: str) -> None:
        self.file = file
        self.salt = salt
        self._old: dict[str, _Entry] = {}
        self._new: dict[str, _Entry] = {}
        self.hits = 0
        self.misses = 0
        self._prefetched: dict[str, tuple] = {}
        self.prefetched = 0  # issue folders loaded by workers
        self.store: Store | None = None
        self.now_ns = time.time_ns()  # before any file is looked at
        self.hashed = 0  # files whose bytes were hashed (their stamp moved, or was racy)
        self._stamps: dict[str, tuple[int, int, int, int]] = {}  # see use_stamps

    def use_stamps(self, stamps: dict[str, tuple[int, int, int, int]], taken_ns: int) -> None:
        """The stamps of the project's files, relative path → (inode, size, mtime_ns, ctime_ns), taken
        at `taken_ns` before any was read (bulletin.changes, for the build's no-change shortcut; regular
        files only, no links): an article found there is not stamped again. Entries made now are then
        as recent as those stamps (a stamp is racy from RACY_SECONDS before the time it was taken)."""
        self._stamps = stamps
        self.now_ns = min(self.now_ns, taken_ns)

    @classmethod
    def open(cls, state_dir: Path, pub: Publication) -> LoadCache:
        """The cache under `state_dir` (output/.bulletin) for these publication settings."""
        salt = hashlib.sha1(
            (_code_fingerprint() + repr((pub.sections, pub.site.allow_html, pub.typography))).encode()
        ).hexdigest()
        # output/ itself may be a link (an output folder on another drive); .bulletin in it may not
        store = Store(state_dir, STORE, _FORMAT, salt, top=state_dir.parent, legacy=LEGACY_FILES)
        cache = cls(store.path(STORE), salt)
        cache.store = store
        sections = {s.id: s for s in pub.sections}
        cache._old = store.read(STORE, (ARTICLES, IMAGES, DIAGNOSTICS), lambda r: _entries(r, sections)) or {}
        return cache

    @property
    def discarded(self) -> list[tuple[Path, str]]:
        """State files found untrustworthy and removed (file, why): the build reports them."""
        return self.store.discarded if self.store is not None else []

    def article(
        self,
        root: Path,
        path: Path,
        pub: Publication,
        report: Report,
        issue_date: dt.date | None,
        load: LoadArticle,
    ) -> Article | None:
        """The article in `path`: from the cache when nothing it depends on changed, else `load(...)`."""
        spath = str(path)
        prefix = str(root) + os.sep
        rel = spath[len(prefix) :] if spath.startswith(prefix) else os.path.relpath(spath, root)
        stamp = self._stamps.get(rel)  # a regular file's, when the build stamped its inputs
        if stamp is None or stamp[1] < 0:
            try:
                st = os.lstat(spath)
            except OSError:
                return load(root, path, pub, report, issue_date)
            if not stat.S_ISREG(st.st_mode):
                return load(root, path, pub, report, issue_date)  # links: always checked in full
            stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if stamp[1] > MAX_TEXT_BYTES:
            return load(root, path, pub, report, issue_date)  # huge files: always checked in full
        sha1 = None
        data = None

        old = self._old.get(rel)
        if (
            old is not None
            and old.path == spath
            and old.issue_date == issue_date
            # (a picture's stamp is trusted as it is: one replaced within the clock tick the build looked
            # at it in, keeping its size, is not seen — pictures are not saved while a build runs)
            and all(_stamp(Path(p)) == o for p, o in old.images)
        ):
            same = old.stamp == stamp and not is_racy(stamp, old.seen_ns)
            if not same:  # the metadata moved (or may hide an edit): the bytes decide
                data = _read(spath)
                if data is None:
                    return load(root, path, pub, report, issue_date)
                sha1 = hashlib.sha1(data).hexdigest()
                self.hashed += 1
                same = sha1 == old.sha1
                if same:  # the same bytes under a new stamp: remembered, so they are not hashed again
                    old = old._replace(stamp=stamp, seen_ns=self.now_ns)
            if same:
                for d in old.diagnostics:
                    report.add(d)
                self._new[rel] = old
                self.hits += 1
                # the body is not kept: it is cut from the file's bytes, those just read or, when the
                # stamp was enough, those read when something first asks for it (DeferredBody)
                body = _body(data) if data is not None else DeferredBody(spath, rel, old.sha1)
                return Article(path=path, body=body, **old.fields)
        if data is None:
            data = _read(spath)
            if data is None:
                return load(root, path, pub, report, issue_date)
        if sha1 is None:
            sha1 = hashlib.sha1(data).hexdigest()
            self.hashed += 1

        self.misses += 1
        before = len(report.items)
        art = load(root, path, pub, report, issue_date, data)
        produced = tuple(report.items[before:])
        if art is not None and not any(d.severity == "error" for d in produced):
            from bulletin.content.images import resolve_image

            images = []
            try:
                for ref in art.images:
                    target = resolve_image(path, ref)
                    images.append((str(target), _stamp(target)))
            except ValueError:
                return art  # a link loop: do not cache
            kept = [f.name for f in dataclasses.fields(art) if f.name not in ("path", "body")]
            fields = {name: getattr(art, name) for name in kept}
            entry = _Entry(spath, stamp, self.now_ns, sha1, issue_date, tuple(images), fields, produced)
            if _storable(rel, entry, pub):
                self._new[rel] = entry
        return art

    def prefetch(self, root: Path, pub: Publication, folders: list[Path], drafts: bool,
                 load_issue: Callable[..., Issue | None],
                 meanwhile: Callable[[], None] | None = None) -> None:
        """Load issue folders in worker processes when many of their articles are new to the cache (a
        cold build): each worker runs `load_issue` unchanged, with its own report; `issue()` then hands
        out the results and their diagnostics in the order a serial load would have produced them.
        `meanwhile` is called in this process while the workers load (work a cold build needs next)."""
        jobs = os.cpu_count() or 1
        if jobs < 2 or not workers.can_fork():
            return
        if not self._old:  # an empty cache: every article is new; enough of them to be worth workers?
            articles = (md for folder in folders for md in folder.glob("*.md"))
            if next(itertools.islice(articles, PREFETCH_THRESHOLD - 1, None), None) is None:
                return
        elif self._stale(root, folders) < PREFETCH_THRESHOLD:
            return
        # loading makes no reference cycles: the collector in a short-lived worker would only cost time
        with workers.pool(jobs, (self, root, pub, drafts, load_issue)) as pool:
            results = pool.imap(_load_issue_in_worker, folders, chunksize=4)
            if meanwhile is not None:
                meanwhile()
            for folder, result in zip(folders, results, strict=True):
                self._prefetched[str(folder)] = result
                self.prefetched += 1

    def _stale(self, root: Path, folders: list[Path]) -> int:
        """How many article files in `folders` are not in the cache as they are now (size, mtime)."""
        stale = 0
        if self._stamps:  # the build stamped every file already
            wanted = {os.path.relpath(folder, root) + os.sep for folder in folders}
            for rel, stamp in self._stamps.items():
                if rel.endswith(".md") and rel[: rel.rfind(os.sep) + 1] in wanted:
                    old = self._old.get(rel)
                    if old is None or old.stamp != stamp:
                        stale += 1
            return stale
        for folder in folders:
            prefix = os.path.relpath(folder, root) + os.sep
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if not entry.name.endswith(".md"):
                    continue
                old = self._old.get(prefix + entry.name)
                try:
                    st = entry.stat()
                except OSError:
                    continue
                if old is None or old.stamp != (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns):
                    stale += 1
        return stale

    def issue(self, root: Path, folder: Path, pub: Publication, report: Report, drafts: bool,
              load_issue: Callable[..., Issue | None]) -> Issue | None:
        """The issue in `folder`: prefetched by a worker, or loaded now."""
        pre = self._prefetched.pop(str(folder), None)
        if pre is None:
            return load_issue(root, folder, pub, report, drafts=drafts, cache=self)
        issue, diagnostics, entries, hits, misses = pre
        for d in diagnostics:
            report.add(d)
        self._new.update(entries)
        self.hits += hits
        self.misses += misses
        return issue

    def save(self) -> None:
        """Write the entries of this load (only those: deleted files drop out), if anything changed."""
        if self._new.keys() == self._old.keys() and all(self._new[k] is self._old[k] for k in self._new):
            return
        if self.store is not None:
            self.store.write(STORE, _tables(self._new))  # a cache that cannot be written only costs time


def _storable(rel: str, entry: _Entry, pub: Publication) -> bool:
    """Whether the entry can be stored exactly, i.e. read back into equal objects (else it is not cached:
    the article is loaded again next time, which is correct, only slower)."""
    fields = dict(entry.fields)
    section = fields.get("section")
    if section is None or pub.section(section.id) != section:
        return False
    fields["section"] = section.id
    ino, size, mtime, ctime = entry.stamp
    row = {"key": rel, "path": entry.path, "ino": ino, "size": size, "mtime_ns": mtime, "ctime_ns": ctime,
           "seen_ns": entry.seen_ns, "sha1": entry.sha1, "issue_date": entry.issue_date, **fields}
    if not ARTICLES.fits(row) or not all(
        IMAGES.fits({"owner": 0, "path": p, **dict(zip(_STAMP_COLUMNS, s or (None,) * 4, strict=True))})
        for p, s in entry.images
    ):
        return False
    return all(
        DIAGNOSTICS.fits({"owner": 0, **{f: getattr(d, f) for f in DIAGNOSTIC_FIELDS}})
        for d in entry.diagnostics
    )


def _tables(entries: dict[str, _Entry]) -> dict:
    """The load cache's tables (see ARTICLES, IMAGES, DIAGNOSTICS) for `entries`."""
    values = list(entries.values())
    articles = {"key": list(entries), "path": [e.path for e in values],
                **{c: [e.stamp[i] for e in values] for i, c in enumerate(_STAMP_COLUMNS)},
                "seen_ns": [e.seen_ns for e in values], "sha1": [e.sha1 for e in values],
                "issue_date": [e.issue_date for e in values]}
    for name in ARTICLE_FIELDS:
        articles[name] = [e.fields[name] for e in values]
    articles["section"] = [s.id for s in articles["section"]]
    images: dict[str, list] = {c: [] for c in IMAGES.columns}
    diagnostics: dict[str, list] = {c: [] for c in DIAGNOSTICS.columns}
    for n, e in enumerate(values):
        for p, stamp in e.images:
            images["owner"].append(n)
            images["path"].append(p)
            for i, c in enumerate(_STAMP_COLUMNS):
                images[c].append(None if stamp is None else stamp[i])
        for d in e.diagnostics:
            diagnostics["owner"].append(n)
            for f in DIAGNOSTIC_FIELDS:
                diagnostics[f].append(getattr(d, f))
    return {"articles": (ARTICLES, articles), "images": (IMAGES, images),
            "diagnostics": (DIAGNOSTICS, diagnostics)}


def _entries(record: Record, sections: dict) -> dict[str, _Entry]:
    """The entries of a decoded load cache; StateError for values the loader never produces (a section
    bulletin.yaml does not have, a slug that is not one, an error, a message that does not exist…)."""
    rows, a = record.tables["articles"]
    keys = a["key"]
    if len(set(keys)) != rows:
        raise StateError("an article twice")
    if a["rel_path"] != [k.replace(os.sep, "/") for k in keys]:
        raise StateError("an article under another name")
    try:
        a["section"] = [sections[s] for s in a["section"]]
    except KeyError as exc:
        raise StateError(f"unknown section {exc}") from None
    # (a path other than the file's is harmless: the entry is used only when it is the file's path)
    if not all(map(SLUG_RE.match, a["slug"])):
        raise StateError("a slug the loader does not make")
    if not all(d == "" or _SHA1_HEX.fullmatch(d) for d in a["body_digest"]):
        raise StateError("a body digest the loader does not make")
    images: list[list] = [[] for _ in range(rows)]
    n_images, im = record.tables["images"]
    if n_images and not set(im["owner"]) <= set(range(rows)):
        raise StateError("an image of no article")
    for owner, p, *stamp in zip(im["owner"], im["path"], *(im[c] for c in _STAMP_COLUMNS), strict=True):
        if len(set(v is None for v in stamp)) != 1:
            raise StateError("part of an image stamp")
        images[owner].append((p, None if stamp[0] is None else tuple(stamp)))
    diagnostics: list[list] = [[] for _ in range(rows)]
    n_diag, dg = record.tables["diagnostics"]
    if n_diag and not set(dg["owner"]) <= set(range(rows)):
        raise StateError("a warning of no article")
    for owner, *values in zip(dg["owner"], *(dg[f] for f in DIAGNOSTIC_FIELDS), strict=True):
        d = Diagnostic(*values)
        check_warning(d)
        diagnostics[owner].append(d)
    names = list(ARTICLE_FIELDS)
    columns = [a[n] for n in names]
    entries = {}
    stamps = zip(*(a[c] for c in _STAMP_COLUMNS), strict=True)
    for i, (key, path, stamp, seen, sha1, issue_date, *values) in enumerate(zip(
            keys, a["path"], stamps, a["seen_ns"], a["sha1"], a["issue_date"], *columns, strict=True)):
        fields = dict(zip(names, values, strict=True))
        entries[key] = _Entry(
            path, stamp, seen, sha1, issue_date, tuple(images[i]), fields, tuple(diagnostics[i])
        )
    return entries


def check_warning(d: Diagnostic) -> None:
    """StateError unless `d`, read back from build state, is a warning bulletin gives: a message that
    exists, with its arguments, each of a type the message and its hint can take (errors are never
    kept: a build with errors leaves no state to replay)."""
    if d.severity != "warning" or not messages.has(d.code):
        raise StateError(f"not a warning the loader gives: {d.code!r}")
    if not _fields_of(d.code) <= d.args.keys():
        raise StateError(f"warning {d.code!r} without its arguments")
    try:
        d.format()  # every argument of a type its message and hint can take
    except Exception as exc:  # noqa: BLE001 -- str.format of crafted arguments: any error means untrusted
        raise StateError(f"warning {d.code!r}: {type(exc).__name__}") from None


def _fields_of(code: str) -> set[str]:
    """The arguments message `code` (and its hint) name, in either language."""
    import string

    names = set()
    hint = code + ".hint" if messages.has(code + ".hint") else code.removesuffix("_suggest") + ".hint"
    for key in (code, hint):  # as Diagnostic.message and Diagnostic.hint choose them
        for template in messages.MESSAGES.get(key, ()):
            try:
                fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
                names.update(f.split(".")[0].split("[")[0] for f in fields)
            except ValueError:
                pass
    return names


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


class DeferredBody:
    """The body of an article the load cache found unchanged by its file's stamp, not read at load: on a
    build of a big archive after one edit, hardly any of them is rendered. `text()` (model.Article.body
    calls it once) reads the file and cuts the body out as the loader does. The file must still have the
    bytes the load trusted (the hash the cache recorded): a file changed or removed since the load
    stops the build (BuildError: the model would mix the old front matter with the new body), and the
    next build loads it afresh."""

    __slots__ = ("path", "rel", "sha1")

    def __init__(self, path: str, rel: str, sha1: str) -> None:
        self.path = path
        self.rel = rel  # for the message
        self.sha1 = sha1

    def __getstate__(self):  # pickled with the article to a worker process (PDFs)
        return (self.path, self.rel, self.sha1)

    def __setstate__(self, state) -> None:
        self.path, self.rel, self.sha1 = state

    def text(self) -> str:
        data = _read(self.path)
        if data is None or hashlib.sha1(data).hexdigest() != self.sha1:
            from bulletin.diagnostics import BuildError

            report = Report()
            report.error(self.rel.replace(os.sep, "/"), None, "changed_during_build")
            raise BuildError(report)
        return _body(data)


def _body(data: bytes) -> str:
    """An article's body from its file's bytes, as the loader cuts it."""
    parts = split_front_matter(decode(data))
    assert parts is not None  # cached articles have front matter
    return parts[1]


def _load_issue_in_worker(folder: Path) -> tuple:
    """Load one issue folder in a forked worker (bulletin.workers: the pool's state is the cache and
    what `prefetch` was given)."""
    cache, root, pub, drafts, load_issue = workers.state()
    cache._new, cache.hits, cache.misses = {}, 0, 0
    report = Report(root)
    issue = load_issue(root, folder, pub, report, drafts=drafts, cache=cache)
    # returned to the parent through the pool's pipe (pickled between processes of this one run; never
    # written to disk: the parent stores entries only through `save`, in the data-only format)
    return issue, tuple(report.items), cache._new, cache.hits, cache.misses
