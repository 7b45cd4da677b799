"""Which pages the site has and what each one shows: the model → one `Page` per output file.

A page's `data` holds only plain, frozen values (the view classes below). Templates receive exactly these
values, so a page whose data, template and code did not change renders to the same bytes: the renderer
keys its cache on them (see render.py). Article bodies are the one expensive value; a page carries the
`Article` whose body it shows and the renderer turns it into HTML only when the page must be rendered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bulletin import numbering
from bulletin.model import Archive, Article, Epigraph, Issue, Publication
from bulletin.site import links, taxonomies
from bulletin.site.taxonomies import Counted, NameRef

# --- view classes: what templates see ------------------------------------------------------------


@dataclass(frozen=True)
class SectionRef:
    id: str
    name: str
    path: str


@dataclass(frozen=True)
class PdfRef:
    path: str
    bytes: int
    pages: int

    @property
    def size(self) -> str:
        """1.2 MB, 640 KB."""
        if self.bytes >= 1024 * 1024:
            return f"{self.bytes / 1024 / 1024:.1f} MB"
        return f"{max(1, round(self.bytes / 1024))} KB"


@dataclass(frozen=True)
class IssueRef:
    key: str  # 2026-04
    year: int
    number: int
    total: int
    label: str  # 2026年第4期 总第15期
    short_label: str  # 2026年第4期
    date: dt.date
    title: str  # the issue's theme, often ""
    path: str


@dataclass(frozen=True)
class ArticleRef:
    """An article as listings show it."""

    path: str
    title: str
    subtitle: str
    authors: tuple[NameRef, ...]
    affiliation: str
    section: SectionRef
    issue: IssueRef
    date: dt.date


@dataclass(frozen=True)
class SectionContents:
    section: SectionRef
    articles: tuple[ArticleRef, ...]


@dataclass(frozen=True)
class IssueView:
    """An issue with its contents (issue page, home page)."""

    ref: IssueRef
    epigraph: Epigraph | None
    contents: tuple[SectionContents, ...]
    pdf: PdfRef | None
    count: int  # articles


@dataclass(frozen=True)
class IssueEntry:
    """An issue in a list, with its lead articles."""

    issue: IssueRef
    leads: tuple[ArticleRef, ...]
    count: int


@dataclass(frozen=True)
class ArticleGroup:
    """Articles under one heading (a year) on section, author and tag pages."""

    year: int
    articles: tuple[ArticleRef, ...]


@dataclass(frozen=True)
class ArticleView:
    """Everything the article page shows except the body."""

    path: str
    title: str
    subtitle: str
    authors: tuple[NameRef, ...]
    affiliation: str
    author_note: str
    source: str
    date: dt.date
    section: SectionRef
    issue: IssueRef
    tags: tuple[NameRef, ...]
    summary: str  # front-matter summary, else the opening of the body
    content_hash: str  # identifies the body (the page's `body` variable)


@dataclass(frozen=True)
class SiteInfo:
    """The publication, as every page's header and footer show it."""

    title: str
    publisher: str
    frequency: str  # 半月刊
    notice: str
    description: str
    language: str
    website: str
    base_url: str


@dataclass(frozen=True)
class PageMeta:
    """What goes in every page's <head>."""

    path: str
    kind: str  # home archive year issue article section sections author authors tag tags search 404
    title: str  # without the site name
    description: str
    canonical: str  # absolute URL, or "" without base_url
    og_type: str  # website | article
    image: str  # absolute URL of a picture for link previews, or ""


@dataclass
class Page:
    """One HTML file to produce."""

    path: str
    template: str
    meta: PageMeta
    data: dict
    article: Article | None = None  # the article whose rendered body is the `body` variable
    images: tuple[tuple[str, str], ...] = ()  # (site path, Markdown src) of the pictures the page uses
    # what the page's data is made from, by name (SitePlan.versions): articles ("a:<rel_path>"), issues
    # ("i:<key>"), authors and tags ("n:a:<name>", "n:t:<name>"), the list of years ("years"); besides
    # them only the publication's settings, templates and code, which every page reads. None: not
    # tracked (a page with little data, keyed every build). See site/dependencies.py.
    deps: tuple[str, ...] | None = None


