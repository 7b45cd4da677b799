"""The Markdown block grammar articles are parsed with: CommonMark, tables, strikethrough, footnotes and
`::: poem` containers, tokenized by a block loop that tries on each line only the rules that can start
there.

bulletin.markdown adds the renderer's rules (figures, briefs, the HTML of each token) on top of this;
bulletin.punctuation needs only the blocks (which lines are code or raw HTML), so it imports this module,
not the renderer, which itself corrects punctuation while rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin


def parser_options(allow_html: bool) -> dict:
    """markdown-it's options for article bodies (raw HTML is parsed only if the publication allows it)."""
    return {"html": allow_html, "typographer": False, "maxNesting": 40}


def configure_blocks(
    md: MarkdownIt, *, dispatch: bool = True, poem_render: Callable | None = None
) -> MarkdownIt:
    """Our block grammar on `md`; `dispatch=False` keeps markdown-it's stock block tokenizer."""
    if dispatch:
        md.block.__class__ = _BlockParser
    md.enable("table")
    md.enable("strikethrough")
    md.use(footnote_plugin, inline=False)
    md.use(container_plugin, name="poem", render=poem_render)
    return md


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

    # Mirrors markdown-it-py 4.3.0 (pinned in pyproject.toml), markdown_it/parser_block.py,
    # ParserBlock.tokenize: only the choice of `rules` per line differs. On an upgrade, compare the new
    # loop with this one (tests/test_markdown_blocks.py shows the difference) before moving the pin.

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


def verbatim_line_ranges(markdown: str) -> list[tuple[int, int]]:
    """(first, end) 0-based line ranges of the code blocks, fenced code and raw HTML blocks in
    `markdown` (raw HTML as if it were allowed): the text bulletin.punctuation leaves as written."""
    return [
        (t.map[0], t.map[1])
        for t in _block_parser().parse(markdown, {})
        if t.type in ("code_block", "fence", "html_block") and t.map
    ]


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    # the renderer's own rules (bulletin.markdown) change no block's type or lines, so they are left out
    return configure_blocks(MarkdownIt("commonmark", parser_options(True)))
