"""Rendering issue PDFs, in parallel worker processes when there are several.

Each process sets itself up once (font configuration, Chinese justification) and then renders issues one
after another. Processes, not threads: WeasyPrint and Pango are not safe to share between threads.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bulletin import workers
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
    with _library_lookup_from_linker_cache():
        from weasyprint.text.fonts import FontConfiguration

    _process_font_config = FontConfiguration()
    from bulletin.print.pdf import (
        install_font_subset_speedup,
        install_leader_draw_speedup,
        install_pdf_write_speedup,
    )

    install_font_subset_speedup()
    install_leader_draw_speedup()
    install_pdf_write_speedup()
    # What the process holds now (the archive, the modules, the fonts) lives as long as it does: in the
    # collector's permanent generation, the full collections a layout triggers skip it (~0.15 CPU-s a
    # 44-page issue; bulletin.workers.pool freezes the same way).
    gc.freeze()
    try:
        from bulletin.print.cjk import install_justification_patch
    except ImportError:  # pragma: no cover - only while cjk.py does not exist
        return
    install_justification_patch()


def linker_cache_finder():
    """A `find_library(name)` that answers from one read of `ldconfig -p` (made at the first question),
    with ctypes.util's own pattern (CPython 3.8–3.13, `_findSoname_ldconfig`), and None for a name the
    cache does not list."""
    import subprocess

    listing: list[bytes] = []
    machine = os.uname().machine + ("-32" if sys.maxsize < 2**32 else "-64")
    abi = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
           "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}.get(machine, "libc6")  # fmt: skip

    def find_library(name: str) -> str | None:
        if not listing:
            try:
                done = subprocess.run(
                    ["/sbin/ldconfig", "-p"],
                    stdin=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    env={"LC_ALL": "C", "LANG": "C"},
                    check=False,
                )
                listing.append(done.stdout)
            except OSError:
                listing.append(b"")
        found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), listing[0])
        return os.fsdecode(found.group(1)) if found else None

    return find_library


@contextmanager
def _library_lookup_from_linker_cache():
    """While WeasyPrint is imported (Linux): `ctypes.util.find_library` answered from one read of the
    linker cache (`ldconfig -p`) instead of a search per name. WeasyPrint 70 tries up to six names per
    library (`libgobject-2.0-0`, `gobject-2.0-0`, `gobject-2.0`, `libgobject-2.0.so.0`, …) and cffi asks
    find_library about each that does not load as it is; each question ran ldconfig, then gcc and ld for
    names it does not know: ~215 processes, 0.3 CPU-s and about a second of a single-issue build, for
    the same libraries. A name the cache knows gets the answer find_library would give (the same
    pattern on the same listing); for one it does not, None at once — WeasyPrint then loads the
    library by its soname (`libpango-1.0.so.0`), which the dynamic loader finds wherever gcc or ld
    would (LD_LIBRARY_PATH included). If WeasyPrint does not import so, it is imported again with the
    ordinary lookup."""
    import ctypes.util

    if not sys.platform.startswith("linux") or "weasyprint" in sys.modules:
        yield
        return
    original = ctypes.util.find_library
    find_library = linker_cache_finder()
    ctypes.util.find_library = find_library
    try:
        import weasyprint.text.ffi  # noqa: F401  (the libraries are opened when this is imported)
    except Exception:
        for module in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[module]
    finally:
        ctypes.util.find_library = original
    yield


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


def _worker(key: str) -> IssueResult:
    """Render one issue in a pool worker (its state: the archive, inherited by the fork)."""
    archive = workers.state()
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
    for issue, _key in todo:  # bodies the load did not read (content/cache.py's DeferredBody) are read
        for a in issue.articles:  # here, once, before workers fork; a file changed since the load
            a.body  # noqa: B018  # stops the build here, not in a worker
    if len(todo) == 1 or jobs <= 1 or not workers.can_fork():
        for issue, key in todo:
            say(f"pdf {issue.key}")
            result = None
            if prewarmed is not None and len(todo) == 1:
                result = prewarmed.render(archive, issue)
            if result is None:
                result = render_one(archive, issue)
            yield issue, key, _checked(result, report)
        return
    # the workers inherit the archive (forked): only issue keys go to them, only results come back;
    # WeasyPrint's layout makes reference cycles, so these workers keep the collector
    with workers.pool(min(jobs, len(todo)), archive, collect=True, initializer=setup_process) as pool:
        # Longest issues first, so that no worker is left with a big one at the end.
        order = sorted(todo, key=lambda t: -sum(len(a.body) for a in t[0].articles))
        pending = {issue.key: pool.apply_async(_worker, (issue.key,)) for issue, _key in order}
        for issue, key in todo:
            say(f"pdf {issue.key}")
            yield issue, key, _checked(pending[issue.key].get(), report)


def _checked(result: IssueResult, report: Report) -> IssueResult | None:
    for severity, file, line, code, args in result.problems:
        if severity == "error":
            report.error(file, line, code, **args)
        else:
            report.warning(file, line, code, **args)
    return result if result.data is not None else None


class PrewarmedWorker:
    """A forked process (bulletin.workers.Prefork) that imports WeasyPrint and sets up its fonts while the
    parent goes on (lock, cache keys, print HTML), then renders the one issue it was started for.
    Importing WeasyPrint and loading the font configuration is a fifth of a single-issue build; done in
    parallel it costs no wall time, and the parent never imports WeasyPrint at all."""

    def __init__(self, issue_key: str, child: workers.Prefork) -> None:
        self.issue_key = issue_key
        self._child = child

    @property
    def pid(self) -> int:
        return self._child.pid

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
        status, payload = self._child.run(prepared)
        if status == "ok":
            return payload
        if status == "error":  # raised again here, as an in-process render would
            raise payload
        return None

    def close(self) -> None:
        """Stop the worker if it was not given its issue; reap it."""
        self._child.close()


def prewarm(archive: Archive, issue: Issue) -> PrewarmedWorker | None:
    """Fork a :class:`PrewarmedWorker` for `issue`, when this process has not imported WeasyPrint yet
    (forking after would gain nothing) and the platform can fork."""
    if "weasyprint" in sys.modules:
        return None
    child = workers.Prefork.start(setup_process, lambda prepared: _finish(archive, issue, *prepared))
    return None if child is None else PrewarmedWorker(issue.key, child)
