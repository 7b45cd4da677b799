"""Print HTML for one issue: masthead, contents, articles, colophon — presentation lives in templates/print/.

This module decides *what* goes on the page (which articles in which order, how many columns, where the
contents go, how wide each photo prints); templates/print/issue.html and print.css decide how it looks.
Nothing here imports WeasyPrint.
"""

from __future__ import annotations

import html as htmlmod
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bulletin import __version__, numbering
from bulletin.buildstate import code_fingerprint
from bulletin.headlines import print_title_html
from bulletin.installed_fonts import is_installed
from bulletin.markdown import render_body
from bulletin.model import FONT_ROLE_DEFAULTS, Archive, Article, Issue, Section
from bulletin.print import colors
from bulletin.print.confine import PROJECT_PREFIX, PROJECT_URL  # noqa: F401  # (the fetcher's and preflight's too)
from bulletin.print.fillers import PrintFiller, estimate_height_mm
from bulletin.print.geometry import MM_PER_PT, PageGeometry, geometry_for, title_width_em  # noqa: F401
from bulletin.print.qr import qr_images
from bulletin.templating import environment

try:  # Chinese justification, kinsoku and punctuation compression (bulletin/print/cjk.py)
    from bulletin.print.cjk import CJK_CSS, prepare_for_print
except ImportError:  # pragma: no cover - only while cjk.py does not exist
    CJK_CSS = ""

    def prepare_for_print(html: str) -> str:
        return html


TOC_MODES = ("first-page", "second-page", "none")


def project_uri(root: Path, path: Path) -> str:
    """`path` as a location-independent URL when it is inside the project `root`."""
    from urllib.parse import quote

    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()
    return PROJECT_URL + quote(rel)
