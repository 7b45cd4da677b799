"""Incremental builds: after an article is edited, added, moved or deleted, the next build updates every
page that shows it (issue, section, author, tag, year, home, feeds, search index), removes the pages of
what is gone, and leaves every other file alone (same inode: not rewritten).

Each test builds tests/fixtures/site_basic, changes the content, builds again and compares.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, index_script, write
from test_site import check_links

from bulletin.build import BuildOptions, build


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "site_basic", root)
    build(BuildOptions(root=root, pdf=False))
    return root


def rebuild(root: Path):
    return build(BuildOptions(root=root, pdf=False))


def snapshot(site: Path) -> dict[str, tuple[int, str]]:
    """rel path → (inode, content hash) of every file."""
    out = {}
    for p in site.rglob("*"):
        if p.is_file():
            out[p.relative_to(site).as_posix()] = (p.stat().st_ino, hashlib.sha1(p.read_bytes()).hexdigest())
    return out


def diff(before: dict, after: dict) -> tuple[set[str], set[str], set[str], set[str]]:
    """(added, removed, rewritten (new inode), changed (new content))."""
    added = after.keys() - before.keys()
    removed = before.keys() - after.keys()
    common = before.keys() & after.keys()
    rewritten = {k for k in common if before[k][0] != after[k][0]}
    changed = {k for k in common if before[k][1] != after[k][1]}
    return added, removed, rewritten, changed


TEXT_SUFFIXES = (".html", ".xml", ".json", ".js")  # .js: the search index's files


def files_containing(site: Path, text: str) -> set[str]:
    hits = set()
    for p in site.rglob("*"):
        if p.suffix in TEXT_SUFFIXES and p.is_file() and text in p.read_text(encoding="utf-8"):
            hits.add(p.relative_to(site).as_posix())
    return hits


def index_entries(site: Path) -> list:
    """The per-page records of the search index (search/text/**/*.js): whatever lists they hold."""
    out = []
    for p in sorted((site / "search" / "text").rglob("*.js")):
        out.append(index_script(p, site / "search"))
    return out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def search_files(rels: set[str]) -> set[str]:
    return {r for r in rels if r.startswith("search/")}


def test_unchanged_content_rewrites_nothing(proj: Path):
    site = proj / "output" / "site"
    before = snapshot(site)
    result = rebuild(proj)
    added, removed, rewritten, changed = diff(before, snapshot(site))
    assert (added, removed, rewritten, changed) == (set(), set(), set(), set())
    assert result.site_written == 0


def test_edited_title_updates_every_page_showing_it(proj: Path):
    site = proj / "output" / "site"
    before = snapshot(site)
    edit(proj / "content" / "2026" / "01" / "kaiju.md", "title: 凝心聚力开新局", "title: 同心协力谱新篇")
    rebuild(proj)
    after = snapshot(site)
    added, removed, rewritten, changed = diff(before, after)
    showing = {
        "2026/01/kaiju.html",
        "2026/01/index.html",
        "2026/01/waidi.html",  # the next article's "上一篇"
        "index.html",
        "2026/index.html",
        "sections/feature.html",
        "authors/wang-ming-yuan.html",
        "tags/dai-biao-gong-zuo.html",
        "tags/dai-biao-lian-luo-zhan.html",
        "feed.xml",
        "issues.xml",
    }
    assert showing <= changed
    assert search_files(changed | added), "the search index was not updated"
    assert files_containing(site, "凝心聚力开新局") == set()  # nothing stale, search index included
    assert showing <= files_containing(site, "同心协力谱新篇")
    # pages that do not show the article are not rewritten
    untouched = {
        "2025/24/index.html",
        "2025/24/jiandu.html",
        "2026/02/dongtai.html",
        "2026/01/zhuanzai.html",
        "authors/li-qing.html",
        "authors/ma-wen-tao.html",
        "tags/jian-du-gong-zuo.html",
        "sections/news.html",
        "static/style.css",
        "2026/01/images/huiyi.png",
        "archive.html",
    }
    assert untouched.isdisjoint(rewritten | changed)
    assert rewritten == changed  # a file is rewritten only when its content changed
    assert not added - search_files(added) and not removed - search_files(removed)


def test_edited_body_updates_the_article_and_the_search_index_only(proj: Path):
    site = proj / "output" / "site"
    before = snapshot(site)
    edit(
        proj / "content" / "2025" / "24" / "jiandu.md",
        "把监督的力量用在刀刃上。",
        "把监督的力量用在群众最关心的地方。",
    )
    rebuild(proj)
    added, removed, rewritten, changed = diff(before, snapshot(site))
    assert "2025/24/jiandu.html" in changed
    assert search_files(changed | added | removed)
    # the feed carries the article's opening as its summary, which here holds the edited sentence;
    # listings show titles and bylines only, so none of them changes
    assert {r for r in changed if not r.startswith("search/")} == {"2025/24/jiandu.html", "feed.xml"}
    assert files_containing(site, "用在刀刃上") == set()
    assert {"2025/24/jiandu.html", "feed.xml"} <= files_containing(site, "群众最关心的地方")
    assert rewritten == changed


def test_added_article_appears_everywhere(proj: Path):
    site = proj / "output" / "site"
    before = snapshot(site)
    write(
        proj / "content" / "2026" / "01" / "xinwen.md",
        "---\ntitle: 代表履职培训班开班\nsection: exchange\nauthors: 周新\ntags: [代表工作, 履职培训]\n---\n"
        "1月3日，全市代表履职培训班开班，来自各县区的代表参加培训。\n",
    )
    rebuild(proj)
    added, removed, rewritten, changed = diff(before, snapshot(site))
    assert {"2026/01/xinwen.html", "authors/zhou-xin.html", "tags/lv-zhi-pei-xun.html"} <= added
    showing = files_containing(site, "代表履职培训班开班")
    assert {
        "2026/01/index.html",
        "sections/exchange.html",
        "authors/zhou-xin.html",
        "tags/dai-biao-gong-zuo.html",
        "tags/lv-zhi-pei-xun.html",
        "feed.xml",
        "2026/01/xinwen.html",
    } <= showing
    assert any(r.startswith("search/") for r in showing)
    # it sits between waidi (他山之石, by file name) and zhuanzai: both neighbours now link to it
    assert 'href="xinwen.html"' in (site / "2026/01/waidi.html").read_text(encoding="utf-8")
    assert 'href="xinwen.html"' in (site / "2026/01/zhuanzai.html").read_text(encoding="utf-8")
    assert "authors/index.html" in changed and "tags/index.html" in changed
    assert not removed - search_files(removed)
    assert "2025/24/jiandu.html" not in rewritten
    assert check_links(site) == []


def test_article_moved_between_sections(proj: Path):
    site = proj / "output" / "site"
    edit(proj / "content" / "2026" / "01" / "waidi.md", "section: exchange", "section: feature")
    rebuild(proj)
    exchange = (site / "sections/exchange.html").read_text(encoding="utf-8")
    feature = (site / "sections/feature.html").read_text(encoding="utf-8")
    assert "院坝会" not in exchange and "院坝会" in feature
    issue = (site / "2026/01/index.html").read_text(encoding="utf-8").split("<main")[1]
    assert issue.index("特别关注") < issue.index("院坝会") < issue.index("他山之石")
    article = (site / "2026/01/waidi.html").read_text(encoding="utf-8")
    assert 'href="../../sections/feature.html">特别关注</a>' in article
    assert '<span data-search-filter="section">特别关注</span>' in article
    # the search index shows it under its new section
    entries = [e for e in index_entries(site) if "2026/01/waidi.html" in json.dumps(e, ensure_ascii=False)]
    assert entries and all("他山之石" not in json.dumps(e, ensure_ascii=False) for e in entries)
    assert any("特别关注" in json.dumps(e, ensure_ascii=False) for e in entries)
    # the new order: kaiju → waidi → zhuanzai
    assert 'rel="next" href="waidi.html"' in (site / "2026/01/kaiju.html").read_text(encoding="utf-8")
    assert 'rel="prev" href="waidi.html"' in (site / "2026/01/zhuanzai.html").read_text(encoding="utf-8")


def test_article_moved_to_another_issue(proj: Path):
    site = proj / "output" / "site"
    shutil.move(
        proj / "content" / "2026" / "01" / "zhuanzai.md", proj / "content" / "2026" / "02" / "zhuanzai.md"
    )
    rebuild(proj)
    assert not (site / "2026/01/zhuanzai.html").exists()
    assert (site / "2026/02/zhuanzai.html").is_file()
    assert files_containing(site, "2026/01/zhuanzai.html") == set()
    assert "基层立法联系点的新探索" in (site / "2026/02/index.html").read_text(encoding="utf-8")
    assert "基层立法联系点的新探索" not in (site / "2026/01/index.html").read_text(encoding="utf-8")
    assert check_links(site) == []


def test_deleted_articles_leave_nothing_behind(proj: Path):
    site = proj / "output" / "site"
    before = snapshot(site)
    (proj / "content" / "2026" / "01" / "kaiju.md").unlink()
    (proj / "content" / "2026" / "01" / "waidi.md").unlink()
    rebuild(proj)
    added, removed, rewritten, changed = diff(before, snapshot(site))
    assert {
        "2026/01/kaiju.html",
        "2026/01/waidi.html",
        "2026/01/images/huiyi.png",
        "authors/ma-wen-tao.html",
    } <= removed  # 马文涛 wrote only the deleted article
    assert (site / "authors/wang-ming-yuan.html").is_file()  # 王明远 still has 小站点连着大民生
    for title in ("凝心聚力开新局", "院坝会"):
        assert files_containing(site, title) == set(), title
    assert files_containing(site, "kaiju.html") == set()
    assert files_containing(site, "ma-wen-tao") == set()
    assert check_links(site) == []
    assert "2025/24/jiandu.html" not in rewritten


def test_edited_picture_is_copied_again(proj: Path):
    site = proj / "output" / "site"
    before = snapshot(site)
    from PIL import Image

    Image.new("RGB", (40, 30), (200, 30, 30)).save(proj / "content" / "2026" / "01" / "images" / "huiyi.png")
    rebuild(proj)
    added, removed, rewritten, changed = diff(before, snapshot(site))
    assert "2026/01/images/huiyi.png" in changed
    with Image.open(site / "2026/01/images/huiyi.png") as im:
        assert im.size == (40, 30)


def test_issue_settings_change_updates_issue_listings(proj: Path):
    site = proj / "output" / "site"
    edit(proj / "content" / "2026" / "01" / "issue.yaml", "title: 新年开篇", "title: 新春专号")
    rebuild(proj)
    for rel in ("2026/01/index.html", "index.html", "archive.html", "2026/index.html", "issues.xml"):
        text = (site / rel).read_text(encoding="utf-8")
        assert "新春专号" in text and "新年开篇" not in text, rel


def test_damaged_or_deleted_output_files_are_restored(proj: Path):
    site = proj / "output" / "site"
    good = (site / "2026/01/kaiju.html").read_bytes()
    (site / "2026/01/kaiju.html").unlink()
    (site / "sections/feature.html").write_text("tampered", encoding="utf-8")
    rebuild(proj)
    assert (site / "2026/01/kaiju.html").read_bytes() == good
    assert "凝心聚力开新局" in (site / "sections/feature.html").read_text(encoding="utf-8")


def test_load_cache_sees_edits_within_the_same_second(proj: Path):
    """The load cache decides by content hash, not mtime: an edit that keeps size and mtime is seen."""
    path = proj / "content" / "2026" / "02" / "dongtai.md"
    st = path.stat()
    edit(path, "召开主任会议", "举行主任会议")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    rebuild(proj)
    assert "举行主任会议" in (proj / "output" / "site" / "2026/02/dongtai.html").read_text(encoding="utf-8")


def test_load_cache_replays_warnings(proj: Path):
    write(
        proj / "content" / "2026" / "02" / "html.md",
        "---\ntitle: 含标签\nsection: news\n---\n正文<b>加粗</b>。\n",
    )
    first = rebuild(proj).report
    second = rebuild(proj).report
    codes = [(d.file, d.code, d.line) for d in first.warnings if d.file.endswith("html.md")]
    assert codes and codes == [
        (d.file, d.code, d.line) for d in second.warnings if d.file.endswith("html.md")
    ]


def test_load_cache_sees_a_missing_picture_arrive(proj: Path):
    from bulletin.diagnostics import BuildError

    md = proj / "content" / "2026" / "02" / "tu.md"
    write(md, "---\ntitle: 图片新闻\nsection: news\n---\n![新的照片](images/new.png)\n")
    with pytest.raises(BuildError):
        rebuild(proj)
    from PIL import Image

    (proj / "content" / "2026" / "02" / "images").mkdir()
    Image.new("RGB", (20, 20), (0, 0, 0)).save(proj / "content" / "2026" / "02" / "images" / "new.png")
    rebuild(proj)
    assert (proj / "output" / "site" / "2026/02/images/new.png").is_file()
    # and the picture going away again is an error again, although the article did not change
    (proj / "content" / "2026" / "02" / "images" / "new.png").unlink()
    with pytest.raises(BuildError):
        rebuild(proj)


def test_parallel_cold_load_gives_what_a_serial_load_gives(tmp_path: Path, monkeypatch):
    """A cold build loads issue folders in worker processes: same model, same diagnostics, same order."""
    from bulletin.config import load_publication
    from bulletin.content import cache as cache_mod
    from bulletin.content.loader import load_archive
    from bulletin.diagnostics import Report

    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "site_basic", root)
    write(
        root / "content" / "2026" / "02" / "html.md",
        "---\ntitle: 含标签\nsection: news\n---\n正文<b>加粗</b>。\n",
    )
    write(root / "content" / "2026" / "01" / "notes.docx", "not really a Word file")
    # Notepad's way: a BOM and CRLF line endings (a cached article's body comes from its bytes again)
    (root / "content" / "2026" / "02" / "crlf.md").write_bytes(
        "\ufeff---\r\ntitle: 换行\r\nsection: news\r\n---\r\n第一段。\r\n\r\n第二段。\r\n".encode()
    )
    pub = load_publication(root, Report(root))

    serial_report = Report(root)
    serial = load_archive(root, pub, serial_report)

    monkeypatch.setattr(cache_mod, "PREFETCH_THRESHOLD", 1)
    cache = cache_mod.LoadCache.open(tmp_path / "state", pub)
    parallel_report = Report(root)
    parallel = load_archive(root, pub, parallel_report, cache=cache)
    assert cache.prefetched == 3 and cache.misses == 10

    assert parallel == serial
    as_text = [d.format() for d in serial_report.items]
    assert as_text and [d.format() for d in parallel_report.items] == as_text
    cache.save()
    again = cache_mod.LoadCache.open(tmp_path / "state", pub)
    again_report = Report(root)
    assert load_archive(root, pub, again_report, cache=again) == serial
    assert again.hits == 10 and again.prefetched == 0
    assert [d.format() for d in again_report.items] == as_text


def test_pages_rendered_again_in_workers_with_the_same_bytes_are_not_rewritten(proj: Path, monkeypatch):
    """Pages whose render keys no longer match (here: forgotten) are rendered again, in worker processes
    that write them into the staging tree; where the bytes come out the same, the previous build's file
    is kept (same inode), and the site is unchanged."""
    import bulletin.site.render as render_mod

    monkeypatch.setattr(render_mod, "PARALLEL_THRESHOLD", 1)
    site = proj / "output" / "site"
    before = snapshot(site)
    manifest = proj / "output" / ".bulletin" / "manifest.json"
    state = json.loads(manifest.read_text(encoding="utf-8"))
    state["site"]["keys"] = {path: ["stale", h] for path, (_, h) in state["site"]["keys"].items()}
    manifest.write_text(json.dumps(state), encoding="utf-8")
    rebuild(proj)
    assert diff(before, snapshot(site)) == (set(), set(), set(), set())
    # and a page whose bytes did change is a new file
    edit(proj / "content" / "2026" / "01" / "kaiju.md", "。", "，补充。")
    rebuild(proj)
    _, _, rewritten, changed = diff(before, snapshot(site))
    assert "2026/01/kaiju.html" in rewritten & changed


def test_pages_are_kept_where_hard_links_fail(proj: Path, monkeypatch):
    """On a file system without hard links (a shared drive formatted FAT, say), pages rendered again in
    worker processes are kept as written: nothing is lost, the site is the same."""
    import bulletin.output as output_mod
    import bulletin.site.render as render_mod

    monkeypatch.setattr(render_mod, "PARALLEL_THRESHOLD", 1)
    site = proj / "output" / "site"
    before = snapshot(site)

    def no_links(_src, dst, *_args, **_kw):  # as on FAT: "exists" before "not permitted"
        if os.path.exists(dst):
            raise FileExistsError(17, "File exists")
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(output_mod.os, "link", no_links)
    manifest = proj / "output" / ".bulletin" / "manifest.json"
    state = json.loads(manifest.read_text(encoding="utf-8"))
    state["site"]["keys"] = {path: ["stale", h] for path, (_, h) in state["site"]["keys"].items()}
    manifest.write_text(json.dumps(state), encoding="utf-8")
    rebuild(proj)
    after = snapshot(site)
    assert after.keys() == before.keys()
    assert {k: v[1] for k, v in after.items()} == {k: v[1] for k, v in before.items()}
