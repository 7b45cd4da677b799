"""The swap of output/ (bulletin/output.py): a spare tree per published tree, brought up to date with what
changed and exchanged for it in one step.

The promises tested here: a commit costs what changed, not what exists; a build killed after any single
file-system step (a raised exception standing for SIGKILL in-process, and real SIGKILLs in a child
process) leaves output/site and output/pdf as the old or the new tree — never a mix, and, where the
system exchanges folders, never missing for a reader who opens a page meanwhile; the next build recovers
to a state from which every later build is exact (the spare is never stale); the manifest always
describes the published files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import REPO
from test_output import assert_manifest_describes, published, snapshot

import bulletin.output as output_mod
from bulletin.output import COMMITTED, SPARES, Output

# Versions of a small output: changed, kept, added (in a new folder), deleted (with its folder) files in
# both trees. Each build below goes from one to the next.
V0 = {"site/index.html": b"index 0", "site/a/x.html": b"x 0", "site/a/y.html": b"y", "site/b/z.html": b"z",
      "site/keep.html": b"k", "site/pdf/1.pdf": b"p 0", "pdf/1.pdf": b"p 0"}
V1 = {**V0, "site/index.html": b"index 1", "site/a/x.html": b"x 1", "site/pdf/1.pdf": b"p 1",
      "pdf/1.pdf": b"p 1"}
V2 = {k: v for k, v in V1.items() if not k.startswith("site/b/")}
V2.update({"site/index.html": b"index 2", "site/c/w.html": b"w", "pdf/2.pdf": b"q", "site/pdf/2.pdf": b"q"})
V3 = {**V2, "site/index.html": b"index 3", "site/b/z.html": b"z again", "site/a/y.html": b"y 3"}
V4 = {**V0, "site/index.html": b"index 4"}

# the file-system calls that change something; a crash is injected before the n-th of them
MUTATIONS = ("replace", "rename", "link", "unlink", "rmdir", "mkdir")


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler sees it."""


def start(out: Path, files: dict[str, bytes]) -> Output:
    """A build staged up to its commit: every file of `files` put (unchanged ones are carried over)."""
    o = Output(out)
    o.begin()
    for rel, data in files.items():
        tree, _, name = rel.partition("/")
        o.tree(tree).put(name, data)
    return o


def build(out: Path, files: dict[str, bytes]) -> None:
    start(out, files).commit({"note": "x"})


def expected(files: dict[str, bytes]) -> dict[str, str]:
    return {rel: hashlib.sha1(data).hexdigest() for rel, data in sorted(files.items())}


def check_published(out: Path, files: dict[str, bytes]) -> None:
    assert published(snapshot(out)) == expected(files)
    assert_manifest_describes(out)
    no_empty_folders(out / "site")


def no_empty_folders(tree: Path) -> None:
    assert not [p for p in tree.rglob("*") if p.is_dir() and not any(p.iterdir())]


def tree_state(out: Path) -> dict[str, str]:
    return {k: v for k, v in published(snapshot(out)).items()}


class Injector:
    """Counts the mutating calls and crashes before the n-th (None: only counts)."""

    def __init__(self, monkeypatch, crash_at: int | None, action=None) -> None:
        self.n = 0
        self.crash_at = crash_at
        self.action = action or self._raise
        self.monkeypatch = monkeypatch
        self.seen_missing_index = False
        self.committed = False  # the journal was there at some step
        self.out: Path | None = None

    @staticmethod
    def _raise():
        raise Crash()

    def install(self, out: Path) -> None:
        self.out = out
        for name in MUTATIONS:
            self.monkeypatch.setattr(os, name, self._wrap(getattr(os, name)))
        self.monkeypatch.setattr(output_mod, "_exchange", self._wrap(output_mod._exchange))

    def _wrap(self, fn):
        def wrapped(*args, **kwargs):
            # a reader opening the home page between any two steps finds it
            if not os.path.exists(self.out / "site" / "index.html"):
                self.seen_missing_index = True
            if os.path.exists(self.out / ".bulletin" / "staging" / COMMITTED):
                self.committed = True
            if self.crash_at is not None and self.n == self.crash_at:
                self.action()
            self.n += 1
            return fn(*args, **kwargs)

        return wrapped


def prepare(kind: str, out: Path) -> tuple[dict, dict]:
    """Build up to the state before the commit under test: (files before, files after)."""
    if kind == "incremental":  # the spare exists and still differs from the tree (V0 → V1)
        build(out, V0)
        build(out, V1)
        return V1, V2
    if kind == "cold":  # nothing there yet
        return {}, V2
    if kind == "no spare record":  # an output of an earlier version: a tree and a manifest, no spare
        build(out, V0)
        build(out, V1)
        (out / ".bulletin" / SPARES).unlink()
        return V1, V2
    raise AssertionError(kind)