ICC_CANDIDATES = (
    # FOGRA39 (ISO 12647-2 offset on coated paper, the condition Chinese offset shops print to with
    # "ISO Coated v2"): made by scripts/install-debian-deps.sh with ArgyllCMS from the FOGRA39L
    # measurements in Debian's icc-profiles-free (docs/print.md). Else Ghostscript's CMYK output profile
    # (Debian libgs-common, a SWOP-like characterisation), which every Debian system can install.
    "/usr/local/share/color/icc/bulletin/FOGRA39L-bulletin.icc",
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
    title_html: str = ""  # the title in balanced lines broken at phrase boundaries (bulletin/headlines.py)


@dataclass(frozen=True)
class PrintDocument:
    html: str
    base_url: str  # where relative image paths resolve: the issue folder
    title: str
    geometry: PageGeometry
    toc_mode: str  # first-page | second-page | none
    variant: str  # "" | pdf/x-4 | pdf/a-2b
    icc_profile: Path | None  # CMYK output profile (pdf/x-4 only)
    roots: tuple[Path, ...]  # installed files the fetcher may read besides the project and templates
    images: dict[str, str] = field(default_factory=dict)  # image URL -> article rel path, for messages
    aliases: dict[str, Path] = field(default_factory=dict)  # URL path prefix -> folder, for the fetcher
    problems: tuple[tuple, ...] = ()  # (severity, file, line, code, args) found while preparing
    crop_marks: bool = False  # crop marks outside the bleed (bulletin.print.marks)
    fillers: tuple[PrintFiller, ...] = ()  # 补白 for holes at a page foot (bulletin.print.fillers)
    fill_holes_mm: float = 0.0  # holes at least this tall are filled; 0 = never
    articles: dict[str, str] = field(default_factory=dict)  # article anchor -> rel path, for messages


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
    mark = article.byline_mark or "■"  # the mark the author used (□ stays □)
    if not aff:
        return f"{mark} {names}", "mark"
    if len(aff) <= 4 or aff.endswith(("省", "市", "区", "县", "州", "盟", "旗")):
        return f"{mark} {names}（{aff}）", "mark"
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


def _print_body(
    article: Article,
    columns: int,
    geometry: PageGeometry,
    allow_html: bool,
    archive_range_mark: str | None,
    images: dict[str, str],
    root: Path,
) -> str:
    # half-width marks in Chinese text set full-width (typography.punctuation: fix), if the body has any
    range_mark = archive_range_mark if article.halfwidth_marks else None
    body = render_body(article.body, allow_html=allow_html, target="print", range_mark=range_mark).html
    # Loose lists put each item in a <p>; in print the number must run into the text of its item.
    body = _LI_SINGLE_P.sub(r"<li>\1</li>", body)

    def photo_size(src: str) -> tuple[int, int]:
        path = (article.path.parent / htmlmod.unescape(src)).resolve()
        images[project_uri(root, path)] = article.rel_path
        return _pixel_size(path)

    body = place_figures(body, columns, geometry, photo_size)
    body = mark_stanzas(body)
    # An opening paragraph of a line or so stays with what follows, so an article never starts with its
    # heading and a lone line at the foot of a page.
    first = _FIRST_P.match(body)
    per_line = geometry.column_width(columns) / (geometry.body_pt * MM_PER_PT)
    if first and len(_TAG.sub("", first.group(1))) < 1.5 * per_line:
        body = body.replace("<p>", '<p class="keep-with-next">', 1)
    return prepare_for_print(body)


def print_fillers(archive: Archive, geometry: PageGeometry) -> tuple[PrintFiller, ...]:
    """The publication's fillers (print.fillers) as print HTML: the same Markdown rendering, half-width
    mark correction and Chinese preparation (cjk.prepare_for_print) as an article body, in an
    `<aside class="filler" id="filler-N">` with its heading."""
    from bulletin.punctuation import fix_text

    pub = archive.publication
    range_mark = pub.typography.render_range_mark
    out = []
    for i, filler in enumerate(pub.print.fillers):
        allow = pub.site.allow_html
        body = render_body(filler.body, allow_html=allow, target="print", range_mark=range_mark).html
        body = prepare_for_print(_LI_SINGLE_P.sub(r"<li>\1</li>", body))
        title = fix_text(filler.title, range_mark) if range_mark is not None else filler.title
        head = f'<p class="filler-title">{htmlmod.escape(title)}</p>' if title else ""
        html = f'<aside class="filler" id="filler-{i}">{head}<div class="body">\n{body}</div></aside>'
        out.append(PrintFiller(i, filler.path, html, estimate_height_mm(title, body, geometry)))
    return tuple(out)


STANZA_KEEP_LINES = 4  # a stanza of at most this many lines never breaks across pages

_POEM = re.compile(r'<div class="poem">\n(.*?)</div>', re.S)
_STANZA = re.compile(r"<p>(.*?)</p>", re.S)
_LINE_BREAK = re.compile(r"<br ?/?>")


def mark_stanzas(body: str) -> str:
    """In poems, a stanza of up to STANZA_KEEP_LINES lines becomes `<p class="stanza-keep">` (print.css:
    it never breaks across pages); a longer one may break, two lines at least on each page. So a long
    poem breaks between stanzas, or inside a long stanza, instead of moving whole to the next page."""

    def stanza(m: re.Match) -> str:
        lines = len(_LINE_BREAK.findall(m.group(1))) + 1
        if 1 < lines <= STANZA_KEEP_LINES:
            return f'<p class="stanza-keep">{m.group(1)}</p>'
        return m.group(0)

    return _POEM.sub(lambda m: '<div class="poem">\n' + _STANZA.sub(stanza, m.group(1)) + "</div>", body)


def _pixel_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels, (0, 0) for a file that is not a readable image."""
    try:
        from PIL import Image

        with Image.open(path) as im:
            return im.size
    except Exception:  # a broken image is reported by the loader and by preflight
        return (0, 0)


# --- figures: widths in steps, rows side by side, top floats ---------------------------------------------

FIGURE_MAX_HEIGHT = 0.55  # a figure (photo and caption) takes at most this share of the text height
FLOAT_ROOM = 0.6  # photos floated to the top of one page take at most this share of its text height
FLOAT_AFTER_LINES = 4  # a photo floats only with at least this many lines of its article after it
FLOAT_TAIL_LINES = 3  # a photo that would leave fewer body lines under it at the foot of a page floats
CAPTION_LINES_MM = 11.0  # room for a caption of up to two lines under a photo (sizing estimate)
PX_PER_MM = 96 / 25.4

_ROW = re.compile(r'<div class="figure-row figure-row-(\d)">(.*?)</div>', re.S)
_FIGURE = re.compile(r'<figure class="figure"><img src="([^"]*)"(.*?)</figure>', re.S)
_UNIT_MARK = re.compile("\x00(\\d+)\x00")
_TABLE = re.compile(r"<table>.*?</table>", re.S)


def figure_width(pixels: tuple[int, int], measure: float, max_height: float) -> float:
    """Printed width (mm) of a photo alone on the measure: the widest of full measure, half and third at
    which it prints at TARGET_DPI (a portrait photo half at most), and short enough to stay under
    `max_height` (mm) with its caption; a photo too small for a third prints at a third (preflight then
    says it is soft), one too tall for a third is narrowed to fit."""
    from bulletin.print.geometry import TARGET_DPI

    w, h = pixels
    steps = [round(measure / n, 1) for n in (1, 2, 3)]
    if h > w:
        steps = steps[1:]
    sharp = [s for s in steps if w / (s / 25.4) >= TARGET_DPI - 0.5] or steps[-1:]
    fitting = [s for s in sharp if s * h / w + CAPTION_LINES_MM <= max_height]
    if fitting:
        return fitting[0]
    return math.floor((max_height - CAPTION_LINES_MM) * w / h * 10) / 10


SAME_SHAPE = 1.1  # photos whose width:height ratios differ less than this share one width in a row


def row_widths(
    sizes: list[tuple[int, int]], measure: float, gap: float, max_height: float
) -> list[float] | None:
    """Printed widths (mm) of two or three photos side by side on `measure` with `gap` between them, or
    None when they should stand one under the other (a size unknown, or a photo taller than
    `max_height` with its caption). Photos of one shape get equal widths; photos of different shapes
    (a portrait among landscapes) one common height, so that the row ends level under all of them, as
    long as the narrowest keeps a sixth of the measure (else equal widths)."""
    n = len(sizes)
    if n < 2 or not all(w and h for w, h in sizes):
        return None
    room = measure - (n - 1) * gap
    ratios = [w / h for w, h in sizes]
    equal = [math.floor(room / n * 10) / 10] * n
    widths = equal
    if max(ratios) / min(ratios) > SAME_SHAPE:
        height = room / sum(ratios)
        level = [math.floor(height * r * 10) / 10 for r in ratios]
        if min(level) >= measure / 6:
            widths = level
    if any(wd / r + CAPTION_LINES_MM > max_height for wd, r in zip(widths, ratios, strict=True)):
        return None
    return widths


def place_figures(body: str, columns: int, geometry: PageGeometry, photo_size) -> str:
    """Size the figures of an article's print HTML and mark the ones that may float.

    A figure alone gets a width step (figure_width) on its `<figure>`, so that the caption keeps the
    photo's width. A row of two or three (bulletin.markdown) sets its photos at equal widths side by
    side (row_widths: equal widths, or one height for photos of different shapes) when each one fits,
    else its figures stand one under the other. In one-column
    articles, each figure or row followed by enough text to fill the room it leaves gets the
    bulletin.print.floats class: if it does not fit at the foot of a page it goes to the next page's
    top. `photo_size(src)` gives an image's (width, height) in pixels."""
    from bulletin.print.floats import FLOAT_CLASS, NARROWER_ATTR

    measure = geometry.column_width(columns)
    text_height = geometry.height - geometry.margin_top - geometry.margin_bottom
    max_height = FIGURE_MAX_HEIGHT * text_height
    gap = geometry.column_gap / 2
    units: list[tuple[str, float]] = []  # (HTML, estimated height in mm) of each figure or row

    def single(src: str, rest: str, width: float | None = None, extra: str = "") -> tuple[str, float]:
        w, h = photo_size(src)
        alone = width is None
        if width is None:
            width = figure_width((w, h), measure, max_height) if w and h else measure
        height = (width * h / w if w and h else 0) + CAPTION_LINES_MM
        attrs = f' style="width: {width:.1f}mm{extra}"'
        narrower = [s for s in (round(measure / 2, 1), round(measure / 3, 1)) if s < width - 0.5]
        if alone and narrower and columns == 1:  # where it does not fit, a narrower step (print.floats)
            attrs += f' {NARROWER_ATTR}="' + " ".join(f"{s * PX_PER_MM:.1f}" for s in narrower) + '"'
        return f'<figure class="figure"{attrs}><img src="{src}"{rest}</figure>', height

    def unit(html: str, height: float) -> str:
        units.append((html, height))
        return f"\x00{len(units) - 1}\x00"

    def row(m: re.Match) -> str:
        figures = [(f.group(1), f.group(2)) for f in _FIGURE.finditer(m.group(2))]
        n = len(figures)
        if not n:
            return m.group(0)  # not one of ours (raw HTML): left as it is
        widths = row_widths([photo_size(src) for src, _rest in figures], measure, gap, max_height)
        if widths is None:
            return "\n".join(unit(*single(src, rest)) for src, rest in figures)  # one under the other
        parts = [single(src, rest, widths[i], f"; margin-left: {gap:.1f}mm" if i else "")
                 for i, (src, rest) in enumerate(figures)]  # fmt: skip
        html = f'<div class="figure-row figure-row-{n}">' + "".join(p for p, _h in parts) + "</div>"
        return unit(html, max(h for _p, h in parts))

    body = _ROW.sub(row, body)
    body = _FIGURE.sub(lambda m: unit(*single(m.group(1), m.group(2))), body)
    # a table, like a photo, goes to the next page's top rather than end a page with white under it
    body = _TABLE.sub(lambda m: unit(f'<div class="table-unit">{m.group(0)}</div>', 0.0), body)
    if not units:
        return body
    if columns != 1:  # column balancing lays text out several times: no floats there
        return _UNIT_MARK.sub(lambda m: units[int(m.group(1))][0], body)

    # A unit followed in its article by enough text to fill the room it leaves at the foot of a page (so
    # that the article goes on under it on the next page) may float; every unit wants a few lines under
    # it at a page foot, else it floats or takes a narrower step.
    line_mm = geometry.body_pt * geometry.line_height * MM_PER_PT
    per_line = measure / (geometry.body_pt * MM_PER_PT)
    tail = f' data-float-tail="{FLOAT_TAIL_LINES * line_mm * PX_PER_MM:.0f}"'
    room = f' data-float-room="{FLOAT_ROOM * text_height * PX_PER_MM:.0f}"'
    pieces = _UNIT_MARK.split(body)  # text, unit index, text, unit index, …, text
    after = 0
    for k in range(len(pieces) - 2, 0, -2):
        after += len(_TAG.sub("", pieces[k + 1]))
        html, height = units[int(pieces[k])]
        cut = html.index('"', html.index('class="') + 7)  # the end of the class attribute
        if after >= FLOAT_AFTER_LINES * per_line:
            html = html[:cut] + " " + FLOAT_CLASS + '"' + room + tail + html[cut + 1 :]
        else:
            html = html[: cut + 1] + tail + html[cut + 1 :]
        pieces[k] = html
    return "".join(pieces)


def icc_profile_path(archive: Archive) -> Path | None:
    own = archive.publication.print.icc_profile
    if own:
        return (archive.root / own).resolve()
    for cand in ICC_CANDIDATES:
        if Path(cand).is_file():
            return Path(cand)
    return None


def output_condition(icc: Path | None) -> tuple[str, str]:
    """(description, identifier) of a CMYK output profile for the PDF/X OutputIntent: the profile's own
    description, and `FOGRA39` when it characterises that registered condition, else `Custom`."""
    if icc is None:
        return "CMYK", "Custom"
    try:
        from PIL import ImageCms

        desc = (ImageCms.getOpenProfile(str(icc)).profile.profile_description or icc.stem).strip()
    except Exception:  # an unreadable profile is reported before rendering
        desc = icc.stem
    known = next((c for c in ("FOGRA39", "FOGRA51", "FOGRA52", "JC200103") if c in desc.upper()), "")
    return desc, known or "Custom"


def output_intent_summary(archive: Archive) -> str:
    """The build summary's line naming the PDF/X-4 output profile; "" when the PDFs are not PDF/X-4."""
    if archive.publication.print.pdf_variant != "pdf/x-4":
        return ""
    icc = icc_profile_path(archive)
    if icc is None or not icc.is_file():
        return ""
    from bulletin import messages

    desc, ident = output_condition(icc)
    return messages.t("pdfx_output_intent", desc=desc, ident=ident, path=str(icc))


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
    range_mark = pub.typography.render_range_mark
    arts: list[PrintArticle] = []
    seen: set[Section] = set()
    for a in issue.articles:
        cols = a.columns or default_columns
        line, style = byline(a)
        arts.append(
            PrintArticle(
                article=a,
                anchor=f"a-{a.slug}",
                body_html=_print_body(
                    a, cols, geometry, pub.site.allow_html, range_mark, images, archive.root
                ),
                columns=cols,
                byline=line,
                byline_style=style,
                author_note=author_note(a),
                first_in_section=a.section not in seen,
                title_html=print_title_html(a.title, title_width_em(geometry)),
            )
        )
        seen.add(a.section)

    logo_uri = ""
    if settings.logo:
        logo = (archive.root / settings.logo).resolve()
        if logo.is_file():  # checked inside the project by config.check_project_file
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
        elif not icc.is_relative_to(archive.root.resolve()):
            roots.append(icc)  # an installed default profile (ICC_CANDIDATES): that one file, not its folder

    mode = toc_mode(issue, geometry, settings.toc)
    entries = toc_entries(issue)
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
        toc_height=geometry.toc_height(entries) if mode == "second-page" else 0,
        toc_label_em=geometry.toc_label_em(entries),
        fonts={
            role: font_stack(settings.fonts.chain(role), "sans-serif" if role == "heading" else "serif")
            for role in FONT_ROLE_DEFAULTS
        },
        running_title=css_string(f"{pub.title}　{label}"),
        generator=f"bulletin {__version__}",
        keywords=sorted({t for a in issue.articles for t in a.tags}),
        colophon=colophon(pub, issue),
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
        crop_marks=settings.crop_marks,
        fillers=print_fillers(archive, geometry) if settings.fill_holes_mm > 0 else (),
        fill_holes_mm=settings.fill_holes_mm,
        articles={p.anchor: p.article.rel_path for p in arts},
    )


