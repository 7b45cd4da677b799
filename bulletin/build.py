"""The build, in pipeline order: load → check → render PDFs → render site → write (one atomic swap).

Incremental builds are the same pipeline: unchanged PDFs are not re-rendered (their cache key matches)
and unchanged site files are not rewritten (the writer hard-links them from the previous output).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bulletin import __version__, numbering
from bulletin.config import load_publication
from bulletin.content.loader import ISSUE_FILE, load_archive
from bulletin.diagnostics import BuildError, Report
from bulletin.model import Archive, Issue
from bulletin.output import Output, OutputLock

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


@dataclass
class BuildResult:
    report: Report
    archive: Archive
    pdfs_rendered: list[str] = field(default_factory=list)
    pdfs_reused: list[str] = field(default_factory=list)
    site_written: int = 0
    site_unchanged: int = 0
    seconds: float = 0.0


# --- load and check ---------------------------------------------------------------------------


def load(root: Path, report: Report, *, drafts: bool = False) -> Archive | None:
    """Files → validated model. Every problem goes to `report`; None if the settings are unusable."""
    pub = load_publication(root, report)
    if pub is None:
        return None
    archive = load_archive(root, pub, report, drafts=drafts)
    check_numbering(archive, report)
    return archive


def check_numbering(archive: Archive, report: Report) -> None:
    stamps = [numbering.IssueStamp(i.key, i.year, i.number, i.total, i.date) for i in archive.issues]
    by_key = {i.key: i for i in archive.issues}
    for p in numbering.check_sequence(stamps, archive.publication.frequency):
        later = by_key[p.later]
        path = later.folder / ISSUE_FILE
        key = {"total": "total", "number": "number", "date": "date", "schedule": "date"}[p.kind]
        args = dict(earlier=_issue_name(by_key[p.earlier]), later=_issue_name(later), expected=p.expected,
                    found=p.found)
        if p.is_error:
            report.error(path, _key_line(path, key), "seq_" + p.kind, **args)
        else:
            report.warning(path, _key_line(path, key), "seq_" + p.kind, **args)


def _issue_name(issue: Issue) -> str:
    return f"{issue.rel_folder}（{numbering.issue_label(issue.year, issue.number, issue.total)}）"


def _key_line(path: Path, key: str) -> int | None:
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if re.match(rf"^{key}\s*:", line):
                return n
    except (OSError, UnicodeDecodeError):
        pass
    return None


def check(root: Path, *, drafts: bool = False) -> tuple[Archive | None, Report]:
    report = Report(root)
    archive = load(root, report, drafts=drafts)
    return archive, report


# --- build ------------------------------------------------------------------------------------


def pdf_cache_key(archive: Archive, issue: Issue) -> str:
    """Everything that affects an issue's PDF: content, images, templates, CSS, settings, tool version."""
    from bulletin.templating import templates_fingerprint

    h = hashlib.sha1()
    h.update(__version__.encode())
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


def build(opts: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Validate everything, render the chosen issues' PDFs, bring the site up to date, swap it in."""
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    root = opts.root.resolve()
    report = Report(root)
    archive = load(root, report, drafts=opts.drafts)
    if archive is None or report.errors:
        raise BuildError(report)
    wanted = _select_issues(archive, opts, report)
    if report.errors:
        raise BuildError(report)

    result = BuildResult(report, archive)
    out = root / "output"
    with OutputLock(out, wait=opts.wait_for_lock):
        output = Output(out)
        output.begin()
        try:
            pdf_state = _build_pdfs(archive, wanted, output, opts, result, say)
            if report.errors:
                raise BuildError(report)
            _build_site(archive, output, pdf_state, result, say)
            output.commit({"pdf": pdf_state, "version": __version__})
        except BaseException:
            output.abort()
            raise
    result.seconds = time.perf_counter() - t0
    return result


def _select_issues(archive: Archive, opts: BuildOptions, report: Report) -> list[Issue]:
    if not opts.pdf:
        return []
    if opts.all_issues:
        return list(archive.issues)
    chosen = []
    for key in opts.issues:
        norm = _normalise_key(key)
        issue = archive.issue(norm)
        if issue is None:
            report.error("", None, "unknown_issue", key=key, choices="、".join(i.key for i in archive.issues) or "—")
        else:
            chosen.append(issue)
    return chosen


def _normalise_key(key: str) -> str:
    m = re.fullmatch(r"\s*(\d{4})[-/.年]?(?:第)?(\d{1,2})期?\s*", key)
    return f"{m.group(1)}-{int(m.group(2)):02d}" if m else key


def _build_pdfs(archive: Archive, wanted: list[Issue], output: Output, opts: BuildOptions,
                result: BuildResult, say: Progress) -> dict:
    from bulletin.print.jobs import render_issues

    old_state: dict = output.manifest.get("pdf", {})
    pdf_tree = output.tree("pdf")
    state: dict = {}
    to_render: list[tuple[Issue, str]] = []
    wanted_keys = {i.key for i in wanted}
    for issue in archive.issues:
        rel = f"{issue.key}.pdf"
        prev = old_state.get(issue.key)
        key = pdf_cache_key(archive, issue) if issue.key in wanted_keys else None
        if issue.key in wanted_keys and (opts.force or not prev or prev.get("cache_key") != key):
            to_render.append((issue, key))
        elif prev and pdf_tree.keep(rel):
            state[issue.key] = prev
            if issue.key in wanted_keys:
                result.pdfs_reused.append(issue.key)
        elif issue.key in wanted_keys:
            to_render.append((issue, key))
    if to_render:
        jobs = opts.jobs or os.cpu_count() or 1
        for issue, key, rendered in render_issues(archive, to_render, jobs, result.report, say):
            if rendered is None:
                continue
            pdf_tree.put(f"{issue.key}.pdf", rendered.data)
            state[issue.key] = {"cache_key": key, "pages": rendered.pages, "bytes": len(rendered.data)}
            result.pdfs_rendered.append(issue.key)
    return state


def _build_site(archive: Archive, output: Output, pdf_state: dict, result: BuildResult, say: Progress) -> None:
    from bulletin.site.render import PdfInfo, render_site

    pdf_tree = output.tree("pdf")
    site = output.tree("site")
    pdfs = {}
    for key, info in pdf_state.items():
        rel = f"pdf/{key}.pdf"
        site.put_file(rel, pdf_tree.staging / f"{key}.pdf", pdf_tree.manifest[f"{key}.pdf"][0], link=True)
        pdfs[key] = PdfInfo(rel, info["bytes"], info["pages"])
    say("site")
    for f in render_site(archive, pdfs):
        if f.data is not None:
            site.put(f.path, f.data)
        else:
            site.put_file(f.path, f.source, link=f.link)
    result.site_written = site.written
    result.site_unchanged = site.linked
