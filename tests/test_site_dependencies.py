"""site/dependencies.py: a page none of whose inputs changed keeps its render key without being keyed.

Every test here runs with dependencies.VERIFY on (tests/conftest.py turns it on for the whole suite):
each page taken as unchanged is keyed anyway and the build fails if its key moved, i.e. if plan_site
left out something the page reads. And after each change the site is byte for byte what a cold build
of the same content makes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from bulletin.build import BuildOptions, build
from bulletin.site import dependencies

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated year of 6 issues × 10 articles (regular contributors write dozens of them)."""
    root = tmp_path_factory.mktemp("gen") / "archive"
    generate(root, 1, issues_per_year=6, articles=10)
    return root


@pytest.fixture
def proj(generated: Path, tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(generated, root)
    build(BuildOptions(root=root, pdf=False))
    return root


@pytest.fixture
def reused(monkeypatch) -> list[int]:
    """How many pages took their key over, per build."""
    counts: list[int] = []
    save = dependencies.PageDependencies.save

    def counting(self):
        counts.append(self.reused)
        save(self)

    monkeypatch.setattr(dependencies.PageDependencies, "save", counting)
    return counts


def tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def same_as_cold(root: Path, tmp_path: Path) -> None:
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("output"))
    build(BuildOptions(root=copy, pdf=False))
    assert tree(root / "output" / "site") == tree(copy / "output" / "site")


def rebuild(root: Path):
    return build(BuildOptions(root=root, pdf=False))


def articles(root: Path) -> list[Path]:
    return sorted((root / "content").glob("*/*/*.md"))


def pages(root: Path) -> int:
    return sum(1 for _ in (root / "output" / "site").rglob("*.html")) - 1  # (search/ has no .html)


def test_verification_is_on():
    assert dependencies.VERIFY, "tests/conftest.py turns dependencies.VERIFY on"


def test_an_edited_body_rekeys_only_its_page(proj: Path, tmp_path: Path, reused: list[int]):
    a = articles(proj)[17]
    a.write_text(a.read_text(encoding="utf-8") + "\n补充一段新的文字。\n", encoding="utf-8")
    rebuild(proj)
    tracked = pages(proj) - 5  # the index pages of sections, authors, tags, search and 404 are keyed
    # its own page, its neighbours', its issue's, its section's, its authors' and tags', home, archive,
    # year (the content hash is part of the article's version: every page listing it is keyed, then kept)
    assert tracked - 40 < reused[-1] < tracked
    same_as_cold(proj, tmp_path)


def test_nothing_changed_rekeys_nothing(proj: Path, reused: list[int]):
    rebuild(proj)
    assert reused[-1] >= pages(proj) - 6


def test_a_template_change(proj: Path, tmp_path: Path, reused: list[int]):
    (proj / "templates" / "site").mkdir(parents=True)
    text = (REPO / "templates" / "site" / "article.html").read_text(encoding="utf-8")
    changed = text.replace("</article>", "</article><!--新-->")
    (proj / "templates" / "site" / "article.html").write_text(changed, encoding="utf-8")
    rebuild(proj)
    assert reused[-1] == 0
    site_pages = (proj / "output" / "site").glob("20*/*/*.html")
    assert any("<!--新-->" in p.read_text(encoding="utf-8") for p in site_pages)
    same_as_cold(proj, tmp_path)


def test_a_settings_change(proj: Path, tmp_path: Path, reused: list[int]):
    p = proj / "bulletin.yaml"
    text = p.read_text(encoding="utf-8")
    title = re.search(r"^title: *(.+)$", text, re.M)
    assert title
    p.write_text(text.replace(title.group(0), "title: 改过的刊名"), encoding="utf-8")
    rebuild(proj)
    assert reused[-1] == 0
    assert "改过的刊名" in (proj / "output/site/index.html").read_text(encoding="utf-8")
    same_as_cold(proj, tmp_path)


