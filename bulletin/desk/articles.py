"""Articles in the desk: read, save (with a version check), create, preview, and pictures.

The file stays the source of truth: a save rewrites only the front-matter keys the editor changed
(bulletin/desk/frontlines.py) and the body, checked first by the project's own loader, so the desk
never writes an article `bulletin check` would refuse.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bulletin import messages
from bulletin.content.frontmatter import split_front_matter
from bulletin.content.images import FORMATS, MAX_PIXELS, MAX_PIXELS_SIDE, resolve_image
from bulletin.content.loader import ARTICLE_FIELDS, ISSUE_FIELDS, ISSUE_FILE, load_article
from bulletin.content.textfile import MAX_TEXT_BYTES, read_text
from bulletin.content.yamlfile import parse
from bulletin.desk import approval, history
from bulletin.desk.errors import DeskError, EditConflict, Editor
from bulletin.desk.files import (
    article_file,
    atomic_write,
    file_version,
    issue_folder,
    project_lock,
    project_path,
    relpath_of,
    version,
)
from bulletin.desk.frontlines import edit as edit_front
from bulletin.diagnostics import Report
from bulletin.model import Archive, Article, Issue, Publication
from bulletin.schema import validate

MAX_IMAGE_BYTES = 30 * 1024 * 1024  # a phone photo is 3–8 MB; 30 MB is a scan at print resolution
FIELD_NAMES = tuple(f.name for f in ARTICLE_FIELDS)
_KINDS = {f.name: f.kind for f in ARTICLE_FIELDS}
_IMAGE_SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


@dataclass(frozen=True)
class ArticleDoc:
    """An article as the editor opens it. `front`: the front matter's values as YAML reads them (keys in
    the file's order; dates as text); `body`: the Markdown after it; `text`: the whole file (\\n line
    endings); `version`: the version of the file's bytes, to pass back as `expected_version`."""

    relpath: str
    front: dict
    body: str
    text: str
    version: str


def load_publication(root: Path) -> Publication:
    """bulletin.yaml, or DeskError with its first problem."""
    from bulletin.config import load_publication as load

    report = Report(root)
    pub = load(root, report)
    if pub is None or report.errors:
        raise report_error(report)
    return pub


def report_error(report: Report) -> DeskError:
    errors = report.errors or report.items
    if not errors:
        return DeskError.of("desk_bad_front", problem="?")
    d = sorted(errors, key=lambda d: (d.file, d.line or 0))[0]
    more = len(report.errors) - 1
    text = d.format().split("\n")[0] if not d.file else f"{d.location()}: {d.message}"
    if d.hint:
        text += messages.t("hint_in_parens", hint=d.hint.splitlines()[0])
    if more > 0:
        text += " " + messages.t("desk_more_errors", n=more)
    err = DeskError(text, file=d.file, line=d.line, code=d.code)
    err.problems = [(x.file, x.line, x.message) for x in report.errors]  # type: ignore[attr-defined]
    return err


