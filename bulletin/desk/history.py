"""Who changed what and when: every save of the desk is recorded here.

In a git repository (the project folder or a folder above it) each save is a commit of exactly the files
saved, with the editor's name as author (`Name <user@desk>`); the history of an article is `git log` of
its file. Otherwise each save keeps a dated copy of the file as saved under `.desk/history/<relpath>/`
with a small JSON record (who, when, message); the first save of a file also keeps the file as it was
before the desk touched it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bulletin.desk.errors import DeskError, Editor
from bulletin.desk.files import atomic_write, check_relpath, desk_folder, desk_path, project_path

_REV_RE = re.compile(r"\d{8}T\d{6}\d{6}Z(?:-\d+)?|[0-9a-f]{40}")
_GIT_TIMEOUT = 30


@dataclass(frozen=True)
class Revision:
    id: str  # a commit hash, or the dated name of a backup
    when: dt.datetime  # UTC
    who: str  # the editor's name shown, "" for the file as it was before the desk
    message: str


def _git(root: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.update({"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    if env:
        e.update(env)
    return subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=e,
        timeout=_GIT_TIMEOUT,
        check=check,
    )


def is_git(root: Path) -> bool:
    """True when the project is inside a git work tree (and git is installed)."""
    try:
        r = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0 and r.stdout.strip() == "true"


def _author_email(user: Editor) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]", "", user.name) or "editor"
    return f"{name}@desk"


def record(
    root: Path,
    relpaths: list[str],
    *,
    user: Editor,
    message: str,
    before: dict[str, bytes | None] | None = None,
) -> str:
    """Record a save of `relpaths` (as they are now on disk) by `user`: a commit, or dated backups. `before`:
    the files' bytes before the save (None for a new file), kept as the first backup of a file that has
    none yet. Returns the revision id (the commit, or the backups' dated name)."""
    rels = [check_relpath(r) for r in relpaths]
    for r in rels:
        project_path(root, r, must_exist=False)
    message = " ".join(message.split())[:500] or "desk"
    if is_git(root):
        return _commit(root, rels, user, message)
    return _backup(root, rels, user, message, before or {})


def _commit(root: Path, rels: list[str], user: Editor, message: str) -> str:
    author = f"{_clean_name(user.display or user.name)} <{_author_email(user)}>"
    env = {}
    if _git(root, "config", "user.email", check=False).returncode != 0:
        env = {"GIT_COMMITTER_NAME": "bulletin desk", "GIT_COMMITTER_EMAIL": "desk@localhost"}
    existing = [r for r in rels if (root / r).exists()]
    try:
        if existing:
            _git(root, "add", "--", *existing)
        gone = [r for r in rels if r not in existing]
        if gone:
            _git(root, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *gone)
        r = _git(
            root,
            "commit",
            "--quiet",
            "--no-verify",
            f"--author={author}",
            "-m",
            message,
            "--",
            *rels,
            env=env,
            check=False,
        )
        if r.returncode != 0 and "nothing" not in (r.stdout + r.stderr):
            raise DeskError.of("desk_history_failed", problem=(r.stderr or r.stdout).strip()[:300])
        return _git(root, "rev-parse", "HEAD").stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        raise DeskError.of("desk_history_failed", problem=str(exc)[:300]) from None


def _clean_name(name: str) -> str:
    return re.sub(r"[<>\n\r\x00]", "", name).strip() or "editor"


def _stamp(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def _history_dir(root: Path, rel: str) -> Path:
    desk_folder(root, "history")
    folder = desk_path(root, "history", *rel.split("/"))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return desk_path(root, "history", *rel.split("/"))


def _backup(root: Path, rels: list[str], user: Editor, message: str, before: dict[str, bytes | None]) -> str:
    now = dt.datetime.now(dt.UTC)
    stamp = _stamp(now)
    for rel in rels:
        folder = _history_dir(root, rel)
        if not any(folder.glob("*.json")) and before.get(rel) is not None:
            first = _stamp(now - dt.timedelta(microseconds=1))
            _write_revision(
                folder, first, before[rel], {"who": "", "when": now.isoformat(), "message": "before the desk"}
            )
        n, name = 1, stamp
        while (folder / f"{name}.json").exists():
            n += 1
            name = f"{stamp}-{n}"
        path = root / rel
        data = path.read_bytes() if path.is_file() else b""
        _write_revision(
            folder,
            name,
            data,
            {
                "who": user.display or user.name,
                "user": user.name,
                "when": now.isoformat(),
                "message": message,
                "deleted": not path.is_file(),
            },
        )
    return stamp


def _write_revision(folder: Path, name: str, data: bytes, meta: dict) -> None:
    atomic_write(folder / f"{name}.bak", data)
    atomic_write(folder / f"{name}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))


def article_history(root: Path, relpath: str, *, limit: int = 200) -> list[Revision]:
    """The revisions of `relpath`, newest first."""
    rel = check_relpath(relpath)
    project_path(root, rel, must_exist=False)
    if is_git(root):
        r = _git(root, "log", f"-n{limit}", "--format=%H%x1f%aI%x1f%an%x1f%s", "--", rel, check=False)
        out = []
        for line in r.stdout.splitlines():
            h, when, who, msg = (line.split("\x1f") + ["", "", ""])[:4]
            out.append(Revision(h, dt.datetime.fromisoformat(when).astimezone(dt.UTC), who, msg))
        return out
    folder = desk_path(root, "history", *rel.split("/"), create=False)
    if not folder.is_dir():
        return []
    revs = []
    for meta_file in sorted(folder.glob("*.json"), reverse=True)[:limit]:
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            when = dt.datetime.fromisoformat(meta["when"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        revs.append(Revision(meta_file.stem, when, str(meta.get("who", "")), str(meta.get("message", ""))))
    return revs


def revision_text(root: Path, relpath: str, id: str) -> str:
    """The text of `relpath` at revision `id` (from `article_history`)."""
    rel = check_relpath(relpath)
    project_path(root, rel, must_exist=False)
    if not isinstance(id, str) or not _REV_RE.fullmatch(id):
        raise DeskError.of("desk_bad_id", id=str(id)[:40])
    if is_git(root):
        top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.strip())
        inside = (root.resolve() / rel).relative_to(top.resolve()).as_posix()
        r = _git(root, "show", f"{id}:{inside}", check=False)
        if r.returncode != 0:
            raise DeskError.of("desk_no_revision", id=id, file=rel)
        return r.stdout
    path = desk_path(root, "history", *rel.split("/"), f"{id}.bak", create=False)
    if not path.is_file():
        raise DeskError.of("desk_no_revision", id=id, file=rel)
    return path.read_bytes().decode("utf-8", errors="replace")
