"""Build state (bulletin.buildstate) and the caches that use it: data only, decoded strictly.

Whatever is found under output/.bulletin/ — a crafted pickle that would run a command, garbage, a
well-formed record with the wrong types or with values the loader never makes, links to elsewhere — the
build succeeds, says it threw the cache away, runs nothing, and writes what a cold build writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import shlex
import shutil
import struct
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from bulletin import buildstate as bs
from bulletin.build import BuildOptions, build
from bulletin.content import cache as cache_mod
from bulletin.model import Article


class _RunsACommand:
    """Unpickling this runs `touch marker` (what an attacker would put in a pickled cache)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {shlex.quote(str(self.marker))}",))


def crafted_pickle(marker: Path) -> bytes:
    data = pickle.dumps({"salt": "x", "entries": _RunsACommand(marker), "pages": _RunsACommand(marker)})
    pickle.loads(data)  # the payload is real: unpickling it does run the command
    assert marker.exists()
    marker.unlink()
    return data


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "output" / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def discarded(result) -> list[str]:
    return [d.file for d in result.report.warnings if d.code == "state_discarded"]


@pytest.fixture(scope="module")
def cold(tmp_path_factory) -> dict[str, bytes]:
    """The site of a cold build of tests/fixtures/site_basic (no state at all)."""
    root = tmp_path_factory.mktemp("cold") / "proj"
    shutil.copytree(FIXTURES / "site_basic", root)
    result = build(BuildOptions(root=root, pdf=False))
    assert not discarded(result)
    return site_files(root)


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "site_basic", root)
    assert not discarded(build(BuildOptions(root=root, pdf=False)))
    return root


def state(root: Path) -> Path:
    return root / "output" / ".bulletin"


def rebuild(root: Path):
    return build(BuildOptions(root=root, pdf=False))


def rewrite_head(path: Path, change) -> None:
    """Decode a state file's head (JSON), let `change(head)` alter it, write it back well-framed."""
    data = path.read_bytes()
    start = len(bs.MAGIC) + 4
    (n,) = struct.unpack_from("<I", data, len(bs.MAGIC))
    head = json.loads(data[start:start + n].decode("utf-8"))
    change(head)
    raw = json.dumps(head, ensure_ascii=False).encode("utf-8")
    path.write_bytes(bs.MAGIC + struct.pack("<I", len(raw)) + raw + data[start + n:])


def seg_file(root: Path) -> Path:
    segs = sorted((state(root) / "search").glob("seg-*.state"))
    assert segs
    return segs[0]


# --- the format -------------------------------------------------------------------------------------

TABLE = bs.Table("t", {"s": bs.STR, "i": bs.INT, "b": bs.BOOL, "o": bs.OPT_INT, "d": bs.DATE,
                       "od": bs.OPT_DATE, "l": bs.STR_TUPLE, "m": bs.SCALAR_DICT})
ROWS = {"s": ["一", "b"], "i": [1, -2**70], "b": [True, False], "o": [None, 3],
        "d": [dt.date(2026, 1, 5), dt.date(1999, 12, 31)], "od": [None, dt.date(2026, 2, 1)],
        "l": [("王明", "李"), ()], "m": [{"a": 1, "b": "x", "c": None, "d": 1.5, "e": True}, {}]}


def test_a_record_reads_back_as_the_same_values():
    codec = bs.Codec("store", 3, "salt")
    data = codec.encode("rec", {"t": (TABLE, ROWS)}, [b"\x00\x01", b""])
    rec = codec.decode("rec", data, [TABLE])
    assert rec.tables["t"] == (2, ROWS) and rec.blobs == [b"\x00\x01", b""]
    assert [type(v) for v in rec.tables["t"][1]["l"]] == [tuple, tuple]


@pytest.mark.parametrize("spoil", [lambda h: h.update(version=4), lambda h: h.update(salt="other")])
def test_state_of_another_version_or_salt_is_dropped_without_a_notice(tmp_path, spoil):
    store = bs.Store(tmp_path / "s", "store", 3, "salt")
    assert store.write("rec", {"t": (TABLE, ROWS)})
    rewrite_head(store.path("rec"), spoil)
    assert store.read("rec", [TABLE]) is None and not store.discarded and not store.path("rec").exists()


def test_a_setting_that_changes_the_load_cache_salt_gives_no_notice(proj, cold):
    conf = proj / "bulletin.yaml"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(text + "site:\n  allow_html: true\n", encoding="utf-8")
    assert not discarded(rebuild(proj))
    conf.write_text(text, encoding="utf-8")
    assert not discarded(rebuild(proj)) and site_files(proj) == cold


