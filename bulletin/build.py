"""The build, in pipeline order (`build`): load → validate → plan → render → write (one atomic swap).

Load and validate is `load` (and `check` is that step alone); the PDFs are planned (`_plan_pdfs`: which to
keep, which to render) and rendered (`_render_pdfs`); the site is planned and rendered by
`site.render.render_site` (`_build_site`), then indexed for search (`_index_site`); `Output.commit` writes.
Incremental builds are the same pipeline: unchanged PDFs are not re-rendered (their cache key matches)
and unchanged site files are not rewritten (the writer carries them over; output.py swaps in a tree
brought up to date with what changed).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin import __version__, changes, numbering
from bulletin.diagnostics import BuildError, Report
from bulletin.model import Archive, Issue
from bulletin.output import STATE_DIR, Output, OutputLock

if TYPE_CHECKING:  # the loader is imported where it is used (a no-change build never needs it)
    from bulletin.content.loader import IssuesMemo

# (the loader, the settings and punctuation are imported where they are used: a build that finds
# nothing changed — bulletin.changes — needs none of them, and importing them is a tenth of a second)

Progress = Callable[[str], None]


@dataclass
class BuildOptions:
    root: Path
    issues: tuple[str, ...] = ()  # issue keys (2026-04) whose PDFs to build
    all_issues: bool = False
    pdf: bool = True
    drafts: bool = False
    force: bool = False
    jobs: int = 0  # 0 = number of cores
    wait_for_lock: bool = False
    out_dir: Path | None = None  # default: <root>/output (the preview server uses its own folder)
    missing_pdfs: bool = True  # also render issues that have no PDF yet (see MISSING_PDF_LIMIT)
    # the issues loaded by the previous build of a long-running caller (the preview server), without the
    # folders that changed since: see content.loader.load_archive. Empty: load everything (and fill it)
    issues_memo: IssuesMemo | None = None
    # when nothing changed since the last build with these options (bulletin.changes), say so and stop
    # after a walk of the files' stamps; off for callers that need the model (the preview server)
    shortcut: bool = False


@dataclass(frozen=True)
class OutputChanges:
    """What a build changes in output/, by path under it ("site/2026/01/kaiju.html", "pdf/2026-01.pdf"):
    the files written by this build (new, different, or found touched since), and those that go. Every
    other file of the new trees is the file at the same path now, carried over (same inode). Made from
    the staged trees' manifests before the swap, so that the swap (bulletin/output.py) can cost what
    changed: keep the current trees, put `changed` in place, remove `deleted`, instead of moving whole
    trees."""

    changed: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()

    @classmethod
    def between(cls, old: dict[str, dict[str, list]], new: dict[str, dict[str, list]]) -> OutputChanges:
        """From the manifests' files ({tree: {rel: [sha1, size, mtime_ns]}}) before and after."""
        changed, deleted = set(), set()
        for tree in old.keys() | new.keys():
            before, after = old.get(tree, {}), new.get(tree, {})
            # an entry carried over unchanged is the same [sha1, size, mtime_ns]: the file was linked, not
            # written; a file written again (even with the same bytes) has another mtime and counts
            changed.update(f"{tree}/{rel}" for rel, e in after.items() if before.get(rel) != e)
            deleted.update(f"{tree}/{rel}" for rel in before.keys() - after.keys())
        return cls(frozenset(changed), frozenset(deleted))


@dataclass
class BuildResult:
    report: Report
    archive: Archive | None  # None when nothing changed (`nothing_changed`) and no PDF was asked for
    pdfs_rendered: list[str] = field(default_factory=list)
    pdfs_reused: list[str] = field(default_factory=list)
    pdfs_missing_rendered: list[str] = field(default_factory=list)  # not asked for, but had no PDF
    pdfs_missing: list[str] = field(default_factory=list)  # still without a PDF after this build
    site_written: int = 0
    site_unchanged: int = 0
    seconds: float = 0.0
    nothing_changed: bool = False  # the build stopped after finding every input and output as last time
    outputs: OutputChanges = field(default_factory=OutputChanges)  # what the swap changed in output/


# --- load and check ---------------------------------------------------------------------------


