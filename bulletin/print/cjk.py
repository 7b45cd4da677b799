"""Chinese (CJK) typesetting for the print PDF: justification, kinsoku and punctuation compression.

WeasyPrint 70's ``text-align: justify`` only stretches U+0020/U+00A0, so Chinese paragraphs come out
ragged. This module fixes that in two parts:

* :func:`install_justification_patch` (call once per process, before rendering) replaces WeasyPrint's
  line justification so that the free space of a justified line is distributed over the boundaries
  between CJK characters (and over ordinary spaces), never inside a Latin word or a number and never
  before closing or after opening punctuation. The extra space is added to the advance of glyphs when a
  justified line is drawn: line breaking is untouched, so layout costs nothing extra, and the PDF text
  keeps exactly the source characters (no inserted spaces).
* :func:`prepare_for_print` transforms the text nodes of an article's HTML: the first of two adjacent
  full-width punctuation marks (the second one for two opening marks) is wrapped in
  ``<span class="cjk-halt">`` so that it is set half-width with the OpenType ``halt`` feature (see
  :data:`CJK_CSS`); a WORD JOINER (U+2060) is put before ``——`` and ``·``, which Pango's line breaking
  would otherwise let start a line; and a ZERO WIDTH SPACE (U+200B) before “ and after ” next to CJK
  text, where Pango (UAX #14 class QU) allows no break but a Chinese typesetter does. Both characters
  are invisible and are not written to the PDF text.

Neither part imports WeasyPrint at module level.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

__all__ = [
    "CJK_CSS",
    "HALT_CLASS",
    "SUPPORTED_WEASYPRINT",
    "can_stretch_between",
    "stretch_offsets",
    "install_justification_patch",
    "justification_patch_installed",
    "prepare_for_print",
    "uninstall_justification_patch",
]

HALT_CLASS = "cjk-halt"

#: CSS the print stylesheet must include.
CJK_CSS = f"""\
/* bulletin.print.cjk: the first of two adjacent full-width punctuation marks is set half-width. */
.{HALT_CLASS} {{ font-feature-settings: "halt" 1; }}
"""

#: The WeasyPrint release whose layout code the justification patch was written against.
SUPPORTED_WEASYPRINT = "70.0"

WORD_JOINER = "\u2060"

# Full-width punctuation whose blank half is on the right (closing marks; in mainland China style the
# pause and stop marks ，。、；：？！ sit on the left of their em box too).
CLOSING_FULLWIDTH = frozenset("，。、；：？！”’）》】〉」』〕〗〙〛］｝｠")
# Full-width punctuation whose blank half is on the left.
OPENING_FULLWIDTH = frozenset("“‘（《【〈「『〔〖〘〚［｛｟")

# Justification adds no space before these (closing marks, dashes, ellipses, ASCII closing punctuation)
# nor after the opening ones, so that punctuation stays attached to its text.
_NO_SPACE_BEFORE = CLOSING_FULLWIDTH | frozenset("…‥—–·・〜～%％‰,.;:?!)]}>'\"")
_NO_SPACE_AFTER = OPENING_FULLWIDTH | frozenset("([{<'\"")

# Pango follows UAX #14 for curly quotes (class QU: no break on either side), which glues “ to the
# character before it and ” to the one after: a ZERO WIDTH SPACE gives back the break a Chinese
# typesetter has there (before an opening quote, after a closing one).
_OPENING_QUOTES = frozenset("“‘")
_CLOSING_QUOTES = frozenset("”’")
ZERO_WIDTH_SPACE = "\u200b"
_QUOTES = _OPENING_QUOTES | _CLOSING_QUOTES
_INVISIBLE = frozenset((ZERO_WIDTH_SPACE, WORD_JOINER))

# Characters that Pango lets start a line after a CJK character although a Chinese typesetter would
# not: the dash (UAX #14 class B2) and the middle dot (class AI, resolved as AL).
_GLUE_BEFORE = frozenset("—·")

# With ``--cjk-line-end: hang`` these marks hang in the margin at a justified line's end (the others
# are compressed to half width).
_HANGING = frozenset("，。、．")

# A justified paragraph's last line short of the edge by less than this (em, and at most a twelfth of
# the measure) is set flush like the others: up to 2 em over a full line's 40-odd gaps is invisible,
# while a line that ends a hair short of the edge looks like a justification failure.
NEAR_FULL_EM = 2.0

# Elements whose text is never transformed.
_SKIP_ELEMENTS = frozenset(
    {
        "code",
        "pre",
        "kbd",
        "samp",
        "var",
        "tt",
        "script",
        "style",
        "textarea",
        "svg",
        "math",
        "template",
    }
)
_RAW_TEXT_ELEMENTS = frozenset({"script", "style"})

# URLs, e-mail addresses and similar ASCII tokens are copied verbatim.
_PROTECTED = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.|mailto:)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
)


def _is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a CJK ideograph, kana, hangul, CJK/full-width punctuation or symbol."""
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF  # radicals, CJK symbols & punctuation, kana, bopomofo, ideographs
        or 0xAC00 <= cp <= 0xD7AF  # hangul syllables
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= cp <= 0xFE4F  # CJK compatibility forms
        or 0xFF01 <= cp <= 0xFF60  # full-width forms
        or 0xFFE0 <= cp <= 0xFFE6
        or 0x1100 <= cp <= 0x11FF  # hangul jamo
        or 0x20000 <= cp <= 0x3FFFF  # ideographs, extensions B and later
        or ch in "“”‘’…—·"  # punctuation that is full-width in Chinese fonts
    )


