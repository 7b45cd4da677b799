"""output/: staging and the journalled swap, hard links, the lock, kills midway, the cache.

The promise tested here: output/ is only ever the previous complete build or the new complete build —
after a failure, Ctrl-C or SIGKILL at any moment — and deleting the cache only costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
import pty
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_cli

from bulletin.output import COMMITTED, Output, OutputLock, OutputLocked

# --- helpers ----------------------------------------------------------------------------------

PARAGRAPH = (
    "全市各级人大代表围绕经济社会发展大局，深入基层开展调研视察，广泛听取群众意见，"
    "提出了一批有分量、有见地的意见建议，有力推动了民生实事项目落地见效。"
)


def make_large_project(dest: Path, issues: int = 4, articles: int = 6) -> Path:
    """The minimal fixture's settings with `issues` generated issues of `articles` long articles each."""
    dest.mkdir(parents=True)
    shutil.copy(FIXTURES / "minimal" / "bulletin.yaml", dest / "bulletin.yaml")
    image = FIXTURES / "minimal" / "content" / "2026" / "01" / "images" / "huiyi.png"
    for n in range(1, issues + 1):
        folder = dest / "content" / "2026" / f"{n:02d}"
        (folder / "images").mkdir(parents=True)
        shutil.copy(image, folder / "images" / "huiyi.png")
        day = "05" if n % 2 else "20"
        (folder / "issue.yaml").write_text(
            f"number: {n}\ntotal: {100 + n}\ndate: 2026-{(n + 1) // 2:02d}-{day}\n", encoding="utf-8"
        )
        for a in range(1, articles + 1):
            section = ("feature", "news", "poetry")[a % 3]
            body = "\n\n".join(f"## 第{k}部分\n\n" + PARAGRAPH * 6 for k in range(1, 5))
            (folder / f"wen-{a}.md").write_text(
                f"---\ntitle: 第{n}期第{a}篇文章\nsection: {section}\n---\n\n{body}\n\n"
                f"![会议现场](images/huiyi.png)\n",
                encoding="utf-8",
            )
    return dest


def snapshot(out: Path) -> dict[str, str]:
    """What a reader or the print shop sees — every file of output/site and output/pdf with its hash — and
    the manifest that describes them. Caches beside the manifest (output/.bulletin/*) are not output: any
    run may refresh them, and test_deleting_the_cache… and test_a_damaged_cache… check they never matter."""
    files = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out).as_posix()
        if p.is_file() and (not rel.startswith(".bulletin/") or rel == ".bulletin/manifest.json"):
            files[rel] = hashlib.sha1(p.read_bytes()).hexdigest()
    return files


def published(snap: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in snap.items() if not k.startswith(".bulletin/")}


def assert_manifest_describes(out: Path) -> None:
    """The manifest lists exactly the published files, with their true hash, size and mtime."""
    manifest = json.loads((out / ".bulletin" / "manifest.json").read_text(encoding="utf-8"))
    listed = {
        f"{tree}/{rel}": entry for tree, files in manifest["files"].items() for rel, entry in files.items()
    }
    assert set(listed) == set(published(snapshot(out)))
    for rel, (h, size, mtime) in listed.items():
        st = (out / rel).stat()
        assert hashlib.sha1((out / rel).read_bytes()).hexdigest() == h and [st.st_size, st.st_mtime_ns] == [
            size,
            mtime,
        ]


def cli(*args: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), *args]


def env() -> dict:
    return {**os.environ, "BULLETIN_LANG": "zh"}


# --- TreeWriter and the swap (in-process) -----------------------------------------------------


def _build_tree(out: Path, files: dict[str, bytes]) -> None:
    o = Output(out)
    o.begin()
    for rel, data in files.items():
        tree, _, name = rel.partition("/")
        o.tree(tree).put(name, data)
    o.commit({"note": "x"})


