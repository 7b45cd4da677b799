"""`bulletin import FILE.docx --issue 2026-04`: a Word document becomes an article.

mammoth turns the .docx into simple, semantic HTML (it reads Word's structure, not its looks); this module
turns that HTML into our Markdown and recognises what Chinese bulletins put around an article's body:

    强化开局之谋 展现开局之为               the title (Word's Title style, a first heading, or the first line)
    ——在第38次主任会议上的讲话              a subtitle starting with ——
    ■ 和建华 陈碧海（云南）                 a byline: authors and their province or unit
    （杭锦旗人大工委主任 郝玥）              a closing byline: unit and author
    据《人民代表报》                        a reprint's source (also at the end of the last paragraph)
    （作者系某县人大常委会主任）              a note about the author

Headings, bold "一、…" headings, lists, tables, footnotes and images (saved under the issue's images/)
are carried over; everything that could not be (merged cells, equations, comments…) is listed in the
result so the editor knows what to check.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bulletin import messages
from bulletin.content.limits import MAX_DECODE_PIXELS
from bulletin.content.slugs import SLUG_RE
from bulletin.diagnostics import Report
from bulletin.editor.new_article import FrontMatter, choose_file, find_section, issue_folder
from bulletin.model import Publication

MAX_DOCX_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024  # a zip bomb would be far larger unpacked than any real document
# The text itself: mammoth reads ~2.4 MB of document.xml a second (20 MB 8.5 s; 300 MB of padding, well under
# the unpacked limit, over 120 s). A 500-page report is ~10 MB.
MAX_DOCUMENT_XML_BYTES = 30 * 1024 * 1024
MAX_IMAGE_SIDE = 4000  # larger pictures are scaled down to this (enough for print at 300 dpi)

# Word's built-in styles under their English and Chinese (WPS, localised Word) names.
STYLE_MAP = "\n".join(
    [f"p[style-name='{n}'] => h1.doc-title:fresh" for n in ("Title", "标题")]
    + [f"p[style-name='{n}'] => p.doc-subtitle:fresh" for n in ("Subtitle", "副标题")]
    + [f"p[style-name='{n}'] => p.caption:fresh" for n in ("Caption", "caption", "题注")]
    + [f"p[style-name='{n}'] => blockquote > p:fresh" for n in ("Quote", "Intense Quote", "引用", "明显引用")]
    + [f"p[style-name='标题 {i}'] => h{i}:fresh" for i in range(1, 7)]
    + ["u => u", "strike => s"]
)

_IMAGE_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
_CONVERTIBLE = {"image/bmp", "image/x-bmp", "image/tiff", "image/x-ms-bmp"}  # Pillow turns these into PNG

_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")

_CN_NUM = "一二三四五六七八九十"
_BYLINE_RE = re.compile(r"^[■□◆●▲★]\s*(?P<names>[^（(]+?)\s*(?:[（(](?P<aff>[^）)]+)[）)])?\s*$")
_CLOSING_BYLINE_RE = re.compile(r"^[（(](?P<inner>[^（）()]{2,40})[）)]$")
_SOURCE_RE = re.compile(r"^(?:据|来源[：:]|转自|转载自|摘自)\s*《?(?P<src>[^《》]{2,30}?)》?\s*$")
_TRAILING_SOURCE_RE = re.compile(r"^(?P<body>.*[。！？”」』）)])\s*据\s*《(?P<src>[^《》]{2,30})》\s*$", re.S)
_NOTE_RE = re.compile(r"^[（(]\s*(?P<note>作者系[^（）()]+?)\s*[）)]$")
_JUMP_RE = re.compile(r"^[（(]\s*(?:下转|上接)\s*\d+\s*版\s*[）)]$")
_ORG_END = "室会委局站部处院团组办队所厅校社报馆心司区县市乡镇村街"
_NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_H2_RE = re.compile(rf"^[{_CN_NUM}]+、")
_H3_RE = re.compile(rf"^[（(][{_CN_NUM}]+[）)]")


# --- a small HTML tree ------------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str) -> list[Node]:
        out: list[Node] = []
        for c in self.children:
            if isinstance(c, Node):
                if c.tag == tag:
                    out.append(c)
                out.extend(c.find_all(tag))
        return out


class _TreeBuilder(HTMLParser):
    VOID = {"img", "br", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    b = _TreeBuilder()
    b.feed(html)
    b.close()
    return b.root


# --- HTML → Markdown --------------------------------------------------------------------------

_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def escape(text: str) -> str:
    """Plain text as Markdown that renders as exactly this text."""
    return _ENTITY_RE.sub(r"\\&", _ESCAPE_RE.sub(r"\\\1", text))


def escape_line_start(md: str) -> str:
    """Keep a paragraph from turning into a heading, quote, list, rule or poem block."""
    return re.sub(
        r"^(#|>|[-+*](?=\s)|={3,}|:{3,})", r"\\\1", re.sub(r"^(\d{1,9})([.)])(?=\s)", r"\1\\\2", md)
    )


@dataclass
class Block:
    """One block of the article: its Markdown and, for paragraphs, the plain text used to recognise
    titles, bylines and the like."""

    kind: str  # p | heading | list | table | quote | image | caption | rule
    markdown: str
    plain: str = ""
    bold: bool = False  # the whole paragraph is bold
    css: str = ""


class Converter:
    """mammoth's HTML → Markdown blocks, footnotes and a list of what could not be carried over."""

    def __init__(self, images: dict[str, str]) -> None:
        self.images = images  # placeholder src → final relative path (images/x.png) or "" if dropped
        self.footnotes: list[str] = []
        self.unmapped: list[str] = []
        self._notes: dict[str, str] = {}  # mammoth's note id (footnote-3) → our label (3)

    def note(self, what: str) -> None:
        if what not in self.unmapped:
            self.unmapped.append(what)

    # inline content -----------------------------------------------------------------------

    def inline(self, node: Node) -> str:
        out: list[str] = []
        for c in node.children:
            if isinstance(c, str):
                out.append(escape(c))
                continue
            tag = c.tag
            if tag == "strong":
                out.append(self._wrap("**", self.inline(c), c.text()))
            elif tag == "em":
                out.append(self._wrap("*", self.inline(c), c.text()))
            elif tag == "s":
                out.append(self._wrap("~~", self.inline(c), c.text()))
            elif tag == "u":
                self.note(_t("underline"))
                out.append(self.inline(c))
            elif tag == "sup":
                out.append(self._sup(c))
            elif tag == "sub":
                text = c.text()
                if text and all(ch in "0123456789+-=()" for ch in text):
                    out.append(text.translate(_SUBSCRIPT))
                else:
                    self.note(_t("subscript", text=text))
                    out.append(escape(text))
            elif tag == "a":
                out.append(self._link(c))
            elif tag == "img":
                out.append(self._image(c))
            elif tag == "br":
                out.append("\\\n")
            else:
                out.append(self.inline(c))
        return "".join(out)

    def _wrap(self, mark: str, inner: str, plain: str) -> str:
        """Emphasis that CommonMark will actually see: no spaces or punctuation just inside the marks
        (their flanking rules would print the asterisks instead)."""
        if not plain.strip():
            return inner
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        core = inner.strip()
        if re.match(r"^\W", plain.strip()) or re.search(r"\W$", plain.strip()):
            # e.g. **“两个联系”** between Chinese characters would not render as bold
            self.note(_t("emphasis", text=plain.strip()[:20]))
            return inner
        return f"{lead}{mark}{core}{mark}{trail}"

    def _sup(self, node: Node) -> str:
        anchors = [
            a for a in node.find_all("a") if a.attrs.get("href", "").startswith(("#footnote-", "#endnote-"))
        ]
        if anchors:
            out = []
            for a in anchors:
                ref = a.attrs["href"][1:]
                label = self._notes.setdefault(ref, ref.replace("footnote-", "").replace("endnote-", "e"))
                out.append(f"[^{label}]")
            return "".join(out)
        text = node.text()
        if text and all(ch in "0123456789+-=()n" for ch in text):
            return text.translate(_SUPERSCRIPT)  # m² and the like
        if text.strip():
            self.note(_t("superscript", text=text))
        return escape(text)

    def _link(self, node: Node) -> str:
        href = node.attrs.get("href", "")
        inner = self.inline(node)
        if re.match(r"^(https?://|mailto:)", href):
            return f"[{inner}](<{href}>)" if inner.strip() else f"<{href}>"
        return inner  # bookmarks and table-of-contents links: keep the text

    def _image(self, node: Node) -> str:
        src = self.images.get(node.attrs.get("src", ""), "")
        if not src:
            return ""
        return f"![{escape(node.attrs.get('alt', '').strip())}]({src})"

    # blocks ---------------------------------------------------------------------------------

    def blocks(self, root: Node) -> list[Block]:
        out: list[Block] = []
        for c in root.children:
            if isinstance(c, str):
                if c.strip():
                    out.append(self._paragraph(Node("p", children=[c])))
                continue
            if c.tag == "ol" and any(
                li.attrs.get("id", "").startswith(("footnote-", "endnote-"))
                for li in c.children
                if isinstance(li, Node)
            ):
                self._footnote_list(c)
                continue
            block = self._block(c)
            if block is not None:
                out.append(block)
        return out

    def _block(self, node: Node) -> Block | None:
        tag = node.tag
        if tag == "p":
            return self._paragraph(node)
        if re.fullmatch(r"h[1-6]", tag):
            plain = _clean(node.text())
            if not plain:
                return None
            level = int(tag[1])
            css = node.attrs.get("class", "")
            md = _clean_md(self.inline(node))
            return Block("heading", md, plain, css=css if css else f"h{level}")
        if tag in ("ul", "ol"):
            return Block("list", self._list(node, 0))
        if tag == "table":
            return self._table(node)
        if tag == "blockquote":
            inner = [b for b in (self._block(c) for c in node.children if isinstance(c, Node)) if b]
            md = "\n>\n".join("> " + b.markdown.replace("\n", "\n> ") for b in inner)
            return Block("quote", md, "\n".join(b.plain for b in inner)) if md else None
        if tag == "hr":
            return Block("rule", "---")
        self.note(_t("element", tag=tag))
        return self._paragraph(node)

    def _paragraph(self, node: Node) -> Block | None:
        plain = _clean(node.text())
        md = _clean_md(self.inline(node))
        imgs = node.find_all("img")
        if not plain:
            if imgs and md:
                return Block("image", md)
            return None
        strongs = [c for c in node.children if isinstance(c, Node) and c.tag == "strong"]
        other_text = "".join(c for c in node.children if isinstance(c, str)).strip()
        bold = (
            bool(strongs)
            and not other_text
            and len(strongs) == len([c for c in node.children if isinstance(c, Node)])
        )
        css = node.attrs.get("class", "")
        kind = "caption" if css == "caption" else "p"
        if imgs:  # a picture inside a line of text: put it on its own line, as a figure
            self.note(_t("inline_image"))
            pics = "\n\n".join(self._image(i) for i in imgs)
            text_md = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", md).strip()
            return Block(kind, escape_line_start(text_md) + "\n\n" + pics, plain, bold, css)
        return Block(kind, escape_line_start(md), plain, bold, css)

    def _list(self, node: Node, depth: int) -> str:
        ordered = node.tag == "ol"
        lines: list[str] = []
        n = 0
        for li in node.children:
            if not isinstance(li, Node) or li.tag != "li":
                continue
            n += 1
            marker = f"{n}." if ordered else "-"
            pad = " " * (len(marker) + 1)
            text_parts: list[str] = []
            sub: list[str] = []
            inline_node = Node("span")
            for c in li.children:
                if isinstance(c, Node) and c.tag in ("ul", "ol"):
                    sub.append(self._list(c, depth + 1))
                elif isinstance(c, Node) and c.tag == "p":
                    text_parts.append(_clean_md(self.inline(c)))
                else:
                    inline_node.children.append(c)
            if inline_node.children:
                text_parts.insert(0, _clean_md(self.inline(inline_node)))
            text = ("\n" + pad).join(escape_line_start(t) for t in text_parts if t) or "\u3000"
            lines.append(f"{marker} {text}")
            lines.extend(pad + line if line else line for s in sub for line in s.split("\n"))
        return "\n".join(lines)

    def _table(self, node: Node) -> Block | None:
        rows: list[list[str]] = []
        spans = False
        for tr in node.find_all("tr"):
            cells: list[str] = []
            for cell in tr.children:
                if not isinstance(cell, Node) or cell.tag not in ("td", "th"):
                    continue
                if cell.find_all("table"):
                    self.note(_t("nested_table"))
                if cell.find_all("img"):
                    self.note(_t("table_image"))
                parts = [
                    _clean_md(self.inline(p)) if p.tag == "p" else _clean_md(self.inline(p))
                    for p in cell.children
                    if isinstance(p, Node)
                ]
                loose = "".join(c for c in cell.children if isinstance(c, str)).strip()
                text = " ".join(p for p in parts if p) or escape(loose)
                cells.append(text.replace("\n", " ").replace("\\ ", " "))
                colspan = int(cell.attrs.get("colspan", "1") or 1)
                if colspan > 1 or int(cell.attrs.get("rowspan", "1") or 1) > 1:
                    spans = True
                cells.extend([""] * (colspan - 1))
            if cells:
                rows.append(cells)
        if not rows:
            return None
        if spans:
            self.note(_t("merged_cells"))
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return Block("table", "\n".join(lines))

    def _footnote_list(self, node: Node) -> None:
        for li in node.children:
            if not isinstance(li, Node) or li.tag != "li":
                continue
            ref = li.attrs.get("id", "")
            label = self._notes.setdefault(ref, ref.replace("footnote-", "").replace("endnote-", "e"))
            for a in li.find_all("a"):  # drop mammoth's "↑" back-links
                if a.attrs.get("href", "").startswith(("#footnote-ref-", "#endnote-ref-")):
                    a.children = []
            parts = [_clean_md(self.inline(p)) for p in li.children if isinstance(p, Node)]
            text = " ".join(p for p in parts if p).strip()
            self.footnotes.append(f"[^{label}]: {text}")


