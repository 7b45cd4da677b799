"""Site paths and relative links: every link is relative, so the site works at a domain root, under any
sub-path and from disk (file://). Links name files (…/index.html), never bare folders."""

from __future__ import annotations

import posixpath

from bulletin.model import Article, Issue


def issue_path(issue: Issue) -> str:
    return f"{issue.year}/{issue.number:02d}/index.html"


def article_path(issue: Issue, article: Article) -> str:
    return f"{issue.year}/{issue.number:02d}/{article.slug}.html"


def year_path(year: int) -> str:
    return f"{year}/index.html"


def pdf_path(issue: Issue) -> str:
    return f"pdf/{issue.key}.pdf"


def relative(from_page: str, target: str) -> str:
    """The link from page `from_page` to `target` (both site-root-relative file paths)."""
    base = posixpath.dirname(from_page) or "."
    rel = posixpath.relpath(target, base)
    return rel
