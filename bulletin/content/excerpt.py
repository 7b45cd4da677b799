"""An article's opening as plain text: meta descriptions, feed summaries, listings (Article.excerpt)."""

from __future__ import annotations

import re

_MD_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links → their text
    (re.compile(r"(\*\*|__|\*|_|~~|`)"), ""),  # emphasis, code
    (re.compile(r"<[^>]+>"), ""),  # raw HTML
]
_MD_INLINE_HINT = re.compile(r"[\[*_~`<]")  # a character one of _MD_INLINE needs
_MD_SKIP = re.compile(r"^\s*(#|:::|\||```|~~~|\[\^|!\[|-{3,}\s*$|\*{3,}\s*$)")
_CJK_RUN = re.compile(r"[\u3000-\u9fff\uff00-\uffef]+")
_CJK_STOPS = set("。！？；：，、…—”’）》」』")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)]|>)\s+")


def excerpt(markdown: str, limit: int = 120) -> str:
    """The opening of an article as plain text (meta descriptions, feed summaries), from its Markdown.

    Cheap by design — a few regular expressions over the first paragraphs, no Markdown parse. Made once
    per article when it is loaded (Article.excerpt, kept by the load cache): listings and feeds need it
    for every article, also those whose pages are not re-rendered."""
    out: list[str] = []
    size = 0
    in_fence = False
    for line in markdown[: limit * 12].split("\n"):  # the opening is enough
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or not line.strip() or _MD_SKIP.match(line):
            continue
        text = _MD_LIST.sub("", line).strip()
        if _MD_INLINE_HINT.search(text):
            for pat, rep in _MD_INLINE:
                text = pat.sub(rep, text)
        text = text.strip()
        if not text:
            continue
        out.append(text)
        size += len(text)
        if size >= limit:
            break
    if _mostly_cjk(out):  # Chinese: no spaces, except after a line without closing punctuation (verse)
        text = "".join(p if i == 0 or out[i - 1][-1] in _CJK_STOPS else " " + p for i, p in enumerate(out))
    else:
        text = " ".join(out)
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(c) for c in "。！？；")
    if end >= limit // 2:
        return cut[: end + 1]
    return cut.rstrip("，、：；") + "……"


def _mostly_cjk(parts: list[str]) -> bool:
    s = "".join(parts)[:200]
    return sum(map(len, _CJK_RUN.findall(s))) * 2 >= len(s)
