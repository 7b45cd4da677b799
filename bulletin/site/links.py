"""The site's URL scheme and relative links.

Every link is relative, so the site works at a domain root, under any sub-path and from disk (file://).
Links name files (…/index.html), never bare folders. The scheme is public (docs/site.md) and stable:

    index.html                      home: the latest issue like its front page, then recent issues
    archive.html                    every issue, by year
    <YYYY>/index.html               one year's issues
    <YYYY>/<NN>/index.html          an issue (NN: two-digit number in the year)
    <YYYY>/<NN>/<slug>.html         an article
    <YYYY>/<NN>/images/…            the issue's pictures
    sections/index.html, sections/<section id>.html
    authors/index.html,  authors/<pinyin of the name>.html
    tags/index.html,     tags/<pinyin of the tag>.html
    search.html, 404.html, feed.xml (articles), issues.xml (issues), sitemap.xml (with base_url)
    pdf/<YYYY>-<NN>.pdf             the issue's PDF (when built)
    static/…                        stylesheet, scripts, icons
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bulletin.content import slugs
from bulletin.model import Article, Issue

HOME = "index.html"
ARCHIVE = "archive.html"
SEARCH = "search.html"
NOT_FOUND = "404.html"
SECTIONS = "sections/index.html"
AUTHORS = "authors/index.html"
TAGS = "tags/index.html"
ARTICLE_FEED = "feed.xml"
ISSUE_FEED = "issues.xml"
SITEMAP = "sitemap.xml"

# Article slugs an issue folder cannot use (the loader refuses them): the issue page itself.
RESERVED_SLUGS = slugs.RESERVED_SLUGS


def issue_path(issue: Issue) -> str:
    return f"{issue.year}/{issue.number:02d}/index.html"


def article_path(issue: Issue, article: Article) -> str:
    return f"{issue.year}/{issue.number:02d}/{article.slug}.html"


def year_path(year: int) -> str:
    return f"{year}/index.html"


def pdf_path(issue: Issue) -> str:
    return f"pdf/{issue.key}.pdf"


def section_path(section_id: str) -> str:
    return f"sections/{section_id}.html"


def author_path(slug: str) -> str:
    return f"authors/{slug}.html"


def tag_path(slug: str) -> str:
    return f"tags/{slug}.html"


def relative(from_page: str, target: str) -> str:
    """The link from page `from_page` to `target` (both site-root-relative file paths, no `..`).

    Plain string work: posixpath.relpath asks the OS for the working directory on every call, and a
    page makes dozens of links."""
    if "/" not in from_page:
        return target
    base = from_page.split("/")[:-1]
    parts = target.split("/")
    i = 0
    while i < len(base) and i < len(parts) - 1 and base[i] == parts[i]:
        i += 1
    return "../" * (len(base) - i) + "/".join(parts[i:])


def absolute(base_url: str, target: str) -> str:
    """`target` under the site's public address (base_url ends with /); "" without a base_url."""
    if not base_url:
        return ""
    if target == HOME:
        return base_url
    return base_url + target


def name_slugs(names: Iterable[str], known: dict[str, str] | None = None) -> dict[str, str]:
    """File names for author or tag pages: the pinyin of the name, lowercase ASCII.

    Names are taken in order of first appearance in the archive (oldest issue first). Two names with the
    same pinyin (王明 and 汪明) share it: the first keeps `wang-ming`, later ones get `wang-ming-2`, … —
    so adding new articles never changes an existing page's address.

    `known` maps names to their pinyin from an earlier build (pypinyin takes half a second to load);
    names missing from it are transliterated and added to it.
    """
    known = {} if known is None else known
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in slugs:
            continue
        base = known.get(name)
        if base is None:
            from bulletin.content.slugs import pinyin_slug

            base = known[name] = _ascii_slug(name) or pinyin_slug(name)
        slug, n = base, 1
        while slug in taken or slug in ("index",):
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs[name] = slug
    return slugs


def _ascii_slug(name: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._-]*", name):
        return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return ""
