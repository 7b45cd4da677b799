"""The desk's screens: issues, an issue, Word imports, the article editor, checks, punctuation fixes,
history, build jobs and the files they make.

Each view is thin: it checks the request (login, role, which file), calls one of the desk's operations
(bulletin.desk.articles, issues, order, checks, imports, jobs, history) and renders the answer. What an
operation refuses comes as a DeskError whose message is shown to the editor as it is; a save refused
because the file changed meanwhile (EditConflict) shows both versions.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import re
from pathlib import Path, PurePosixPath

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from bulletin import messages
from bulletin.desk.access import chief_required, error_page, login_required

desk = Blueprint("desk", __name__)

# the front-matter keys the article form edits; every other key of a file is kept as it was
FORM_FIELDS = (
    ("title", "str"), ("subtitle", "str"), ("section", "str"), ("authors", "list"), ("affiliation", "str"),
    ("byline_mark", "str"), ("author_note", "str"), ("source", "str"), ("date", "date"), ("order", "int"),
    ("tags", "list"), ("summary", "str"), ("slug", "str"), ("draft", "bool"),
)  # fmt: skip
_LIST_SPLIT = re.compile(r"\s*[,，、;；]\s*")
OUTPUT_FOLDERS = ("output/pdf", "output/proof")  # the only folders the desk serves files from
IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg"}


def _root() -> Path:
    return current_app.config["DESK_ROOT"]


def _user():
    from bulletin.desk.errors import Editor

    a = g.editor
    return Editor(name=a.name, display=a.display, role=a.role)


def _publication():
    from bulletin.config import load_publication
    from bulletin.diagnostics import Report

    pub = current_app.extensions.get("desk_publication")
    if pub is None:
        pub = load_publication(_root(), Report(_root()))
        current_app.extensions["desk_publication"] = pub
    return pub


@desk.app_template_filter("when")
def _when(value) -> str:
    """A time as the editor reads it: local time of the desk's machine, to the minute."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


@desk.app_template_filter("anchor")
def _anchor_filter(relpath: str) -> str:
    return _anchor(relpath)


@desk.app_context_processor
def _globals():
    pub = _publication()
    return {"publication_name": pub.title if pub else ""}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json


def _desk_errors():
    from bulletin.desk.errors import DeskError

    return DeskError


def content_relpath(relpath: str, suffixes: tuple[str, ...] = (".md",)) -> str:
    """`relpath` if it names a file of content/ with one of `suffixes` (links resolved, staying inside the
    project's content/ folder), else 404: a URL never reaches outside the project."""
    root = _root()
    p = PurePosixPath(relpath)
    if p.is_absolute() or ".." in p.parts or "\\" in relpath or not p.parts or p.parts[0] != "content":
        abort(404)
    if p.suffix.lower() not in suffixes:
        abort(404)
    full = (root / p).resolve()
    content = (root / "content").resolve()
    if not full.is_relative_to(content) or not full.is_file():
        abort(404)
    return p.as_posix()


def output_file(relpath: str) -> Path:
    """The file `relpath` of the project's output/pdf or output/proof (checked as content_relpath is)."""
    root = _root()
    p = PurePosixPath(relpath)
    if p.is_absolute() or ".." in p.parts or "\\" in relpath or p.suffix.lower() != ".pdf":
        abort(404)
    full = (root / p).resolve()
    for folder in OUTPUT_FOLDERS:
        base = (root / folder).resolve()
        if full.is_relative_to(base) and full.is_file():
            return full
    abort(404)


# --- issues ---------------------------------------------------------------------------------------


@desk.get("/")
@login_required
def issues():
    from bulletin.desk.issues import list_issues

    return render_template("issues.html", issues=list_issues(_root()))


@desk.post("/issues/new")
@login_required
def start_issue():
    from bulletin.desk.issues import start_next_issue

    try:
        key = start_next_issue(_root(), user=_user())
    except _desk_errors() as exc:
        flash(str(exc), "error")
        return redirect(url_for("desk.issues"))
    flash(messages.t("desk_issue_started", key=key), "ok")
    return redirect(url_for("desk.issue", key=key))


