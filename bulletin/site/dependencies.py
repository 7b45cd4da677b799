"""Which pages read which articles, issues and names: a page none of whose inputs changed is not re-keyed.

Every page of the plan names what its data is made from (`Page.deps`, filled in by pages.plan_site: the
articles it lists or shows, their issues, the authors and tags whose pages it links, the list of years),
and the plan says what each of those is now (`SitePlan.versions`: every value a page can show of it, as
a string). The build remembers, per page, the names it depended on and the render key it had, and per
name a digest of its version (output/.bulletin/page-deps.state, data only: bulletin.buildstate). The
next build computes the versions again (a few milliseconds for thousands of articles) and, for a page

  * whose names are the same, in the same order (an article added to a section, an issue's articles
    reordered, a newer issue on the home page: the names differ), and
  * none of whose names has another version (an edited article, a renamed author, a new PDF of an issue),

takes the render key it had without computing it (site/render.py hashes a page's whole view data for
that, the bulk of a warm build's time). Everything else every page reads — the publication's settings,
the templates, the code, the stylesheet — is the store's salt: when it changes, nothing is remembered
and every page is keyed. As in Hugo's dependency tracking, an edit to one article touches only the
pages that show it. The key taken over is still checked against the manifest before the page is kept
(render.py's `unchanged`), so a record out of step with the output only costs rendering.

`VERIFY` (for the tests): key every page anyway and fail loudly where a page taken as unchanged would
have had another key — a dependency that plan_site does not name.
"""

from __future__ import annotations

import hashlib
from operator import itemgetter
from pathlib import Path

from bulletin.buildstate import INT_TUPLE, STR, StateError, Store, Table

STORE = "page-deps"
RECORD = "page-deps"
_FORMAT = 1
NAMES = Table("names", {"name": STR, "digest": STR})
PAGES = Table("pages", {"path": STR, "key": STR, "deps": INT_TUPLE})

VERIFY = False  # tests: compute every key and compare (see the module docstring)


class DependencyError(AssertionError):
    """A page taken as unchanged from its dependencies has another key (only with VERIFY)."""


def _digests(versions: dict[str, str]) -> dict[str, str]:
    sha1 = hashlib.sha1
    return {n: sha1(v.encode("utf-8", "surrogatepass")).hexdigest() for n, v in versions.items()}


class PageDependencies:
    """The previous build's page dependencies, and this build's as pages are keyed."""

    def __init__(self, store: Store | None, salt: str) -> None:
        self.store = store
        self.salt = salt
        self._old_pages: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._changed: set[str] = set()
        self._digests: dict[str, str] = {}
        self._new: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.reused = 0  # pages whose key was taken over without computing it

    @classmethod
    def open(cls, state_dir: Path | None, salt: str) -> PageDependencies:
        """The record under `state_dir` (output/.bulletin) made with this `salt` (settings, templates,
        code: what every page reads); none at all when the salt differs."""
        if state_dir is None:
            return cls(None, salt)
        store = Store(state_dir, STORE, _FORMAT, salt, top=state_dir.parent)
        deps = cls(store, salt)
        old = store.read(RECORD, (NAMES, PAGES), _decode)
        if old is not None:
            deps._old_names, deps._old_pages = old
        return deps

    @property
    def discarded(self) -> list[tuple[Path, str]]:
        return self.store.discarded if self.store is not None else []

    def start(self, versions: dict[str, str]) -> None:
        """This build's versions of every name: the names whose digest moved (or that came or went)."""
        self._digests = _digests(versions)
        old = getattr(self, "_old_names", {})
        new = self._digests
        self._changed = {n for n, d in new.items() if old.get(n) != d} | (old.keys() - new.keys())

    def key_from_before(self, path: str, deps: tuple[str, ...] | None) -> str | None:
        """The key the page at `path` had, when nothing it depends on changed; else None (key it)."""
        if deps is None:
            return None
        old = self._old_pages.get(path)
        if old is None or old[1] != deps or not self._changed.isdisjoint(deps):
            return None
        return old[0]

    def record(self, path: str, key: str, deps: tuple[str, ...] | None) -> None:
        if deps is not None and key:
            self._new[path] = (key, deps)

    def save(self) -> None:
        """Write this build's record (pages keyed this build, names now), if anything in it changed."""
        if self.store is None:
            return
        if not self._changed and self._new == self._old_pages:
            return
        index: dict[str, int] = {n: i for i, n in enumerate(self._digests)}
        pages = [(p, k, d) for p, (k, d) in self._new.items() if all(n in index for n in d)]
        self.store.write(RECORD, {
            "names": (NAMES, {"name": list(index), "digest": list(self._digests.values())}),
            "pages": (PAGES, {"path": [p for p, _, _ in pages], "key": [k for _, k, _ in pages],
                              "deps": [tuple(map(index.__getitem__, d)) for _, _, d in pages]}),
        })


def _names(table: list[str], indices: tuple[int, ...]) -> tuple[str, ...]:
    if len(indices) > 1:
        return itemgetter(*indices)(table)  # (a tuple, at C speed: tens of thousands of names per build)
    return (table[indices[0]],) if indices else ()


def _decode(record) -> tuple[dict[str, str], dict[str, tuple[str, tuple[str, ...]]]]:
    rows, names = record.tables["names"]
    if len(set(names["name"])) != rows:
        raise StateError("a name twice")
    if not all(len(d) == 40 for d in names["digest"]):
        raise StateError("a digest that is not one")
    n_pages, pages = record.tables["pages"]
    if len(set(pages["path"])) != n_pages:
        raise StateError("a page twice")
    table = names["name"]
    if any(d and (min(d) < 0 or max(d) >= rows) for d in pages["deps"]):
        raise StateError("a dependency that is not named")
    deps = [_names(table, d) for d in pages["deps"]]
    return (dict(zip(table, names["digest"], strict=True)),
            {p: (k, d) for p, k, d in zip(pages["path"], pages["key"], deps, strict=True)})
