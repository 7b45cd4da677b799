"""An article body as rendered by bulletin.markdown → the plain markup the 公众号 editor keeps on paste.

The editor of a WeChat official account keeps paragraphs, spans, bold, pictures, line breaks, rules and
simple tables with their inline styles, and drops or mangles the rest (classes, ids, lists, headings,
figures, links, flex layouts). `wechat_markup` rewrites the body's HTML into that vocabulary and gives
each element a class naming its role (`p`, `brief`, `h2`, `caption`, `stanza` …): the stylesheet
templates/wechat/wechat.css styles the roles, bulletin.wechat.export inlines it and removes the classes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bulletin.markdown_fast import BRIEF_MARKS

# The elements an export may contain (checked on the final HTML: bulletin.wechat.export).
ALLOWED_TAGS = frozenset(
    {"section", "p", "span", "strong", "img", "br", "hr", "table", "thead", "tbody", "tr", "th", "td"}
)
_VOID = frozenset({"img", "br", "hr", "wbr", "input", "meta", "link", "source", "area", "col"})
_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "figure", "figcaption", "div",
     "section", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "hr", "pre", "dl", "dt", "dd",
     "article", "aside", "header", "footer", "nav", "main", "details", "summary", "address", "caption"}
)  # fmt: skip
_DROPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"})
_HAN = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_NEWLINE_BETWEEN_HAN = re.compile(f"(?<=[{_HAN}])[ \t]*\n[ \t]*(?=[{_HAN}])")
_SPACES = re.compile(r"[ \t\r\n]+")  # not U+3000: an ideographic space in a poem line is meant
_BR = '<br class="br">'
_AFTER_BREAK = re.compile(re.escape(_BR) + r"[ \t\n]+")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)

    def cls(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_fragment(fragment: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


def _el(tag: str, cls: str, inner: str = "", attrs: str = "") -> str:
    if tag in ("img", "br", "hr"):
        return f'<{tag} class="{cls}"{attrs}>'
    return f'<{tag} class="{cls}"{attrs}>{inner}</{tag}>'


class _Converter:
    def __init__(self, image_src: Callable[[str], str | None]) -> None:
        self.image_src = image_src
        self.footnote_title = "注释"

    # --- inline content ------------------------------------------------------------------------

    def inline(self, nodes: list[_Node | str]) -> str:
        out = []
        for n in nodes:
            if isinstance(n, str):
                out.append(self.text(n))
            else:
                out.append(self.inline_node(n))
        return _AFTER_BREAK.sub(_BR, "".join(out))  # the source's line break after a <br> is no space

    @staticmethod
    def text(s: str) -> str:
        s = _NEWLINE_BETWEEN_HAN.sub("", s)  # a soft line break inside Chinese text is no space
        return html.escape(_SPACES.sub(" ", s), quote=False)

    def inline_node(self, n: _Node) -> str:
        tag = n.tag
        if tag in _DROPPED:
            return ""
        if tag in ("strong", "b"):
            return _el("strong", "strong", self.inline(n.children))
        if tag in ("em", "i", "cite", "dfn", "var"):
            return _el("span", "em", self.inline(n.children))
        if tag in ("s", "del", "strike"):
            return _el("span", "del", self.inline(n.children))
        if tag in ("u", "ins"):
            return _el("span", "u", self.inline(n.children))
        if tag in ("code", "kbd", "samp", "tt"):
            return _el("span", "code", self.inline(n.children))
        if tag == "mark":
            return _el("span", "mark", self.inline(n.children))
        if tag == "sup" and "footnote-ref" in n.cls():
            return _el("span", "fn-ref", html.escape(n.text().strip(), quote=False))
        if tag in ("sup", "sub"):
            return _el("span", tag, self.inline(n.children))
        if tag == "br":
            return '<br class="br">'
        if tag == "img":
            return self.image(n, "img")
        if tag == "a":
            return self.link(n)
        if tag in _BLOCKS:  # a block inside inline content (raw HTML): its text, on a line of its own
            inner = self.inline(n.children)
            return f'<br class="br">{inner}' if inner else ""
        return _el("span", "span", self.inline(n.children))

    def link(self, n: _Node) -> str:
        """WeChat articles cannot link outside: the text, then the address a reader can copy."""
        inner = self.inline(n.children)
        href = n.attrs.get("href", "").strip()
        if "footnote-backref" in n.cls():
            return ""
        if re.match(r"(?i)(https?:|mailto:)", href):
            shown = href[7:] if href.lower().startswith("mailto:") else href
            if html.unescape(re.sub(r"<[^>]+>", "", inner)).strip() != shown:
                inner += _el("span", "link-url", "（" + html.escape(shown, quote=False) + "）")
        return _el("span", "link", inner)

    def image(self, n: _Node, cls: str) -> str:
        src = self.image_src(n.attrs.get("src", ""))
        if src is None:
            return ""
        alt = html.escape(n.attrs.get("alt", ""), quote=True)
        return _el("img", cls, attrs=f' src="{html.escape(src, quote=True)}" alt="{alt}"')

    # --- blocks --------------------------------------------------------------------------------

    def blocks(self, nodes: list[_Node | str], ctx: str = "") -> str:
        out: list[str] = []
        run: list[_Node | str] = []  # inline content between blocks (raw HTML, tight list items)

        def flush() -> None:
            if any(isinstance(x, _Node) or x.strip() for x in run):
                inner = self.inline(run).strip()
                if inner:
                    out.append(_el("p", "p", inner))
            run.clear()

        for n in nodes:
            if isinstance(n, str) or (n.tag not in _BLOCKS and n.tag not in _DROPPED):
                run.append(n)
                continue
            flush()
            out.append(self.block(n, ctx))
        flush()
        return "".join(out)

    def block(self, n: _Node, ctx: str) -> str:
        tag, cls = n.tag, n.cls()
        if tag in _DROPPED:
            return ""
        if tag == "p":
            return self.paragraph(n, ctx)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = {"h1": "h2", "h2": "h2", "h3": "h3"}.get(tag, "h4")
            return _el("p", level, _el("strong", "heading-strong", self.inline(n.children).strip()))
        if tag == "figure":
            return self.figure(n)
        if tag == "div" and "figure-row" in cls:  # side by side on paper; one under the other on a phone
            return self.blocks(n.children, ctx)
        if tag == "div" and "poem" in cls:
            return _el("section", "poem", self.blocks(n.children, "poem"))
        if tag == "blockquote":
            return _el("section", "quote", self.blocks(n.children, "quote"))
        if tag in ("ul", "ol"):
            return self.list(n, depth=1)
        if tag == "section" and "footnotes" in cls:
            return self.footnotes(n)
        if tag == "hr":
            return "" if "footnotes-sep" in cls else _el("hr", "hr")
        if tag == "pre":
            code = html.escape(n.text().rstrip("\n"), quote=False)
            code = code.replace(" ", "\u00a0").replace("\n", '<br class="br">')
            return _el("section", "pre", code)
        if tag == "table":
            return self.table(n)
        if tag in ("dt", "summary", "caption"):
            return _el("p", "p-plain", _el("strong", "strong", self.inline(n.children).strip()))
        # div, section, dl, dd, article…: their content
        return self.blocks(n.children, ctx)

    def paragraph(self, n: _Node, ctx: str) -> str:
        cls = n.cls()
        inner = self.inline(n.children).strip()
        if not inner:
            return ""
        if ctx == "poem":
            return _el("p", "stanza-no" if "stanza-no" in cls else "stanza", inner)
        if ctx == "quote":
            return _el("p", "quote-p", inner)
        if "brief" in cls:
            for mark in BRIEF_MARKS:
                if inner.startswith(mark):
                    inner = _el("span", "brief-mark", mark) + inner[len(mark) :]
                    break
            return _el("p", "brief", inner)
        if "bold-heading" in cls:
            return _el("p", "bold-heading", inner)
        return _el("p", "p", inner)

    def figure(self, n: _Node) -> str:
        imgs = []
        caption = ""
        for c in n.children:
            if isinstance(c, _Node) and c.tag == "img":
                imgs.append(self.image(c, "figure-img"))
            elif isinstance(c, _Node) and c.tag == "figcaption":
                caption = self.inline(c.children).strip()
        body = "".join(i for i in imgs if i)
        if not body:
            return _el("p", "caption", caption) if caption else ""
        return _el("section", "figure", body + (_el("p", "caption", caption) if caption else ""))

    def list(self, n: _Node, depth: int) -> str:
        out = []
        ordered = n.tag == "ol"
        try:
            number = int(n.attrs.get("start", "1") or 1)
        except ValueError:
            number = 1
        for li in n.children:
            if not isinstance(li, _Node) or li.tag != "li":
                continue
            mark = f"{number}." if ordered else "•"
            number += 1
            lines: list[str] = []
            nested: list[str] = []
            for c in li.children:
                if isinstance(c, _Node) and c.tag in ("ul", "ol"):
                    nested.append(self.list(c, depth + 1))
                elif isinstance(c, _Node) and c.tag == "p":
                    lines.append(self.inline(c.children).strip())
                elif isinstance(c, _Node) and c.tag in _BLOCKS:
                    lines.append(self.inline(c.children).strip())
                else:
                    if not lines:
                        lines.append("")
                    lines[-1] += self.inline([c])
            text = '<br class="br">'.join(x.strip() for x in lines if x.strip())
            level = f"li li-{min(depth, 3)}"
            out.append(_el("p", level, _el("span", "li-mark", mark) + text))
            out.extend(nested)
        return "".join(out)

    def footnotes(self, n: _Node) -> str:
        items = []
        number = 1
        for ol in n.children:
            if not isinstance(ol, _Node) or ol.tag != "ol":
                continue
            for li in ol.children:
                if not isinstance(li, _Node) or li.tag != "li":
                    continue
                parts = [
                    self.inline(c.children if isinstance(c, _Node) and c.tag == "p" else [c]).strip()
                    for c in li.children
                ]
                text = '<br class="br">'.join(p for p in parts if p)
                items.append(_el("p", "footnote", f"[{number}] " + text))
                number += 1
        if not items:
            return ""
        return _el("section", "footnotes", _el("p", "footnotes-title", self.footnote_title) + "".join(items))

    def table(self, n: _Node) -> str:
        rows: list[tuple[str, list[_Node]]] = []

        def collect(node: _Node, part: str) -> None:
            for c in node.children:
                if not isinstance(c, _Node):
                    continue
                if c.tag == "tr":
                    rows.append(
                        (part, [x for x in c.children if isinstance(x, _Node) and x.tag in ("th", "td")])
                    )
                elif c.tag in ("thead", "tbody", "tfoot"):
                    collect(c, "thead" if c.tag == "thead" else "tbody")

        collect(n, "tbody")
        parts: dict[str, list[str]] = {"thead": [], "tbody": []}
        for part, cells in rows:
            out = []
            for cell in cells:
                attrs = ""
                for a in ("colspan", "rowspan"):
                    v = cell.attrs.get(a, "")
                    if v.isdigit():
                        attrs += f' {a}="{v}"'
                align = re.search(r"text-align:\s*(left|right|center)", cell.attrs.get("style", ""))
                if align:
                    attrs += f' style="text-align: {align.group(1)};"'
                out.append(_el(cell.tag, cell.tag, self.inline(cell.children).strip(), attrs))
            parts[part].append(_el("tr", "tr", "".join(out)))
        head = _el("thead", "thead", "".join(parts["thead"])) if parts["thead"] else ""
        body = _el("tbody", "tbody", "".join(parts["tbody"])) if parts["tbody"] else ""
        return _el("table", "table", head + body) if head or body else ""


def wechat_markup(
    body_html: str, image_src: Callable[[str], str | None], *, footnote_title: str = "注释"
) -> str:
    """The body (HTML of bulletin.markdown.render_body) in the export's vocabulary, each element with
    its role as class. `image_src(src as written)` gives the exported picture's name (None: left out)."""
    conv = _Converter(image_src)
    conv.footnote_title = footnote_title
    return conv.blocks(parse_fragment(body_html).children)


def image_sources(body_html: str) -> list[str]:
    """The `src` of every picture of a rendered body, in document order."""
    out: list[str] = []

    def walk(node: _Node) -> None:
        for c in node.children:
            if isinstance(c, _Node):
                if c.tag == "img" and c.attrs.get("src"):
                    out.append(c.attrs["src"])
                walk(c)

    walk(parse_fragment(body_html))
    return out
