"""Sanity limits on article bodies that the Markdown parser would otherwise handle silently.

markdown-it stops nesting at `maxNesting` (40 token levels; a nested list costs two per level) and drops
whatever lies deeper, so an absurdly nested body would lose text without a word. Real articles nest
lists three or four levels at most: anything past MAX_MARKDOWN_DEPTH is reported with its line instead.
"""

from __future__ import annotations

import re

MAX_MARKDOWN_DEPTH = 10

_FENCE_RE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_MARKERS_RE = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))+")
_ONE_MARKER_RE = re.compile(r">|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")
_LIST_RE = re.compile(r"^([ \t]*)(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_INDENTED_RE = re.compile(r"^[ \t]", re.M)
_MARKER = r"(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))"
_TWO_MARKERS_RE = re.compile(rf"^{_MARKER}[ \t]*{_MARKER}", re.M)  # "- - x", "> 1. x"


def markdown_nesting(body: str) -> tuple[int, int] | None:
    """(0-based line, depth) of the first line nested deeper than MAX_MARKDOWN_DEPTH, or None.

    Depth on a line = list levels open by indentation + further markers on the line itself
    ("> > > x", "- - - x"). An approximation, generous to real documents."""
    if (
        body.count(">")
        + body.count("- ")
        + body.count("* ")
        + body.count("+ ")
        + body.count(". ")
        + body.count(") ")
        <= MAX_MARKDOWN_DEPTH
    ):
        return None  # fast path: too few markers to nest that deep
    if not _INDENTED_RE.search(body) and not _TWO_MARKERS_RE.search(body):
        return None  # fast path: no line indented, none with two markers: nothing nests at all
    indents: list[int] = []  # indentation of the list items currently open
    in_fence = False
    for i, line in enumerate(body.split("\n")):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or not line.strip():
            continue
        m = _LIST_RE.match(line)
        indent = len(m.group(1).expandtabs(4)) if m else len(line) - len(line.lstrip(" \t"))
        if m:
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
        elif indent == 0:
            indents.clear()
        markers = _MARKERS_RE.match(line)
        extra = len(_ONE_MARKER_RE.findall(markers.group())) if markers else 0
        if m:
            extra -= 1  # the line's own list marker is already counted in `indents`
        depth = len(indents) + max(extra, 0)
        if depth > MAX_MARKDOWN_DEPTH:
            return i, depth
    return None
