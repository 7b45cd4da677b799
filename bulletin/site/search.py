"""Static full-text search: an inverted index of Chinese characters and character pairs, as static files.

Why not Pagefind (measured with Pagefind 1.5.2, extended build, on 4,800 synthetic articles of
2,000-3,000 characters, on the 2-core build machine):

* One character inside a word is not found: Pagefind indexes jieba words and matches whole query
  words or their prefixes, so ``代`` misses 现代化 and ``晓明``/``明`` miss 王晓明; and where jieba and
  the browser's ``Intl.Segmenter`` cut a phrase differently nothing matches (``一网通办``, ``通办``).
* Feeding it pre-cut overlapping bigrams fixes matching, but indexing then takes ~53 s of CPU and
  5.7 GB of memory (35 s with its own segmentation), against ~6 s of CPU for the whole site build.
* Before any result a reader downloads pagefind.js (45 KB), its WebAssembly (66 KB) and the page
  metadata (52 KB); a common two-character word came to 324 KB in all.
* It reads its index with fetch(), which browsers refuse to a page opened from disk (file://); so do
  lunr's and MkDocs' search.  Bulletins travel on USB sticks and shared folders.

So the index is our own, cut the way Lucene's CJK analyser cuts text:

* Terms: every Han character (for one-character queries), every pair of adjacent Han characters
  (``现代化`` -> 现代 代化), every run of other letters/digits, lower-cased (``2026``, ``gdp``);
  full-width letters and digits are folded to ASCII.  search.js cuts a query the same way and a page
  must hold all of its terms.  Han text is handled in UTF-16 code units (as JavaScript strings are): a
  Han term is one unit or a pair of adjacent units, i.e. a uint32 ``first | second << 16``; a Han
  character outside the BMP (CJK Ext. B+) is its surrogate pair, so it is found alone and in pairs.
* Postings: per term and segment, the pages holding it, each one uint16 ``page << 4 | min(tf, 15)``
  (a title occurrence counts TITLE_WEIGHT times).  Segments are runs of SEGMENT_PAGES HTML pages in
  path order (pages that are not indexed take their place too); page numbers in a segment count from 0.
* Shards: terms are spread over a prime number F of shard files, ``code % F`` (words: CRC-32 of their
  UTF-8 % F).  A shard file is the concatenation of one piece per segment that has terms in it, so a
  query reads exactly one file per term (~10 KB on the synthetic 10-year archive, ~40-60 KB with a
  wide real-world vocabulary).
* Result records: per indexed page one small file with its address, title, meta (issue, section) and
  the indexed text, from which search.js cuts the snippet; a query reads the ten on screen (~8 KB each
  for a 2,500-character article, less than the HTML pages they stand for).

Every file is a script, ``__bulletinSearch.add("<its path without .js>", <value>);``, which search.js
loads with a ``<script>`` element and receives through that call: browsers run scripts from a site
opened from disk (file://, a USB stick, a shared folder) where they refuse fetch() and XHR, so one
format and one code path serve both.  Binary values are base64 strings (a third larger than the raw
bytes, which a compressing server wins back).  Files under <site>/search/:

* ``index.js``: an object: format, version (a hash of what the pages put in the index, not of the code
  that indexed them; search.js asks for every other file with
  ``?v=<version>``, so a browser cache never mixes two builds; index.js itself is loaded with a fresh
  query each time), page count, indexed pages per segment, F, facets (the values of each filter).
* ``pages.js``: base64 of one byte per page for its length in terms (BM25:
  ``round(16 * log2(1 + length))``), then per facet one byte per page, the index of its value (255: none).
* ``shards/<b>.js``: base64 of pieces, each (little-endian) uint32 segment, uint32 n (number of Han
  terms), uint32 w (number of word terms), uint32 s (bytes of the words); n uint32 Han term codes; n + w
  uint8 posting counts; the uint16 postings of every term in that order; s bytes of "\n"-joined UTF-8
  words.
* ``text/<segment>/<k>.js``: ``[address, title, {meta}, text]`` of the segment's k-th indexed page
  (named by segment, so that a page added or removed renames the files of its own segment only).

Speed (numpy counts and inverts the Han terms; on the 2-core build machine a cold 10-year index is
~1.5 s of CPU, ~0.8 s with two processes): a build only does the work its changes need.  With
``cache_dir`` (private build state, output/.bulletin/search/) the indexer remembers, per HTML file hash,
the hash of what the page adds to the index, and per segment (named by the hash of its pages' contents)
its encoded pieces and result records, as data-only records (bulletin.buildstate: ``pages.state``,
``seg-<key>.state``; a record that does not decode is removed, reported and indexed again).  Given
the pages' hashes (the build's manifest has them), an edit reads only the changed pages, re-indexes
the one segment they fall in (~0.1 s) and re-joins the shard files from cached pieces; the output
writer then rewrites only the files whose bytes changed.  A
cold build indexes segments in parallel processes.  The output depends only on the pages, never on the
cache, the number of workers or the build history (tests/test_search.py compares incremental builds
with fresh ones byte for byte).

What is indexed follows the attributes the templates carry (named after Pagefind's, which they
replaced): pages with a data-search-body element; in it, all text except in data-search-ignore elements
and in data-search-meta / data-search-filter elements, whose text becomes result metadata / filter
values.  The first <h1> is
the title (unless a ``title`` meta is given).
"""

from __future__ import annotations

import base64
import gc
import hashlib
import html
import json
import math
import os
import re
import shutil
import struct
import sys
import time
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Protocol

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # numpy's BLAS is not used: no idle threads for it
import numpy as np  # noqa: E402

