"""Markdown → HTML for article bodies: CommonMark, tables, footnotes, figures, poems, raw-HTML policy.

One parser set-up serves both outputs. `render_body(..., target="print")` differs only where print needs
other markup: footnotes become inline `<span class="footnote">` (WeasyPrint floats them to the page foot).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink
from markdown_it.token import Token

from bulletin.markdown_blocks import configure_blocks, parser_options
from bulletin.markdown_fast import paragraph_class, render_plain
from bulletin.punctuation import fix_markdown


@dataclass(frozen=True)
class RenderedBody:
    html: str
    footnotes: int
    images: tuple[str, ...]  # image paths as written in the Markdown

    @cached_property
    def text(self) -> str:
        """Plain text, for summaries and descriptions; computed only when asked for."""
        return _plain_text(self.html)


def _poem_render(self, tokens, idx, options, env):
    tok = tokens[idx]
    return '<div class="poem">\n' if tok.nesting == 1 else "</div>\n"


def _mark_blocks(state) -> None:
    """Core rule: figures (an image alone in a paragraph), poem line breaks, brief paragraphs (● …)."""
    tokens: list[Token] = state.tokens
    in_poem = 0
    for i, tok in enumerate(tokens):
        if tok.type == "container_poem_open":
            in_poem += 1
        elif tok.type == "container_poem_close":
            in_poem -= 1
        elif tok.type == "inline" and tok.children is not None:
            if in_poem:
                for child in tok.children:
                    if child.type == "softbreak":
                        child.type = "hardbreak"
            kids = [c for c in tok.children if not (c.type == "text" and not c.content.strip())]
            in_paragraph = (
                i > 0
                and tokens[i - 1].type == "paragraph_open"
                and i + 1 < len(tokens)
                and tokens[i + 1].type == "paragraph_close"
            )
            photos = [k for k in kids if k.type == "image"]
            if in_paragraph and len(kids) == 1 and photos:
                tokens[i - 1].meta["figure"] = True
                tokens[i + 1].meta["figure"] = True
                tok.children = kids
                kids[0].meta["figure"] = True
            elif in_paragraph and len(photos) > 1 and all(k.type in ("image", "softbreak") for k in kids):
                # photos on consecutive lines of one paragraph: figures side by side
                tokens[i - 1].meta["figure_lines"] = len(photos)
                tokens[i + 1].meta["figure_lines"] = len(photos)
                tok.children = photos
                for k in photos:
                    k.meta["figure"] = k.meta["own_figure"] = True
            elif i > 0 and tokens[i - 1].type == "paragraph_open":
                cls = paragraph_class(tok.content, partial(_all_bold, kids))  # brief, bold-heading
                if cls is not None:
                    tokens[i - 1].attrSet("class", cls)
    _group_figures(tokens)


# Figures side by side: at most this many in a row; a longer run is cut into rows as even as possible.
FIGURES_PER_ROW = 3


def row_sizes(count: int) -> list[int]:
    """How `count` consecutive photos are set in rows: 2 → [2], 4 → [2, 2], 5 → [3, 2], 7 → [3, 2, 2]."""
    if count <= 1:
        return [count]
    rows = -(-count // FIGURES_PER_ROW)
    return [count // rows + (1 if r < count % rows else 0) for r in range(rows)]


def _group_figures(tokens: list[Token]) -> None:
    """Consecutive figures (image-only paragraphs with nothing between them but blank lines) become rows
    of figures side by side: the first paragraph_open of a row carries meta["row"] = its size, the last
    paragraph_close meta["row_end"]. A paragraph of photos one per line is a row of its own."""
    i, n = 0, len(tokens)
    while i < n:
        if not tokens[i].meta.get("figure") or tokens[i].type != "paragraph_open":
            i += 1
            continue
        run = [i]  # paragraph_open indexes of consecutive figures at the same level
        while run[-1] + 3 < n and _figure_at(tokens[run[-1] + 3], tokens[i].level):
            run.append(run[-1] + 3)
        start = 0
        for size in row_sizes(len(run)):
            if size > 1:
                tokens[run[start]].meta["row"] = size
                tokens[run[start + size - 1] + 2].meta["row_end"] = True
            start += size
        i = run[-1] + 3


def _figure_at(tok: Token, level: int) -> bool:
    return tok.type == "paragraph_open" and bool(tok.meta.get("figure")) and tok.level == level


# A line alone that numbers a stanza: 一, 十二, 1, 2., （一）, (3), 其一, 之二, Ⅳ, or an asterism (＊＊＊).
_STANZA_NUMBER = re.compile(
    r"(?:[一二三四五六七八九十〇零百]{1,4}|\d{1,3}[.、．]?|[（(](?:[一二三四五六七八九十]{1,3}|\d{1,3})[)）]"
    r"|[其之][一二三四五六七八九十]{1,3}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]|[*＊※⁂](?:[\s　]*[*＊※])*)"
)
_POEM_DIV = re.compile(r'<div class="poem">\n(.*?)</div>', re.S)
_POEM_P = re.compile(r"<p>(.*?)</p>", re.S)
_BR = re.compile(r"<br ?/?>\n")


def _first_line(stanza: str) -> tuple[str, str, str]:
    m = _BR.search(stanza)
    return (stanza[: m.start()], m.group(0), stanza[m.end() :]) if m else (stanza, "", "")


def _mark_stanza_numbers(fragment: str) -> str:
    """In poems, a paragraph that is only a stanza number (or a stanza's first line that is one) becomes
    `<p class="stanza-no">`, which the stylesheets centre over the poem."""

    def stanza(m: re.Match) -> str:
        first, sep, rest = _first_line(m.group(1))
        if not _STANZA_NUMBER.fullmatch(first.strip()):
            return m.group(0)
        head = f'<p class="stanza-no">{first.strip()}</p>'
        return head + (f"\n<p>{rest}</p>" if sep and rest.strip() else "")

    def poem(m: re.Match) -> str:
        return '<div class="poem">\n' + _POEM_P.sub(stanza, m.group(1)) + "</div>"

    return _POEM_DIV.sub(poem, fragment)


def _all_bold(kids: list[Token]) -> bool:
    return (
        len(kids) >= 3
        and kids[0].type == "strong_open"
        and kids[-1].type == "strong_close"
        and not any(k.type in ("strong_open", "strong_close") for k in kids[1:-1])
    )


def _row_open(size: int) -> str:
    return f'<div class="figure-row figure-row-{size}">'


def _paragraph_open(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    if meta.get("figure"):
        return (_row_open(meta["row"]) if "row" in meta else "") + '<figure class="figure">'
    if meta.get("figure_lines"):
        return _row_open(meta["figure_lines"])
    return self.renderToken(tokens, idx, options, env)


def _paragraph_close(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    if meta.get("figure"):
        return "</figure>" + ("</div>" if meta.get("row_end") else "") + "\n"
    if meta.get("figure_lines"):
        return "</div>\n"
    return self.renderToken(tokens, idx, options, env)


def _image(self, tokens, idx, options, env):
    tok = tokens[idx]
    src = html.escape(tok.attrGet("src") or "", quote=True)
    caption = self.renderInlineAsText(tok.children or [], options, env)
    alt = html.escape(caption, quote=True)
    title = tok.attrGet("title")
    img = (
        f'<img src="{src}" alt="{alt}" loading="lazy"'
        + (f' title="{html.escape(title, quote=True)}"' if title else "")
        + ">"
    )
    if tok.meta.get("figure"):
        figure = img + (f"<figcaption>{html.escape(caption)}</figcaption>" if caption else "")
        return f'<figure class="figure">{figure}</figure>' if tok.meta.get("own_figure") else figure
    return img


@lru_cache(maxsize=4)
def _parser(allow_html: bool) -> MarkdownIt:
    return _configure(MarkdownIt("commonmark", parser_options(allow_html)))


def _configure(md: MarkdownIt, *, dispatch: bool = True) -> MarkdownIt:
    """Our rules and plugins on `md`; `dispatch=False` keeps markdown-it's stock block tokenizer."""
    configure_blocks(md, dispatch=dispatch, poem_render=_poem_render)
    md.core.ruler.push("bulletin_blocks", _mark_blocks)
    md.add_render_rule("paragraph_open", _paragraph_open)
    md.add_render_rule("paragraph_close", _paragraph_close)
    md.add_render_rule("image", _image)
    return md


def _strip_footnote_block(tokens: list[Token]) -> tuple[list[Token], dict[int, list[Token]]]:
    """Split the footnote definitions off the end of the token stream: (body tokens, {id: tokens})."""
    body: list[Token] = []
    notes: dict[int, list[Token]] = {}
    current: list[Token] | None = None
    in_block = False
    for tok in tokens:
        if tok.type == "footnote_block_open":
            in_block = True
        elif tok.type == "footnote_block_close":
            in_block = False
        elif tok.type == "footnote_open":
            current = notes.setdefault(tok.meta["id"], [])
        elif tok.type == "footnote_close":
            current = None
        elif tok.type == "footnote_anchor":
            continue
        elif current is not None:
            current.append(tok)
        elif not in_block:
            body.append(tok)
    return body, notes


def render_body(
    markdown: str, *, allow_html: bool = False, target: str = "site", range_mark: str | None = None
) -> RenderedBody:
    """Render an article body. Raw HTML is escaped unless `allow_html`, and then sanitised with nh3.
    Plain bodies (most) take the fast path of bulletin/markdown_fast.py, with the same output.
    `range_mark`: set the half-width marks of Chinese text full-width first (bulletin.punctuation, the
    publication's `typography.punctuation: fix`), ranges with this mark; None renders the text as written."""
    if range_mark is not None:
        markdown = fix_markdown(markdown, range_mark)  # returns at once when there is nothing to correct
    plain = render_plain(markdown)
    if plain is not None:
        if '<div class="poem">' in plain:
            plain = _mark_stanza_numbers(plain)
        return RenderedBody(sanitize(plain) if allow_html else plain, 0, ())
    md = _parser(allow_html)
    env: dict = {}
    tokens = md.parse(markdown, env)
    images = tuple(
        c.attrGet("src") or ""
        for t in tokens
        if t.type == "inline" and t.children
        for c in t.children
        if c.type == "image"
    )
    n_notes = len(env.get("footnotes", {}).get("list", {}))
    if target == "print" and n_notes:
        body, notes = _strip_footnote_block(tokens)
        rendered = {i: _unwrap_p(md.renderer.render(toks, md.options, env)) for i, toks in notes.items()}

        def _ref(self, tokens, idx, options, env):
            return f'<span class="footnote">{rendered.get(tokens[idx].meta["id"], "")}</span>'

        md_print = MarkdownIt("commonmark")  # a renderer with the same rules plus the print footnote rule
        renderer = md.renderer.__class__(md_print)
        renderer.rules = dict(md.renderer.rules)
        renderer.rules["footnote_ref"] = lambda tokens, idx, options, env: _ref(
            renderer, tokens, idx, options, env
        )
        out = renderer.render(body, md.options, env)
    else:
        out = md.renderer.render(tokens, md.options, env)
    if '<div class="poem">' in out:
        out = _mark_stanza_numbers(out)
    if allow_html:
        out = sanitize(out)
    return RenderedBody(out, n_notes, images)


def _unwrap_p(fragment: str) -> str:
    fragment = fragment.strip()
    if fragment.startswith("<p>") and fragment.endswith("</p>") and fragment.count("<p>") == 1:
        return fragment[3:-4]
    return fragment


_TAG_RE = re.compile(r"<[^>]+>")
_WS_RE = re.compile(r"\s+")


def _plain_text(fragment: str) -> str:
    return _WS_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", fragment))).strip()


# --- the raw-HTML policy (allow_html: true) ---------------------------------------------------------
#
# Raw HTML may format text and link to the web (a link is followed only when a reader clicks it). It may
# not make a page load anything by itself: no remote pictures, backgrounds, frames, objects, stylesheets
# or forms, no javascript:/vbscript:/data: addresses (except a data: picture in <img src>, which loads
# nothing). The same rules serve the site and print; body_problems warns about each thing removed.

# Attributes whose URL a browser (or WeasyPrint) loads without a click.
RESOURCE_ATTRS = frozenset(
    {"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "xlink:href"}
)
# Elements removed whole: they embed other documents, run scripts, restyle the page or send data.
EMBED_TAGS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "link", "base",
     "meta", "script", "style", "svg", "math", "portal", "fencedframe", "template", "noscript"}
)  # fmt: skip
LINK_ATTRS = {"a": "href", "area": "href"}  # followed on a click: web addresses are fine
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})
_SAFE_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$", re.I)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.I)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.I | re.S)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def url_verdict(url: str, *, tag: str = "img", attr: str = "src") -> tuple[str, str] | None:
    """Why `url` may not be loaded by `<tag attr=url>` on its own: ("remote", url) for an address on
    another machine (http:, //host/…), ("scheme", name) for javascript:, data: and other schemes, None
    for a relative path or a safe data: picture in <img src>."""
    v = _INVISIBLE.sub("", url)  # browsers ignore spaces, tabs and newlines inside a URL
    if v[:2] in ("//", "\\\\", "/\\", "\\/"):
        return ("remote", url)
    m = _SCHEME.match(v)
    if not m:
        return None
    scheme = m.group(1).lower()
    if scheme in ("http", "https", "ftp", "ws", "wss"):
        return ("remote", url)
    if scheme == "data" and tag == "img" and attr == "src" and _SAFE_DATA_IMAGE.match(v):
        return None
    return ("scheme", scheme + ":")


