"""Build jobs started from the desk: a proof (校样), the final PDF, the site, each run as a subprocess of
the project's own command line (`python -m bulletin --root ROOT …`), one at a time per project.

Each job has a folder `.desk/jobs/<id>/`: `job.json` (what, who, when), `log.txt` (the command's output,
line by line as it comes) and `result.json` (exit status, end time) written when it ends. The job runs
under a small runner (`python -m bulletin.desk.jobs JOBDIR`) started in its own session, so it finishes
(and records its end) even if the web server restarts meanwhile. The runner holds an flock on
`.desk/jobs/lock` for the job's whole life: while it is held, no other job starts.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import bulletin
from bulletin import messages
from bulletin.desk.approval import read_approval
from bulletin.desk.errors import DeskError, Editor, NotAllowed
from bulletin.desk.files import atomic_write, check_id, desk_folder, desk_path, issue_folder

KINDS = ("proof", "final", "site")
MAX_LINES = 2000  # lines of the log returned (the last ones)


@dataclass(frozen=True)
class JobStatus:
    id: str
    kind: str
    issue_key: str
    state: str  # "running" | "done" | "failed"
    lines: list[str]
    outputs: list[
        str
    ]  # relpaths of what it made (output/proof/….pdf, output/pdf/KEY.pdf, output/site/index.html)
    started: dt.datetime
    finished: dt.datetime | None
    who: str


def _command(kind: str, issue_key: str) -> list[str]:
    if kind == "proof":
        return ["proof", issue_key]
    if kind == "final":
        return ["build", issue_key]
    return ["build", "--no-pdf"]


def _jobs_dir(root: Path) -> Path:
    return desk_folder(root, "jobs")


def start_job(root: Path, kind: str, issue_key: str, *, user: Editor) -> str:
    """Start a build job: `proof` (校样 of the issue), `final` (the issue's PDF: the chief editor only, and
    only for an issue approved and unchanged since, else NotAllowed) or `site`. DeskError while another
    job of the project runs. Returns the job id."""
    if kind not in KINDS:
        raise DeskError.of("desk_bad_job_kind", kind=str(kind)[:20])
    folder = issue_folder(root, issue_key)
    if kind == "final":
        if not user.is_chief:
            raise NotAllowed.of("desk_not_chief")
        approval = read_approval(folder)
        if approval is None or approval.stale:
            raise NotAllowed.of("desk_final_not_approved", key=issue_key)
    jobs = _jobs_dir(root)
    lock = desk_path(root, "jobs", "lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        if not _take_lock(root, fd):
            raise DeskError.of("desk_job_busy")
        now = dt.datetime.now(dt.UTC)
        job_id = now.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(4)
        job = jobs / job_id
        job.mkdir(mode=0o700)
        meta = {
            "id": job_id,
            "kind": kind,
            "issue_key": issue_key,
            "who": user.display or user.name,
            "user": user.name,
            "started": now.isoformat(),
            "argv": _command(kind, issue_key),
            "root": str(root.resolve()),
        }
        env = messages.child_environment(dict(os.environ))
        atomic_write(job / "job.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        env["PYTHONPATH"] = os.pathsep.join(
            [str(Path(bulletin.__file__).resolve().parent.parent), *filter(None, [env.get("PYTHONPATH", "")])]
        )
        # the runner inherits the locked file: the lock is held until it (and the build) ends
        subprocess.Popen(
            [sys.executable, "-m", "bulletin.desk.jobs", str(job), str(fd)],
            cwd=str(root),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            pass_fds=(fd,),
        )
    finally:
        os.close(fd)
    return job_id


def _take_lock(root: Path, fd: int) -> bool:
    """Take the job lock; when the job holding it has recorded its end already (its runner is just
    exiting), wait a moment for it."""
    deadline = time.monotonic() + 2.0
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        base = desk_path(root, "jobs", create=False)
        ended = all((d / "result.json").exists() for d in base.iterdir() if d.is_dir())
        if not ended or time.monotonic() > deadline:
            return False
        time.sleep(0.02)


def job_status(root: Path, job_id: str) -> JobStatus:
    """Where job `job_id` is: running, done or failed; its output so far; what it made."""
    job = desk_path(root, "jobs", check_id(job_id), create=False)
    try:
        meta = json.loads((job / "job.json").read_text(encoding="utf-8"))
        started = dt.datetime.fromisoformat(meta["started"])
    except (OSError, ValueError, KeyError, TypeError):
        raise DeskError.of("desk_no_job", id=job_id) from None
    try:
        result = json.loads((job / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        result = None
    log = job / "log.txt"
    try:
        lines = log.read_bytes().decode("utf-8", errors="replace").splitlines()[-MAX_LINES:]
    except OSError:
        lines = []
    finished = None
    if result is not None:
        state = "done" if result.get("returncode") == 0 else "failed"
        try:
            finished = dt.datetime.fromisoformat(result["finished"])
        except (KeyError, ValueError, TypeError):
            finished = None
    elif _runner_gone(root):
        state, finished = "failed", None  # the runner died without recording the end (machine restarted)
    else:
        state = "running"
    outputs = (
        _outputs(root, meta.get("kind", ""), meta.get("issue_key", ""), started) if state == "done" else []
    )
    return JobStatus(
        job_id,
        meta.get("kind", ""),
        meta.get("issue_key", ""),
        state,
        lines,
        outputs,
        started,
        finished,
        str(meta.get("who", "")),
    )


def _runner_gone(root: Path) -> bool:
    """True when no job holds the project's job lock."""
    lock = desk_path(root, "jobs", "lock", create=False)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def _outputs(root: Path, kind: str, issue_key: str, started: dt.datetime) -> list[str]:
    out = root / "output"
    since = started.timestamp() - 1
    if kind == "proof":
        folder = out / "proof"
        found = (
            [p for p in folder.rglob("*.pdf") if p.is_file() and p.stat().st_mtime >= since]
            if folder.is_dir()
            else []
        )
    elif kind == "final":
        found = [p for p in [out / "pdf" / f"{issue_key}.pdf"] if p.is_file()]
    else:
        found = [p for p in [out / "site" / "index.html"] if p.is_file()]
    return sorted(p.relative_to(root).as_posix() for p in found if not p.is_symlink())


