"""Preflight: what would ruin a print run, found in the laid-out issue and named where an editor can fix it.

- a character no font has a glyph for (WeasyPrint prints an empty box and only logs a warning): named with
  the article, its line and the character;
- a photo whose effective resolution at its printed size is under 300 dpi (warning) or 150 dpi (error);
- a picture, font, stylesheet or colour profile that failed to load (refused by the confined fetcher,
  unreadable or undecodable): named as what it is, at the file and line that asked for it — the
  article (its raw HTML), the print stylesheet or template, or bulletin.yaml (logo, icc_profile);
- a font that is not embedded, or embedded whole instead of subset.

The findings come from the rendering (bulletin.print.pdf); this module turns them into problems
`(severity, file, line, code, args)` that travel back from worker processes and go into the Report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from bulletin.model import Archive, Issue
from bulletin.print.geometry import MINIMUM_DPI, TARGET_DPI

Problem = tuple  # (severity, file, line, code, args)


@dataclass
class Findings:
    """Raw observations made while rendering one issue."""

    missing_glyphs: set[int] = field(default_factory=set)  # code points drawn as .notdef
    images: list[tuple[str, int, float]] = field(default_factory=list)  # (url, pixels wide, printed mm)
    failed_images: list[str] = field(default_factory=list)  # urls of any resource that did not load
    failed_kinds: dict[str, str] = field(default_factory=dict)  # url -> kind, from WeasyPrint's log
    refused_why: dict[str, str] = field(default_factory=dict)  # url -> fetcher.REMOTE / OUTSIDE / …
    fonts_not_embedded: list[str] = field(default_factory=list)  # font names
    holes: list[tuple[str, int, float]] = field(default_factory=list)  # unfilled: (article, page, mm)


def problems_for(
    archive: Archive, issue: Issue, findings: Findings, image_owners: dict[str, str]
) -> list[Problem]:
    out: list[Problem] = []
    out += glyph_problems(archive, issue, findings.missing_glyphs)
    out += image_problems(archive, issue, findings, image_owners)
    for name in findings.fonts_not_embedded:
        out.append(("error", issue.rel_folder + "/", None, "pf_font_not_embedded", {"font": name}))
    out += hole_problems(archive, issue, findings.holes)
    return out


def hole_problems(archive: Archive, issue: Issue, holes) -> list[Problem]:
    """A warning for each white hole at a page foot no filler (print.fillers) could fill: on the file of
    the article that moved to the next page, with the lines of text the hole would hold."""
    from bulletin.print.geometry import MM_PER_PT, geometry_for

    g = geometry_for(archive.publication.print)
    line_mm = g.body_pt * g.line_height * MM_PER_PT
    titles = {a.rel_path: a.title for a in issue.articles}
    out: list[Problem] = []
    for rel, page, mm in holes:
        lines = max(1, int(mm // line_mm))
        args = {"page": page, "mm": round(mm), "lines": lines, "title": titles.get(rel, ""),
                "fillers": len(archive.publication.print.fillers)}  # fmt: skip
        code = "pf_hole_unfilled" if args["fillers"] else "pf_hole_no_fillers"
        out.append(("warning", rel or issue.rel_folder + "/", None, code, args))
    return out


def char_label(cp: int) -> str:
    name = unicodedata.name(chr(cp), "")
    if not name and (0xE000 <= cp <= 0xF8FF or 0xF0000 <= cp <= 0x10FFFF):
        name = "私用区字符 PRIVATE USE"
    return f"U+{cp:04X}" + (f" {name}" if name else "")


def glyph_problems(archive: Archive, issue: Issue, missing: set[int]) -> list[Problem]:
    """One error per missing character and place: article file and line, or issue.yaml / bulletin.yaml."""
    out: list[Problem] = []
    if not missing:
        return out
    sources: list[tuple[Path, str]] = [(a.path, a.title) for a in issue.articles]
    sources.append((issue.folder / "issue.yaml", issue.title or issue.key))
    sources.append((archive.root / "bulletin.yaml", archive.publication.title))
    for cp in sorted(missing):
        ch = chr(cp)
        printable = ch if unicodedata.category(ch) not in ("Co", "Cn", "Cc", "Cf") else f"\\u{cp:04x}"
        found = False
        for path, title in sources:
            try:
                lines = path.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for n, line in enumerate(lines, 1):
                if ch in line:
                    out.append(
                        (
                            "error",
                            path,
                            n,
                            "pf_missing_glyph",
                            {
                                "article": title,
                                "char": printable,
                                "codepoint": char_label(cp),
                                "column": line.index(ch) + 1,
                            },
                        )
                    )
                    found = True
        if not found:
            out.append(
                (
                    "error",
                    issue.rel_folder + "/",
                    None,
                    "pf_missing_glyph",
                    {"article": issue.key, "char": printable, "codepoint": char_label(cp)},
                )
            )
    return out


def _image_location(archive: Archive, url: str, owners: dict[str, str]) -> tuple[object, int | None, str]:
    """(file, line, shown path) for the URL of an article's Markdown picture: the article that uses it and
    the line naming it; the issue folder when no article does."""
    from bulletin.print.confine import PROJECT_URL

    shown = url
    path = None
    if url.startswith(PROJECT_URL):
        shown = unquote(url[len(PROJECT_URL) :])
        path = archive.root / shown
    elif url.startswith("file:"):
        path = Path(unquote(urlparse(url).path))
        shown = str(path)
    owner = owners.get(url)
    if owner:
        article = archive.root / owner
        line = None
        try:
            for n, text in enumerate(article.read_text(encoding="utf-8-sig").splitlines(), 1):
                if path is not None and path.name in text:
                    line = n
                    break
        except (OSError, UnicodeDecodeError):
            pass
        return article, line, shown
    return None, None, shown


# A resource as it is asked for: (file, line, as written, kind), found by URL.
Source = tuple[Path, int | None, str, str]


def _same_url(url: str) -> str:
    return unquote(url.split("#", 1)[0])


def _css_kind(text: str, pos: int) -> str:
    """What the url() at `pos` of a stylesheet loads: the innermost block it is in tells."""
    head = text[:pos]
    opened, closed = head.rfind("{"), head.rfind("}")
    statement = head[max(head.rfind(";"), closed) + 1 :].lower()
    if "@import" in statement:
        return "stylesheet"
    if opened > closed:  # inside a block: its prelude is the text before the brace
        prelude = head[max(head.rfind("}", 0, opened), head.rfind(";", 0, opened)) + 1 : opened].lower()
        if "@font-face" in prelude:
            return "font"
        if "@color-profile" in prelude:
            return "profile"
    return "image"


_CSS_REF = re.compile(r"url\(\s*(['\"]?)([^'\")]*)\1\s*\)|@import\s+(['\"])([^'\"]*)\3", re.I)
_HTML_REF = re.compile(
    r"<(img|link|image|video|source|input|object)\b[^>]*?\s(src|href|poster|data)\s*=\s*(['\"])([^'\"]*)\3",
    re.I,
)


def _template_sources(root: Path, base_url: str) -> dict[str, list[Source]]:
    """url -> where the print templates and stylesheets (the project's own, then the defaults) ask for it."""
    from bulletin.templating import inside_allowed, template_dirs

    out: dict[str, list[Source]] = {}
    seen: set[str] = set()
    for d in template_dirs(root):
        base = d / "print"
        if not base.is_dir():
            continue
        for f in sorted(base.rglob("*")):
            rel = f.relative_to(base).as_posix()
            if rel in seen or not inside_allowed(f, root):
                continue
            seen.add(rel)
            try:
                text = f.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            for m in _CSS_REF.finditer(text):
                value = m.group(2) if m.group(2) is not None else m.group(4)
                kind = "stylesheet" if m.group(4) is not None else _css_kind(text, m.start())
                _add_source(out, text, m.start(), value, base_url, f, kind)
            for m in _HTML_REF.finditer(text):
                kind = "stylesheet" if m.group(1).lower() == "link" else "image"
                _add_source(out, text, m.start(4), m.group(4), base_url, f, kind)
    return out


def _add_source(out, text: str, pos: int, value: str, base_url: str, file: Path, kind: str) -> None:
    value = value.strip()
    if value and "{{" not in value and "{%" not in value:  # a Jinja expression: known only once rendered
        line = text.count("\n", 0, pos) + 1
        out.setdefault(_same_url(urljoin(base_url, value)), []).append((file, line, value, kind))


def _article_sources(archive: Archive, issue: Issue) -> dict[str, list[Source]]:
    """url -> the articles' raw HTML (allow_html) lines asking for it."""
    from bulletin.markdown import raw_html_resources
    from bulletin.print.render import project_uri

    out: dict[str, list[Source]] = {}
    if not archive.publication.site.allow_html:
        return out
    for a in issue.articles:
        if "<" not in a.body:
            continue
        base = project_uri(archive.root, a.path.parent) + "/"
        for line0, tag, _attr, value in raw_html_resources(a.body):
            kind = "stylesheet" if tag == "link" else "resource" if tag in ("object", "iframe") else "image"
            url = _same_url(urljoin(base, value.strip()))
            out.setdefault(url, []).append((a.path, a.body_line + line0, value, kind))
    return out


def _settings_sources(archive: Archive) -> dict[str, list[Source]]:
    """url -> the bulletin.yaml line of print.logo / print.icc_profile."""
    from bulletin.print.render import icc_profile_path, project_uri

    out: dict[str, list[Source]] = {}
    config = archive.root / "bulletin.yaml"
    settings = archive.publication.print
    logo_url = project_uri(archive.root, archive.root / settings.logo) if settings.logo else ""
    icc_url = (icc_profile_path(archive) or Path("/")).as_uri()
    for key, value, url, kind in (
        ("logo", settings.logo, logo_url, "image"),
        ("icc_profile", settings.icc_profile, icc_url, "profile"),
    ):
        if value:
            out.setdefault(_same_url(url), []).append((config, _setting_line(config, key), value, kind))
    return out


def _setting_line(config: Path, key: str) -> int | None:
    try:
        for n, line in enumerate(config.read_text(encoding="utf-8-sig").splitlines(), 1):
            if re.match(rf"^\s+{key}\s*:", line) or re.search(rf"[{{,]\s*{key}\s*:", line):
                return n
    except (OSError, UnicodeDecodeError):
        pass
    return None


def stylesheet_problems(root: Path) -> list[Problem]:
    """What the project's own print stylesheet and templates ask for that the fetcher would refuse (a web
    address, a file outside the project): found by reading them, so `check` reports it too. URLs made
    while rendering ({{ … }}) are left to the fetcher."""
    from bulletin.print.confine import OUTSIDE, PROJECT_PREFIX, PROJECT_URL, REMOTE, locate
    from bulletin.templating import default_templates_dir

    own = (root / "templates").resolve()
    roots = [root.resolve(), default_templates_dir().resolve()]
    aliases = {PROJECT_PREFIX: root.resolve()}
    out: list[Problem] = []
    # relative URLs resolve against an issue folder, content/YYYY/NN/: any one stands for all
    for url, places in _template_sources(root, PROJECT_URL + "content/0000/00/").items():
        why, _path = locate(url, roots, aliases)
        for file, line, shown, kind in places:
            if why in (REMOTE, OUTSIDE) and file.resolve().is_relative_to(own):
                code = f"pf_{'remote' if why == REMOTE else 'outside'}_{kind}"
                out.append(("error", file, line, code, {"path": shown}))
    return out


def load_problems(
    archive: Archive, issue: Issue, findings: Findings, owners: dict[str, str]
) -> list[Problem]:
    """One error per resource that did not load and per place that asked for it, named as what it is."""
    from bulletin.print.confine import OUTSIDE, REMOTE
    from bulletin.print.render import project_uri

    failed = list(dict.fromkeys(findings.failed_images))
    if not failed:
        return []
    base_url = project_uri(archive.root, issue.folder) + "/"
    sources: dict[str, list[Source]] = {}
    for found in (
        _settings_sources(archive),
        _article_sources(archive, issue),
        _template_sources(archive.root, base_url),
    ):
        for url, places in found.items():
            sources.setdefault(url, []).extend(places)
    out: list[Problem] = []
    for url in failed:
        why = findings.refused_why.get(url)
        places = sources.get(_same_url(url))
        if not places:
            file, line, shown = _image_location(archive, url, owners)
            places = [(file or issue.rel_folder + "/", line, shown, findings.failed_kinds.get(url, "image"))]
        for file, line, shown, kind in places:
            if why == REMOTE:
                code = f"pf_remote_{kind}"
            elif why == OUTSIDE:
                code = f"pf_outside_{kind}"
            else:
                code = "pf_image_failed" if kind == "image" else f"pf_failed_{kind}"
            out.append(("error", file, line, code, {"path": shown}))
    return out


def image_problems(
    archive: Archive, issue: Issue, findings: Findings, owners: dict[str, str]
) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str] = set()
    for url, pixels, mm in findings.images:
        if url in seen or mm <= 0:
            continue
        seen.add(url)
        dpi = pixels / (mm / 25.4)
        if dpi >= TARGET_DPI - 0.5:
            continue
        file, line, shown = _image_location(archive, url, owners)
        file = file or _settings_sources(archive).get(_same_url(url), [("bulletin.yaml",)])[0][0]
        need = int(round(mm / 25.4 * TARGET_DPI, -1))
        args = {
            "path": shown,
            "dpi": int(dpi),
            "px": pixels,
            "mm": f"{mm:.0f}",
            "need": need,
            "limit": MINIMUM_DPI if dpi < MINIMUM_DPI else TARGET_DPI,
        }
        out.append(("error" if dpi < MINIMUM_DPI else "warning", file, line, "pf_image_low_dpi", args))
    return out + load_problems(archive, issue, findings, owners)
