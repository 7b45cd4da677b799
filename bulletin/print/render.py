"""Print HTML for one issue: masthead, contents, articles, colophon — presentation lives in templates/print/.

This module decides *what* goes on the page (which articles in which order, how many columns, where the
contents go, how wide each photo prints); templates/print/issue.html and print.css decide how it looks.
Nothing here imports WeasyPrint.
"""

from __future__ import annotations

import html as htmlmod
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bulletin import __version__, numbering
from bulletin.markdown import render_body
from bulletin.model import Archive, Article, Issue, Section
from bulletin.print import colors
from bulletin.print.geometry import MM_PER_PT, PageGeometry, geometry_for
from bulletin.print.qr import qr_images
from bulletin.templating import environment

try:  # Chinese justification, kinsoku and punctuation compression (bulletin/print/cjk.py)
    from bulletin.print.cjk import CJK_CSS, prepare_for_print
except ImportError:  # pragma: no cover - only while cjk.py does not exist
    CJK_CSS = ""

    def prepare_for_print(html: str) -> str:
        return html


TOC_MODES = ("first-page", "second-page", "none")
# Project files reach WeasyPrint under this fixed URL (the fetcher maps it back to the project folder), so
# the PDF, whose image names derive from URLs, does not depend on where the project sits on disk.
PROJECT_PREFIX = "/bulletin-project/"
PROJECT_URL = "file://" + PROJECT_PREFIX


def project_uri(root: Path, path: Path) -> str:
    """`path` as a location-independent URL when it is inside the project `root`."""
    from urllib.parse import quote

    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()
    return PROJECT_URL + quote(rel)
ICC_CANDIDATES = (
    # A FOGRA39 characterisation if the system has one (some colord builds ship it), else Ghostscript's
    # CMYK output profile (Debian libgs-common, free software), which every Debian system can install.
    "/usr/share/color/icc/colord/FOGRA39L_coated.icc",
    "/usr/share/color/icc/ghostscript/default_cmyk.icc",
)


@dataclass(frozen=True)
class PrintArticle:
    """An article as the print template needs it."""

    article: Article
    anchor: str
    body_html: str
    columns: int
    byline: str  # ■ 作者（地区） or （单位 作者）, "" when there is no author
    byline_style: str  # "mark" | "paren"
    author_note: str
    first_in_section: bool


@dataclass(frozen=True)
class PrintDocument:
    html: str
    base_url: str  # where relative image paths resolve: the issue folder
    title: str
    geometry: PageGeometry
    toc_mode: str  # first-page | second-page | none
    variant: str  # "" | pdf/x-4 | pdf/a-2b
    icc_profile: Path | None  # CMYK output profile (pdf/x-4 only)
    roots: tuple[Path, ...]  # folders the fetcher may read besides content/ and templates/
    images: dict[str, str] = field(default_factory=dict)  # image URL -> article rel path, for messages
    aliases: dict[str, Path] = field(default_factory=dict)  # URL path prefix -> folder, for the fetcher
    problems: tuple[tuple, ...] = ()  # (severity, file, line, code, args) found while preparing


def toc_mode(issue: Issue, geometry: PageGeometry, setting: str) -> str:
    """Where the contents go: page 1 under the masthead when short, else the top of page 2."""
    if setting in TOC_MODES:
        return setting
    if len(issue.articles) < 2:
        return "none"
    lines = geometry.toc_lines(toc_entries(issue))
    return "first-page" if lines <= geometry.toc_first_page_lines else "second-page"


def toc_entries(issue: Issue) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for section in issue.sections_used():
        out.append((section.name, 1))
        out.extend((a.title, 2) for a in issue.articles_in(section))
    return out


def byline(article: Article) -> tuple[str, str]:
    """The byline and its style. A region (云南, 浙江省) reads `■ 作者（云南）`; a unit (某县人大常委会) reads
    `（某县人大常委会 作者）`, as Chinese bulletins print them."""
    if not article.authors:
        return "", ""
    names = "　".join(article.authors)
    aff = article.affiliation.strip()
    if not aff:
        return f"■ {names}", "mark"
    if len(aff) <= 4 or aff.endswith(("省", "市", "区", "县", "州", "盟", "旗")):
        return f"■ {names}（{aff}）", "mark"
    return f"（{aff}　{names}）", "paren"


def author_note(article: Article) -> str:
    note = article.author_note.strip()
    if not note:
        return ""
    note = note.strip("（）()")
    return f"（{note}）"


