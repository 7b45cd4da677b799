"""bulletin/desk/history.py: a git commit per save with the editor as author, else dated backups."""

from __future__ import annotations

import subprocess

import pytest

from bulletin.desk import articles, history, order
from bulletin.desk.errors import DeskError, Editor

ED = Editor("wang", "王编辑", "editor")
KAIJU = "content/2026/01/kaiju.md"


@pytest.fixture
def git_project(project, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))  # no identity configured
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", "-C", str(project), *args], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(project),
            "-c",
            "user.name=hand",
            "-c",
            "user.email=hand@x",
            "commit",
            "-qm",
            "start",
        ],
        check=True,
    )
    return project


def _save(root, title):
    doc = articles.read_article(root, KAIJU)
    return articles.save_article(
        root, KAIJU, dict(doc.front, title=title), doc.body, expected_version=doc.version, user=ED
    )


def test_git_commit_with_the_editor_as_author(git_project):
    (git_project / "content/2026/01/shi.md").write_text("not this one\n", encoding="utf-8")  # a hand edit
    _save(git_project, "第一次修改")
    log = subprocess.run(
        ["git", "-C", str(git_project), "log", "-1", "--format=%an <%ae>|%s", "--name-only"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert log.startswith("王编辑 <wang@desk>|desk: 王编辑")
    assert KAIJU in log and "shi.md" not in log  # only the saved file is committed
    revs = history.article_history(git_project, KAIJU)
    assert [r.who for r in revs] == ["王编辑", "hand"]
    assert "第一次修改" in history.revision_text(git_project, KAIJU, revs[0].id)
    assert "凝心聚力开新局" in history.revision_text(git_project, KAIJU, revs[1].id)


def test_git_new_article_and_reorder_are_committed(git_project):
    rel = articles.create_article(git_project, "2026-01", "news", "新的文章", user=ED)
    assert [r.who for r in history.article_history(git_project, rel)] == ["王编辑"]
    order.reorder(git_project, "2026-01", [("feature", [KAIJU])], user=ED)
    assert len(history.article_history(git_project, KAIJU)) == 2
    status = subprocess.run(
        ["git", "-C", str(git_project), "status", "--porcelain"], capture_output=True, text=True
    ).stdout
    assert status.strip() == "?? .desk/" or status.strip() == ""


def test_backups_without_git(project):
    _save(project, "一改")
    _save(project, "二改")
    revs = history.article_history(project, KAIJU)
    assert [r.who for r in revs] == ["王编辑", "王编辑", ""]
    assert revs[0].when >= revs[1].when >= revs[2].when
    assert "二改" in history.revision_text(project, KAIJU, revs[0].id)
    assert "一改" in history.revision_text(project, KAIJU, revs[1].id)
    assert "凝心聚力开新局" in history.revision_text(project, KAIJU, revs[2].id)  # as it was before the desk
    assert (project / ".desk/history" / KAIJU).is_dir()


def test_no_history_yet(project):
    assert history.article_history(project, KAIJU) == []


@pytest.mark.parametrize("bad_id", ["../../../../bulletin", "x", "", None, "20261203T170410467850Z/../x"])
def test_revision_ids_are_checked(project, bad_id):
    _save(project, "一改")
    with pytest.raises(DeskError):
        history.revision_text(project, KAIJU, bad_id)


def test_git_revision_ids_are_checked(git_project):
    with pytest.raises(DeskError):
        history.revision_text(git_project, KAIJU, "HEAD:bulletin.yaml")
    with pytest.raises(DeskError):
        history.revision_text(git_project, KAIJU, "--output=/tmp/x")


@pytest.mark.parametrize("bad", ["../x.md", "/etc/passwd", "content/../../x"])
def test_paths_are_checked(project, bad):
    with pytest.raises(DeskError):
        history.article_history(project, bad)
    with pytest.raises(DeskError):
        history.record(project, [bad], user=ED, message="x")


def test_author_names_cannot_break_the_commit(git_project):
    evil = Editor("a b<c>@d", "张<三>\n--author=x", "editor")
    doc = articles.read_article(git_project, KAIJU)
    articles.save_article(
        git_project, KAIJU, dict(doc.front, title="名字"), doc.body, expected_version=doc.version, user=evil
    )
    log = subprocess.run(
        ["git", "-C", str(git_project), "log", "-1", "--format=%an|%ae"], capture_output=True, text=True
    ).stdout.strip()
    assert log == "张三--author=x|abcd@desk"
