"""bulletin/desk/files.py: versions, atomic writes, and paths from the web that try to get out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin.desk import files
from bulletin.desk.errors import DeskError


def test_version_is_sha256_of_bytes(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes("标题\n".encode())
    assert files.file_version(p) == files.version("标题\n") == files.version("标题\n".encode())
    assert files.version(b"a") != files.version(b"b")


def test_atomic_write_replaces_and_keeps_mode(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("old", encoding="utf-8")
    os.chmod(p, 0o640)
    files.atomic_write(p, b"new")
    assert p.read_bytes() == b"new"
    assert p.stat().st_mode & 0o777 == 0o640
    assert [x.name for x in tmp_path.iterdir()] == ["a.md"]  # no temporary file left


def test_atomic_write_failure_leaves_the_old_file(tmp_path, monkeypatch):
    p = tmp_path / "a.md"
    p.write_text("old", encoding="utf-8")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        files.atomic_write(p, b"new")
    assert p.read_text(encoding="utf-8") == "old"
    assert [x.name for x in tmp_path.iterdir()] == ["a.md"]


def test_atomic_write_refuses_a_link(tmp_path):
    target = tmp_path / "t.md"
    target.write_text("x", encoding="utf-8")
    (tmp_path / "l.md").symlink_to(target)
    with pytest.raises(DeskError):
        files.atomic_write(tmp_path / "l.md", b"y")
    assert target.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    "bad",
    [
        "../bulletin.yaml",
        "content/../../etc/passwd",
        "content/2026/01/../../../../etc/passwd",
        "/etc/passwd",
        "content/2026/01/kaiju.md\x00.png",
        "content\\2026\\01\\kaiju.md",
        "C:/Windows/win.ini",
        "content/2026/01/./kaiju.md",
        "content//2026/01/kaiju.md",
        "",
        "x" * 5000,
        None,
        42,
        ["content/2026/01/kaiju.md"],
        "~/secret",
    ],
)
def test_article_file_refuses_paths_that_get_out(project, bad):
    with pytest.raises(DeskError) as exc:
        files.article_file(project, bad)
    assert "\x00" not in str(exc.value)


def test_article_file_accepts_an_article(project):
    p = files.article_file(project, "content/2026/01/kaiju.md")
    assert p == project / "content/2026/01/kaiju.md"


def test_article_file_refuses_what_is_not_an_article(project):
    for rel in (
        "bulletin.yaml",
        "content/2026/01/issue.yaml",
        "content/2026/01/images/huiyi.png",
        "content/2026/01/missing.md",
    ):
        with pytest.raises(DeskError):
            files.article_file(project, rel)


def test_symlink_out_of_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (project / "content/2026/01/link.md").symlink_to(outside)
    with pytest.raises(DeskError):
        files.article_file(project, "content/2026/01/link.md")
    # a linked folder on the way out of the project
    (tmp_path / "elsewhere" / "2030" / "01").mkdir(parents=True)
    (tmp_path / "elsewhere" / "2030" / "01" / "a.md").write_text("x", encoding="utf-8")
    (project / "content" / "2030").symlink_to(tmp_path / "elsewhere" / "2030")
    with pytest.raises(DeskError):
        files.article_file(project, "content/2030/01/a.md")


def test_symlink_inside_is_refused_for_the_last_part(project):
    (project / "content/2026/01/alias.md").symlink_to(project / "content/2026/01/kaiju.md")
    with pytest.raises(DeskError):
        files.article_file(project, "content/2026/01/alias.md")


def test_issue_folder(project):
    assert files.issue_folder(project, "2026-01") == project / "content/2026/01"
    for bad in ("2026-1", "../2026-01", "2026-01/..", "2099-01", "2026-01\x00", None):
        with pytest.raises(DeskError):
            files.issue_folder(project, bad)


@pytest.mark.parametrize("bad", ["../x", "a/b", "", "a" * 65, "a\x00", ".hidden", "-x", None, "x y"])
def test_check_id_refuses(bad):
    with pytest.raises(DeskError):
        files.check_id(bad)


def test_check_id_accepts():
    assert files.check_id("20261203-abc_1") == "20261203-abc_1"


def test_desk_path_stays_inside_desk(project, tmp_path):
    d = files.desk_folder(project, "drafts")
    assert d == project / ".desk" / "drafts" and d.is_dir()
    assert (project / ".desk").stat().st_mode & 0o777 == 0o700
    for bad in ("..", "../bulletin.yaml", "a/../../x", "/etc"):
        with pytest.raises(DeskError):
            files.desk_path(project, "drafts", bad)
    (tmp_path / "evil").mkdir()
    (project / ".desk" / "jobs").symlink_to(tmp_path / "evil")
    with pytest.raises(DeskError):
        files.desk_folder(project, "jobs")


def test_desk_folder_itself_a_link_is_refused(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (tmp_path / "evil").mkdir()
    (root / ".desk").symlink_to(tmp_path / "evil")
    with pytest.raises(DeskError):
        files.desk_path(root, "drafts")


def test_project_lock_is_reentrant_across_calls(project):
    with files.project_lock(project):
        pass
    with files.project_lock(project):
        assert (project / ".desk" / "lock").exists()


def test_messages_in_english(project):
    from bulletin import messages

    old = messages.language()
    messages.set_language("en")
    try:
        with pytest.raises(DeskError) as exc:
            files.article_file(project, "../x.md")
        assert "not valid" in str(exc.value)
    finally:
        messages.set_language(old)
    with pytest.raises(DeskError) as exc:
        files.article_file(project, "../x.md")
    assert "无效" in str(exc.value)


def test_paths_are_paths(project):
    assert isinstance(files.project_path(project, "content/2026/01/kaiju.md"), Path)


def test_desk_folder_keeps_itself_out_of_git(project):
    files.desk_folder(project, "drafts")
    assert (project / ".desk/.gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