def can_stretch_between(before: str, after: str) -> bool:
    """Whether justification may add space between the characters ``before`` and ``after``.

    Space is added around CJK characters only (never inside a Latin word or a number), never next to
    white space (spaces are stretched by WeasyPrint itself), never before a closing mark or after an
    opening one, and never inside ``——`` or ``……``.
    """
    if not (_is_cjk(before) or _is_cjk(after)):
        return False
    if before.isspace() or after.isspace():
        return False
    if after in _NO_SPACE_BEFORE or before in _NO_SPACE_AFTER:
        return False
    return True


def _kind(ch: str) -> int:
    """0: starts a new character; 1: joins the character before (combining mark, variation selector,
    ZWJ); 2: invisible format character that is skipped (ZWSP, WORD JOINER, soft hyphen...)."""
    cp = ord(ch)
    if cp < 0x300:
        return 2 if cp == 0xAD else 0
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or cp == 0x200D:
        return 1
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Mc", "Me"):
        return 1
    if cat == "Cf":
        return 2
    return 0


def _units(text: str):
    """Yield ``(char, end)`` for each visible character of ``text``: ``end`` is the UTF-8 byte offset
    where the character and its combining marks end. Invisible format characters are skipped."""
    offset = 0
    base = end = None
    for ch in text:
        kind = _kind(ch)
        size = len(ch.encode())
        if kind == 0:
            if base is not None:
                yield base, end
            base, end = ch, offset + size
        elif kind == 1 and base is not None:
            end = offset + size
        offset += size
    if base is not None:
        yield base, end


# Characters for which _units() needs its slow path (combining marks, format characters...); text made
# only of other characters has one unit per character.
_SIMPLE_TEXT = re.compile(
    "[\u0000-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205f\u2100-\u2bff\u2e80-\u3029\u3030-\u3098"
    "\u309b-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]*"
)
_stretch_cache: dict = {}


def stretch_offsets(text: str, next_char: str | None = None) -> list[int]:
    """UTF-8 byte offsets in ``text`` after which justification adds space (see
    :func:`can_stretch_between`); ``next_char`` is the character that follows ``text`` on the line."""
    if _SIMPLE_TEXT.fullmatch(text):
        units = []
        end = 0
        for ch in text:
            cp = ord(ch)
            end += 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4
            units.append((ch, end))
    else:
        units = list(_units(text))
    if next_char is not None:
        units.append((next_char, -1))
    offsets = []
    cache = _stretch_cache
    for (a, end), (b, _) in zip(units, units[1:], strict=False):
        ok = cache.get(a + b)
        if ok is None:
            ok = cache[a + b] = can_stretch_between(a, b) if len(cache) < 200_000 else None
            if ok is None:
                ok = can_stretch_between(a, b)
        if ok:
            offsets.append(end)
    return offsets


# --------------------------------------------------------------------------------------------------
# HTML transformation
# --------------------------------------------------------------------------------------------------


def _transform_text(
    text: str,
    prev: str = "",
    halt_first: bool = False,
    halt_last: bool = False,
    glue=frozenset(),
    after: str = "",
) -> str:
    """Return the HTML for a text node (``text`` is unescaped). ``prev`` is the character before it on
    the same line (in a previous inline element), if any; ``halt_first``/``halt_last`` ask for the first /
    last character to be set half-width (a pair of marks split by a tag); ``glue`` holds the indices of
    the characters after which a line break is forbidden (see :func:`glue_positions`), -1 for a break
    before the text; ``after`` is the character after the text (in a following inline element)."""
    out = []
    last = 0
    for match in _PROTECTED.finditer(text):
        out.append(
            _transform_plain(text[last : match.start()], prev, halt_first and last == 0, False, glue, last)
        )
        out.append(html.escape(match.group(), quote=False))
        prev = match.group()[-1]
        last = match.end()
    out.append(_transform_plain(text[last:], prev, halt_first and last == 0, halt_last, glue, last, after))
    return "".join(out)


