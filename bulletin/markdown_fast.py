"""A fast path for the plain Markdown most article bodies are made of, with markdown-it's exact output.

Most bodies hold only paragraphs, `#` headings, one-level lists, **bold** phrases and now and then
a `::: poem`. For those, `render_plain` builds the HTML markdown-it (configured as in bulletin.markdown)
would build, byte for byte, in a tenth of the time; for anything else it returns None and the caller
uses markdown-it. It only says yes when the answer is certain, so the rules below are narrower than
CommonMark's:

* No character that can start inline syntax we do not handle (`\\ ` _ [ ] < & ~`), no NUL, no
  whitespace other than the space and the line break (no tab, carriage return, U+3000…).
* Every line is blank, or a heading (`#`–`######`, one space, text without `#` and not ending in a
  space), or a list item (`- `, `+ `, `* ` or `1. `, then text), or `::: poem` / `:::`, or a paragraph
  line. Lines do not start or end with spaces. Text that starts a paragraph line or a list item starts
  with a character no block can start with: not ASCII punctuation (except `**` before a non-`*`), not
  digits followed by `.` or `)`.
* A paragraph runs to a blank line. A list item line is followed by another item of the same list or a
  blank line; after blank lines, an item of the same kind continues the list and makes it loose, one of
  another kind starts a new list. Items are one line each. Poems hold paragraphs only and end in `:::`.
* `*` only as `**` runs that alternate between one that can open and one that can close (markdown-it's
  own flanking rules decide; a run that could do both closes when an opener is pending, as markdown-it
  pairs them): each pair is one `<strong>`.

tests/test_markdown.py checks, on generated documents full of near misses, that whatever this accepts
renders exactly as markdown-it renders it, and that the bodies the benchmark and the sample use are
accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace

BRIEF_MARKS = ("●", "■", "◆", "▲", "★", "□")  # a paragraph starting with one is a brief (p.brief)


def paragraph_class(text: str, one_bold: Callable[[], bool]) -> str | None:
    """The house's paragraph rules, one table for this path and markdown-it's (bulletin.markdown): the
    class of a paragraph whose source is `text`, or None. `one_bold` says whether the paragraph is one bold
    phrase; each path decides that from what it has (its own scan here, the inline tokens there)."""
    if text.startswith(BRIEF_MARKS):
        return "brief"  # ● …: a brief
    if one_bold():
        return "bold-heading"  # **一、……**: a run-in heading of a speech
    return None


# Characters this path does not handle: inline syntax it leaves to markdown-it, NUL, and every whitespace
# character but the space and the line break (one character class: a regex alternation is far slower).
_OTHER_SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \n")
_REFUSED = re.compile("[\\\\`_\\[\\]<&~\\x00" + re.escape(_OTHER_SPACE) + "]")
_HEADING = re.compile(r"(#{1,6}) ([^#\s][^#]*)")
_BULLET = re.compile(r"([-+*]) (\S.*)")
_ORDERED = re.compile(r"([0-9]{1,9})([.)]) (\S.*)")
_DIGITS_MARKER = re.compile(r"[0-9]+[.)]")
_STARS = re.compile(r"\*+")
POEM_OPEN, POEM_CLOSE = "::: poem", ":::"


def _plain_start(text: str) -> bool:
    """Whether `text` (a paragraph line, a list item's text) can only be a paragraph's text."""
    c = text[0]
    if c == "*":
        return text.startswith("**") and len(text) > 2 and text[2] not in "* "
    if c.isdigit() and c.isascii():
        return _DIGITS_MARKER.match(text) is None
    return not isMdAsciiPunct(ord(c))


def _inline(text: str, hard_breaks: bool = False) -> str | None:
    """The HTML of a paragraph's, heading's or list item's text, or None when unsure."""
    breaks = "<br />\n" if hard_breaks else "\n"
    if "*" not in text:
        out = _escape(text)
        return out.replace("\n", breaks) if hard_breaks else out
    parts: list[str] = []
    pos = 0
    opening = True
    for m in _STARS.finditer(text):
        start, end = m.span()
        if end - start != 2:
            return None
        last = text[start - 1] if start > 0 else " "
        nxt = text[end] if end < len(text) else " "
        last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
        next_punct = isMdAsciiPunct(ord(nxt)) or isPunctChar(nxt)
        last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
        can_open = not (next_space or (next_punct and not (last_space or last_punct)))
        can_close = not (last_space or (last_punct and not (next_space or next_punct)))
        if not (can_open if opening else can_close):
            return None  # an opener where a closer is due or the reverse: nested or literal stars
        parts.append(_escape(text[pos:start]))
        parts.append("<strong>" if opening else "</strong>")
        pos = end
        opening = not opening
    if not opening:
        return None
    parts.append(_escape(text[pos:]))
    out = "".join(parts)
    return out.replace("\n", breaks) if hard_breaks else out


def _escape(text: str) -> str:
    """markdown-it's escapeHtml, for text without & or < (refused before): only > and " to escape."""
    return escapeHtml(text) if ">" in text or '"' in text else text


def _paragraph(lines: list[str], hard_breaks: bool) -> str | None:
    text = "\n".join(lines)
    inner = _inline(text, hard_breaks)
    if inner is None:
        return None
    cls = paragraph_class(
        text, lambda: text.startswith("**") and text.endswith("**") and text.count("**") == 2
    )
    return f'<p class="{cls}">{inner}</p>\n' if cls else f"<p>{inner}</p>\n"


def _kind(line: str) -> str:
    if not line:
        return "blank"
    if line[0] == " " or line[-1] == " ":
        return "?"
    if not line[0].isascii():
        return "text"  # most lines: Chinese text (other whitespace was refused before)
    if line == POEM_OPEN:
        return "poem"
    if line == POEM_CLOSE:
        return "close"
    if line[0] == "#":
        return "heading" if _HEADING.fullmatch(line) else "?"
    m = _BULLET.fullmatch(line) or _ORDERED.fullmatch(line)
    if m is not None:
        return "item" if _plain_start(m.group(m.lastindex)) else "?"
    return "text" if _plain_start(line) else "?"


def render_plain(markdown: str) -> str | None:
    """The body's HTML when it is plain enough to be certain of markdown-it's output, else None."""
    if _REFUSED.search(markdown):
        return None
    lines = markdown.split("\n")
    kinds = [_kind(line) for line in lines]
    if "?" in kinds:
        return None
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        kind = kinds[i]
        if kind == "blank":
            i += 1
            continue
        if kind == "heading":
            m = _HEADING.fullmatch(lines[i])
            assert m is not None
            inner = _inline(m.group(2))
            if inner is None:
                return None
            level = len(m.group(1))
            out.append(f"<h{level}>{inner}</h{level}>\n")
            i += 1
        elif kind == "text":
            j = i
            while j < n and kinds[j] == "text":
                j += 1
            if j < n and kinds[j] != "blank":
                return None  # something interrupts the paragraph: markdown-it's rules decide
            p = _paragraph(lines[i:j], False)
            if p is None:
                return None
            out.append(p)
            i = j
        elif kind == "item":
            made = _list(lines, kinds, i)
            if made is None:
                return None
            i, html, _kind_of_list = made
            out.append(html)
        elif kind == "close":
            return None  # a container end outside a poem
        elif kind == "poem":
            j = i + 1
            while j < n and lines[j] != POEM_CLOSE:
                j += 1
            if j >= n or any(k not in ("text", "blank") for k in kinds[i + 1 : j]):
                return None
            parts = ['<div class="poem">\n']
            k = i + 1
            while k < j:
                if kinds[k] == "blank":
                    k += 1
                    continue
                e = k
                while e < j and kinds[e] == "text":
                    e += 1
                p = _paragraph(lines[k:e], True)
                if p is None:
                    return None
                parts.append(p)
                k = e
            parts.append("</div>\n")
            out.append("".join(parts))
            i = j + 1
            if i < n and kinds[i] != "blank":
                return None
    return "".join(out)


def _list(lines: list[str], kinds: list[str], i: int) -> tuple[int, str, tuple[bool, str]] | None:
    """The list starting at line i: (the line after its last item, its HTML, its kind), or None. A list's
    kind is (ordered, its marker or delimiter): after blank lines, an item of the same kind continues the
    list and makes it loose (each item a paragraph), another kind starts a new list."""
    first = _BULLET.fullmatch(lines[i])
    ordered = first is None
    if ordered:
        first = _ORDERED.fullmatch(lines[i])
        assert first is not None
        marker = first.group(2)
        start = int(first.group(1))
        head = "<ol>\n" if start == 1 else f'<ol start="{start}">\n'
    else:
        marker = first.group(1)
        head = "<ul>\n"
    texts: list[str] = []
    loose = False
    n = len(lines)
    j = i
    while True:
        while j < n and kinds[j] == "item":
            m = _ORDERED.fullmatch(lines[j]) if ordered else _BULLET.fullmatch(lines[j])
            if m is None or (m.group(2) if ordered else m.group(1)) != marker:
                return None  # another kind of list right after this one
            texts.append(m.group(m.lastindex))
            j += 1
        if j < n and kinds[j] != "blank":
            return None  # a lazy continuation line or a block right after an item
        k = j
        while k < n and kinds[k] == "blank":
            k += 1
        if k < n and kinds[k] == "item":
            m = _ORDERED.fullmatch(lines[k]) if ordered else _BULLET.fullmatch(lines[k])
            if m is not None and (m.group(2) if ordered else m.group(1)) == marker:
                loose = True  # the same list goes on after blank lines
                j = k
                continue
        break
    parts = [head]
    for text in texts:
        if loose:
            p = _paragraph([text], False)
            if p is None:
                return None
            parts.append(f"<li>\n{p}</li>\n")
        else:
            inner = _inline(text)
            if inner is None:
                return None
            parts.append(f"<li>{inner}</li>\n")
    parts.append("</ol>\n" if ordered else "</ul>\n")
    return j, "".join(parts), (ordered, marker)
