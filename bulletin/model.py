"""The content model: frozen dataclasses, built by `bulletin.content` and read by `site` and `print`.

The model knows nothing of templates, HTML or WeasyPrint.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Article:
    """One article: front matter plus its Markdown body."""

    path: Path  # absolute path of the .md file
    rel_path: str  # path relative to the project root, for messages
    title: str
    section: Section
    slug: str
    date: dt.date
    body: str  # Markdown source of the body
    body_line: int  # 1-based line in the file where the body starts
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    affiliation: str = ""
    author_note: str = ""
    source: str = ""
    order: int | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    draft: bool = False
    columns: int | None = None  # per-article override of print.columns
    content_hash: str = ""  # hash of the file bytes and the images it uses

    @property
    def stem(self) -> str:
        return self.path.stem


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
