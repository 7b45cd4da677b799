"""`bulletin import FILE.docx --issue 2026-04`: a Word document becomes an article.

mammoth turns the .docx into simple, semantic HTML (it reads Word's structure, not its looks); this module
turns that HTML into our Markdown and recognises what Chinese bulletins put around an article's body:

    强化开局之谋 展现开局之为               the title (Word's Title style, a first heading, or the first line)
    ——在第38次主任会议上的讲话              a subtitle starting with ——
    ■ 和建华 陈碧海（云南）                 a byline: authors and their province or unit
    （杭锦旗人大工委主任 郝玥）              a closing byline: unit and author
    据《人民代表报》                        a reprint's source (also at the end of the last paragraph)
    （作者系某县人大常委会主任）              a note about the author
    工作动态 / 【人大文苑】                   a column line: tells the section, is not the title
    市人大常委会党组理论学习中心组            an unmarked byline right under the title (names or units)
    ▲ 代表视察… / 图为… under a picture       its caption (also a centred or smaller line there)
    short lines in stanzas, centred…         a poem: one ::: poem block, stanza breaks kept

The byline's mark is kept when it is not ■ (front matter byline_mark: □). Without --section the section
is guessed from the column line, a poem or ● briefs, else asked (in a terminal) or refused with the list.
`--replace` puts a revised manuscript's body into the article imported before, keeping its front matter
and backing up the earlier file and its pictures.

Headings, bold "一、…" headings, lists, tables, footnotes and images (saved under the issue's images/)
are carried over; everything that could not be (merged cells, equations, comments…) is listed in the
result so the editor knows what to check.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bulletin import messages
from bulletin.content.limits import MAX_DECODE_PIXELS
from bulletin.content.slugs import SLUG_RE
from bulletin.diagnostics import Report
from bulletin.editor.new_article import FrontMatter, article_titled, choose_file, find_section, issue_folder
from bulletin.model import Publication, Section

MAX_DOCX_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024  # a zip bomb would be far larger unpacked than any real document
# The text itself: mammoth reads ~2.4 MB of document.xml a second (20 MB 8.5 s; 300 MB of padding, well under
# the unpacked limit, over 120 s). A 500-page report is ~10 MB.
MAX_DOCUMENT_XML_BYTES = 30 * 1024 * 1024
MAX_IMAGE_SIDE = 4000  # larger pictures are scaled down to this (enough for print at 300 dpi)

_LOOK = "bulletin-look-"
# Word's built-in styles under their English and Chinese (WPS, localised Word) names.
STYLE_MAP = "\n".join(
    [f"p[style-name='{n}'] => h1.doc-title:fresh" for n in ("Title", "标题")]
    + [f"p[style-name='{n}'] => p.doc-subtitle:fresh" for n in ("Subtitle", "副标题")]
    + [f"p[style-name='{n}'] => p.caption:fresh" for n in ("Caption", "caption", "题注")]
    + [f"p[style-name='{n}'] => blockquote > p:fresh" for n in ("Quote", "Intense Quote", "引用", "明显引用")]
    + [f"p[style-name='标题 {i}'] => h{i}:fresh" for i in range(1, 7)]
    + ["u => u", "strike => s"]
    # what Word's looks say about a plain paragraph (see _mark_looks): centred, in a smaller size
    + [f"p[style-name='{_LOOK}{k}'] => p.x-{k}:fresh" for k in ("centre", "small", "centre-small")]
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
BYLINE_MARKS = "■□◆●▲★"
DEFAULT_BYLINE_MARK = "■"  # what the print layout sets when the front matter names none
# Common surnames (single and compound): an unmarked line of names under the title is a byline only if
# each name starts with one (so 春天来了 is not taken for a name).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪"
    "梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简"
    "车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区"
    "郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍"
    "辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣"
    "信展阴昝智幸奉植衡富尧闭由"
)
_COMPOUND_SURNAMES = tuple(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 夏侯 轩辕 端木 独孤 南宫 西门 百里"
    " 呼延".split()
)
# words before the names in an unmarked byline (本刊记者 张三)
_ROLES = (
    *"本刊记者 本报记者 特约记者 记者 特约通讯员 通讯员 本刊评论员 评论员 文/ 文：".split(),
    "文 /",
    "作者：",
    "作者 ",
)
_COLLECTIVE_END = _ORG_END + "员组"
_SENTENCE_PUNCT_RE = re.compile(r"[。，；：！？,;:!?“”\"《》…—]")
# column names (栏目) that a manuscript may start with, besides the publication's own sections
_COLUMN_WORDS = tuple(
    "工作动态 人大动态 基层动态 会议动态 工作简讯 简讯 动态 要闻 人大要闻 综合信息 信息 简报 代表风采"
    " 他山之石 人大文苑 文苑 文学社 诗歌 诗词 理论研讨 调查研究 特别关注 图片新闻 建言献策"
    " 工作要点 经验交流".split()
)
_COLUMN_DECOR = "【】[]〔〕〖〗「」『』<>《》◆■●★□▲◇○ \t"
# sections whose articles are poems (a section named 人大文苑 or 诗歌, id poetry…)
_POETRY_SECTION_RE = re.compile(r"诗|文苑|文学|文艺|poe|literat", re.I)
_BRIEF_SECTION_RE = re.compile(r"动态|简讯|要闻|信息|简报|news|brief", re.I)
_CAPTION_START_RE = re.compile(
    r"^(?:图为|图\s*[0-9一二三四五六七八九十]+|图\s*[：:/／]|图\s|图片[：:]|[▲△]|[（(]\s*图)"
)
MAX_CAPTION_CHARS = 100  # a caption starting with 图为/▲…; one known only by its looks: 60
MAX_POEM_LINE = 30  # characters of a poem's longest line
# short lines that are not verse: a brief (●…), a label (时间：…), a date or number first (3月5日，…)
_PROSE_LINE_RE = re.compile(
    rf"^(?:[{BYLINE_MARKS}]|[^，。：:\s]{{1,6}}[：:]|\d+(?:月|[.、．]\S)|[（(]?[{_CN_NUM}]+[、）)])"
)
MIN_POEM_LINES = 4
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
    after_blank: bool = False  # an empty paragraph came before it (poems: a stanza break)

    @property
    def centred(self) -> bool:
        return self.css in ("x-centre", "x-centre-small")

    @property
    def small(self) -> bool:
        return self.css in ("x-small", "x-centre-small")

    def lines(self) -> list[str]:
        """The paragraph's lines (Word's line breaks, Shift+Enter), as Markdown."""
        return [line.strip() for line in self.markdown.split("\\\n") if line.strip()]


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
        blank = False
        for c in root.children:
            if isinstance(c, str):
                if c.strip():
                    out.append(self._paragraph(Node("p", children=[c])))
                continue
            if c.tag == "p" and not _clean(c.text()) and not c.find_all("img"):
                blank = True  # an empty paragraph: kept only as a mark on the next block
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
                block.after_blank = blank and bool(out)
                blank = False
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
    byline_mark: str = ""  # the mark before the byline when it is not ■ (□ stays □)
    column: str = ""  # a first line that named the column (工作动态), not the title
    section: Section | None = None  # the section that column line names, if it names one
    title_found: bool = False
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


def recognise(
    blocks: list[Block], fallback_title: str, sections: tuple[Section, ...] = ()
) -> tuple[Recognised, list[Block]]:
    """Take the column line, title, subtitle, byline, source and author note out of `blocks`."""
    r = Recognised()
    body = list(blocks)

    def take(i: int) -> None:
        body.pop(i)

    # a first line naming the column (工作动态, 【人大文苑】): the section, not the title
    col = column_line(body[0].plain, sections) if body and body[0].kind in ("p", "heading") else None
    if col is not None:
        r.column, r.section = body[0].plain, col or None
        take(0)

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
        r.title_found = True
        r.found.append(_t("found_title", text=r.title))
    else:
        r.title = fallback_title
        if r.column:
            r.found.append(_t("found_no_title", column=r.column, title=fallback_title))
        else:
            r.found.append(_t("found_file_title", title=fallback_title))
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
        elif not r.authors and (m := _BYLINE_RE.match(text)) and _plausible_names(m.group("names")):
            names = _split_names(m.group("names"))
            if m.group("aff"):
                r.authors, r.affiliation = names, m.group("aff").strip()
            elif len(names) > 1 and not _NAME_RE.match(names[0]):  # □ 某某市人大代表 梁斌 呼成军
                r.affiliation, r.authors = names[0], names[1:]
            else:
                r.authors = names
            if text[0] != DEFAULT_BYLINE_MARK:
                r.byline_mark = text[0]
            r.found.append(_t("found_byline", text=text))
        elif not r.source and (m := _SOURCE_RE.match(text)) and len(text) <= 32:
            r.source = m.group("src").strip()
            r.found.append(_t("found_source", text=r.source))
        elif (
            not r.authors
            and r.title_found
            and b.kind == "p"
            and i + 1 < len(body)
            and (ub := unmarked_byline(text)) is not None
            and not (not ub[0] and _verse_follows(body, i))
        ):
            r.affiliation, r.authors = ub
            r.found.append(_t("found_unmarked_byline", text=text))
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
    return (
        0 < len(text) <= 60
        and not re.search(r"[。；;！？!?]$", text)
        and not _BYLINE_RE.match(text)
        and not text.startswith(tuple(BYLINE_MARKS))  # ●2月28日，… is a brief, not a title
    )


def column_line(text: str, sections: tuple[Section, ...]) -> Section | str | None:
    """If `text` is a column's name (工作动态, 【人大文苑】, or a section of bulletin.yaml): that section,
    or "" when it names no section of this publication; None when it is not a column line."""
    name = text.strip(_COLUMN_DECOR)
    if not name or len(name) > 12:
        return None
    for sec in sections:
        if name in (sec.name, sec.id):
            return sec
    if name not in _COLUMN_WORDS:
        return None
    return similar_section(name, sections) or ""


def similar_section(name: str, sections: tuple[Section, ...]) -> Section | None:
    """The section whose name shares the most characters with `name` (基层动态 → 工作动态), if two or
    more and no other section shares as many."""
    scores = sorted(((len(set(name) & set(s.name)), i) for i, s in enumerate(sections)), reverse=True)
    if not scores or scores[0][0] < 2 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return sections[scores[0][1]]


def _verse_follows(body: list[Block], i: int) -> bool:
    """Whether the line `i` and the short lines after it read as verse, with no empty paragraph after
    `i` to set it apart: then a bare name there (杨柳青) is more likely the poem's first line than its
    author."""
    rest = body[i + 1 :]
    if not rest or rest[0].after_blank:
        return False
    return len(rest) >= 2 and all(b.kind == "p" and len(b.plain) <= MAX_POEM_LINE for b in rest)


def _plausible_names(text: str) -> bool:
    """The names part of a marked byline: short, no sentence punctuation or digits (●2月28日，…。 is a
    brief, not a byline)."""
    return len(text) <= 40 and not _SENTENCE_PUNCT_RE.search(text) and not re.search(r"\d", text)


def _is_name(token: str) -> bool:
    if not _NAME_RE.match(token) or "·" in token:
        return False
    if token.startswith(_COMPOUND_SURNAMES):
        return len(token) in (3, 4)
    return token[0] in _SURNAMES and len(token) in (2, 3)


def unmarked_byline(text: str) -> tuple[str, list[str]] | None:
    """A line under the title that names its authors without a mark (张三 李四, 市人大常委会办公室 于慧文,
    市人大常委会党组理论学习中心组, 本刊记者 王云): (affiliation, authors), or None if it does not look like
    one (it is long, has sentence punctuation, or is not made of names and units)."""
    text = _clean(text)
    for role in _ROLES:
        if text.startswith(role):
            names = _split_names(text[len(role) :])
            return ("", names) if names and all(_is_name(n) for n in names) else None
    if not text or len(text) > 30 or _SENTENCE_PUNCT_RE.search(text) or re.search(r"\d", text):
        return None
    if _H2_RE.match(text) or _H3_RE.match(text):
        return None
    tokens = _split_names(text)
    if all(_is_name(t) for t in tokens):
        return "", tokens
    unit, names = tokens[0], tokens[1:]
    if len(unit) >= 4 and unit[-1] in _COLLECTIVE_END and all(_is_name(n) for n in names):
        return (unit, names) if names else ("", [unit])
    return None


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


def captions(blocks: list[Block]) -> list[Block]:
    """A short paragraph right under a photo is its caption: one starting with 图为, 图1, ▲ or （图…, or
    one the document centres or sets smaller than the body text. (Word's 题注 style is one already.)"""
    out: list[Block] = []
    for i, b in enumerate(blocks):
        if (
            i
            and b.kind == "p"
            and blocks[i - 1].kind == "image"
            and blocks[i - 1].markdown.count("![") == 1
            and not (_H2_RE.match(b.plain) or _H3_RE.match(b.plain))
            and (
                (_CAPTION_START_RE.match(b.plain) and len(b.plain) <= MAX_CAPTION_CHARS)
                or ((b.centred or b.small) and len(b.plain) <= 60)
            )
        ):
            text = re.sub(r"^[▲△]\s*", "", b.plain)
            if re.fullmatch(r"[（(][^（）()]+[）)]", text):  # （图为……）
                text = text[1:-1].strip()
            out.append(Block("caption", b.markdown, text, b.bold, "caption", b.after_blank))
            continue
        out.append(b)
    return out


def is_poetry_section(section: Section | None) -> bool:
    return section is not None and bool(_POETRY_SECTION_RE.search(f"{section.id} {section.name}"))


def poem(body: list[Block], section: Section | None, found: list[str]) -> list[Block]:
    """The whole body as one `::: poem` when it reads as a poem: at least four short lines (no more than
    MAX_POEM_LINE characters, paragraphs only) and one more sign of verse: stanzas (empty paragraphs
    between groups of lines, or lines broken with Shift+Enter), a poetry section (人大文苑, 诗歌…),
    or lines the document centres. Stanza breaks are kept; anything else leaves the body as it is."""
    if not body or any(b.kind != "p" for b in body):
        return body
    multi = any(len(b.lines()) > 1 for b in body)
    stanzas: list[list[str]] = []
    for b in body:
        lines = [escape_line_start(line.rstrip("\\").strip()) for line in b.lines()]
        if not stanzas or multi or b.after_blank:
            stanzas.append([])
        stanzas[-1].extend(lines)
    lines = [line for st in stanzas for line in st]
    plain = [_clean(re.sub(r"\\(.)", r"\1", line)) for line in lines]
    if len(lines) < MIN_POEM_LINES or max(len(t) for t in plain) > MAX_POEM_LINE:
        return body
    if sum(1 for t in plain if _PROSE_LINE_RE.match(t)) * 3 >= len(plain):
        return body  # ● briefs, 时间：… / 地点：… lines, dated items: short, but not verse
    centred = sum(len(b.lines()) for b in body if b.centred)
    signs = [len(stanzas) > 1, is_poetry_section(section), centred * 3 >= len(lines) * 2]
    if not any(signs):
        return body
    md = "::: poem\n" + "\n\n".join("\n".join(st) for st in stanzas) + "\n:::"
    found.append(_t("found_poem", stanzas=len(stanzas), lines=len(lines)))
    return [Block("poem", md, "\n".join(plain))]


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
    replaced: Replaced | None = None


@dataclass
class Replaced:
    """What `--replace` did: the backup of the earlier version and what of it was kept."""

    backup: Path
    old_lines: int
    new_lines: int
    kept: list[str] = field(default_factory=list)  # front-matter values the editor's file keeps
    added: list[str] = field(default_factory=list)  # front-matter keys filled in from the manuscript


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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STYLED = {n.split("'")[1] for n in STYLE_MAP.split("\n") if "style-name='" in n}


def _default_font_size(path: Path) -> float:
    """The size (pt) of text with none of its own: the Normal style's, else the document default's,
    else Word's 10.5 pt (五号)."""
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(path) as z:
            root = ET.fromstring(z.read("word/styles.xml"))
    except (KeyError, zipfile.BadZipFile, OSError, ET.ParseError):
        return 10.5
    for style in root.iter(f"{_W}style"):
        if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") == "1":
            sz = style.find(f"{_W}rPr/{_W}sz")
            if sz is not None and (sz.get(f"{_W}val") or "").isdigit():
                return int(sz.get(f"{_W}val")) / 2
    sz = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
    if sz is not None and (sz.get(f"{_W}val") or "").isdigit():
        return int(sz.get(f"{_W}val")) / 2
    return 10.5


def _mark_looks(default_size: float):
    """A mammoth document transform: plain paragraphs (no style this module maps, not in a list) that
    are centred or set smaller than the body text get a style of ours (_LOOK…), so that the HTML says so
    (captions under photos, poems' centred lines)."""
    import mammoth
    from mammoth import documents

    def size_and_text(paragraph) -> tuple[float, int]:
        size, chars = 0.0, 0
        for run in mammoth.transforms.get_descendants_of_type(paragraph, documents.Run):
            texts = mammoth.transforms.get_descendants_of_type(run, documents.Text)
            n = sum(len(t.value.strip()) for t in texts)
            if n:
                size = max(size, run.font_size or default_size)
                chars += n
        return size, chars

    def plain(paragraph) -> bool:
        name = paragraph.style_name or ""
        return paragraph.numbering is None and name not in _STYLED and not re.match(r"(?i)heading|标题", name)

    def transform(document):
        weights: dict[float, int] = {}
        for para in mammoth.transforms.get_descendants_of_type(document, documents.Paragraph):
            if plain(para):
                size, chars = size_and_text(para)
                if chars:
                    weights[size] = weights.get(size, 0) + chars
        body = max(weights, key=lambda k: weights[k]) if weights else default_size

        def paragraph(para):
            if not plain(para):
                return para
            size, chars = size_and_text(para)
            centred = para.alignment == "center"
            small = bool(chars) and size <= body - 1
            if not (centred or small):
                return para
            look = "centre-small" if centred and small else "centre" if centred else "small"
            return para.copy(style_name=_LOOK + look)

        return mammoth.transforms.paragraph(paragraph)(document)

    return transform


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
    replace: bool = False,
    choose_section: Callable[[tuple[Section, ...]], Section | None] | None = None,
) -> ImportResult | None:
    """Turn `docx` into an article in issue `key`; None after reporting why it could not.
    Without `section`, it is guessed from the manuscript (its column line, a poem, briefs), else asked
    with `choose_section` (interactive use), else refused with the list of sections. With `replace`, the
    article of the issue with the manuscript's title (or `slug`) gets the new body; its front matter is
    kept and the earlier file is backed up."""
    import mammoth

    folder = issue_folder(root, key, report)
    sec = find_section(pub, section, report) if section else None
    if not _check_docx(docx, report) or folder is None or (section and sec is None):
        return None
    if slug is not None and not SLUG_RE.match(slug):
        report.error("", None, "bad_slug", value=slug)
        return None

    images: dict[str, _Image | None] = {}
    unmapped: list[str] = []

    def keep_image(image):
        placeholder = f"bulletin-image-{len(images) + 1}"
        try:
            with image.open() as f:
                data = f.read()
        except (KeyError, OSError):  # a picture linked to outside the document (file:///…, http://…)
            unmapped.append(_t("image_linked", n=len(images) + 1))
            images[placeholder] = None
            return {"src": placeholder}
        images[placeholder] = _convert_image(data, image.content_type or "", unmapped, len(images) + 1)
        return {"src": placeholder}

    try:
        with docx.open("rb") as f:
            result = mammoth.convert_to_html(
                f,
                style_map=STYLE_MAP,
                convert_image=mammoth.images.img_element(keep_image),
                ignore_empty_paragraphs=False,
                transform_document=_mark_looks(_default_font_size(docx)),
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

    # a first pass without the images' names: the title (for the file name) and the section
    tree = parse_html(result.value)
    if not _clean(tree.text()) and not images:
        report.error(docx, None, "import_empty", name=docx.name)
        return None
    fallback = " ".join(docx.stem.split())
    rec0, body0 = recognise(captions(Converter({}).blocks(tree)), fallback, pub.sections)
    section_note = ""
    old_text = ""
    if replace:
        path = replace_target(folder, rec0.title, slug, report)
        if path is None:
            return None
        old_text = path.read_text(encoding="utf-8")
        if sec is None:  # the article's own section (its front matter is kept anyway)
            m = re.search(r"^section:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", old_text, re.M)
            sec = pub.section(m.group(1).strip()) if m else None
    if sec is None:
        sec, section_note = guess_section(pub, rec0, headings(body0, []))
    if sec is None and choose_section is not None:
        sec = choose_section(pub.sections)
    if sec is None:
        choices = "、".join(f"{s.id}（{s.name}）" for s in pub.sections)
        report.error(
            "",
            None,
            "import_section_required",
            choices=choices,
            doc=docx.name,
            key=key,
            example=pub.sections[0].id,
        )
        return None

    if not replace:
        path = choose_file(folder, rec0.title, slug, report, exists_code="import_exists")
        if path is None:
            return None
    stem = path.stem
    old_images = _images_of(folder, stem, old_text) if replace else []

    # names for the images, known before the Markdown is written; never an existing file (but the
    # earlier version's own pictures, when it is replaced: they go to the backup)
    srcs: dict[str, str] = {}
    planned: list[tuple[Path, bytes]] = []
    n = 0
    for placeholder, img in images.items():
        if img is None:
            srcs[placeholder] = ""
            continue
        n += 1
        target = folder / "images" / f"{stem}-{n}.{img.ext}"
        while target.exists() and target not in old_images:
            n += 1
            target = folder / "images" / f"{stem}-{n}.{img.ext}"
        srcs[placeholder] = f"images/{target.name}"
        planned.append((target, img.data))

    conv = Converter(srcs)
    blocks = captions(conv.blocks(tree))
    rec, body = recognise(blocks, fallback, pub.sections)
    if section_note:
        rec.found.insert(0, section_note)
    body = headings(body, rec.found)
    body = poem(body, sec, rec.found)
    captioned = sum(1 for b in body if b.kind == "caption")
    body = figures(body, rec.found)
    if captioned:
        rec.found.append(_t("found_captions", n=captioned))
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
        byline_mark=rec.byline_mark,
    )
    body_md = "\n\n".join(b.markdown for b in body if b.markdown)
    if conv.footnotes:
        body_md += "\n\n" + "\n".join(conv.footnotes)
    replaced: Replaced | None = None
    if replace:
        front, kept, added = merge_front_matter(old_text, fm)
        text = front + "\n" + body_md
    else:
        text = fm.render() + "\n" + body_md
    text = text.rstrip() + "\n"

    if replace:
        backup = _backup(root, [path, *old_images])
        replaced = Replaced(backup, old_text.count("\n"), text.count("\n"), kept, added)
        for p in old_images:
            p.unlink()
    written: list[Path] = []
    try:
        for target, data in planned:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as f:
                f.write(data)
            written.append(target)
        if replace:
            from bulletin.content.replace import replace_file

            replace_file(path, text.encode("utf-8"))
        else:
            with path.open("x", encoding="utf-8") as f:
                f.write(text)
    except BaseException:
        for p in written:  # leave nothing half-imported behind
            p.unlink(missing_ok=True)
        if replaced is not None:  # and the earlier version as it was
            for p in old_images:
                shutil.copy2(replaced.backup / p.relative_to(root), p)
        raise
    return ImportResult(path, written, rec.found, unmapped, replaced)