def _decode(data: bytes, rel: str) -> tuple[str, bool, str]:
    """(text with \\n, had a BOM, the newline the file uses)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError:
        raise DeskError.of("fix_not_utf8", file=rel) from None
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n"), bom, newline


def _front_values(fm: str, path: Path, rel: str) -> dict:
    report = Report(path.parent)
    doc = parse(fm, rel, report, line_offset=1, what="front matter")
    if doc is None:
        raise report_error(report)
    return dict(doc.data)


def read_article(root: Path, relpath: str) -> ArticleDoc:
    """The article `relpath` (content/YYYY/NN/name.md) as the editor opens it."""
    path = article_file(root, relpath)
    data = path.read_bytes()
    if len(data) > MAX_TEXT_BYTES:
        raise DeskError.of("desk_too_large", file=relpath, size=_size(len(data)), limit=_size(MAX_TEXT_BYTES))
    text, _bom, _nl = _decode(data, relpath)
    try:
        parts = split_front_matter(text)
    except ValueError:
        parts = None
    if parts is None:  # no front matter (or unclosed): the editor sees it all as body and adds the form's
        return ArticleDoc(relpath, {}, text, text, version(data))
    fm, body, _line = parts
    return ArticleDoc(relpath, _front_values(fm, path, relpath), body, text, version(data))


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _normalise_front(front: dict) -> dict:
    """The form's values, checked for shape: known keys only, values of YAML's plain kinds."""
    if not isinstance(front, dict):
        raise DeskError.of("desk_bad_front", problem=type(front).__name__)
    out: dict = {}
    for key, value in front.items():
        if key not in FIELD_NAMES:
            raise DeskError.of("desk_unknown_field", field=str(key)[:40])
        if isinstance(value, str) and not value.strip() and key not in ("title", "section"):
            value = None  # an emptied form field removes the key
        kind = _KINDS[key]
        if isinstance(value, str) and value.strip():  # a form sends text: the field's own kind of value
            text = value.strip()
            if kind == "int" and re.fullmatch(r"[-+]?\d{1,6}", text):
                value = int(text)
            elif kind == "bool" and text.lower() in ("true", "false", "on", "off", "1", "0"):
                value = text.lower() in ("true", "on", "1")
            elif kind == "strlist":
                value = [v for v in re.split(r"[,，、;；\n]", text)]
        if isinstance(value, (list, tuple)):
            if any(isinstance(v, bool) or not isinstance(v, (str, int)) for v in value) or len(value) > 200:
                raise DeskError.of("desk_field", field=key, problem=str(value)[:60])
            value = [str(v).strip() for v in value if str(v).strip()] or None
        if value is not None and not isinstance(value, (str, int, bool, list, dt.date)):
            raise DeskError.of("desk_field", field=key, problem=type(value).__name__)
        if isinstance(value, str) and len(value) > 10_000:
            raise DeskError.of("desk_field", field=key, problem=_size(len(value.encode())))
        out[key] = value
    return out


def compose(old_text: str, front: dict, body: str) -> str:
    """The article's new text: `old_text` with the front-matter keys whose values differ from `front`
    rewritten (others kept as they are, missing keys kept, None removes) and `body` as its body."""
    front = _normalise_front(front)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    try:
        parts = split_front_matter(old_text)
    except ValueError:
        parts = None
    if parts is None:
        fm_text, old = "", {}
    else:
        fm_text = parts[0]
        old = _front_values(fm_text, Path("."), "")
    changes = {k: v for k, v in front.items() if not _same(old.get(k), v)}
    new_fm = edit_front(fm_text, changes)
    return f"---\n{new_fm}\n---\n{body}" if new_fm else f"---\n---\n{body}"


def _same(old: object, new: object) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if isinstance(new, dt.date):
        new = new.isoformat()
    if isinstance(old, (list, tuple)) or isinstance(new, (list, tuple)):
        a = list(old) if isinstance(old, (list, tuple)) else [old]
        b = list(new) if isinstance(new, (list, tuple)) else [new]
        return [str(x).strip() for x in a] == [str(x).strip() for x in b]
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return str(old).strip() == str(new).strip()


def _issue_values(folder: Path, root: Path) -> dict:
    report = Report(root)
    path = folder / ISSUE_FILE
    text = read_text(path, report, root)
    doc = parse(text, path, report, what=ISSUE_FILE) if text is not None else None
    return validate(doc, ISSUE_FIELDS, path, report) if doc is not None else {}


def _issue_date(folder: Path, root: Path):
    return _issue_values(folder, root).get("date")


def check_text(root: Path, path: Path, text: str, pub: Publication | None = None) -> Article:
    """`text` as the article at `path` through the project's loader: the Article, or DeskError with the
    first error (file, line, what is wrong and how to fix it) in the editor's language."""
    pub = pub or load_publication(root)
    report = Report(root)
    report.remember_source(relpath_of(root, path), text)
    data = text.encode("utf-8")
    if len(data) > MAX_TEXT_BYTES:
        raise DeskError.of("desk_too_large", size=_size(len(data)), limit=_size(MAX_TEXT_BYTES))
    art = load_article(root, path, pub, report, _issue_date(path.parent, root), data=data)
    if report.errors or art is None:
        raise report_error(report)
    return art