def css_urls(css: str) -> list[str]:
    """The URLs a piece of CSS (a style attribute) refers to."""
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in _CSS_URL.finditer(css)]


def _srcset_urls(srcset: str) -> list[str]:
    return [c.split()[0] for c in srcset.split(",") if c.split()]


def _keep_attribute(tag: str, attr: str, value: str) -> str | None:
    """nh3's attribute filter: the policy above, for what the allow-list lets through."""
    if attr == "style":
        return None if any(url_verdict(u, tag=tag, attr=attr) for u in css_urls(value)) else value
    if LINK_ATTRS.get(tag) == attr:
        return None if _link_verdict(value) else value
    if attr in RESOURCE_ATTRS:
        return None if url_verdict(value, tag=tag, attr=attr) else value
    return value


def sanitize(fragment: str) -> str:
    """Keep only safe HTML: no scripts, event handlers, script URLs, or anything that loads by itself
    from outside (see the raw-HTML policy above); links to the web stay."""
    import nh3

    attrs = {
        "*": {"class", "id", "title", "lang"},
        "a": {"href"},
        "img": {"src", "alt", "loading", "width", "height"},
        "td": {"colspan", "rowspan", "style"},
        "th": {"colspan", "rowspan", "style"},
        "ol": {"start"},
    }
    return nh3.clean(
        fragment,
        tags=nh3.ALLOWED_TAGS | {"figure", "figcaption", "section", "span", "div", "sup", "sub", "hr", "br"},
        attributes=attrs,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto", "data"},  # data: only as a picture (_keep_attribute)
        filter_style_properties={"text-align"},  # table cells' alignment, nothing that loads
        link_rel="noopener noreferrer",
    )


