"""The font families installed on this machine, as fontconfig (which WeasyPrint uses) sees them.

bulletin.yaml may name a family per print role (`print.fonts`); a name fontconfig does not know would
print in some fallback face, so the settings are checked against this list. Nothing here imports
WeasyPrint: `fc-list` is the same fontconfig, and answers in a few milliseconds.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
from functools import lru_cache


@lru_cache(maxsize=1)
def installed_families() -> dict[str, str] | None:
    """Every installed family name (each of a font's names, e.g. `FandolFang` and `FandolFang R`), keyed by
    its casefolded form; None when fontconfig's `fc-list` is not available (then nothing is checked)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "--format", "%{family}\\n"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names: dict[str, str] = {}
    for line in out.splitlines():
        for name in line.split(","):
            name = name.strip().replace("\\-", "-")
            if name:
                names.setdefault(name.casefold(), name)
    return names


def is_installed(family: str) -> bool:
    """True if `family` is installed (or if that cannot be known)."""
    names = installed_families()
    return names is None or family.casefold() in names


CHINESE_HINTS = ("CJK SC", "Fandol", "Kai", "WenKai", "Song", "Hei", "Fang")


def suggest_family(family: str) -> str:
    """The installed family most like `family`, or else the installed Chinese families (by name)."""
    names = installed_families() or {}
    close = difflib.get_close_matches(family.casefold(), list(names), n=1, cutoff=0.6)
    if close:
        return names[close[0]]
    chinese = sorted({n for n in names.values() if n.isascii() and any(h in n for h in CHINESE_HINTS)})
    return ", ".join(chinese[:12])