def _issue_or_404(key: str):
    from bulletin.desk.issues import issue_detail

    if not re.fullmatch(r"\d{4}-\d{2}", key):
        abort(404)
    try:
        return issue_detail(_root(), key)
    except _desk_errors() as exc:
        flash(str(exc), "error")
        abort(404)


@desk.get("/issues/<key>")
@login_required
def issue(key: str):
    """An issue: its sections and articles, uploads, builds. The check's findings (the whole archive is
    checked, which takes a while on a big one) come after the page, from issue_checks."""
    from bulletin.desk.jobs import list_jobs

    detail = _issue_or_404(key)
    versions = {a.relpath: a.version for sec in detail.sections for a in sec.articles}
    return render_template(
        "issue.html", issue=detail, sections=_publication().sections,
        drafts=_issue_drafts(key), versions=json.dumps(versions, ensure_ascii=False),
        jobs=[j for j in list_jobs(_root()) if j.issue_key == key][:5],
        max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
    )  # fmt: skip


@desk.get("/issues/<key>/checks")
@login_required
def issue_checks(key: str):
    """The issue's findings of `bulletin check`: the issue page fetches them (X-Desk-Fragment), a browser
    without script opens them as a page."""
    from bulletin.desk.checks import check_issue

    _issue_or_404(key)
    findings = check_issue(_root(), key)
    if request.headers.get("X-Desk-Fragment"):
        return render_template("_findings.html", findings=findings, issue_key=key)
    return render_template("checks.html", findings=findings, issue_key=key)


def _issue_drafts(key: str) -> list:
    from bulletin.desk.imports import list_drafts

    return list_drafts(_root(), key)


def _layout(detail) -> list[tuple[str, list[str]]]:
    return [(s.key, [a.relpath for a in s.articles]) for s in detail.sections]


@desk.post("/issues/<key>/order")
@login_required
def reorder(key: str):
    """A new order of the issue's articles: the whole layout from a drag (JSON), or one article moved up,
    down or to another section (the buttons and the section menu, which work from the keyboard)."""
    from bulletin.desk.order import reorder as write_order

    detail = _issue_or_404(key)
    layout = _layout(detail)
    known = {rel for _sec, rels in layout for rel in rels}
    sections = {s.key for s in detail.sections}
    versions = None
    if request.is_json:
        data = request.get_json(silent=True) or {}
        try:
            layout = [(str(sec), [str(r) for r in rels]) for sec, rels in data.get("layout", [])]
        except (TypeError, ValueError):
            return jsonify(error=messages.t("desk_bad_request")), 400
        moved = [r for _s, rels in layout for r in rels]
        if sorted(moved) != sorted(known) or not {s for s, _r in layout} <= sections:
            return jsonify(error=messages.t("desk_order_stale")), 409
        sent = data.get("versions")
        if isinstance(sent, dict):  # the versions the page showed: a file changed since is not reordered
            versions = {str(k): str(v) for k, v in sent.items()}
    else:
        rel = request.form.get("article", "")
        if rel not in known:
            abort(400)
        layout = _moved(layout, rel, request.form.get("move", ""), request.form.get("to_section", ""))
        if layout is None:
            abort(400)
    try:
        write_order(_root(), key, layout, user=_user(), expected_versions=versions)
    except _desk_errors() as exc:
        if request.is_json:
            return jsonify(error=str(exc)), 409
        flash(str(exc), "error")
        return redirect(url_for("desk.issue", key=key))
    if request.is_json:
        return jsonify(ok=True)
    flash(messages.t("desk_order_saved"), "ok")
    return redirect(url_for("desk.issue", key=key, _anchor="a-" + _anchor(rel)))


