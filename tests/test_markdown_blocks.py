"""The block tokenizer copied from markdown-it-py stays a copy of the version we run.

`_BlockParser.tokenize` (bulletin/markdown_blocks.py) is markdown-it-py's `ParserBlock.tokenize` with one
change: the rules tried on a line. A new markdown-it-py may change its loop (a new state field, another
termination rule), and our copy would silently parse differently, so the version is pinned and checked.
"""

from __future__ import annotations

import difflib
import inspect
import re
import tomllib
from importlib.metadata import version

from conftest import REPO
from markdown_it.parser_block import ParserBlock

from bulletin.markdown_blocks import _BlockParser


def _pinned(package: str) -> str | None:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for dep in deps:
        m = re.fullmatch(rf"{re.escape(package)}\s*==\s*([\w.]+)", dep)
        if m:
            return m.group(1)
    return None


def test_markdown_it_is_the_pinned_version():
    pinned = _pinned("markdown-it-py")
    assert pinned, "pyproject.toml must pin markdown-it-py (==): bulletin/markdown_blocks.py copies its loop"
    installed = version("markdown-it-py")
    assert installed == pinned, (
        f"markdown-it-py {installed} is installed, {pinned} is pinned. _BlockParser.tokenize in "
        f"bulletin/markdown_blocks.py is a copy of markdown-it-py {pinned}'s ParserBlock.tokenize "
        "(markdown_it/parser_block.py): re-check it against the new block loop "
        "(test_our_block_loop_is_markdown_its_with_one_change shows what differs), then move the pin "
        "and the comment at _BlockParser"
    )


def _statements(function) -> list[str]:
    """The function's lines without comments, docstrings, blank lines or indentation."""
    source = re.sub(r'"""[\s\S]*?"""', "", inspect.getsource(function))
    return [line.split("#")[0].strip() for line in source.splitlines() if line.split("#")[0].strip()]


# What our loop changes in markdown-it's: the rules come from the table of start characters.
_OURS_ONLY = [
    "every, by_char, others = self._rules_by_start()",
    "src = state.src",
    "if state.sCount[line] - state.blkIndent >= 4:",
    "rules = every",
    "else:",
    "rules = by_char.get(src[state.bMarks[line] + state.tShift[line]], others)",
]
_THEIRS_ONLY = ['rules = self.ruler.getRules("")']


def test_our_block_loop_is_markdown_its_with_one_change():
    theirs, ours = _statements(ParserBlock.tokenize), _statements(_BlockParser.tokenize)
    diff = [d for d in difflib.ndiff(theirs, ours) if d[:2] in ("- ", "+ ")]
    removed = [d[2:] for d in diff if d.startswith("- ")]
    added = [d[2:] for d in diff if d.startswith("+ ")]
    assert (removed, added) == (_THEIRS_ONLY, _OURS_ONLY), (
        "markdown-it-py's ParserBlock.tokenize is not the loop _BlockParser.tokenize was copied from:\n"
        + "\n".join(diff)
    )
