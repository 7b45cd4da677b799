"""Authors and tags: the names articles are filed under, each with its page and its articles.

A name's page address is its pinyin (links.name_slugs), given in order of first appearance in the
archive, so adding articles never moves an existing page. plan_site (pages.py) takes the names' refs
for the article pages and adds the index and per-name pages made here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bulletin.model import Article, Issue
from bulletin.site import links

if TYPE_CHECKING:
    from bulletin.site.pages import SectionRef


@dataclass(frozen=True)
class NameRef:
    """An author or a tag, with its page."""

    name: str
    path: str


@dataclass(frozen=True)
class Counted:
    """A section, author or tag with how many articles it has."""

    ref: SectionRef | NameRef
    count: int


@dataclass(frozen=True)
class Taxonomy:
    """The authors (or the tags) of an archive."""

    slugs: dict[str, str]  # name → page slug, in order of first appearance
    refs: dict[str, NameRef]  # name → its page
    articles: dict[str, list[tuple[Issue, Article]]]  # name → its articles, oldest first


# (path, template, kind, title, description, data) of a page, as plan_site's `page` takes them
PageSpec = tuple[str, str, str, str, str, dict]
Grouped = Callable[[Iterable[tuple[Issue, Article]]], tuple]


def authors_and_tags(chrono: list[tuple[Issue, Article]], known: dict[str, str]) -> tuple[Taxonomy, Taxonomy]:
    """The authors and the tags of the (issue, article) pairs `chrono`, oldest first. `known`: names
    already transliterated, completed with the new ones (see links.name_slugs)."""
    author_slugs = links.name_slugs((a for _, art in chrono for a in art.authors), known)
    tag_slugs = links.name_slugs((t for _, art in chrono for t in art.tags), known)
    per_author: dict[str, list] = defaultdict(list)
    per_tag: dict[str, list] = defaultdict(list)
    for issue, art in chrono:
        # a name given twice in one article (authors: [王明, 王明]) lists the article once
        for a in dict.fromkeys(art.authors):
            per_author[a].append((issue, art))
        for t in dict.fromkeys(art.tags):
            per_tag[t].append((issue, art))
    authors = Taxonomy(
        author_slugs, {n: NameRef(n, links.author_path(s)) for n, s in author_slugs.items()}, per_author
    )
    tags = Taxonomy(tag_slugs, {n: NameRef(n, links.tag_path(s)) for n, s in tag_slugs.items()}, per_tag)
    return authors, tags


def author_pages(title: str, authors: Taxonomy, grouped: Grouped) -> list[PageSpec]:
    """The authors page (names by the first letter of their pinyin) and one page per author.
    `title`: the publication's; `grouped`: (issue, article) pairs → the articles by year, newest first."""
    slugs, per_author = authors.slugs, authors.articles
    letters: dict[str, list[Counted]] = defaultdict(list)
    for name in sorted(slugs, key=lambda n: (slugs[n], n)):
        letter = slugs[name][0].upper()
        counted = Counted(authors.refs[name], len(per_author[name]))
        letters[letter if letter.isalpha() else "#"].append(counted)
    pages: list[PageSpec] = [
        (
            links.AUTHORS,
            "site/authors.html",
            "authors",
            "作者",
            f"{title}的{len(slugs)}位作者。",
            {"letters": tuple((k, tuple(v)) for k, v in sorted(letters.items())), "count": len(slugs)},
        )
    ]
    for name in slugs:
        items = per_author[name]
        pages.append(
            (
                authors.refs[name].path,
                "site/author.html",
                "author",
                name,
                f"{name}在{title}发表的{len(items)}篇文章。",
                {
                    "author": authors.refs[name],
                    "groups": grouped(items),
                    "count": len(items),
                    "affiliation": next((a.affiliation for _, a in reversed(items) if a.affiliation), ""),
                    "note": next((a.author_note for _, a in reversed(items) if a.author_note), ""),
                },
            )
        )
    return pages


def tag_pages(title: str, tags: Taxonomy, grouped: Grouped) -> list[PageSpec]:
    """The tags page (in pinyin order) and one page per tag."""
    slugs, per_tag = tags.slugs, tags.articles
    tag_order = sorted(slugs, key=lambda n: slugs[n])
    pages: list[PageSpec] = [
        (
            links.TAGS,
            "site/tags.html",
            "tags",
            "标签",
            f"{title}的文章标签。",
            {"tags": tuple(Counted(tags.refs[n], len(per_tag[n])) for n in tag_order)},
        )
    ]
    for name in slugs:
        items = per_tag[name]
        pages.append(
            (
                tags.refs[name].path,
                "site/tag.html",
                "tag",
                name,
                f"{title}中标为“{name}”的{len(items)}篇文章。",
                {"tag": tags.refs[name], "groups": grouped(items), "count": len(items)},
            )
        )
    return pages