def _halt_pair(a: str, b: str) -> int | None:
    """Which of two adjacent characters is set half-width: 0 (the first), 1 (the second) or None."""
    if a in CLOSING_FULLWIDTH and (b in CLOSING_FULLWIDTH or b in OPENING_FULLWIDTH):
        return 0  # 。” ）。 ，“ ”， 》、 ...: the first mark loses its blank right half
    if a in OPENING_FULLWIDTH and b in OPENING_FULLWIDTH:
        return 1  # （“ 《“ ...: the second mark loses its blank left half
    return None


def _transform_plain(
    text: str,
    before: str = "",
    halt_first: bool = False,
    halt_last: bool = False,
    glue=frozenset(),
    base: int = 0,
    after: str = "",
) -> str:
    """``glue`` holds indices into the whole text node, of which ``text`` starts at index ``base``."""
    if not text:
        return ""
    n = len(text)
    halt = set()
    if halt_first:
        halt.add(0)
    if halt_last:
        halt.add(n - 1)
    for i in range(n - 1):
        which = _halt_pair(text[i], text[i + 1])
        if which is not None:
            halt.add(i + which)
    out = []
    glued = base - 1 in glue  # a break before ``text`` is forbidden (a WORD JOINER was written)
    if glued and text[0] not in _QUOTES and before not in _QUOTES and before not in _INVISIBLE:
        out.append(WORD_JOINER)
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else before
        nxt = text[i + 1] if i + 1 < n else ""
        if (
            prev
            and not glued
            and not prev.isspace()
            and prev not in _INVISIBLE
            and (
                (ch in _GLUE_BEFORE and prev != ch)
                or (
                    ch in _OPENING_QUOTES
                    and prev not in OPENING_FULLWIDTH
                    and _is_cjk(prev)
                    and prev not in _CLOSING_QUOTES
                )
            )
        ):
            out.append(WORD_JOINER if ch in _GLUE_BEFORE else ZERO_WIDTH_SPACE)
        escaped = html.escape(ch, quote=False)
        out.append(f'<span class="{HALT_CLASS}">{escaped}</span>' if i in halt else escaped)
        glued = base + i in glue
        if glued:
            # Pango breaks neither before nor after a curly quote (UAX #14 class QU): leaving out the
            # ZERO WIDTH SPACE is enough there
            if ch not in _QUOTES and (nxt or after) not in _QUOTES:
                out.append(WORD_JOINER)
        elif (
            ch in _CLOSING_QUOTES
            and nxt
            and _is_cjk(nxt)
            and nxt not in _NO_SPACE_BEFORE
            and nxt not in _CLOSING_QUOTES
        ):
            out.append(ZERO_WIDTH_SPACE)
    return "".join(out)


# --- no-break glue: numbers with their units, paragraph endings -----------------------------------

# A number is glued to the Han character that follows it (its unit or measure word: 元, 个, 年, 次 …)
# and, while that character is one of UNIT_PREFIXES (a magnitude, an approximation or the start of a
# compound unit), to the next one of UNIT_CHARS, up to _UNIT_TAIL more: 亿元, 万亩, 公里, 平方米,
# 万人次, 余名, 多个, 小时.
UNIT_PREFIXES = frozenset("十百千万亿兆余多几来公平立方小毫厘微人")
UNIT_CHARS = frozenset(
    "十百千万亿兆余多几来"
    "元角分厘毫个名位人次回件项条款场家所户座台辆架艘套批份张本册篇页部首封卷幅期届轮"
    "年月日号时秒周岁天旬载"
    "米里公尺寸亩顷方升吨斤两克度瓦伏安焦秒"
    "倍成折股笔单起例宗处栋间层幢棵株头只匹"
    "十百千万亿"
)
_UNIT_TAIL = 3
# Put before a number, glued to it (第3次).
_NUMBER_PREFIXES = frozenset("第")
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_UNBREAKABLE_BEFORE = (CLOSING_FULLWIDTH - _CLOSING_QUOTES) | frozenset("…‥%％‰")


def _is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def _tail_start(chars: list[str]) -> int:
    """Index in ``chars`` where a paragraph's unbreakable tail starts: the last line must hold two Han
    characters (or, for Latin and digits, at least three letters), never one character and its stop."""
    han = alnum = 0
    for i in range(len(chars) - 1, -1, -1):
        ch = chars[i]
        if ch is None or ch.isspace():
            return i + 1
        if _is_han(ch):
            han += 1
        elif ch.isalnum():
            alnum += 1
        if han >= 2 or alnum >= 3 or (han and alnum >= 2):
            return i
    return 0


