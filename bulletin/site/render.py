"""Render the archive site: the page plan → files (HTML pages, feeds, sitemap, pictures, static files).

Render cache: every page has a key, a hash of everything its bytes depend on — the template files, the
code that shapes pages, the page's path and its view data (pages.py), and for an article its content
hash. `render_site` asks `unchanged(path, key)` before rendering a page; when the previous build made
that file from the same key and the file is still in place, the page is carried over instead of
rendered. A cold build and an incremental build run this same code; the cold one just finds no keys.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from bulletin import __version__, headlines, workers
from bulletin.buildstate import STR, STR_TUPLE, StateError, Store, Table, code_fingerprint
from bulletin.diagnostics import BuildError, Report
from bulletin.markdown import render_body
from bulletin.model import Archive
from bulletin.site import dependencies, feeds, links
from bulletin.site.dependencies import DependencyError, PageDependencies
from bulletin.site.pages import (
    ArticleRef,
    IssueRef,
    NameRef,
    Page,
    PdfRef,
    SectionRef,
    SiteInfo,
    SitePlan,
    plan_site,
)
from bulletin.templating import (
    SecurityError,
    TemplateOutside,
    environment,
    inside_allowed,
    template_dirs,
    template_location,
    templates_fingerprint,
)

# Render pages in worker processes when at least this many need rendering (a cold build of a large
# archive); below it, starting workers costs more than it saves.
PARALLEL_THRESHOLD = 200

# The search page's assets under static/, linked from search.html when present.
SEARCH_ASSETS = ("search.css", "search.js")


@dataclass(frozen=True)
class PdfInfo:
    """What the site says about an issue's PDF download."""

    path: str  # site-relative path
    bytes: int
    pages: int


@dataclass(frozen=True)
class SiteFile:
    """One file of the site. Exactly one of `data`, `source`, `written` is set, or none when `kept`."""

    path: str  # site-relative
    data: bytes | None = None
    source: Path | None = None  # copy of an existing file instead of data
    link: bool = False  # hard-link `source` (files inside output/ only)
    hash: str | None = None  # sha1 of `source` or of the file written, when already known
    key: str = ""  # render-cache key of a page
    kept: bool = False  # the previous build's file was carried over (`unchanged` said so)
    written: tuple[int, int] | None = None  # already written at <write_into>/path: (size, mtime_ns)


Unchanged = Callable[[str, str], bool]


