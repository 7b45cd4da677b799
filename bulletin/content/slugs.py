"""URL slugs: front matter `slug`, else the URL-safe file name, else its pinyin."""

from __future__ import annotations

import re

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Article slugs an issue folder cannot use: the issue page itself (<year>/<nn>/index.html).
RESERVED_SLUGS = frozenset({"index"})
_SAFE_STEM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def slug_for(stem: str, explicit: str | None = None) -> str:
    """The article's slug: `explicit` if given, the file stem if URL-safe ASCII, else pinyin of the stem."""
    if explicit:
        return explicit
    if _SAFE_STEM_RE.match(stem):
        return stem.lower().replace("_", "-")
    return pinyin_slug(stem)


def pinyin_slug(text: str, max_len: int = 60) -> str:
    """A lowercase ASCII slug from Chinese text: 强化开局 → qiang-hua-kai-ju."""
    from pypinyin import lazy_pinyin

    parts: list[str] = []
    for piece in lazy_pinyin(text, errors=lambda s: [s]):  # keep runs like "2026" or "GDP" whole
        piece = re.sub(r"[^a-z0-9]+", "-", piece.lower()).strip("-")
        if piece:
            parts.append(piece)
    slug = "-".join(parts)
    slug = re.sub(r"-{2,}", "-", slug)[:max_len].strip("-")
    return slug or "article"