def load(
    root: Path,
    report: Report,
    *,
    drafts: bool = False,
    cache_dir: Path | None = None,
    meanwhile: Callable[[], None] | None = None,
    issues_memo: IssuesMemo | None = None,
    stamps: changes.Snapshot | None = None,
) -> Archive | None:
    """Files → validated model. Every problem goes to `report`; None if the settings are unusable.
    With `cache_dir` (output/.bulletin), unchanged articles come from the load cache (content/cache.py).
    `meanwhile` is called while worker processes load articles, when they do (a cold build). `stamps`:
    the inputs as the build stamped them before reading anything (the load cache takes its files'
    stamps from it instead of stamping each again)."""
    from bulletin.config import load_publication
    from bulletin.content.cache import LoadCache
    from bulletin.content.loader import load_archive

    pub = load_publication(root, report)
    if pub is None:
        return None
    check_templates(root, report)
    cache = LoadCache.open(cache_dir, pub) if cache_dir is not None else None
    if cache is not None:
        report_discarded_state(report, cache.discarded)
        if stamps is not None:
            cache.use_stamps(stamps.inputs, stamps.taken_ns)
    archive = load_archive(
        root, pub, report, drafts=drafts, cache=cache, meanwhile=meanwhile, issues_memo=issues_memo
    )
    if cache is not None:
        cache.save()
    check_numbering(archive, report)
    check_titles(archive, report)
    return archive


def check_titles(archive: Archive, report: Report) -> None:
    """A title of more than two lines in print is probably a paragraph pasted as a title: warn."""
    from bulletin import headlines
    from bulletin.content.loader import key_line
    from bulletin.print.geometry import geometry_for, title_width_em  # not print.render: no PDF here

    width = title_width_em(geometry_for(archive.publication.print))
    for issue in archive.issues:
        for article in issue.articles:
            # balancing never needs a third line for less than 1.8 lines of text (no segmenter loaded)
            if headlines.text_em(article.title) <= 1.8 * width:
                continue
            lines = headlines.print_lines(article.title, width)
            if lines > 2:
                report.warning(article.path, key_line(article.path, "title"), "title_too_long", lines=lines)


def check_templates(root: Path, report: Report) -> None:
    """The project's templates and static files stay inside the project (bulletin.templating)."""
    from bulletin.templating import template_problems, template_source_problems

    problems = template_problems(root)
    for code, path, args in problems:
        report.error(path, None, code, **args)
    if not problems:
        from bulletin.print.preflight import stylesheet_problems

        for code, path, line, args in template_source_problems(root):
            report.error(path, line, code, **args)
        for _severity, path, line, code, args in stylesheet_problems(root):
            report.error(path, line, code, **args)


def report_discarded_state(report: Report, discarded: list[tuple[Path, str]]) -> None:
    """A warning for each build-state file that could not be trusted (it was removed, never used)."""
    for path, why in discarded:
        report.warning(path, None, "state_discarded", why=why)


def check_numbering(archive: Archive, report: Report) -> None:
    from bulletin.content.loader import ISSUE_FILE, key_line

    stamps = [numbering.IssueStamp(i.key, i.year, i.number, i.total, i.date) for i in archive.issues]
    by_key = {i.key: i for i in archive.issues}
    # an issue whose number disagrees with its folder name is checked with the folder's number: its
    # number is wrong already, a second message about it would contradict the first
    mismatched = {d.file for d in report.errors if d.code == "folder_number_mismatch"}
    for p in numbering.check_sequence(stamps, archive.publication.frequency):
        later = by_key[p.later]
        path = later.folder / ISSUE_FILE
        if p.kind == "number" and report.rel(path) in mismatched:
            continue
        key = {"total": "total", "number": "number", "date": "date", "schedule": "date"}[p.kind]
        args = dict(
            earlier=_issue_name(by_key[p.earlier]),
            later=_issue_name(later),
            expected=p.expected,
            found=p.found,
        )
        if p.is_error:
            report.error(path, key_line(path, key), "seq_" + p.kind, **args)
        else:
            report.warning(path, key_line(path, key), "seq_" + p.kind, **args)


