"""`bulletin fix`: correct the half-width punctuation in the Chinese text of article files.

The corrections are bulletin.punctuation's (the ones `check` lists and rendering applies). Only the body
text and the prose values of the front matter (title, subtitle, summary, author_note) change: keys, slugs,
paths, code, link targets and the file's encoding, byte-order mark and line endings stay as they were.
The command shows a unified diff first and writes only when the editor confirms (or passes --yes);
each file is replaced atomically after its original is copied to backups/fix-<date-time>/ under the
project folder, at the same relative path (content/2026/02/x.md), where an editor finds it next to
content/.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bulletin import punctuation
from bulletin.content.frontmatter import split_front_matter
from bulletin.content.replace import replace_file
from bulletin.diagnostics import Report
from bulletin.model import Publication

BACKUP_DIR = "backups"
_ISSUE_KEY = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass
class FilePlan:
    """What `fix` would do to one file."""

    path: Path
    rel: str
    data: bytes  # the file's bytes when planned (written only if they are still these)
    old: str  # text, line endings as \n
    new: str
    changes: int
    newline: str = "\n"
    bom: bool = False
    skipped: str = ""  # why the file is left alone (a message id), if it is
    by_hand: list[str] = field(default_factory=list)  # front-matter keys that need a hand edit

    def diff(self) -> list[str]:
        """The unified diff of the change, lines without their line ends."""
        return list(
            difflib.unified_diff(
                self.old.split("\n"), self.new.split("\n"), f"a/{self.rel}", f"b/{self.rel}", lineterm=""
            )
        )


def select_files(root: Path, keys: tuple[str, ...], report: Report) -> list[Path] | None:
    """The article files of the issues (2026-02) or the files named; every article without keys.
    None (with errors reported) if a key names nothing in this project's content/."""
    content = root / "content"
    if not keys:
        return sorted(p for p in content.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.md") if _article(p))
    files: list[Path] = []
    for key in keys:
        m = _ISSUE_KEY.match(key)
        if m:
            folder = content / m.group(1) / f"{int(m.group(2)):02d}"
            if folder.is_dir():
                files += sorted(p for p in folder.glob("*.md") if _article(p))
                continue
        path = Path(key) if Path(key).is_absolute() else Path.cwd() / key
        if not path.is_file():
            path = root / key
        if path.is_file() and path.suffix == ".md":
            if not os.path.abspath(path).startswith(os.path.abspath(content) + os.sep):
                report.error("", None, "fix_outside", key=key)
                continue
            files.append(path)
            continue
        report.error("", None, "fix_unknown", key=key)
    if report.errors:
        return None
    seen: set[str] = set()
    return [p for p in files if not (os.path.abspath(p) in seen or seen.add(os.path.abspath(p)))]


def _article(p: Path) -> bool:
    return not p.name.startswith((".", "_"))


def plan_file(root: Path, path: Path, pub: Publication) -> FilePlan:
    """Read `path` and work out its corrections (nothing is written)."""
    rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    data = path.read_bytes() if not path.is_symlink() else b""
    plan = FilePlan(path, rel, data, "", "", 0)
    if path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
        plan.skipped = "fix_link"
        return plan
    plan.bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3 if plan.bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        plan.skipped = "fix_not_utf8"
        return plan
    if "\r" in text:
        if text.count("\r\n") != text.count("\n") or text.count("\r") != text.count("\r\n"):
            plan.skipped = "fix_mixed_newlines"
            return plan
        plan.newline = "\r\n"
        text = text.replace("\r\n", "\n")
    plan.old = text
    plan.new, plan.by_hand = fix_article_text(text, pub.typography.range_mark)
    plan.changes = len(punctuation.changes(plan.old, plan.new))
    return plan


def fix_article_text(text: str, range_mark: str = "—") -> tuple[str, list[str]]:
    """The article's text corrected, and the front-matter keys whose values still need a hand edit
    (values over several lines or with escapes, which are not rewritten)."""
    try:
        parts = split_front_matter(text)
    except ValueError:
        parts = None
    if parts is None:  # not an article the loader accepts: leave it to `check` to explain
        return text, []
    fm, body, body_line = parts
    lines = text.split("\n")
    fm_lines, close, body_lines = lines[1 : body_line - 2], lines[body_line - 2], lines[body_line - 1 :]
    if "\n".join(fm_lines) != fm or "\n".join(body_lines) != body:  # cannot happen; never guess
        return text, []
    new_fm, by_hand = _fix_front_matter(fm, range_mark)
    new_body = punctuation.fix_markdown(body, range_mark)
    out = [lines[0], *(new_fm.split("\n") if fm_lines else []), close, *new_body.split("\n")]
    return "\n".join(out), by_hand


def _fix_front_matter(fm: str, range_mark: str) -> tuple[str, list[str]]:
    """The front matter with its prose values corrected, checked by reading both with YAML: every
    other value must stay the same and each corrected value must read as its correction. A key for which
    that does not hold is left as it was. Also returns the keys whose values still need a hand edit."""
    try:
        before = yaml.safe_load(fm) if fm.strip() else {}
    except yaml.YAMLError:
        return fm, []  # `check` reports the YAML error
    if not isinstance(before, dict):
        return fm, []
    prose = [k for k in punctuation.PROSE_KEYS if isinstance(before.get(k), str)]
    wanted = {k: punctuation.fix_text(before[k], range_mark) for k in prose}
    keys = tuple(k for k, v in wanted.items() if v != before[k])
    new, after = fm, before
    while keys:
        new = punctuation.fix_front_matter(fm, range_mark, keys)
        try:
            after = yaml.safe_load(new)
        except yaml.YAMLError:
            after = None
        if not isinstance(after, dict) or set(after) != set(before):
            new, after, keys = fm, before, keys[:-1]  # cannot tell which value broke it: one less
            continue
        bad = [k for k in before if after[k] != before[k] and (k not in keys or after[k] != wanted[k])]
        if not bad:
            break
        keys = tuple(k for k in keys if k not in bad)
        new, after = fm, before
    return new, [k for k, v in wanted.items() if v != before[k] and after.get(k) != v]


def write(
    root: Path, plans: list[FilePlan], now: dt.datetime | None = None
) -> tuple[Path | None, list[FilePlan]]:
    """Write the corrected files: each original is copied into one backup folder first, then the file
    is replaced atomically. Returns (the backup folder, the plans written); a file whose bytes changed
    since it was planned is not written (its plan gets `skipped = "fix_changed"`)."""
    todo = [p for p in plans if not p.skipped and p.new != p.old]
    if not todo:
        return None, []
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    backup = root / BACKUP_DIR / f"fix-{stamp}"
    n = 1
    while backup.exists():
        n += 1
        backup = root / BACKUP_DIR / f"fix-{stamp}-{n}"
    written: list[FilePlan] = []
    for p in todo:
        try:
            current = p.path.read_bytes()
        except OSError:
            current = None
        if current != p.data:
            p.skipped = "fix_changed"
            continue
        target = backup / p.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p.path, target)
        data = (b"\xef\xbb\xbf" if p.bom else b"") + p.new.replace("\n", p.newline).encode("utf-8")
        replace_file(p.path, data)
        written.append(p)
    return (backup if written else None), written
