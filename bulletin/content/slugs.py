"""URL slugs: front matter `slug`, else the URL-safe file name, else its pinyin."""

from __future__ import annotations

import re
from functools import lru_cache

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Article slugs an issue folder cannot use: the issue page itself (<year>/<nn>/index.html).
RESERVED_SLUGS = frozenset({"index"})
_SAFE_STEM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def slug_for(stem: str, explicit: str | None = None) -> str:
    """The article's slug: `explicit` if given, the file stem if URL-safe ASCII, else pinyin of the stem."""
    if explicit:
        return explicit
    if _SAFE_STEM_RE.match(stem):
        return stem.lower().replace("_", "-")
    return pinyin_slug(stem)


def pinyin_slug(text: str, max_len: int = 60) -> str:
    """A lowercase ASCII slug from Chinese text: 强化开局 → qiang-hua-kai-ju."""
    from pypinyin import lazy_pinyin

    parts: list[str] = []
    for piece in lazy_pinyin(text, errors=lambda s: [s]):  # keep runs like "2026" or "GDP" whole
        piece = re.sub(r"[^a-z0-9]+", "-", piece.lower()).strip("-")
        if piece:
            parts.append(piece)
    slug = "-".join(parts)
    slug = re.sub(r"-{2,}", "-", slug)[:max_len].strip("-")
    return slug or "article"


# Words left out of a generated file name: they carry no meaning of their own (关于…的讲话 → jiaqiang-…).
_NAME_STOPWORDS = frozenset(
    {"关于", "的", "之", "和", "与", "及", "以及", "在", "对", "为", "把", "了", "着", "是", "让", "将", "从"}
)
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SHORT_NAME_WORDS = 3  # words in a generated file name
SHORT_NAME_CHARS = 24  # its longest length, unless its first word alone is longer
_LONG_WORD_SYLLABLES = 4  # a word of more syllables (人民代表大会常务委员会) is written by its initials


def short_slug(title: str, words: int = SHORT_NAME_WORDS, max_len: int = SHORT_NAME_CHARS) -> str:
    """A short file name for a new article from its title: the pinyin of its first few words, each word
    written together and the words joined by hyphens (代表回访 → daibiao-huifang; 代表联络站回访 →
    daibiao-lianluozhan, since a third word would pass SHORT_NAME_CHARS); a long word by its initials
    (人民代表大会常务委员会 → rmdbdhcwwyh). Cut only between words, so never inside a syllable.
    Different from `pinyin_slug`, which gives existing files their URLs and must not change."""
    return _fit(name_words(title), words, max_len) or "article"


@lru_cache(maxsize=1)
def _segmenter():
    import rjieba  # the same segmentation as bulletin/headlines.py

    return rjieba.Jieba()


def name_words(title: str) -> list[str]:
    """The title's words in pinyin (see `short_slug`), function words left out."""
    from pypinyin import lazy_pinyin

    out: list[str] = []
    for word in _segmenter().cut(title):
        word = word.strip()
        if not word or word in _NAME_STOPWORDS:
            continue
        if _HAN_RE.search(word):
            syllables = [s for s in lazy_pinyin(word, errors=lambda s: [s]) if s]
            syllables = [re.sub(r"[^a-z0-9]+", "", s.lower()) for s in syllables]
            syllables = [s for s in syllables if s]
            if len(syllables) > _LONG_WORD_SYLLABLES:
                piece = "".join(s[0] if s[0].isalpha() else s for s in syllables)
            else:
                piece = "".join(syllables)
        else:
            piece = re.sub(r"[^a-z0-9]+", "", word.lower())
        if piece:
            out.append(piece)
    return out


def _fit(pieces: list[str], words: int, max_len: int) -> str:
    chosen: list[str] = []
    for piece in pieces[:words]:
        if chosen and len("-".join([*chosen, piece])) > max_len:
            break
        chosen.append(piece)
    return "-".join(chosen)