def _clean(text: str) -> str:
    """Plain text without Word's indentation (full-width spaces) and stray whitespace."""
    return re.sub(r"[ \t\u00a0]+", " ", text.replace("\u3000", " ")).strip()


def _clean_md(md: str) -> str:
    md = md.replace("\u3000", " ").replace("\u00a0", " ")
    md = re.sub(r"[ \t]+", " ", md)
    return md.strip()


# --- recognising the parts around the body ----------------------------------------------------


@dataclass
class Recognised:
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    affiliation: str = ""
    author_note: str = ""
    source: str = ""
    found: list[str] = field(default_factory=list)  # what was recognised, for the report


def _split_names(text: str) -> list[str]:
    return [n for n in re.split(r"[\s、，,]+", text.strip()) if n]


def _closing_byline(inner: str) -> tuple[str, list[str]] | None:
    """（单位 作者） → (unit, [author]); （作者） → ("", [author]); None if it does not look like one."""
    inner = _clean(inner)
    if inner.startswith("作者系"):
        return None
    parts = inner.split(" ")
    if len(parts) >= 2 and all(_NAME_RE.match(p) for p in parts[-1:]):
        names = [p for p in parts if _NAME_RE.match(p)]
        if len(parts) == len(names):  # （张三 李四）
            return "", names
        return " ".join(parts[:-1]), [parts[-1]]
    if _NAME_RE.match(inner) and len(inner) <= 3:
        return "", [inner]
    for n in (3, 2):  # （市人大常委会办公室于慧文）: a unit ending in 室/会/委… then a name
        if len(inner) > n + 2 and inner[-n - 1] in _ORG_END and _NAME_RE.match(inner[-n:]):
            return inner[:-n], [inner[-n:]]
    return None