def guess_section(pub: Publication, rec: Recognised, body: list[Block]) -> tuple[Section | None, str]:
    """The section the manuscript shows, and a sentence saying how it was told: its column line
    (工作动态), a poem (a poetry section), briefs (● paragraphs: a news section); (None, "") if none."""
    if rec.section is not None:
        sec = rec.section
        return sec, _t("section_from_column", column=rec.column, id=sec.id, name=sec.name)
    if len(pub.sections) == 1:
        return pub.sections[0], ""
    if poem(body, None, []) is not body or (rec.column and _POETRY_SECTION_RE.search(rec.column)):
        poetic = [s for s in pub.sections if is_poetry_section(s)]
        if len(poetic) == 1:
            return poetic[0], _t("section_from_poem", id=poetic[0].id, name=poetic[0].name)
    paragraphs = [b for b in body if b.kind == "p"]
    briefs = sum(1 for b in paragraphs if b.plain.startswith(tuple(BYLINE_MARKS)))
    if briefs >= 2 and briefs * 2 >= len(paragraphs):
        news = [s for s in pub.sections if _BRIEF_SECTION_RE.search(f"{s.id} {s.name}")]
        if len(news) == 1:
            return news[0], _t("section_from_briefs", id=news[0].id, name=news[0].name)
    return None, ""


