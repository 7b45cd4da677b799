"""Load cache: articles an earlier build parsed and validated, reused while their files are unchanged.

Parsing front matter (YAML with line numbers), validating it, checking the body and opening every
picture is most of a load; for an archive of thousands of articles of which one changed, that is waste.
The cache keeps, per article file, the parsed `Article` (less its body, cut again from the bytes read to
hash the file: the cache stays small to read and write) and the warnings it produced, and reuses them
when

  * the file's bytes hash the same (path, size and mtime are recorded too, but the hash decides: an
    edit within the same second, or a restored backup, is still seen),
  * every picture it uses has the same size and mtime and still exists,
  * its issue's date is the same (an article's date defaults to it),
  * and the code and settings that shape an article (bulletin's version and loader source, the
    sections and allow_html of bulletin.yaml) are the same.

Articles with errors are never cached: the next build reports them again from scratch. Warnings of a
cached article are reported again exactly as the first time.

A cold build (hundreds of articles not in the cache) loads the issue folders in worker processes first
(`prefetch`); each runs the loader's own `load_issue`, and the diagnostics are reported in the order a
serial load gives.

The cache is one file, output/.bulletin/load-cache.pickle. Deleting it changes nothing but the time the
next build takes; a damaged or foreign file is ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import multiprocessing
import os
import pickle
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bulletin import __version__
from bulletin.content.textfile import MAX_TEXT_BYTES, decode
from bulletin.diagnostics import Diagnostic, Report
from bulletin.model import Article, Issue, Publication

CACHE_FILE = "load-cache.pickle"
# Load issues in worker processes when at least this many articles are not in the cache.
PREFETCH_THRESHOLD = 400
_FORMAT = 2

# load_article(root, path, pub, report, issue_date, data): data is the file's bytes, already read
LoadArticle = Callable[[Path, Path, Publication, Report, "dt.date | None", bytes], "Article | None"]

# Stamp of a picture: (size, mtime_ns), or None when the file did not exist.
Stamp = tuple[int, int] | None


@dataclass(frozen=True)
class _Entry:
    path: str  # absolute path when cached: a moved project folder does not reuse entries
    size: int
    mtime_ns: int
    sha1: str  # of the file's bytes
    issue_date: dt.date | None
    images: tuple[tuple[str, Stamp], ...]
    fields: dict  # the Article's fields but `path` (slow to unpickle by the thousand) and `body` (below)
    diagnostics: tuple[Diagnostic, ...]  # warnings the article produced


def _code_fingerprint() -> str:
    """The source of everything that turns a file into an Article."""
    h = hashlib.sha1(f"{__version__} {sys.version_info[:2]} {_FORMAT}".encode())
    pkg = Path(__file__).resolve().parent.parent
    for p in sorted((pkg / "content").glob("*.py")) + [
        pkg / n for n in ("schema.py", "model.py", "markdown.py", "diagnostics.py")
    ]:
        try:
            h.update(p.read_bytes())
        except OSError:
            pass
    return h.hexdigest()


def _stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


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

    @classmethod
    def open(cls, state_dir: Path, pub: Publication) -> LoadCache:
        """The cache under `state_dir` (output/.bulletin) for these publication settings."""
        salt = hashlib.sha1(
            (_code_fingerprint() + repr((pub.sections, pub.site.allow_html))).encode()
        ).hexdigest()
        cache = cls(state_dir / CACHE_FILE, salt)
        try:
            with cache.file.open("rb") as f:
                data = pickle.load(f)
            if isinstance(data, dict) and data.get("salt") == salt and isinstance(data.get("entries"), dict):
                cache._old = data["entries"]
        except Exception:  # missing, truncated, from another version: start empty
            cache._old = {}
        return cache

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
        try:
            st = os.lstat(spath)
        except OSError:
            return load(root, path, pub, report, issue_date)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_TEXT_BYTES:
            return load(root, path, pub, report, issue_date)  # links, huge files: always checked in full
        try:
            with open(spath, "rb") as f:
                data = f.read()
        except OSError:
            return load(root, path, pub, report, issue_date)
        sha1 = hashlib.sha1(data).hexdigest()

        old = self._old.get(rel)
        if (
            old is not None
            and old.sha1 == sha1
            and old.path == spath
            and old.issue_date == issue_date
            and all(_stamp(Path(p)) == s for p, s in old.images)
        ):
            for d in old.diagnostics:
                if d not in report.items:
                    report.items.append(d)
            self._new[rel] = old
            self.hits += 1
            # the body is not kept: it is in the bytes just read (a cached article decoded cleanly)
            return Article(path=path, body=_body(data), **old.fields)

        self.misses += 1
        before = len(report.items)
        art = load(root, path, pub, report, issue_date, data)
        produced = tuple(report.items[before:])
        if art is not None and not any(d.severity == "error" for d in produced):
            from bulletin.content.images import image_refs, resolve_image

            images = []
            try:
                for ref, _line in image_refs(art.body):
                    target = resolve_image(path, ref)
                    images.append((str(target), _stamp(target)))
            except ValueError:
                return art  # a link loop: do not cache
            kept = [f.name for f in dataclasses.fields(art) if f.name not in ("path", "body")]
            fields = {name: getattr(art, name) for name in kept}
            self._new[rel] = _Entry(
                spath, st.st_size, st.st_mtime_ns, sha1, issue_date, tuple(images), fields, produced
            )
        return art

    def prefetch(self, root: Path, pub: Publication, folders: list[Path], drafts: bool,
                 load_issue: Callable[..., Issue | None],
                 meanwhile: Callable[[], None] | None = None) -> None:
        """Load issue folders in worker processes when many of their articles are new to the cache (a
        cold build): each worker runs `load_issue` unchanged, with its own report; `issue()` then hands
        out the results and their diagnostics in the order a serial load would have produced them.
        `meanwhile` is called in this process while the workers load (work a cold build needs next)."""
        jobs = os.cpu_count() or 1
        if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        if not self._old:  # an empty cache: every article is new; enough of them to be worth workers?
            articles = (md for folder in folders for md in folder.glob("*.md"))
            if next(itertools.islice(articles, PREFETCH_THRESHOLD - 1, None), None) is None:
                return
        elif self._stale(root, folders) < PREFETCH_THRESHOLD:
            return
        global _PREFETCH
        _PREFETCH = (self, root, pub, drafts, load_issue)
        try:
            # loading makes no reference cycles: the collector in a short-lived worker would only cost time
            with multiprocessing.get_context("fork").Pool(jobs, initializer=gc.disable) as pool:
                results = pool.imap(_load_issue_in_worker, folders, chunksize=4)
                if meanwhile is not None:
                    meanwhile()
                for folder, result in zip(folders, results, strict=True):
                    self._prefetched[str(folder)] = result
                    self.prefetched += 1
        finally:
            _PREFETCH = None

    def _stale(self, root: Path, folders: list[Path]) -> int:
        """How many article files in `folders` are not in the cache as they are now (size, mtime)."""
        stale = 0
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
                if old is None or (old.size, old.mtime_ns) != (st.st_size, st.st_mtime_ns):
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
            if d not in report.items:
                report.items.append(d)
        self._new.update(entries)
        self.hits += hits
        self.misses += misses
        return issue

    def save(self) -> None:
        """Write the entries of this load (only those: deleted files drop out), if anything changed."""
        if self._new.keys() == self._old.keys() and all(self._new[k] is self._old[k] for k in self._new):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump({"salt": self.salt, "entries": self._new}, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.file)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _body(data: bytes) -> str:
    """An article's body from its file's bytes, as the loader cuts it."""
    from bulletin.content.loader import split_front_matter

    parts = split_front_matter(decode(data))
    assert parts is not None  # cached articles have front matter
    return parts[1]


_PREFETCH: tuple | None = None


def _load_issue_in_worker(folder: Path) -> tuple:
    """Load one issue folder in a forked worker (which inherited `_PREFETCH`)."""
    assert _PREFETCH is not None
    cache, root, pub, drafts, load_issue = _PREFETCH
    cache._new, cache.hits, cache.misses = {}, 0, 0
    report = Report(root)
    issue = load_issue(root, folder, pub, report, drafts=drafts, cache=cache)
    return issue, tuple(report.items), cache._new, cache.hits, cache.misses
