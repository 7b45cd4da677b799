"""`bulletin new article ISSUE "标题" --section …`: a Markdown file with commented front matter, named by
the pinyin of its title (强化开局之谋 → qiang-hua-kai-ju-zhi-mou.md), in the issue's folder."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bulletin import messages
from bulletin.content.loader import ISSUE_FILE
from bulletin.content.slugs import (
    RESERVED_SLUGS,
    SHORT_NAME_CHARS,
    SHORT_NAME_WORDS,
    SLUG_RE,
    name_words,
    short_slug,
)
from bulletin.diagnostics import Report
from bulletin.model import Publication, Section

_KEY_RE = re.compile(r"\s*(\d{4})\s*[-/.年]?\s*(?:第)?\s*(\d{1,2})\s*期?\s*")
_SLUG_LINE_RE = re.compile(r"^slug:\s*['\"]?([^'\"\s#]+)", re.M)


def issue_folder(root: Path, key: str, report: Report) -> Path | None:
    """The folder of issue `key` (2026-04, 2026/4, 2026年第4期); None after reporting if it is missing."""
    m = _KEY_RE.fullmatch(key)
    if not m:
        report.error("", None, "bad_issue_key", key=key)
        return None
    folder = root / "content" / m.group(1) / f"{int(m.group(2)):02d}"
    if not (folder / ISSUE_FILE).is_file():
        report.error(
            "",
            None,
            "no_such_issue",
            key=f"{m.group(1)}-{int(m.group(2)):02d}",
            folder=report.rel(folder) + "/",
        )
        return None
    return folder


def find_section(pub: Publication, wanted: str | None, report: Report) -> Section | None:
    """The section named by id or name; the only one if the publication has one and none is given."""
    choices = "、".join(f"{s.id}（{s.name}）" for s in pub.sections)
    if not wanted:
        if len(pub.sections) == 1:
            return pub.sections[0]
        report.error("", None, "section_required", choices=choices)
        return None
    section = pub.section(wanted.strip())
    if section is None:
        names = [s.id for s in pub.sections] + [s.name for s in pub.sections]
        close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.5)
        if close:
            report.error(
                "", None, "unknown_section_suggest", value=wanted, suggestion=close[0], choices=choices
            )
        else:
            report.error("", None, "unknown_section", value=wanted, choices=choices)
    return section


def used_slugs(folder: Path) -> dict[str, str]:
    """slug → file name of the articles already in the issue folder (explicit slugs and file names)."""
    from bulletin.content.slugs import slug_for

    used: dict[str, str] = {}
    for md in sorted(folder.glob("*.md")):
        try:
            head = md.read_text(encoding="utf-8", errors="replace")[:4000]
        except OSError:
            continue
        m = _SLUG_LINE_RE.search(head.split("\n---", 1)[0])
        used[slug_for(md.stem, m.group(1) if m else None)] = md.name
    return used


def article_titled(folder: Path, title: str) -> Path | None:
    """The article of the issue folder whose front matter title is `title` (spaces ignored), if any."""
    want = "".join(title.split())
    for md in sorted(folder.glob("*.md")):
        if front_matter_title(md) == want:
            return md
    return None


def front_matter_title(md: Path) -> str:
    """The title in `md`'s front matter, spaces removed; "" when it cannot be read."""
    try:
        head = md.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return ""
    parts = head.split("\n---", 1)
    if not head.startswith("---") or len(parts) < 2:
        return ""
    try:
        data = yaml.safe_load(parts[0][3:])
    except yaml.YAMLError:
        return ""
    title = data.get("title") if isinstance(data, dict) else None
    return "".join(title.split()) if isinstance(title, str) else ""


def choose_file(
    folder: Path, title: str, slug: str | None, report: Report, *, exists_code: str | None = None
) -> Path | None:
    """The new article's path: `slug`.md, or a short name from the title's pinyin (`short_slug`; more of
    the title, then -2, -3…, when another article has that name). Never an existing file or slug, and
    never a second article with the same title (`exists_code` reports that)."""
    if slug is not None and not SLUG_RE.match(slug):
        report.error("", None, "bad_slug", value=slug)
        return None
    taken = used_slugs(folder)
    if slug is None:
        same = article_titled(folder, title)
        if same is not None:
            code = exists_code or "article_same_title"
            report.error("", None, code, target=report.rel(same), suggestion=f"{same.stem}-2")
            return None
        for name in _name_candidates(title):
            if name not in taken and not (folder / f"{name}.md").exists() and name not in RESERVED_SLUGS:
                return folder / f"{name}.md"
    name = slug or short_slug(title)
    path = folder / f"{name}.md"
    if path.exists():
        code = exists_code or "article_exists"
        report.error("", None, code, target=report.rel(path), suggestion=f"{name}-2")
        return None
    if name in taken:
        report.error(
            "", None, "slug_taken", slug=name, other=report.rel(folder / taken[name]), suggestion=f"{name}-2"
        )
        return None
    return path