class _RawHTML:
    """The raw HTML tags of a Markdown body, with their lines (code spans and fenced code left out)."""

    def __init__(self, markdown: str) -> None:
        from html.parser import HTMLParser

        self.tags: list[tuple[int, str, list[tuple[str, str]]]] = []  # (0-based line, tag, attributes)
        outer = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                outer.tags.append((self.getpos()[0] - 1, tag, [(k, v or "") for k, v in attrs]))

            handle_startendtag = handle_starttag

        parser = Parser(convert_charrefs=True)
        parser.feed(_code_blanked(markdown))
        parser.close()


_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _code_blanked(markdown: str) -> str:
    """The body with fenced code and code spans replaced by spaces: they show HTML as text."""
    out = []
    fence = ""
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            out.append("")
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            out.append("")
            continue
        out.append(_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line)
    return "\n".join(out)


def raw_html_resources(markdown: str) -> list[tuple[int, str, str, str]]:
    """(0-based line, tag, attribute, URL) for every URL in the body's raw HTML that would be loaded
    (src, srcset, style url() …) and that sanitize() keeps: what print may still fetch, and where it
    was asked for."""
    out = []
    for line, tag, attrs in _RawHTML(markdown).tags:
        if tag in EMBED_TAGS:
            continue
        for name, value in attrs:
            if name == "srcset":
                out += [(line, tag, name, u) for u in _srcset_urls(value)]
            elif name == "style":
                out += [(line, tag, name, u) for u in css_urls(value)]
            elif name in RESOURCE_ATTRS:
                out.append((line, tag, name, value))
    return [r for r in out if url_verdict(r[3], tag=r[1], attr=r[2]) is None]


