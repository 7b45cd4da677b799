"""bulletin/config.py check_project_file: the paths in bulletin.yaml name regular files of the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from bulletin.config import check_project_file
from bulletin.diagnostics import Report


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "proj"
    (root / "images").mkdir(parents=True)
    Image.new("RGB", (40, 20)).save(root / "images/logo.png")
    (tmp_path / "outside.png").write_bytes((root / "images/logo.png").read_bytes())
    (root / "images/out.png").symlink_to(tmp_path / "outside.png")
    (root / "images/loop.png").symlink_to("loop.png")
    os.mkfifo(root / "images/fifo.png")
    with (root / "images/huge.png").open("wb") as f:
        f.truncate(21 * 1024 * 1024)
    return root


@pytest.mark.parametrize(
    "value, code",
    [
        ("images/logo.png", None),
        ("./images/../images/logo.png", None),
        ("/etc/passwd", "config_path_absolute"),
        ("C:\\logo.png", "config_path_absolute"),
        ("\\\\server\\share\\logo.png", "config_path_absolute"),
        ("~/logo.png", "config_path_absolute"),
        ("../outside.png", "config_path_outside"),
        ("../nothing.png", "config_path_outside"),
        ("images/out.png", "config_path_outside"),
        ("images/loop.png", "config_path_missing"),
        ("images/none.png", "config_path_missing"),
        ("images/x\0.png", "config_path_missing"),
        ("images", "config_path_folder"),
        ("images/fifo.png", "config_path_special"),
        ("images/huge.png", "config_path_too_big"),
    ],
)
def test_logo_paths(root, value, code):
    report = Report(root)
    ok = check_project_file(root, "logo", value, root / "bulletin.yaml", 9, report)
    codes = [d.code for d in report.errors]
    assert ok == (code is None) and codes == ([code] if code else []), codes
    assert all(d.line == 9 and d.file == "bulletin.yaml" for d in report.errors)
