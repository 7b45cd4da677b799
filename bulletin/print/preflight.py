"""Preflight: what would ruin a print run, found in the laid-out issue and named where an editor can fix it.

- a character no font has a glyph for (WeasyPrint prints an empty box and only logs a warning): named with
  the article, its line and the character;
- a photo whose effective resolution at its printed size is under 300 dpi (warning) or 150 dpi (error);
- an image that failed to load (refused by the confined fetcher, unreadable or undecodable);
- a font that is not embedded, or embedded whole instead of subset.

The findings come from the rendering (bulletin.print.pdf); this module turns them into problems
`(severity, file, line, code, args)` that travel back from worker processes and go into the Report.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from bulletin.model import Archive, Issue
from bulletin.print.geometry import MINIMUM_DPI, TARGET_DPI

Problem = tuple  # (severity, file, line, code, args)


@dataclass
class Findings:
    """Raw observations made while rendering one issue."""

    missing_glyphs: set[int] = field(default_factory=set)  # code points drawn as .notdef
    images: list[tuple[str, int, float]] = field(default_factory=list)  # (url, pixels wide, printed mm)
    failed_images: list[str] = field(default_factory=list)  # urls
    fonts_not_embedded: list[str] = field(default_factory=list)  # font names


def problems_for(
    archive: Archive, issue: Issue, findings: Findings, image_owners: dict[str, str]
) -> list[Problem]:
    out: list[Problem] = []
    out += glyph_problems(archive, issue, findings.missing_glyphs)
    out += image_problems(archive, issue, findings, image_owners)
    for name in findings.fonts_not_embedded:
        out.append(("error", issue.rel_folder + "/", None, "pf_font_not_embedded", {"font": name}))
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
    """(file, line, shown path) for an image URL: the article that uses it, or bulletin.yaml (logo)."""
    from bulletin.print.render import PROJECT_URL

    shown = url
    path = None
    if url.startswith(PROJECT_URL):
        shown = unquote(url[len(PROJECT_URL) :])
        path = archive.root / shown
    elif url.startswith("file:"):
        path = Path(unquote(urlparse(url).path))
        shown = path.name
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
    return "bulletin.yaml", None, shown


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
    for url in dict.fromkeys(findings.failed_images):
        file, line, shown = _image_location(archive, url, owners)
        out.append(("error", file, line, "pf_image_failed", {"path": shown}))
    return out