_LI_SINGLE_P = re.compile(r"<li>\s*<p>((?:(?!</?p[ >]).)*?)</p>\s*</li>", re.S)
_FIRST_P = re.compile(r"\s*<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_FIGURE_IMG = re.compile(r'(<figure class="figure"><img src=")([^"]*)(")')


def _print_body(
    article: Article,
    columns: int,
    geometry: PageGeometry,
    allow_html: bool,
    images: dict[str, str],
    root: Path,
) -> str:
    body = render_body(article.body, allow_html=allow_html, target="print").html
    # Loose lists put each item in a <p>; in print the number must run into the text of its item.
    body = _LI_SINGLE_P.sub(r"<li>\1</li>", body)

    def size_photo(m: re.Match) -> str:
        src = htmlmod.unescape(m.group(2))
        path = (article.path.parent / src).resolve()
        images[project_uri(root, path)] = article.rel_path
        width = _pixel_width(path)
        style = f' style="width: {geometry.photo_width(width, columns):.1f}mm"' if width else ""
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{style}"

    body = _FIGURE_IMG.sub(size_photo, body)
    # An opening paragraph of a line or so stays with what follows, so an article never starts with its
    # heading and a lone line at the foot of a page.
    first = _FIRST_P.match(body)
    per_line = geometry.column_width(columns) / (geometry.body_pt * MM_PER_PT)
    if first and len(_TAG.sub("", first.group(1))) < 1.5 * per_line:
        body = body.replace("<p>", '<p class="keep-with-next">', 1)
    return prepare_for_print(body)


def _pixel_width(path: Path) -> int:
    try:
        from PIL import Image

        with Image.open(path) as im:
            return im.size[0]
    except Exception:  # a broken image is reported by the loader and by preflight
        return 0


def icc_profile_path(archive: Archive) -> Path | None:
    own = archive.publication.print.icc_profile
    if own:
        return (archive.root / own).resolve()
    for cand in ICC_CANDIDATES:
        if Path(cand).is_file():
            return Path(cand)
    return None


def print_html(archive: Archive, issue: Issue) -> PrintDocument:
    pub = archive.publication
    settings = pub.print
    geometry = geometry_for(settings)
    variant = settings.pdf_variant
    env = environment(archive.root)
    problems: list[tuple] = []
    roots: list[Path] = []
    images: dict[str, str] = {}

    default_columns = settings.columns
    arts: list[PrintArticle] = []
    seen: set[Section] = set()
    for a in issue.articles:
        cols = a.columns or default_columns
        line, style = byline(a)
        arts.append(
            PrintArticle(
                article=a,
                anchor=f"a-{a.slug}",
                body_html=_print_body(a, cols, geometry, pub.site.allow_html, images, archive.root),
                columns=cols,
                byline=line,
                byline_style=style,
                author_note=author_note(a),
                first_in_section=a.section not in seen,
            )
        )
        seen.add(a.section)

    logo_uri = ""
    if settings.logo:
        logo = (archive.root / settings.logo).resolve()
        if logo.is_file():
            roots.append(logo.parent)
            logo_uri = project_uri(archive.root, logo)
        else:
            problems.append(("error", "bulletin.yaml", None, "pf_logo_missing", {"path": settings.logo}))

    icc = None
    if variant == "pdf/x-4":
        icc = icc_profile_path(archive)
        if icc is None or not icc.is_file():
            problems.append(
                (
                    "error",
                    "bulletin.yaml",
                    None,
                    "pf_no_icc_profile",
                    {"path": settings.icc_profile or " / ".join(ICC_CANDIDATES)},
                )
            )
            icc = None
        else:
            roots.append(icc.parent)

    mode = toc_mode(issue, geometry, settings.toc)
    label = numbering.issue_label(issue.year, issue.number, issue.total)
    frequency = numbering.frequency_label(pub.frequency)
    palette = colors.palette(variant)
    ctx = dict(
        pub=pub,
        issue=issue,
        settings=settings,
        geometry=geometry,
        palette=palette,
        articles=arts,
        label=label,
        frequency=frequency,
        short_label=numbering.short_label(issue.year, issue.number),
        date=numbering.chinese_date(issue.date),
        toc_mode=mode,
        qr_codes=qr_images(settings.qr_codes),
        logo_uri=logo_uri,
        icc_uri=icc.as_uri() if icc else "",
        variant=variant,
        toc_height=geometry.toc_height(toc_entries(issue)) if mode == "second-page" else 0,
        running_title=css_string(f"{pub.title}　{label}"),
        generator=f"bulletin {__version__}",
        keywords=sorted({t for a in issue.articles for t in a.tags}),
        imprint=settings.imprint or default_imprint(pub.publisher, issue),
        sections=[(s, [p for p in arts if p.article.section == s]) for s in issue.sections_used()],
    )
    css = env.get_template("print/print.css").render(**ctx, cjk_css=CJK_CSS)
    html = env.get_template("print/issue.html").render(**ctx, css=css)
    title = f"{pub.title} {label}"
    return PrintDocument(
        html,
        project_uri(archive.root, issue.folder) + "/",
        title,
        geometry,
        mode,
        variant,
        icc,
        tuple(roots),
        images=images,
        aliases={PROJECT_PREFIX: archive.root.resolve()},
        problems=tuple(problems),
    )


def css_string(text: str) -> str:
    """`text` safe inside a double-quoted CSS string."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def print_fingerprint(archive: Archive) -> str:
    """What else decides the PDF bytes besides content and templates: this package's code, WeasyPrint's
    version and the ICC profile."""
    icc = icc_profile_path(archive) if archive.publication.print.pdf_variant == "pdf/x-4" else None
    return _fingerprint(str(icc) if icc is not None and icc.is_file() else "")


@lru_cache(maxsize=8)
def _fingerprint(icc: str) -> str:
    import hashlib
    from importlib.metadata import version

    h = hashlib.sha1(version("weasyprint").encode())
    for py in sorted(Path(__file__).parent.glob("*.py")):
        h.update(py.name.encode())
        h.update(py.read_bytes())
    if icc:
        h.update(Path(icc).read_bytes())
    return h.hexdigest()


def default_imprint(publisher: str, issue: Issue) -> str:
    """`编印：某某办公室　　2026年1月5日印发` from the publisher line (主办 dropped) and the issue date."""
    unit = publisher.removesuffix("主办").strip()
    return f"编印：{unit}　　{numbering.chinese_date(issue.date)}印发"