def test_an_author_renamed_in_many_articles(proj: Path, tmp_path: Path, reused: list[int]):
    names = Counter()
    for a in articles(proj):
        m = re.search(r"^authors: \[(.*)\]$", a.read_text(encoding="utf-8"), re.M)
        if m:
            names.update(n.strip() for n in m.group(1).split(","))
    name, count = names.most_common(1)[0]
    assert count >= 5
    for a in articles(proj):
        text = a.read_text(encoding="utf-8")
        if re.search(rf"^authors: \[.*\b{name}\b.*\]$", text, re.M) or name in text.split("---")[1]:
            a.write_text(text.replace(name, "欧阳新名"), encoding="utf-8")
    rebuild(proj)
    assert 0 < reused[-1] < pages(proj)
    site = proj / "output" / "site"
    assert not any(name in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    same_as_cold(proj, tmp_path)


def test_an_article_moved_to_another_issue(proj: Path, tmp_path: Path):
    a = articles(proj)[3]
    other = sorted((proj / "content").glob("*/*"))[-2]
    shutil.move(a, other / ("moved-" + a.name))
    rebuild(proj)
    same_as_cold(proj, tmp_path)


def test_a_deleted_issue(proj: Path, tmp_path: Path):
    shutil.rmtree(sorted((proj / "content").glob("*/*"))[-1])  # the newest: the home page changes too
    rebuild(proj)
    same_as_cold(proj, tmp_path)


def test_an_issue_setting_change(proj: Path, tmp_path: Path):
    issue = sorted((proj / "content").glob("*/*"))[2] / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + 'title: "新的主题"\n', encoding="utf-8")
    rebuild(proj)
    same_as_cold(proj, tmp_path)


def test_a_changed_picture(tmp_path: Path):
    import os

    from PIL import Image

    root = tmp_path / "basic"
    shutil.copytree(FIXTURES / "site_basic", root)
    rebuild(root)
    pic = root / "content" / "2026" / "01" / "images" / "huiyi.png"
    st = pic.stat()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(pic)
    os.utime(pic, ns=(st.st_atime_ns, st.st_mtime_ns))  # the old mtime: the inode's ctime still moved
    rebuild(root)
    same_as_cold(root, tmp_path)


