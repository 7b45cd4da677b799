"""Rendering issue PDFs, in parallel worker processes when there are several."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from bulletin.diagnostics import Report
from bulletin.model import Archive, Issue
from bulletin.print.pdf import RenderedPdf, write_pdf
from bulletin.print.render import print_html
from bulletin.templating import template_dirs


def render_one(archive: Archive, issue: Issue) -> RenderedPdf:
    doc = print_html(archive, issue)
    roots = [archive.root / "content", *template_dirs(archive.root)]
    return write_pdf(doc, roots, identifier=f"{archive.publication.title}/{issue.key}")


def _worker(args: tuple[Archive, str]) -> RenderedPdf:
    archive, key = args
    issue = archive.issue(key)
    assert issue is not None
    return render_one(archive, issue)


def render_issues(archive: Archive, todo: list[tuple[Issue, str]], jobs: int, report: Report,
                  say) -> Iterator[tuple[Issue, str, RenderedPdf | None]]:
    """Render each issue's PDF; problems found on the way are reported as errors on `report`."""
    if len(todo) == 1 or jobs <= 1:
        for issue, key in todo:
            say(f"pdf {issue.key}")
            yield issue, key, _checked(render_one(archive, issue), issue, report)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
        futures = [(issue, key, pool.submit(_worker, (archive, issue.key))) for issue, key in todo]
        for issue, key, fut in futures:
            say(f"pdf {issue.key}")
            yield issue, key, _checked(fut.result(), issue, report)


def _checked(pdf: RenderedPdf, issue: Issue, report: Report) -> RenderedPdf | None:
    for url in pdf.refused:
        report.error(issue.rel_folder + "/", None, "pdf_failed", problem=f"无法加载 {url}")
    return pdf if not pdf.refused else None