def replace_target(folder: Path, title: str, slug: str | None, report: Report) -> Path | None:
    """The article `--replace` updates: `slug`.md, else the one with the manuscript's title."""
    if slug is not None:
        path = folder / f"{slug}.md"
        if path.is_file():
            return path
    else:
        path = article_titled(folder, title)
        if path is not None:
            return path
    articles = "、".join(p.name for p in sorted(folder.glob("*.md"))) or "—"
    report.error(
        "",
        None,
        "import_replace_none",
        title=slug or title,
        folder=report.rel(folder) + "/",
        articles=articles,
    )
    return None


def _images_of(folder: Path, stem: str, text: str) -> list[Path]:
    """The pictures an earlier import made for this article (images/<stem>-N.ext) that it still uses."""
    names = set(re.findall(rf"\(images/({re.escape(stem)}-\d+\.[a-z]+)\)", text))
    return sorted(p for p in (folder / "images" / n for n in names) if p.is_file())


def _backup(root: Path, files: list[Path]) -> Path:
    """Copy `files` into backups/import-<date-time>/ at their paths in the project; the folder."""
    from bulletin.editor.fix import BACKUP_DIR

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = root / BACKUP_DIR / f"import-{stamp}"
    n = 1
    while backup.exists():
        n += 1
        backup = root / BACKUP_DIR / f"import-{stamp}-{n}"
    for f in files:
        target = backup / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    return backup