def _moved(layout, rel: str, move: str, to_section: str):
    """`layout` with `rel` one place up or down (across into the neighbouring section at either end) or
    at the end of section `to_section`; None for a request that makes no sense."""
    flat = [(sec, r) for sec, rels in layout for r in rels]
    keys = [sec for sec, _ in layout]
    i = next(n for n, (_s, r) in enumerate(flat) if r == rel)
    sec = flat[i][0]
    lists = {s: list(rels) for s, rels in layout}
    pos = lists[sec].index(rel)
    if move == "up":
        if pos > 0:
            lists[sec][pos - 1], lists[sec][pos] = lists[sec][pos], lists[sec][pos - 1]
        elif keys.index(sec) > 0:
            lists[sec].pop(pos)
            lists[keys[keys.index(sec) - 1]].append(rel)
    elif move == "down":
        if pos < len(lists[sec]) - 1:
            lists[sec][pos + 1], lists[sec][pos] = lists[sec][pos], lists[sec][pos + 1]
        elif keys.index(sec) < len(keys) - 1:
            lists[sec].pop(pos)
            lists[keys[keys.index(sec) + 1]].insert(0, rel)
    elif move == "section" and to_section in lists:
        if to_section != sec:
            lists[sec].pop(pos)
            lists[to_section].append(rel)
    else:
        return None
    return [(s, lists[s]) for s in keys]


def _anchor(relpath: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]", "-", PurePosixPath(relpath).stem)


@desk.post("/issues/<key>/approve")
@chief_required
def approve(key: str):
    from bulletin.desk.issues import approve_issue

    _issue_or_404(key)
    try:
        approve_issue(_root(), key, user=_user())
    except _desk_errors() as exc:
        flash(str(exc), "error")
    else:
        flash(messages.t("desk_approved", key=key), "ok")
    return redirect(url_for("desk.issue", key=key))


# --- build jobs -------------------------------------------------------------------------------------


@desk.post("/issues/<key>/jobs")
@login_required
def start_job(key: str):
    kind = request.form.get("kind", "")
    if kind not in ("proof", "final", "site"):
        abort(400)
    if kind == "final" and g.editor.role != "chief":  # refused here before the operation refuses it too
        return error_page(403, messages.t("desk_chief_only"))
    from bulletin.desk.jobs import start_job as run

    _issue_or_404(key)
    try:
        job_id = run(_root(), kind, key, user=_user())
    except _desk_errors() as exc:
        flash(str(exc), "error")
        return redirect(url_for("desk.issue", key=key))
    return redirect(url_for("desk.job", job_id=job_id, issue=key))


def _job_status(job_id: str):
    from bulletin.desk.jobs import job_status

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,80}", job_id):
        abort(404)
    try:
        return job_status(_root(), job_id)
    except _desk_errors():
        abort(404)


def _job_json(status) -> dict:
    return {
        "state": status.state,
        "state_label": messages.t(f"desk_job_{status.state}"),
        "lines": list(status.lines)[-400:],
        "outputs": [
            {"name": PurePosixPath(o).name, "url": url_for("desk.output", relpath=o)}
            for o in status.outputs if o.lower().endswith(".pdf")
        ] + [
            {"name": messages.t("desk_open_site"), "url": url_for("desk.site_file", relpath="index.html")}
            for o in status.outputs[:1] if not o.lower().endswith(".pdf")
        ],
    }  # fmt: skip


@desk.get("/jobs/<job_id>")
@login_required
def job(job_id: str):
    status = _job_status(job_id)
    issue_key = request.args.get("issue", "")
    if not re.fullmatch(r"\d{4}-\d{2}", issue_key):
        issue_key = ""
    return render_template("job.html", job_id=job_id, job=_job_json(status), issue_key=issue_key)


@desk.get("/jobs/<job_id>.json")
@login_required
def job_json(job_id: str):
    return jsonify(_job_json(_job_status(job_id)))


@desk.get("/output/<path:relpath>")
@login_required
def output(relpath: str):
    """A PDF or proof the builds made, opened in the browser."""
    return send_file(output_file(relpath), mimetype="application/pdf", max_age=0)


