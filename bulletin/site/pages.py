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
    planner = _Planner(archive, pdfs, pinyin)
    planner.listings()
    planner.issues_and_articles()
    planner.sections()
    planner.names()
    planner.search_and_not_found(search_assets)
    return planner.plan


class _Planner:
    """plan_site's steps over one archive: the references every page shares (issues, articles,
    sections, names) and their dependency versions first, then each kind of page in the site's order."""

    def __init__(self, archive: Archive, pdfs: dict[str, PdfRef], pinyin: dict[str, str] | None) -> None:
        self.archive = archive
        self.pdfs = pdfs
        self.pub = pub = archive.publication
        self.base = pub.base_url
        site = SiteInfo(
            pub.title,
            pub.publisher,
            numbering.frequency_label(pub.frequency),
            pub.notice,
            pub.description,
            pub.language,
            pub.website,
            self.base,
        )
        self.plan = SitePlan(site)
        self.section_refs = {s.id: SectionRef(s.id, s.name, links.section_path(s.id)) for s in pub.sections}
        self.chrono = [(issue, art) for issue in archive.issues for art in issue.articles]  # oldest first
        known = dict(pinyin or {})
        self.authors, self.tags = taxonomies.authors_and_tags(self.chrono, known)
        self.plan.pinyin = {n: known[n] for n in (*self.authors.slugs, *self.tags.slugs)}
        self.issues_desc = list(reversed(archive.issues))
        self._references()
        self._versions()

    def _references(self) -> None:
        self.issue_refs: dict[str, IssueRef] = {}
        self.refs: dict[int, ArticleRef] = {}  # id(Article) → ref
        for issue in self.archive.issues:
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
            self.issue_refs[issue.key] = iref
            for art in issue.articles:
                self.refs[id(art)] = ArticleRef(
                    links.article_path(issue, art),
                    art.title,
                    art.subtitle,
                    tuple(self.authors.refs[a] for a in art.authors),
                    art.affiliation,
                    self.section_refs[art.section.id],
                    iref,
                    art.date,
                )

    def _versions(self) -> None:
        """What each dependency is now (Page.deps): every value a page can show of it, as a string."""
        versions = self.plan.versions
        for name, ref in self.authors.refs.items():
            versions["n:a:" + name] = ref.path
        for name, ref in self.tags.refs.items():
            versions["n:t:" + name] = ref.path
        versions["years"] = repr(self.archive.years)
        for issue in self.archive.issues:
            iref = self.issue_refs[issue.key]
            pdf = self.pdfs.get(issue.key)
            v = repr((iref.key, iref.year, iref.number, iref.total, iref.label, iref.short_label, iref.date,
                      iref.title, iref.path, issue.epigraph, pdf and (pdf.path, pdf.bytes, pdf.pages),
                      tuple(a.rel_path for a in issue.articles)))
            versions["i:" + issue.key] = v
            for art in issue.articles:
                ref = self.refs[id(art)]
                versions["a:" + art.rel_path] = repr((
                    ref.path, art.section.id, tuple(a.path for a in ref.authors),
                    tuple(self.tags.refs[t].path for t in art.tags),
                    *(getattr(art, f) for f in _ARTICLE_VERSION),
                )) + v

    # --- the pieces pages are made of ---------------------------------------------------------------

    def view(self, issue: Issue) -> IssueView:
        contents = tuple(
            SectionContents(self.section_refs[s.id], tuple(self.refs[id(a)] for a in issue.articles_in(s)))
            for s in issue.sections_used()
        )
        return IssueView(
            self.issue_refs[issue.key], issue.epigraph, contents, self.pdfs.get(issue.key),
            len(issue.articles),
        )

    def entry(self, issue: Issue) -> IssueEntry:
        return IssueEntry(
            self.issue_refs[issue.key], tuple(self.refs[id(a)] for a in issue.articles[:3]),
            len(issue.articles),
        )

    def page(
        self,
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
            path, kind, title, _clip(description, 150), links.absolute(self.base, path), og_type, image
        )
        self.plan.pages.append(Page(path, template, meta, data, article, images, deps))

    @staticmethod
    def shown(issues: Iterable[Issue], leads: bool = False) -> tuple[str, ...]:
        """The dependencies of a listing of `issues` with all their articles, or their leads."""
        out: list[str] = []
        for i in issues:
            out.append("i:" + i.key)
            out += ["a:" + a.rel_path for a in (i.articles[:3] if leads else i.articles)]
        return tuple(out)

    def grouped(self, arts: Iterable[tuple[Issue, Article]]) -> tuple[ArticleGroup, ...]:
        groups: dict[int, list[ArticleRef]] = defaultdict(list)
        for issue, art in arts:
            groups[issue.year].append(self.refs[id(art)])
        return tuple(ArticleGroup(y, tuple(reversed(g))) for y, g in sorted(groups.items(), reverse=True))

    # --- the pages, in the site's order -------------------------------------------------------------

    def listings(self) -> None:
        """The home page, the archive and a page per year."""
        pub, issues_desc, shown = self.pub, self.issues_desc, self.shown
        latest = self.view(issues_desc[0]) if issues_desc else None
        recent = tuple(self.entry(i) for i in issues_desc[: pub.site.recent_issues])
        self.page(
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
        years = tuple((y, tuple(self.entry(i) for i in by_year[y])) for y in self.archive.years)
        self.page(
            links.ARCHIVE,
            "site/archive.html",
            "archive",
            "往期目录",
            f"{pub.title}全部{len(self.archive.issues)}期的目录。",
            {"years": years},
            deps=shown(issues_desc, leads=True),
        )
        all_years = tuple(self.archive.years)
        for y, entries in years:
            self.page(
                links.year_path(y),
                "site/year.html",
                "year",
                f"{y}年",
                f"{pub.title}{y}年共{len(entries)}期：" + "；".join(e.issue.short_label for e in entries),
                {"year": y, "issues": entries, "years": all_years},
                deps=("years", *shown(by_year[y], leads=True)),
            )

    def issues_and_articles(self) -> None:
        """Each issue's page followed by its articles' pages; plan.issues and plan.articles newest first."""
        plan, issues = self.plan, self.archive.issues
        for n, issue in enumerate(issues):
            iv = self.view(issue)
            prev_issue = self.issue_refs[issues[n - 1].key] if n > 0 else None
            next_issue = self.issue_refs[issues[n + 1].key] if n + 1 < len(issues) else None
            self.page(
                iv.ref.path,
                "site/issue.html",
                "issue",
                iv.ref.label,
                _issue_description(self.pub, iv),
                {"issue": iv, "prev_issue": prev_issue, "next_issue": next_issue},
                deps=(*self.shown([issue]), *(f"i:{r.key}" for r in (prev_issue, next_issue) if r)),
            )
            plan.issues.append(iv)
            for k in range(len(issue.articles)):
                plan.articles.append(self._article_page(issue, k))
        plan.issues.reverse()
        # newest issue first, each issue's articles in their printed order
        order = {iv.ref.key: n for n, iv in enumerate(plan.issues)}
        plan.articles.sort(key=lambda a: order[a.issue.key])

    def _article_page(self, issue: Issue, k: int) -> ArticleView:
        arts, refs = issue.articles, self.refs
        art = arts[k]
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
            tuple(self.tags.refs[t] for t in art.tags),
            summary,
            art.content_hash,
        )
        self.page(
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
            image=links.absolute(self.base, images[0][0]) if images else "",
            article=art,
            images=images,
            deps=("i:" + issue.key, *("a:" + a.rel_path for a in arts[max(0, k - 1) : k + 2])),
        )
        return av

    def sections(self) -> None:
        """The list of sections and a page per section used."""
        pub, section_refs = self.pub, self.section_refs
        per_section: dict[str, list] = defaultdict(list)
        for issue, art in self.chrono:
            per_section[art.section.id].append((issue, art))
        used_sections = [s for s in pub.sections if per_section[s.id]]
        self.page(
            links.SECTIONS,
            "site/sections.html",
            "sections",
            "栏目",
            f"{pub.title}各栏目：" + "、".join(s.name for s in used_sections),
            {"sections": tuple(Counted(section_refs[s.id], len(per_section[s.id])) for s in used_sections)},
        )
        for s in used_sections:
            items = per_section[s.id]
            self.page(
                section_refs[s.id].path,
                "site/section.html",
                "section",
                s.name,
                f"{pub.title}“{s.name}”栏目的全部{len(items)}篇文章。",
                {"section": section_refs[s.id], "groups": self.grouped(items), "count": len(items)},
                deps=tuple("a:" + a.rel_path for _, a in items),
            )

    def names(self) -> None:
        """The authors' and the tags' index and own pages (site/taxonomies.py)."""

        def name_deps(kind: str, taxonomy: taxonomies.Taxonomy, spec: taxonomies.PageSpec):
            """An author's or a tag's own page: the name's and its articles'; index pages: not tracked."""
            name = spec[3]
            if spec[2] != kind or name not in taxonomy.refs or taxonomy.refs[name].path != spec[0]:
                return None
            return (f"n:{kind[0]}:{name}", *("a:" + a.rel_path for _, a in taxonomy.articles[name]))

        for spec in taxonomies.author_pages(self.pub.title, self.authors, self.grouped):
            self.page(*spec, deps=name_deps("author", self.authors, spec))
        for spec in taxonomies.tag_pages(self.pub.title, self.tags, self.grouped):
            self.page(*spec, deps=name_deps("tag", self.tags, spec))

    def search_and_not_found(self, search_assets: tuple[str, ...]) -> None:
        self.page(
            links.SEARCH,
            "site/search.html",
            "search",
            "搜索",
            f"搜索{self.pub.title}的全部文章。",
            {
                "scripts": tuple(a for a in search_assets if a.endswith(".js")),
                "styles": tuple(a for a in search_assets if a.endswith(".css")),
            },
        )
        self.page(links.NOT_FOUND, "site/404.html", "404", "找不到这个页面", "", {})


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