def render_site(
    archive: Archive,
    pdfs: dict[str, PdfInfo],
    *,
    report: Report | None = None,
    unchanged: Unchanged | None = None,
    memo: dict | None = None,
    jobs: int = 0,
    write_into: Path | None = None,
    state_dir: Path | None = None,
) -> Iterator[SiteFile]:
    """Every file of the site. `unchanged(path, key)` returns True when the previous build's file for
    `path` was made from `key` and has been carried over; such pages are not rendered again.
    `memo` (in and out, JSON-serialisable) carries what is worth remembering between builds: pass the
    previous build's, keep what it holds afterwards. `write_into`: the folder the site is being built in
    (the output's staging tree), where worker processes may write the pages they render at their paths
    (they come back with `written` set); without it pages come back as `data`. `state_dir`
    (output/.bulletin): where the pages' dependencies are remembered (site/dependencies.py), so that a
    page none of whose inputs changed is not keyed again."""
    memo = {} if memo is None else memo
    report = report or Report(archive.root)
    check_unchanged = unchanged is not None
    unchanged = unchanged or (lambda _path, _key: False)
    # reserved slugs (links.RESERVED_SLUGS) are refused while loading, so that `check` reports them too
    static = static_files(archive.root)
    search_assets = tuple("static/" + n for n in SEARCH_ASSETS if n in static)
    old_pinyin = memo.get("pinyin")
    plan = plan_site(
        archive,
        {k: PdfRef(p.path, p.bytes, p.pages) for k, p in pdfs.items()},
        search_assets=search_assets,
        pinyin=old_pinyin if isinstance(old_pinyin, dict) else None,
    )
    memo["pinyin"] = plan.pinyin
    if len({page.path for page in plan.pages}) != len(plan.pages):  # workers create files exclusively
        seen: set[str] = set()
        twice = sorted({p.path for p in plan.pages if p.path in seen or seen.add(p.path)})
        raise RuntimeError(f"two pages with the same address: {', '.join(twice)}")
    renderer = _Renderer(archive, plan, report)
    renderer.stylesheet = static["style.css"].read_text(encoding="utf-8") if "style.css" in static else ""

    # what every page reads besides its own dependencies: a change to it and every page is keyed again
    salt = hashlib.sha1(renderer._salt + repr((archive.publication, plan.site, renderer.stylesheet,
                                                search_assets)).encode("utf-8", "surrogatepass"))
    deps = PageDependencies.open(state_dir, salt.hexdigest())
    for path, why in deps.discarded:
        report.warning(path, None, "state_discarded", why=why)
    deps.start(plan.versions)

    todo: list[Page] = []
    if check_unchanged:
        for page in plan.pages:
            key = deps.key_from_before(page.path, page.deps)
            if key is None:
                key = renderer.key(page)
            else:
                deps.reused += 1
                if dependencies.VERIFY and renderer.key(page) != key:
                    raise DependencyError(f"{page.path}: its data changed, its dependencies did not")
            deps.record(page.path, key, page.deps)
            if unchanged(page.path, key):
                yield SiteFile(page.path, key=key, kept=True)
            else:
                todo.append(page)
    else:  # nothing to compare with (a cold build): keys are computed by the render workers
        todo = list(plan.pages)
    for page in todo:  # the bodies to render, read here: a body not read yet (content/cache.py's
        if page.article is not None:  # DeferredBody) is read once, before workers fork, and a file
            page.article.body  # noqa: B018  # changed since the load stops the build here
    titles = _TitleMemo.open(state_dir, archive) if todo else None
    for path, why in titles.store.discarded if titles is not None and titles.store is not None else ():
        report.warning(path, None, "state_discarded", why=why)
    for page, data, written, key in renderer.render_many(todo, jobs or os.cpu_count() or 1, write_into):
        deps.record(page.path, key, page.deps)
        if written is not None:
            yield SiteFile(page.path, hash=written[0], key=key, written=written[1:])
        else:
            yield SiteFile(page.path, data, key=key)
    deps.save()
    if titles is not None:
        titles.save()

    seen: set[str] = set()
    for page in plan.pages:
        for site_path, src in page.images:
            if site_path not in seen:
                seen.add(site_path)
                yield _image_file(page, site_path, src)
    for name, data in feeds.feed_files(plan, archive.publication):
        yield SiteFile(name, data)
    for rel, path in sorted(static.items()):
        yield SiteFile("static/" + rel, source=path)


class _TitleMemo:
    """Article titles as headlines.phrases cut them, remembered between builds (output/.bulletin/
    titles.state, data only): the segmenter's dictionary takes a few tenths of a second to build, more
    than rendering the one article an edit changed. Read only when pages are rendered; a row whose
    phrases do not give its title back is not one the segmenter made: the record is discarded."""

    TABLE = Table("titles", {"title": STR, "phrases": STR_TUPLE})

    def __init__(self, store: Store | None, titles: set[str]) -> None:
        self.store = store
        self.titles = titles
        self.old: dict[str, tuple[str, ...]] = {}

    @classmethod
    def open(cls, state_dir: Path | None, archive: Archive) -> _TitleMemo:
        from importlib.metadata import PackageNotFoundError, version

        from bulletin import headlines

        titles = {a.title.strip() for i in archive.issues for a in i.articles}
        if state_dir is None:
            return cls(None, titles)
        try:
            segmenter = version("rjieba")
        except PackageNotFoundError:
            segmenter = "?"
        salt = hashlib.sha1(f"{_code_fingerprint()} {segmenter}".encode()).hexdigest()
        store = Store(state_dir, "titles", 1, salt, top=state_dir.parent)
        memo = cls(store, titles)
        memo.old = store.read("titles", (cls.TABLE,), _title_rows) or {}
        for title, cut in memo.old.items():
            headlines.known.setdefault(title, cut)
        headlines.learned.clear()
        return memo

    def save(self) -> None:
        from bulletin import headlines

        if self.store is None:
            return
        known = headlines.known
        rows = {t: known[t] for t in self.titles if t in known}
        if rows == self.old:
            return
        columns = {"title": list(rows), "phrases": list(rows.values())}
        self.store.write("titles", {"titles": (self.TABLE, columns)})
        headlines.learned.clear()


