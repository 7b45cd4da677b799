"""bulletin.content.replace: a source file is replaced whole or not at all, keeping its permissions."""

from __future__ import annotations

import os

import pytest

from bulletin.content.replace import replace_file


def test_the_file_is_replaced_with_its_mode_and_no_temporary_file_is_left(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    replace_file(path, "新".encode())
    assert path.read_text(encoding="utf-8") == "新"
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_text("old", encoding="utf-8")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        replace_file(path, b"new")
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    path = tmp_path / "new.md"
    replace_file(path, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644 & ~umask
