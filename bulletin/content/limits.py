"""Sanity limits on absurd input, checked while loading (so `check` reports them too), before parsing.

Nesting: markdown-it stops nesting at `maxNesting` (40 token levels; a nested list costs two per level)
and drops whatever lies deeper, so an absurdly nested body would lose text without a word. Real articles nest
lists three or four levels at most: anything past MAX_MARKDOWN_DEPTH is reported with its line instead.

Size: a paragraph, a table or a picture so large that laying it out or decoding it would take minutes or
gigabytes is refused with the limit and what to do (figures above `MAX_PARAGRAPH_CHARS`).
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
    """(0-based line, depth) of the first line nested deeper than MAX_MARKDOWN_DEPTH, in blocks (lists,
    quotes) or in emphasis, or None."""
    return _block_nesting(body) or _emphasis_nesting(body)


# A run of n asterisks or underscores around a word is n/2 nested <strong>: 250 of them made the PDF's
# layout exceed Python's recursion limit (an internal error). A line of them alone is a rule (***), and
# code keeps its text: neither is counted.
_RUN = 2 * (MAX_MARKDOWN_DEPTH + 1)
_EMPHASIS_RUN_RE = re.compile(rf"\*{{{_RUN},}}|_{{{_RUN},}}")
_RULE_RE = re.compile(r"^[ \t]{0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$")
_CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")


def _emphasis_nesting(body: str) -> tuple[int, int] | None:
    if _EMPHASIS_RUN_RE.search(body) is None:
        return None  # fast path
    in_fence = False
    for i, line in enumerate(body.split("\n")):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith(("    ", "\t")) or _RULE_RE.match(line):
            continue
        if "`" in line:  # a run inside a code span is text
            line = _CODE_SPAN_RE.sub("", line)
        m = _EMPHASIS_RUN_RE.search(line)
        if m is not None:
            return i, len(m.group()) // 2
    return None


def _block_nesting(body: str) -> tuple[int, int] | None:
    """(0-based line, depth) of the first line whose lists and quotes nest deeper than MAX_MARKDOWN_DEPTH.

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


# --- sizes that would make a build slow or memory-hungry -----------------------------------------
#
# Measured on the print side (WeasyPrint 70, one core), where such input costs the most:
# * one paragraph of n characters takes time quadratic in n to break into lines (each line is shaped
#   against the rest of the paragraph): 80,000 characters 4.8 s, 160,000 10 s, 320,000 28 s,
#   600,000 (1.8 MB) 100 s; the same 320,000 characters in ordinary paragraphs 9.8 s.
# * a table costs ~1 ms and ~15 KB per cell, linearly: 6,000 cells (300 × 20) 6 s and 360 MB all told,
#   24,000 cells 26 s and 690 MB, 60,000 cells (300 × 200) 127 s and 1.5 GB.
# A real paragraph has under 2,000 characters, a real table under 30 rows of under 10 columns: the limits
# are ten times those and keep a build of one such article within a few seconds and a few hundred MB.

MAX_PARAGRAPH_CHARS = 20_000
MAX_TABLE_CELLS = 5_000  # all tables of one article together (e.g. 500 rows of 10 columns)
MAX_TABLE_COLUMNS = 40  # a wider table cannot be read on a printed page anyway
# Each footnote call prints its note at the page foot (float: footnote), and WeasyPrint's time grows faster
# than their number: 100 calls 9 s, 1,000 calls 35 s, 4,900 (in one paragraph) over 300 s for one issue.
# A heavily annotated paper has about 100.
MAX_FOOTNOTE_CALLS = 300

# A picture in a Word document is decoded to be scaled down (editor/docx_import.py): past this many pixels
# it would need gigabytes (a 60,000 × 60,000 picture: 3.6 billion pixels), so it is left out unread.
# 100 million pixels is twice a top-end camera's photo and ~400 MB decoded.
MAX_DECODE_PIXELS = 100_000_000