KINDS = ("incremental", "cold", "no spare record")


def count_steps(tmp_path: Path, kind: str, monkeypatch, exchange: bool) -> int:
    out = tmp_path / "count"
    prepare(kind, out)
    o = start(out, V2)
    with monkeypatch.context() as m:
        if not exchange:
            m.setattr(output_mod, "_exchange", lambda a, b: False)
        inj = Injector(m, None)
        inj.install(out)
        o.commit({"note": "x"})
    shutil.rmtree(out)
    return inj.n


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two renames"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_kill_after_any_step_leaves_old_or_new_and_recovers_exactly(tmp_path, monkeypatch, kind, exchange):
    steps = count_steps(tmp_path, kind, monkeypatch, exchange)
    assert steps > 3
    for crash_at in range(steps + 1):
        out = tmp_path / f"out{crash_at}"
        before, after = prepare(kind, out)
        o = start(out, V2)
        crashed = False
        with monkeypatch.context() as m:
            if not exchange:
                m.setattr(output_mod, "_exchange", lambda a, b: False)
            inj = Injector(m, crash_at)
            inj.install(out)
            try:
                o.commit({"note": "x"})
            except Crash:
                crashed = True
        assert crashed == (crash_at < steps)
        committed = inj.committed or (out / ".bulletin" / "staging" / COMMITTED).exists()
        state = tree_state(out)
        for tree in ("site/", "pdf/"):  # each published tree is whole: old or new
            mine = {k: v for k, v in state.items() if k.startswith(tree)}
            old = {k: v for k, v in expected(before).items() if k.startswith(tree)}
            new = {k: v for k, v in expected(after).items() if k.startswith(tree)}
            # renaming twice, the tree is missing between the renames (the next build puts it back)
            whole = (old, new) if exchange else (old, new, {})
            assert mine in whole, f"{kind}: a kill before step {crash_at} left {tree} mixed"
        if not committed and crashed:
            assert state == expected(before), f"{kind}: killed before the commit point, yet changed"
        if exchange and before:
            assert not inj.seen_missing_index, f"{kind}: output/site/index.html was missing at a step"
        # the next build recovers first; it and the builds after it publish exactly their files
        o = Output(out)
        o.recover()
        assert tree_state(out) in (expected(before), expected(after))
        if tree_state(out):  # (a cold build killed before its commit point leaves nothing to describe)
            assert_manifest_describes(out)
        assert not (out / ".bulletin" / "staging").exists()
        assert not any(p.name.startswith("old-") for p in (out / ".bulletin").iterdir())
        for files in (V3, V4, V2):
            build(out, files)
            check_published(out, files)
        shutil.rmtree(out)


KILLER = r"""
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
import bulletin.output as output_mod
from test_output_swap import MUTATIONS, V2, start
out, crash_at = Path(sys.argv[1]), int(sys.argv[2])
o = start(out, V2)
n = 0
def wrap(fn):
    def wrapped(*a, **k):
        global n
        if n == crash_at:
            os.kill(os.getpid(), signal.SIGKILL)
        n += 1
        return fn(*a, **k)
    return wrapped
for name in MUTATIONS:
    setattr(os, name, wrap(getattr(os, name)))
output_mod._exchange = wrap(output_mod._exchange)
o.commit({{"note": "x"}})
print(n)
"""


def test_a_real_sigkill_after_any_step_leaves_old_or_new(tmp_path):
    """The same in a child process killed with SIGKILL (no Python code runs after it)."""
    script = tmp_path / "killer.py"
    script.write_text(KILLER.format(tests=str(REPO / "tests")), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])}
    crash_at, outcomes = 0, []
    while True:
        out = tmp_path / f"out{crash_at}"
        build(out, V0)
        build(out, V1)
        p = subprocess.run([sys.executable, str(script), str(out), str(crash_at)], env=env,
                           capture_output=True, text=True, timeout=60)
        state = tree_state(out)
        assert state in (expected(V1), expected(V2)) or (
            {k: v for k, v in state.items() if k.startswith("site/")}
            in ({k: v for k, v in expected(V).items() if k.startswith("site/")} for V in (V1, V2))
        ), crash_at
        Output(out).recover()
        assert tree_state(out) in (expected(V1), expected(V2)), crash_at
        assert_manifest_describes(out)
        build(out, V3)
        check_published(out, V3)
        shutil.rmtree(out)
        if p.returncode == 0:
            break
        assert p.returncode == -signal.SIGKILL, p.stderr
        outcomes.append(crash_at)
        crash_at += 1
    assert len(outcomes) > 5  # every step was killed once, then the commit ran through