@pytest.mark.parametrize("bad", [b"garbage", "index"])
def test_a_bad_record_is_discarded(proj: Path, tmp_path: Path, bad):
    path = proj / "output" / ".bulletin" / (dependencies.RECORD + ".state")
    assert path.is_file()
    if bad == "index":  # a dependency index past the names: refused, not an IndexError
        import json

        data = path.read_bytes()
        n = int.from_bytes(data[16:20], "little")
        head = json.loads(data[20 : 20 + n])
        head["tables"]["pages"]["deps"][0] = [999999]
        raw = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
        bad = data[:16] + len(raw).to_bytes(4, "little") + raw + data[20 + n :]
    path.write_bytes(bad)
    a = articles(proj)[5]
    a.write_text(a.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")
    r = rebuild(proj)
    assert any(d.code == "state_discarded" for d in r.report.warnings)
    same_as_cold(proj, tmp_path)


def test_search_text_files_of_unchanged_segments_are_carried_over(proj: Path, tmp_path: Path, monkeypatch):
    """An edit re-indexes one segment; the other segments' text files are the previous build's (not made
    again), and one that was deleted since is written again."""
    from bulletin.site import search

    made: list[str] = []
    script = search._script

    def counting(name, data):
        made.append(name)
        return script(name, data)

    monkeypatch.setattr(search, "_script", counting)
    text = proj / "output" / "site" / "search" / "text"
    segments = sorted(p.name for p in text.iterdir())
    assert len(segments) >= 2, "the generated archive should have several search segments"
    before = {p: p.stat().st_ino for p in text.rglob("*.js")}
    a = articles(proj)[-1]
    a.write_text(a.read_text(encoding="utf-8") + "\n最后一篇补充的话。\n", encoding="utf-8")
    victim = text / segments[0] / "0.js"
    victim.unlink()
    rebuild(proj)
    after = {p: p.stat().st_ino for p in text.rglob("*.js")}
    kept = {p for p in before if after.get(p) == before[p]}
    assert victim.is_file() and victim not in kept
    assert any(p.parent.name == segments[0] for p in kept)  # the rest of its segment was carried over
    remade = {n for n in made if n.startswith("text/")}
    assert f"text/{segments[0]}/0" in remade
    assert len(remade) < len(before)  # (without carrying them over: every one of them)
    same_as_cold(proj, tmp_path)


def test_titles_cut_by_an_earlier_build_are_not_cut_again(proj: Path, tmp_path: Path, monkeypatch):
    """Rendering an edited article does not build the segmenter's dictionary: the earlier build's cuts
    are remembered (output/.bulletin/titles.state); a record whose cuts do not give the title back is
    discarded."""
    from bulletin import headlines

    monkeypatch.setattr(headlines, "known", {})  # as in a fresh process
    monkeypatch.setattr(headlines, "_segmenter", lambda: pytest.fail("the segmenter was used"))
    a = articles(proj)[11]
    a.write_text(a.read_text(encoding="utf-8") + "\n补一句。\n", encoding="utf-8")
    rebuild(proj)
    assert "<wbr>" in (proj / "output" / "site").joinpath(
        *a.relative_to(proj / "content").with_suffix(".html").parts).read_text(encoding="utf-8")
    same_as_cold(proj, tmp_path)


def test_a_forged_title_cut_is_discarded(proj: Path, monkeypatch):
    from bulletin import headlines

    path = proj / "output" / ".bulletin" / "titles.state"
    data = path.read_bytes()
    m = re.search(rb'"phrases":\[\["([^"]+)"', data)
    assert m
    forged = data.replace(m.group(0), m.group(0)[: -1 - len(m.group(1))] + b'"<script>"', 1)
    n = int.from_bytes(data[16:20], "little") + len(forged) - len(data)
    path.write_bytes(forged[:16] + n.to_bytes(4, "little") + forged[20:])
    monkeypatch.setattr(headlines, "known", {})
    a = articles(proj)[11]
    a.write_text(a.read_text(encoding="utf-8") + "\n补一句。\n", encoding="utf-8")
    r = rebuild(proj)
    assert any(d.code == "state_discarded" and "titles" in d.file for d in r.report.warnings)
    site = proj / "output" / "site"
    assert not any("<script>" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def _edit_title(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: (.*)$", r"title: \1（修订）", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def test_an_edit_reads_only_the_bodies_of_pages_it_renders(proj: Path, tmp_path: Path, monkeypatch):
    """The load cache trusts unchanged files by their stamp and does not read their bodies
    (content/cache.py's DeferredBody); an edited title re-renders its neighbours' pages, whose bodies are
    read then, from the files, and the site is still what a cold build makes."""
    from bulletin import buildstate
    from bulletin.content import cache

    monkeypatch.setattr(buildstate, "RACY_SECONDS", 0)
    rebuild(proj)  # stamps now trusted
    read: list[str] = []
    text = cache.DeferredBody.text

    def counting(self):
        read.append(self.rel)
        return text(self)

    monkeypatch.setattr(cache.DeferredBody, "text", counting)
    a = articles(proj)[17]
    _edit_title(a)
    rebuild(proj)
    assert 0 < len(read) <= 3 and a.relative_to(proj).as_posix() not in read  # its neighbours, at most
    same_as_cold(proj, tmp_path)


def test_an_article_changed_while_the_build_runs_stops_it(proj: Path, tmp_path: Path, monkeypatch):
    """A file the load trusted unchanged, changed before its body is read: the build stops with a
    message (the model would mix its old front matter and its new body), output/ is left as it was, and
    the next build is a correct one."""
    from bulletin import buildstate
    from bulletin.diagnostics import BuildError
    from bulletin.site import render

    monkeypatch.setattr(buildstate, "RACY_SECONDS", 0)
    rebuild(proj)
    before = tree(proj / "output" / "site")
    a = articles(proj)[17]
    _edit_title(a)
    plan_site = render.plan_site
    changed: list[Path] = []

    def changing(*args, **kwargs):  # after the load, before the pages are rendered: a neighbour changes
        plan = plan_site(*args, **kwargs)
        arts = [p.article for p in plan.pages if p.article is not None]
        k = next(n for n, x in enumerate(arts) if x.path == a)
        near = arts[k + 1] if k + 1 < len(arts) and arts[k + 1].path.parent == a.parent else arts[k - 1]
        text = near.path.read_text(encoding="utf-8")
        near.path.write_text(text + "\n构建期间补充的一段。\n", encoding="utf-8")
        changed.append(near.path)
        return plan

    monkeypatch.setattr(render, "plan_site", changing)
    with pytest.raises(BuildError) as caught:
        rebuild(proj)
    assert [(d.file, d.code) for d in caught.value.report.errors] == [
        (changed[0].relative_to(proj).as_posix(), "changed_during_build")]
    assert tree(proj / "output" / "site") == before
    monkeypatch.setattr(render, "plan_site", plan_site)
    rebuild(proj)
    same_as_cold(proj, tmp_path)
