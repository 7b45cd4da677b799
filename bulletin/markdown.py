"""Markdown → HTML for article bodies: CommonMark, tables, footnotes, figures, poems, raw-HTML policy.

One parser set-up serves both outputs. `render_body(..., target="print")` differs only where print needs
other markup: footnotes become inline `<span class="footnote">` (WeasyPrint floats them to the page foot).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from bulletin.markdown_fast import BRIEF_MARKS, render_plain


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
            if (
                len(kids) == 1
                and kids[0].type == "image"
                and i > 0
                and tokens[i - 1].type == "paragraph_open"
                and i + 1 < len(tokens)
                and tokens[i + 1].type == "paragraph_close"
            ):
                tokens[i - 1].meta["figure"] = True
                tokens[i + 1].meta["figure"] = True
                tok.children = kids
                kids[0].meta["figure"] = True
            elif i > 0 and tokens[i - 1].type == "paragraph_open" and tok.content.startswith(BRIEF_MARKS):
                tokens[i - 1].attrSet("class", "brief")
            elif i > 0 and tokens[i - 1].type == "paragraph_open" and _all_bold(kids):
                # a paragraph that is one bold phrase (**一、……**) is a run-in heading of a speech
                tokens[i - 1].attrSet("class", "bold-heading")


def _all_bold(kids: list[Token]) -> bool:
    return (
        len(kids) >= 3
        and kids[0].type == "strong_open"
        and kids[-1].type == "strong_close"
        and not any(k.type in ("strong_open", "strong_close") for k in kids[1:-1])
    )


def _paragraph_open(self, tokens, idx, options, env):
    if tokens[idx].meta.get("figure"):
        return '<figure class="figure">'
    return self.renderToken(tokens, idx, options, env)


def _paragraph_close(self, tokens, idx, options, env):
    if tokens[idx].meta.get("figure"):
        return "</figure>\n"
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
        return img + (f"<figcaption>{html.escape(caption)}</figcaption>" if caption else "")
    return img


# The character a line must start with (after its indentation) for a block rule to start a block there.
# Rules not named here may start on any line; "code" starts only on lines indented by four or more
# columns, which try every rule.
BLOCK_RULE_STARTS = {
    "code": "",
    "container_poem": ":",
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "footnote_def": "[",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}


class _BlockParser(ParserBlock):
    """markdown-it's block tokenizer, trying on each line only the rules that can start there.

    The stock tokenizer tries every block rule on every block, and on a body of plain paragraphs all but
    the last three return False at their first check: a third of the parse time of a typical article.
    Rules keep their order, so the tokens are the same (tests/test_markdown.py compares the two on
    generated documents). The loop is markdown-it-py's ParserBlock.tokenize (MIT) with that one change."""

    _table: tuple[list, dict[str, list], list] | None = None  # (rules, rules by first char, others)

    def _rules_by_start(self) -> tuple[list, dict[str, list], list]:
        """(every rule, the rules a line starting with c can start by c, the rules for other lines)."""
        rules = self.ruler.getRules("")
        if self._table is None or self._table[0] is not rules:  # first use, or the rules changed
            name_of = {id(r.fn): r.name for r in self.ruler.__rules__}
            starts = [BLOCK_RULE_STARTS.get(name_of.get(id(fn), "")) for fn in rules]
            chars = set("".join(s for s in starts if s))
            pairs = list(zip(rules, starts, strict=True))
            by_char = {c: [fn for fn, s in pairs if s is None or c in s] for c in chars}
            self._table = (rules, by_char, [fn for fn, s in pairs if s is None])
        return self._table

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        every, by_char, others = self._rules_by_start()
        line = startLine
        maxNesting = state.md.options.maxNesting
        hasEmptyLines = False
        src = state.src

        while line < endLine:
            state.line = line = state.skipEmptyLines(line)
            if line >= endLine:
                break
            if state.sCount[line] < state.blkIndent:
                break
            if state.level >= maxNesting:
                state.line = endLine
                break

            if state.sCount[line] - state.blkIndent >= 4:
                rules = every
            else:
                rules = by_char.get(src[state.bMarks[line] + state.tShift[line]], others)
            ok = False
            for rule in rules:
                ok = rule(state, line, endLine, False)
                if ok:
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            if not ok:
                raise RuntimeError("none of the block rules matched")

            state.tight = not hasEmptyLines
            line = state.line
            if (line - 1) < endLine and state.isEmpty(line - 1):
                hasEmptyLines = True
            if line < endLine and state.isEmpty(line):
                hasEmptyLines = True
                line += 1
                state.line = line


@lru_cache(maxsize=4)
def _parser(allow_html: bool) -> MarkdownIt:
    return _configure(MarkdownIt("commonmark", {"html": allow_html, "typographer": False, "maxNesting": 40}))


def _configure(md: MarkdownIt, *, dispatch: bool = True) -> MarkdownIt:
    """Our rules and plugins on `md`; `dispatch=False` keeps markdown-it's stock block tokenizer."""
    if dispatch:
        md.block.__class__ = _BlockParser
    md.enable("table")
    md.enable("strikethrough")
    md.use(footnote_plugin, inline=False)
    md.use(container_plugin, name="poem", render=_poem_render)
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


def render_body(markdown: str, *, allow_html: bool = False, target: str = "site") -> RenderedBody:
    """Render an article body. Raw HTML is escaped unless `allow_html`, and then sanitised with nh3.
    Plain bodies (most) take the fast path of bulletin/markdown_fast.py, with the same output."""
    plain = render_plain(markdown)
    if plain is not None:
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


def sanitize(fragment: str) -> str:
    """Keep only safe HTML: no scripts, event handlers or javascript: URLs."""
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
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


# --- body checks used by the loader (cheap, regex-based, with line numbers) ---

_RAW_TAG_RE = re.compile(r"<\s*(/?\s*[a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_FN_REF_RE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FN_DEF_RE = re.compile(r"^\s{0,3}\[\^([^\]\s]+)\]:", re.M)
_POEM_OPEN_RE = re.compile(r"^:{3,}\s*poem\b")
_CONTAINER_CLOSE_RE = re.compile(r":{3,}")


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
            m = _RAW_TAG_RE.search(line)
            if m and not line.lstrip().startswith("    "):
                problems.append(("raw_html", i, {"tag": "<" + m.group(1).strip() + ">"}))
        if "[^" in line:
            for label in _FN_REF_RE.findall(line):
                if label not in defined:
                    problems.append(("footnote_undefined", i, {"label": label}))
    if poem_open is not None:
        problems.append(("poem_unclosed", poem_open, {}))
    return problems