def test_unchanged_files_are_carried_over_and_never_written_through(tmp_path):
    out = tmp_path / "output"
    _build_tree(out, {"site/a.html": b"one", "site/b.html": b"two"})
    _build_tree(out, {"site/a.html": b"one", "site/b.html": b"two"})  # the spare is in use from now on
    a_inode = (out / "site" / "a.html").stat().st_ino
    o = Output(out)
    o.begin()
    site = o.tree("site")
    site.put("a.html", b"one")  # unchanged: carried over, nothing staged
    assert not (site.staging / "a.html").exists() and site.path_of("a.html") == out / "site" / "a.html"
    site.put("a.html", b"CHANGED")  # the same path again, new content: staged, the published file stays
    assert (out / "site" / "a.html").read_bytes() == b"one"
    assert site.path_of("a.html").read_bytes() == b"CHANGED"
    site.put("a.html", b"one")  # and back: the staged file goes
    assert not (site.staging / "a.html").exists()
    site.put("b.html", b"TWO")
    o.abort()
    assert (out / "site" / "a.html").read_bytes() == b"one"
    assert (out / "site" / "b.html").read_bytes() == b"two"
    assert not (out / ".bulletin" / "staging").exists()
    _build_tree(out, {"site/a.html": b"one", "site/b.html": b"TWO"})
    assert (out / "site" / "a.html").stat().st_ino == a_inode  # not rewritten: the same file
    assert (out / "site" / "b.html").read_bytes() == b"TWO"


def test_writer_refuses_paths_outside_its_tree(tmp_path):
    o = Output(tmp_path / "output")
    o.begin()
    with pytest.raises(ValueError):
        o.tree("site").put("../../escape.html", b"x")
    o.abort()
    assert not (tmp_path / "escape.html").exists()


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler sees it."""


@pytest.mark.parametrize("crash_at", range(8))
def test_a_crash_at_any_step_of_the_swap_recovers_to_old_or_new(tmp_path, monkeypatch, crash_at):
    out = tmp_path / "output"
    old_files = {"site/index.html": b"old index", "site/x.html": b"old x", "pdf/2026-01.pdf": b"old pdf"}
    new_files = {"site/index.html": b"new index", "site/y.html": b"new y", "pdf/2026-01.pdf": b"new pdf"}
    _build_tree(out, old_files)
    before = snapshot(out)
    ref = tmp_path / "ref"
    _build_tree(ref, old_files)
    _build_tree(ref, new_files)
    after = snapshot(ref)

    real_replace = os.replace
    calls = {"n": 0}

    def crashing_replace(src, dst):
        if calls["n"] == crash_at:
            raise Crash()
        calls["n"] += 1
        return real_replace(src, dst)

    o = Output(out)
    o.begin()
    for rel, data in new_files.items():
        tree, _, name = rel.partition("/")
        o.tree(tree).put(name, data)
    monkeypatch.setattr(os, "replace", crashing_replace)
    crashed = False
    try:
        o.commit({"note": "x"})
    except Crash:
        crashed = True
    monkeypatch.setattr(os, "replace", real_replace)
    marker = out / ".bulletin" / "staging" / COMMITTED
    if crashed and not marker.exists():
        assert published(snapshot(out)) == published(before)  # crashed before the commit point
    Output(out).recover()  # what the next build does first
    state = published(snapshot(out))
    assert state in (published(before), published(after)), f"crash at replace #{crash_at} left a mix"
    assert_manifest_describes(out)
    assert not (out / ".bulletin" / "staging").exists()
    assert not any(p.name.startswith("old-") for p in (out / ".bulletin").iterdir())


# --- the lock -------------------------------------------------------------------------------


def test_second_lock_is_refused_with_the_holders_pid(tmp_path):
    with OutputLock(tmp_path / "out"):
        with pytest.raises(OutputLocked) as info:
            with OutputLock(tmp_path / "out"):
                pass
        assert info.value.pid == str(os.getpid())


def test_waiting_lock_gets_it_when_released(tmp_path):
    got = threading.Event()
    waited: list[str] = []
    lock = OutputLock(tmp_path / "out")
    lock.__enter__()

    def second():
        with OutputLock(tmp_path / "out", wait=True, on_wait=waited.append):
            got.set()

    t = threading.Thread(target=second)
    t.start()
    time.sleep(0.3)
    assert not got.is_set()
    lock.__exit__(None, None, None)
    t.join(5)
    assert got.is_set() and waited == [str(os.getpid())]


def test_forked_workers_do_not_keep_a_killed_builds_lock(tmp_path):
    """A PDF worker forked while the lock is held must not hold it after its parent is SIGKILLed."""
    out = tmp_path / "out"
    script = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from bulletin.output import OutputLock\n"
        f"lock = OutputLock(Path({str(out)!r})); lock.__enter__()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    time.sleep(30); os._exit(0)\n"
        "print(child, flush=True); time.sleep(30)\n"
    )
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO)
    child = int(p.stdout.readline())
    with pytest.raises(OutputLocked):
        with OutputLock(out):
            pass
    p.send_signal(signal.SIGKILL)
    p.wait()
    deadline = time.time() + 5
    while True:  # the orphaned child sleeps on, but the lock is free
        try:
            with OutputLock(out):
                break
        except OutputLocked:
            assert time.time() < deadline, "the forked child kept the lock"
            time.sleep(0.1)
    os.kill(child, signal.SIGKILL)


# --- whole builds, killed and concurrent ------------------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A built project of 4 issues × 6 long articles with pictures (copied by each test)."""
    root = make_large_project(tmp_path_factory.mktemp("large") / "proj")
    r = run_cli("--root", str(root), "build", "--all")
    assert r.returncode == 0, r.stderr
    return root


