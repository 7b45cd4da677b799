"""Issues in the desk: the list (newest first), one issue's sections and articles, the next issue, and
the chief editor's approval.

The list must stay fast on a ten-year archive, so each issue's figures (articles, 字数, warnings,
errors) are kept in `.desk/cache/issues.json` under a signature of its folder (names, sizes and
modification times of its files and pictures, the settings, the code): only an issue that changed
is loaded again, by the project's own loader, one issue at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from bulletin import numbering
from bulletin.buildstate import code_fingerprint
from bulletin.content.frontmatter import split_front_matter
from bulletin.content.loader import load_issue
from bulletin.content.yamlfile import parse
from bulletin.desk import approval, history
from bulletin.desk.approval import Approval
from bulletin.desk.articles import load_publication, report_error
from bulletin.desk.errors import DeskError, Editor, NotAllowed
from bulletin.desk.files import (
    atomic_write,
    desk_folder,
    desk_path,
    issue_folder,
    project_lock,
    relpath_of,
    version,
)
from bulletin.diagnostics import Report
from bulletin.model import Publication
from bulletin.wordcount import count_article

_CACHE_FORMAT = 1
_FOLDER_RE = re.compile(r"\d{4}/\d{2}")


@dataclass(frozen=True)
class IssueSummary:
    key: str  # 2026-04
    year: int
    number: int
    total: int
    date: dt.date
    title: str
    label: str  # 2026年第4期 总第15期
    articles: int
    words: int  # 字数 of the articles' printed bodies
    warnings: int
    errors: int
    approval: Approval | None
    folder: str  # content/2026/04


@dataclass(frozen=True)
class ArticleRow:
    relpath: str
    title: str
    authors: tuple[str, ...]
    order: int | None
    words: int
    version: str
    draft: bool = False
    loaded: bool = True  # False: the loader refused the file (see the issue's check)


@dataclass(frozen=True)
class SectionRows:
    key: str  # section id
    name: str
    articles: tuple[ArticleRow, ...]


@dataclass(frozen=True)
class IssueDetail:
    summary: IssueSummary
    sections: tuple[SectionRows, ...]  # every section of the publication, in its order
    unplaced: tuple[ArticleRow, ...] = field(default=())  # files whose section cannot be read


# --- the figures of one issue -----------------------------------------------------------------------


def _signature(folder: Path) -> list:
    out = []
    for sub in (folder, folder / "images"):
        try:
            with os.scandir(sub) as it:
                for e in it:
                    try:
                        st = e.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    out.append([f"{sub.name}/{e.name}", st.st_size, st.st_mtime_ns])
        except OSError:
            continue
    return sorted(out)


def _pub_signature(root: Path) -> str:
    try:
        data = (root / "bulletin.yaml").read_bytes()
    except OSError:
        data = b""
    return hashlib.sha256(data + code_fingerprint().encode()).hexdigest()


def _load(root: Path, folder: Path, pub: Publication):
    report = Report(root)
    issue = load_issue(root, folder, pub, report, drafts=True)
    return issue, report


def _figures(root: Path, folder: Path, pub: Publication) -> dict | None:
    """An issue's numbers for the list (from its files), or None when issue.yaml cannot be read."""
    issue, report = _load(root, folder, pub)
    if issue is None:
        return None
    rel = relpath_of(root, folder) + "/"
    mine = [d for d in report.items if d.file.startswith(rel)]
    return {
        "year": issue.year,
        "number": issue.number,
        "total": issue.total,
        "date": issue.date.isoformat(),
        "title": issue.title,
        "articles": len(list(folder.glob("[!._]*.md"))),
        "words": sum(count_article(a).total for a in issue.articles),
        "warnings": sum(d.severity == "warning" for d in mine),
        "errors": sum(d.severity == "error" for d in mine),
    }


def _summary(root: Path, folder: Path, fig: dict) -> IssueSummary:
    return IssueSummary(
        key=f"{fig['year']}-{fig['number']:02d}",
        year=fig["year"],
        number=fig["number"],
        total=fig["total"],
        date=dt.date.fromisoformat(fig["date"]),
        title=fig["title"],
        label=numbering.issue_label(fig["year"], fig["number"], fig["total"]),
        articles=fig["articles"],
        words=fig["words"],
        warnings=fig["warnings"],
        errors=fig["errors"],
        approval=approval.read_approval(folder),
        folder=relpath_of(root, folder),
    )


def _read_cache(root: Path, pub_sig: str) -> dict:
    try:
        path = desk_path(root, "cache", "issues.json", create=False)
        if path.is_symlink() or not path.is_file():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, DeskError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _CACHE_FORMAT or data.get("pub") != pub_sig:
        return {}
    issues = data.get("issues")
    return issues if isinstance(issues, dict) else {}


def _write_cache(root: Path, pub_sig: str, issues: dict) -> None:
    with contextlib.suppress(OSError, DeskError):
        desk_folder(root, "cache")
        data = json.dumps({"format": _CACHE_FORMAT, "pub": pub_sig, "issues": issues}, ensure_ascii=False)
        atomic_write(desk_path(root, "cache", "issues.json"), data.encode("utf-8"))


def _valid_figures(value: object) -> bool:
    keys = ("year", "number", "total", "articles", "words", "warnings", "errors")
    return (
        isinstance(value, dict)
        and all(isinstance(value.get(k), int) and not isinstance(value.get(k), bool) for k in keys)
        and isinstance(value.get("date"), str)
        and isinstance(value.get("title"), str)
    )