from bulletin.buildstate import (  # noqa: E402
    INT,
    OPT_STR,
    STR,
    STR_TUPLE,
    Codec,
    Record,
    StateError,
    Store,
    Table,
)
from bulletin.workers import can_fork  # noqa: E402
from bulletin.workers import pool as process_pool  # noqa: E402

__all__ = ["INDEX_DIR", "Page", "SearchIndexStats", "build_search_index", "extract_page", "query_terms",
           "term_key", "terms_of"]

INDEX_DIR = "search"  # folder under the site root (search.html's data-index names it)
FORMAT = 3
LOADER = "__bulletinSearch"  # each index file is a script calling LOADER.add(name, value) (search.js)
TITLE_WEIGHT = 5  # a title occurrence counts as this many body occurrences
TF_BITS = 4  # a posting is one uint16: page in segment << TF_BITS | min(tf, 2**TF_BITS - 1)
SEGMENT_PAGES = 96  # HTML pages per segment on average (boundaries: see _segment_bounds)
MAX_SEGMENT_PAGES = 255  # at most (uint8 posting counts)
PAGES_PER_SHARD = 6  # F: the number of SHARD_COUNTS nearest (in ratio) to HTML pages / PAGES_PER_SHARD
SHARD_COUNTS = (1, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381)
FACETS = ("year", "section")  # filters stored for the search page (values per page in pages.bin)
BODY_ATTR = "data-search-body"
_ATTR_PREFIX = "data-search-"

# Han characters; search.js has the same ranges.
_HAN_RANGES = ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
_HAN = "".join(f"{chr(a)}-{chr(b)}" for a, b in _HAN_RANGES)
_HAN_RUN = re.compile(f"[{_HAN}]+")
_WORD = re.compile(f"[^\\W_{_HAN}]+")  # other letters and digits
# In UTF-16: the BMP ranges as they are; U+20000-U+3FFFF as a high surrogate D840-D8BF and a low one.
_HAN_UNITS = tuple((a, b) for a, b in _HAN_RANGES if b < 0x10000)
_HIGH_SURROGATES = (0xD800 + ((0x20000 - 0x10000) >> 10), 0xD800 + ((0x3FFFF - 0x10000) >> 10))
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FOLD = {cp: cp - 0xFEE0 for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
         for cp in range(lo, hi + 1)}
_BIG = sys.byteorder != "little"

# --- HTML -> text ------------------------------------------------------------------------------------
_BODY_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^>]*?\sdata-search-body(?=[\s=/>])[^>]*>")
_DROP_HINT = re.compile(r"<(?:!--|script|style|template|noscript|svg|math|textarea)", re.I)
_DROP = re.compile(r"<!--.*?-->|<(script|style|template|noscript|svg|math|textarea)\b.*?</\1\s*>",
                   re.S | re.I)
_MARKED_TAG = re.compile(
    r"<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^>]*?\sdata-search-(ignore|meta|filter)(?=[\s=/>])[^>]*>")