def _issue_name(issue: Issue) -> str:
    return f"{issue.rel_folder}（{numbering.issue_label(issue.year, issue.number, issue.total)}）"


def check(
    root: Path, *, drafts: bool = False, cache_dir: Path | None = None
) -> tuple[Archive | None, Report]:
    """`bulletin check`: everything loaded and checked, nothing written (but the load cache, when
    `cache_dir` is given: the desk checks an issue with it, see bulletin/desk/checks.py)."""
    report = Report(root)
    archive = load(root, report, drafts=drafts, cache_dir=cache_dir)
    if archive is not None and not report.errors:
        check_holes(archive, report)
    return archive, report


def check_holes(archive: Archive, report: Report) -> None:
    """The white holes at page feet no filler could fill, as the last build of each issue's PDF found
    them (laying the PDFs out again would take seconds): only for PDFs still up to date."""
    from bulletin.output import Output
    from bulletin.punctuation import typeset_archive

    pdfs = Output(archive.root / "output")._read_manifest().get("pdf", {})
    if not any(rec.get("holes") for rec in pdfs.values()):
        return
    typeset = typeset_archive(archive)  # the cache key is computed on the texts as printed
    for issue in typeset.issues:
        rec = pdfs.get(issue.key)
        if rec and rec.get("holes") and rec["cache_key"] == pdf_cache_key(typeset, issue):
            report_holes(typeset, issue, rec, report)


def report_holes(archive: Archive, issue: Issue, record: dict, report: Report) -> None:
    """A warning per hole recorded for `issue`'s PDF (bulletin.print.preflight.hole_problems)."""
    if not record.get("holes"):
        return
    from bulletin.print.preflight import hole_problems

    for _severity, file, line, code, args in hole_problems(archive, issue, record["holes"]):
        report.warning(file, line, code, **args)


# --- build ------------------------------------------------------------------------------------


def pdf_cache_key(archive: Archive, issue: Issue) -> str:
    """Everything that affects an issue's PDF: content, images, templates, CSS, settings, tool version."""
    from bulletin.print.render import print_fingerprint
    from bulletin.templating import templates_fingerprint

    h = hashlib.sha1()
    h.update(__version__.encode())
    h.update(print_fingerprint(archive).encode())
    h.update(_weasyprint_version().encode())
    h.update(templates_fingerprint(archive.root, "print").encode())
    h.update(repr(archive.publication).encode())
    logo = archive.publication.print.logo
    if logo and (archive.root / logo).is_file():
        h.update((archive.root / logo).read_bytes())
    h.update(repr((issue.key, issue.total, issue.date, issue.title, issue.epigraph)).encode())
    for a in issue.articles:
        h.update(a.content_hash.encode())
        h.update(repr((a.section, a.slug, a.date)).encode())
    return h.hexdigest()


def _weasyprint_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return "?"


