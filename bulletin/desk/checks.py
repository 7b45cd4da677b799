"""`bulletin check` for one issue, and the punctuation corrections of `bulletin fix` for one article.

The findings are exactly `bulletin check`'s (the same loader and checks over the whole project, so
numbering and copies across issues are seen), with the load cache under output/.bulletin/ so that only
changed articles are parsed again; those about the issue's files are returned, in the editor's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bulletin import messages
from bulletin.desk.articles import load_publication, write_checked
from bulletin.desk.errors import DeskError, Editor
from bulletin.desk.files import article_file, issue_folder, relpath_of, version
from bulletin.output import STATE_DIR


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    relpath: str  # the file, relative to the project ("" for the project as a whole)
    line: int | None
    message: str  # in the editor's language
    kind: str  # the message id (e.g. punct_halfwidth: `apply_punctuation` corrects it)
    column: int | None = None
    hint: str = ""  # how to fix it
    source_line: str = ""  # the offending line of the file


@dataclass(frozen=True)
class Change:
    diff: str  # unified diff of the article's text
    new_text: str
    version: str  # the version the change was worked out from: pass it to apply_punctuation
    count: int = 0  # how many marks change
    by_hand: tuple[str, ...] = ()  # front-matter keys that need a hand edit


def check_issue(root: Path, issue_key: str) -> list[Finding]:
    """Every error and warning `bulletin check` gives about the issue's files (its issue.yaml, articles
    and pictures) and about the project as a whole (bulletin.yaml, templates), errors first, then by
    file and line."""
    from bulletin.build import check

    folder = issue_folder(root, issue_key)
    cache_dir = root / "output" / STATE_DIR
    use_cache = not (root / "output").is_symlink() and not cache_dir.is_symlink()
    _archive, report = check(root, cache_dir=cache_dir if use_cache else None)
    prefix = relpath_of(root, folder) + "/"
    out = []
    for d in report.sorted():
        if d.file.startswith(prefix) or not d.file.startswith("content/"):
            out.append(
                Finding(d.severity, d.file, d.line, d.message, d.code, d.column, d.hint, d.source_line)
            )
    out.sort(key=lambda f: (f.severity != "error", f.relpath, f.line or 0, f.column or 0))
    return out


def _plan(root: Path, relpath: str):
    from bulletin.editor.fix import plan_file

    path = article_file(root, relpath)
    plan = plan_file(root, path, load_publication(root))
    if plan.skipped:
        raise DeskError.of(plan.skipped, file=relpath)
    return path, plan


def punctuation_changes(root: Path, relpath: str) -> Change:
    """The corrections `bulletin fix` would make to the article (nothing written): the diff, the new
    text and the version it applies to."""
    _path, plan = _plan(root, relpath)
    return Change("\n".join(plan.diff()), plan.new, version(plan.data), plan.changes, tuple(plan.by_hand))


def apply_punctuation(root: Path, relpath: str, *, expected_version: str, user: Editor) -> str:
    """Write the corrections of `punctuation_changes` if the file is still `expected_version` (else
    EditConflict). Returns the new version."""
    path, plan = _plan(root, relpath)
    if plan.new == plan.old:
        return version(plan.data)
    who = user.display or user.name
    note = messages.t("desk_punct_history", who=who, count=plan.changes, file=relpath)
    return write_checked(
        root, relpath, path, plan.new, expected_version=expected_version, user=user, message=note, check=False
    )
