"""bulletin/desk/issues.py: the list, one issue, the next issue, approval."""

from __future__ import annotations

import json
import os
import time

import pytest

from bulletin.desk import articles, issues
from bulletin.desk.errors import DeskError, Editor, NotAllowed

ED = Editor("wang", "王编辑", "editor")
CHIEF = Editor("li", "李主编", "chief")


def test_list_issues_newest_first_with_figures(project):
    got = issues.list_issues(project)
    assert [s.key for s in got] == ["2026-01", "2025-24"]
    s = got[0]
    assert (s.year, s.number, s.label, s.articles) == (2026, 1, "2026年第1期 总第" + str(s.total) + "期", 2)
    assert s.words > 20 and s.errors == 0 and s.approval is None
    assert s.folder == "content/2026/01"


def test_list_uses_the_cache_and_sees_changes(project, monkeypatch):
    issues.list_issues(project)
    calls = []
    real = issues._figures
    monkeypatch.setattr(issues, "_figures", lambda *a: calls.append(a[1].name) or real(*a))
    issues.list_issues(project)
    assert calls == []  # nothing changed: nothing loaded
    path = project / "content/2026/01/kaiju.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n再加一段很长的话。\n", encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    before = {s.key: s.words for s in issues.list_issues(project)}
    assert calls == ["01"]
    assert before["2026-01"] > 0


def test_a_broken_cache_is_ignored(project):
    issues.list_issues(project)
    cache = project / ".desk/cache/issues.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["issues"]["content/2026/01"]["fig"]["words"] = "lots"
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert isinstance(issues.list_issues(project)[0].words, int)
    cache.write_text("not json", encoding="utf-8")
    assert len(issues.list_issues(project)) == 2


def test_errors_and_warnings_are_counted(project):
    path = project / "content/2026/01/shi.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("section: poetry", "section: nosuch"), encoding="utf-8"
    )
    (project / "content/2026/01/kaiju.md").write_text(
        (project / "content/2026/01/kaiju.md").read_text(encoding="utf-8") + "\n半角,标点.\n",
        encoding="utf-8",
    )
    s = issues.list_issues(project)[0]
    assert s.errors == 1 and s.warnings >= 1 and s.articles == 2


def test_issue_detail_sections_in_order_and_broken_articles_listed(project):
    path = project / "content/2026/01/shi.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n::: poem\n没有结束\n", encoding="utf-8")
    d = issues.issue_detail(project, "2026-01")
    assert [s.key for s in d.sections] == ["feature", "news", "poetry"]
    feature = d.sections[0].articles
    assert [a.relpath for a in feature] == ["content/2026/01/kaiju.md"]
    assert feature[0].version == articles.current_version(project, "content/2026/01/kaiju.md")
    poetry = d.sections[2].articles
    assert poetry[0].relpath == "content/2026/01/shi.md" and poetry[0].loaded is False
    assert d.summary.errors == 1


def test_issue_detail_order(project):
    for name, order in (("a", 3), ("b", 1), ("c", None)):
        text = (
            f"---\ntitle: 文章{name}\nsection: news\n"
            + (f"order: {order}\n" if order else "")
            + "---\n正文。\n"
        )
        (project / f"content/2026/01/{name}.md").write_text(text, encoding="utf-8")
    news = issues.issue_detail(project, "2026-01").sections[1].articles
    assert [a.relpath.rsplit("/", 1)[1] for a in news] == ["b.md", "a.md", "c.md"]


def test_issue_detail_refuses_bad_keys(project):
    for bad in ("2026-99", "../2026-01", "2026/01", "", None):
        with pytest.raises(DeskError):
            issues.issue_detail(project, bad)


def test_start_next_issue_numbers_like_new_issue(project):
    key = issues.start_next_issue(project, user=ED)
    assert key == "2026-02"
    text = (project / "content/2026/02/issue.yaml").read_text(encoding="utf-8")
    assert "number: 2" in text and "date: 2026-01-20" in text
    assert [s.key for s in issues.list_issues(project)][:1] == ["2026-02"]
    assert issues.start_next_issue(project, user=ED) == "2026-03"


def test_only_the_chief_approves(project):
    with pytest.raises(NotAllowed):
        issues.approve_issue(project, "2026-01", user=ED)
    assert "approved_by" not in (project / "content/2026/01/issue.yaml").read_text(encoding="utf-8")
    a = issues.approve_issue(project, "2026-01", user=CHIEF)
    assert a.by == "李主编" and not a.stale
    text = (project / "content/2026/01/issue.yaml").read_text(encoding="utf-8")
    assert "approved_by: 李主编" in text
    s = issues.list_issues(project)[0]
    assert (
        s.approval is not None and s.approval.by == "李主编" and s.errors == 0
    )  # the loader accepts the keys


def test_a_desk_save_withdraws_the_approval(project):
    issues.approve_issue(project, "2026-01", user=CHIEF)
    doc = articles.read_article(project, "content/2026/01/kaiju.md")
    articles.save_article(
        project, doc.relpath, dict(doc.front, title="改了"), doc.body, expected_version=doc.version, user=ED
    )
    assert issues.issue_detail(project, "2026-01").summary.approval is None
    assert "approved_by" not in (project / "content/2026/01/issue.yaml").read_text(encoding="utf-8")


def test_a_hand_edit_after_approval_is_flagged(project):
    issues.approve_issue(project, "2026-01", user=CHIEF)
    path = project / "content/2026/01/kaiju.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n手工加的。\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    assert issues.list_issues(project)[0].approval.stale is True


def test_approval_refused_while_the_issue_has_errors(project):
    path = project / "content/2026/01/shi.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("section: poetry", "section: nosuch"), encoding="utf-8"
    )
    with pytest.raises(DeskError) as exc:
        issues.approve_issue(project, "2026-01", user=CHIEF)
    assert not isinstance(exc.value, NotAllowed)