def list_issues(root: Path) -> list[IssueSummary]:
    """Every issue of the project, newest first (by total, then date). Issues whose issue.yaml cannot
    be read are left out (`bulletin check` names them)."""
    pub = load_publication(root)
    pub_sig = _pub_signature(root)
    cached = _read_cache(root, pub_sig)
    fresh: dict = {}
    out: list[IssueSummary] = []
    changed = False
    content = root / "content"
    folders = sorted(p for p in content.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]") if p.is_dir())
    for folder in folders:
        rel = relpath_of(root, folder)
        if folder.is_symlink() or folder.parent.is_symlink():
            continue
        sig = _signature(folder)
        entry = cached.get(rel)
        if isinstance(entry, dict) and entry.get("sig") == sig and _valid_figures(entry.get("fig")):
            fig = entry["fig"]
        else:
            fig = _figures(root, folder, pub)
            changed = True
            if fig is None:
                continue
        fresh[rel] = {"sig": sig, "fig": fig}
        out.append(_summary(root, folder, fig))
    if changed or set(fresh) != set(cached):
        _write_cache(root, pub_sig, fresh)
    out.sort(key=lambda s: (s.total, s.date), reverse=True)
    return out


def issue_summary(root: Path, issue_key: str) -> IssueSummary:
    """One issue's line of the list, from its files now."""
    folder = issue_folder(root, issue_key)
    fig = _figures(root, folder, load_publication(root))
    if fig is None:
        raise DeskError.of("desk_no_issue", key=issue_key)
    return _summary(root, folder, fig)


def _raw_front(path: Path) -> dict:
    """What can be read of a refused article's front matter (title, section), for its row."""
    try:
        parts = split_front_matter(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if parts is None:
        return {}
    doc = parse(parts[0], path, Report(path.parent), line_offset=1)
    return doc.data if doc is not None else {}


def issue_detail(root: Path, issue_key: str) -> IssueDetail:
    """The issue's summary and its sections in the publication's order, each with its articles in
    `order:` order (as the loader sorts them: order, then file name). An article the loader refuses is
    listed too (`loaded=False`), in the section its front matter names, else in `unplaced`."""
    folder = issue_folder(root, issue_key)
    pub = load_publication(root)
    issue, report = _load(root, folder, pub)
    if issue is None:
        raise report_error(report) if report.errors else DeskError.of("desk_no_issue", key=issue_key)
    rows: dict[str, list[ArticleRow]] = {s.id: [] for s in pub.sections}
    loaded = set()
    for a in issue.articles:
        loaded.add(a.path.name)
        rows[a.section.id].append(
            ArticleRow(
                a.rel_path,
                a.title,
                tuple(a.authors),
                a.order,
                count_article(a).total,
                version(a.path.read_bytes()),
                a.draft,
            )
        )
    unplaced: list[ArticleRow] = []
    for md in sorted(folder.glob("*.md")):
        if md.name.startswith((".", "_")) or md.name in loaded or not md.is_file():
            continue
        raw = _raw_front(md)
        title = raw.get("title") if isinstance(raw.get("title"), str) else md.stem
        order = raw.get("order") if isinstance(raw.get("order"), int) else None
        row = ArticleRow(relpath_of(root, md), title, (), order, 0, version(md.read_bytes()), False, False)
        section = raw.get("section")
        (rows[section] if isinstance(section, str) and section in rows else unplaced).append(row)
    for lst in rows.values():
        lst.sort(key=lambda r: (r.order if r.order is not None else 10**6, r.relpath))
    rel = relpath_of(root, folder) + "/"
    mine = [d for d in report.items if d.file.startswith(rel)]
    summary = IssueSummary(
        key=issue.key,
        year=issue.year,
        number=issue.number,
        total=issue.total,
        date=issue.date,
        title=issue.title,
        label=numbering.issue_label(issue.year, issue.number, issue.total),
        articles=sum(len(v) for v in rows.values()) + len(unplaced),
        words=sum(count_article(a).total for a in issue.articles),
        warnings=sum(d.severity == "warning" for d in mine),
        errors=sum(d.severity == "error" for d in mine),
        approval=approval.read_approval(folder),
        folder=relpath_of(root, folder),
    )
    sections = tuple(SectionRows(s.id, s.name, tuple(rows[s.id])) for s in pub.sections)
    return IssueDetail(summary, sections, tuple(unplaced))


def start_next_issue(root: Path, *, user: Editor) -> str:
    """Create the next issue as `bulletin new issue` does (numbers and date from the latest issue and
    the publication's frequency). Returns its key (2026-05)."""
    from bulletin.editor.new_issue import create_issue, plan_next_issue

    pub = load_publication(root)
    with project_lock(root):
        report = Report(root)
        plan = plan_next_issue(root, pub, report)
        if plan is None:
            raise report_error(report)
        path = create_issue(plan, pub)
    who = user.display or user.name
    history.record(root, [relpath_of(root, path)], user=user, message=f"desk: {who} 新建 {plan.label}")
    return plan.key


def approve_issue(root: Path, issue_key: str, *, user: Editor) -> Approval:
    """The chief editor approves the issue for print (NotAllowed for another role; DeskError while the
    issue has errors). Recorded in issue.yaml (approved_by, approved_at) and the history."""
    if not user.is_chief:
        raise NotAllowed.of("desk_not_chief")
    folder = issue_folder(root, issue_key)
    summary = issue_summary(root, issue_key)
    if summary.errors:
        raise DeskError.of("desk_approve_errors", key=issue_key, errors=summary.errors)
    return approval.set_approval(root, folder, user)


def withdraw_approval(root: Path, issue_key: str, *, user: Editor) -> bool:
    """The chief editor withdraws the issue's approval. True when it had one."""
    if not user.is_chief:
        raise NotAllowed.of("desk_not_chief")
    return approval.article_changed(root, issue_folder(root, issue_key), user)