@desk.get("/site/<path:relpath>")
@login_required
def site_file(relpath: str):
    """The built site (output/site/), to look at it after a build."""
    root = _root()
    p = PurePosixPath(relpath)
    if p.is_absolute() or ".." in p.parts or "\\" in relpath:
        abort(404)
    base = (root / "output" / "site").resolve()
    full = (base / p).resolve()
    if full.is_dir():
        full = full / "index.html"
    if not full.is_relative_to(base) or not full.is_file():
        abort(404)
    return send_file(full, mimetype=mimetypes.guess_type(full.name)[0] or "application/octet-stream")


# --- Word imports -----------------------------------------------------------------------------------


@desk.post("/issues/<key>/import")
@login_required
def upload(key: str):
    """One or several .docx files (the page sends them one request each; a form without script sends
    them together); each becomes a draft to review."""
    from bulletin.desk.imports import import_docx

    detail = _issue_or_404(key)
    section = request.form.get("section") or None
    if section and section not in {s.key for s in detail.sections} | {s.id for s in _publication().sections}:
        section = None
    files = [f for f in request.files.getlist("file") if f and f.filename]
    if not files:
        if _wants_json():
            return jsonify(error=messages.t("desk_upload_none")), 400
        flash(messages.t("desk_upload_none"), "error")
        return redirect(url_for("desk.issue", key=key))
    reviews, errors = [], []
    for f in files:
        data = f.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
        try:
            draft = import_docx(_root(), key, f.filename, data, section_key=section, user=_user())
        except _desk_errors() as exc:
            errors.append(f"{_shown_name(f.filename)}：{exc}")
            continue
        reviews.append(url_for("desk.draft", draft_id=draft.id))
    if _wants_json():
        if errors:
            return jsonify(error="；".join(errors)), 422
        return jsonify(review=reviews[0])
    for e in errors:
        flash(e, "error")
    if len(reviews) == 1 and not errors:
        return redirect(reviews[0])
    if reviews:
        flash(messages.t("desk_upload_done", n=len(reviews)), "ok")
    return redirect(url_for("desk.issue", key=key, _anchor="drafts"))


def _shown_name(name: str) -> str:
    """An uploaded file's name as the editor sees it in a message: its last part, no control characters."""
    base = re.split(r"[\\/]", name)[-1]
    return re.sub(r"[\x00-\x1f\x7f]", "", base)[:120] or "?"


def _draft_or_404(draft_id: str):
    from bulletin.desk.imports import load_draft

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,80}", draft_id):
        abort(404)
    try:
        return load_draft(_root(), draft_id)
    except _desk_errors():
        abort(404)


@desk.route("/drafts/<draft_id>", methods=["GET", "POST"])
@login_required
def draft(draft_id: str):
    """What the import recognised, in the article form, to correct and save as an article."""
    from bulletin.desk.imports import save_draft

    d = _draft_or_404(draft_id)
    front, body, error_field = d.front, d.body, None
    if request.method == "POST":
        front, body = _front_from_form(dict(d.front)), request.form.get("body", "")
        try:
            relpath = save_draft(_root(), draft_id, front, body, user=_user())
        except _desk_errors() as exc:
            flash(str(exc), "error")
            error_field = _field_named(str(exc))
        else:
            flash(messages.t("desk_draft_saved", file=relpath), "ok")
            return redirect(url_for("desk.article", relpath=relpath))
    return render_template(
        "draft.html", draft=d, front=front, body=body, sections=_publication().sections,
        fields=_form_values(front), error_field=error_field,
    )  # fmt: skip


@desk.post("/drafts/<draft_id>/discard")
@login_required
def discard_draft(draft_id: str):
    from bulletin.desk.imports import discard_draft as discard

    d = _draft_or_404(draft_id)
    discard(_root(), draft_id)
    flash(messages.t("desk_draft_discarded"), "ok")
    issue_key = getattr(d, "issue_key", "")
    return redirect(url_for("desk.issue", key=issue_key) if issue_key else url_for("desk.issues"))


# --- articles ---------------------------------------------------------------------------------------


def _form_values(front: dict) -> dict[str, str]:
    """The article form's fields as text: lists joined with 、, dates as YYYY-MM-DD."""
    out = {}
    for key, kind in FORM_FIELDS:
        v = front.get(key)
        if v is None:
            out[key] = ""
        elif kind == "list" and isinstance(v, list | tuple):
            out[key] = "、".join(str(x) for x in v)
        elif kind == "bool":
            out[key] = "1" if v is True else ""
        else:
            out[key] = str(v)
    return out