def _title_rows(record) -> dict[str, tuple[str, ...]]:
    _, cols = record.tables["titles"]
    rows = dict(zip(cols["title"], cols["phrases"], strict=True))
    if len(rows) != len(cols["title"]) or not all("".join(c) == t and all(c) for t, c in rows.items()):
        raise StateError("a title cut into other text")
    return rows


def render_article_page(archive: Archive, article_path: Path, *, inline_css: bool = False) -> str:
    """The HTML page of one article of `archive`, rendered as the site renders it (the desk's preview:
    pass an archive of just the article's issue, so nothing else is planned). With `inline_css` the
    site's stylesheet is put in the page instead of linked."""
    static = static_files(archive.root)
    plan = plan_site(archive, {})
    page = next((p for p in plan.pages if p.article is not None and p.article.path == article_path), None)
    if page is None:
        raise LookupError(str(article_path))
    renderer = _Renderer(archive, plan, Report(archive.root))
    html = renderer.render(page).decode("utf-8")
    if inline_css and "style.css" in static:
        css = static["style.css"].read_text(encoding="utf-8").replace("</", "<\\/")
        html = _STYLESHEET_LINK.sub(lambda _m: f"<style>\n{css}\n</style>", html, count=1)
    return html


_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="[^"]*static/style\.css">')


def prepare(root: Path) -> None:
    """Load what a cold build of the site will need, ahead of time (the build calls this while worker
    processes load the articles, so the time is not spent after): pypinyin and its dictionaries (author
    and tag addresses), the site's templates compiled, and the search indexer with numpy. Errors are
    left for the render itself to report."""
    from bulletin.content.slugs import pinyin_slug
    from bulletin.site import search  # noqa: F401

    pinyin_slug("预备")
    env = environment(root)
    for name in env.list_templates(filter_func=lambda n: n.startswith("site/") and n.endswith(".html")):
        try:
            env.get_template(name)
        except Exception:
            pass


def static_files(root: Path) -> dict[str, Path]:
    """templates/site/static/ files by relative path: the project's own first, then the defaults, one
    file at a time (a project overriding style.css still gets the default scripts)."""
    found: dict[str, Path] = {}
    for d in template_dirs(root):
        base = d / "site" / "static"
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(base).as_posix()
            if p.is_file() and rel not in found and not any(part.startswith(".") for part in rel.split("/")):
                if inside_allowed(p, root):  # a link out of the project is reported by build.check_templates
                    found[rel] = p
    return found


def _image_file(page: Page, site_path: str, src: str) -> SiteFile:
    from bulletin.content.images import resolve_image

    assert page.article is not None
    return SiteFile(site_path, source=resolve_image(page.article.path, src))


# --- rendering ------------------------------------------------------------------------------------


def _code_fingerprint() -> str:
    """The code that shapes pages (all of bulletin's: buildstate.code_fingerprint): a change to it
    (during development, between releases) must not leave pages rendered by the old code in the render
    cache."""
    return f"{__version__} {code_fingerprint()}"