@pytest.mark.parametrize("spoil", [
    lambda h: h.update(version=True),
    lambda h: h.update(version="3"),
    lambda h: h.update(store="search"),
    lambda h: h.update(record="other"),
    lambda h: h["tables"]["t"].pop("s"),
    lambda h: h["tables"]["t"].update(x=[1, 2]),
    lambda h: h["tables"]["t"]["s"].append("c"),
    lambda h: h["tables"]["t"]["i"].__setitem__(0, True),  # a bool is not an int
    lambda h: h["tables"]["t"]["i"].__setitem__(0, 1.0),
    lambda h: h["tables"]["t"]["s"].__setitem__(0, 1),
    lambda h: h["tables"]["t"]["b"].__setitem__(0, 1),
    lambda h: h["tables"]["t"]["d"].__setitem__(0, "2026-13-01"),
    lambda h: h["tables"]["t"]["d"].__setitem__(0, "20260105"),
    lambda h: h["tables"]["t"]["l"].__setitem__(0, ["a", 1]),
    lambda h: h["tables"]["t"]["l"].__setitem__(0, "ab"),
    lambda h: h["tables"]["t"]["m"].__setitem__(0, {"a": [1]}),
    lambda h: h["blobs"].__setitem__(0, 3),
    lambda h: h.update(extra=1),
    lambda h: h.update(tables=[]),
], ids=lambda f: f.__code__.co_firstlineno)
def test_anything_but_the_exact_record_is_refused(tmp_path, spoil):
    store = bs.Store(tmp_path / "s", "store", 3, "salt")
    assert store.write("rec", {"t": (TABLE, ROWS)}, [b"\x00\x01", b""])
    rewrite_head(store.path("rec"), spoil)
    assert store.read("rec", [TABLE]) is None
    assert [p for p, _ in store.discarded] == [store.path("rec")] and not store.path("rec").exists()


@pytest.mark.parametrize("data", [b"", b"garbage", bs.MAGIC, bs.MAGIC + b"\xff\xff\xff\xff{}",
                                  bs.MAGIC + b"\x02\x00\x00\x00{}" + b"tail", b"\x80\x04K\x01."])
def test_garbage_is_refused(tmp_path, data):
    store = bs.Store(tmp_path / "s", "store", 3, "salt")
    store.path("rec").write_bytes(data)
    assert store.read("rec", [TABLE]) is None and store.discarded


def test_nan_and_infinity_are_refused(tmp_path):
    store = bs.Store(tmp_path / "s", "store", 3, "salt")
    store.write("rec", {"t": (TABLE, ROWS)})
    path = store.path("rec")
    path.write_bytes(path.read_bytes().replace(b'"d":1.5', b'"d":NaN'))
    assert store.read("rec", [TABLE]) is None and store.discarded


def test_values_that_cannot_be_stored_exactly_do_not_fit():
    assert TABLE.fits({c: v[0] for c, v in ROWS.items()})
    for column, bad in [("i", True), ("s", Path("x")), ("l", ["a"]), ("d", dt.datetime(2026, 1, 1)),
                        ("m", {"a": (1,)}), ("m", {"a": float("nan")}), ("o", 1.0)]:
        assert not TABLE.fits({**{c: v[0] for c, v in ROWS.items()}, column: bad}), column


def test_a_link_is_never_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "rec.state").write_bytes(b"secret")
    folder = tmp_path / "out" / "state"
    folder.parent.mkdir()
    folder.symlink_to(outside, target_is_directory=True)  # the state folder is a link elsewhere
    store = bs.Store(folder, "store", 3, "salt")
    assert store.usable and not folder.is_symlink() and folder.is_dir()  # the link is gone, not followed
    assert store.write("rec", {"t": (TABLE, ROWS)})
    assert (outside / "rec.state").read_bytes() == b"secret"
    # a record that is a link: not read, removed (the file it points to stays)
    store.path("rec").unlink()
    store.path("rec").symlink_to(outside / "rec.state")
    assert store.read("rec", [TABLE]) is None and not store.path("rec").is_symlink()
    assert (outside / "rec.state").read_bytes() == b"secret"


def test_article_fields_are_all_stored():
    """A new field of Article must be added to the load cache's columns (until then none is cached)."""
    names = {f.name for f in dataclasses.fields(Article)} - {"path", "body"}
    assert set(cache_mod.ARTICLE_FIELDS) == names