def _edit_every_issue(root: Path) -> None:
    for p in (root / "content").glob("2026/*/wen-1.md"):
        p.write_text(p.read_text(encoding="utf-8").replace("第1篇文章", "第1篇（修改稿）"), encoding="utf-8")


def test_killed_builds_leave_output_as_before(large, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(large, root)
    before = snapshot(root / "output")
    _edit_every_issue(root)
    # the complete new build, for the (rare) case a kill lands after the commit point
    ref = tmp_path / "ref"
    shutil.copytree(root, ref)
    t0 = time.perf_counter()
    r = run_cli("--root", str(ref), "build", "--all")
    full = time.perf_counter() - t0
    assert r.returncode == 0, r.stderr
    after = published(snapshot(ref / "output"))

    rng = random.Random(20260405)
    outcomes = []
    with_workers = 0  # kills that landed while PDF worker processes were running
    # two kills timed to land while worker processes run (a random delay misses them on a loaded
    # machine, where the workers' share of the build is small), then random moments
    rounds = [(signal.SIGKILL, None), (signal.SIGINT, None)]
    rounds += [(sig, rng.uniform(0.6, full * 0.9)) for sig in (signal.SIGKILL, signal.SIGKILL, signal.SIGINT,
                                                              signal.SIGKILL, signal.SIGINT, signal.SIGKILL)]
    for sig, delay in rounds:
        p = subprocess.Popen(
            cli("--root", str(root), "build", "--all"),
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if delay is None:
            workers = _wait_for_children(p)
            delay = 0.0
        else:
            time.sleep(delay)
            workers = _children(p.pid)
        with_workers += bool(workers)
        p.send_signal(sig)
        _out, err = p.communicate(timeout=120)  # would hang if orphaned PDF workers kept the pipes open
        wait_for_exit = time.time() + 5
        while any(_alive(w) for w in workers):
            assert time.time() < wait_for_exit, "PDF workers outlived their build"
            time.sleep(0.05)
        assert "Traceback" not in err
        state = snapshot(root / "output")
        committed = (root / "output" / ".bulletin" / "staging" / COMMITTED).exists()
        if p.returncode == 0:  # finished before the signal arrived
            outcomes.append("finished")
            assert published(state) == after
            break
        if sig == signal.SIGINT:
            assert p.returncode == 130, err
            assert "构建被中断" in err
        if committed:
            outcomes.append("killed in the swap")
        else:
            outcomes.append(f"killed after {delay:.1f}s")
            assert state == before, f"{sig!r} after {delay:.2f}s changed output/"
    # the next build recovers whatever was left and produces exactly the new output
    r = run_cli("--root", str(root), "build", "--all")
    assert r.returncode == 0, r.stderr
    assert published(snapshot(root / "output")) == after
    assert not (root / "output" / ".bulletin" / "staging").exists()
    assert with_workers, "no kill landed during PDF rendering: the fixture is too small to test that"
    print(outcomes)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wait_for_children(p: subprocess.Popen, timeout: float = 60.0) -> list[int]:
    """Poll until the build has forked worker processes (or has ended); their pids."""
    deadline = time.time() + timeout
    while p.poll() is None and time.time() < deadline:
        kids = _children(p.pid)
        if kids:
            return kids
        time.sleep(0.005)
    return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has exited; only its parent has not collected it


def test_a_second_build_stops_or_waits(large, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(large, root)
    _edit_every_issue(root)
    first = subprocess.Popen(
        cli("--root", str(root), "build", "--all"),
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = root / "output" / ".bulletin" / "lock"
    deadline = time.time() + 30
    while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        assert time.time() < deadline
        time.sleep(0.05)
    second = run_cli("--root", str(root), "build", "--all")
    assert second.returncode == 1
    assert f"另一个构建正在进行（进程 {first.pid}）" in second.stderr
    assert "--wait" in second.stderr and "Traceback" not in second.stderr
    third = run_cli("--root", str(root), "build", "--all", "--wait")
    assert first.wait(60) == 0
    assert third.returncode == 0, third.stderr
    assert "未变化" in third.stderr  # it waited, then found the first build's PDFs up to date


# --- incremental builds and the cache ---------------------------------------------------------


def _result(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def test_unchanged_second_build_renders_nothing(large, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(large, root)
    before = snapshot(root / "output")
    inodes = {p: p.stat().st_ino for tree in ("pdf", "site") for p in (root / "output" / tree).rglob("*.pdf")}
    r = run_cli("--root", str(root), "build", "--all")
    assert r.returncode == 0, r.stderr
    assert "PDF output/pdf" not in r.stderr  # nothing rendered
    assert "未变化 2026-01、2026-02、2026-03、2026-04" in r.stderr
    assert "更新 0 个文件" in r.stderr
    assert published(snapshot(root / "output")) == published(before)
    assert all(p.stat().st_ino == ino for p, ino in inodes.items())  # not even rewritten

    # one article edited: only its issue's PDF is rendered again
    p = root / "content" / "2026" / "03" / "wen-2.md"
    p.write_text(
        p.read_text(encoding="utf-8").replace("第3期第2篇文章", "第3期第2篇（改）"), encoding="utf-8"
    )
    r = run_cli("--root", str(root), "build", "--all")
    assert "PDF output/pdf/2026-03.pdf；" in r.stderr and "未变化 2026-01、2026-02、2026-04" in r.stderr

    # --force renders every PDF again; identical bytes, so the site is not rewritten
    r = run_cli("--root", str(root), "build", "--all", "--force")
    assert (
        "PDF output/pdf/2026-01.pdf、output/pdf/2026-02.pdf、output/pdf/2026-03.pdf、output/pdf/2026-04.pdf"
        in r.stderr
    )


def test_deleting_the_cache_never_changes_the_output(large, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(large, root)
    before = published(snapshot(root / "output"))
    caches = [root / "output" / ".bulletin", root / ".cache", root / "output" / ".cache"]
    for c in caches:
        shutil.rmtree(c, ignore_errors=True)
    # a single-issue build must neither drop nor change the other issues' PDFs
    r = run_cli("--root", str(root), "build", "2026-02")
    assert r.returncode == 0, r.stderr
    assert published(snapshot(root / "output")) == before
    for c in caches:
        shutil.rmtree(c, ignore_errors=True)
    r = run_cli("--root", str(root), "build", "--no-pdf")
    assert r.returncode == 0, r.stderr
    assert published(snapshot(root / "output")) == before
    # and the rebuilt cache works: nothing to do now
    r = run_cli("--root", str(root), "build", "--all")
    assert "未变化 2026-01、2026-02、2026-03、2026-04" in r.stderr and "更新 0 个文件" in r.stderr
    assert json.loads((root / "output" / ".bulletin" / "manifest.json").read_text())["pdf"].keys() == {
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
    }


def test_a_damaged_cache_never_changes_the_output(large, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(large, root)
    before = published(snapshot(root / "output"))
    state = [p for p in (root / "output" / ".bulletin").rglob("*") if p.is_file() and p.name != "lock"]
    assert state  # at least the manifest (and whatever caches exist)
    for p in state:
        p.write_bytes(b"\x80garbage" + p.read_bytes()[: len(p.read_bytes()) // 2])
    r = run_cli("--root", str(root), "build", "--all")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert published(snapshot(root / "output")) == before
    assert_manifest_describes(root / "output")


def test_failed_build_after_success_keeps_output(large, tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(large, root)
    before = snapshot(root / "output")
    (root / "content" / "2026" / "02" / "wen-3.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    r = run_cli("--root", str(root), "build", "--all")
    assert r.returncode == 1 and "content/2026/02/wen-3.md:2" in r.stderr
    assert snapshot(root / "output") == before


# --- progress -----------------------------------------------------------------------------------


def test_progress_on_a_terminal_only(project):
    r = run_cli("--root", str(project), "build", "--all")
    assert r.returncode == 0 and "\r" not in r.stderr and "…" not in r.stderr
    leader, follower = pty.openpty()
    p = subprocess.Popen(
        cli("--root", str(project), "build", "--all", "--force"),
        env=env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(60)
    os.close(leader)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert p.returncode == 0
    assert "\r\x1b[K… pdf 2025-24" in text or "\r\x1b[K… pdf 2026-01" in text
    assert "\r\x1b[K… site" in text
