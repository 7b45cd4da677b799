"""What to say when a Python package bulletin needs is missing (used by bulletin.entry before the command
line can be imported, and by bulletin.cli after). Standard library only: it must work when nothing else
is installed."""

from __future__ import annotations

import os
import sys


def missing_package_line(name: str) -> str:
    """What to say when a Python package bulletin needs is not there (python3 build.py run with the
    system's Python instead of the one `make build` set up, or an installation cut short)."""
    if "--lang en" in " ".join(sys.argv[1:]) or os.environ.get("BULLETIN_LANG", "").startswith("en"):
        return (
            f"bulletin is not installed completely: the Python package {name} is missing. Run make build in "
            "bulletin's folder, then use .venv/bin/bulletin (or .venv/bin/python build.py); see "
            '"Installation" in docs/editor-guide.en.md.'
        )
    return (
        f"bulletin 还没有安装好：缺少 Python 包 {name}。请在 bulletin 的程序文件夹里运行 make build，"
        "然后用 .venv/bin/bulletin（或 .venv/bin/python build.py）运行；"
        "见 docs/editor-guide.md 的“安装”一节。"
    )
