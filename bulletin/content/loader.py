"""Load the content tree into the model, reporting every problem with file and line.

content/<YYYY>/<NN>/issue.yaml   the issue's numbering, date, theme, epigraph
content/<YYYY>/<NN>/*.md         one article each: YAML front matter, then Markdown
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from bulletin import punctuation
from bulletin.content.cache import LoadCache
from bulletin.content.excerpt import excerpt
from bulletin.content.frontmatter import split_front_matter
from bulletin.content.images import check_image, image_refs
from bulletin.content.limits import MAX_MARKDOWN_DEPTH, body_size_problems, markdown_nesting, text_too_long
from bulletin.content.slugs import RESERVED_SLUGS, SLUG_RE, slug_for
from bulletin.content.textfile import is_inside, read_text
from bulletin.content.yamlfile import parse
from bulletin.diagnostics import Diagnostic, Report
from bulletin.markdown import body_problems
from bulletin.model import Archive, Article, Epigraph, Issue, Publication
from bulletin.schema import Field, validate

ISSUE_FILE = "issue.yaml"

ISSUE_FIELDS = (
    Field("number", "int", True, "本年第几期", "4", lo=1, hi=99),
    Field("total", "int", True, "总第几期", "15", lo=1, hi=100000),
    Field("date", "date", True, "出版日期", "2026-03-05"),
    Field("title", "str", False, "本期主题", "喜迎两会"),
    Field("epigraph", "mapping", False, "题词", '{text: "……", source: "——……"}'),
    # written by `bulletin desk` when the chief approves the issue for print (bulletin/desk/approval.py)
    Field("approved_by", "str", False, "审定人", "张主编"),
    Field("approved_at", "str", False, "审定时间", "2026-04-03T09:30:00+00:00"),
)

EPIGRAPH_FIELDS = (
    Field("text", "str", True, "题词正文", '"……"', allow_empty=False),
    Field("source", "str", False, "出处", '"——……"'),
)

ARTICLE_FIELDS = (
    Field("title", "str", True, "文章标题", "强化开局之谋 展现开局之为", allow_empty=False),
    Field("subtitle", "str", False, "副标题", "——在主任会议上的讲话"),
    Field("section", "str", True, "栏目", "news", allow_empty=False),
    Field("authors", "strlist", False, "作者", "[张三, 李四]"),
    Field("affiliation", "str", False, "作者单位或地区", "云南"),
    Field("byline_mark", "str", False, "署名前的符号", "□", choices=tuple("■□◆●▲★")),
    Field("author_note", "str", False, "作者简介", "作者系某县人大常委会主任"),
    Field("source", "str", False, "转载来源", "人民代表报"),
    Field("date", "date", False, "日期", "2026-02-28"),
    Field("order", "int", False, "栏目内顺序", "1", lo=-1000, hi=1000),
    Field("tags", "strlist", False, "标签", "[代表工作]"),
    Field("summary", "str", False, "摘要", "……"),
    Field("slug", "str", False, "网址名", "kaiju"),
    Field("draft", "bool", False, "草稿", "false"),
    Field("columns", "int", False, "印刷栏数", "2", lo=1, hi=2),
)


# issue folder → (the issue loaded from it or None, the diagnostics loading it made); see load_archive
IssuesMemo = dict[Path, tuple[Issue | None, tuple[Diagnostic, ...]]]


def _ignored(p: Path) -> bool:
    return _ignored_name(p.name)


def _ignored_name(name: str) -> bool:
    return name.startswith((".", "_"))


def load_archive(root: Path, pub: Publication, report: Report, *, drafts: bool = False,
                 cache: LoadCache | None = None, meanwhile: Callable[[], None] | None = None,
                 issues_memo: IssuesMemo | None = None) -> Archive:
    """Every issue under content/, validated. Problems go to `report`; broken pieces are left out.
    With a `cache` (content/cache.py), articles whose files did not change are not parsed again.
    `meanwhile`: called while worker processes load the issues, if they do (a cold build).
    `issues_memo` (in and out): issue folder → its loaded issue and the diagnostics loading it made, for
    a caller that knows which folders changed since (the preview server, from its file watcher): a
    folder found there is not read again, its diagnostics are reported again; the others are loaded and
    added. The checks across issues run on the whole archive either way."""
    content = root / "content"
    issues: list[Issue] = []
    if not content.is_dir():
        report.error("content/", None, "no_content")
        return Archive(root, pub, ())
    if cache is not None:  # a cold build loads the issue folders in parallel first
        folders = sorted(p for p in content.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]") if p.is_dir())
        cache.prefetch(root, pub, folders, drafts, load_issue, meanwhile)
    for year_dir in sorted(content.iterdir()):
        if not year_dir.is_dir() or _ignored(year_dir):
            _check_stray(year_dir, report, in_issue=False)
            continue
        if not re.fullmatch(r"\d{4}", year_dir.name):
            report.error(year_dir.relative_to(root).as_posix() + "/", None, "bad_year_folder",
                         name=year_dir.name)
            continue
        for issue_dir in sorted(year_dir.iterdir()):
            if not issue_dir.is_dir() or _ignored(issue_dir):
                _check_stray(issue_dir, report, in_issue=False)
                continue
            if not re.fullmatch(r"\d{2}", issue_dir.name):
                report.error(issue_dir.relative_to(root).as_posix() + "/", None, "bad_issue_folder",
                             name=issue_dir.name)
                continue
            if issues_memo is not None and issue_dir in issues_memo:
                issue, made = issues_memo[issue_dir]
                for d in made:
                    report.add(d)
            else:
                start = len(report.items)
                if cache is not None:
                    issue = cache.issue(root, issue_dir, pub, report, drafts, load_issue)
                else:
                    issue = load_issue(root, issue_dir, pub, report, drafts=drafts)
                if issues_memo is not None:
                    issues_memo[issue_dir] = (issue, tuple(report.items[start:]))
            if issue is not None:
                issues.append(issue)
    issues.sort(key=lambda i: (i.total, i.date))
    seen: dict[int, Issue] = {}
    for i in issues:
        if i.total in seen:
            path = i.folder / ISSUE_FILE
            report.error(path, key_line(path, "total"), "duplicate_issue_total", total=i.total,
                         other=seen[i.total].key)
        seen[i.total] = i
    _check_copies(issues, report)
    return Archive(root, pub, tuple(issues))


def body_digest(body: str) -> str:
    """`Article.body_digest`: what `_check_copies` compares instead of the body itself."""
    text = body.strip()
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest() if text else ""


def _check_copies(issues: list[Issue], report: Report) -> None:
    """Warn about an article published twice: the same title and the same body text (leading and
    trailing blank lines aside) as an earlier one, whatever else its front matter says. Identical bytes
    are a special case; a copy whose section or date was changed is still the same article to a reader.
    Bodies are compared by their digest (`Article.body_digest`): an article the load cache found
    unchanged has not had its body read, and this check does not read it."""
    first: dict[tuple[str, str], Article] = {}
    for issue in issues:
        for a in issue.articles:
            if not a.body_digest:
                continue  # an empty body is warned about on its own
            other = first.setdefault((a.title, a.body_digest), a)
            if other is not a:
                report.warning(a.path, key_line(a.path, "title"), "duplicate_article", other=other.rel_path)


def load_issue(root: Path, folder: Path, pub: Publication, report: Report, *, drafts: bool = False,
               cache: LoadCache | None = None) -> Issue | None:
    rel_folder = folder.relative_to(root).as_posix()
    path = folder / ISSUE_FILE
    year = int(folder.parent.name)
    if not path.is_file():
        report.error(rel_folder + "/", None, "no_issue_yaml")
        return None
    text = read_text(path, report, root)
    doc = parse(text, path, report, what=ISSUE_FILE) if text is not None else None
    values = validate(doc, ISSUE_FIELDS, path, report) if doc is not None else {}

    epigraph = None
    if doc is not None and isinstance(values.get("epigraph"), dict):
        ev = validate(doc, EPIGRAPH_FIELDS, path, report, prefix=("epigraph",))
        for key, chars, limit in text_too_long(ev):
            report.error(path, doc.line("epigraph", key), "text_too_long", key=f"epigraph.{key}", chars=chars,
                         limit=limit)
            ev.pop(key)
        if ev.get("text"):
            epigraph = Epigraph(ev["text"], ev.get("source") or "")

    ok = all(k in values for k in ("number", "total", "date"))
    for key, chars, limit in text_too_long({"title": values.get("title")}):
        report.error(path, doc.line(key), "text_too_long", key=key, chars=chars, limit=limit)
        ok = False
    if ok:
        date = values["date"]
        if date.year != year:
            report.error(path, doc.line("date"), "folder_year_mismatch", date=date.isoformat(), year=year,
                         date_year=date.year)
            ok = False
        if values["number"] != int(folder.name):
            report.error(path, doc.line("number"), "folder_number_mismatch", number=values["number"],
                         folder=rel_folder, expected=f"{values['number']:02d}")
            # reported (nothing is built); go on with the folder's number, so the sequence checks still
            # look at this issue's total and date and every mistake in it is named at once
            values["number"] = int(folder.name)

    issue_date = values.get("date")
    articles: list[Article] = []
    # one listing of the folder, by name (as sorted paths are): 20 articles and their pictures' folder
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    md_files = []
    for entry in entries:
        name = entry.name
        ignored = _ignored_name(name)
        if not ignored and windows_name_problem(name) is not None:  # (a Path only for a bad name)
            _check_windows_name(folder / name, report)
        if entry.is_dir(follow_symlinks=False) and not ignored:
            _check_subfolder(root, folder, folder / name, report)
        elif not (name.endswith(".md") and len(name) > 3):  # Path.suffix != ".md"
            _check_stray(folder / name, report, in_issue=True)
        if name.endswith(".md") and not ignored:  # what glob("*.md") gives, less the ignored
            md_files.append(folder / name)
    for md in md_files:
        if cache is not None:
            art = cache.article(root, md, pub, report, issue_date, load_article)
        else:
            art = load_article(root, md, pub, report, issue_date)
        if art is not None and (drafts or not art.draft):
            articles.append(art)
    if not ok:
        return None
    if not articles and not any(d.file.startswith(rel_folder) for d in report.errors):
        report.warning(rel_folder + "/", None, "no_articles")

    order = {s.id: i for i, s in enumerate(pub.sections)}
    articles.sort(key=lambda a: (order[a.section.id], a.order if a.order is not None else 10**6, a.path.name))
    by_order: dict[tuple[str, int], Article] = {}
    for a in sorted(articles, key=lambda a: a.path.name):  # the second file by name is the one told
        if a.order is None:
            continue
        other = by_order.setdefault((a.section.id, a.order), a)
        if other is not a:
            report.warning(a.path, key_line(a.path, "order"), "duplicate_order", order=a.order,
                           section=f"{a.section.id}（{a.section.name}）", other=other.rel_path)
    by_slug: dict[str, Article] = {}
    for a in articles:
        if a.slug in by_slug:
            report.error(a.path, key_line(a.path, "slug"), "duplicate_slug", slug=a.slug,
                         other=by_slug[a.slug].rel_path)
        by_slug[a.slug] = a
    return Issue(
        year=year,
        number=values["number"],
        total=values["total"],
        date=values["date"],
        folder=folder,
        rel_folder=rel_folder,
        articles=tuple(articles),
        title=values.get("title") or "",
        epigraph=epigraph,
    )


# How many entries of an issue folder's subfolders are looked at for misplaced articles: an images/
# folder holds tens of files; a huge tree dropped in by mistake is not walked to its end on every build.
_SUBFOLDER_SCAN_LIMIT = 10_000


def _check_subfolder(root: Path, issue_folder: Path, sub: Path, report: Report) -> None:
    """Warn about article files in a subfolder of an issue folder (images/, a copied folder…): only the
    issue folder's own *.md files are articles. Folders starting with . or _ are kept unpublished on
    purpose; pictures and other files in images/ are what it is for."""
    seen = 0
    issue_rel = issue_folder.relative_to(root).as_posix() + "/"
    for dirpath, dirnames, filenames in os.walk(sub):  # links are not followed
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            _check_windows_name(Path(dirpath) / name, report)
            if name.lower().endswith(".md") and not name.startswith((".", "_", "~$")):
                path = Path(dirpath) / name
                report.warning(path, None, "article_in_subfolder", name=name,
                               folder=Path(dirpath).relative_to(root).as_posix() + "/", issue=issue_rel)
        seen += len(dirnames) + len(filenames)
        if seen > _SUBFOLDER_SCAN_LIMIT:
            return


# Files an editor may drop into content/ expecting them to be published.
_WORD_SUFFIXES = {".docx", ".doc", ".wps", ".rtf", ".odt"}
_TEXT_SUFFIXES = {".txt", ".markdown", ".mdown"}


# Names Windows cannot hold: a project with one cannot be copied to an editor's Windows PC or a shared
# folder (the copy stops there, or the file silently goes missing).
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10))}
_WINDOWS_BAD_CHAR = re.compile(r'[<>:"|?*\\\x00-\x1f]')  # refused by Windows, or a control character


def windows_name_problem(name: str) -> str | None:
    """Why Windows cannot hold a file called `name` (a message id), or None."""
    if name.split(".")[0].rstrip(" ").lower() in _WINDOWS_RESERVED:
        return "windows_name_reserved"
    if name != name.rstrip(" ."):
        return "windows_name_trailing"
    if _WINDOWS_BAD_CHAR.search(name):
        return "windows_name_chars"
    return None


def _check_windows_name(path: Path, report: Report) -> None:
    if _ignored(path) or (why := windows_name_problem(path.name)) is None:
        return
    clean = _WINDOWS_BAD_CHAR.sub("_", path.name).rstrip(" .")
    if why == "windows_name_reserved":
        clean = "_" + clean
    report.warning(path, None, why, name=path.name, suggestion=clean or "_")


def _check_stray(path: Path, report: Report, *, in_issue: bool) -> None:
    """Warn about a file that will not be published although it looks like an article."""
    if _ignored(path) or path.name.startswith("~$") or not path.is_file():  # ~$x.docx: Word's lock file
        return
    suffix = path.suffix.lower()
    if suffix in _WORD_SUFFIXES:
        report.warning(path, None, "stray_word", name=path.name)
    elif suffix in _TEXT_SUFFIXES or (suffix == ".md" and path.suffix != ".md"):
        report.warning(path, None, "stray_text", name=path.name, stem=path.stem)
    elif suffix == ".md" and not in_issue:
        report.warning(path, None, "stray_article", name=path.name)


def key_line(path: Path, key: str) -> int | None:
    """The line of a top-level key, read again from the file (for checks made after loading)."""
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if re.match(rf"^{re.escape(key)}\s*:", line):
                return n
    except (OSError, UnicodeDecodeError):
        pass
    return None


def load_article(
    root: Path, path: Path, pub: Publication, report: Report, issue_date, data: bytes | None = None
) -> Article | None:
    """One article file, validated. `data`: the file's bytes, if the caller has read them already."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, report, root, data=data)
    if text is None:
        return None
    if not text.strip():
        report.error(path, None, "empty_file")
        return None
    try:
        parts = split_front_matter(text)
    except ValueError:
        report.error(path, 1, "fm_unclosed")
        return None
    if parts is None:
        report.error(path, 1, "fm_missing")
        return None
    fm, body, body_line = parts
    doc = parse(fm, path, report, line_offset=1, what="front matter")
    if doc is None:
        return None
    v = validate(doc, ARTICLE_FIELDS, path, report)
    refused = False
    for key, chars, limit in text_too_long(v):
        report.error(path, doc.line(key), "text_too_long", key=key, chars=chars, limit=limit)
        refused = True

    section = None
    if v.get("section"):
        section = pub.section(v["section"])
        if section is None:
            names = [s.id for s in pub.sections] + [s.name for s in pub.sections]
            close = difflib.get_close_matches(v["section"], names, n=1, cutoff=0.5)
            choices = "、".join(f"{s.id}（{s.name}）" for s in pub.sections)
            if close:
                report.error(path, doc.line("section"), "unknown_section_suggest", value=v["section"],
                             suggestion=close[0], choices=choices)
            else:
                report.error(path, doc.line("section"), "unknown_section", value=v["section"],
                             choices=choices)
    if v.get("slug") and not SLUG_RE.match(v["slug"]):
        report.error(path, doc.line("slug"), "bad_slug", value=v["slug"])
        v.pop("slug")
    slug = slug_for(path.stem, v.get("slug"))
    if slug in RESERVED_SLUGS:
        report.error(path, doc.line("slug") if v.get("slug") else 1, "reserved_slug", slug=slug)
        refused = True

    digest = hashlib.sha1(text.encode("utf-8"))
    images_ok = True
    refs = image_refs(body, allow_html=pub.site.allow_html)
    for ref, line in refs:
        img = check_image(root, path, ref, body_line + line, report)
        if img is None:
            images_ok = False
        else:
            digest.update(img.read_bytes())

    if not body.strip():
        report.warning(path, body_line - 1, "empty_body")
    deep = markdown_nesting(body)
    if deep is not None:
        report.error(path, body_line + deep[0], "too_deep", depth=deep[1], limit=MAX_MARKDOWN_DEPTH)
        images_ok = False
    for code, line, args in body_size_problems(body):
        report.error(path, body_line + line, code, **args)
        images_ok = False
    for code, line, args in body_problems(body, allow_html=pub.site.allow_html):
        if code == "poem_unclosed":
            report.error(path, body_line + line, code, **args)
            images_ok = False
        else:
            report.warning(path, body_line + line, code, **args)

    halfwidth_marks = _check_punctuation(path, fm, body, body_line, pub, report)

    if "title" not in v or section is None or not images_ok or refused:
        return None
    return Article(
        path=path,
        rel_path=rel,
        title=v["title"],
        section=section,
        slug=slug,
        date=v.get("date") or issue_date,
        body=body,
        body_line=body_line,
        subtitle=v.get("subtitle") or "",
        authors=v.get("authors") or (),
        affiliation=v.get("affiliation") or "",
        byline_mark=v.get("byline_mark") or "",
        author_note=v.get("author_note") or "",
        source=v.get("source") or "",
        order=v.get("order"),
        tags=v.get("tags") or (),
        summary=v.get("summary") or "",
        draft=bool(v.get("draft")),
        columns=v.get("columns"),
        content_hash=digest.hexdigest(),
        halfwidth_marks=halfwidth_marks,
        images=tuple(ref for ref, _line in refs),
        excerpt=excerpt(body),
        body_digest=body_digest(body),
    )


def _check_punctuation(
    path: Path, fm: str, body: str, body_line: int, pub: Publication, report: Report
) -> int:
    """Half-width marks in Chinese text (bulletin/punctuation.py), in the prose values of the front matter
    and in the body: a warning each with the correction, unless the publication turned them off. Returns
    how many the body has (rendering corrects only bodies that have some)."""
    typo = pub.typography
    front = punctuation.changes(fm, punctuation.fix_front_matter(fm, typo.range_mark), 2)
    in_body = punctuation.changes(body, punctuation.fix_markdown(body, typo.range_mark), body_line)
    if typo.punctuation_warnings and (front or in_body):
        issue = "-".join(path.parent.parts[-2:])  # content/2026/02 → 2026-02, for `bulletin fix 2026-02`
        for c in front + in_body:
            report.warning(path, c.line, "punct_halfwidth", column=c.column, old=c.old, new=c.new,
                           context=c.context, issue=issue)
    return len(in_body)


__all__ = ["load_archive", "load_issue", "load_article", "is_inside"]