# --- the caches in a build --------------------------------------------------------------------------


def test_warm_build_is_a_cold_build_byte_for_byte(proj, cold):
    (proj / "content/2026/02/dongtai.md").touch()  # a new mtime: checked by hash, then reused
    result = rebuild(proj)
    assert not discarded(result)
    assert site_files(proj) == cold
    assert (state(proj) / "load-cache.state").is_file() and not list(state(proj).rglob("*.pickle"))
    # and the cache was used: every article came from it
    from bulletin.config import load_publication
    from bulletin.content.loader import load_archive
    from bulletin.diagnostics import Report

    pub = load_publication(proj, Report(proj))
    cache = cache_mod.LoadCache.open(state(proj), pub)
    load_archive(proj, pub, Report(proj), cache=cache)
    assert cache.hits == len(list((proj / "content").rglob("*.md"))) == 8 and cache.misses == 0


def test_warnings_are_stored_and_trusted(proj):
    """Articles with warnings (their messages and arguments as the loader made them) are cached, and
    read back without a notice."""
    from conftest import write

    write(proj / "content/2026/02/html.md", "---\ntitle: 含标签\nsection: news\n---\n正文<b>加粗</b>。\n")
    write(proj / "content/2026/02/empty.md", "---\ntitle: 空的\nsection: news\n---\n")
    first = rebuild(proj)
    codes = sorted(d.code for d in first.report.warnings)
    assert len(codes) >= 2 and not discarded(first)
    assert b'"severity":["warning","warning"' in (state(proj) / "load-cache.state").read_bytes()
    second = rebuild(proj)
    assert not discarded(second) and sorted(d.code for d in second.report.warnings) == codes
    assert [d.format() for d in second.report.warnings] == [d.format() for d in first.report.warnings]


@pytest.mark.parametrize("where", ["load-cache.state", "search/pages.state", "seg"])
@pytest.mark.parametrize("what", ["pickle", "garbage", "wrong type"])
def test_a_crafted_cache_runs_nothing_and_changes_nothing(proj, cold, tmp_path, where, what):
    marker = tmp_path / "pwned"
    path = seg_file(proj) if where == "seg" else state(proj) / where
    if what == "pickle":
        path.write_bytes(crafted_pickle(marker))
    elif what == "garbage":
        path.write_bytes(os.urandom(3000))
    else:
        def wrong(head):  # a well-formed record of the right version and salt, one value of another type
            column = next(c for t in head["tables"].values() for c in t.values() if c)
            column[0] = 12345 if isinstance(column[0], str) else "12345"
        rewrite_head(path, wrong)
    result = rebuild(proj)
    assert discarded(result) == [path.relative_to(proj).as_posix()]
    assert not marker.exists()
    assert site_files(proj) == cold
    assert not discarded(rebuild(proj))  # made again: the next build trusts it


def test_the_notice_is_printed(proj, tmp_path):
    marker = tmp_path / "pwned"
    (state(proj) / "load-cache.state").write_bytes(crafted_pickle(marker))
    r = run_cli("--root", str(proj), "build", "--all", "--no-pdf")
    assert r.returncode == 0, r.stderr
    assert "output/.bulletin/load-cache.state: 警告: 构建缓存无法读取，已丢弃并重新生成" in r.stderr
    assert "Traceback" not in r.stderr and not marker.exists()


def test_old_pickles_are_removed_unread(proj, cold, tmp_path):
    marker = tmp_path / "pwned"
    payload = crafted_pickle(marker)
    olds = [state(proj) / "load-cache.pickle", state(proj) / "search" / "pages.pickle",
            state(proj) / "search" / "seg-0123abcd.pickle"]
    for p in olds:
        p.write_bytes(payload)
    result = rebuild(proj)
    assert not marker.exists() and not any(p.exists() for p in olds)
    assert not discarded(result) and site_files(proj) == cold


def _articles(head) -> dict:
    return head["tables"]["articles"]