def _encode(text: str, bom: bool, newline: str) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8")


def write_checked(
    root: Path,
    relpath: str,
    path: Path,
    new_text: str,
    *,
    expected_version: str,
    user: Editor,
    message: str,
    check: bool = True,
) -> str:
    """Write `new_text` to the article at `path` if its bytes still have `expected_version` (else
    EditConflict, nothing written), after the loader's checks (`check`); record it in the history.
    Keeps the file's BOM and line endings. Returns the new version."""
    with project_lock(root):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise DeskError.of("desk_not_found", path=relpath) from None
        current = version(data)
        theirs, bom, newline = _decode(data, relpath)
        if current != expected_version:
            raise EditConflict(
                messages.t("desk_conflict", file=relpath),
                mine=new_text,
                theirs=theirs,
                theirs_version=current,
                file=relpath,
            )
        if check:
            check_text(root, path, new_text)
        out = _encode(new_text, bom, newline)
        if out == data:
            return current
        try:
            atomic_write(path, out)
        except OSError as exc:  # disk full, permissions: the file is as it was
            problem = f"{exc.strerror or exc}"
            raise DeskError.of("desk_write_failed", file=relpath, problem=problem) from None
    history.record(root, [relpath], user=user, message=message, before={relpath: data})
    approval.article_changed(root, path.parent, user)
    return version(out)


def save_article(
    root: Path, relpath: str, front: dict, body: str, *, expected_version: str, user: Editor
) -> str:
    """Save the editor's form: the front-matter keys whose values changed (order and other keys kept),
    the body replaced. Refused with EditConflict if the file is no longer `expected_version`, with
    DeskError naming the field and line if the loader refuses the result. Returns the new version."""
    path = article_file(root, relpath)
    old = read_article(root, relpath)
    new_text = compose(old.text, front, body)
    title = front.get("title") or old.front.get("title") or relpath
    return write_checked(
        root,
        relpath,
        path,
        new_text,
        expected_version=expected_version,
        user=user,
        message=f"desk: {user.display or user.name} 修改《{title}》 ({relpath})",
    )


def create_article(
    root: Path,
    issue_key: str,
    section_key: str,
    title: str,
    *,
    user: Editor,
    authors: list[str] | None = None,
) -> str:
    """A new article in the issue and section, named and written as `bulletin new article` does.
    Returns its relpath."""
    from bulletin.editor.new_article import new_article

    issue_folder(root, issue_key)
    if not isinstance(title, str) or len(title) > 500:
        raise DeskError.of("desk_field", field="title", problem=str(title)[:40])
    pub = load_publication(root)
    report = Report(root)
    with project_lock(root):
        path = new_article(root, pub, issue_key, title, report, section=section_key, authors=authors or [])
    if path is None:
        raise report_error(report)
    rel = relpath_of(root, path)
    who = user.display or user.name
    history.record(root, [rel], user=user, message=f"desk: {who} 新建《{title}》 ({rel})")
    return rel


# --- preview --------------------------------------------------------------------------------------