class _Renderer:
    def __init__(self, archive: Archive, plan: SitePlan, report: Report) -> None:
        self.archive = archive
        self.plan = plan
        self.report = report
        self.env = environment(archive.root)
        self.allow_html = archive.publication.site.allow_html
        self.range_mark = archive.publication.typography.render_range_mark  # None: text as written
        self.stylesheet = ""
        self._salt = (
            _code_fingerprint() + templates_fingerprint(archive.root, "site", skip=("static/",))
        ).encode()
        self._keys: dict[str, str] = {}
        self._ref_digests: dict[int, bytes] = {}
        self._links: dict[str, dict[str, str]] = {}  # page folder → target → relative link

    def key(self, page: Page) -> str:
        k = self._keys.get(page.path)
        if k is None:
            article = page.article
            extra = (self.allow_html, self.range_mark, article.content_hash) if article is not None else None
            data = (page.path, page.template, page.meta, page.data, extra, self._site_extra(page))
            k = self._keys[page.path] = hashlib.sha1(self._salt + self._serialise(data)).hexdigest()
        return k

    def _serialise(self, obj: object) -> bytes:
        """Bytes that depend on the values in `obj` only, never on which objects are shared (a plain
        pickle differs when two equal dates are one object or two, e.g. fresh from the loader versus
        from the load cache). The small records listings repeat (articles, issues, names, sections)
        are hashed once each and stand in by their digest. These bytes are only ever hashed, never
        stored nor unpickled: the manifest keeps the hex digest (build state is data only, see
        bulletin/buildstate.py)."""
        buf = io.BytesIO()
        pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True  # no memo: identity does not show
        pickler.persistent_id = self._ref_digest
        pickler.dump(obj)
        return buf.getvalue()

    def _ref_digest(self, obj: object) -> bytes | None:
        if type(obj) not in _REF_TYPES:
            return None
        d = self._ref_digests.get(id(obj))
        if d is None:
            buf = io.BytesIO()
            pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.fast = True
            pickler.dump(obj)
            d = self._ref_digests[id(obj)] = hashlib.sha1(buf.getvalue()).digest()
        return d

    def _site_extra(self, page: Page) -> object:
        # the 404 page embeds the stylesheet (it is served at any depth, where relative links fail)
        return (self.plan.site, self.stylesheet if page.meta.kind == "404" else "")

    def render(self, page: Page) -> bytes:
        meta = page.meta
        if meta.kind == "404" and self.plan.site.base_url:

            def url(target: str) -> str:  # served at any depth: absolute links, still naming files
                return self.plan.site.base_url + target
        else:
            folder = meta.path.rpartition("/")[0]
            known = self._links.get(folder)
            if known is None:
                known = self._links[folder] = {}

            def url(target: str) -> str:  # the same links recur on every page of a folder: remember them
                try:
                    return known[target]
                except KeyError:
                    link = known[target] = links.relative(meta.path, target)
                    return link

        ctx = dict(page.data)
        ctx.update(site=self.plan.site, page=meta, url=url)
        if meta.kind == "404":
            ctx["inline_css"] = self.stylesheet
        if page.article is not None:
            range_mark = self.range_mark if page.article.halfwidth_marks else None
            body = render_body(page.article.body, allow_html=self.allow_html, range_mark=range_mark)
            ctx["body"] = dataclasses.replace(body, html=_scrollable_tables(body.html))
        try:
            html = self.env.get_template(page.template).render(ctx)
        except Exception as exc:
            # a template (perhaps a project's own) went wrong: say which file and line, no traceback
            file, line = template_location(exc)
            if file is None and not isinstance(exc, jinja2.TemplateError):
                raise
            problem = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            if isinstance(exc, TemplateOutside):
                file, line = Path(exc.filename), None
            unsafe = isinstance(exc, (SecurityError, TemplateOutside))
            self.report.error(
                file or page.template,
                line,
                "template_unsafe" if unsafe else "site_template_error",
                template=page.template,
                page=page.path,
                problem=problem,
            )
            raise BuildError(self.report) from None
        return html.encode("utf-8")

    def render_many(
        self, pages: list[Page], jobs: int, write_into: Path | None
    ) -> Iterator[tuple[Page, bytes | None, tuple[str, int, int] | None, str]]:
        """(page, its bytes, None, its key) — or, from worker processes writing into `write_into`, (page,
        None, (sha1, size, mtime_ns) of the file written, its key): files written in parallel where they
        belong, not piped back and written one by one; keys computed in the workers too."""
        if (
            jobs <= 1
            or len(pages) < PARALLEL_THRESHOLD
            or not workers.can_fork()
        ):
            for page in pages:
                yield page, self.render(page), None, self.key(page)
            return
        for name in sorted({p.template for p in pages}):  # compiled once here, not once per worker
            try:
                self.env.get_template(name)
            except Exception:
                pass  # the worker that renders a page with it reports the error
        # listings first (a tag or section page takes as long as fifty articles): at the end, when a
        # worker waits for the other to finish its last chunk, that chunk is one of articles
        pages = sorted(pages, key=lambda page: page.article is not None)
        _MADE_DIRS.clear()
        chunk = max(8, min(64, len(pages) // (jobs * 8)))
        # the workers inherit the archive and the plan: frozen, the collector in a worker never walks them
        # (fewer copy-on-write page faults), and rendering makes no reference cycles (measured: none on a
        # 4,800-article archive), so workers run without it
        with workers.pool(jobs, (self, pages, write_into), freeze=True) as pool:
            for i, data, written, key, error, learned in pool.imap(
                _render_in_worker, range(len(pages)), chunksize=chunk
            ):
                if learned:  # titles the worker cut: remembered here (see _TitleMemo)
                    headlines.known.update(learned)
                    headlines.learned.update(learned)
                if error is not None:
                    file, line, problem, code = error
                    self.report.error(
                        file or pages[i].template,
                        line,
                        code,
                        template=pages[i].template,
                        page=pages[i].path,
                        problem=problem,
                    )
                    raise BuildError(self.report)
                yield pages[i], data, written, key


def _scrollable_tables(html: str) -> str:
    """Wrap each table in a box that scrolls sideways on a phone instead of widening the page."""
    if "<table" not in html:
        return html
    return html.replace(
        "<table>", '<div class="table-scroll" role="region" aria-label="表格" tabindex="0"><table>'
    ).replace("</table>", "</table></div>")


# records hashed once each and stood in for by their digest (SiteInfo: the same on every page)
_REF_TYPES = frozenset({ArticleRef, IssueRef, NameRef, SectionRef, SiteInfo})
_MADE_DIRS: set[str] = set()  # folders of the output tree this worker has created


def _render_in_worker(i: int) -> tuple:
    """_render_page_in_worker, with the titles this worker cut since its last answer (headlines.learned)."""
    out = _render_page_in_worker(i)
    learned = dict(headlines.learned)
    headlines.learned.clear()
    return (*out, learned)


def _render_page_in_worker(i: int) -> tuple[int, bytes | None, tuple | None, str, tuple | None]:
    """Render page i of the work list in a forked worker (its pool's state: renderer, pages, write_into
    from `render_many`): (i, bytes, None,
    key, None), or with a folder to write into (i, None, (sha1, size, mtime_ns) of the file written
    there, key, None); on a template error (i, None, None, "", (file, line, problem, message id))."""
    renderer, pages, write_into = workers.state()
    try:
        data = renderer.render(pages[i])
    except BuildError:
        d = renderer.report.errors[-1]
        return i, None, None, "", (d.file, d.line, d.args.get("problem", ""), d.code)
    key = renderer.key(pages[i])
    if write_into is None:
        return i, data, None, key, None
    path = pages[i].path
    folder = path.rpartition("/")[0]
    if folder not in _MADE_DIRS:  # one mkdir per folder and worker, not per page
        os.makedirs(os.path.join(write_into, folder), exist_ok=True)
        _MADE_DIRS.add(folder)
    # a new file (O_EXCL): pages have distinct paths, and nothing is written through a link
    fd = os.open(os.path.join(write_into, path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return i, None, (hashlib.sha1(data).hexdigest(), st.st_size, st.st_mtime_ns), key, None