def _front_from_form(front: dict) -> dict:
    """`front` with the form's fields put in: an emptied field removes its key, a list is split at 、 or a
    comma, a number or a date that does not parse is passed on as text for the schema to name it."""
    out = dict(front)
    for key, kind in FORM_FIELDS:
        if key not in request.form and kind != "bool":
            continue
        raw = request.form.get(key, "").strip()
        if kind == "bool":
            if raw:
                out[key] = True
            else:
                out.pop(key, None)
            continue
        if not raw:
            out.pop(key, None)
        elif kind == "list":
            out[key] = [x for x in _LIST_SPLIT.split(raw) if x]
        elif kind == "int":
            out[key] = int(raw) if re.fullmatch(r"-?\d{1,6}", raw) else raw
        elif key == "section" and _same_section(out.get(key), raw):
            pass  # the section written by its name stays so: the form lists sections by id
        elif kind == "date":
            try:
                out[key] = dt.date.fromisoformat(raw)
            except ValueError:
                out[key] = raw
        else:
            out[key] = raw
    return out


def _same_section(old: object, new: str) -> bool:
    pub = _publication()
    return isinstance(old, str) and pub is not None and pub.section(old) is not None and (
        pub.section(old) is pub.section(new)
    )


def _field_named(message: str) -> str | None:
    """The form field a DeskError's message names (to mark it), if any."""
    for key, _kind in FORM_FIELDS:
        if re.search(rf"\b{key}\b", message):
            return key
    return None


@desk.route("/articles/<path:relpath>", methods=["GET", "POST"])
@login_required
def article(relpath: str):
    from bulletin.desk.articles import read_article, save_article
    from bulletin.desk.errors import EditConflict

    relpath = content_relpath(relpath)
    root = _root()
    doc = read_article(root, relpath)
    front, body, version, error_field = doc.front, doc.body, doc.version, None
    if request.method == "POST":
        front, body = _front_from_form(dict(doc.front)), request.form.get("body", "").replace("\r\n", "\n")
        expected = request.form.get("version", "")
        try:
            version = save_article(root, relpath, front, body, expected_version=expected, user=_user())
        except EditConflict as exc:
            return render_template(
                "conflict.html", relpath=relpath, mine=exc.mine, theirs=exc.theirs,
                theirs_version=exc.theirs_version, front=front, body=body,
            ), 409  # fmt: skip
        except _desk_errors() as exc:
            flash(str(exc), "error")
            error_field = _field_named(str(exc))
            version = expected
        else:
            flash(messages.t("desk_article_saved"), "ok")
            return redirect(url_for("desk.article", relpath=relpath))
    line = request.args.get("line", "")
    return render_template(
        "article.html", relpath=relpath, doc=doc, front=front, body=body, version=version,
        fields=_form_values(front), sections=_publication().sections, error_field=error_field,
        line=int(line) if line.isdigit() else None, issue_key=_issue_key_of(relpath),
    )  # fmt: skip


def _issue_key_of(relpath: str) -> str:
    parts = PurePosixPath(relpath).parts
    return f"{parts[1]}-{parts[2]}" if len(parts) >= 4 else ""


PREVIEW_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "frame-ancestors 'self'; form-action 'none'; base-uri 'none'"
)  # the site's page with its stylesheet inline, and no script at all


def _preview_response(relpath: str, front: dict, body: str):
    from bulletin.desk.articles import preview_html

    try:
        html = preview_html(_root(), relpath, front, body)
    except _desk_errors() as exc:
        html = render_template("preview_error.html", text=str(exc))
    resp = current_app.make_response(html)
    resp.headers["Content-Security-Policy"] = PREVIEW_CSP
    return resp


