"""scripts/install-debian-deps.sh --check: what a Debian-based machine (UOS, Kylin…) lacks, installing
nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "install-debian-deps.sh"


def _run(env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT), "--check"], capture_output=True, text=True, timeout=120, env=env
    )


def test_check_on_this_machine_installs_nothing() -> None:
    r = _run()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ok       python3 3." in r.stdout and "ok       Pango 1." in r.stdout
    assert "This machine can run bulletin" in r.stdout
    assert "Installing" not in r.stdout


def test_check_names_what_an_older_base_lacks(tmp_path: Path) -> None:
    """A Debian 10 base (UOS 20): Python 3.7, Pango 1.42, no libharfbuzz-subset0 / libgs-common /
    fonts-lxgw-wenkai in its sources. Simulated with stand-ins for python3, dpkg-query and apt-cache."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python3").write_text("#!/bin/sh\necho 3.7\n")
    absent = "libharfbuzz-subset0|libgs-common|fonts-lxgw-wenkai"
    (fake / "dpkg-query").write_text(
        "#!/bin/sh\n"
        "for last; do :; done\n"
        'case "$last" in\n'
        '  libpango-1.0-0) case "$2" in *Version*) echo 1.42.4-8~deb10u1 ;;\n'
        "    *) echo 'install ok installed' ;; esac ;;\n"
        f"  {absent}) exit 1 ;;\n"
        "  *) echo 'install ok installed' ;;\n"
        "esac\n"
    )
    (fake / "apt-cache").write_text("#!/bin/sh\necho '  Installed: (none)'\necho '  Candidate: (none)'\n")
    for f in fake.iterdir():
        f.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
    r = _run(env)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "TOO OLD  python3 3.7 (needs >= 3.11)" in r.stdout
    assert "TOO OLD  Pango 1.42.4-8~deb10u1 (needs >= 1.44)" in r.stdout
    for p in absent.split("|"):
        assert f"MISSING  {p}" in r.stdout
    assert "ok       fonts-noto-cjk (installed)" in r.stdout
    assert "docs/editor-guide.md" in r.stdout


REPO = SCRIPT.parent.parent


def _build_py_without(module: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in a Python where `module` cannot be imported (as the system's Python lacks
    what `make build` installs into .venv)."""
    code = (
        f"import sys, runpy; sys.modules[{module!r}] = None; sys.argv = ['build.py', *{list(args)!r}]; "
        f"runpy.run_path({str(REPO / 'build.py')!r}, run_name='__main__')"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)


def test_not_installed_says_how_to_install(tmp_path: Path) -> None:
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal", tmp_path / "proj")
    env = dict(os.environ, BULLETIN_LANG="zh")
    for module in ("click", "markdown_it"):  # missing before the command line starts, and while it runs
        r = _build_py_without(module, "--root", str(tmp_path / "proj"), "check", env=env)
        assert r.returncode == 1, r.stderr
        assert f"缺少 Python 包 {module}" in r.stderr and "make build" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr and "内部错误" not in r.stderr
    r = _build_py_without("markdown_it", "--lang", "en", "--root", str(tmp_path / "proj"), "check", env=env)
    assert "the Python package markdown_it is missing" in r.stderr
