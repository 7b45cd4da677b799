"""bulletin/desk/approval.py: approval in issue.yaml, withdrawn by a desk save, stale after hand edits."""

from __future__ import annotations

import os
import time

from bulletin.desk import approval
from bulletin.desk.errors import Editor

CHIEF = Editor("li", "李主编", "chief")


def test_set_read_and_withdraw(project):
    folder = project / "content/2026/01"
    before = (folder / "issue.yaml").read_text(encoding="utf-8")
    assert approval.read_approval(folder) is None
    a = approval.set_approval(project, folder, CHIEF)
    got = approval.read_approval(folder)
    assert got == a and got.by == "李主编" and not got.stale
    text = (folder / "issue.yaml").read_text(encoding="utf-8")
    assert text.startswith(before.rstrip("\n"))  # the other lines as they were
    assert approval.article_changed(project, folder, CHIEF) is True
    assert (folder / "issue.yaml").read_text(encoding="utf-8") == before
    assert approval.article_changed(project, folder, CHIEF) is False


def test_stale_after_a_picture_changes(project):
    folder = project / "content/2026/01"
    approval.set_approval(project, folder, CHIEF)
    later = time.time() + 5
    os.utime(folder / "images/huiyi.png", (later, later))
    assert approval.read_approval(folder).stale


def test_garbage_approval_is_none(project):
    folder = project / "content/2026/01"
    with (folder / "issue.yaml").open("a", encoding="utf-8") as f:
        f.write("approved_by: 某人\napproved_at: 昨天\n")
    assert approval.read_approval(folder) is None
