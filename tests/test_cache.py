"""bulletin/content/cache.py, the load cache: a warm load gives the same model and the same diagnostics
as a cold one, and an article is loaded again when its file, one of its pictures or the settings that
shape it change — the file's bytes decide, not its time stamp."""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest
from conftest import FIXTURES

from bulletin import buildstate
from bulletin.config import load_publication
from bulletin.content.cache import LoadCache
from bulletin.content.loader import load_archive
from bulletin.diagnostics import BuildError, Report


@pytest.fixture
def root(tmp_path):
    dest = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", dest)
    return dest


def _load(root, *, cache=True, pub=None):
    """(archive, diagnostics, cache) of one load, as `build` does it (the cache saved afterwards)."""
    report = Report(root)
    pub = pub or load_publication(root, report)
    lc = LoadCache.open(root / "output" / ".bulletin", pub) if cache else None
    archive = load_archive(root, pub, report, cache=lc)
    if lc is not None:
        lc.save()
    return archive, [(d.severity, d.file, d.line, d.code, d.args) for d in report.items], lc


def test_a_warm_load_is_a_cold_load(root):
    # a warning, so the replayed diagnostics are compared too
    kaiju = root / "content/2026/01/kaiju.md"
    kaiju.write_text(kaiju.read_text(encoding="utf-8") + "\n半角逗号,在中文里。\n", encoding="utf-8")
    cold, cold_report, _ = _load(root, cache=False)
    first, first_report, lc = _load(root)
    assert lc.misses == 3 and lc.hits == 0
    warm, warm_report, lc = _load(root)
    assert lc.hits == 3 and lc.misses == 0
    assert warm == first == cold  # every field of every article, the bodies included
    assert warm_report == first_report == cold_report and any(d[0] == "warning" for d in warm_report)


def test_a_changed_file_is_loaded_again_even_with_its_old_time_stamp(root):
    _load(root)
    kaiju = root / "content/2026/01/kaiju.md"
    st = kaiju.stat()
    text = kaiju.read_text(encoding="utf-8")
    kaiju.write_text(text.replace("title: 凝心聚力开新局", "title: 凝心聚力谋新篇"), encoding="utf-8")
    os.utime(kaiju, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size and mtime: only the bytes differ
    warm, _, lc = _load(root)
    assert lc.misses == 1 and lc.hits == 2
    titles = [a.title for i in warm.issues for a in i.articles]
    assert "凝心聚力谋新篇" in titles and "凝心聚力开新局" not in titles
    assert warm == _load(root, cache=False)[0]


def test_a_touched_but_unchanged_file_stays_cached(root):
    _load(root)
    os.utime(root / "content/2026/01/kaiju.md", ns=(1, 1))
    _, _, lc = _load(root)
    assert lc.hits == 3


def test_a_missing_picture_is_reported_as_a_cold_load_reports_it(root):
    _load(root)
    (root / "content/2026/01/images/huiyi.png").unlink()
    warm, warm_report, lc = _load(root)
    cold, cold_report, _ = _load(root, cache=False)
    assert lc.misses >= 1
    assert warm_report == cold_report and any("image" in d[3] for d in warm_report)
    assert warm == cold


def test_other_settings_load_every_article_again(root):
    _load(root)
    report = Report(root)
    pub = load_publication(root, report)
    renamed = dataclasses.replace(
        pub, sections=tuple(dataclasses.replace(s, name=s.name + "栏") for s in pub.sections)
    )
    archive, _, lc = _load(root, pub=renamed)
    assert lc.hits == 0 and lc.misses == 3
    assert {a.section.name for i in archive.issues for a in i.articles} <= {s.name for s in renamed.sections}


def test_a_deleted_article_leaves_the_cache(root):
    _load(root)
    (root / "content/2026/01/shi.md").unlink()
    archive, _, lc = _load(root)
    assert sum(len(i.articles) for i in archive.issues) == 2
    _, _, lc = _load(root)
    assert lc.hits == 2 and lc.misses == 0


def _articles(archive):
    return [a for i in archive.issues for a in i.articles]


def test_an_unchanged_articles_body_is_read_only_when_something_asks_for_it(root, monkeypatch):
    monkeypatch.setattr(buildstate, "RACY_SECONDS", 0)  # the files were just written: trust their stamps
    cold = _articles(_load(root, cache=False)[0])
    _load(root)
    warm, _, lc = _load(root)
    assert lc.hits == 3 and lc.hashed == 0
    articles = _articles(warm)
    assert not any(a.body_read for a in articles)  # the load read no article file
    assert [a.body for a in articles] == [a.body for a in cold]
    assert all(a.body_read for a in articles)
    assert articles == cold


def test_a_copy_among_unchanged_articles_is_still_found_without_reading_bodies(root, monkeypatch):
    monkeypatch.setattr(buildstate, "RACY_SECONDS", 0)
    kaiju = root / "content/2026/01/kaiju.md"
    copy = root / "content/2026/01/kaiju-copy.md"
    text = kaiju.read_text(encoding="utf-8")
    copy.write_text(text.replace("section: ", "order: 9\nsection: ", 1) + "\n\n", encoding="utf-8")
    _, cold_report, _ = _load(root, cache=False)
    assert [d[3] for d in cold_report if d[3] == "duplicate_article"] == ["duplicate_article"]
    _load(root)
    warm, warm_report, lc = _load(root)
    assert lc.hashed == 0 and not any(a.body_read for a in _articles(warm))
    assert warm_report == cold_report


def test_an_article_changed_after_the_load_stops_the_build_when_its_body_is_read(root, monkeypatch):
    monkeypatch.setattr(buildstate, "RACY_SECONDS", 0)
    _load(root)
    warm, _, _ = _load(root)
    kaiju = root / "content/2026/01/kaiju.md"
    article = next(a for a in _articles(warm) if a.path == kaiju)
    kaiju.write_text(kaiju.read_text(encoding="utf-8") + "\n后来加的一句。\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        article.body  # noqa: B018
    [d] = caught.value.report.errors
    assert (d.file, d.code) == ("content/2026/01/kaiju.md", "changed_during_build")
    again, _, lc = _load(root)  # the next build loads it afresh
    assert lc.misses == 1
    assert "后来加的一句" in next(a for a in _articles(again) if a.path == kaiju).body
