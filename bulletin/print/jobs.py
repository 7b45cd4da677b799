"""Rendering issue PDFs, in parallel worker processes when there are several.

Each process sets itself up once (font configuration, Chinese justification) and then renders issues one
after another. Processes, not threads: WeasyPrint and Pango are not safe to share between threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import bulletin.print.messages  # noqa: F401  (registers the print messages)
from bulletin.diagnostics import Report
from bulletin.model import Archive, Issue
from bulletin.print import preflight
from bulletin.print.render import print_html
from bulletin.templating import template_dirs

_process_font_config = None


def setup_process() -> None:
    """Once per process: one font configuration for every issue it renders, and the Chinese
    justification patch (bulletin.print.cjk) when it is there."""
    global _process_font_config
    if _process_font_config is not None:
        return
    from weasyprint.text.fonts import FontConfiguration

    _process_font_config = FontConfiguration()
    try:
        from bulletin.print.cjk import install_justification_patch
    except ImportError:  # pragma: no cover - only while cjk.py does not exist
        return
    install_justification_patch()


@dataclass(frozen=True)
class IssueResult:
    data: bytes | None  # None when the issue has errors
    pages: int
    problems: tuple[tuple, ...]  # (severity, file, line, code, args)


def render_one(archive: Archive, issue: Issue) -> IssueResult:
    """Print HTML → PDF → preflight, for one issue. Problems are returned, not raised."""
    from bulletin.print.pdf import check_icc_profile, write_pdf

    setup_process()
    doc = print_html(archive, issue)
    problems = list(doc.problems)
    if doc.icc_profile is not None and (why := check_icc_profile(doc.icc_profile)):
        problems.append(
            (
                "error",
                "bulletin.yaml",
                None,
                "pf_bad_icc_profile",
                {"path": str(doc.icc_profile), "reason": why},
            )
        )
    if any(p[0] == "error" for p in problems):
        return IssueResult(None, 0, tuple(problems))
    roots = [archive.root / "content", *template_dirs(archive.root)]
    pdf = write_pdf(
        doc,
        roots,
        identifier=f"{archive.publication.title}/{issue.key}",
        pad_to=archive.publication.print.pad_to_multiple,
        font_config=_process_font_config,
    )
    findings = pdf.findings
    findings.failed_images.extend(pdf.refused)
    problems += preflight.problems_for(archive, issue, findings, doc.images)
    ok = not any(p[0] == "error" for p in problems)
    return IssueResult(pdf.data if ok else None, pdf.pages, tuple(problems))


def _worker(args: tuple[Archive, str]) -> IssueResult:
    archive, key = args
    issue = archive.issue(key)
    assert issue is not None
    return render_one(archive, issue)


def render_issues(
    archive: Archive, todo: list[tuple[Issue, str]], jobs: int, report: Report, say
) -> Iterator[tuple[Issue, str, IssueResult | None]]:
    """Render each issue's PDF; preflight problems go to `report`. Yields None for an issue with errors."""
    if len(todo) == 1 or jobs <= 1:
        for issue, key in todo:
            say(f"pdf {issue.key}")
            yield issue, key, _checked(render_one(archive, issue), report)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=setup_process) as pool:
        # Longest issues first, so that no worker is left with a big one at the end.
        order = sorted(todo, key=lambda t: -sum(len(a.body) for a in t[0].articles))
        futures = {issue.key: pool.submit(_worker, (archive, issue.key)) for issue, _key in order}
        for issue, key in todo:
            say(f"pdf {issue.key}")
            yield issue, key, _checked(futures[issue.key].result(), report)


def _checked(result: IssueResult, report: Report) -> IssueResult | None:
    for severity, file, line, code, args in result.problems:
        if severity == "error":
            report.error(file, line, code, **args)
        else:
            report.warning(file, line, code, **args)
    return result if result.data is not None else None
