"""补白 (bulletin/print/fillers.py): fillers from print.fillers set into the white a new article leaves at a
page foot, a second layout only for issues with such a hole, warnings (build and `check`) for holes left.

Each sample issue has such holes of 26–44 mm (2026-01 pages 6 and 7: the 文学社 section and the article
after it each need more room to start than the page has left).
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil

import pytest
from conftest import REPO, run_cli

from bulletin.config import load_publication
from bulletin.diagnostics import Report
from bulletin.print.fillers import Hole, PrintFiller, insert, plan

pdfplumber = pytest.importorskip("pdfplumber")
weasyprint = pytest.importorskip("weasyprint")

HEAD = "title: 测试人大\npublisher: 测试市人大常委会办公室主办\nfrequency: semimonthly\n"
SECTIONS = "sections:\n  - {id: news, name: 工作动态}\n"


def _filler(i: int, mm: float) -> PrintFiller:
    return PrintFiller(i, f"f{i}.md", f'<aside class="filler" id="filler-{i}"></aside>', mm)


def test_each_hole_gets_the_tallest_filler_that_fits_once():
    fillers = (_filler(0, 20), _filler(1, 35), _filler(2, 35), _filler(3, 60))
    holes = [Hole(3, 40, "a-x"), Hole(5, 39, "a-y"), Hole(7, 21, "a-z"), Hole(8, 10, "a-w")]
    chosen = plan(holes, fillers)
    # 60 mm never fits; the two 35 mm ones go in page order, the first listed first; 10 mm gets none
    assert {a: f.index for a, f in chosen.items()} == {"a-x": 1, "a-y": 2}
    assert plan([Hole(7, 22, "a-z")], fillers)["a-z"].index == 0
    assert plan([Hole(7, 21.9, "a-z")], fillers[:1]) == {}  # 2 mm of room are kept free


def test_a_filler_goes_before_the_section_head_of_an_article_opening_its_section():
    html = (
        '<article class="article" id="a-one">…</article>\n'
        '<h1 class="section-head"><span>文学社</span></h1>\n'
        '<article class="article cols-1" id="a-two">…</article>\n'
        '<article class="article cols-1" id="a-three">…</article>'
    )
    f = _filler(0, 20)
    out = insert(html, {"a-two": f, "a-three": dataclasses.replace(f, index=1, html="<aside id=x></aside>")})
    assert out.index(f.html) < out.index('<h1 class="section-head">') < out.index('id="a-two"')
    assert out.index('id="a-two"') < out.index("<aside id=x>") < out.index('id="a-three"')


def test_fillers_are_read_from_the_project(tmp_path):
    (tmp_path / "f").mkdir()
    (tmp_path / "f/a.md").write_text("# 征稿启事\n\n欢迎投稿。\n", encoding="utf-8")
    (tmp_path / "f/b.md").write_text("只有正文，没有标题。\n", encoding="utf-8")
    (tmp_path / "f/empty.md").write_text("# 只有标题\n\n", encoding="utf-8")
    (tmp_path.parent / "secret.md").write_text("# x\n\ny\n", encoding="utf-8")
    (tmp_path / "f/link.md").symlink_to(tmp_path.parent / "secret.md")
    items = ["f/a.md", "f/b.md", "f/none.md", "f/empty.md", "f/link.md", "../secret.md", "[x]"]
    text = HEAD + SECTIONS + "print:\n  fill_holes_mm: 30\n  fillers:\n"
    text += "".join(f"    - {i}\n" for i in items)
    (tmp_path / "bulletin.yaml").write_text(text, encoding="utf-8")
    report = Report(tmp_path)
    pub = load_publication(tmp_path, report)
    assert [(f.path, f.title, f.body) for f in pub.print.fillers] == [
        ("f/a.md", "征稿启事", "欢迎投稿。"),
        ("f/b.md", "", "只有正文，没有标题。"),
    ]
    assert pub.print.fill_holes_mm == 30.0
    assert [(d.line, d.code) for d in report.errors] == [
        (11, "config_path_missing"),
        (12, "filler_empty"),
        (13, "config_path_outside"),
        (14, "config_path_outside"),
        (15, "wrong_type"),
    ]


def test_filler_html_is_prepared_as_an_article_body():
    from bulletin.build import load
    from bulletin.model import Filler
    from bulletin.print.geometry import geometry_for
    from bulletin.print.render import print_fillers

    archive = load(REPO, Report(REPO))
    settings = dataclasses.replace(
        archive.publication.print,
        fillers=(Filler("x.md", "小知识", "去年共接待群众1200余人次,办结率91.5%."),),
    )
    archive = dataclasses.replace(
        archive, publication=dataclasses.replace(archive.publication, print=settings)
    )
    (f,) = print_fillers(archive, geometry_for(settings))
    assert 'id="filler-0"' in f.html and '<p class="filler-title">小知识</p>' in f.html
    assert "，办结率" in f.html and "91.5%。" in f.html  # half-width marks set full-width
    assert "1200\u2060余" in f.html  # a number glued to its measure word (cjk.prepare_for_print)
    assert 15 < f.height_mm < 25  # rule and heading, one line of text


def _render(archive, key: str, **changes):
    from bulletin.print.jobs import setup_process
    from bulletin.print.pdf import write_pdf
    from bulletin.print.render import print_html
    from bulletin.templating import default_templates_dir

    setup_process()
    doc = dataclasses.replace(print_html(archive, archive.issue(key)), **changes)
    return write_pdf(doc, [archive.root, default_templates_dir()], key)


@pytest.fixture(scope="module")
def sample():
    from bulletin.build import load
    from bulletin.punctuation import typeset_archive

    return typeset_archive(load(REPO, Report(REPO)))


def _page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(p.extract_text() or "").replace("\n", "") for p in pdf.pages]


def test_holes_before_new_articles_are_filled_and_nothing_else_moves(sample):
    filled = _render(sample, "2026-01")
    bare = _render(sample, "2026-01", fillers=())
    assert filled.findings.holes == []
    assert [(rel, page) for rel, page, _mm in bare.findings.holes] == [
        ("content/2026/01/hepan-sizhang.md", 6),
        ("content/2026/01/xue-luo-songling.md", 7),
    ]
    assert all(mm >= 25 for _rel, _page, mm in bare.findings.holes)
    with_f, without = _page_texts(filled.data), _page_texts(bare.data)
    assert len(with_f) == len(without)
    titles = {f.title for f in sample.publication.print.fillers}
    used = [i for i, text in enumerate(with_f, 1) if any(t in text for t in titles)]
    assert used == [6, 7]
    for i, (a, b) in enumerate(zip(with_f, without, strict=True), 1):
        if i not in used:
            assert a == b, f"page {i} changed"  # the fillers took only the holes


def test_an_issue_without_a_hole_is_laid_out_once(sample, monkeypatch):
    calls = []
    original = weasyprint.HTML.render
    monkeypatch.setattr(weasyprint.HTML, "render", lambda self, **kw: calls.append(1) or original(self, **kw))
    rendered = _render(sample, "2025-23", fill_holes_mm=60.0)  # its one hole (page 4) is 27 mm
    assert rendered.findings.holes == [] and len(calls) == 1
    calls.clear()
    rendered = _render(sample, "2025-23", fillers=())  # a hole, but nothing to fill it with
    assert [h[1] for h in rendered.findings.holes] == [4] and len(calls) == 1
    calls.clear()
    _render(sample, "2025-23")
    assert len(calls) == 2  # the second layout, with a filler


def test_holes_left_are_warned_about_by_build_and_check(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    text = (REPO / "bulletin.yaml").read_text(encoding="utf-8")
    start = text.index("  fillers:\n")
    end = text.index("  fill_holes_mm")
    (root / "bulletin.yaml").write_text(text[:start] + text[end:], encoding="utf-8")  # no fillers
    shutil.copytree(REPO / "content" / "2026" / "01", root / "content" / "2026" / "01")
    r = run_cli("--root", str(root), "--lang", "en", "build", "2026-01")
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if "of white" in ln]
    assert len(lines) == 2 and lines[0].startswith("content/2026/01/hepan-sizhang.md: warning: page 6 ")
    assert "print.fillers" in r.stderr
    manifest = json.loads((root / "output/.bulletin/manifest.json").read_text(encoding="utf-8"))
    assert [h[:2] for h in manifest["pdf"]["2026-01"]["holes"]] == [
        ["content/2026/01/hepan-sizhang.md", 6],
        ["content/2026/01/xue-luo-songling.md", 7],
    ]
    r = run_cli("--root", str(root), "--lang", "en", "check")
    assert [ln for ln in r.stderr.splitlines() if "of white" in ln] == lines
    # once the PDF is out of date (an article changed), check no longer repeats what it said
    art = root / "content/2026/01/hepan-sizhang.md"
    art.write_text(art.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    r = run_cli("--root", str(root), "--lang", "en", "check")
    assert r.returncode == 0 and "of white" not in r.stderr


def test_a_table_at_a_page_foot_floats_like_a_photo():
    from bulletin.model import PrintSettings
    from bulletin.print.geometry import geometry_for
    from bulletin.print.render import place_figures

    g = geometry_for(PrintSettings())
    table = "<table><tr><td>1</td></tr></table>"
    after = "<p>" + "字" * 400 + "</p>"
    out = place_figures("<p>前文</p>" + table + after, 1, g, lambda src: (0, 0))
    assert '<div class="table-unit top-float" data-float-room=' in out and table in out
    short = place_figures("<p>前文</p>" + table + "<p>结束。</p>", 1, g, lambda src: (0, 0))
    assert "top-float" not in short and "table-unit" in short  # too little text after it to fill the page
    assert "top-float" not in place_figures(table + after, 2, g, lambda src: (0, 0))  # two columns: never
