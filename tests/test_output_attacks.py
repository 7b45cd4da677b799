"""A hostile writer of output/.bulletin/ (the manifest, the journal, the lock, the state folders): links
and crafted records placed there must never make a build read, write, link or delete anything outside
the output folder, nor fail with an internal error. Each test plants one thing, builds, and checks the
file outside is untouched and the site is what a cold build makes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_statefile import discarded, site_files

from bulletin import buildstate as bs
from bulletin.build import BuildOptions, build
from bulletin.output import OutputLock, OutputLocked

SECRET = b"root:x:0:0:secret outside the project\n"


@pytest.fixture(scope="module")
def cold(tmp_path_factory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("cold") / "proj"
    shutil.copytree(FIXTURES / "site_basic", root)
    build(BuildOptions(root=root, pdf=False))
    return site_files(root)


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "site_basic", root)
    build(BuildOptions(root=root, pdf=False))
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project with a file and a folder an attacker would like the build to touch."""
    d = tmp_path / "outside"
    (d / "site" / "keep").mkdir(parents=True)
    (d / "secret").write_bytes(SECRET)
    (d / "site" / "keep" / "file.txt").write_bytes(SECRET)
    (d / "COMMITTED").write_bytes(b"1")
    return d


def tree_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(folder.rglob("*"))}


def rebuild(root: Path):
    return build(BuildOptions(root=root, pdf=False))


def state(root: Path) -> Path:
    return root / "output" / ".bulletin"


def manifest(root: Path) -> dict:
    return json.loads((state(root) / "manifest.json").read_text(encoding="utf-8"))