def _link_verdict(url: str) -> tuple[str, str] | None:
    """A link (<a href>) is followed only on a click: web addresses are fine, script URLs are not."""
    m = _SCHEME.match(_INVISIBLE.sub("", url))
    return ("scheme", m.group(1).lower() + ":") if m and m.group(1).lower() in SCRIPT_SCHEMES else None


def raw_html_problems(markdown: str) -> list[tuple[str, int, dict]]:
    """Warnings for what sanitize() removes from allowed raw HTML because it would load by itself or run
    a script: (message id, 0-based line, args), one per element or attribute."""
    problems: list[tuple[str, int, dict]] = []
    for line, tag, attrs in _RawHTML(markdown).tags:
        if tag in EMBED_TAGS:
            problems.append(("raw_html_embed", line, {"tag": tag}))
            continue
        for name, value in attrs:
            if LINK_ATTRS.get(tag) == name:
                verdicts = [_link_verdict(value)]
            elif name == "srcset":
                verdicts = [url_verdict(u, tag=tag, attr=name) for u in _srcset_urls(value)]
            elif name == "style":
                verdicts = [url_verdict(u, tag=tag, attr=name) for u in css_urls(value)]
            elif name in RESOURCE_ATTRS:
                verdicts = [url_verdict(value, tag=tag, attr=name)]
            else:
                continue
            verdict = next((v for v in verdicts if v), None)
            if verdict is None:
                continue
            args = {"tag": tag, "attr": name}
            if verdict[0] == "remote":
                problems.append(("raw_html_remote", line, {**args, "url": verdict[1]}))
            else:
                problems.append(("raw_html_scheme", line, {**args, "scheme": verdict[1]}))
    return problems


