"""Render the archive site from the model: a list of (path, bytes) for the output writer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bulletin import numbering
from bulletin.markdown import render_body
from bulletin.model import Archive, Article, Issue
from bulletin.site import links
from bulletin.templating import environment


@dataclass(frozen=True)
class PdfInfo:
    """What the site says about an issue's PDF download."""

    path: str  # site-relative path
    bytes: int
    pages: int


@dataclass(frozen=True)
class SiteFile:
    path: str  # site-relative
    data: bytes | None = None
    source: Path | None = None  # copy of an existing file instead of data
    link: bool = False  # hard-link `source` (files inside output/ only)


def render_site(archive: Archive, pdfs: dict[str, PdfInfo]) -> Iterator[SiteFile]:
    env = environment(archive.root)
    pub = archive.publication
    issues_desc = list(reversed(archive.issues))

    def page(path: str, template: str, **ctx) -> SiteFile:
        def url(target: str) -> str:
            return links.relative(path, target)

        html = env.get_template(template).render(
            pub=pub, page_path=path, url=url, links=links, archive=archive, numbering=numbering, **ctx
        )
        return SiteFile(path, html.encode("utf-8"))

    yield page("index.html", "site/index.html", issues=issues_desc, latest=issues_desc[0] if issues_desc else None)
    for year in archive.years:
        yield page(links.year_path(year), "site/year.html", year=year,
                   issues=[i for i in issues_desc if i.year == year])
    for issue in archive.issues:
        yield page(links.issue_path(issue), "site/issue.html", issue=issue, pdf=pdfs.get(issue.key))
        for idx, art in enumerate(issue.articles):
            body = render_body(art.body, allow_html=pub.site.allow_html)
            prev_a = issue.articles[idx - 1] if idx > 0 else None
            next_a = issue.articles[idx + 1] if idx + 1 < len(issue.articles) else None
            yield page(links.article_path(issue, art), "site/article.html", issue=issue, article=art,
                       body=body, prev=prev_a, next=next_a)
            for src in body.images:
                yield _image_file(issue, art, src)
    static = _static_dir(archive.root)
    for p in sorted(static.rglob("*")):
        if p.is_file():
            yield SiteFile("static/" + p.relative_to(static).as_posix(), source=p)


def _image_file(issue: Issue, art: Article, src: str) -> SiteFile:
    from bulletin.content.images import resolve_image

    target = resolve_image(art.path, src)
    rel = target.relative_to(issue.folder.resolve()).as_posix()
    return SiteFile(f"{issue.year}/{issue.number:02d}/{rel}", source=target)


def _static_dir(root: Path) -> Path:
    from bulletin.templating import template_dirs

    for d in template_dirs(root):
        if (d / "site" / "static").is_dir():
            return d / "site" / "static"
    raise FileNotFoundError("site/static")
