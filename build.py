#!/usr/bin/env python3
"""`python build.py 2026-04` — the same command as `bulletin build 2026-04` (see `python build.py --help`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bulletin.cli import run  # noqa: E402

if __name__ == "__main__":
    run()