_IGNORE_ATTR = re.compile(r"\sdata-search-ignore(?=[\s=/>])")
_ATTR = re.compile(r"""\sdata-search-(meta|filter)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_H1 = re.compile(r"<h1(?=[\s>])[^>]*>(.*?)</h1\s*>", re.S | re.I)
_BLOCKS = ("address|article|aside|blockquote|br|caption|dd|details|dialog|div|dl|dt|fieldset|figcaption"
           "|figure|footer|form|h[1-6]|header|hgroup|hr|li|main|nav|ol|p|pre|section|summary|table|tbody|td"
           "|tfoot|th|thead|tr|ul")
_BLOCK = re.compile(rf"</?(?:{_BLOCKS})(?=[\s/>])[^>]*>")  # as written by our templates and Markdown
_BLOCK_ANY_CASE = re.compile(rf"</?(?:{_BLOCKS})(?=[\s/>])[^>]*>", re.I)
_UPPER_TAG = re.compile(r"</?[A-Z]")
_TAG = re.compile(r"<[^>]*>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_END_TAGS: dict[str, re.Pattern] = {}


@dataclass(frozen=True)
class SearchIndexStats:
    """What `build_search_index` did."""

    pages_indexed: int
    index_bytes: int  # all files under site_dir/search/
    index_files: int
    seconds: float
    terms: int = 0  # distinct terms, counted per segment
    postings: int = 0
    shards: int = 0
    segments: int = 0
    segments_reused: int = 0  # segments taken from the cache instead of being indexed again
    discarded: tuple = ()  # (file, why) of cache records that could not be trusted (removed, not used)


@dataclass(frozen=True)
class Page:
    """What the index keeps of one page."""

    url: str  # relative to the site root, no leading slash
    title: str
    text: str  # the rest of the indexed text, blocks separated by "\n"
    meta: dict[str, str]
    filters: dict[str, list[str]]


class IndexWriter(Protocol):
    """Where the index files go instead of site_dir/search/ (bulletin.output.TreeWriter is one)."""

    def put(self, rel: str, data: bytes) -> None:  # rel: relative to the site root
        ...

    # optional: carry the previous build's file over when its hash is `h` (True), else False
    #   def keep(self, rel: str) -> bool   and   def previous_hash(self, rel: str) -> str | None


# --- terms -------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower-case and fold full-width letters and digits to ASCII (as search.js does)."""
    return (text.translate(_FOLD) if _FULLWIDTH.search(text) else text).lower()


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def _pairs(units: bytes) -> list[str]:
    return [units[i:i + 4].decode("utf-16-le", "surrogatepass") for i in range(0, len(units) - 2, 2)]


def terms_of(text: str) -> list[str]:
    """The index terms of a text, with repeats: Han characters (UTF-16 units), Han pairs, other words.
    (For reading and testing; the build counts the same terms without making these strings.)"""
    text = fold(text)
    terms: list[str] = []
    for run in _HAN_RUN.findall(text):
        u = _utf16(run)
        terms += [u[i:i + 2].decode("utf-16-le", "surrogatepass") for i in range(0, len(u), 2)]
        terms += _pairs(u)
    return terms + _WORD.findall(text)


def query_terms(query: str) -> list[str]:
    """The terms a page must hold to match `query` (search.js cuts queries the same way)."""
    q = fold(query)
    terms: list[str] = []
    for run in _HAN_RUN.findall(q):
        u = _utf16(run)
        terms += [run] if len(u) == 2 else _pairs(u)
    terms += _WORD.findall(q)
    return list(dict.fromkeys(terms))


def term_key(term: str) -> int | str:
    """How the index names a term: a Han unit or unit pair by its uint32 code, a word by itself."""
    if _WORD.fullmatch(term):
        return term
    return int.from_bytes(_utf16(term), "little")


def shard_of(key: int | str, shards: int) -> int:
    """The shard file holding a term (search.js computes the same)."""
    if isinstance(key, int):
        return key % shards
    return zlib.crc32(key.encode("utf-8")) % shards


def _unit_kinds() -> np.ndarray:
    """Per UTF-16 unit: 1 a Han character, 2 a high surrogate of U+20000-U+3FFFF, 3 a low surrogate."""
    kinds = np.zeros(0x10000, np.uint8)
    for a, b in _HAN_UNITS:
        kinds[a:b + 1] = 1
    kinds[_HIGH_SURROGATES[0]:_HIGH_SURROGATES[1] + 1] = 2
    kinds[0xDC00:0xE000] = 3
    return kinds


_UNIT_KINDS = _unit_kinds()


def _han_codes(text: str) -> np.ndarray:
    """The Han term codes of `text` with repeats, as uint64: every UTF-16 unit of its Han runs and every
    pair of adjacent units within a run (``first | second << 16``)."""
    u = np.frombuffer(_utf16(text), "<u2")
    kinds = _UNIT_KINDS[u]
    han = kinds == 1
    if len(u) > 1 and (kinds == 2).any():  # beyond the BMP: a high surrogate in range and a low one after
        pair = (kinds[:-1] == 2) & (kinds[1:] == 3)
        han[:-1] |= pair
        han[1:] |= pair
    u = u.astype(np.uint64)
    if len(u) < 2:
        return u[han]
    return np.concatenate((u[han], (u[:-1] | u[1:] << 16)[han[:-1] & han[1:]]))


def _page_terms(page: Page) -> tuple[list[np.ndarray], Counter, int]:
    """The page's Han term codes (the title's repeated TITLE_WEIGHT times), its word counts, and the
    body's length in terms."""
    codes = [_han_codes(page.text)]
    words = Counter(_WORD.findall(fold(page.text)))
    length = len(codes[0]) + sum(words.values())
    if page.title:
        codes += [_han_codes(page.title)] * TITLE_WEIGHT
        for k in _WORD.findall(fold(page.title)):
            words[k] += TITLE_WEIGHT
    return codes, words, length


# --- HTML -> page ------------------------------------------------------------------------------------


def _element_end(markup: str, name: str, pos: int) -> int:
    """Offset just past the end tag closing the element `name` whose start tag ends at `pos`."""
    low = name.lower()
    if low in _VOID:
        return pos
    pat = _END_TAGS.get(low)
    if pat is None:
        pat = _END_TAGS[low] = re.compile(rf"<(/?){re.escape(low)}(?=[\s/>])[^>]*>", re.I)
    depth = 1
    for m in pat.finditer(markup, pos):
        if m.group(1):
            depth -= 1
            if depth == 0:
                return m.end()
        elif not m.group().endswith("/>"):
            depth += 1
    return len(markup)


def _marked_tags(body: str):
    """The start tags holding a data-search-ignore/meta/filter attribute, in order."""
    pos = 0
    while (i := body.find(_ATTR_PREFIX, pos)) >= 0:
        start = body.rfind("<", 0, i)
        m = _MARKED_TAG.match(body, start) if start >= 0 and body.rfind(">", start, i) < 0 else None
        if m is not None and m.end() > i:
            yield m
            pos = m.end()
        else:
            pos = i + len(_ATTR_PREFIX)


def _text(fragment: str) -> str:
    """The text of an HTML fragment: block elements end lines, other tags go.  Spaces are left as they
    are (the text is only cut into terms, where any run of them is a boundary)."""
    block = _BLOCK_ANY_CASE if _UPPER_TAG.search(fragment) else _BLOCK
    text = _TAG.sub("", block.sub("\n", fragment))
    if "&" in text:
        text = html.unescape(text)
    return text.strip()


def extract_page(markup: str, url: str) -> Page | None:
    """The indexed parts of one HTML page, or None when it has no data-search-body element."""
    first = markup.find(BODY_ATTR)
    if first < 0:
        return None
    bodies: list[str] = []
    pos = max(0, markup.rfind("<", 0, first))
    while (m := _BODY_TAG.search(markup, pos)) is not None:
        end = _element_end(markup, m.group(1), m.end())
        bodies.append(markup[m.end():end])
        pos = end
    if not bodies:
        return None
    body = "\n".join(bodies)
    if _DROP_HINT.search(body):
        body = _DROP.sub("", body)

    meta: dict[str, str] = {}
    filters: dict[str, list[str]] = {}
    if _ATTR_PREFIX in body:
        cut: list[tuple[int, int]] = []  # spans left out of the text
        for m in _marked_tags(body):
            end = _element_end(body, m.group(1), m.end())
            inner = None
            for kind, v1, v2 in _ATTR.findall(m.group()):
                key, sep, given = (v1 or v2).partition(":")
                key = key.strip()
                if not key or "[" in key:  # attribute-valued meta such as image[src]: not used here
                    continue
                if not sep:
                    inner = " ".join(_text(body[m.end():end]).split()) if inner is None else inner
                    given = inner
                given = given.strip()
                if kind == "meta":
                    meta.setdefault(key, given)
                elif given:
                    filters.setdefault(key, []).append(given)
                if not sep:  # the element's text is the value, not text of the page
                    cut.append((m.start(), end))
            if _IGNORE_ATTR.search(m.group()):
                cut.append((m.start(), end))
        if cut:
            kept, last = [], 0
            for start, end in sorted(cut):
                if start >= last:
                    kept.append(body[last:start])
                    last = end
                elif end > last:
                    last = end
            kept.append(body[last:])
            body = "\n".join(kept)

    title = meta.pop("title", "")
    h1 = _H1.search(body)
    if h1 is not None:
        if not title:
            title = " ".join(_text(h1.group(1)).split())
        body = body[:h1.start()] + "\n" + body[h1.end():]
    return Page(url=url, title=title, text=_text(body), meta=meta, filters=filters)


def _content_key(page: Page | None) -> str:
    """What a page adds to the index, hashed ("" for a page that adds nothing). Not its address: the
    same bytes can be served at two addresses (the segment key adds them)."""
    if page is None:
        return ""
    h = hashlib.sha1(json.dumps([page.title, page.meta, page.filters], ensure_ascii=False,
                                sort_keys=True).encode("utf-8"))
    h.update(b"\0" + page.text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


_LINE_BREAKS = re.compile(r"\s*\n\s*")


def _json(value) -> bytes:
    """`value` as a JavaScript literal: compact JSON, UTF-8, with U+2028/U+2029 escaped (raw, they end a
    string literal in browsers older than ES2019)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode("utf-8")


def _doc(page: Page) -> bytes:
    """What a result shows of a page: ``[address, title, meta, text]``; search.js cuts the snippet from
    the text (line breaks between blocks kept, other runs of space around them dropped)."""
    return _json([page.url, page.title, page.meta, _LINE_BREAKS.sub("\n", page.text)])


def _script(name: str, value: bytes) -> bytes:
    """An index file: a script handing `value` (a JavaScript literal) to search.js under `name`, its
    path in the index folder without ``.js``.  Scripts load from file:// where fetch() may not."""
    return b"".join((LOADER.encode(), b'.add("', name.encode(), b'",', value, b");\n"))


def _base64(data: bytes) -> bytes:
    return b'"' + base64.b64encode(data) + b'"'


def _read_page(path: str, url: str) -> Page | None:
    with open(path, "rb") as f:
        data = f.read()
    if BODY_ATTR.encode() not in data:
        return None
    return extract_page(data.decode("utf-8", "replace"), url)


# --- segments ----------------------------------------------------------------------------------------


@dataclass
class _Segment:
    """One segment's share of the index."""

    urls: list  # per indexed page: its address
    docs: list  # per indexed page: its result record, JSON ``[address, title, meta, text]`` (UTF-8)
    filters: list  # per indexed page: its FACETS values (None: none)
    lens: bytes  # per indexed page: round(16 * log2(1 + length))
    pieces: list  # per shard: this segment's piece of it, less its segment number (b"": no terms there)
    terms: int
    postings: int


def _segment_key(salt: str, shards: int, pages: list[tuple[str, str]]) -> str:
    """The key of a segment from its pages' (address, content key); the first page names it even when it
    adds nothing (two segments never share a key)."""
    h = hashlib.sha1(f"{salt}/{shards}/{pages[0][0] if pages else ''}\n".encode("utf-8", "surrogatepass"))
    for url, key in pages:
        if key:
            h.update(f"{url}\0{key}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values starts in a sorted array, and how long it is."""
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))[: len(values)]
    return starts, np.diff(np.append(starts, len(values)))


def _index_segment(pages: list[Page], shards: int) -> _Segment:
    """Invert one segment's pages and cut its postings into one piece per shard (without the segment
    number that starts each piece in a shard file: the segment's place can change, its pieces not)."""
    if len(pages) > min(255, 1 << (16 - TF_BITS)):
        raise ValueError(f"too many pages in one search index segment: {len(pages)}")
    cap = (1 << TF_BITS) - 1
    lens = bytearray()
    occurrences: list[np.ndarray] = [np.zeros(0, np.uint64)]  # Han terms: code << 8 | page, repeated
    wpost: dict[str, list[int]] = {}  # words: their postings
    for n, page in enumerate(pages):
        codes, words, length = _page_terms(page)
        lens.append(min(255, round(16 * math.log2(1 + length))))
        occurrences.append(np.concatenate(codes) << 8 | n)
        base = n << TF_BITS
        for k, v in words.items():
            wpost.setdefault(k, []).append(base | min(v, cap))

    # sorted and counted, the occurrences are the Han postings in (code, page) order
    keys = np.concatenate(occurrences)
    keys.sort()
    starts, tf = _runs(keys)  # tf: occurrences of each (code, page)
    keys = keys[starts]
    codes = keys >> 8
    postings = (keys & 0xFF) << TF_BITS | np.minimum(tf, cap).astype(np.uint64)
    firsts, counts = _runs(codes)  # counts: postings per term (at most 255 pages)
    terms = codes[firsts]
    # the same in shard order, terms in code order within a shard
    shard_of_term = (terms % shards).astype(np.uint16)
    order = np.argsort(shard_of_term, kind="stable")
    postings = postings[np.argsort(np.repeat(shard_of_term, counts), kind="stable")]
    terms, counts, shard_of_term = terms[order], counts[order], shard_of_term[order]
    term_bounds = np.searchsorted(shard_of_term, np.arange(shards + 1))
    posting_bounds = np.concatenate(([0], np.cumsum(counts)))[term_bounds].tolist()
    term_bounds = term_bounds.tolist()
    terms_le = terms.astype("<u4").tobytes()
    counts_u8 = counts.astype(np.uint8).tobytes()
    postings_le = postings.astype("<u2").tobytes()

    wgroups: dict[int, list[str]] = {}
    for k in wpost:
        wgroups.setdefault(shard_of(k, shards), []).append(k)
    pieces: list[bytes] = []
    head = struct.Struct("<III").pack
    for b in range(shards):
        t0, t1 = term_bounds[b], term_bounds[b + 1]
        words = wgroups.get(b)
        if words is None:  # most shards: Han terms only
            pieces.append(b"".join((head(t1 - t0, 0, 0), terms_le[4 * t0:4 * t1], counts_u8[t0:t1],
                                    postings_le[2 * posting_bounds[b]:2 * posting_bounds[b + 1]]))
                          if t1 > t0 else b"")
            continue
        wlists = [wpost[w] for w in words]
        strs = "\n".join(words).encode("utf-8")
        wpostings = array("H", chain.from_iterable(wlists))
        if _BIG:
            wpostings.byteswap()
        pieces.append(b"".join((
            head(t1 - t0, len(words), len(strs)), terms_le[4 * t0:4 * t1], counts_u8[t0:t1],
            bytes(map(len, wlists)), postings_le[2 * posting_bounds[b]:2 * posting_bounds[b + 1]],
            wpostings.tobytes(), strs)))
    return _Segment(
        urls=[p.url for p in pages],
        docs=[_doc(p) for p in pages],
        filters=[tuple(p.filters[f][0] if p.filters.get(f) else None for f in FACETS) for p in pages],
        lens=bytes(lens),
        pieces=pieces,
        terms=len(terms) + len(wpost),
        postings=len(postings) + sum(map(len, wpost.values())),
    )


@dataclass
class _Job:
    """A segment to bring up to date: its pages (address, file, HTML hash, content key or None when
    not known), the shard count, and where the cache keeps segments."""

    seg: int
    pages: list[tuple[str, str, str, str | None]]
    shards: int
    salt: str
    cached: set[str]  # segment keys the cache holds
    cache_dir: str | None


def _segment_job(job: _Job) -> tuple[int, str, dict[str, str], bytes | None]:
    """Read what is not known of a segment's pages; index the segment unless the cache holds it (then
    the caller loads it). Returns the segment number, its key, the content key of each page read (by
    HTML hash), and the encoded segment (`_encode_segment`; None: take it from the cache)."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small lists and no cycles: the collector would only cost time
    try:
        found: dict[str, str] = {}
        read: dict[str, Page | None] = {}
        keys: list[tuple[str, str]] = []
        for url, path, html_hash, key in job.pages:
            if key is None:
                read[url] = page = _read_page(path, url)
                key = found[html_hash] = _content_key(page)
            keys.append((url, key))
        skey = _segment_key(job.salt, job.shards, keys)
        if skey in job.cached:
            return job.seg, skey, found, None
        pages = []
        for url, path, _, key in job.pages:
            page = read[url] if url in read else _read_page(path, url) if key else None
            if page is not None:
                pages.append(page)
        data = _encode_segment(_codec(job.salt), skey, _index_segment(pages, job.shards))
        if job.cache_dir is not None:
            _Cache.put_segment(Path(job.cache_dir), job.salt, skey, data)
        return job.seg, skey, found, data
    finally:
        if gc_was_enabled:
            gc.enable()


# --- the build ---------------------------------------------------------------------------------------


# the version's salt: the format and its parameters, not the code (see build_search_index)
_VERSION_SALT = f"{FORMAT}/{TITLE_WEIGHT}/{TF_BITS}/{FACETS}"


def _salt() -> str:
    """What the cached segments depend on besides the pages: this code and its settings."""
    h = hashlib.sha1(Path(__file__).read_bytes())
    h.update(f"{FORMAT}/{TITLE_WEIGHT}/{TF_BITS}/{FACETS}".encode())
    return h.hexdigest()[:16]


def _segment_bounds(rels: list[str]) -> list[tuple[int, int]]:
    """Segments of the HTML pages in path order (pages without data-search-body count too, so that
    finding out which pages are indexed needs no pass over all of them). A segment ends after a page
    whose address hashes to 0 modulo SEGMENT_PAGES, or at MAX_SEGMENT_PAGES pages: boundaries depend on
    the addresses only, so a page added or removed changes the segment it is in, not the ones after."""
    bounds, start = [], 0
    for i, rel in enumerate(rels):
        if (i + 1 - start >= MAX_SEGMENT_PAGES
                or zlib.crc32(rel.encode("utf-8", "surrogatepass")) % SEGMENT_PAGES == 0):
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(rels):
        bounds.append((start, len(rels)))
    return bounds


def _shard_count(pages: int) -> int:
    target = max(1.0, pages / PAGES_PER_SHARD)
    return min(SHARD_COUNTS, key=lambda n: (abs(math.log(n / target)), n))


CACHE_STORE = "search"
PAGE_STATES = Table("pages", {"html": STR, "content": STR})  # HTML hash -> content key ("": not indexed)
# per segment, in order: its key and the SHA-1 of each of its text/<n>/<k>.js files as last written (a
# segment at the same place with the same key makes the same files: they are carried over, not remade)
LAYOUT = Table("layout", {"key": STR, "text_hashes": STR_TUPLE})
SEGMENT_ROWS = Table("rows", {"url": STR, **{f"facet:{f}": OPT_STR for f in FACETS}})
SEGMENT_TOTALS = Table("totals", {"terms": INT, "postings": INT})
_SEGMENT_TABLES = (SEGMENT_ROWS, SEGMENT_TOTALS)
_LEGACY = ("pages.pickle", "seg-*.pickle", ".pages.pickle.*.tmp", ".seg-*.tmp")  # earlier versions'


def _codec(salt: str) -> Codec:
    return Codec(CACHE_STORE, FORMAT, salt)


def _encode_segment(codec: Codec, key: str, seg: _Segment) -> bytes:
    """A segment as a record ``seg-<key>``: its pages' addresses and facets and its totals as tables; its
    page lengths, the lengths of its pieces (uint32 LE, one per shard), the pieces themselves, the
    lengths of its result records and the records as blobs."""
    rows = {"url": seg.urls}
    for i, f in enumerate(FACETS):
        rows[f"facet:{f}"] = [v[i] for v in seg.filters]
    return codec.encode(f"seg-{key}", {"rows": (SEGMENT_ROWS, rows),
                                       "totals": (SEGMENT_TOTALS, {"terms": [seg.terms],
                                                                   "postings": [seg.postings]})},
                        (seg.lens, _sizes(seg.pieces), b"".join(seg.pieces), _sizes(seg.docs),
                         b"".join(seg.docs)))


def _sizes(parts: list[bytes]) -> bytes:
    return np.fromiter(map(len, parts), dtype="<u4", count=len(parts)).tobytes()


def _split(sizes: bytes, joined: bytes, count: int) -> list[bytes]:
    """The parts `_sizes` measured and b"".join joined; StateError if they do not add up."""
    if len(sizes) != 4 * count:
        raise StateError("a segment of another size")
    bounds = np.frombuffer(sizes, dtype="<u4").astype(np.int64).cumsum()
    if (bounds[-1] if count else 0) != len(joined):
        raise StateError("a segment of another size")
    if not count:
        return []
    starts = [0, *bounds[:-1].tolist()]
    return [joined[a:b] for a, b in zip(starts, bounds.tolist(), strict=True)]


def _segment_from(record: Record, shards: int) -> _Segment:
    """The segment in a decoded record, for an index of `shards` shards; StateError if it does not fit."""
    n, rows = record.tables["rows"]
    totals_n, totals = record.tables["totals"]
    if len(record.blobs) != 5 or totals_n != 1:
        raise StateError("not a search index segment")
    lens, sizes, joined, doc_sizes, docs = record.blobs
    if len(lens) != n or n > MAX_SEGMENT_PAGES:
        raise StateError("a segment of another size")
    facets = [rows[f"facet:{f}"] for f in FACETS]
    return _Segment(
        urls=rows["url"], docs=_split(doc_sizes, docs, n), pieces=_split(sizes, joined, shards),
        filters=list(zip(*facets, strict=True)) if facets else [() for _ in range(n)],
        lens=lens, terms=totals["terms"][0], postings=totals["postings"][0])


# Segments decoded in this process, by (cache folder, key, shards), with the stamp (inode, size, mtime)
# of their file then: a long-running process (the preview server) does not read and decode unchanged
# segments again each build. A file changed since (damaged, replaced) is read again, and checked.
_SEEN: dict[tuple[str, str, int], tuple[_Segment, tuple[int, int, int]]] = {}


class _Cache:
    """Private build state in a folder: page content keys by HTML hash, segments by key. Everything in it
    is named by what it was made from, so a stale cache only costs time; a record that does not decode
    (damaged, foreign, crafted) is removed and noted in `discarded` (the build warns), never used."""

    def __init__(self, folder: Path | None, salt: str) -> None:
        self.salt = salt
        self.pages: dict[str, str] = {}  # HTML hash -> content key ("": not indexed)
        self.segments: set[str] = set()
        self.store: Store | None = None
        self.folder: Path | None = None
        self.discarded: list[tuple[Path, str]] = []  # records found untrustworthy (removed): (file, why)
        self.layout: list[tuple[str, tuple[str, ...]]] = []  # the last build's segments (see LAYOUT)
        if folder is None:
            return
        store = Store(Path(folder), CACHE_STORE, FORMAT, salt, legacy=_LEGACY)
        self.discarded = store.discarded
        if not store.usable:  # no cache then: everything is indexed
            return
        self.store, self.folder = store, store.folder
        record = store.read("pages", (PAGE_STATES,))
        if record is not None:
            _, cols = record.tables["pages"]
            self.pages = dict(zip(cols["html"], cols["content"], strict=True))
        self.segments = {name[4:] for name in store.records("seg-")}
        layout = store.read("layout", (LAYOUT,))
        if layout is not None:
            _, cols = layout.tables["layout"]
            self.layout = list(zip(cols["key"], cols["text_hashes"], strict=True))

    def load(self, key: str, shards: int) -> _Segment | None:
        if self.store is None or key not in self.segments:
            return None
        stamp = self._stamp(key)
        seen = _SEEN.get((str(self.folder), key, shards))
        if seen is not None and stamp is not None and seen[1] == stamp:
            return seen[0]
        seg = self.store.read(f"seg-{key}", _SEGMENT_TABLES, lambda r: _segment_from(r, shards))
        if seg is None:
            self.segments.discard(key)
        elif stamp is not None:
            _SEEN[(str(self.folder), key, shards)] = (seg, stamp)
        return seg

    def _stamp(self, key: str) -> tuple[int, int, int] | None:
        """What tells the segment file as it is now from any other: inode, size, mtime."""
        try:
            st = os.lstat(self.store.path(f"seg-{key}"))
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def decode(self, key: str, data: bytes, shards: int) -> _Segment:
        """A segment a worker just encoded (the same strict decoding as from disk)."""
        seg = _segment_from(_codec(self.salt).decode(f"seg-{key}", data, _SEGMENT_TABLES), shards)
        stamp = self._stamp(key) if self.store is not None else None
        if stamp is not None:  # as the worker wrote it
            _SEEN[(str(self.folder), key, shards)] = (seg, stamp)
        return seg

    @staticmethod
    def put_segment(folder: Path, salt: str, key: str, data: bytes) -> None:
        # a cache that cannot be written only costs time next build; the folder was checked by _Cache
        Store(folder, CACHE_STORE, FORMAT, salt).write_bytes(f"seg-{key}", data)

    def save(self, used: set[str], hashes: set[str], changed: bool,
             layout: list[tuple[str, tuple[str, ...]]] | None = None) -> None:
        """Forget the segments no longer used and the page states of pages no longer there; remember
        where each segment's text files are (`layout`)."""
        if self.store is None:
            return
        if layout is not None and layout != self.layout:
            self.store.write("layout", {"layout": (LAYOUT, {"key": [k for k, _ in layout],
                                                            "text_hashes": [h for _, h in layout]})})
        for key in self.segments - used:
            self.store.remove(f"seg-{key}")
        folder = str(self.folder)
        for seen in [k for k in _SEEN if k[0] == folder and k[1] not in used]:
            del _SEEN[seen]
        if changed or len(self.pages) != len(hashes):
            pages = {h: v for h, v in self.pages.items() if h in hashes}
            columns = {"html": list(pages), "content": list(pages.values())}
            self.store.write("pages", {"pages": (PAGE_STATES, columns)})


def build_search_index(site_dir: Path, *, language: str = "zh-CN", workers: int | None = None,
                       cache_dir: Path | None = None, page_hashes: Mapping[str, str] | None = None,
                       writer: IndexWriter | None = None,
                       page_file: Callable[[str], str] | None = None) -> SearchIndexStats:
    """Index every page of `site_dir` that has a data-search-body element into site_dir/search/.

    `language` is the site's language; the terms are the same for any language (Han characters and
    pairs, other words), so it is only recorded in index.json.  `workers`: processes for the segments to
    index (default: one per CPU; a build that re-indexes one segment does it in-process).
    `cache_dir`: a private folder for what the next build can reuse (see the module docstring); None
    indexes everything.  `page_hashes`: the SHA-1 (hex) of every HTML file of the site by site-relative
    path, when the caller knows them (the build's manifest); otherwise the files are read and hashed.
    `writer`: where the index files go (``put("search/…", data)``), e.g. the site's TreeWriter, which
    links unchanged files from the previous output; without it they are written into
    site_dir/search/, replacing what was there.  `page_file`: where to read the page at a site-relative
    path, when not at site_dir/path (a build's staging holds only the pages that changed).  The output
    depends only on the pages.
    """
    t0 = time.perf_counter()
    site_dir = Path(site_dir)
    salt = _salt()
    cache = _Cache(cache_dir, salt)
    states = cache.pages

    if page_hashes is None:
        page_hashes = {}
        for path in site_dir.rglob("*.html"):
            rel = path.relative_to(site_dir).as_posix()
            if not rel.startswith(INDEX_DIR + "/"):
                page_hashes[rel] = hashlib.sha1(path.read_bytes()).hexdigest()
    rels = sorted(r for r in page_hashes if r.endswith(".html") and not r.startswith(INDEX_DIR + "/"))

    shards = _shard_count(len(rels))
    segments: list[_Segment | None] = []
    keys: list[str] = []
    jobs: list[_Job] = []
    bounds = _segment_bounds(rels)
    for seg, (i, j) in enumerate(bounds):
        items = [(rel, page_hashes[rel], states.get(page_hashes[rel])) for rel in rels[i:j]]
        segment = None
        if all(state is not None for _, _, state in items):
            keys.append(_segment_key(salt, shards, [(rel, state) for rel, _, state in items]))
            segment = cache.load(keys[-1], shards)
        else:
            keys.append("")
        segments.append(segment)
        if segment is None:
            where = page_file or (lambda rel: str(site_dir / rel))
            jobs.append(_Job(seg, [(rel, where(rel), h, state) for rel, h, state in items], shards,
                             salt, cache.segments, None if cache.folder is None else str(cache.folder)))

    workers = min(len(jobs), workers or os.cpu_count() or 1)
    if workers > 1 and can_fork():
        with process_pool(workers) as pool:
            done = pool.map(_segment_job, jobs)
    else:
        done = [_segment_job(job) for job in jobs]
    changed = False
    reused = len(segments) - len(jobs)
    for job, (seg, key, found, data) in zip(jobs, done, strict=True):
        for h, state in found.items():
            if states.get(h) != state:
                states[h] = state
                changed = True
        keys[seg] = key
        if data is None:
            segments[seg] = cache.load(key, shards)
            if segments[seg] is None:  # listed but unreadable: index it after all
                data = _segment_job(_Job(job.seg, job.pages, shards, salt, set(), job.cache_dir))[3]
            else:
                reused += 1
        if data is not None:
            segments[seg] = cache.decode(key, data, shards)
    segs = [s for s in segments if s is not None]
    assert len(segs) == len(segments)
    # what each segment holds, named without the code that indexed it (the segment keys have this
    # module's bytes in their salt): the index's version comes from these, so the same pages give the
    # same index.js whatever else changed in the code
    contents = [_segment_key(_VERSION_SALT, shards, [(rel, states[page_hashes[rel]]) for rel in rels[i:j]])
                for i, j in bounds]

    # a segment where the last build had the same one: its text files are those written then
    carried = {}
    if writer is not None and hasattr(writer, "keep"):
        for n, (key, old) in enumerate(zip(keys, cache.layout, strict=False)):
            if old[0] == key and len(old[1]) == len(segs[n].docs):
                carried[n] = old[1]
    files = _index_files(segs, contents, shards, language, skip_text=set(carried))
    layout: list[tuple[str, tuple[str, ...]]] = []
    for n, s in enumerate(segs):
        if n in carried:
            hashes = list(carried[n])
            for k, h in enumerate(hashes):
                rel = f"{INDEX_DIR}/text/{n}/{k}.js"
                if writer.previous_hash(rel) != h or not writer.keep(rel):
                    data = _script(f"text/{n}/{k}", s.docs[k])
                    writer.put(rel, data)
                    hashes[k] = hashlib.sha1(data).hexdigest()
            layout.append((keys[n], tuple(hashes)))
        else:
            layout.append((keys[n], tuple(hashlib.sha1(files[f"text/{n}/{k}.js"]).hexdigest()
                                          for k in range(len(s.docs)))))
    cache.save(set(keys), set(page_hashes.values()), changed, layout)
    if writer is not None:
        for rel, data in files.items():
            writer.put(f"{INDEX_DIR}/{rel}", data)
    else:
        _write_folder(site_dir / INDEX_DIR, files)
    return SearchIndexStats(
        pages_indexed=sum(len(s.urls) for s in segs),
        index_bytes=sum(map(len, files.values())),
        index_files=len(files),
        seconds=time.perf_counter() - t0,
        terms=sum(s.terms for s in segs),
        postings=sum(s.postings for s in segs),
        shards=shards,
        segments=len(segs),
        segments_reused=reused,
        discarded=tuple(cache.discarded),
    )


def _index_files(segs: list[_Segment], contents: list[str], shards: int, language: str,
                 skip_text: set[int] = frozenset()) -> dict[str, bytes]:
    """Every file of the index by its path under the index folder (see the module docstring), but the
    text files of the segments in `skip_text` (positions). `contents`: per segment, a key of what its
    pages add to the index (the version is made from them)."""
    files: dict[str, bytes] = {}
    lens = b"".join(s.lens for s in segs)
    lengths = [2 ** (v / 16) - 1 for v in lens]

    # pages: the lengths, then per facet one uint8 value index per page (255: none)
    facets, columns = [], []
    for i, f in enumerate(FACETS):
        raw = [v[i] for s in segs for v in s.filters]
        values = sorted({v for v in raw if v is not None},
                        key=lambda v: (0, -int(v), "") if v.isdigit() else (1, 0, v))[:255]
        where = {v: n for n, v in enumerate(values)}
        facets.append({"name": f, "values": values})
        columns.append(bytes(where.get(v, 255) for v in raw))
    manifest = {
        "format": FORMAT,
        "version": "",  # search.js asks for the other files by it: a browser never mixes two builds
        "language": language,
        "pages": len(lens),
        "segments": [len(s.urls) for s in segs],
        "shards": shards,
        "tf_bits": TF_BITS,
        "avg_length": round(sum(lengths) / len(lengths), 2) if lengths else 0,
        "facets": facets,
    }
    h = hashlib.sha1(json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    h.update("".join(contents).encode())
    manifest["version"] = h.hexdigest()[:12]
    files["index.js"] = _script("index", _json(manifest))
    files["pages.js"] = _script("pages", _base64(lens + b"".join(columns)))
    for n, s in enumerate(segs):
        if n in skip_text:
            continue
        for k, doc in enumerate(s.docs):
            files[f"text/{n}/{k}.js"] = _script(f"text/{n}/{k}", doc)
    heads = [array("I", [n]) for n in range(len(segs))]
    if _BIG:
        for a in heads:
            a.byteswap()
    heads = [a.tobytes() for a in heads]
    for b in range(shards):
        parts = []
        for head, s in zip(heads, segs, strict=True):
            if s.pieces[b]:
                parts += (head, s.pieces[b])
        files[f"shards/{b}.js"] = _script(f"shards/{b}", _base64(b"".join(parts)))
    return files


def _write_folder(out: Path, files: dict[str, bytes]) -> None:
    """Write `files` as folder `out`, replacing it whole (built beside it, then renamed into place)."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    old = out.with_name(f".{out.name}.{os.getpid()}.old")
    shutil.rmtree(tmp, ignore_errors=True)
    for d in sorted({rel.rpartition("/")[0] for rel in files} - {""}):
        (tmp / d).mkdir(parents=True, exist_ok=True)
    tmp.mkdir(exist_ok=True)
    for rel, data in files.items():
        with open(tmp / rel, "wb") as f:
            f.write(data)
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