def list_jobs(root: Path, limit: int = 20) -> list[JobStatus]:
    """The latest jobs, newest first."""
    base = desk_path(root, "jobs", create=False)
    if not base.is_dir():
        return []
    out = []
    for d in sorted((p for p in base.iterdir() if p.is_dir()), reverse=True)[:limit]:
        try:
            out.append(job_status(root, d.name))
        except DeskError:
            continue
    return out


def _run(job: Path) -> int:
    """The runner: the job's command, its output into log.txt, its end into result.json."""
    meta = json.loads((job / "job.json").read_text(encoding="utf-8"))
    argv = [sys.executable, "-m", "bulletin", "--root", meta["root"], *meta["argv"]]
    with open(job / "log.txt", "ab", buffering=0) as log:
        try:
            proc = subprocess.Popen(
                argv, cwd=meta["root"], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
            rc = proc.wait()
        except OSError as exc:
            log.write(f"{exc}\n".encode())
            rc = 1
    result = {"returncode": rc, "finished": dt.datetime.now(dt.UTC).isoformat()}
    atomic_write(job / "result.json", json.dumps(result).encode("utf-8"))
    return rc


if __name__ == "__main__":
    code = _run(Path(sys.argv[1]))
    if len(sys.argv) > 2:  # the job lock, inherited: free for the next job as soon as the end is recorded
        fcntl.flock(int(sys.argv[2]), fcntl.LOCK_UN)
    sys.exit(code)