def recognise(blocks: list[Block], fallback_title: str) -> tuple[Recognised, list[Block]]:
    """Take the title, subtitle, byline, source and author note out of `blocks`."""
    r = Recognised()
    body = list(blocks)

    def take(i: int) -> None:
        body.pop(i)

    # title: Word's Title style, else a first heading or a short first paragraph
    for i, b in enumerate(body[:3]):
        if b.kind == "heading" and b.css == "doc-title":
            r.title = b.plain
            take(i)
            break
    if not r.title and body and body[0].kind in ("heading", "p") and _looks_like_title(body[0].plain):
        r.title = body[0].plain
        take(0)
    if r.title:
        r.found.append(_t("found_title", text=r.title))
    else:
        r.title = fallback_title
    # the lines right under the title
    i = 0
    while i < min(len(body), 5):
        b = body[i]
        if b.kind not in ("p", "heading"):
            break
        text = b.plain
        if (
            not r.subtitle
            and (text.startswith(("——", "--", "—")) or b.css == "doc-subtitle")
            and len(text) <= 80
        ):
            r.subtitle = text if text.startswith("——") else "——" + text.lstrip("—-")
            r.found.append(_t("found_subtitle", text=r.subtitle))
        elif not r.authors and (m := _BYLINE_RE.match(text)):
            names = _split_names(m.group("names"))
            if m.group("aff"):
                r.authors, r.affiliation = names, m.group("aff").strip()
            elif len(names) > 1 and not _NAME_RE.match(names[0]):  # □ 某某市人大代表 梁斌 呼成军
                r.affiliation, r.authors = names[0], names[1:]
            else:
                r.authors = names
            r.found.append(_t("found_byline", text=text))
        elif not r.source and (m := _SOURCE_RE.match(text)) and len(text) <= 32:
            r.source = m.group("src").strip()
            r.found.append(_t("found_source", text=r.source))
        else:
            break
        take(i)
    # the lines at the end: author note, closing byline, source, page-jump marks
    for _ in range(4):
        j = _last_paragraph(body)
        if j is None:
            break
        text = body[j].plain
        if _JUMP_RE.match(text):
            take(j)
            continue
        if not r.author_note and (m := _NOTE_RE.match(text)):
            r.author_note = m.group("note")
            r.found.append(_t("found_note", text=r.author_note))
            take(j)
            continue
        if not r.source and (m := _SOURCE_RE.match(text)) and len(text) <= 32:
            r.source = m.group("src").strip()
            r.found.append(_t("found_source", text=r.source))
            take(j)
            continue
        if (
            not r.authors
            and (m := _CLOSING_BYLINE_RE.match(text))
            and (cb := _closing_byline(m.group("inner")))
        ):
            r.affiliation, r.authors = cb
            r.found.append(_t("found_byline", text=text))
            take(j)
            continue
        if not r.source and (m := _TRAILING_SOURCE_RE.match(body[j].markdown)):
            r.source = m.group("src").strip()
            body[j] = Block(body[j].kind, m.group("body").rstrip(), body[j].plain, body[j].bold, body[j].css)
            r.found.append(_t("found_source", text=r.source))
            continue
        break
    return r, body