# --- body checks used by the loader (cheap, regex-based, with line numbers) ---

_RAW_TAG_RE = re.compile(r"<\s*(/?\s*[a-zA-Z][a-zA-Z0-9]*)[^>]*>")
# CommonMark autolinks (<https://…>, <name@host>): links, not raw HTML (<o:p> from Word is HTML: a scheme
# has two characters at least)
_AUTOLINK_RE = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[\w.!#$%&'*+/=?^`{|}~-]+@[\w.-]+>")
_FN_REF_RE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FN_DEF_RE = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:", re.M)
_POEM_OPEN_RE = re.compile(r"^:{3,}\s*poem\b")
_CONTAINER_CLOSE_RE = re.compile(r":{3,}")


# Link targets with a scheme, checked with markdown-it's own validateLink: the ones it refuses are shown
# as text, so the editor is told.
_SCHEME_LINK_RE = re.compile(r"\]\(\s*<?\s*([A-Za-z][\w+.-]*:[^)\s>]*)|<([A-Za-z][\w+.-]*:[^>\s]*)>")


def body_problems(markdown: str, *, allow_html: bool = False) -> list[tuple[str, int, dict]]:
    """(message id, 0-based line, args) for things in a body an editor should hear about."""
    problems: list[tuple[str, int, dict]] = []
    lines = markdown.split("\n")
    in_fence = False
    poem_open: int | None = None
    defined = set(_FN_DEF_RE.findall(markdown)) if "[^" in markdown else set()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if stripped.startswith(":::"):
            if _POEM_OPEN_RE.match(stripped):
                poem_open = i
            elif _CONTAINER_CLOSE_RE.fullmatch(stripped) and poem_open is not None:
                poem_open = None
        if not allow_html and "<" in line:
            m = _RAW_TAG_RE.search(_AUTOLINK_RE.sub("", line))
            if m and not line.lstrip().startswith("    "):
                problems.append(("raw_html", i, {"tag": "<" + m.group(1).strip() + ">"}))
        if "[^" in line:
            for label in _FN_REF_RE.findall(line):
                if label not in defined:
                    problems.append(("footnote_undefined", i, {"label": label}))
        if ":" in line:
            for m in _SCHEME_LINK_RE.finditer(line):
                target = m.group(1) or m.group(2)
                if not validateLink(target):
                    problems.append(("link_blocked", i, {"url": target[:60]}))
    if poem_open is not None:
        problems.append(("poem_unclosed", poem_open, {}))
    if allow_html and "<" in markdown:
        problems += raw_html_problems(markdown)
    return problems