def css_string(text: str) -> str:
    """`text` safe inside a double-quoted CSS string."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def print_fingerprint(archive: Archive) -> str:
    """What else decides the PDF bytes besides content and templates: this package's code, WeasyPrint's
    version, the ICC profile and which of the print faces are installed (installing FandolKai changes
    the face of every byline)."""
    settings = archive.publication.print
    icc = icc_profile_path(archive) if settings.pdf_variant == "pdf/x-4" else None
    faces = ",".join(f for role in FONT_ROLE_DEFAULTS for f in settings.fonts.chain(role) if is_installed(f))
    return _fingerprint(str(icc) if icc is not None and icc.is_file() else "", faces)


@lru_cache(maxsize=8)
def _fingerprint(icc: str, faces: str = "") -> str:
    import hashlib
    from importlib.metadata import version

    h = hashlib.sha1(version("weasyprint").encode())
    h.update(faces.encode())
    h.update(code_fingerprint().encode())  # all of bulletin's code, not only print/
    if icc:
        h.update(Path(icc).read_bytes())
    return h.hexdigest()


def font_stack(families: tuple[str, ...], generic: str = "serif") -> str:
    """A CSS font-family value: the families quoted, then a generic family (the page is zh-CN, so it
    resolves to SC forms, never Japanese ones)."""
    return ", ".join(f'"{css_string(f)}"' for f in families) + f", {generic}"


@dataclass(frozen=True)
class Colophon:
    """The colophon (报尾) at the foot of the last page, as GB/T 9704 §7.4 sets a 版记 and as the rules for
    internal publications (内部资料) require: who distributes it to whom, who printed how many copies under
    which permit, and on its last line the issuing office and the date of issue."""

    distribution: str  # 发放范围, "" = no such line
    production: tuple[tuple[str, str], ...]  # (label, value): 印刷单位, 印数, 准印证号 as given
    note: str  # print.imprint: a free line (编辑、校对、地址…)
    issuer: str  # 印发机关, one character in from the left
    date: str  # 2026年1月5日印发, one character in from the right


def issuer_name(publisher: str) -> str:
    """The issuing office from the publisher line: `某某办公室主办` → `某某办公室`."""
    return publisher.removesuffix("主办").strip() or publisher


def colophon(pub, issue: Issue) -> Colophon:
    s = pub.print
    production = []
    if s.printer:
        production.append(("印刷单位", s.printer))
    if s.print_run:
        production.append(("印数", f"{s.print_run}份"))
    if s.permit_number:
        production.append(("准印证号", s.permit_number))
    return Colophon(
        distribution=pub.distribution,
        production=tuple(production),
        note=s.imprint,
        issuer=s.issuer or issuer_name(pub.publisher),
        date=f"{numbering.chinese_date(issue.date)}印发",
    )