def _looks_like_title(text: str) -> bool:
    return 0 < len(text) <= 60 and not re.search(r"[。；;！？!?]$", text) and not _BYLINE_RE.match(text)


def _last_paragraph(body: list[Block]) -> int | None:
    for j in range(len(body) - 1, -1, -1):
        if body[j].kind == "p":
            return j
        if body[j].kind not in ("image", "caption"):
            return None
    return None


def headings(body: list[Block], found: list[str]) -> list[Block]:
    """Word headings → ## / ###; bold or short "一、…" and "（一）…" lines → headings too."""
    out: list[Block] = []
    levels = sorted({int(b.css[1]) for b in body if b.kind == "heading" and re.fullmatch(r"h[1-6]", b.css)})
    count = 0
    for b in body:
        if b.kind == "heading":
            depth = levels.index(int(b.css[1])) if re.fullmatch(r"h[1-6]", b.css) else 0
            out.append(Block("heading", "#" * min(2 + depth, 6) + " " + b.markdown, b.plain))
            count += 1
            continue
        if b.kind == "p" and len(b.plain) <= 40 and not re.search(r"[。；;！？!?：:]$", b.plain):
            if _H2_RE.match(b.plain) or _H3_RE.match(b.plain):
                level = "##" if _H2_RE.match(b.plain) else "###"
                out.append(Block("heading", f"{level} {escape(b.plain)}", b.plain))
                count += 1
                continue
        out.append(b)
    if count:
        found.append(_t("found_headings", n=count))
    return out