def build(opts: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """The pipeline: load → validate → plan → render → write, each step below in that order.

    An incremental build is this same function fed less: the load cache hands back unchanged articles,
    the plans keep the PDFs and pages whose keys did not change, and the writer carries their files
    over. With `opts.shortcut`, a build that finds every input and output as the last one left them
    (bulletin.changes) stops before loading."""
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    root = opts.root.resolve()
    report = Report(root)
    out = opts.out_dir or root / "output"
    stamps = _Stamps.take(root, out, opts) if opts.shortcut else None
    if stamps is not None:
        quick = stamps.nothing_to_do(root, out, opts, report, say)
        if quick is not None:
            quick.seconds = time.perf_counter() - t0
            return quick
        report_discarded_state(report, stamps.discarded)

    # load and validate: files → checked model; every check that can fail a build runs here (`check`
    # is this step alone). With issues in memory, the few folders that changed are read without the load
    # cache (opening it would cost more than they do).
    cache_dir = None if opts.issues_memo else out / STATE_DIR
    archive = load(
        root,
        report,
        drafts=opts.drafts,
        cache_dir=cache_dir,
        meanwhile=_prepare_site(root),
        issues_memo=opts.issues_memo,
        stamps=stamps.now if stamps is not None else None,
    )
    if archive is None or report.errors:
        raise BuildError(report)
    if stamps is not None and stamps.now is not None:
        stamps.now.add_files(root, _named_files(archive))
    from bulletin.punctuation import typeset_archive

    archive = typeset_archive(archive)  # titles and other short texts as printed: full-width marks
    wanted = _select_issues(archive, opts, report)
    if report.errors:
        raise BuildError(report)

    result = BuildResult(report, archive)
    prewarmed = None
    if len(wanted) == 1:
        # one issue: a forked worker imports WeasyPrint and loads fonts meanwhile (bulletin.print.jobs)
        from bulletin.print.jobs import prewarm

        prewarmed = prewarm(archive, wanted[0])
    with OutputLock(out, wait=opts.wait_for_lock, on_wait=lambda pid: say(f"waiting for build {pid}")):
        output = Output(out)
        output.begin()
        report_discarded_state(report, output.discarded)
        try:
            # plan and render: the PDFs (those whose key changed), then the site and its search index
            pdf_plan = _plan_pdfs(archive, wanted, output, opts, result)
            pdf_state = _render_pdfs(archive, pdf_plan, output, opts, result, say, prewarmed)
            if report.errors:
                raise BuildError(report)
            site_state = _build_site(archive, output, pdf_state, result, say)
            # write: the staged trees swapped in at once (bulletin/output.py)
            result.outputs = OutputChanges.between(
                output.manifest.get("files", {}), {t: w.manifest for t, w in output.writers.items()}
            )
            output.commit({"pdf": pdf_state, "site": site_state, "version": __version__})
        except BaseException:
            output.abort()
            raise
        finally:
            if prewarmed is not None:
                prewarmed.close()
        if stamps is not None:
            stamps.remember(out, opts, wanted, result)
    result.seconds = time.perf_counter() - t0
    return result


@dataclass
class _Stamps:
    """The no-change shortcut around one build (bulletin.changes): the inputs stamped before they are
    read (a change made while this build reads them shows next time), and the last build's snapshot to
    compare them with. A caller without the shortcut (the preview server) neither reads nor takes
    snapshots: an old one stays harmless, its output stamps no longer match once output/ has changed."""

    salt: str
    previous: changes.Snapshot | None  # None: none usable (or `force`)
    discarded: list[tuple[Path, str]]  # snapshot files found untrustworthy (removed)
    now: changes.Snapshot | None  # None: the inputs cannot be stamped (a link among them): no shortcut

    @classmethod
    def take(cls, root: Path, out: Path, opts: BuildOptions) -> _Stamps:
        salt = changes.salt(root, out, _snapshot_options(opts))
        previous, discarded = changes.load(out, salt) if not opts.force else (None, [])
        extra = tuple(p for p in previous.inputs if changes.is_extra(p)) if previous is not None else ()
        return cls(salt, previous, discarded, changes.Snapshot.take(root, extra)[0])

    def nothing_to_do(
        self, root: Path, out: Path, opts: BuildOptions, report: Report, say: Progress
    ) -> BuildResult | None:
        if self.previous is None or self.now is None:
            return None
        return _nothing_to_do(root, out, opts, self.previous, self.now, report, say)

    def remember(self, out: Path, opts: BuildOptions, wanted: list[Issue], result: BuildResult) -> None:
        """What the next build compares with, after the commit (under the output lock): only a settled
        build (every PDF asked for is there) is one that a build with the same inputs would repeat."""
        settled = not (wanted and opts.missing_pdfs and result.pdfs_missing)
        if self.now is not None and self.now.trusted and settled:
            self.now.outputs = changes.walk_outputs(out).stamps
            self.now.diagnostics = tuple(d for d in result.report.items if d.code != "state_discarded")
            self.now.site_files = result.site_written + result.site_unchanged
            self.now.pdfs = tuple(i.key for i in wanted)
            changes.save(out, self.salt, self.now)
        else:
            changes.forget(out)


def _snapshot_options(opts: BuildOptions) -> tuple:
    """The options that make one build differ from another (the same ones give the same output), and
    WeasyPrint's version when PDFs are built (as their cache key has it)."""
    return (
        opts.issues,
        opts.all_issues,
        opts.pdf,
        opts.drafts,
        opts.missing_pdfs,
        _weasyprint_version() if opts.pdf else "",
    )


def _named_files(archive: Archive) -> tuple[str, ...]:
    """Files bulletin.yaml names (relative to the project), which the build reads too."""
    p = archive.publication.print
    return tuple(str(v) for v in (p.logo, p.icc_profile) if v)


def _nothing_to_do(
    root: Path,
    out: Path,
    opts: BuildOptions,
    previous: changes.Snapshot,
    now: changes.Snapshot,
    report: Report,
    say: Progress,
) -> BuildResult | None:
    """The result of a build that would change nothing (bulletin.changes), or None when something
    changed. The output lock is held while the output is compared, so no other build is half-way."""
    with OutputLock(out, wait=opts.wait_for_lock, on_wait=lambda pid: say(f"waiting for build {pid}")):
        if not changes.nothing_changed(root, out, previous, now):
            return None
    for d in previous.diagnostics:
        report.add(d)
    archive = None
    if previous.pdfs:  # the summary names the PDFs' output intent, from the settings
        from bulletin.config import load_publication

        archive = Archive(root, load_publication(root, Report(root)), ())
    return BuildResult(
        report,
        archive,
        pdfs_reused=list(previous.pdfs),
        site_unchanged=previous.site_files,
        nothing_changed=True,
    )


def proof(root: Path, issue_key: str, article_name: str | None = None, *, drafts: bool = False):
    """A proof (校样) of an issue or one of its articles in output/proof/ (bulletin/print/proof.py):
    (the Proof, the report). Raises BuildError when the content, the issue or the article is wrong."""
    from bulletin.print.jobs import IssueResult, _checked
    from bulletin.print.proof import PROOF_DIR, find_article, render_proof

    root = root.resolve()
    report = Report(root)
    out = root / "output"
    archive = load(root, report, drafts=drafts)
    if archive is None or report.errors:
        raise BuildError(report)
    from bulletin.punctuation import typeset_archive

    archive = typeset_archive(archive)
    issues = select_issue_keys(archive, (issue_key,), report)
    if report.errors:
        raise BuildError(report)
    issue = issues[0]
    article = None
    if article_name:
        article = find_article(issue, article_name)
        if article is None:
            choices = "、".join(a.stem for a in issue.articles) or "—"
            args = dict(key=issue.key, article=article_name, choices=choices)
            report.error("", None, "proof_unknown_article", **args)
            raise BuildError(report)
    folder = out / PROOF_DIR
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        report.error(report.rel(folder), None, "proof_dir_not_folder")
        raise BuildError(report)
    with OutputLock(out):  # two proofs at once would take the same number
        made, problems = render_proof(archive, issue, article, folder)
    _checked(IssueResult(None, 0, problems), report)
    if made is None or report.errors:
        raise BuildError(report)
    return made, report


def _prepare_site(root: Path) -> Callable[[], None]:
    """What a cold site build does next, done while workers load the articles (see site.render.prepare)."""

    def prepare() -> None:
        try:
            from bulletin.site.render import prepare

            prepare(root)
        except Exception:  # only a head start: the site build meets and reports any problem itself
            pass

    return prepare


def _select_issues(archive: Archive, opts: BuildOptions, report: Report) -> list[Issue]:
    if not opts.pdf:
        return []
    if opts.all_issues:
        return list(archive.issues)
    return _named_issues(archive, opts.issues, report)


COUNTED_ISSUES = 6  # `check` without issues gives the word counts of this many of the newest


def select_issue_keys(archive: Archive, keys: tuple[str, ...], report: Report) -> list[Issue]:
    """The issues named by `keys` (2026-04, 2026年第4期…), each unknown one an error in `report`;
    without keys, the COUNTED_ISSUES newest."""
    if not keys:
        return list(archive.issues[-COUNTED_ISSUES:])
    return _named_issues(archive, keys, report)


def _named_issues(archive: Archive, keys, report: Report) -> list[Issue]:
    """The issues named by `keys` (2026-04, 2026年第4期…); each unknown one is an error in `report`."""
    chosen = []
    for key in keys:
        issue = archive.issue(normalise_issue_key(key))
        if issue is None:
            report.error(
                "", None, "unknown_issue", key=key, choices="、".join(i.key for i in archive.issues) or "—"
            )
        else:
            chosen.append(issue)
    return chosen


def normalise_issue_key(key: str) -> str:
    """2026-4, 2026/04, 2026年第4期 → 2026-04 (anything else unchanged)."""
    m = re.fullmatch(r"\s*(\d{4})[-/.年]?(?:第)?(\d{1,2})期?\s*", key)
    return f"{m.group(1)}-{int(m.group(2)):02d}" if m else key


# A build of some issues' PDFs also renders the issues that have no PDF at all yet (a fresh clone built
# with `build 2026-05` would otherwise show no PDF for every older issue), up to this many, the newest
# first; the build's summary names the rest and the command that makes them.
MISSING_PDF_LIMIT = 12


@dataclass
class PdfPlan:
    """What the PDF step renders, decided before anything is rendered: the PDFs carried over (their
    manifest records, by issue key), the issues to render with their cache keys (their problems fail the
    build), and the issues no one asked for that get their first PDF (see MISSING_PDF_LIMIT; their
    problems do not)."""

    kept: dict[str, dict] = field(default_factory=dict)
    render: list[tuple[Issue, str]] = field(default_factory=list)
    extra: list[tuple[Issue, str]] = field(default_factory=list)


def _plan_pdfs(
    archive: Archive, wanted: list[Issue], output: Output, opts: BuildOptions, result: BuildResult
) -> PdfPlan:
    """Each issue's PDF: kept (its key is the manifest's and the file is untouched), rendered (asked for
    and changed, or an earlier build's whose record is gone), or missing (never asked for)."""
    old_state: dict = output.manifest.get("pdf", {})
    pdf_tree = output.tree("pdf")
    plan = PdfPlan()
    wanted_keys = {i.key for i in wanted}
    for issue in archive.issues:
        rel = f"{issue.key}.pdf"
        prev = old_state.get(issue.key)
        key = pdf_cache_key(archive, issue) if issue.key in wanted_keys else None
        if issue.key in wanted_keys and (opts.force or not prev or prev.get("cache_key") != key):
            plan.render.append((issue, key))
        elif prev and pdf_tree.keep(rel):
            plan.kept[issue.key] = prev
            if issue.key in wanted_keys:
                result.pdfs_reused.append(issue.key)
                report_holes(archive, issue, prev, result.report)  # said again while they are there
        elif issue.key in wanted_keys:
            plan.render.append((issue, key))
        elif (pdf_tree.final / rel).is_file():
            # a PDF of an earlier build whose record is gone (cache deleted) or that was touched since:
            # render it again rather than drop it, so deleting the cache never changes the output
            plan.render.append((issue, pdf_cache_key(archive, issue)))
        elif opts.pdf:
            result.pdfs_missing.append(issue.key)
    if result.pdfs_missing and wanted and opts.missing_pdfs and MISSING_PDF_LIMIT > 0:
        keys = result.pdfs_missing[-MISSING_PDF_LIMIT:]  # issues are in date order: the newest
        result.pdfs_missing = result.pdfs_missing[: -len(keys)]
        by_key = {i.key: i for i in archive.issues}
        plan.extra = [(by_key[k], pdf_cache_key(archive, by_key[k])) for k in keys]
    return plan


def _render_pdfs(
    archive: Archive,
    plan: PdfPlan,
    output: Output,
    opts: BuildOptions,
    result: BuildResult,
    say: Progress,
    prewarmed=None,
) -> dict:
    """Render what `plan` says into the staging tree; the PDF state to remember (by issue key)."""
    pdf_tree = output.tree("pdf")
    state: dict = dict(plan.kept)

    def keep(issue: Issue, key: str, rendered) -> None:
        pdf_tree.put(f"{issue.key}.pdf", rendered.data)
        state[issue.key] = {"cache_key": key, "pages": rendered.pages, "bytes": len(rendered.data)}
        if rendered.holes:
            state[issue.key]["holes"] = [[rel, page, round(mm, 1)] for rel, page, mm in rendered.holes]

    if plan.render or plan.extra:
        from bulletin.print.jobs import render_issues  # imported only when needed: site-only builds skip it

        jobs = opts.jobs or os.cpu_count() or 1
        renders = render_issues(archive, plan.render, jobs, result.report, say, prewarmed)
        for issue, key, rendered in renders:
            if rendered is None:
                continue
            keep(issue, key, rendered)
            result.pdfs_rendered.append(issue.key)
        # issues no one asked for: their problems do not fail this build (one that fails stays without
        # a PDF, and the summary says so; `bulletin build KEY` then shows why)
        if plan.extra and not result.report.errors:
            aside = Report(archive.root)
            for issue, key, rendered in render_issues(archive, plan.extra, jobs, aside, say):
                if rendered is None:
                    result.pdfs_missing.append(issue.key)
                    continue
                keep(issue, key, rendered)
                result.pdfs_missing_rendered.append(issue.key)
    if prewarmed is not None:
        prewarmed.close()  # not needed (PDF reused) or done: let it go before the site is built
    return state


def _build_site(
    archive: Archive, output: Output, pdf_state: dict, result: BuildResult, say: Progress
) -> dict:
    """Render the site into the staging tree; pages whose inputs did not change are carried over from
    the previous build (render cache), then the search index is brought up to date. Returns the state
    to remember for the next build: each page's render key and the hash of the file it produced."""
    from bulletin.site.render import PdfInfo, render_site

    pdf_tree = output.tree("pdf")
    site = output.tree("site")
    pdfs = {}
    for key, info in pdf_state.items():
        rel = f"pdf/{key}.pdf"
        pdf = f"{key}.pdf"
        site.put_file(rel, pdf_tree.path_of(pdf), pdf_tree.manifest[pdf][0], link=True)
        pdfs[key] = PdfInfo(rel, info["bytes"], info["pages"])

    old_state = output.manifest.get("site", {})
    old_state = old_state if isinstance(old_state, dict) else {}
    old_keys: dict = old_state.get("keys", {})
    memo: dict = old_state.get("memo", {})

    def unchanged(path: str, key: str) -> bool:
        # same inputs as last time, and the file made from them is still there untouched
        old = old_keys.get(path)
        return (
            isinstance(old, list) and old[0] == key and site.previous_hash(path) == old[1] and site.keep(path)
        )

    say("site")
    keys: dict[str, list[str]] = {}
    for f in render_site(
        archive,
        pdfs,
        report=result.report,
        unchanged=unchanged if old_keys else None,  # a cold build has nothing to compare with
        memo=memo,
        write_into=site.staging,  # render workers write pages straight into the staging tree
        state_dir=output.state,  # the pages' dependencies (site/dependencies.py)
    ):
        if f.data is not None:
            site.put(f.path, f.data)
        elif f.written is not None:
            site.adopt(f.path, f.hash, *f.written)
        elif f.source is not None:
            site.put_file(f.path, f.source, f.hash, link=f.link)
        if f.key:
            keys[f.path] = [f.key, site.manifest[f.path][0]]
    say("search index")
    _index_site(archive, output, result.report)
    result.site_written = site.written
    result.site_unchanged = site.linked
    return {"keys": keys, "memo": memo}


def _index_site(archive: Archive, output: Output, report: Report) -> None:
    """The search index (site/search/) for the pages just staged, written through the site writer
    (unchanged index files are linked, not rewritten). The indexer keeps what the next build can reuse
    in output/.bulletin/search/, so a build re-indexes only the segments whose pages changed."""
    from bulletin.site import search

    site = output.tree("site")
    page_hashes = {rel: entry[0] for rel, entry in site.manifest.items() if rel.endswith(".html")}
    try:
        stats = search.build_search_index(
            site.staging,
            language=archive.publication.language,
            cache_dir=output.state / "search",
            page_hashes=page_hashes,
            writer=site,
            page_file=lambda rel: str(site.path_of(rel)),  # a page carried over is read where it is
        )
        report_discarded_state(report, list(stats.discarded))
    except Exception as exc:  # the site is still usable without search: warn, do not fail the build
        site.discard(search.INDEX_DIR + "/")
        report.warning("", None, "site_search_failed", problem=f"{type(exc).__name__}: {exc}"[:300])