def _name_candidates(title: str):
    """short_slug(title), then with more of the title's words, then numbered."""
    words = name_words(title)
    seen: list[str] = []
    for n in range(SHORT_NAME_WORDS, max(len(words), SHORT_NAME_WORDS) + 1):
        name = short_slug(title, words=n, max_len=SHORT_NAME_CHARS + 12 * (n - SHORT_NAME_WORDS))
        if name not in seen:
            seen.append(name)
            yield name
    base = seen[0]
    for i in range(2, 1000):
        yield f"{base}-{i}"


def yaml_quoted(value: str) -> str:
    """`value` double-quoted (JSON is YAML), with the line breaks YAML knows and JSON does not (NEL,
    U+2028, U+2029) escaped: raw, YAML would fold them into a space."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\x85", "\\N").replace("\u2028", "\\L").replace("\u2029", "\\P")


def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when that reads back unchanged, else double-quoted."""
    try:
        if yaml.safe_load(f"k: {value}") == {"k": value} and "#" not in value and value.strip() == value:
            return value
    except yaml.YAMLError:
        pass
    return yaml_quoted(value)


def yaml_list(values: list[str]) -> str:
    return (
        "["
        + ", ".join(
            yaml_scalar(v) if not re.search(r"[,\[\]{}]", v) else yaml_quoted(v)
            for v in values
        )  # a plain [ ] { } or comma would end or split the [flow list]
        + "]"
    )


# the keys written as commented examples: new_article.<key> in bulletin/messages.py
_COMMENTED = ("subtitle", "authors", "affiliation", "author_note", "source", "order", "byline_mark", "tags")


@dataclass
class FrontMatter:
    """Front matter of a new or imported article; None/empty values are written as commented examples."""

    title: str
    section: Section
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    affiliation: str = ""
    author_note: str = ""
    source: str = ""
    slug: str = ""
    byline_mark: str = ""  # □ when the manuscript marks its byline so (■, the default, is not written)

    def render(self) -> str:
        c = {key: messages.t("new_article." + key) for key in _COMMENTED}
        lines = ["---", f"title: {yaml_scalar(self.title)}"]
        lines.append(
            f"subtitle: {yaml_scalar(self.subtitle)}" if self.subtitle else f"# subtitle: {c['subtitle']}"
        )
        lines.append(
            f"section: {self.section.id}{' ' * max(1, 24 - len(self.section.id))}# {self.section.name}"
        )
        lines.append(f"authors: {yaml_list(self.authors)}" if self.authors else f"# authors: {c['authors']}")
        lines.append(
            f"affiliation: {yaml_scalar(self.affiliation)}"
            if self.affiliation
            else f"# affiliation: {c['affiliation']}"
        )
        if self.byline_mark:
            lines.append(f"byline_mark: {yaml_scalar(self.byline_mark)}{' ' * 14}# {c['byline_mark']}")
        lines.append(
            f"author_note: {yaml_scalar(self.author_note)}"
            if self.author_note
            else f"# author_note: {c['author_note']}"
        )
        lines.append(f"source: {yaml_scalar(self.source)}" if self.source else f"# source: {c['source']}")
        if self.slug:
            lines.append(f"slug: {self.slug}")
        lines += [f"# order: 1{' ' * 22}# {c['order']}", f"# tags: {c['tags']}", "---", ""]
        return "\n".join(lines)


def new_article(
    root: Path,
    pub: Publication,
    key: str,
    title: str,
    report: Report,
    *,
    section: str | None = None,
    authors: list[str] | None = None,
    slug: str | None = None,
) -> Path | None:
    """Create the article file; None after reporting why it cannot be created."""
    title = " ".join(title.split())
    if not title:
        report.error("", None, "title_required")
        return None
    folder = issue_folder(root, key, report)
    sec = find_section(pub, section, report)
    if folder is None or sec is None:
        return None
    path = choose_file(folder, title, slug, report)
    if path is None:
        return None
    fm = FrontMatter(title, sec, authors=[a for a in (authors or []) if a.strip()])
    with path.open("x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
        f.write(fm.render() + "\n")
    return path
