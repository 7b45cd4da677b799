"""Headlines that break at phrase boundaries, in balanced lines (print titles and site titles).

WeasyPrint 70 has no ``text-wrap: balance`` and breaks Chinese between any two characters, so a long
title came out as ``…宣传贯 / 彻落实情况的``. Here a title is cut into phrases (words from a light
segmentation, ``rjieba``, with particles, punctuation and numbers kept with their neighbours); for print
the line breaks are chosen among the phrase boundaries so that the lines are as even as possible
(measured with :func:`bulletin.print.geometry.text_width_em`), and each phrase is kept on one line; the
site gets ``<wbr>`` at the boundaries for the browser's ``word-break: keep-all`` and
``text-wrap: balance``.

The segmenter is loaded only when a title is long enough to need it (its dictionary takes about half a
second to build).
"""

from __future__ import annotations

import html
import itertools
import math
import re
import unicodedata
from functools import lru_cache

from markupsafe import Markup

__all__ = ["text_em", "phrases", "balance", "print_title_html", "site_title_html", "print_lines"]

# Single characters that belong to the word before them (的 in 情况的报告, 上 in 山路上的).
_SUFFIXES = frozenset("的之地得了着过们等上中下里内外性化者式型级次年月日号届期")
# Marks that stay with what comes before them (closing punctuation, dashes, ellipses) or after (opening).
_CLOSING = frozenset("，。、；：？！”’）》】〉」』〕〗…—·%％‰,.;:?!)]}")
_OPENING = frozenset("“‘（《【〈「『〔〖([{")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_QUOTED = re.compile(r"“[^“”]{1,10}”|‘[^‘’]{1,10}’|《[^《》]{1,12}》|（[^（）]{1,10}）|\([^()]{1,10}\)")
BREAK_PENALTY_EM = 3.0
MAX_BALANCED_LINES = 4
# A title no longer than this (in em) is never segmented on the site: it fits a phone's line.
SITE_SHORT_EM = 8


def text_em(text: str) -> float:
    # the same estimate as bulletin.print.geometry.text_width_em (not imported: site code uses this too)
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


@lru_cache(maxsize=1)
def _segmenter():
    import rjieba

    return rjieba.Jieba()


# Titles already cut, by an earlier build (the site remembers them, site/render.py: building the
# segmenter's dictionary takes a few tenths of a second, more than rendering an edited article) or in
# this process; `learned` holds those cut here, for the caller to remember.
known: dict[str, tuple[str, ...]] = {}
learned: dict[str, tuple[str, ...]] = {}


def phrases(title: str) -> tuple[str, ...]:
    """``title`` cut into the pieces a line break may fall between; ``"".join`` gives it back."""
    found = known.get(title)
    if found is None:
        found = known[title] = learned[title] = _cut(title)
    return found


def _cut(title: str) -> tuple[str, ...]:
    words = [w for w in _segmenter().cut(title) if w]
    out: list[str] = []
    for word in words:
        if out and (
            word[0] in _CLOSING
            or out[-1][-1] in _OPENING
            or (len(word) == 1 and word in _SUFFIXES)
            or (out[-1][-1].isdigit() and (word[0].isdigit() or _HAN.match(word[0])))
            or (out[-1][-1].isascii() and out[-1][-1].isalnum() and word[0].isascii() and word[0].isalnum())
            or word.isspace()
        ):
            out[-1] += word
        else:
            out.append(word)
    # a single Han character left alone (a surname, a one-character word) goes with the next phrase
    merged: list[str] = []
    carry = ""
    for piece in out:
        piece = carry + piece
        carry = ""
        if len(piece) == 1 and _HAN.match(piece):
            carry = piece
            continue
        merged.append(piece)
    if carry:
        if merged:
            merged[-1] += carry
        else:
            merged.append(carry)
    # a short quotation or title in marks (“代表工作提质年”, 《条例》) is never broken
    inside = set()
    for m in _QUOTED.finditer(title):
        inside.update(range(m.start() + 1, m.end()))
    kept: list[str] = []
    at = 0
    for piece in merged:
        if kept and at in inside:
            kept[-1] += piece
        else:
            kept.append(piece)
        at += len(piece)
    return tuple(kept)


def balance(title: str, width_em: float) -> list[str]:
    """``title`` in as few lines as fit ``width_em``, broken at phrase boundaries, the lines as even as
    possible (the widest line as narrow as possible, then the least uneven). One line when it fits."""
    title = title.strip()
    if text_em(title) <= width_em:
        return [title]
    pieces = phrases(title)
    widths = [text_em(p) for p in pieces]
    n = len(pieces)
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)

    def width(i, j):  # pieces i..j-1 on one line (trailing spaces do not count)
        return prefix[j] - prefix[i] - (0.55 if pieces[j - 1].endswith(" ") else 0.0)

    lines_needed = max(2, math.ceil(prefix[-1] / width_em))
    # a break after punctuation (，、——, a closing quote) reads best: other breaks cost this many em
    penalty = [
        0.0
        if pieces[i - 1][-1] in _CLOSING or pieces[i][0] in _OPENING or pieces[i - 1].endswith(" ")
        else BREAK_PENALTY_EM
        for i in range(1, n)
    ]
    # (a title of more lines, or of very many phrases, is a paragraph pasted as a title: not balanced)
    last_count = min(n, MAX_BALANCED_LINES) if n <= 48 else 0
    for count in range(lines_needed, last_count + 1):
        best = None
        for cuts in itertools.combinations(range(1, n), count - 1):
            bounds = (0, *cuts, n)
            ws = [width(bounds[k], bounds[k + 1]) for k in range(count)]
            if any(w > width_em for w in ws):
                continue
            score = (max(ws) + sum(penalty[c - 1] for c in cuts), sum(w * w for w in ws))
            if best is None or score < best[0]:
                best = (score, bounds)
        if best is not None:
            bounds = best[1]
            return ["".join(pieces[bounds[k] : bounds[k + 1]]).strip() for k in range(count)]
    # longer than MAX_BALANCED_LINES lines (a paragraph pasted as a title): fill lines greedily
    lines, current = [], ""
    for piece in pieces:
        if current and text_em(current + piece) > width_em:
            lines.append(current.strip())
            current = ""
        current += piece
    lines.append(current.strip())
    return lines


def print_lines(title: str, width_em: float) -> int:
    """How many lines ``title`` takes in print at ``width_em`` em per line."""
    return len(balance(title, width_em))


def print_title_html(title: str, width_em: float) -> Markup:
    """HTML for a print title: balanced lines separated by ``<br>``, each phrase kept on its line
    (``<span class="nobr">``, white-space: nowrap) in case the estimate of the widths is off."""
    lines = balance(title, width_em)
    if len(lines) == 1:
        return Markup(html.escape(title.strip(), quote=False))
    parts = []
    for line in lines:
        parts.append(
            "".join(
                f'<span class="nobr">{html.escape(p, quote=False)}</span>'
                if len(p) > 1
                else html.escape(p, quote=False)
                for p in phrases(line)
            )
        )
    return Markup("<br>".join(parts))


def site_title_html(title: str) -> Markup:
    """HTML for a site title: ``<wbr>`` at phrase boundaries (the stylesheet sets ``word-break:
    keep-all``, so the browser breaks only there, and ``text-wrap: balance``)."""
    title = title.strip()
    if text_em(title) <= SITE_SHORT_EM:
        return Markup(html.escape(title, quote=False))
    return Markup("<wbr>".join(html.escape(p, quote=False) for p in phrases(title)))
