"""Word files uploaded to the desk: converted by `bulletin import`'s own code into a draft the editor
reviews (what was recognised: title, subtitle, byline, photos, captions, poem) and corrects in a form
before it becomes an article.

A draft lives in `.desk/drafts/<id>/`: the upload, a small staging copy of the issue folder that
`bulletin.editor.docx_import.import_docx` writes the article and its pictures into (so its limits,
checks and recognition are exactly the command's), and `draft.json`. `save_draft` moves the article and
its pictures into the real issue folder under names no other file has; `discard_draft` removes it all.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bulletin import messages
from bulletin.content.frontmatter import split_front_matter
from bulletin.content.loader import ISSUE_FILE
from bulletin.content.yamlfile import parse
from bulletin.desk import approval, history
from bulletin.desk.articles import check_text, compose, load_publication, report_error
from bulletin.desk.errors import DeskError, Editor
from bulletin.desk.files import (
    atomic_write,
    check_id,
    desk_folder,
    desk_path,
    issue_folder,
    project_lock,
    relpath_of,
)
from bulletin.diagnostics import Report

MAX_UPLOAD_BYTES = 30 * 1024 * 1024  # a manuscript with photos is 1–10 MB
_RECOGNISED_KEYS = (
    "title",
    "subtitle",
    "section",
    "authors",
    "affiliation",
    "author_note",
    "source",
    "byline_mark",
)


@dataclass(frozen=True)
class Draft:
    id: str
    issue_key: str
    front: dict  # the front matter as imported (keys as `bulletin import` writes them)
    body: str
    images: list[str]  # picture paths as the body names them (images/<name>-1.jpg)
    recognised: dict  # what the import recognised: title, subtitle, section, authors, … ("" if not)
    notes: list[str]  # what it found and what it could not carry over, in the editor's language
    filename: str  # the upload's name, cleaned
    created: str  # ISO time
    who: str


def clean_upload_name(filename: object) -> str:
    """An upload's file name for the import (its stem is the fallback title): the last part of any path,
    no control or Windows-reserved characters, at most 80 characters, always ending in .docx."""
    name = filename if isinstance(filename, str) else ""
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "", name).strip(" .")
    stem = name[:-5] if name.lower().endswith(".docx") else name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .")[:80] or "manuscript"
    return f"{stem}.docx"


def _draft_dir(root: Path, id: str) -> Path:
    path = desk_path(root, "drafts", check_id(id), create=False)
    if not (path / "draft.json").is_file() or path.is_symlink():
        raise DeskError.of("desk_no_draft", id=id)
    return path


def import_docx(
    root: Path, issue_key: str, filename: str, data: bytes, *, section_key: str | None = None, user: Editor
) -> Draft:
    """Convert an uploaded Word file into a draft for the issue. Refused (DeskError): not a .docx (an .exe
    renamed, a .doc), too large (`MAX_UPLOAD_BYTES`), unreadable, empty. `section_key`: the section; else
    the one the manuscript shows; else the first, with a note asking to choose."""
    from bulletin.editor.docx_import import import_docx as convert

    folder = issue_folder(root, issue_key)
    pub = load_publication(root)
    name = clean_upload_name(filename)
    if not isinstance(data, (bytes, bytearray)):
        raise DeskError.of("import_unreadable", name=name, reason="?")
    if len(data) > MAX_UPLOAD_BYTES:
        raise DeskError.of(
            "desk_upload_too_large",
            name=name,
            size=f"{len(data) / 1024 / 1024:.0f} MB",
            limit=f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB",
        )
    if isinstance(filename, str) and re.search(r"\.(doc|wps|rtf|odt)$", filename.strip(), re.I):
        raise DeskError.of("import_old_format", name=name)
    if not bytes(data[:4]) == b"PK\x03\x04":
        raise DeskError.of("import_unreadable", name=name, reason=messages.t("desk_not_docx"))
    if section_key is not None and pub.section(section_key) is None:
        raise DeskError.of("desk_no_section", section=str(section_key)[:40])
    desk_folder(root, "drafts")
    id = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(6)
    draft = desk_path(root, "drafts", id)
    draft.mkdir(mode=0o700)
    try:
        return _convert(
            root, pub, folder, issue_key, draft, id, name, bytes(data), section_key, user, convert
        )
    except BaseException:
        shutil.rmtree(draft, ignore_errors=True)
        raise


def _convert(root, pub, folder, issue_key, draft, id, name, data, section_key, user, convert) -> Draft:
    upload = draft / name
    atomic_write(upload, data)
    stage = draft / "stage"
    stage_issue = stage / relpath_of(root, folder)
    stage_issue.mkdir(parents=True)
    shutil.copyfile(folder / ISSUE_FILE, stage_issue / ISSUE_FILE)
    notes: list[str] = []
    report = Report(stage)
    result = convert(stage, pub, upload, issue_key, report, section=section_key)
    if result is None and any(d.code == "import_section_required" for d in report.errors):
        first = pub.sections[0]
        notes.append(messages.t("desk_choose_section", id=first.id, name=first.name))
        report = Report(stage)
        result = convert(stage, pub, upload, issue_key, report, section=first.id)
    if result is None:
        d = report.errors[0] if report.errors else None
        text = d.message if d is not None else messages.t("import_unreadable", name=name, reason="?")
        if d is not None and d.hint:
            text += messages.t("hint_in_parens", hint=d.hint.splitlines()[0])
        raise DeskError(text if name in text else f"{name}: {text}", code=d.code if d is not None else "")
    text = result.path.read_text(encoding="utf-8")
    fm, body, _line = split_front_matter(text)
    doc = parse(fm, result.path.name, Report(stage), line_offset=1)
    front = dict(doc.data) if doc is not None else {}
    recognised = {k: front.get(k, "") for k in _RECOGNISED_KEYS}
    notes = [*notes, *result.found, *result.unmapped]
    meta = {
        "id": id,
        "issue_key": issue_key,
        "article": result.path.name,
        "images": [f"images/{p.name}" for p in result.images],
        "recognised": recognised,
        "notes": notes,
        "filename": name,
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "who": user.display or user.name,
        "user": user.name,
    }
    atomic_write(draft / "draft.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    return _draft(meta, front, body)


def _draft(meta: dict, front: dict, body: str) -> Draft:
    return Draft(
        meta["id"],
        meta["issue_key"],
        front,
        body,
        list(meta["images"]),
        dict(meta["recognised"]),
        list(meta["notes"]),
        meta["filename"],
        meta["created"],
        meta["who"],
    )


def _read(root: Path, id: str) -> tuple[Path, dict, Path, str]:
    folder = _draft_dir(root, id)
    try:
        meta = json.loads((folder / "draft.json").read_text(encoding="utf-8"))
        key = meta["issue_key"]
        article = meta["article"]
        if not isinstance(article, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,120}\.md", article):
            raise ValueError(article)
    except (OSError, ValueError, KeyError, TypeError, DeskError):
        raise DeskError.of("desk_no_draft", id=id) from None
    m = re.fullmatch(r"(\d{4})-(\d{2})", key if isinstance(key, str) else "")
    if m is None or not str(article).endswith(".md"):
        raise DeskError.of("desk_no_draft", id=id)
    staged = folder / "stage" / "content" / m.group(1) / m.group(2) / article
    if staged.is_symlink() or not staged.is_file():
        raise DeskError.of("desk_no_draft", id=id)
    return folder, meta, staged, staged.read_text(encoding="utf-8")


def load_draft(root: Path, id: str) -> Draft:
    """The draft `id`, as `import_docx` returned it."""
    _folder, meta, _staged, text = _read(root, id)
    fm, body, _line = split_front_matter(text)
    doc = parse(fm, "draft", Report(), line_offset=1)
    return _draft(meta, dict(doc.data) if doc is not None else {}, body)


def list_drafts(root: Path, issue_key: str | None = None) -> list[Draft]:
    """The drafts waiting for review (of one issue, if given), oldest first."""
    base = desk_path(root, "drafts", create=False)
    if not base.is_dir() or base.is_symlink():
        return []
    out = []
    for d in sorted(base.iterdir()):
        try:
            draft = load_draft(root, d.name)
        except DeskError:
            continue
        if issue_key is None or draft.issue_key == issue_key:
            out.append(draft)
    return out


def save_draft(root: Path, id: str, front: dict, body: str, *, user: Editor) -> str:
    """The draft, with the form's values, as a new article of its issue (checked by the loader first;
    named by its title as `bulletin new article`/`import` do, its pictures renamed to match). Returns
    the article's relpath; the draft is gone."""
    from bulletin.editor.new_article import choose_file

    folder, meta, staged, text = _read(root, id)
    issue = issue_folder(root, meta["issue_key"])
    new_text = compose(text, front, body)
    title = front.get("title") or meta["recognised"].get("title") or staged.stem
    with project_lock(root):
        report = Report(root)
        target = choose_file(issue, " ".join(str(title).split()), None, report, exists_code="import_exists")
        if target is None:
            raise report_error(report)
        # pictures: staged images/<oldstem>-N.ext → images/<newstem>-N.ext, never over an existing file
        moves: list[tuple[Path, Path]] = []
        images = issue / "images"
        n = 0
        for src in meta["images"]:
            name = Path(src).name
            staged_img = staged.parent / "images" / name
            if staged_img.is_symlink() or not staged_img.is_file() or not re.fullmatch(r"[\w.-]+", name):
                continue
            n += 1
            ext = staged_img.suffix
            dest = images / f"{target.stem}-{n}{ext}"
            while dest.exists() or any(d == dest for _s, d in moves):
                n += 1
                dest = images / f"{target.stem}-{n}{ext}"
            moves.append((staged_img, dest))
            new_text = re.sub(
                rf"\(images/{re.escape(name)}([\s)])",
                lambda m, d=dest: f"(images/{d.name}{m.group(1)}",
                new_text,
            )
        # the loader's checks, with the pictures where it will look for them
        images.mkdir(exist_ok=True)
        placed: list[Path] = []
        try:
            for s, d in moves:
                shutil.copyfile(s, d)
                placed.append(d)
            check_text(root, target, new_text)
            with target.open("x", encoding="utf-8") as f:
                f.write(new_text)
        except BaseException:
            for d in placed:
                d.unlink(missing_ok=True)
            raise
    rel = relpath_of(root, target)
    who = user.display or user.name
    history.record(
        root,
        [rel, *(relpath_of(root, d) for d in placed)],
        user=user,
        message=f"desk: {who} 导入 {meta['filename']} → {rel}",
    )
    approval.article_changed(root, target.parent, user)  # a new article of the issue: not approved
    shutil.rmtree(folder, ignore_errors=True)
    return rel


def discard_draft(root: Path, id: str) -> None:
    """Remove the draft and its files."""
    folder = _draft_dir(root, id)
    shutil.rmtree(folder)