# (a footnote definition, [^1]: …, is a block of its own too: 3,000 short notes in a row are no paragraph)
_BLOCK_START_RE = re.compile(r"^[ \t>]*(?:[-+*][ \t]|\d{1,9}[.)][ \t]|#|\||```|~~~|:::|\[\^[^\]\s]+\]:)")
_FOOTNOTE_CALL_RE = re.compile(r"\[\^[^\]\s]+\](?!:)")
_DELIMITER_ROW_RE = re.compile(r"^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def _columns(delimiter_row: str) -> int:
    cells = delimiter_row.strip(" \t>").strip("|").split("|")
    return len(cells)


def body_size_problems(body: str) -> list[tuple[str, int, dict]]:
    """(message id, 0-based line, args) for a paragraph or table far too large to lay out in reasonable
    time and memory (figures above). Linear in the body's length; nothing to do for an ordinary body."""
    problems: list[tuple[str, int, dict]] = []
    if body.count("[^") > MAX_FOOTNOTE_CALLS:
        calls = list(_FOOTNOTE_CALL_RE.finditer(body))
        if len(calls) > MAX_FOOTNOTE_CALLS:
            line = body.count("\n", 0, calls[MAX_FOOTNOTE_CALLS].start())  # the first call past the limit
            problems.append(("footnotes_too_many", line, {"calls": len(calls), "limit": MAX_FOOTNOTE_CALLS}))
    if len(body) <= MAX_PARAGRAPH_CHARS and "|" not in body:
        return problems  # fast path: too short for a long paragraph, and no table
    lines = body.split("\n")
    para_start, para_chars = 0, 0  # the paragraph (run of text lines) being measured
    reported = -1  # the paragraph last reported (each long one once)
    cells = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            para_chars = 0
            i += 1
            continue
        if (
            "|" in line
            and i + 1 < len(lines)
            and "-" in lines[i + 1]
            and _DELIMITER_ROW_RE.match(lines[i + 1])
            and "|" in lines[i + 1]
        ):
            cols = _columns(lines[i + 1])
            end = i + 2
            while end < len(lines) and lines[end].strip() and "|" in lines[end]:
                end += 1
            rows = end - i - 1  # the header and the body rows (not the delimiter row)
            before = cells
            cells += rows * cols
            if cols > MAX_TABLE_COLUMNS:
                problems.append(("table_too_wide", i, {"cols": cols, "limit": MAX_TABLE_COLUMNS}))
            elif before <= MAX_TABLE_CELLS < cells:
                args = {"rows": rows, "cols": cols, "cells": cells, "limit": MAX_TABLE_CELLS}
                problems.append(("table_too_big", i, args))
            para_chars = 0
            i = end
            continue
        if para_chars == 0 or _BLOCK_START_RE.match(line):
            para_start, para_chars = i, 0
        para_chars += len(line)
        if para_chars > MAX_PARAGRAPH_CHARS and reported != para_start:
            # the whole paragraph's length, for the message (it goes on past the limit)
            total, j = para_chars - len(line), i
            while j < len(lines) and lines[j].strip() and (j == i or not _BLOCK_START_RE.match(lines[j])):
                total += len(lines[j])
                j += 1
            args = {"chars": total, "limit": MAX_PARAGRAPH_CHARS}
            problems.append(("paragraph_too_long", para_start, args))
            reported = para_start
        i += 1
    return problems


# Front matter and issue.yaml texts: a real title has under 60 characters, a summary or author note a few
# hundred. A 100,000-character title took 237 s and 1.1 GB to build (it is one line of the PDF's headline
# and of every listing page).
MAX_SHORT_TEXT_CHARS = 200  # titles, subtitles, each author and tag
MAX_LONG_TEXT_CHARS = 5_000  # summary, author note, source, affiliation, epigraph
_SHORT_KEYS = frozenset({"title", "subtitle", "authors", "tags"})


def text_too_long(values: dict) -> list[tuple[str, int, int]]:
    """(key, characters, limit) for each text value (or list item) past its limit."""
    out: list[tuple[str, int, int]] = []
    for key, value in values.items():
        limit = MAX_SHORT_TEXT_CHARS if key in _SHORT_KEYS else MAX_LONG_TEXT_CHARS
        items = value if isinstance(value, (list, tuple)) else (value,)
        longest = max((len(v) for v in items if isinstance(v, str)), default=0)
        if longest > limit:
            out.append((key, longest, limit))
    return out