def glue_positions(chars: list[str | None], paragraph_end: bool = False) -> set[int]:
    """Indices ``i`` of ``chars`` (the visible characters of one line context, ``None`` where a URL or
    another element separates them) such that no line break may fall between ``chars[i]`` and
    ``chars[i + 1]``: a number and its unit or measure word (``12.16亿元``, ``1500元``, ``2019年``,
    ``3个``, ``第3次``) and, at a ``paragraph_end``, the last two Han characters with what follows them
    (no 孤字, a paragraph ending in one character and its full stop, e.g. ``果。``)."""
    glue: set[int] = set()
    n = len(chars)
    for i, ch in enumerate(chars):
        if ch is None or ch not in _DIGITS:
            continue
        if i and chars[i - 1] in _NUMBER_PREFIXES:
            glue.add(i - 1)
        if i + 1 < n and chars[i + 1] is not None and _is_han(chars[i + 1]):
            glue.add(i)
            j = i + 1
            while (
                j + 1 < n and j - i <= _UNIT_TAIL and chars[j] in UNIT_PREFIXES and chars[j + 1] in UNIT_CHARS
            ):
                glue.add(j)
                j += 1
    if paragraph_end and n > 1:
        glue.update(range(_tail_start(chars), n - 1))
    glue.discard(n - 1)
    return {
        i
        for i in glue
        if chars[i] is not None
        and chars[i + 1] is not None
        and not chars[i + 1].isspace()
        # Pango never breaks before a closing mark or an ellipsis, nor after an opening mark, nor
        # inside a Latin word or a number
        and chars[i + 1] not in _UNBREAKABLE_BEFORE
        and chars[i] not in OPENING_FULLWIDTH
        and (_is_cjk(chars[i]) or _is_cjk(chars[i + 1]))
        and not (chars[i] == chars[i + 1] and chars[i] in "—…")
    }


# Inline elements across which text is one line context (a tag of any other element, or <code>…,
# separates the text before it from the text after it).
_PHRASING_ELEMENTS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "cite",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
    }
)


# Elements whose end (or a <br>) ends a paragraph's last line: its tail is glued (no 孤字).
_LINE_ENDING_ELEMENTS = frozenset(
    {
        "p",
        "li",
        "dd",
        "dt",
        "td",
        "th",
        "figcaption",
        "blockquote",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
    }
)


class _Text:
    """A text node of the current line context, rendered when the context ends (its punctuation pairs
    and no-break glue may depend on the text nodes after it)."""

    __slots__ = ("index", "text", "prev", "halt_first", "halt_last", "glue")

    def __init__(self, index, text, prev, halt_first):
        self.index = index  # position in _Transformer.out, None when copied verbatim (already half-width)
        self.text = text
        self.prev = prev
        self.halt_first = halt_first
        self.halt_last = False
        self.glue: set[int] = set()