def test_an_unchanged_build_touches_only_what_it_must(tmp_path, monkeypatch):
    """On a tree of 2,000 files, a commit with nothing changed and one with one page changed each make a
    handful of file-system changes (the manifest, the journal, the exchange), not thousands."""
    out = tmp_path / "out"
    files = {f"site/{i % 40}/{i}.html": f"page {i}".encode() for i in range(2000)}
    files["pdf/1.pdf"] = b"p"
    build(out, files)
    build(out, files)
    counts = []
    for version in (files, {**files, "site/3/3.html": b"changed"}, files):
        o = start(out, version)
        with monkeypatch.context() as m:
            inj = Injector(m, None)
            inj.install(out)
            o.commit({"note": "x"})
        counts.append(inj.n)
        check_published(out, version)
    assert max(counts) < 30, counts


def test_a_reader_always_finds_a_whole_tree(tmp_path):
    """A reader opening index.html and the page it links to, over and over while builds swap: each read
    finds the file, and both files come from the same build (read through the same folder)."""
    out = tmp_path / "out"
    versions = [{"site/index.html": f"index {n}".encode(), "site/a/page.html": f"page {n}".encode(),
                 "pdf/x.pdf": b"x"} for n in range(2)]
    build(out, versions[0])
    build(out, versions[1])
    stop = threading.Event()
    problems: list[str] = []
    reads = [0]

    def reader():
        while not stop.is_set():
            try:
                fd = os.open(out / "site", os.O_RDONLY)  # a browser resolves the path at each request;
                try:  # holding the folder shows which tree was there
                    index = Path(f"/proc/self/fd/{fd}/index.html").read_bytes()
                    page = Path(f"/proc/self/fd/{fd}/a/page.html").read_bytes()
                finally:
                    os.close(fd)
            except FileNotFoundError as exc:
                problems.append(f"missing: {exc.filename}")
                continue
            if index.split()[-1] != page.split()[-1]:
                problems.append(f"mixed: {index!r} with {page!r}")
            reads[0] += 1

    t = threading.Thread(target=reader)
    t.start()
    try:
        for n in range(60):
            build(out, versions[n % 2])
    finally:
        stop.set()
        t.join()
    assert reads[0] > 0
    assert not problems, problems[:5]


def test_stray_files_and_links_do_not_come_back_through_the_spare(tmp_path):
    """A file dropped into output/site is gone after the next build (as before), and stays gone; a link
    or a file planted in a spare is removed, never published or followed."""
    out = tmp_path / "out"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"secret")
    build(out, V0)
    build(out, V1)
    (out / "site" / "stray.html").write_bytes(b"dropped here")
    spare = out / ".bulletin" / "spare-site"
    (spare / "a" / "planted.html").symlink_to(outside / "secret")
    (spare / "keep.html").unlink()
    (spare / "keep.html").symlink_to(outside / "secret")
    (spare / "b").rename(spare / "b-moved")
    (spare / "b").symlink_to(outside, target_is_directory=True)
    for files in (V1, V2, V3, V4, V1):
        build(out, files)
        check_published(out, files)
        assert not [p for p in out.rglob("*") if p.is_symlink()]
    assert (outside / "secret").read_bytes() == b"secret"
    assert [p.name for p in outside.iterdir()] == ["secret"]


def test_a_spare_record_naming_other_folders_or_paths_outside_is_not_used(tmp_path):
    out = tmp_path / "out"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep").write_bytes(b"keep")
    build(out, V0)
    build(out, V1)
    record = json.loads((out / ".bulletin" / SPARES).read_text(encoding="utf-8"))
    record["site"]["differs"].append("../../../outside/keep")
    (out / ".bulletin" / SPARES).write_text(json.dumps(record), encoding="utf-8")
    build(out, V2)
    check_published(out, V2)
    assert (outside / "keep").read_bytes() == b"keep"
    record = json.loads((out / ".bulletin" / SPARES).read_text(encoding="utf-8"))
    record["site"]["spare"] = record["site"]["active"]
    (out / ".bulletin" / SPARES).write_text(json.dumps(record), encoding="utf-8")
    build(out, V3)
    check_published(out, V3)
    build(out, V4)
    check_published(out, V4)


def test_a_copied_output_folder_builds_exactly(tmp_path):
    """cp -r of output/ (hard links become copies, folders new inodes): the record no longer names the
    folders, the build completes its tree from the published one and the builds after it are exact."""
    out = tmp_path / "out"
    build(out, V0)
    build(out, V1)
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    for files in (V2, V3, V4):
        build(copy, files)
        check_published(copy, files)
