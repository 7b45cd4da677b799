"""Cutting an article file into its front matter and its body.

Used by the loader (every article it reads), the load cache (the body of an unchanged article, cut again
from the bytes read to hash the file) and `bulletin fix`, so all three cut at the same line.
"""

from __future__ import annotations

import re

_FM_CLOSE_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line) — or None if the text has no front matter.
    Raises ValueError if the front matter is opened but never closed. (The text is not split into lines:
    the load cache cuts every unchanged article's body with this.)"""
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip() != "---":
        return None
    m = _FM_CLOSE_LINE.search(text, first_end + 1) if first_end >= 0 else None
    if m is None:
        raise ValueError("unclosed")
    front = text[first_end + 1 : max(first_end + 1, m.start() - 1)]
    body = text[m.end() + 1 :]
    return front, body, text.count("\n", 0, m.start()) + 2
