"""Rendering issue PDFs, in parallel worker processes when there are several.

Each process sets itself up once (font configuration, Chinese justification) and then renders issues one
after another. Processes, not threads: WeasyPrint and Pango are not safe to share between threads.
"""

from __future__ import annotations

import os
import pickle  # only between this build and the worker it forked, through a pipe: never from disk
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from bulletin.diagnostics import Report
from bulletin.model import Archive, Issue
from bulletin.print import preflight
from bulletin.print.render import print_html
from bulletin.templating import default_templates_dir

_process_font_config = None


def setup_process() -> None:
    """Once per process: one font configuration for every issue it renders, and the Chinese
    justification patch (bulletin.print.cjk) when it is there."""
    global _process_font_config
    if _process_font_config is not None:
        return
    from weasyprint.text.fonts import FontConfiguration

    _process_font_config = FontConfiguration()
    from bulletin.print.pdf import install_font_subset_speedup, install_leader_draw_speedup

    install_font_subset_speedup()
    install_leader_draw_speedup()
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
    holes: tuple[tuple[str, int, float], ...] = ()  # unfilled holes (article, page, mm): for `check`


def render_one(archive: Archive, issue: Issue) -> IssueResult:
    """Print HTML → PDF → preflight, for one issue. Problems are returned, not raised."""
    setup_process()
    prepared = _prepare(archive, issue)
    if isinstance(prepared, IssueResult):
        return prepared
    return _finish(archive, issue, *prepared)


def _prepare(archive: Archive, issue: Issue):
    """The print HTML and the problems found before rendering; an IssueResult when there are errors.
    Needs no WeasyPrint."""
    from bulletin.print.pdf import check_icc_profile

    try:
        doc = print_html(archive, issue)
    except Exception as exc:  # a project's print template went wrong or was refused: say where
        from bulletin.templating import template_location, template_problem

        file, _ = template_location(exc)
        name = f"print/{file.name}" if file is not None else "print/issue.html"
        problem = template_problem(exc, name, f"pdf/{issue.key}.pdf")
        if problem is None:
            raise
        return IssueResult(None, 0, (problem,))
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
    return doc, problems


def _finish(archive: Archive, issue: Issue, doc, problems: list, page_hook=None) -> IssueResult:
    """Render the prepared print HTML, write the PDF, preflight it. (`page_hook`: see pdf.write_pdf.)"""
    from bulletin.print.pdf import write_pdf

    roots = [archive.root, default_templates_dir()]  # fixed: the project and the installed defaults
    pdf = write_pdf(
        doc,
        roots,
        identifier=f"{archive.publication.title}/{issue.key}",
        pad_to=archive.publication.print.pad_to_multiple,
        font_config=_process_font_config,
        page_hook=page_hook,
    )
    findings = pdf.findings
    findings.failed_images.extend(pdf.refused)
    problems += preflight.problems_for(archive, issue, findings, doc.images)
    ok = not any(p[0] == "error" for p in problems)
    return IssueResult(pdf.data if ok else None, pdf.pages, tuple(problems), tuple(findings.holes))


def _worker(args: tuple[Archive, str]) -> IssueResult:
    archive, key = args
    issue = archive.issue(key)
    assert issue is not None
    return render_one(archive, issue)


def render_issues(
    archive: Archive,
    todo: list[tuple[Issue, str]],
    jobs: int,
    report: Report,
    say,
    prewarmed: PrewarmedWorker | None = None,
) -> Iterator[tuple[Issue, str, IssueResult | None]]:
    """Render each issue's PDF; preflight problems go to `report`. Yields None for an issue with errors.
    `prewarmed` (see :func:`prewarm`) renders its issue when that is the only one to render."""
    if len(todo) == 1 or jobs <= 1:
        for issue, key in todo:
            say(f"pdf {issue.key}")
            result = None
            if prewarmed is not None and len(todo) == 1:
                result = prewarmed.render(archive, issue)
            if result is None:
                result = render_one(archive, issue)
            yield issue, key, _checked(result, report)
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


class PrewarmedWorker:
    """A forked process that imports WeasyPrint and sets up its fonts while the parent goes on (lock,
    cache keys, print HTML), then renders the one issue it was started for. Importing WeasyPrint and
    loading the font configuration is a fifth of a single-issue build; done in parallel it costs no
    wall time, and the parent never imports WeasyPrint at all."""

    def __init__(self, pid: int, issue_key: str, to_child: int, from_child: int) -> None:
        self.pid = pid
        self.issue_key = issue_key
        self._to_child = to_child
        self._from_child = from_child

    def render(self, archive: Archive, issue: Issue) -> IssueResult | None:
        """The issue rendered by the worker; None if the worker is not there for `issue` or failed (the
        caller then renders in its own process)."""
        if self.pid == 0 or issue.key != self.issue_key:
            self.close()
            return None
        prepared = _prepare(archive, issue)
        if isinstance(prepared, IssueResult):
            self.close()
            return prepared
        try:
            with os.fdopen(self._to_child, "wb") as w:
                self._to_child = -1
                pickle.dump(prepared, w, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(self._from_child, "rb") as r:
                self._from_child = -1
                status, payload = pickle.load(r)
        except Exception:  # the worker died (EOF, broken pipe) or sent what cannot be read back
            status, payload = "failed", None
        self._reap()
        if status == "ok":
            return payload
        if status == "error":
            raise payload
        return None

    def close(self) -> None:
        """Stop the worker if it was not given its issue; reap it."""
        if self.pid and self._to_child >= 0:
            try:
                os.kill(self.pid, signal.SIGKILL)  # still setting up, or waiting for work: not needed
            except ProcessLookupError:
                pass
        for fd in (self._to_child, self._from_child):
            if fd >= 0:
                os.close(fd)
        self._to_child = self._from_child = -1
        self._reap()

    def _reap(self) -> None:
        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0


def prewarm(archive: Archive, issue: Issue) -> PrewarmedWorker | None:
    """Fork a :class:`PrewarmedWorker` for `issue`, when this process has not imported WeasyPrint yet
    (forking after would gain nothing) and the platform can fork."""
    if "weasyprint" in sys.modules or not hasattr(os, "fork"):
        return None
    req_r, req_w = os.pipe()
    res_r, res_w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (req_r, req_w, res_r, res_w):
            os.close(fd)
        return None
    if pid:
        os.close(req_r)
        os.close(res_w)
        return PrewarmedWorker(pid, issue.key, req_w, res_r)
    # child: never returns into the caller's code (no finally blocks, no atexit handlers)
    code = 0
    try:
        os.close(req_w)
        os.close(res_r)
        setup_process()
        with os.fdopen(req_r, "rb") as r:
            data = r.read()
        if data:
            doc, problems = pickle.loads(data)
            try:
                reply = ("ok", _finish(archive, issue, doc, problems))
            except Exception as exc:  # raised again in the parent, as an in-process render would
                reply = ("error", exc)
            try:
                out = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # an exception that cannot be pickled: the parent renders itself
                out = pickle.dumps(("failed", None))
            with os.fdopen(res_w, "wb") as w:
                w.write(out)
    except BaseException:
        code = 1
    finally:
        os._exit(code)