def figures(body: list[Block], found: list[str]) -> list[Block]:
    """An image followed by a caption paragraph becomes ![caption](images/…)."""
    out: list[Block] = []
    n = 0
    i = 0
    while i < len(body):
        b = body[i]
        if b.kind == "image":
            n += b.markdown.count("![")
            nxt = body[i + 1] if i + 1 < len(body) else None
            if nxt is not None and nxt.kind == "caption" and b.markdown.count("![") == 1:
                caption = f"![{escape(nxt.plain)}]"
                md = re.sub(r"^!\[[^\]]*\]", lambda _m, c=caption: c, b.markdown)
                out.append(Block("image", md))
                i += 2
                continue
        out.append(b if b.kind != "caption" else Block("p", b.markdown, b.plain))
        i += 1
    if n:
        found.append(_t("found_images", n=n))
    return out


# --- the whole import -------------------------------------------------------------------------


@dataclass
class ImportResult:
    path: Path
    images: list[Path]
    found: list[str]
    unmapped: list[str]


@dataclass
class _Image:
    data: bytes
    ext: str


def _check_docx(path: Path, report: Report) -> bool:
    if not path.is_file():
        report.error("", None, "import_no_file", name=str(path))
        return False
    if path.suffix.lower() in (".doc", ".wps", ".rtf", ".odt"):
        report.error(path, None, "import_old_format", name=path.name)
        return False
    if path.stat().st_size > MAX_DOCX_BYTES:
        report.error(path, None, "import_unreadable", name=path.name, reason="> 100 MB")
        return False
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            unpacked = sum(i.file_size for i in z.infolist())
            text = z.getinfo("word/document.xml").file_size if "word/document.xml" in names else 0
    except (zipfile.BadZipFile, OSError) as exc:
        report.error(path, None, "import_unreadable", name=path.name, reason=str(exc)[:80] or "zip")
        return False
    if "word/document.xml" not in names:
        report.error(path, None, "import_unreadable", name=path.name, reason="word/document.xml")
        return False
    if unpacked > MAX_UNPACKED_BYTES:
        report.error(path, None, "import_unreadable", name=path.name, reason="> 500 MB unpacked")
        return False
    if text > MAX_DOCUMENT_XML_BYTES:
        report.error(path, None, "import_unreadable", name=path.name, reason="word/document.xml > 30 MB")
        return False
    return True


