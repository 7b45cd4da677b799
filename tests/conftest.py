"""Shared fixtures: small content trees copied into tmp_path, and a way to run the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/minimal: 2 issues (2025-24, 2026-01), 3 articles, one image."""
    dest = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", dest)
    return dest


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The repository's sample bulletin (bulletin.yaml + content/) built once with all PDFs."""
    dest = tmp_path_factory.mktemp("sample")
    shutil.copy(REPO / "bulletin.yaml", dest / "bulletin.yaml")
    shutil.copytree(REPO / "content", dest / "content")
    r = run_cli("--root", str(dest), "build", "--all")
    assert r.returncode == 0, r.stderr
    return dest


def run_cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300,
    input_text: str | None = None,
):  # fmt: skip
    """Run `python build.py ARGS` as an editor would; returns the CompletedProcess (text)."""
    import os

    e = dict(os.environ)
    e.setdefault("BULLETIN_LANG", "zh")
    if env:
        e.update(env)
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=cwd or REPO, env=e, capture_output=True, text=True, timeout=timeout, input=input_text,
    )


def index_script(path: Path, folder: Path | None = None):
    """The value an index file of the search (`__bulletinSearch.add(name, value);`) hands to search.js,
    as JSON; checks that it names itself by its path under `folder` (default: its parent's parent's, for
    files directly in the index folder pass it). Base64 values come back as str."""
    text = path.read_text(encoding="utf-8")
    head = '__bulletinSearch.add("'
    assert text.startswith(head) and text.endswith(");\n"), path
    name, _, value = text[len(head):-3].partition('",')
    if folder is not None:
        assert name == path.relative_to(folder).with_suffix("").as_posix(), (name, path)
    return json.loads(value)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (skips where Debian's chromium or playwright is missing)."""
    from browsing import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _verify_page_dependencies(monkeypatch):
    """Every build in the tests keys the pages it takes as unchanged from their dependencies anyway and
    fails if a key moved (bulletin/site/dependencies.py): plan_site forgot something a page reads."""
    from bulletin.site import dependencies

    monkeypatch.setattr(dependencies, "VERIFY", True)
