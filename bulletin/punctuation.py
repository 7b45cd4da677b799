"""Punctuation in Chinese text (GB/T 15834-2011): half-width marks found and corrected.

Text pasted from WeChat or Word often carries ASCII marks between Chinese characters: `他说:"好,我们
(一期)1-8月..."`. A Chinese typesetter sets them full-width: `他说：“好，我们（一期）1—8月……”`.
This module finds them and says what they should be, for three callers: the loader (a warning per mark,
`check`), `bulletin fix` (rewrites the sources) and rendering (the site and the PDF show full-width marks
even when the source was not fixed, unless the publication says `typography: {punctuation: keep}`).

What is changed, only in a Chinese context (a Han character or a full-width mark next to the mark,
spaces skipped on the outer side):

* `, ; : ! ?` → `，；：！？`; a run such as `?!` is decided as one.
* `( )` → `（ ）`, as pairs (and a lone one next to Chinese).
* straight quotes → “ ” and ‘ ’, paired from their neighbours and nesting: a double quote inside another
  quotation becomes ‘ ’ (GB/T 15834 4.1.3: double outside, single inside).
* `.` → `。` only where a sentence certainly ends: after a Han character or a closing full-width mark,
  at the end of the line, before a space or before Chinese (`通知.docx` stays); after a number only when
  Chinese comes right before the number and the line or the Chinese text goes on (`增长12%.`).
* `...`, `。。。` and a lone `…` → `……`; `--` → `——`.
* number ranges before a unit, `1-8月`, `1~8月`, `3月1日-5日` → the publication's range mark (`—` by
  default; GB/T 15834 also allows `～` and the hyphen).
* spaces next to a corrected mark are removed (full-width marks carry their own space), except at the
  start and end of a line (Markdown's hard break is two spaces at a line end).

Never changed: Latin-only text and English sentences (`Hello, world.`), numbers (`1,000`, `3.5%`,
`10:30`, `2026-01-05`, phone numbers), web and e-mail addresses; in Markdown also code spans and blocks,
raw HTML, link and image targets, footnote labels, list markers (`1.`, `1)`) and other syntax.

Corrections never add or remove a line break, so a change's line in the corrected text is its line in
the source. `needs_fix` is a quick test the callers use first: when it says no, nothing here would change
the text (tests/test_punctuation.py checks this on generated text), and a body without a half-width mark
next to Chinese costs one regular-expression search.

Why not autocorrect-py (the CJK copywriting linter): configured for Chinese official style (its spacing
rules off) it converts only `, . : ? !`, and only some of those (`他说:"好!"` keeps both marks); it
leaves `; ( )`, quotes, ranges, `...` and `--` alone and adds a compiled dependency. The rules here are
GB/T 15834's, with the protections a Markdown source needs. zhon's character classes are a few Unicode
ranges, written out below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RANGE_MARKS = ("—", "～", "-")  # 一字线 (default), 浪纹线, 短横线 (GB/T 15834-2011 4.13)

# --- character classes -------------------------------------------------------------------------------

_HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Chinese context: Han characters, CJK symbols and punctuation, full-width forms, and the general
# punctuation Chinese text uses (curly quotes, ellipsis, em dash, middle dot).
_CJK_RANGES = _HAN_RANGES + "\u3000-\u303f\uff01-\uff60\uffe0-\uffe6" + "‘’“”…—·"
_HAN_RE = re.compile(f"[{_HAN_RANGES}]")
_CJK_RE = re.compile(f"[{_CJK_RANGES}]")

# Measure words and units a number range stands before: 1-8月, 3-5名, 10-20万元, 5%-8%.
_UNITS = (
    "年月日号时点分秒周天旬期次届轮个名人位家户项条款页章节版册卷篇部元角万亿千百米里克吨亩度倍岁层栋座"
    "所件台辆套批份场门批班组村镇乡县区市省国种类道处代"
)
_UNIT_CHARS = _UNITS + "%‰℃"

# The quick test. Every rule needs a half-width mark touching Chinese (spaces and Markdown's `*`, `_`,
# `[`, `]`, `(…)` and `[^1]` between them allowed), a number's full stop before Chinese or a line end, a
# number range, or 。。。. Most marks are rare in Chinese text: a body without any of them is tested for
# `.` and `-` only, with patterns that start with the mark (the regex engine then skips to each one).
_RARE = ",;:!?()\"'~\u2026\u2013"
_MARKS = _RARE + ".\\-"
# (each alternative starts with its own character and ends at a fixed place, so a long run of them is
# matched in one way only: `\[\^?[^\]\s]*\]` read `[^1]` two ways, and 30 in a row took minutes)
_GAP_BEFORE = r"(?:[ \t*_\]]|\[[^\]\s]*\]|\([^()\s]*\))*"
_GAP_AFTER = r"[ \t*_\[!]*"
_NEEDS_FIX = re.compile(
    f"[{_CJK_RANGES}]{_GAP_BEFORE}[{_MARKS}]|(?:[{_RARE}]|\\.\\.\\.|--){_GAP_AFTER}[{_CJK_RANGES}]"
    f"|\\.(?:$|[{_CJK_RANGES}])|[%‰]\\.[0-9]|。。。|[{_HAN_RANGES}][0-9.,%‰]*[0-9%‰][,;:!?]$"
    f"|[0-9]:[0-5][0-9][ \\t]?[-~\u2013]"
    f"|[0-9][%‰]?[ \\t]?[-~\u2013][ \\t]?[0-9.]*[{_UNIT_CHARS}]",
    re.M,
)

NEUTRAL = "\ue000"  # a protected span that reads as Latin text (code, a web address)
TRANSPARENT = "\ue001"  # a protected span the rules look through (Markdown link syntax, HTML tags)
_SKIP = (TRANSPARENT, "*", "_")  # looked through when finding a mark's neighbours
_SPACE = " \t"
_BREAK = "\n\r"

_OPENERS = "([{（【《〈「『“‘〔"  # after these a quote opens
_CLOSERS = ")]}）】》〉」』”’〕"  # before these a quote closes
_AFTER_OPEN = _OPENERS + ":：,，、;；—"  # a quote after these opens
_BEFORE_CLOSE = _CLOSERS + ",，。.、;；:：!！?？…—"  # a quote before these closes
_CLOSING_FULL = "”’）》】」』〕"


def is_han(c: str) -> bool:
    return bool(c) and _HAN_RE.match(c) is not None


def _cjk(c: str) -> bool:
    return bool(c) and _CJK_RE.match(c) is not None


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def needs_fix(text: str) -> bool:
    """Whether `text` may hold a half-width mark in Chinese context. False means `fix_text` and
    `fix_markdown` leave it unchanged; True may be a false alarm."""
    for c in _RARE:
        if c in text:
            return _NEEDS_FIX.search(text) is not None
    if "。。。" in text:
        return True
    return _stop_or_range(text, ".") or _stop_or_range(text, "-")


def _stop_or_range(text: str, mark: str) -> bool:
    """Whether a `.` may end a Chinese sentence (after Chinese or Markdown syntax, after a number
    before Chinese or a line end), or a `-` may join a number range (`1-8月`, `1 - 8月`, `3月1日-5日`)."""
    i = text.find(mark)
    n = len(text)
    while i >= 0:
        p = text[i - 1] if i else ""
        q = text[i + 1] if i + 1 < n else ""
        if q == mark:
            return True  # ... and --
        if mark == ".":
            if p and (p in "*_])" or _cjk(p)):
                return True
            if q in ("", "\n", "\r") or _cjk(q):  # after a number, an address, code…
                return True
            if p and p in "%‰" and q.isdigit():
                return True
        elif p and (p.isdigit() or p in "%‰年月日号时 \t"):
            return True
        i = text.find(mark, i + 1)
    return False


# --- protected spans ---------------------------------------------------------------------------------

_URL_CHARS = r"[^\s<>\"'`" + _CJK_RANGES + "]"
_URL = (
    r"(?P<url>(?:[a-zA-Z][a-zA-Z0-9+.-]{1,20}://|mailto:|www\.)" + _URL_CHARS + "+)"
    # (an address and a domain start where their run of letters starts, each run read once: tried at each
    # of its characters, a run of 10,000 hyphens took seconds)
    r"|(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    # the internationalised domains of Chinese government and public bodies: 青川人大.政务
    f"|(?P<idn>(?<![A-Za-z0-9{_HAN_RANGES}-])(?<![A-Za-z0-9{_HAN_RANGES}-]\\.)[A-Za-z0-9{_HAN_RANGES}-]++(?:\\.[A-Za-z0-9{_HAN_RANGES}-]++)*"
    f"\\.(?:政务|公益)(?![{_HAN_RANGES}]))"
    f"|(?P<pua>[{NEUTRAL}{TRANSPARENT}])"  # our placeholders, should the text hold them
)
_URL_TRAIL = ".,;:!?'\")"


def _url_end(text: str, start: int, end: int) -> int:
    """A web address does not end in punctuation (GitHub's autolink rule): `见https://a.cn/x.` ends
    before the full stop, `(见https://a.cn/x)` before the parenthesis unless the address opened one."""
    while end > start and text[end - 1] in _URL_TRAIL:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


_MD_INLINE = (
    # a code span: a whole run of backticks to the next run of as many (CommonMark); a run is taken whole,
    # so an unclosed run of n backticks costs n steps, not n³ (1,000 took 24 s)
    r"(?P<code>(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\2(?!`))"
    r"|(?P<autolink><(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>)"
    r"|(?P<html><!--[\s\S]*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<target>\]\((?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\))"
    r"|(?P<ref>\]\[[^\[\]\n]*\]|\[\^[^\]\s]+\])"
    r"|(?P<bracket>!\[|[\[\]])"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
)
_PROTECT_TEXT = re.compile(_URL)
_PROTECT_MARKDOWN = re.compile(_MD_INLINE + "|" + _URL)
_NEUTRAL_KINDS = frozenset({"code", "autolink", "escape", "entity", "url", "email", "idn", "pua"})


def _protect(text: str, markdown: bool) -> tuple[str, list[str]]:
    """`text` with each protected span replaced by one placeholder character, and the spans in order."""
    spans: list[str] = []
    out: list[str] = []
    pos = 0
    for m in (_PROTECT_MARKDOWN if markdown else _PROTECT_TEXT).finditer(text):
        kind = m.lastgroup
        start, end = m.start(), m.end()
        if kind == "url":
            end = _url_end(text, start, end)
        out.append(text[pos:start])
        spans.append(text[start:end])
        out.append(NEUTRAL if kind in _NEUTRAL_KINDS else TRANSPARENT)
        pos = end
    out.append(text[pos:])
    return "".join(out), spans


def _restore(view: str, spans: list[str]) -> str:
    if not spans:
        return view
    it = iter(spans)
    return re.sub(f"[{NEUTRAL}{TRANSPARENT}]", lambda _m: next(it), view)


# --- the rules ---------------------------------------------------------------------------------------


class _Text:
    """One paragraph being corrected: a list of characters, and which of them were changed."""

    def __init__(self, view: str) -> None:
        self.c = list(view)
        self.changed = [False] * len(self.c)

    def set(self, i: int, ch: str) -> None:
        if self.c[i] != ch:
            self.c[i] = ch
            self.changed[i] = True

    def prev(self, i: int, spaces: bool = False) -> str:
        """The character before i, looking through Markdown syntax (and spaces if `spaces`)."""
        c = self.c
        i -= 1
        while i >= 0 and (c[i] in _SKIP or (spaces and c[i] in _SPACE)):
            i -= 1
        return c[i] if i >= 0 else ""

    def next(self, i: int, spaces: bool = False) -> str:
        c = self.c
        i += 1
        n = len(c)
        while i < n and (c[i] in _SKIP or (spaces and c[i] in _SPACE)):
            i += 1
        return c[i] if i < n else ""

    def text(self) -> str:
        return "".join(self.c)


def _fix_view(view: str, range_mark: str) -> str:
    """Apply every rule until nothing changes (a mark corrected may make its neighbour Chinese context:
    `(一期),` → `（一期）,` → `（一期），`)."""
    for _ in range(6):
        new = _one_pass(view, range_mark)
        if new == view:
            return new
        view = new
    return view


_MULTI = re.compile(r"\.{3,}|。{3,}|(?<!…)…(?!…)|(?<!-)-{2,3}(?!-)")
_RANGE = re.compile(
    r"(?:(?<![0-9.,:/\-~\u2013A-Za-z])[0-9]{1,4}(?:\.[0-9]+)?[%‰]?|(?<=[0-9])[年月日号时])"
    r"([ \t]?[-~\u2013][ \t]?)"
    rf"(?=[0-9]{{1,4}}(?:\.[0-9]+)?[%‰]?(?:[{_UNIT_CHARS}]))"
)
_TIME_RANGE = re.compile(
    r"(?<![0-9:.])([0-2]?[0-9]:[0-5][0-9])([ \t]?[-~\u2013][ \t]?)([0-2]?[0-9]:[0-5][0-9])(?![0-9:])"
)
_RANGE_UNIT = re.compile(rf"[0-9]{{1,4}}(?:\.[0-9]+)?([%‰]?)([{_UNIT_CHARS}])?")


def _before(view: str, i: int) -> str:
    """The character before i, looking through spaces and Markdown syntax."""
    i -= 1
    while i >= 0 and (view[i] in _SKIP or view[i] in _SPACE):
        i -= 1
    return view[i] if i >= 0 else ""


def _after(view: str, i: int) -> str:
    n = len(view)
    while i < n and (view[i] in _SKIP or view[i] in _SPACE):
        i += 1
    return view[i] if i < n else ""


def _one_pass(view: str, range_mark: str) -> str:
    # multi-character marks first: ..., 。。。, …, --
    def multi(m: re.Match) -> str:
        s = m.group()
        if s[0] == "。" or _cjk(_before(view, m.start())) or _cjk(_after(view, m.end())):
            return "——" if s[0] == "-" else "……"
        return s

    def number_range(m: re.Match) -> str:
        start, end = m.span(1)
        unit = _RANGE_UNIT.match(view, end).group(2) or ""
        # 5%-8% is a range in Chinese text only (增长5%-8%), not in an English one
        if not is_han(unit) and not is_han(_before(view, m.start())):
            return m.group()
        return view[m.start() : start] + range_mark

    def time_range(m: re.Match) -> str:
        if is_han(_before(view, m.start())) or is_han(_after(view, m.end())):
            return m.group(1) + range_mark + m.group(3)
        return m.group()

    if "..." in view or "。。。" in view or "…" in view or "--" in view:
        view = _MULTI.sub(multi, view)
    if range_mark != "-" or "~" in view or "\u2013" in view:
        view = _RANGE.sub(number_range, view)
        if ":" in view:
            view = _TIME_RANGE.sub(time_range, view)

    t = _Text(view)
    _brackets(t)
    _quotes(t)
    _simple_marks(t)
    _full_stops(t)
    return _drop_spaces(t)


def _brackets(t: _Text) -> None:
    c = t.c
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    lone: list[int] = []
    for i, ch in enumerate(c):
        if ch in "(（":
            stack.append(i)
        elif ch in ")）":
            if stack:
                pairs.append((stack.pop(), i))
            elif ch == ")":
                lone.append(i)
    lone.extend(i for i in stack if c[i] == "(")
    for o, e in pairs:
        if c[o] == "(" or c[e] == ")":
            near = (t.prev(o, True), t.next(o), t.prev(e), t.next(e, True))
            if "（" in (c[o], c[e]) or any(_cjk(x) for x in near):
                t.set(o, "（")
                t.set(e, "）")
    for i in lone:
        if _cjk(t.prev(i, c[i] == "(")) or _cjk(t.next(i, c[i] == ")")):
            t.set(i, "（" if c[i] == "(" else "）")


def _quote_role(t: _Text, i: int) -> tuple[bool, bool]:
    """(may open, may close) for the straight quote at i, from its neighbours."""
    p, n = t.prev(i), t.next(i)
    opens = p == "" or p in _SPACE or p in _BREAK or p in _AFTER_OPEN
    closes = n == "" or n in _SPACE or n in _BREAK or n in _BEFORE_CLOSE
    return opens, closes


def _quotes(t: _Text) -> None:
    c = t.c
    if '"' not in c and "'" not in c:
        return
    # (index, kind, clearly opens): kind "d" double, "s" single; curly doubles take part in the nesting
    stack: list[tuple[int, str, bool]] = []
    pairs: list[tuple[int, int, int]] = []  # (open, close, depth)
    lone: list[int] = []
    for i, ch in enumerate(c):
        if ch == "“":
            stack.append((i, "d", True))
        elif ch == "”":
            if stack and stack[-1][1] == "d":
                o = stack.pop()[0]
                pairs.append((o, i, len(stack)))
        elif ch == '"' or (ch == "'" and not (_latin(t.prev(i)) and _latin(t.next(i)))):
            kind = "d" if ch == '"' else "s"
            opens, closes = _quote_role(t, i)
            top = stack[-1][1] if stack else None
            if closes and not opens:
                close = top == kind
            elif opens and not closes:
                close = False
            else:  # between two Han characters, say: close a straight quote, open inside a curly one
                close = top == kind and c[stack[-1][0]] in "\"'"
            if close:
                o = stack.pop()[0]
                pairs.append((o, i, len(stack)))
            elif opens or not closes:
                stack.append((i, kind, opens))
            elif ch == '"':
                lone.append(i)
    for o, e, depth in pairs:
        if c[o] not in "\"'" and c[e] not in "\"'":
            continue
        near = (t.prev(o, True), t.next(o), t.prev(e), t.next(e, True))
        if c[o] == "“" or c[e] == "”" or any(_cjk(x) for x in near):
            single = c[o] == "'" or depth % 2 == 1
            t.set(o, "‘" if single else "“")
            t.set(e, "’" if single else "”")
    # a double quote left open, next to Chinese: a quotation of several paragraphs opens each one
    for i, kind, opens in stack:
        if kind == "d" and opens and c[i] == '"' and is_han(t.next(i)):
            t.set(i, "“")
    for i in lone:
        if is_han(t.prev(i)):
            t.set(i, "”")


def _simple_marks(t: _Text) -> None:
    c = t.c
    full = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
    i, n = 0, len(c)
    while i < n:
        ch = c[i]
        if ch not in full:
            i += 1
            continue
        j = i
        if ch in "!?":
            while j + 1 < n and c[j + 1] in "!?":
                j += 1
        before, after = t.prev(i), t.next(j, True)
        if _cjk(before) or _cjk(after) or (t.next(j) in ("", "\n", "\r") and _after_chinese_number(c, i)):
            for k in range(i, j + 1):
                t.set(k, full[c[k]])
        i = j + 1


def _after_chinese_number(c: list[str], i: int) -> bool:
    """Whether c[i] follows a number (3.5, 1,200, 30%) that follows a Han character: 增长30%; at a line
    end is the end of a Chinese clause."""
    k = i - 1
    if k < 0 or not (_digit(c[k]) or c[k] in "%‰"):
        return False
    while k >= 0 and (_digit(c[k]) or c[k] in ".,%‰" or c[k] in _SKIP):
        k -= 1
    return k >= 0 and is_han(c[k])


def _digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _full_stops(t: _Text) -> None:
    c = t.c
    n = len(c)
    for i, ch in enumerate(c):
        if ch != "." or (i and c[i - 1] == ".") or (i + 1 < n and c[i + 1] == "."):
            continue
        p = t.prev(i)
        nxt = t.next(i)
        if not p:
            continue
        if is_han(p) or p in _CLOSING_FULL:
            if nxt == "" or nxt in _SPACE or nxt in _BREAK or _cjk(nxt) or nxt in "\"'":
                t.set(i, "。")
        elif p == NEUTRAL and c[i - 1] == NEUTRAL and (nxt == "" or nxt in _BREAK or is_han(nxt)):
            # 请发邮件到qcrd@example.cn. — after an address (which never ends in a full stop) or code
            # that Chinese text comes before
            if _cjk(t.prev(i - 1, True)):
                t.set(i, "。")
        elif nxt == "" or nxt in _BREAK or is_han(nxt) or (c[i - 1] in "%‰" and _digit(nxt)):
            # 增长12%. — a number whose sentence is Chinese, before a line end or Chinese (or a number
            # after a per cent sign: 91.5%.9月 — a decimal point never follows %)
            if _after_chinese_number(c, i):
                t.set(i, "。")


def _drop_spaces(t: _Text) -> str:
    c, changed = t.c, t.changed
    if not any(changed):
        return "".join(c)
    drop = [False] * len(c)
    n = len(c)
    for i in range(n):
        if not changed[i]:
            continue
        # spaces after the mark, when something other than a line end follows them
        j = i + 1
        while j < n and c[j] in _SPACE:
            j += 1
        if j > i + 1 and j < n and c[j] not in _BREAK:
            for k in range(i + 1, j):
                drop[k] = True
        # and before it, when it is not the start of the line
        j = i - 1
        while j >= 0 and c[j] in _SPACE:
            j -= 1
        if j < i - 1 and j >= 0 and c[j] not in _BREAK:
            for k in range(j + 1, i):
                drop[k] = True
    return "".join(ch for ch, d in zip(c, drop, strict=True) if not d)


# --- public functions --------------------------------------------------------------------------------


def fix_text(text: str, range_mark: str = "—") -> str:
    """Plain text (a title, a YAML value) with its half-width marks in Chinese context corrected."""
    if not text or not needs_fix(text):
        return text
    view, spans = _protect(text, markdown=False)
    return _restore(_fix_view(view, range_mark), spans)


# Block syntax at the start of a line, kept as it is: blockquote markers, list markers (one or two
# levels), ATX heading marks, footnote labels, table pipes are not marks.
_LINE_PREFIX = re.compile(
    r"[ \t]*(?:>[ \t]?)*[ \t]*"
    r"(?:(?:[-+*]|[0-9]{1,9}[.)])(?=[ \t]|$)[ \t]*(?:(?:[-+*]|[0-9]{1,9}[.)])(?=[ \t]|$)[ \t]*)?"
    r"|#{1,6}(?=[ \t]|$)[ \t]*|\[\^[^\]\s]+\]:[ \t]*)?"
)
_LINK_DEFINITION = re.compile(r"[ \t]{0,3}\[(?!\^)[^\]]+\]:[ \t]*\S")
_BLOCK_START = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:[-+*][ \t]|[0-9]{1,9}[.)][ \t]|#|\||:::|\[\^)")
_ONE_LINE_BLOCK = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:#|\||:::)")
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")


def fix_markdown(markdown: str, range_mark: str = "—") -> str:
    """A Markdown body with the half-width marks of its text corrected; code, raw HTML, link targets
    and block syntax untouched. Never adds or removes a line."""
    if not needs_fix(markdown):
        return markdown
    lines = markdown.split("\n")
    verbatim = _verbatim_lines(markdown, lines)
    out = list(lines)
    unit: list[int] = []  # the lines of one paragraph

    def flush() -> None:
        if not unit:
            return
        prefixes = []
        texts = []
        for n in unit:
            line = lines[n]
            m = _LINE_PREFIX.match(line)
            cut = m.end() if m else 0
            prefixes.append(line[:cut])
            texts.append(line[cut:])
        joined = "\n".join(texts)
        if needs_fix(joined):
            view, spans = _protect(joined, markdown=True)
            fixed = _restore(_fix_view(view, range_mark), spans).split("\n")
            if len(fixed) == len(unit):  # always: the rules never touch a line break
                for n, prefix, text in zip(unit, prefixes, fixed, strict=True):
                    out[n] = prefix + text
        unit.clear()

    for n, line in enumerate(lines):
        if n in verbatim or not line.strip() or _LINK_DEFINITION.match(line):
            flush()
            continue
        if _BLOCK_START.match(line):
            flush()
        unit.append(n)
        if _ONE_LINE_BLOCK.match(line):  # a heading or a table row is a paragraph of its own
            flush()
    flush()
    return "\n".join(out)


def _verbatim_lines(markdown: str, lines: list[str]) -> set[int]:
    """Lines of code blocks, fenced code and raw HTML blocks, as markdown-it (our parser) sees them;
    fences by their own markers too, so an unclosed fence protects the rest of the body."""
    from bulletin.markdown_blocks import verbatim_line_ranges  # markdown-it only for bodies with marks to fix

    skip: set[int] = set()
    for start, end in verbatim_line_ranges(markdown):
        skip.update(range(start, end))
    fence = None
    for n, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            skip.add(n)
        elif fence is not None:
            skip.add(n)
            closing = m.group(1) if m else ""
            if closing[:1] == fence[0] and len(closing) >= len(fence) and not line[m.end() :].strip():
                fence = None
    return skip


# The front-matter values that are prose: corrected by `bulletin fix`, checked, and typeset.
PROSE_KEYS = ("title", "subtitle", "summary", "author_note")
_FM_LINE = re.compile(r"^(?P<key>[A-Za-z_]+)(?P<sep>[ \t]*:[ \t]+)(?P<value>.*?)(?P<end>[ \t]*)$")


def fix_front_matter(front: str, range_mark: str = "—", keys: tuple[str, ...] = PROSE_KEYS) -> str:
    """YAML front matter with the one-line values of `keys` corrected; keys, quoting, comments and
    every other line as they were. A value that is not one plain, "double" or 'single' quoted line
    (block scalars, escapes, comments after it) is left alone."""
    lines = front.split("\n")
    for n, line in enumerate(lines):
        m = _FM_LINE.match(line)
        if not m or m.group("key") not in keys:
            continue
        value = m.group("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            inner = value[1:-1]
            if "\\" in inner or value[0] in inner:  # escapes, '' — leave them to the editor
                continue
            new = value[0] + fix_text(inner, range_mark) + value[0]
        elif value and value[0] not in "\"'[{|>&*!%@`#" and " #" not in value and "\t#" not in value:
            new = fix_text(value, range_mark)
        else:
            continue
        lines[n] = line[: m.start("value")] + new + line[m.end("value") :]
    return "\n".join(lines)


@dataclass(frozen=True)
class Change:
    """One correction: where (1-based line and column in the source), what was there, what it becomes,
    and the corrected text around it."""

    line: int
    column: int
    old: str
    new: str
    context: str


def changes(old: str, new: str, first_line: int = 1) -> list[Change]:
    """The corrections that turn `old` into `new` (same number of lines), line by line."""
    out: list[Change] = []
    if old == new:
        return out
    for n, (a, b) in enumerate(zip(old.split("\n"), new.split("\n"), strict=True)):
        if a == b:
            continue
        merged: list[list[int]] = []
        for i1, i2, j1, j2 in _align(a, b):
            # a space dropped next to a mark belongs to the mark: one change, not two
            if merged and not a[merged[-1][1] : i1].strip(_SPACE) and merged[-1][3] == j1:
                merged[-1][1], merged[-1][3] = i2, j2
            else:
                merged.append([i1, i2, j1, j2])
        for i1, i2, j1, j2 in merged:
            lo, hi = max(0, j1 - 8), min(len(b), j2 + 8)
            context = ("…" if lo else "") + b[lo:hi] + ("…" if hi < len(b) else "")
            out.append(Change(first_line + n, i1 + 1, a[i1:i2], b[j1:j2], context))
    return out


_REACH = 8  # the longest change on either side (`1 - 8` → `1—8`, `...` → `……`, spaces)


def _align(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """The differing stretches (a[i1:i2] → b[j1:j2]) of a line and its correction, in linear time.
    A correction changes a few characters at a time and never into a character it had (`,` → `，`), so
    after each difference the lines agree again at the nearest common character; difflib's general
    matcher is quadratic on a long pasted line (minutes for one of 30,000 characters)."""
    ops: list[tuple[int, int, int, int]] = []
    i = j = 0
    la, lb = len(a), len(b)
    while i < la or j < lb:
        if i < la and j < lb and a[i] == b[j]:
            i += 1
            j += 1
            continue
        found = (la, lb)
        for total in range(1, 2 * _REACH + 1):
            hit = next(
                (
                    (i + di, j + total - di)
                    for di in range(max(0, total - _REACH), min(total, _REACH) + 1)
                    if (i + di == la and j + total - di == lb)
                    or (i + di < la and j + total - di < lb and a[i + di] == b[j + total - di])
                ),
                None,
            )
            if hit:
                found = hit
                break
        ops.append((i, found[0], j, found[1]))
        i, j = found
    return ops


# --- the model as it is typeset ----------------------------------------------------------------------


_ARTICLE_TEXTS = ("title", "subtitle", "summary", "author_note", "source")


def typeset_archive(archive):
    """`archive` with the half-width marks of its short texts set full-width when the publication says
    `typography.punctuation: fix`: article titles, subtitles, summaries, author notes and sources, issue
    themes and epigraphs, and the publication's description, distribution, notice and imprint, so that
    lists, feeds, search, the PDF's contents and running heads show them as the article page does.
    Bodies are corrected where they are rendered (bulletin.markdown.render_body). Unchanged objects are
    kept, so an archive without half-width marks comes back as it went in."""
    import dataclasses

    from bulletin.model import Article

    pub = archive.publication
    mark = pub.typography.render_range_mark
    if mark is None:
        return archive

    def fixed(obj, names):
        texts = [getattr(obj, n) for n in names]
        if not needs_fix("\n".join(texts)):
            return obj
        changes = {n: fix_text(v, mark) for n, v in zip(names, texts, strict=True)}
        changes = {n: v for n, v in changes.items() if v != getattr(obj, n)}
        if not changes:
            return obj
        # an article's own replace does not read a body the load cache has not read (model.Article)
        return obj.replace(**changes) if isinstance(obj, Article) else dataclasses.replace(obj, **changes)

    new_pub = fixed(pub, ("description", "distribution", "notice"))
    new_print = fixed(pub.print, ("imprint",))
    if new_print is not pub.print:
        new_pub = dataclasses.replace(new_pub, print=new_print)
    issues = []
    for issue in archive.issues:
        articles = tuple(fixed(a, _ARTICLE_TEXTS) for a in issue.articles)
        new = issue
        if any(x is not y for x, y in zip(articles, issue.articles, strict=True)):
            new = dataclasses.replace(new, articles=articles)
        new = fixed(new, ("title",))
        if new.epigraph is not None:
            epigraph = fixed(new.epigraph, ("text", "source"))
            if epigraph is not new.epigraph:
                new = dataclasses.replace(new, epigraph=epigraph)
        issues.append(new)
    if new_pub is pub and all(x is y for x, y in zip(issues, archive.issues, strict=True)):
        return archive
    return dataclasses.replace(archive, publication=new_pub, issues=tuple(issues))
