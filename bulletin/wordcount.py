"""Word counts (字数) as Chinese editors count them: the rule of Word's and WPS's 字数统计.

Word's "字数" is the sum of two of its own figures, "中文字符和朝鲜语单词" and "非中文单词":

* every Han character counts one, and so does every full-width punctuation mark (，。、；：？！“”‘’（）
  《》【】——……·): a mark that takes a character's room on the page is counted like a character;
* a run of half-width letters, digits and marks between spaces or Chinese characters is one word:
  `2026年` is 1 + 1, `1,200余人次` is 1 + 3, `COVID-19` is 1, `9:00—11:00` is 1 + 2 + 1;
* spaces count nothing, and neither does a run of half-width marks alone (` - `, `...`).

An article's count is its body as printed: paragraphs, headings, list items, captions, table cells,
poems and footnotes, not the Markdown around them nor image file names. The title, subtitle and byline
are not in it (they are counted on their own when asked). Nothing here imports site or print code.
"""

from __future__ import annotations

import html as htmlmod
import re
from dataclasses import dataclass

from bulletin.markdown import render_body
from bulletin.model import Archive, Article, Issue

# Han ideographs: CJK Unified (with extension A and the supplementary planes), compatibility ideographs, 〇.
_HAN = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Full-width punctuation and symbols, counted one each: CJK symbols and punctuation (not the ideographic
# space U+3000), full-width forms (their letters and digits too, as Word counts them), and the marks
# Chinese text shares with General Punctuation: ‘’“” —— …… · ※ and the middle dot.
_FULL = (
    r"\u3001-\u3006\u3008-\u303f\uff01-\uff60\uffe0-\uffe6"
    r"\u2018\u2019\u201c\u201d\u2014\u2015\u2026\u00b7\u203b\u2e3a\u2e3b"
)
_CHAR = re.compile(f"[{_HAN}]|[{_FULL}]")
_HAN_ONLY = re.compile(f"[{_HAN}]")
_SPLIT = re.compile(f"[{_HAN}{_FULL}\\s\u3000]+")
_WORDLIKE = re.compile(r"[^\W_]", re.U)  # a letter or a digit of any script

_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|figcaption|div|blockquote|pre|tr)>|<br\s*/?>", re.I)


@dataclass(frozen=True)
class TextCount:
    """The parts of Word's 字数 for one text."""

    han: int = 0  # Han characters
    marks: int = 0  # full-width punctuation and symbols
    words: int = 0  # runs of letters/digits (非中文单词)

    @property
    def total(self) -> int:
        """字数: what Word and WPS show as 字数 for the same text."""
        return self.han + self.marks + self.words

    def __add__(self, other: TextCount) -> TextCount:
        return TextCount(self.han + other.han, self.marks + other.marks, self.words + other.words)


def count_text(text: str) -> TextCount:
    """字数 of plain text, by the Word/WPS rule (see the module docstring)."""
    chars = _CHAR.findall(text)
    han = sum(1 for c in chars if _HAN_ONLY.match(c))
    words = sum(1 for token in _SPLIT.split(text) if token and _WORDLIKE.search(token))
    return TextCount(han, len(chars) - han, words)


def body_text(article: Article) -> str:
    """The article body as printed, as plain text: one line per block (paragraph, heading, cell…)."""
    rendered = render_body(article.body, target="print")
    text = _BLOCK_END.sub("\n", rendered.html)
    return htmlmod.unescape(_TAG.sub("", text))


def count_article(article: Article) -> TextCount:
    """The article body's 字数 (title, subtitle and byline not included)."""
    return count_text(body_text(article))


def count_issue(issue: Issue) -> TextCount:
    total = TextCount()
    for article in issue.articles:
        total = total + count_article(article)
    return total


def count_archive(archive: Archive) -> dict[str, TextCount]:
    """Issue key → its 字数."""
    return {issue.key: count_issue(issue) for issue in archive.issues}
