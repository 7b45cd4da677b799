"""Loading the content tree into the model, and one test per kind of problem naming its file and line.

(The CLI-level corpus of broken trees is tests/bad_inputs/; these are the in-process unit tests.)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import write
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin import messages
from bulletin.build import load
from bulletin.content.frontmatter import split_front_matter
from bulletin.content.slugs import pinyin_slug, slug_for
from bulletin.content.textfile import read_text
from bulletin.content.yamlfile import parse
from bulletin.diagnostics import Report

KAIJU = "content/2026/01/kaiju.md"
ISSUE = "content/2026/01/issue.yaml"


def load_project(root: Path, **kw):
    report = Report(root)
    return load(root, report, **kw), report


def codes(report: Report) -> list[tuple[str, str, int | None]]:
    return [(d.code, d.file, d.line) for d in report.sorted()]


# --- what loads -----------------------------------------------------------------------------


def test_fixture_loads_into_the_model(project):
    archive, report = load_project(project)
    assert not report.errors and not report.warnings
    assert [i.key for i in archive.issues] == ["2025-24", "2026-01"]
    issue = archive.issue("2026-01")
    assert (issue.number, issue.total, issue.date) == (1, 25, dt.date(2026, 1, 5))
    assert issue.title == "新年开篇" and issue.epigraph.source == "——题记"
    # order: by section as listed in bulletin.yaml (feature, news, poetry), then order, then file name
    assert [a.slug for a in issue.articles] == ["kaiju", "shi"]
    kaiju = issue.articles[0]
    assert kaiju.title == "凝心聚力开新局" and kaiju.subtitle.startswith("——")
    assert kaiju.authors == ("王明远",) and kaiju.section.name == "特别关注"
    assert kaiju.date == issue.date  # defaults to the issue date
    assert kaiju.body_line == 8 and kaiju.body.startswith("新的一年")
    assert issue.articles[1].affiliation == "云南"


def test_order_then_file_name(project):
    write(project / "content/2026/01/b.md", "---\ntitle: 乙\nsection: news\n---\n正文\n")
    write(project / "content/2026/01/a.md", "---\ntitle: 甲\nsection: news\norder: 5\n---\n正文\n")
    write(project / "content/2026/01/c.md", "---\ntitle: 丙\nsection: news\norder: 1\n---\n正文\n")
    archive, report = load_project(project)
    assert [a.slug for a in archive.issue("2026-01").articles] == ["kaiju", "c", "a", "b", "shi"]


def test_byline_mark(project):
    """byline_mark keeps the mark a manuscript used before its byline (□); anything else is refused."""
    text = "---\ntitle: 诗\nsection: poetry\nauthors: [李青]\nbyline_mark: □\n---\n正文\n"
    write(project / "content/2026/01/m.md", text)
    archive, report = load_project(project)
    assert not report.errors
    assert [a.byline_mark for a in archive.issue("2026-01").articles if a.slug == "m"] == ["□"]
    write(project / "content/2026/01/m.md", "---\ntitle: 诗\nsection: poetry\nbyline_mark: ※\n---\n正文\n")
    _, report = load_project(project)
    assert ("bad_choice", "content/2026/01/m.md", 4) in codes(report)


def test_section_by_name_and_drafts(project):
    write(project / "content/2026/01/d.md", "---\ntitle: 草稿\nsection: 工作动态\ndraft: true\n---\n正文\n")
    archive, _ = load_project(project)
    assert "d" not in [a.slug for a in archive.issue("2026-01").articles]
    archive, _ = load_project(project, drafts=True)
    assert [a.section.id for a in archive.issue("2026-01").articles if a.slug == "d"] == ["news"]


def test_slugs():
    assert slug_for("kaiju") == "kaiju"
    assert slug_for("Kai_Ju") == "kai-ju"
    assert slug_for("开局之年") == "kai-ju-zhi-nian"
    assert slug_for("开局", "own") == "own"
    assert pinyin_slug("“两个联系”制度：2026年") == "liang-ge-lian-xi-zhi-du-2026-nian"
    assert pinyin_slug("！？") == "article"


def test_chinese_file_name_gets_a_pinyin_slug(project):
    write(project / "content/2026/01/工作动态.md", "---\ntitle: 动态\nsection: news\n---\n正文\n")
    archive, _ = load_project(project)
    assert "gong-zuo-dong-tai" in [a.slug for a in archive.issue("2026-01").articles]


def test_split_front_matter():
    assert split_front_matter("---\na: 1\n---\nbody") == ("a: 1", "body", 4)
    assert split_front_matter("---\na: 1\n...\nbody")[2] == 4
    assert split_front_matter("no front matter") is None
    with pytest.raises(ValueError):
        split_front_matter("---\na: 1\nbody")


def test_bom_and_crlf_are_read_with_a_warning_and_right_lines(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n")
    report = Report(tmp_path)
    assert read_text(p, report, tmp_path) == "---\ntitle: x\n---\n"
    assert codes(report) == [("bom", "a.md", 1)]


def test_yaml_keeps_dates_as_text_and_lines():
    report = Report()
    doc = parse("a: 1\nb:\n  c: 2026-01-05\n  d: [x, y]\n", "f", report, line_offset=10)
    assert doc.data == {"a": 1, "b": {"c": "2026-01-05", "d": ["x", "y"]}}
    assert (doc.line("a"), doc.line("b", "c"), doc.line("b", "d", 1), doc.line("zz")) == (11, 13, 14, 11)


def test_yaml_aliases_cost_nothing():
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lol += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    report = Report()
    assert parse(lol, "f", report) is not None and not report.items


# --- one test per kind of problem: code, file and line -------------------------------------

FM = "---\ntitle: 凝心聚力开新局\nsection: feature\n{extra}---\n正文。\n"


def kaiju(extra: str = "", **replace: str) -> str:
    text = FM.format(extra=extra)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


CASES = [
    # (what, files to write, expected (code, file, line))
    ("yaml syntax", {KAIJU: kaiju("title2: a: b\n")}, ("yaml_syntax", KAIJU, 4)),
    ("unclosed front matter", {KAIJU: "---\ntitle: 标题\nsection: news\n正文\n"}, ("fm_unclosed", KAIJU, 1)),
    ("no front matter", {KAIJU: "正文\n"}, ("fm_missing", KAIJU, 1)),
    ("missing key", {KAIJU: "---\nsection: news\n---\n正文\n"}, ("missing_key", KAIJU, 2)),
    ("wrong type", {KAIJU: kaiju("authors: {a: b}\n")}, ("wrong_type", KAIJU, 4)),
    ("unknown key", {KAIJU: kaiju("autor: 张三\n")}, ("unknown_key_suggest", KAIJU, 4)),
    ("unknown key, nothing close", {KAIJU: kaiju("xyz: 1\n")}, ("unknown_key", KAIJU, 4)),
    (
        "unknown section",
        {KAIJU: kaiju(**{"section: feature": "section: 要闻"})},
        ("unknown_section", KAIJU, 3),
    ),
    ("invalid date", {KAIJU: kaiju("date: 2026-02-30\n")}, ("bad_date", KAIJU, 4)),
    ("empty value", {KAIJU: kaiju(**{"title: 凝心聚力开新局": "title: ' '"})}, ("empty_value", KAIJU, 2)),
    ("number out of range", {KAIJU: kaiju("columns: 3\n")}, ("bad_number", KAIJU, 4)),
    ("duplicate key", {KAIJU: kaiju("section: news\n")}, ("yaml_duplicate_key", KAIJU, 4)),
    ("bad slug", {KAIJU: kaiju("slug: Kai Ju\n")}, ("bad_slug", KAIJU, 4)),
    (
        "duplicate slug",
        {"content/2026/01/x.md": "---\ntitle: x\nsection: news\nslug: kaiju\n---\n正文\n"},
        ("duplicate_slug", "content/2026/01/x.md", 4),
    ),
    ("empty file", {KAIJU: ""}, ("empty_file", KAIJU, None)),
    ("not utf-8 (GBK)", {KAIJU: kaiju().encode("gbk")}, ("not_utf8", KAIJU, 2)),
    ("missing image", {KAIJU: kaiju() + "\n![图](images/no.png)\n"}, ("missing_image", KAIJU, 7)),
    ("image outside", {KAIJU: kaiju() + "\n![图](../../../x.png)\n"}, ("image_outside", KAIJU, 7)),
    ("remote image", {KAIJU: kaiju() + "\n![图](https://a.b/c.png)\n"}, ("image_remote", KAIJU, 7)),
    ("unclosed poem", {KAIJU: kaiju() + "\n::: poem\n一行\n"}, ("poem_unclosed", KAIJU, 7)),
    ("nested too deep", {KAIJU: kaiju() + "\n" + "> " * 40 + "x\n"}, ("too_deep", KAIJU, 7)),
    ("issue.yaml missing", {ISSUE: None}, ("no_issue_yaml", "content/2026/01/", None)),
    ("issue number type", {ISSUE: "number: one\ntotal: 25\ndate: 2026-01-05\n"}, ("wrong_type", ISSUE, 1)),
    ("folder year", {ISSUE: "number: 1\ntotal: 25\ndate: 2027-01-05\n"}, ("folder_year_mismatch", ISSUE, 3)),
    (
        "folder number",
        {ISSUE: "number: 3\ntotal: 25\ndate: 2026-01-05\n"},
        ("folder_number_mismatch", ISSUE, 1),
    ),
    ("total gap", {ISSUE: "number: 1\ntotal: 30\ndate: 2026-01-05\n"}, ("seq_total", ISSUE, 2)),
    (
        "total repeated",
        {ISSUE: "number: 1\ntotal: 24\ndate: 2026-01-05\n"},
        ("duplicate_issue_total", ISSUE, 2),
    ),
    (
        "date not after",
        {
            "content/2026/02/issue.yaml": "number: 2\ntotal: 26\ndate: 2026-01-05\n",
            "content/2026/02/a.md": "---\ntitle: a\nsection: news\n---\nx\n",
        },
        ("seq_date", "content/2026/02/issue.yaml", 3),
    ),
    ("year folder", {"content/abc/01/issue.yaml": "number: 1\n"}, ("bad_year_folder", "content/abc/", None)),
    (
        "issue folder",
        {"content/2026/x/issue.yaml": "number: 1\n"},
        ("bad_issue_folder", "content/2026/x/", None),
    ),
    ("settings not a mapping", {"bulletin.yaml": "- a\n- b\n"}, ("yaml_not_mapping", "bulletin.yaml", 1)),
    (
        "unknown frequency",
        {
            "bulletin.yaml": "title: a\npublisher: b\nfrequency: yearly\nsections:\n"
            "  - {id: news, name: 动态}\n"
        },
        ("bad_choice", "bulletin.yaml", 3),
    ),
]


@pytest.mark.parametrize("what,files,expected", CASES, ids=[c[0] for c in CASES])
def test_problem_names_file_and_line(project, what, files, expected):
    for rel, data in files.items():
        p = project / rel
        if data is None:
            p.unlink()
        elif isinstance(data, bytes):
            p.write_bytes(data)
        else:
            write(p, data)
    _archive, report = load_project(project)
    assert expected in codes(report), codes(report)
    d = next(d for d in report.items if (d.code, d.file, d.line) == expected)
    for lang in ("zh", "en"):  # a message and a fix in both languages
        messages.set_language(lang)
        try:
            assert d.message and (d.hint or d.severity == "warning"), d.format()
        finally:
            messages.set_language("zh")


def test_every_problem_is_reported_in_one_run(project):
    write(project / KAIJU, kaiju("autor: x\ndate: 2026-02-30\n"))
    write(project / "content/2026/01/shi.md", "---\ntitle: 诗\n---\n正文\n")
    write(project / ISSUE, "number: 1\ntotal: 25\ndate: 2026-01-05\ntitel: x\n")
    _archive, report = load_project(project)
    assert {(d.code, d.file) for d in report.errors} >= {
        ("unknown_key_suggest", KAIJU),
        ("bad_date", KAIJU),
        ("missing_key", "content/2026/01/shi.md"),
        ("unknown_key_suggest", ISSUE),
    }


def test_caret_points_at_the_column(project):
    write(project / KAIJU, kaiju("tags: [a, b\n"))
    _archive, report = load_project(project)
    text = next(d for d in report.errors if d.file == KAIJU).format()
    assert "content/2026/01/kaiju.md:4:" in text and "\n    4 | tags: [a, b" in text and "^" in text


def test_symlinked_article_is_named_where_it_is(project, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: x\nsection: news\n---\n正文\n", encoding="utf-8")
    (project / "content/2026/01/link.md").symlink_to(outside)
    _archive, report = load_project(project)
    assert ("symlink_outside", "content/2026/01/link.md", None) in codes(report)


def test_symlink_inside_the_project_is_fine(project):
    (project / "content/2026/01/alias.md").symlink_to(project / "content/2025/24/nianzhong.md")
    archive, report = load_project(project)
    assert not report.errors
    assert "alias" in [a.slug for a in archive.issue("2026-01").articles]


def test_misspelt_required_key_is_one_error_not_two(project):
    art = project / "content/2026/01/kaiju.md"
    art.write_text(
        art.read_text(encoding="utf-8").replace("section: feature", "sectoin: feature"), encoding="utf-8"
    )
    _, report = load_project(project)
    about = [c for c in codes(report) if c[1] == "content/2026/01/kaiju.md"]
    assert about == [("unknown_key_suggest", "content/2026/01/kaiju.md", 4)]
    assert report.errors[0].args["suggestion"] == "section"


# --- the fast path for plain front matter reads what libyaml reads --------------------------------------

_KEYS = ["title", "section", "tags", "order", "date", "yes", "no", "null", "1", "标题", "a b", "-x", "title ",
         "On", "y", "_x"]
_VALUES = [
    '久久为功 推动代表工作', 'feature', 'yes', 'No', 'on', 'null', '~', '', '1',
    '01', '0x1F', '1.5', '1e3', '.inf', '2026-01-05', '12:30', 'a: b',
    'a #c', '#c', '[a, b]', '[]', '[ ]', '[a,]', '[1, 2]', '[[a]]',
    '[a, [b]]', "'引号'", '"引号"', '&a', '*a', '!x', '|', '>', '%', '@',
    '`', '- x', 'a,b', ' x', 'x ', 'a\tb', 'a\x07b', 'a\x85b',
    'a\u2028b', '——副题', '《人民代表报》', '<<', '=', '-1', '+1', '1_000',
    'a  b', '[立法工作, 监督工作]', '[龚振宇]',
    '[监督\x0c, 立法]', '[监督\u3000, 立法]', '[\u3000]', '[a,\tb]', '[ a ,b ]',
    '[ 甲 , 乙 ]', '[a] x', 'x]', '[x',
    '中文：冒号', "a'b", 'a"b', '\ufeff', '𠀀字', 'true', 'False',
]


def _fast_and_full(text: str):
    """(the fast path's document or None, what libyaml's path gives, the report of that parse)."""
    from bulletin.content import yamlfile

    fast = yamlfile._parse_simple(text, 1)
    saved = yamlfile._parse_simple
    yamlfile._parse_simple = lambda _text, _offset: None
    try:
        report = Report(Path("."))
        full = parse(text, "x.md", report, line_offset=1)
    finally:
        yamlfile._parse_simple = saved
    return fast, full, report


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from([": ", ":  ", ":", " : "]),
                          st.sampled_from(_VALUES)), max_size=6),
       st.sampled_from(["", "\n", "\n\n", "\n# 注释"]))
def test_plain_front_matter_reads_as_libyaml_reads_it(lines, tail):
    """yamlfile.parse takes plain `key: value` front matter without libyaml (a fast path); on these and
    near misses, what it returns — data and the line of every key and item — is what libyaml gives."""
    text = "\n".join(k + sep + v for k, sep, v in lines) + tail
    fast, full, report = _fast_and_full(text)
    if fast is None:
        return
    assert full is not None and not report.items
    assert (fast.data, fast.lines, fast.first_line) == (full.data, full.lines, full.first_line)
    assert [type(v) for v in fast.data.values()] == [type(v) for v in full.data.values()]


@pytest.mark.parametrize("value", _VALUES)
def test_each_value_alone_reads_as_libyaml_reads_it(value):
    """Every value of the list above, alone in a line: the fast path refuses it or agrees with libyaml."""
    for text in (f"title: {value}", f"tags: {value}", f"title: 甲\ntags: {value}\norder: 3"):
        fast, full, report = _fast_and_full(text)
        if fast is not None:
            assert full is not None and not report.items, text
            assert (fast.data, fast.lines) == (full.data, full.lines), text
            assert [type(v) for v in fast.data.values()] == [type(v) for v in full.data.values()]


def test_plain_front_matter_takes_the_fast_path():
    from bulletin.content.yamlfile import _parse_simple

    text = "title: 久久为功 推动代表工作\nsection: feature\nauthors: [龚振宇, 赖淑芬]\ntags: []\norder: 2"
    doc = _parse_simple(text, 1)
    assert doc is not None and doc.data["authors"] == ["龚振宇", "赖淑芬"] and doc.data["order"] == 2
    assert doc.line("authors", 1) == 4 and doc.line("order") == 6
    refused = ["draft: yes", "title: a: b", "title: '引号'", "order: ~", "tags:\n  - a", "title: x # 注释"]
    for text in refused:
        assert _parse_simple(text, 1) is None, text


def test_split_front_matter_cuts_where_the_lines_say():
    """The front matter ends at the first line after the opening --- that is --- or ... (trailing blanks
    allowed); the body is everything after it, and its first line number is reported."""
    import random
    import re

    close = re.compile(r"^(---|\.\.\.)[ \t]*$")

    def by_lines(text):  # the definition, line by line
        lines = text.split("\n")
        if lines[0].rstrip() != "---":
            return None
        for i in range(1, len(lines)):
            if close.match(lines[i]):
                return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
        return "unclosed"

    pieces = ["---", "--- ", "---\t", "...", "... ", " ---", "----", "title: x", "", "正文", "a---", "\u3000"]
    rnd = random.Random(3)
    for _ in range(20000):
        text = "\n".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 7))) + rnd.choice(["", "\n"])
        try:
            got = split_front_matter(text)
        except ValueError:
            got = "unclosed"
        assert got == by_lines(text), repr(text)
