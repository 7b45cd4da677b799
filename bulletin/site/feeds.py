"""Atom feeds (recent articles; issues with their PDF as an enclosure) and sitemap.xml.

Links are absolute when `base_url` is set (feed readers need them) and relative to the site root
otherwise (valid Atom: they resolve against the feed's own address). Times come from the content, never
from the clock, so an unchanged archive gives byte-identical feeds that are not rewritten.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

from bulletin.model import Publication
from bulletin.site import links
from bulletin.site.pages import ArticleView, IssueView, SitePlan


# xml.sax.saxutils' escape and quoteattr, the same output (tests/test_feeds.py compares them), without
# importing it: it imports urllib.request and http.client, ~20 ms on every build that writes a feed.
def escape(data: str) -> str:
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))


def feed_files(plan: SitePlan, pub: Publication) -> Iterator[tuple[str, bytes]]:
    yield links.ARTICLE_FEED, article_feed(plan, pub).encode("utf-8")
    yield links.ISSUE_FEED, issue_feed(plan, pub).encode("utf-8")
    if pub.base_url:
        yield links.SITEMAP, sitemap(plan, pub.base_url).encode("utf-8")


def _href(pub: Publication, path: str) -> str:
    return links.absolute(pub.base_url, path) or path


def _id(pub: Publication, path: str) -> str:
    """A permanent id: the page's address, or without base_url a UUID derived from title and path."""
    if pub.base_url:
        return links.absolute(pub.base_url, path)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"bulletin:{pub.title}:{path}"))


def _time(d: dt.date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


def _head(pub: Publication, title: str, self_path: str, updated: dt.date | None) -> list[str]:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(pub.language)}>',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(_id(pub, self_path))}</id>",
        f"  <updated>{_time(updated or dt.date(2000, 1, 1))}</updated>",
        f"  <author><name>{escape(pub.publisher)}</name></author>",
        f'  <link rel="alternate" type="text/html" href={quoteattr(_href(pub, links.HOME))}/>',
    ]
    if pub.base_url:
        out.append(
            f'  <link rel="self" type="application/atom+xml" href={quoteattr(_href(pub, self_path))}/>'
        )
    if pub.description:
        out.append(f"  <subtitle>{escape(pub.description)}</subtitle>")
    return out


def article_feed(plan: SitePlan, pub: Publication) -> str:
    """The `site.feed_articles` most recent articles, newest issue first."""
    items: list[ArticleView] = plan.articles[: pub.site.feed_articles]
    updated = max((a.issue.date for a in items), default=None)
    out = _head(pub, f"{pub.title} · 最新文章", links.ARTICLE_FEED, updated)
    for a in items:
        out += [
            "  <entry>",
            f"    <title>{escape(a.title)}</title>",
            f"    <id>{escape(_id(pub, a.path))}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(_href(pub, a.path))}/>',
            f"    <published>{_time(a.date)}</published>",
            f"    <updated>{_time(max(a.date, a.issue.date))}</updated>",
        ]
        out += [f"    <author><name>{escape(n.name)}</name></author>" for n in a.authors]
        out.append(f"    <category term={quoteattr(a.section.id)} label={quoteattr(a.section.name)}/>")
        summary = (a.subtitle + " " if a.subtitle else "") + a.summary
        out.append(f"    <summary>{escape(summary.strip())}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def issue_feed(plan: SitePlan, pub: Publication) -> str:
    """Every issue, newest first, with its contents and, when built, its PDF as an enclosure."""
    items: list[IssueView] = plan.issues[: max(pub.site.recent_issues, 24)]
    updated = items[0].ref.date if items else None
    out = _head(pub, f"{pub.title} · 各期", links.ISSUE_FEED, updated)
    for iv in items:
        r = iv.ref
        title = r.label + (f"（{r.title}）" if r.title else "")
        out += [
            "  <entry>",
            f"    <title>{escape(title)}</title>",
            f"    <id>{escape(_id(pub, r.path))}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(_href(pub, r.path))}/>',
            f"    <updated>{_time(r.date)}</updated>",
        ]
        if iv.pdf is not None:
            out.append(
                f'    <link rel="enclosure" type="application/pdf" length="{iv.pdf.bytes}" '
                f"title={quoteattr(f'{r.short_label} PDF（{iv.pdf.pages} 页）')} "
                f"href={quoteattr(_href(pub, iv.pdf.path))}/>"
            )
        lines = [f"【{c.section.name}】" + "；".join(a.title for a in c.articles) for c in iv.contents]
        out.append(f"    <summary>{escape(' '.join(lines))}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


_NOT_IN_SITEMAP = {"404", "search"}


def sitemap(plan: SitePlan, base_url: str) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    dates = {a.path: a.date for a in plan.articles}
    dates.update({iv.ref.path: iv.ref.date for iv in plan.issues})
    for page in plan.pages:
        if page.meta.kind in _NOT_IN_SITEMAP:
            continue
        loc = escape(links.absolute(base_url, page.path))
        d = dates.get(page.path)
        out.append(
            f"  <url><loc>{loc}</loc><lastmod>{d.isoformat()}</lastmod></url>"
            if d
            else f"  <url><loc>{loc}</loc></url>"
        )
    out.append("</urlset>")
    return "\n".join(out) + "\n"