def _document_extras(path: Path, unmapped: list[str]) -> None:
    """What mammoth skips silently: comments, tracked changes, equations, charts, text boxes."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8", "replace")
        if "word/comments.xml" in z.namelist():
            unmapped.append(_t("comments"))
    if "<w:del " in xml or "<w:ins " in xml:
        unmapped.append(_t("tracked_changes"))
    if "<m:oMath" in xml:
        unmapped.append(_t("equations"))
    if "drawingml/2006/chart" in xml or "drawingml/2006/diagram" in xml:
        unmapped.append(_t("charts"))
    if "<w:txbxContent" in xml:
        unmapped.append(_t("text_boxes"))


def _convert_image(data: bytes, content_type: str, unmapped: list[str], n: int) -> _Image | None:
    ext = _IMAGE_TYPES.get(content_type)
    from PIL import Image

    saved = Image.MAX_IMAGE_PIXELS
    # pictures pasted into Word can be large; they are scaled down below, up to MAX_DECODE_PIXELS (checked
    # here from the header, before anything is decoded, with a message naming the picture and its size)
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(io.BytesIO(data)) as im:
            if ext is None and content_type not in _CONVERTIBLE:
                raise ValueError(content_type)
            width, height = im.size
            if ext is None or max(im.size) > MAX_IMAGE_SIDE:
                if im.format == "JPEG":  # decoded at 1/2, 1/4 or 1/8 scale when that is still large enough
                    im.draft("RGB", (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                if im.size[0] * im.size[1] > MAX_DECODE_PIXELS:
                    limit = MAX_DECODE_PIXELS // 1_000_000
                    unmapped.append(_t("image_too_many_pixels", n=n, width=width, height=height, limit=limit))
                    return None
                im.load()
                if max(width, height) > MAX_IMAGE_SIDE:
                    unmapped.append(_t("image_scaled", n=n, width=width, height=height, limit=MAX_IMAGE_SIDE))
                    im.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                out = io.BytesIO()
                if ext == "jpg":
                    im.convert("RGB").save(out, "JPEG", quality=90)
                else:
                    ext = "png"
                    im.save(out, "PNG")
                data = out.getvalue()
    except Exception:  # EMF/WMF (Word's vector pictures), broken images: Pillow cannot read them here
        unmapped.append(_t("image_dropped", n=n, type=content_type))
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    return _Image(data, ext)


def import_docx(
    root: Path,
    pub: Publication,
    docx: Path,
    key: str,
    report: Report,
    *,
    section: str | None = None,
    slug: str | None = None,
) -> ImportResult | None:
    """Turn `docx` into an article in issue `key`; None after reporting why it could not."""
    import mammoth

    folder = issue_folder(root, key, report)
    sec = find_section(pub, section, report)
    if not _check_docx(docx, report) or folder is None or sec is None:
        return None
    if slug is not None and not SLUG_RE.match(slug):
        report.error("", None, "bad_slug", value=slug)
        return None

    images: dict[str, _Image | None] = {}
    unmapped: list[str] = []

    def keep_image(image):
        with image.open() as f:
            data = f.read()
        placeholder = f"bulletin-image-{len(images) + 1}"
        images[placeholder] = _convert_image(data, image.content_type or "", unmapped, len(images) + 1)
        return {"src": placeholder}

    try:
        with docx.open("rb") as f:
            result = mammoth.convert_to_html(
                f, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(keep_image)
            )
    except Exception as exc:  # mammoth and its XML reader raise many kinds on broken files
        report.error(
            docx, None, "import_unreadable", name=docx.name, reason=(str(exc) or type(exc).__name__)[:80]
        )
        return None
    _document_extras(docx, unmapped)
    for m in result.messages:
        text = m.message
        if text.startswith("Unrecognised paragraph style") or text.startswith("Unrecognised run style"):
            continue  # custom styles become plain paragraphs: nothing is lost but the looks
        unmapped.append(_t("mammoth", text=text))

    # names for the images, known before the Markdown is written; never an existing file
    tree = parse_html(result.value)
    fallback = " ".join(docx.stem.split())
    title_guess = recognise(Converter({}).blocks(tree), fallback)[0].title
    path = choose_file(folder, title_guess, slug, report)
    if path is None:
        return None
    stem = path.stem
    srcs: dict[str, str] = {}
    planned: list[tuple[Path, bytes]] = []
    n = 0
    for placeholder, img in images.items():
        if img is None:
            srcs[placeholder] = ""
            continue
        n += 1
        target = folder / "images" / f"{stem}-{n}.{img.ext}"
        while target.exists():
            n += 1
            target = folder / "images" / f"{stem}-{n}.{img.ext}"
        srcs[placeholder] = f"images/{target.name}"
        planned.append((target, img.data))

    conv = Converter(srcs)
    blocks = conv.blocks(tree)
    rec, body = recognise(blocks, fallback)
    body = headings(body, rec.found)
    body = figures(body, rec.found)
    for kind, msg in (("list", "found_lists"), ("table", "found_tables")):
        count = sum(1 for b in body if b.kind == kind)
        if count:
            rec.found.append(_t(msg, n=count))
    if conv.footnotes:
        rec.found.append(_t("found_footnotes", n=len(conv.footnotes)))
    unmapped = unmapped + [u for u in conv.unmapped if u not in unmapped]

    fm = FrontMatter(
        rec.title,
        sec,
        subtitle=rec.subtitle,
        authors=rec.authors,
        affiliation=rec.affiliation,
        author_note=rec.author_note,
        source=rec.source,
    )
    text = fm.render() + "\n" + "\n\n".join(b.markdown for b in body if b.markdown)
    if conv.footnotes:
        text += "\n\n" + "\n".join(conv.footnotes)
    text = text.rstrip() + "\n"

    written: list[Path] = []
    try:
        for target, data in planned:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as f:
                f.write(data)
            written.append(target)
        with path.open("x", encoding="utf-8") as f:
            f.write(text)
    except BaseException:
        for p in written:  # leave nothing half-imported behind
            p.unlink(missing_ok=True)
        raise
    return ImportResult(path, written, rec.found, unmapped)


def _t(key: str, **kw) -> str:
    return messages.t("import_" + key, **kw)