def write_manifest(root: Path, data: dict) -> None:
    (state(root) / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def no_link_to(folder: Path, target: Path) -> bool:
    """No file under `folder` is `target` (by inode) or a symbolic link."""
    ino = target.stat().st_ino
    return all(not p.is_symlink() and os.lstat(p).st_ino != ino for p in folder.rglob("*"))


def check(root: Path, outside: Path, before: dict, cold: dict) -> None:
    assert tree_of(outside) == before
    assert site_files(root) == cold
    for p in [root / "output" / "site", state(root), *state(root).iterdir()]:
        assert not p.is_symlink(), p
    assert no_link_to(root / "output", outside / "secret")


def test_lock_file_linked_outside_is_not_truncated(proj, outside, cold):
    lock = state(proj) / "lock"
    lock.unlink()
    lock.symlink_to(outside / "secret")
    before = tree_of(outside)
    rebuild(proj)
    check(proj, outside, before, cold)


def test_state_folder_linked_outside_gets_nothing_written(proj, outside, cold):
    shutil.rmtree(state(proj))
    state(proj).symlink_to(outside, target_is_directory=True)
    before = tree_of(outside)
    rebuild(proj)
    check(proj, outside, before, cold)


def test_staging_linked_outside_is_not_swapped_in_nor_deleted(proj, outside, cold):
    """A journal pointing elsewhere: staging -> outside/ holding COMMITTED and a site/ folder."""
    state(proj).joinpath("staging").symlink_to(outside, target_is_directory=True)
    before = tree_of(outside)
    rebuild(proj)
    check(proj, outside, before, cold)


def test_staged_tree_linked_outside_is_not_swapped_in(proj, outside, cold):
    staging = state(proj) / "staging"
    staging.mkdir()
    (staging / "COMMITTED").write_bytes(b"1")
    (staging / "site").symlink_to(outside / "site", target_is_directory=True)
    before = tree_of(outside)
    rebuild(proj)
    check(proj, outside, before, cold)


def test_old_tree_linked_outside_is_not_moved_in_nor_deleted(proj, outside, cold):
    site = proj / "output" / "site"
    shutil.rmtree(site)  # as if a swap had stopped between its renames
    (state(proj) / "old-site").symlink_to(outside / "site", target_is_directory=True)
    before = tree_of(outside)
    rebuild(proj)
    check(proj, outside, before, cold)


def test_published_tree_linked_outside_is_neither_read_nor_emptied(proj, outside, cold):
    site = proj / "output" / "site"
    shutil.rmtree(site)
    shutil.copytree(FIXTURES / "site_basic", outside / "site" / "copy")  # something to lose
    site.symlink_to(outside / "site", target_is_directory=True)
    before = tree_of(outside)
    rebuild(proj)
    check(proj, outside, before, cold)


def _forge_entry(root: Path, rel: str, target: Path) -> None:
    """The manifest says output/site/<rel> is the page the build is about to write (same hash), with
    the size and mtime of `target`, which the page has been replaced by a link to."""
    m = manifest(root)
    page = root / "output" / "site" / rel
    h = hashlib.sha1(page.read_bytes()).hexdigest()
    st = target.stat()
    m["files"]["site"][rel] = [h, st.st_size, st.st_mtime_ns]
    m["site"]["keys"][rel][1] = h
    write_manifest(root, m)
    page.unlink()
    page.symlink_to(target)


def test_a_forged_manifest_entry_does_not_link_a_file_from_outside(proj, outside, cold):
    _forge_entry(proj, "index.html", outside / "secret")
    before = tree_of(outside)
    rebuild(proj)
    check(proj, outside, before, cold)


def test_a_folder_of_the_site_linked_outside_is_not_read(proj, outside, cold):
    """output/site/2026 -> outside/2026 holding a file named like a page, the manifest forged to match."""
    site = proj / "output" / "site"
    fake = outside / "2026"
    shutil.copytree(site / "2026", fake)
    (fake / "01" / "kaiju.html").write_bytes(SECRET)
    m = manifest(proj)
    st = (fake / "01" / "kaiju.html").stat()
    m["files"]["site"]["2026/01/kaiju.html"][1:] = [st.st_size, st.st_mtime_ns]
    write_manifest(proj, m)
    shutil.rmtree(site / "2026")
    (site / "2026").symlink_to(fake, target_is_directory=True)
    before = tree_of(outside)
    rebuild(proj)
    check(proj, outside, before, cold)


def test_manifest_linked_outside_is_not_read(proj, outside, cold):
    (outside / "manifest.json").write_text(json.dumps(manifest(proj)), encoding="utf-8")
    (state(proj) / "manifest.json").unlink()
    (state(proj) / "manifest.json").symlink_to(outside / "manifest.json")
    before = tree_of(outside)
    result = rebuild(proj)
    check(proj, outside, before, cold)
    assert "output/.bulletin/manifest.json" in discarded(result)


def test_load_cache_linked_outside_is_not_read(proj, outside, cold):
    cache = state(proj) / "load-cache.state"
    shutil.copy(cache, outside / "secret")
    cache.unlink()
    cache.symlink_to(outside / "secret")
    before = tree_of(outside)
    result = rebuild(proj)
    check(proj, outside, before, cold)
    assert "output/.bulletin/load-cache.state" in discarded(result)


def test_search_cache_folder_linked_outside_is_not_used(proj, outside, cold):
    search = state(proj) / "search"
    for p in search.iterdir():
        shutil.copy(p, outside / p.name)
    shutil.rmtree(search)
    search.symlink_to(outside, target_is_directory=True)
    before = tree_of(outside)
    rebuild(proj)
    check(proj, outside, before, cold)


@pytest.mark.parametrize("spoil", [
    lambda m: m.update(files=[]),
    lambda m: m["files"].update(site=[1, 2]),
    lambda m: m["files"]["site"].update({"index.html": [1, 2]}),
    lambda m: m["files"]["site"].update({"index.html": ["x", "y", "z"]}),
    lambda m: m.update(pdf=[]),
    lambda m: m.update(pdf={"2026-01": "x"}),
    lambda m: m.update(site=[]),
    lambda m: m["site"].update(keys=[]),
    lambda m: m["site"]["keys"].update({"index.html": []}),
    lambda m: m["site"]["keys"].update({"index.html": [1]}),
    lambda m: m["site"].update(memo=[]),
    lambda m: m["site"]["memo"].update(pinyin=[]),
    lambda m: m["site"]["memo"].update(pinyin={"王明": 3}),
    lambda m: m["site"]["memo"].update(pinyin={n: "../../../escape" for n in m["site"]["memo"]["pinyin"]}),
    lambda m: m["site"]["memo"].update(pinyin={n: "Wang Ming" for n in m["site"]["memo"]["pinyin"]}),
], ids=lambda f: f.__code__.co_firstlineno)
def test_a_crafted_manifest_is_discarded_with_a_notice(proj, cold, spoil):
    m = manifest(proj)
    spoil(m)
    write_manifest(proj, m)
    result = rebuild(proj)
    assert "output/.bulletin/manifest.json" in discarded(result)
    assert site_files(proj) == cold
    assert not discarded(rebuild(proj))


def test_what_the_lock_says_is_printed_as_digits_only(tmp_path):
    with OutputLock(tmp_path / "out"):
        (tmp_path / "out" / ".bulletin" / "lock").write_bytes(b"\x1b]0;owned\x07\x1b[2J12")
        with pytest.raises(OutputLocked) as info:
            with OutputLock(tmp_path / "out"):
                pass
        assert info.value.pid.isdigit()  # "0212": the digits, none of the escape sequences


def test_a_huge_or_deeply_nested_state_file_is_refused_cheaply(tmp_path):
    store = bs.Store(tmp_path / "s", "store", 1, "salt")
    with open(store.path("big"), "wb") as f:
        f.truncate(bs.MAX_BYTES + 1)  # sparse: no disk used, and never read into memory
    deep = b"[" * 200_000 + b"]" * 200_000
    store.path("deep").write_bytes(bs.MAGIC + len(deep).to_bytes(4, "little") + deep)
    table = bs.Table("t", {"s": bs.STR})
    assert store.read("big", [table]) is None and store.read("deep", [table]) is None
    assert [p.name for p, _ in store.discarded] == ["big.state", "deep.state"]