@desk.post("/preview/<path:relpath>")
@login_required
def preview(relpath: str):
    """The article as the site shows it, from the form's current (unsaved) text: the page sends the
    form to the preview frame after a pause in typing."""
    from bulletin.desk.articles import read_article

    relpath = content_relpath(relpath)
    doc = read_article(_root(), relpath)
    front = _front_from_form(dict(doc.front))
    return _preview_response(relpath, front, request.form.get("body", "").replace("\r\n", "\n"))


@desk.get("/preview/<path:relpath>")
@login_required
def saved_preview(relpath: str):
    """The saved article as the site shows it (the preview frame's first page), and the pictures its
    page names (images/… beside the article)."""
    from bulletin.desk.articles import read_article

    if PurePosixPath(relpath).suffix.lower() in IMAGE_TYPES:
        return content_file(relpath)
    relpath = content_relpath(relpath)
    doc = read_article(_root(), relpath)
    return _preview_response(relpath, doc.front, doc.body)


@desk.get("/content/<path:relpath>")
@login_required
def content_file(relpath: str):
    """An image of an article, for the preview."""
    relpath = content_relpath(relpath, tuple(IMAGE_TYPES))
    full = (_root() / relpath).resolve()
    kind = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    resp = send_file(full, mimetype=kind, max_age=0)
    if full.suffix.lower() == ".svg":  # an SVG opened by itself runs no script of ours or anyone's
        resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return resp


@desk.post("/articles/<path:relpath>/image")
@login_required
def upload_image(relpath: str):
    from bulletin.desk.articles import save_image

    relpath = content_relpath(relpath)
    f = request.files.get("image")
    if not f or not f.filename:
        flash(messages.t("desk_upload_none"), "error")
        return redirect(url_for("desk.article", relpath=relpath))
    try:
        name = save_image(_root(), relpath, f.filename, f.read(), user=_user())
    except _desk_errors() as exc:
        flash(f"{_shown_name(f.filename)}：{exc}", "error")
    else:
        flash(messages.t("desk_image_saved", markdown=f"![{messages.t('desk_image_caption')}]({name})"), "ok")
    return redirect(url_for("desk.article", relpath=relpath))


@desk.route("/articles/<path:relpath>/punctuation", methods=["GET", "POST"])
@login_required
def punctuation(relpath: str):
    from bulletin.desk.checks import apply_punctuation, punctuation_changes
    from bulletin.desk.errors import EditConflict

    relpath = content_relpath(relpath)
    if request.method == "POST":
        try:
            apply_punctuation(
                _root(), relpath, expected_version=request.form.get("version", ""), user=_user()
            )
        except EditConflict:
            flash(messages.t("desk_punctuation_changed"), "error")
            return redirect(url_for("desk.punctuation", relpath=relpath))
        except _desk_errors() as exc:
            flash(str(exc), "error")
            return redirect(url_for("desk.punctuation", relpath=relpath))
        flash(messages.t("desk_punctuation_applied"), "ok")
        return redirect(url_for("desk.article", relpath=relpath))
    change = punctuation_changes(_root(), relpath)
    return render_template(
        "punctuation.html", relpath=relpath, change=change, lines=_diff_lines(change.diff),
        issue_key=_issue_key_of(relpath),
    )  # fmt: skip


def _diff_lines(diff: str) -> list[tuple[str, str]]:
    out = []
    for line in diff.splitlines():
        kind = (
            "hunk"
            if line.startswith("@@")
            else "add"
            if line.startswith("+")
            else ("del" if line.startswith("-") else "")
        )
        if line.startswith(("+++", "---")):
            kind = "head"
        out.append((kind, line))
    return out


@desk.get("/articles/<path:relpath>/history")
@login_required
def history(relpath: str):
    from bulletin.desk.history import article_history, revision_text

    relpath = content_relpath(relpath)
    revisions = article_history(_root(), relpath)
    shown = request.args.get("rev")
    text = None
    if shown:
        if shown not in {r.id for r in revisions}:
            abort(404)
        text = revision_text(_root(), relpath, shown)
    return render_template(
        "history.html", relpath=relpath, revisions=revisions, shown=shown, text=text,
        issue_key=_issue_key_of(relpath),
    )  # fmt: skip
