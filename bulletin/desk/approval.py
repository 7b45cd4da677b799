"""An issue's approval for print (审定): who approved it and when, kept in the issue's own issue.yaml
(`approved_by:`, `approved_at:`), where a hand editor sees it too and the loader accepts it.

A save through the desk of any file in the issue withdraws the approval (the lines go, the history says
so); a change made by hand after the approval is found by the files' modification times and shows as
`stale` until the issue is approved again.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from bulletin.content.loader import ISSUE_FILE
from bulletin.content.yamlfile import parse
from bulletin.desk import history
from bulletin.desk.errors import Editor
from bulletin.desk.files import atomic_write, project_lock, relpath_of
from bulletin.desk.frontlines import edit
from bulletin.diagnostics import Report


@dataclass(frozen=True)
class Approval:
    by: str  # the chief editor's name shown
    at: dt.datetime  # UTC
    stale: bool  # a file of the issue changed after `at` (by hand: the desk withdraws the approval)


def read_approval(folder: Path) -> Approval | None:
    """The approval recorded in the issue folder's issue.yaml, or None."""
    path = folder / ISSUE_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if "approved_by" not in text:
        return None
    doc = parse(text, path, Report(folder))
    if doc is None:
        return None
    by, at = doc.data.get("approved_by"), doc.data.get("approved_at")
    if not isinstance(by, str) or not isinstance(at, str):
        return None
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return Approval(by, when, _changed_since(folder, when))


def _changed_since(folder: Path, when: dt.datetime) -> bool:
    limit = when.timestamp() + 1  # approved_at is written to the second; issue.yaml itself at that moment
    try:
        with os.scandir(folder) as it:
            for e in it:
                if e.name.endswith(".md") and not e.name.startswith((".", "_")) and e.stat().st_mtime > limit:
                    return True
        images = folder / "images"
        if images.is_dir():
            with os.scandir(images) as it:
                for e in it:
                    if e.is_file() and e.stat().st_mtime > limit:
                        return True
    except OSError:
        return True
    return False


def _write(root: Path, folder: Path, changes: dict) -> None:
    path = folder / ISSUE_FILE
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    end = "\n" if text.endswith("\n") else ""
    new = edit(text.rstrip("\n"), changes) + end
    atomic_write(path, (b"\xef\xbb\xbf" if bom else b"") + new.replace("\n", newline).encode("utf-8"))


def set_approval(root: Path, folder: Path, user: Editor) -> Approval:
    """Record `user`'s approval of the issue now (the caller checks the role)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with project_lock(root):
        _write(root, folder, {"approved_by": user.display or user.name, "approved_at": now.isoformat()})
    rel = relpath_of(root, folder / ISSUE_FILE)
    who = user.display or user.name
    history.record(root, [rel], user=user, message=f"desk: {who} 审定 {relpath_of(root, folder)}")
    return Approval(user.display or user.name, now, False)


def article_changed(root: Path, folder: Path, user: Editor) -> bool:
    """A file of the issue in `folder` was saved by the desk: withdraw its approval, if it has one.
    True when there was one."""
    if read_approval(folder) is None:
        return False
    with project_lock(root):
        _write(root, folder, {"approved_by": None, "approved_at": None})
    rel = relpath_of(root, folder / ISSUE_FILE)
    who = user.display or user.name
    note = f"desk: 审定撤销（{who} 修改了本期文章）{relpath_of(root, folder)}"
    history.record(root, [rel], user=user, message=note)
    return True