class _Transformer(HTMLParser):
    """Copy HTML verbatim, transforming only the text nodes outside code-like elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip_depth = 0
        self.raw_depth = 0
        self.texts: list[_Text] = []  # the text nodes of the current line context
        self.in_halt = False  # inside a <span class="cjk-halt"> (HTML already prepared)

    def _tag(self, tag, ending=False):
        if tag not in _PHRASING_ELEMENTS:
            self.flush(paragraph_end=ending and tag in _LINE_ENDING_ELEMENTS)

    def flush(self, paragraph_end=False):
        """Render the text nodes of the line context that ends here."""
        texts = self.texts
        if not texts:
            return
        self.texts = []
        chars: list[str | None] = []
        where: list[tuple[_Text, int]] = []
        for node in texts:
            protected = [m.span() for m in _PROTECTED.finditer(node.text)] if node.index is not None else ()
            for k, ch in enumerate(node.text):
                if ch in _INVISIBLE:
                    continue
                if any(a <= k < b for a, b in protected):
                    ch = None  # a URL: never glued
                if chars and chars[-1] is None and ch is None:
                    continue
                chars.append(ch)
                where.append((node, k))
        for i in glue_positions(chars, paragraph_end):
            node, k = where[i]
            following, k2 = where[i + 1]
            # an invisible character already in between (a WORD JOINER from an earlier pass) keeps it
            if following is node and any(c in _INVISIBLE for c in node.text[k + 1 : k2]):
                continue
            if following is not node and (
                any(c in _INVISIBLE for c in node.text[k + 1 :])
                or any(c in _INVISIBLE for c in following.text[:k2])
            ):
                continue
            if node.index is not None:
                node.glue.add(k)
            elif following.index is not None and k2 == 0:
                following.glue.add(-1)  # after a mark already set half-width: glued before the node
        for number, node in enumerate(texts):
            if node.index is not None:
                after = texts[number + 1].text[0] if number + 1 < len(texts) else ""
                self.out[node.index] = _transform_text(
                    node.text, node.prev, node.halt_first, node.halt_last, frozenset(node.glue), after
                )

    def handle_starttag(self, tag, attrs):
        self._tag(tag, ending=tag == "br")
        self.out.append(self.get_starttag_text())
        if tag == "span" and HALT_CLASS in (dict(attrs).get("class") or "").split():
            self.in_halt = True
        if tag in _SKIP_ELEMENTS:
            self.skip_depth += 1
        if tag in _RAW_TEXT_ELEMENTS:
            self.raw_depth += 1

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, ending=tag == "br")
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self._tag(tag, ending=True)
        self.out.append(f"</{tag}>")
        if tag == "span":
            self.in_halt = False
        if tag in _SKIP_ELEMENTS and self.skip_depth:
            self.skip_depth -= 1
        if tag in _RAW_TEXT_ELEMENTS and self.raw_depth:
            self.raw_depth -= 1

    def handle_data(self, data):
        if self.raw_depth:
            self.out.append(data)  # script/style content is raw text, never escaped
            return
        if self.skip_depth:
            self.out.append(html.escape(data, quote=False))
            return
        if not data:
            return
        prev, halt_first = "", False
        if self.texts:
            previous = self.texts[-1]
            prev = previous.text[-1]
            which = _halt_pair(prev, data[0])
            if which == 0 and previous.index is not None:
                previous.halt_last = True
            elif which == 1 and not self.in_halt:
                halt_first = True
        if self.in_halt:
            # Already set half-width: copy, and never re-render it.
            self.texts.append(_Text(None, data, prev, False))
            self.out.append(html.escape(data, quote=False))
            return
        self.texts.append(_Text(len(self.out), data, prev, halt_first))
        self.out.append("")

    def close(self):
        super().close()
        self.flush(paragraph_end=True)

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def prepare_for_print(html: str) -> str:
    """Take an HTML fragment (an article body as rendered by markdown-it-py: <p>, <h2>, <ul>/<ol>/<li>,
    <blockquote>, <table>, <figure><img><figcaption>, <div class="poem">…) and return it with the changes
    needed so that WeasyPrint justifies Chinese text cleanly and applies kinsoku and punctuation compression.

    Only text nodes are changed, and not inside <code>, <pre>, <kbd>, <samp>, <script>, <style>…, nor
    inside URLs or e-mail addresses. Tags and attribute values are copied verbatim; character
    references in text are decoded and text is re-escaped (``&``, ``<``, ``>``).

    The changes are invisible in the PDF text: a ``<span class="cjk-halt">`` around the full-width mark
    to be set half-width (needs :data:`CJK_CSS`), U+2060 WORD JOINER before ``——`` and ``·``, U+200B
    ZERO WIDTH SPACE before “ and after ” next to CJK text. The function is idempotent.
    Justification itself is done by :func:`install_justification_patch`.
    """
    parser = _Transformer()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


# --------------------------------------------------------------------------------------------------
# WeasyPrint justification patch
# --------------------------------------------------------------------------------------------------

_originals: dict = {}


def justification_patch_installed() -> bool:
    return bool(_originals)


def install_justification_patch(*, check_version: bool = True) -> bool:
    """Make WeasyPrint distribute the free space of justified lines between CJK characters.

    Idempotent; call it once per process before rendering (it affects every document rendered in the
    process, and only lines with ``text-align: justify``; lines with no CJK text are justified exactly
    as before). Raises ``RuntimeError`` if the installed WeasyPrint is not :data:`SUPPORTED_WEASYPRINT`
    (the patch replaces internal functions) unless ``check_version`` is false. Returns ``True`` when the
    patch was installed by this call.

    Known limits: right-to-left lines are justified by WeasyPrint as before; a justified line drawn
    with ``text-overflow: ellipsis`` loses the inter-character space (WeasyPrint lays it out again).
    """
    if _originals:
        return False
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if check_version and weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        raise RuntimeError(
            f"bulletin.print.cjk: justification patch written for WeasyPrint {SUPPORTED_WEASYPRINT}, "
            f"found {weasyprint.__version__}"
        )
    for module, name in (
        (inline, "justify_line"),
        (inline, "add_word_spacing"),
        (inline, "text_align"),
        (line_break.Layout, "set_text"),
    ):
        if not hasattr(module, name):
            raise RuntimeError(f"bulletin.print.cjk: WeasyPrint has no {module.__name__}.{name}")

    from weasyprint.formatting_structure import boxes
    from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi, pango
    from weasyprint.text.fonts import font_features, get_pango_font_key

    original_set_text = line_break.Layout.set_text
    original_text_align = inline.text_align
    original_add_word_spacing = inline.add_word_spacing
    count_expandable_spaces = inline.count_expandable_spaces
    create_layout = line_break.create_layout
    Layout = line_break.Layout

    def leaves(box, out):
        """Collect the in-flow text boxes of a line in order; ``None`` marks a barrier."""
        for child in box.children:
            if not child.is_in_normal_flow():
                continue
            if isinstance(child, boxes.TextBox):
                child.cjk_gaps = ()
                child.cjk_trim = None
                if child.text:
                    out.append(child)
            elif isinstance(child, boxes.InlineBox):
                decorated = (
                    child.margin_left
                    or child.padding_left
                    or child.border_left_width
                    or child.margin_right
                    or child.padding_right
                    or child.border_right_width
                )
                if decorated:
                    out.append(None)
                leaves(child, out)
                if decorated:
                    out.append(None)
            else:
                out.append(None)  # atomic inline (image, inline-block): no space is added around it
        return out

    # Column balancing lays the same lines out several times: remember their gaps.
    offsets_cache = {}

    def last_text_box(box):
        """The text box that ends ``box`` (a line or inline box), or None when the line ends with an
        image, an inline block or a decorated inline box."""
        for child in reversed(box.children):
            if not child.is_in_normal_flow():
                continue
            if isinstance(child, boxes.TextBox):
                if child.text.strip():
                    return child
                continue
            if isinstance(child, boxes.InlineBox):
                if child.margin_right or child.padding_right or child.border_right_width:
                    return None
                found = last_text_box(child)
                if found is not None or any(c.is_in_normal_flow() for c in child.children):
                    return found
                continue
            return None
        return None

    # (mark, font properties) -> (compressible px, x shift px, full advance px)
    mark_metrics = {}
    mark_rect = ffi.new("PangoRectangle *")
    mark_logical = ffi.new("PangoRectangle *")

    def measure_mark(context, style, mark):
        """How much of ``mark``'s advance its blank half takes in ``style``'s font, and how far the
        glyph moves when that half is removed: the font's own ``halt`` values (Noto CJK), else the right
        half when the ink sits in the left half (fonts without ``halt``), else nothing."""
        key = (
            mark,
            style["font_family"],
            style["font_size"],
            style["font_weight"],
            style["font_style"],
            style["font_stretch"],
            style["font_feature_settings"],
            style["font_variant_east_asian"],
            style["font_language_override"],
            style["lang"],
        )
        metrics = mark_metrics.get(key)
        if metrics is not None:
            return metrics

        def first_glyph(layout):
            run = layout.get_first_line()[0].runs
            if run == ffi.NULL:
                return None
            glyph_item = run.data
            if glyph_item.glyphs.num_glyphs != 1:
                return None
            return glyph_item.item.analysis.font, glyph_item.glyphs.glyphs[0]

        metrics = (0.0, 0.0, 0.0)
        layout = create_layout(mark, style, context, max_width=None, justification_spacing=0)
        found = first_glyph(layout)
        font_size = style["font_size"]
        if found is not None and not found[1].glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
            font, info = found
            full = info.geometry.width * FROM_UNITS
            x_offset = info.geometry.x_offset * FROM_UNITS
            pango.pango_font_get_glyph_extents(font, info.glyph, mark_rect, mark_logical)
            ink_right = (mark_rect.x + mark_rect.width) * FROM_UNITS
            features = font_features(
                style["font_kerning"],
                style["font_variant_ligatures"],
                style["font_variant_position"],
                style["font_variant_caps"],
                style["font_variant_numeric"],
                style["font_variant_alternates"],
                style["font_variant_east_asian"],
                style["font_feature_settings"],
            )
            features["halt"] = 1
            attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            spec = ",".join(f"{k} {v}" for k, v in features.items()).encode()
            pango.pango_attr_list_insert(attr_list, pango.pango_attr_font_features_new(spec))
            pango.pango_layout_set_attributes(layout.layout, attr_list)
            halted = first_glyph(layout)
            if full >= 0.9 * font_size:  # a full-width mark (not one already set half-width)
                if halted is not None and halted[1].geometry.width * FROM_UNITS < full - 0.1 * font_size:
                    half = halted[1].geometry.width * FROM_UNITS
                    metrics = (full - half, halted[1].geometry.x_offset * FROM_UNITS - x_offset, full)
                elif ink_right <= 0.55 * full:
                    metrics = (full / 2, 0.0, full)
                else:
                    metrics = (0.0, 0.0, full)
        layout.deactivate()
        mark_metrics[key] = metrics
        return metrics

    def line_end_trim(context, line, last):
        """``(box, byte offset, trim px, x shift px)`` for the full-width mark that ends a justified
        line: the blank half to remove (``--cjk-line-end: compress``, the default) or its whole advance
        (``hang``: ，。、． hang in the margin), or None. `last` None: a paragraph's last line that is
        justified all the same (nearly full, see text_align)."""
        style = line.style
        if style["direction"] == "rtl" or style["white_space"] not in ("normal", "nowrap", "pre-line"):
            return None
        align = style["text_align_all"]
        if last:
            align_last = style["text_align_last"]
            align = align if align_last == "auto" else align_last
        if align != "justify":
            return None
        mode = "compress"
        for token in style["__cjk_line_end"]:
            if getattr(token, "type", None) == "ident":
                mode = token.value
        if mode not in ("compress", "hang"):
            return None
        box = last_text_box(line)
        if box is None:
            return None
        text = box.text
        end = len(text)
        while end and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
            end -= 1
        mark = text[end - 1] if end else ""
        if mark not in CLOSING_FULLWIDTH:
            return None
        compressible, shift, full = measure_mark(context, box.style, mark)
        if mode == "hang" and mark in _HANGING and full:
            compressible, shift = full, 0.0
        if not compressible:
            return None
        return box, len(text[:end].encode()), compressible, shift

    def nearly_full(line, available_width, last) -> bool:
        """A justified paragraph's last line that falls short of the edge by less than NEAR_FULL_EM
        (and a twelfth of the measure): set flush, as a typesetter does, so that it does not read as a
        full line left ragged by a hair (a line with digits or Latin is rarely a whole number of ems)."""
        style = line.style
        if not last or style["text_align_all"] != "justify" or style["text_align_last"] != "start":
            return False
        free = available_width - line.width
        return 0 < free <= min(NEAR_FULL_EM * style["font_size"], available_width / 12)

    def text_align(context, line, available_width, last):
        if nearly_full(line, available_width, last):
            last = None  # justified like any other line, its closing mark compressed (line_end_trim)
        trim = line_end_trim(context, line, last)
        if trim is not None:
            extra_width = available_width - line.width + trim[2]
            if extra_width > 0 and justify_line(context, line, extra_width, trim):
                return 0
        if last is None:
            if line.width < available_width:
                justify_line(context, line, available_width - line.width)
            return 0
        return original_text_align(context, line, available_width, last)

    def justify_line(context, line, extra_width, trim=None):
        if line.style["direction"] == "rtl":
            if nb_spaces := count_expandable_spaces(line):
                original_add_word_spacing(context, line, extra_width / nb_spaces, 0)
            return False
        text_boxes = leaves(line, [])
        nb_gaps = 0
        for i, box in enumerate(text_boxes):
            if box is None:
                continue
            following = text_boxes[i + 1] if i + 1 < len(text_boxes) else None
            next_char = None
            if following is not None:
                next_char = next(_units(following.text), (None,))[0]
            key = (box.text, next_char)
            gaps = offsets_cache.get(key)
            if gaps is None:
                if len(offsets_cache) > 20_000:
                    offsets_cache.clear()
                gaps = offsets_cache[key] = tuple(stretch_offsets(box.text, next_char))
            box.cjk_gaps = gaps
            nb_gaps += len(box.cjk_gaps)
        nb_spaces = count_expandable_spaces(line)
        if nb_spaces + nb_gaps:
            if trim is not None:
                trim[0].cjk_trim = trim[1:]
            add_word_spacing(context, line, extra_width / (nb_spaces + nb_gaps), 0)
            return True
        return False

    def add_word_spacing(context, box, justification_spacing, x_advance):
        if isinstance(box, boxes.TextBox):
            box.justification_spacing = justification_spacing
            box.position_x += x_advance
            gaps = getattr(box, "cjk_gaps", None) or ()
            trim = getattr(box, "cjk_trim", None)
            nb = count_expandable_spaces(box) + len(gaps)
            if nb > 0 or trim:
                # WeasyPrint builds a new Pango layout here; a copy of the box's (deactivated) layout
                # is enough: draw_text() rebuilds the Pango objects when it reactivates it.
                layout = getattr(box, "pango_layout", None)
                if layout is None or hasattr(layout, "layout"):
                    layout = create_layout(
                        box.text,
                        box.style,
                        context,
                        max_width=None,
                        justification_spacing=justification_spacing,
                    )
                    layout.deactivate()
                else:
                    new_layout = Layout.__new__(Layout)
                    new_layout.__dict__.update(layout.__dict__)
                    layout = new_layout
                layout.text = box.text
                layout.max_width = None
                layout.justification_spacing = justification_spacing
                layout.cjk_gaps = frozenset(gaps)
                layout.cjk_trim = trim
                extra_space = justification_spacing * nb - (trim[1] if trim else 0)
                x_advance += extra_space
                box.width += extra_space
                box.pango_layout = layout
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            previous_x_advance = x_advance
            children = box.children
            if box.style["direction"] == "rtl":
                children = children[::-1]
            for child in children:
                if child.is_in_normal_flow():
                    x_advance = add_word_spacing(context, child, justification_spacing, x_advance)
            box.width += x_advance - previous_x_advance
        else:
            box.translate(x_advance, 0)
        return x_advance

    # PangoGlyphInfo as int32 cells: glyph, geometry (width, x_offset, y_offset), attr
    _INFO_BYTES = ffi.sizeof("PangoGlyphInfo")
    _INFO_INTS = _INFO_BYTES // 4
    if (_INFO_BYTES % 4 or ffi.offsetof("PangoGlyphInfo", "geometry") != 4
            or ffi.typeof("PangoGlyphUnit") != ffi.typeof("int")):  # fmt: skip
        raise RuntimeError("bulletin.print.cjk: unexpected PangoGlyphInfo layout")
    ink_rect = ffi.new("PangoRectangle *")
    logical_rect = ffi.new("PangoRectangle *")
    # (font key, font size, glyph) -> advance in 1/1000 em, rounded as draw_first_line() rounds it
    logical_widths = {}

    def set_text(self, text, justify=False):
        original_set_text(self, text, justify)
        gaps = getattr(self, "cjk_gaps", None) or ()
        trim = getattr(self, "cjk_trim", None)
        if not (justify and (trim or gaps and self.justification_spacing)):
            return
        # Lay out now and widen the glyphs that end a character followed by a gap. draw_first_line()
        # switches to single-paragraph mode before reading the line: do it first so that the line
        # computed here (and modified) is the one it reads, not a new one.
        pango.pango_layout_set_single_paragraph_mode(self.layout, True)
        line = pango.pango_layout_get_line_readonly(self.layout, 0)
        spacing = self.justification_spacing
        # draw_first_line() writes each glyph's displacement as an integer TJ kerning (truncated, in
        # 1/1000 em) computed from the glyph's Pango width: choose the widths so that the truncated values
        # add up to the exact positions (error diffusion), or lines would end up to ~0.2 pt short.
        target = done = 0  # extra space wanted / written so far in this box, in CSS px
        # the line-end mark that loses its blank half (or hangs): its byte offset, width and shift
        trim_at, trim_width, trim_shift = trim or (-1, 0, 0)
        run = line.runs
        while run != ffi.NULL:
            glyph_item = run.data
            run = run.next
            item = glyph_item.item
            if item.analysis.level % 2:
                continue  # right-to-left run: never contains CJK gaps
            glyph_string = glyph_item.glyphs
            num_glyphs = glyph_string.num_glyphs
            # the glyphs as one array of int32 (PangoGlyphInfo: glyph, width, x_offset, y_offset,
            # attr): read and written in place without a cffi object per field
            cells = memoryview(ffi.buffer(glyph_string.glyphs, num_glyphs * _INFO_BYTES)).cast("i")
            pango_font = item.analysis.font
            font_key = None
            starts = ffi.unpack(glyph_string.log_clusters, num_glyphs)
            ends = starts[1:]
            ends.append(item.length)
            item_offset = item.offset
            for i in range(num_glyphs):
                cluster_end = ends[i]
                if cluster_end == starts[i]:
                    continue
                position = item_offset + cluster_end
                cell = i * _INFO_INTS
                if position in gaps:
                    target += spacing
                elif position == trim_at:
                    target -= trim_width
                    cells[cell + 2] += round(trim_shift * TO_UNITS)
                else:
                    continue
                glyph = cells[cell]
                if glyph == pango.PANGO_GLYPH_EMPTY or glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                    extra = int(round((target - done) * TO_UNITS))
                    cells[cell + 1] += extra
                    done += extra * FROM_UNITS
                    continue
                if font_key is None:
                    font_hash, _, font_size = get_pango_font_key(pango_font)
                    font_key = (font_hash, font_size)
                key = (font_key, glyph)
                logical = logical_widths.get(key)
                if logical is None:
                    pango.pango_font_get_glyph_extents(pango_font, glyph, ink_rect, logical_rect)
                    logical = logical_widths[key] = round(logical_rect.width * 1000 * FROM_UNITS / font_size)
                width = cells[cell + 1]
                offset = cells[cell + 2] / font_size
                kerning = logical + offset - width * 1000 * FROM_UNITS / font_size
                wanted = round(kerning - (target - done) * 1000 / font_size)
                # int() truncates towards zero: aim at the middle of the interval that gives `wanted`.
                new_kerning = wanted - 0.5 if wanted < 0 else wanted + 0.5 if wanted > 0 else 0
                cells[cell + 1] = width + round((kerning - new_kerning) * font_size * TO_UNITS / 1000)
                done += (kerning - wanted) * font_size / 1000

    inline_module_globals = {
        "text_align": text_align,
        "justify_line": justify_line,
        "add_word_spacing": add_word_spacing,
    }
    _originals["inline"] = {name: getattr(inline, name) for name in inline_module_globals}
    _originals["set_text"] = original_set_text
    for name, function in inline_module_globals.items():
        setattr(inline, name, function)
    line_break.Layout.set_text = set_text
    return True


def uninstall_justification_patch() -> None:
    """Restore WeasyPrint's own justification (mainly for tests and measurements)."""
    if not _originals:
        return
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    for name, function in _originals["inline"].items():
        setattr(inline, name, function)
    line_break.Layout.set_text = _originals["set_text"]
    _originals.clear()