def preview_html(root: Path, relpath: str, front: dict, body: str, *, inline_css: bool = True) -> str:
    """The article as the site shows it, from the form's values (not saved): the whole page of the
    project's site templates. With `inline_css` the site's stylesheet is put in the page, so it shows
    in an iframe as is; the pictures stay relative (`images/…`): serve them with `preview_asset`.
    A text the loader refuses gives a DeskError (file, line, message)."""
    from bulletin.site.render import render_article_page

    path = article_file(root, relpath)
    pub = load_publication(root)
    text = compose(path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n"), front, body)
    art = check_text(root, path, text, pub)
    values = _issue_values(path.parent, root)
    folder = path.parent
    issue = Issue(
        year=int(folder.parent.name),
        number=values.get("number", int(folder.name)),
        total=values.get("total", 1),
        date=values.get("date") or art.date,
        folder=folder,
        rel_folder=relpath_of(root, folder),
        articles=(art,),
        title=values.get("title") or "",
    )
    return render_article_page(Archive(root, pub, (issue,)), path, inline_css=inline_css)


def preview_asset(root: Path, relpath: str, src: str) -> Path:
    """The picture file that `src` (as in the article's Markdown, e.g. images/x.jpg) names, checked to be
    inside the article's issue folder; for the preview's pictures."""
    path = article_file(root, relpath)
    rel = relpath_of(root, path.parent) + "/" + src
    target = project_path(root, rel, under=relpath_of(root, path.parent))
    if target != resolve_image(path, src) or not target.is_file():
        raise DeskError.of("desk_not_found", path=src[:120])
    return target


# --- pictures -------------------------------------------------------------------------------------


def clean_image_name(filename: str) -> str:
    """An upload's name as a file name the project can hold anywhere: the last part of the path only,
    letters, digits, "-" and "_" (Chinese in pinyin), at most 60 characters; "" when nothing is left."""
    from bulletin.content.slugs import pinyin_slug

    if not isinstance(filename, str):
        return ""
    name = re.split(r"[\\/]", filename.replace("\x00", ""))[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = unicodedata.normalize("NFKC", stem)
    if re.search(r"[\u3400-\u9fff]", stem):
        stem = pinyin_slug(stem, max_len=60)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_").lower()[:60].strip("-_")
    return stem


def save_image(root: Path, article_relpath: str, filename: str, data: bytes, *, user: Editor) -> str:
    """Store an uploaded picture in the article's issue folder, images/<clean name>.<type>, and return the
    path to write in the Markdown (images/name.jpg). The type is what Pillow finds in the bytes (JPEG,
    PNG, GIF, WebP), never the upload's name; too large files or pictures are refused. A name taken by
    another picture gets -2, -3…."""
    from PIL import Image, UnidentifiedImageError

    path = article_file(root, article_relpath)
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise DeskError.of("desk_image_bad", name=clean_image_name(filename) or "?")
    if len(data) > MAX_IMAGE_BYTES:
        raise DeskError.of("desk_too_large", size=_size(len(data)), limit=_size(MAX_IMAGE_BYTES))
    try:
        Image.MAX_IMAGE_PIXELS = max(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or 0)
        with Image.open(io.BytesIO(data)) as im:
            fmt = im.format
            w, h = im.size
            im.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise DeskError.of("desk_image_bad", name=clean_image_name(filename) or "?") from None
    if fmt not in FORMATS:
        raise DeskError.of("desk_image_type", name=clean_image_name(filename) or "?", kind=str(fmt))
    if w * h > MAX_PIXELS or max(w, h) > MAX_PIXELS_SIDE:
        raise DeskError.of("desk_image_pixels", w=w, h=h)
    stem = clean_image_name(filename) or path.stem
    images = path.parent / "images"
    if images.is_symlink():
        raise DeskError.of("desk_bad_path", path=relpath_of(root, images), why=messages.t("desk_why_link"))
    images.mkdir(exist_ok=True)
    project_path(root, relpath_of(root, images), under="content")
    suffix = _IMAGE_SUFFIX[fmt]
    with project_lock(root):
        n = 1
        while True:
            name = f"{stem}{'' if n == 1 else f'-{n}'}{suffix}"
            target = images / name
            if not target.exists() and not target.is_symlink():
                break
            n += 1
        atomic_write(target, bytes(data))
    rel = relpath_of(root, target)
    history.record(root, [rel], user=user, message=f"desk: {user.display or user.name} 上传图片 {rel}")
    approval.article_changed(root, path.parent, user)
    return f"images/{name}"


def current_version(root: Path, relpath: str) -> str:
    """The version of the article file now."""
    return file_version(article_file(root, relpath))
