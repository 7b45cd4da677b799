"""The content model: frozen dataclasses, built by `bulletin.content` and read by `site` and `print`.

The model knows nothing of templates, HTML or WeasyPrint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Section:
    """A column (栏目) of the publication, in bulletin.yaml order."""

    id: str
    name: str


@dataclass(frozen=True)
class QRCode:
    """A QR code printed in the masthead, generated at build time from `url`."""

    label: str
    url: str


@dataclass(frozen=True)
class PrintSettings:
    """Print layout settings (`print:` in bulletin.yaml)."""

    page_size: str = "A4"  # A4 | A3 | B5
    bleed_mm: float = 3.0
    crop_marks: bool = False
    columns: int = 1  # body columns: 1 or 2
    pad_to_multiple: int = 4  # pad page count for saddle stitching; 1 = no padding
    toc: str = "auto"  # auto | first-page | second-page | none
    page_number_style: str = "dash"  # dash (— 3 —) | plain (3)
    pdf_variant: str = ""  # "" | pdf/x-4 | pdf/a-2b
    logo: str = ""  # optional masthead image, relative to the project root
    qr_codes: tuple[QRCode, ...] = ()
    imprint: str = ""  # optional text of the imprint on the last page
    icc_profile: str = ""  # CMYK output profile for pdf/x-4 (project-relative); "" = the installed default
    # the colophon (报尾) and the masthead of an internal publication (内部资料)
    issuer: str = ""  # 印发机关; "" = the publisher line without 主办
    permit_number: str = ""  # 准印证号, e.g. （青）内资准字第QC-2026-017号
    printer: str = ""  # 印刷单位
    print_run: int = 0  # 印数 (copies); 0 = not printed
    fonts: PrintFonts = field(default_factory=lambda: PrintFonts())
    # 补白: short items set into a white hole at a page foot before a new article (bulletin/print/fillers.py)
    fillers: tuple[Filler, ...] = ()
    fill_holes_mm: float = 25.0  # a hole at least this tall gets a filler; 0 = never


@dataclass(frozen=True)
class Filler:
    """A 补白 of `print.fillers`: a short Markdown file (its first line `# 标题` is the heading)."""

    path: str  # as written in bulletin.yaml, relative to the project
    title: str
    body: str  # Markdown


# The font family chosen for each role in print, and the families tried after it (the installed Debian
# fonts, best first; docs/print.md says why each was chosen). A family missing from a machine is skipped by
# the chain, so a missing optional package changes the face, never prints empty boxes.
FONT_ROLE_DEFAULTS: dict[str, tuple[str, ...]] = {
    "body": ("Noto Serif CJK SC",),  # 宋体: text, running heads, contents, footnotes, masthead small print
    "heading": ("Noto Sans CJK SC",),  # 黑体: titles, section heads, labels, bold
    "kai": ("FandolKai", "AR PL KaitiM GB", "LXGW WenKai"),  # 楷体: bylines, sources, subtitles, notes
    "caption": ("FandolKai", "AR PL KaitiM GB", "LXGW WenKai"),  # photo captions
    "poem": ("LXGW WenKai", "FandolKai", "AR PL KaitiM GB"),  # poems and the epigraph
    "colophon": ("FandolFang", "Noto Serif CJK SC"),  # 仿宋: the colophon, as GB/T 9704 sets 版记
}


@dataclass(frozen=True)
class PrintFonts:
    """`print.fonts` in bulletin.yaml: a family per role; "" = the default chain only."""

    body: str = ""
    heading: str = ""
    kai: str = ""
    caption: str = ""
    poem: str = ""
    colophon: str = ""

    def chain(self, role: str) -> tuple[str, ...]:
        """The families to try for `role`, the chosen one first."""
        chosen = getattr(self, role)
        defaults = FONT_ROLE_DEFAULTS[role]
        return ((chosen,) if chosen else ()) + tuple(f for f in defaults if f != chosen)


@dataclass(frozen=True)
class TypographySettings:
    """How Chinese text is set (`typography:` in bulletin.yaml; bulletin/punctuation.py)."""

    punctuation: str = "fix"  # fix: the site and the PDF show half-width marks of Chinese text full-width
    range_mark: str = "—"  # number ranges (1-8月): — | ～ | -
    punctuation_warnings: bool = True  # check lists the half-width marks in the sources
    line_end: str = "compress"  # a full-width mark ending a justified print line: compress | hang | none

    @property
    def render_range_mark(self) -> str | None:
        """The range mark rendering corrects with, or None when text is rendered as written."""
        return self.range_mark if self.punctuation == "fix" else None


@dataclass(frozen=True)
class SiteSettings:
    """Archive site settings (`site:` in bulletin.yaml)."""

    recent_issues: int = 12
    feed_articles: int = 30
    allow_html: bool = False  # raw HTML in Markdown: escaped unless True (then sanitised)


@dataclass(frozen=True)
class Publication:
    """The publication settings from bulletin.yaml."""

    title: str
    publisher: str
    frequency: str  # weekly | semimonthly | monthly | bimonthly | quarterly
    sections: tuple[Section, ...]
    language: str = "zh-CN"
    notice: str = ""
    website: str = ""
    base_url: str = ""
    distribution: str = ""
    description: str = ""
    print: PrintSettings = field(default_factory=PrintSettings)
    site: SiteSettings = field(default_factory=SiteSettings)
    typography: TypographySettings = field(default_factory=TypographySettings)

    def section(self, key: str) -> Section | None:
        """The section whose id or name is `key`."""
        for s in self.sections:
            if key in (s.id, s.name):
                return s
        return None


@dataclass(frozen=True)
class Epigraph:
    """A quotation box under the masthead (issue.yaml `epigraph`)."""

    text: str
    source: str = ""


class _Body:
    """`Article.body`: the Markdown text, or, until it is first read, an object whose `text()` gives it
    (content/cache.py's `DeferredBody`: an unchanged article's body is cut from its file only when
    something renders it, not on every build's load). Reading it replaces the object by the text, so an
    article whose body was read is what it would have been with the text given at once (equal, pickled
    alike)."""

    def __get__(self, obj, owner=None):
        if obj is None:
            raise AttributeError("body")  # no default: dataclass sees a required field
        value = obj.__dict__["_body"]
        if type(value) is not str:
            value = obj.__dict__["_body"] = value.text()
        return value

    def __set__(self, obj, value) -> None:  # only through __init__: the dataclass is frozen
        obj.__dict__["_body"] = value


@dataclass(frozen=True)
class Article:
    """One article: front matter plus its Markdown body."""

    path: Path  # absolute path of the .md file
    rel_path: str  # path relative to the project root, for messages
    title: str
    section: Section
    slug: str
    date: dt.date
    body: str = _Body()  # type: ignore[assignment]  # Markdown source of the body (see _Body)
    body_line: int  # 1-based line in the file where the body starts
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    affiliation: str = ""
    author_note: str = ""
    source: str = ""
    byline_mark: str = ""  # the mark before a byline (□…); "" means ■
    order: int | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    draft: bool = False
    columns: int | None = None  # per-article override of print.columns
    content_hash: str = ""  # hash of the file bytes and the images it uses
    halfwidth_marks: int = 0  # half-width marks in Chinese text in the body (bulletin/punctuation.py)
    # the body's pictures as written (Markdown images, and raw <img src> the raw-HTML policy keeps), in
    # order: found once at load (content/images.image_refs), read by the load cache and the site
    images: tuple[str, ...] = ()
    excerpt: str = ""  # the body's opening as plain text (content/excerpt.py), where no summary is given
    # sha1 of the body's text, surrounding whitespace aside ("" for a blank body): the loader's check for
    # an article published twice compares these, so it does not need every body (see _Body)
    body_digest: str = ""

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def body_read(self) -> bool:
        """Whether the body is in memory (False: it is read from the file when first asked for)."""
        return type(self.__dict__["_body"]) is str

    def replace(self, **changes) -> Article:
        """`dataclasses.replace`, without reading a body not yet read."""
        changes.setdefault("body", self.__dict__["_body"])
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Issue:
    """One issue (期): a folder content/<YYYY>/<NN>/ with issue.yaml and articles."""

    year: int
    number: int  # 第N期, within the year
    total: int  # 总第N期
    date: dt.date
    folder: Path
    rel_folder: str
    articles: tuple[Article, ...]
    title: str = ""
    epigraph: Epigraph | None = None

    @property
    def key(self) -> str:
        """The issue's id on the command line and in file names: 2026-04."""
        return f"{self.year}-{self.number:02d}"

    def articles_in(self, section: Section) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.section == section)

    def sections_used(self) -> tuple[Section, ...]:
        seen: list[Section] = []
        for a in self.articles:
            if a.section not in seen:
                seen.append(a.section)
        return tuple(seen)


@dataclass(frozen=True)
class Archive:
    """Everything: the publication and all its issues, ordered by `total`."""

    root: Path
    publication: Publication
    issues: tuple[Issue, ...]

    def issue(self, key: str) -> Issue | None:
        for i in self.issues:
            if i.key == key:
                return i
        return None

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({i.year for i in self.issues}, reverse=True))
