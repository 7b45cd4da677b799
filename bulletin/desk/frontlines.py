"""Editing an article's front matter line by line, so that a hand editor finds their file as they left it.

A changed key's lines are replaced by one `key: value` line in place; an unchanged key keeps its lines
byte for byte (quotes, comments, layout); a new key takes the place of its commented example
(`# order: 1  # …`, as `bulletin new article` writes them) or goes last; a key given as None is removed.
"""

from __future__ import annotations

import datetime as dt
import re

from bulletin.editor.new_article import yaml_list, yaml_quoted, yaml_scalar

_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]|$)")
_COMMENTED_KEY = re.compile(r"^#[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:")


def render_value(value: object) -> str:
    """A front-matter value as YAML on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return yaml_list([str(v) for v in value])
    if isinstance(value, str):
        return yaml_scalar(value) if "\n" not in value else yaml_quoted(value)
    raise TypeError(type(value).__name__)


def key_spans(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key → (first line, end line) indexes in `lines`: its own line and the indented or
    continuation lines after it (up to the next line that starts at column 0)."""
    spans: dict[str, tuple[int, int]] = {}
    i = 0
    while i < len(lines):
        m = _KEY_LINE.match(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (lines[j][:1] in (" ", "\t") or lines[j].strip() == ""):
            j += 1
        while j > i + 1 and lines[j - 1].strip() == "":  # blank lines before the next key stay outside
            j -= 1
        spans.setdefault(m.group(1), (i, j))
        i = j
    return spans


def edit(front_text: str, changes: dict[str, object]) -> str:
    """`front_text` (the lines between the --- lines) with `changes` applied: key → new value (None
    removes the key). Keys not in `changes` are untouched."""
    lines = front_text.split("\n") if front_text else []
    for key, value in changes.items():
        spans = key_spans(lines)
        new = None if value is None else f"{key}: {render_value(value)}"
        if key in spans:
            a, b = spans[key]
            lines[a:b] = [] if new is None else [new]
            continue
        if new is None:
            continue
        for n, line in enumerate(lines):
            m = _COMMENTED_KEY.match(line)
            if m and m.group(1) == key:
                lines[n] = new
                break
        else:
            while lines and lines[-1].strip() == "":
                lines.pop()
            lines.append(new)
    return "\n".join(lines)