# front-matter keys a re-import fills in when the editor's file has none
_MERGED_KEYS = ("subtitle", "authors", "affiliation", "author_note", "source", "byline_mark")


def merge_front_matter(old_text: str, fm: FrontMatter) -> tuple[str, list[str], list[str]]:
    """The earlier version's front matter (its text, comments and all) with what the manuscript gives
    and it lacks filled in: (front matter ending with ---, values kept that differ from the
    manuscript's, keys added)."""
    import yaml

    from bulletin.content.loader import split_front_matter

    try:
        parts = split_front_matter(old_text)
    except ValueError:
        parts = None
    lines = parts[0].split("\n") if parts else []
    try:
        data = yaml.safe_load(parts[0]) if parts else {}
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):  # a broken front matter: the manuscript's, in full
        return fm.render(), [], []
    new = {
        "title": fm.title,
        "subtitle": fm.subtitle,
        "authors": fm.authors,
        "affiliation": fm.affiliation,
        "author_note": fm.author_note,
        "source": fm.source,
        "byline_mark": fm.byline_mark,
    }
    rendered = {ln.split(":", 1)[0].lstrip("# "): ln for ln in fm.render().split("\n") if ":" in ln}
    kept: list[str] = []
    added: list[str] = []
    for key, value in new.items():
        if not value:
            continue
        old = data.get(key)
        if old not in (None, "", []):
            if (list(old) if isinstance(old, list) else old) != value:
                shown = "、".join(old) if isinstance(old, list) else str(old)
                kept.append(f"{key}: {shown}")
            continue
        if key == "title":
            continue
        line = rendered[key]
        for i, ln in enumerate(lines):
            if re.match(rf"^#?\s*{key}\s*:", ln):
                lines[i] = line
                break
        else:
            lines.append(line)
        added.append(key)
    return "---\n" + "\n".join(lines) + "\n---\n", kept, added


def _t(key: str, **kw) -> str:
    return messages.t("import_" + key, **kw)