@dataclass
class SitePlan:
    site: SiteInfo
    pages: list[Page] = field(default_factory=list)
    articles: list[ArticleView] = field(default_factory=list)  # newest first, for the article feed
    issues: list[IssueView] = field(default_factory=list)  # newest first, for the issue feed
    pinyin: dict[str, str] = field(default_factory=dict)  # author and tag names → their pinyin
    versions: dict[str, str] = field(default_factory=dict)  # dependency name → what it is now (Page.deps)


# --- planning -------------------------------------------------------------------------------------


def plan_site(
    archive: Archive,
    pdfs: dict[str, PdfRef],
    *,
    search_assets: tuple[str, ...] = (),
    pinyin: dict[str, str] | None = None,
) -> SitePlan:
    """Every HTML page of the site, in a stable order. `search_assets`: the site paths of the search
    page's scripts and stylesheets (static/search.js, static/search.css) where they exist. `pinyin`:
    author and tag names already transliterated (SitePlan.pinyin is the updated mapping)."""
    pub = archive.publication
    base = pub.base_url
    site = SiteInfo(
        pub.title,
        pub.publisher,
        numbering.frequency_label(pub.frequency),
        pub.notice,
        pub.description,
        pub.language,
        pub.website,
        base,
    )
    plan = SitePlan(site)

    sections = {s.id: SectionRef(s.id, s.name, links.section_path(s.id)) for s in pub.sections}
    chrono = [(issue, art) for issue in archive.issues for art in issue.articles]  # oldest first
    known = dict(pinyin or {})
    authors, tags = taxonomies.authors_and_tags(chrono, known)
    plan.pinyin = {n: known[n] for n in (*authors.slugs, *tags.slugs)}

    issue_refs: dict[str, IssueRef] = {}
    refs: dict[int, ArticleRef] = {}  # id(Article) → ref
    for issue in archive.issues:
        iref = IssueRef(
            issue.key,
            issue.year,
            issue.number,
            issue.total,
            numbering.issue_label(issue.year, issue.number, issue.total),
            numbering.short_label(issue.year, issue.number),
            issue.date,
            issue.title,
            links.issue_path(issue),
        )
        issue_refs[issue.key] = iref
        for art in issue.articles:
            refs[id(art)] = ArticleRef(
                links.article_path(issue, art),
                art.title,
                art.subtitle,
                tuple(authors.refs[a] for a in art.authors),
                art.affiliation,
                sections[art.section.id],
                iref,
                art.date,
            )

    # what each dependency is now (Page.deps): every value a page can show of it, as a string to compare
    versions = plan.versions
    for name, ref in authors.refs.items():
        versions["n:a:" + name] = ref.path
    for name, ref in tags.refs.items():
        versions["n:t:" + name] = ref.path
    versions["years"] = repr(archive.years)
    issue_version: dict[str, str] = {}
    for issue in archive.issues:
        iref = issue_refs[issue.key]
        pdf = pdfs.get(issue.key)
        v = repr((iref.key, iref.year, iref.number, iref.total, iref.label, iref.short_label, iref.date,
                  iref.title, iref.path, issue.epigraph, pdf and (pdf.path, pdf.bytes, pdf.pages),
                  tuple(a.rel_path for a in issue.articles)))
        issue_version[issue.key] = versions["i:" + issue.key] = v
        for art in issue.articles:
            ref = refs[id(art)]
            versions["a:" + art.rel_path] = repr((
                ref.path, art.section.id, tuple(a.path for a in ref.authors),
                tuple(tags.refs[t].path for t in art.tags), *(getattr(art, f) for f in _ARTICLE_VERSION),
            )) + v

    def view(issue: Issue) -> IssueView:
        contents = tuple(
            SectionContents(sections[s.id], tuple(refs[id(a)] for a in issue.articles_in(s)))
            for s in issue.sections_used()
        )
        return IssueView(
            issue_refs[issue.key], issue.epigraph, contents, pdfs.get(issue.key), len(issue.articles)
        )

    def entry(issue: Issue) -> IssueEntry:
        return IssueEntry(
            issue_refs[issue.key], tuple(refs[id(a)] for a in issue.articles[:3]), len(issue.articles)
        )

    def page(
        path: str,
        template: str,
        kind: str,
        title: str,
        description: str,
        data: dict,
        *,
        og_type: str = "website",
        image: str = "",
        article: Article | None = None,
        images: tuple[tuple[str, str], ...] = (),
        deps: tuple[str, ...] | None = None,
    ) -> None:
        meta = PageMeta(
            path, kind, title, _clip(description, 150), links.absolute(base, path), og_type, image
        )
        plan.pages.append(Page(path, template, meta, data, article, images, deps))

    def shown(issues: Iterable[Issue], leads: bool = False) -> tuple[str, ...]:
        """The dependencies of a listing of `issues` with all their articles, or their leads."""
        out: list[str] = []
        for i in issues:
            out.append("i:" + i.key)
            out += ["a:" + a.rel_path for a in (i.articles[:3] if leads else i.articles)]
        return tuple(out)

    issues_desc = list(reversed(archive.issues))
    latest = view(issues_desc[0]) if issues_desc else None
    recent = tuple(entry(i) for i in issues_desc[: pub.site.recent_issues])
    page(
        links.HOME,
        "site/index.html",
        "home",
        "",
        pub.description or _issue_description(pub, latest),
        {"latest": latest, "recent": recent},
        deps=shown(issues_desc[:1]) + shown(issues_desc[: pub.site.recent_issues], leads=True),
    )

    by_year: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues_desc:
        by_year[issue.year].append(issue)
    years = tuple((y, tuple(entry(i) for i in by_year[y])) for y in archive.years)
    page(
        links.ARCHIVE,
        "site/archive.html",
        "archive",
        "往期目录",
        f"{pub.title}全部{len(archive.issues)}期的目录。",
        {"years": years},
        deps=shown(issues_desc, leads=True),
    )
    all_years = tuple(archive.years)
    for y, entries in years:
        page(
            links.year_path(y),
            "site/year.html",
            "year",
            f"{y}年",
            f"{pub.title}{y}年共{len(entries)}期：" + "；".join(e.issue.short_label for e in entries),
            {"year": y, "issues": entries, "years": all_years},
            deps=("years", *shown(by_year[y], leads=True)),
        )

    for n, issue in enumerate(archive.issues):
        iv = view(issue)
        prev_issue = issue_refs[archive.issues[n - 1].key] if n > 0 else None
        next_issue = issue_refs[archive.issues[n + 1].key] if n + 1 < len(archive.issues) else None
        page(
            iv.ref.path,
            "site/issue.html",
            "issue",
            iv.ref.label,
            _issue_description(pub, iv),
            {"issue": iv, "prev_issue": prev_issue, "next_issue": next_issue},
            deps=(*shown([issue]), *(f"i:{r.key}" for r in (prev_issue, next_issue) if r is not None)),
        )
        plan.issues.append(iv)
        arts = issue.articles
        for k, art in enumerate(arts):
            ref = refs[id(art)]
            folder = f"{issue.year}/{issue.number:02d}/"
            images = tuple((folder + _clean_src(src), src) for src in art.images)
            summary = art.summary or art.excerpt
            av = ArticleView(
                ref.path,
                art.title,
                art.subtitle,
                ref.authors,
                art.affiliation,
                art.author_note,
                art.source,
                art.date,
                ref.section,
                ref.issue,
                tuple(tags.refs[t] for t in art.tags),
                summary,
                art.content_hash,
            )
            plan.articles.append(av)
            page(
                ref.path,
                "site/article.html",
                "article",
                art.title,
                summary,
                {
                    "article": av,
                    "prev": refs[id(arts[k - 1])] if k > 0 else None,
                    "next": refs[id(arts[k + 1])] if k + 1 < len(arts) else None,
                },
                og_type="article",
                image=links.absolute(base, images[0][0]) if images else "",
                article=art,
                images=images,
                deps=("i:" + issue.key, *("a:" + a.rel_path for a in arts[max(0, k - 1) : k + 2])),
            )
    plan.issues.reverse()
    # newest issue first, each issue's articles in their printed order
    order = {iv.ref.key: n for n, iv in enumerate(plan.issues)}
    plan.articles.sort(key=lambda a: order[a.issue.key])

    def grouped(arts: Iterable[tuple[Issue, Article]]) -> tuple[ArticleGroup, ...]:
        groups: dict[int, list[ArticleRef]] = defaultdict(list)
        for issue, art in arts:
            groups[issue.year].append(refs[id(art)])
        return tuple(ArticleGroup(y, tuple(reversed(g))) for y, g in sorted(groups.items(), reverse=True))

    per_section: dict[str, list] = defaultdict(list)
    for issue, art in chrono:
        per_section[art.section.id].append((issue, art))

    used_sections = [s for s in pub.sections if per_section[s.id]]
    page(
        links.SECTIONS,
        "site/sections.html",
        "sections",
        "栏目",
        f"{pub.title}各栏目：" + "、".join(s.name for s in used_sections),
        {"sections": tuple(Counted(sections[s.id], len(per_section[s.id])) for s in used_sections)},
    )
    for s in used_sections:
        items = per_section[s.id]
        page(
            sections[s.id].path,
            "site/section.html",
            "section",
            s.name,
            f"{pub.title}“{s.name}”栏目的全部{len(items)}篇文章。",
            {"section": sections[s.id], "groups": grouped(items), "count": len(items)},
            deps=tuple("a:" + a.rel_path for _, a in items),
        )

    def name_deps(kind: str, taxonomy: taxonomies.Taxonomy, spec: taxonomies.PageSpec):
        """An author's or a tag's own page: the name's, and its articles'; the index pages: not tracked."""
        name = spec[3]
        if spec[2] != kind or name not in taxonomy.refs or taxonomy.refs[name].path != spec[0]:
            return None
        return (f"n:{kind[0]}:{name}", *("a:" + a.rel_path for _, a in taxonomy.articles[name]))

    for spec in taxonomies.author_pages(pub.title, authors, grouped):
        page(*spec, deps=name_deps("author", authors, spec))
    for spec in taxonomies.tag_pages(pub.title, tags, grouped):
        page(*spec, deps=name_deps("tag", tags, spec))

    page(
        links.SEARCH,
        "site/search.html",
        "search",
        "搜索",
        f"搜索{pub.title}的全部文章。",
        {
            "scripts": tuple(a for a in search_assets if a.endswith(".js")),
            "styles": tuple(a for a in search_assets if a.endswith(".css")),
        },
    )
    page(links.NOT_FOUND, "site/404.html", "404", "找不到这个页面", "", {})
    return plan


# The Article's fields an article's dependency version holds, besides its page's address, its section's
# id and its authors' and tags' pages: all of them but the body (the content hash stands for it and its
# pictures), the path (rel_path says it) and the section (its id; sections are settings).
_ARTICLE_VERSION = tuple(
    f.name for f in dataclasses.fields(Article) if f.name not in ("body", "path", "section")
)


def _issue_description(pub: Publication, iv: IssueView | None) -> str:
    if iv is None:
        return pub.title
    titles = "；".join(a.title for c in iv.contents for a in c.articles)
    theme = f"（{iv.ref.title}）" if iv.ref.title else ""
    return f"{pub.title}{iv.ref.label}{theme}：{titles}"


def _clean_src(src: str) -> str:
    from urllib.parse import unquote

    return re.sub(r"^(\./)+", "", unquote(src))


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