@pytest.mark.parametrize("spoil", [
    lambda h: _articles(h)["section"].__setitem__(0, "nosuch"),
    lambda h: _articles(h)["slug"].__setitem__(0, "../../escape"),
    lambda h: _articles(h)["slug"].__setitem__(0, "UPPER"),
    lambda h: _articles(h)["rel_path"].__setitem__(0, "content/other.md"),
    lambda h: _articles(h)["key"].__setitem__(1, _articles(h)["key"][0]),
    lambda h: h["tables"]["diagnostics"].update(
        owner=[0], severity=["error"], file=["x.md"], line=[1], column=[None], code=["empty_body"],
        args=[{}], source_line=[""]),
    lambda h: h["tables"]["diagnostics"].update(
        owner=[0], severity=["warning"], file=["x.md"], line=[1], column=[None], code=["no_such_message"],
        args=[{}], source_line=[""]),
    lambda h: h["tables"]["diagnostics"].update(  # a message without the arguments it needs
        owner=[0], severity=["warning"], file=["x.md"], line=[1], column=[None], code=["too_large"],
        args=[{}], source_line=[""]),
    lambda h: h["tables"]["diagnostics"].update(
        owner=[99], severity=["warning"], file=["x.md"], line=[1], column=[None], code=["empty_body"],
        args=[{}], source_line=[""]),
    lambda h: h["tables"]["images"].update(owner=[0], path=["/x.png"], size=[1], mtime_ns=[None]),
], ids=lambda f: f.__code__.co_firstlineno)
def test_values_the_loader_never_makes_are_refused(proj, cold, spoil):
    """A record of the right format whose values the loader would never produce: refused whole, so a
    crafted cache can neither aim a page outside the site nor invent an error that stops the build."""
    path = state(proj) / "load-cache.state"
    rewrite_head(path, spoil)
    result = rebuild(proj)
    assert discarded(result) == ["output/.bulletin/load-cache.state"]
    assert site_files(proj) == cold


def test_a_segment_for_another_shard_count_is_refused(proj, cold):
    path = seg_file(proj)
    data = path.read_bytes()
    # append one piece length (4 bytes) and fix the blob sizes: well framed, but one shard too many
    rewrite_head(path, lambda h: h["blobs"].__setitem__(1, h["blobs"][1] + 4))
    data = path.read_bytes()
    (n,) = struct.unpack_from("<I", data, len(bs.MAGIC))
    head = json.loads(data[len(bs.MAGIC) + 4:len(bs.MAGIC) + 4 + n])
    lens, sizes = head["blobs"][0], head["blobs"][1] - 4
    body = len(bs.MAGIC) + 4 + n
    blob_start = body + lens + sizes
    path.write_bytes(data[:blob_start] + b"\0\0\0\0" + data[blob_start:])
    result = rebuild(proj)
    assert discarded(result) == [path.relative_to(proj).as_posix()]
    assert site_files(proj) == cold


@pytest.mark.parametrize("cache", ["load", "pages", "pdf"])
def test_every_cache_key_covers_the_markdown_renderer_and_all_the_package(tmp_path, monkeypatch, cache):
    """A change to any of bulletin's code (the Markdown renderers above all: they make the bodies) is
    worked again by the load cache, the page cache and the PDF cache instead of keeping what the old code
    made (lists of modules kept by hand had left out markdown.py and markdown_fast.py)."""
    import shutil

    from bulletin import buildstate
    from bulletin.content import cache as load_cache
    from bulletin.print import render
    from bulletin.site import render as site_render

    key = {
        "load": load_cache._code_fingerprint,
        "pages": site_render._code_fingerprint,
        "pdf": lambda: render._fingerprint.__wrapped__("", ""),
    }[cache]

    def fingerprint() -> str:  # uncached: the files as they are now
        buildstate.code_fingerprint.cache_clear()
        return key()
    copy = tmp_path / "bulletin"
    shutil.copytree(buildstate.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(buildstate, "PACKAGE", copy)

    try:
        before = fingerprint()
        assert fingerprint() == before  # the same code: the same key
        for changed in ("markdown.py", "markdown_fast.py", "markdown_blocks.py", "model.py", "print/cjk.py"):
            path = copy / changed
            path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
            after = fingerprint()
            assert after != before, changed
            before = after
    finally:
        buildstate.code_fingerprint.cache_clear()  # not the copy's hash for the tests that follow


def test_a_body_digest_the_loader_does_not_make_is_refused(proj, cold):
    path = state(proj) / "load-cache.state"

    def spoil(head):  # a well-formed record, one digest no loader makes
        column = head["tables"]["articles"]["body_digest"]
        column[0] = "not a digest"
    rewrite_head(path, spoil)
    result = rebuild(proj)
    assert discarded(result) == [path.relative_to(proj).as_posix()]
    assert not any(d.code == "duplicate_article" for d in result.report.warnings)
    assert site_files(proj) == cold
