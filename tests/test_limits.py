"""bulletin/content/limits.py and the loader checks that keep absurd input from costing minutes or
gigabytes (issue 9.17), and the loader's warnings about articles that would silently go missing or appear
twice (issue 9.11-13). The figures the limits come from are in limits.py."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import write

from bulletin.build import load
from bulletin.content.limits import (
    MAX_FOOTNOTE_CALLS,
    MAX_PARAGRAPH_CHARS,
    MAX_SHORT_TEXT_CHARS,
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
    body_size_problems,
    text_too_long,
)
from bulletin.diagnostics import Report


def _table(rows: int, cols: int) -> str:
    head = "| " + " | ".join(f"h{c}" for c in range(cols)) + " |\n" + "|---" * cols + "|\n"
    return head + "".join("| " + " | ".join("x" for _ in range(cols)) + " |\n" for _ in range(rows))


def _codes(body: str) -> list[tuple[str, int]]:
    return [(code, line) for code, line, _args in body_size_problems(body)]


def test_ordinary_bodies_pass():
    body = ("这是一段正常的文字，" * 100 + "\n\n") * 50 + _table(29, 8) + "\n- 一\n- 二\n"
    assert body_size_problems(body) == []


def test_paragraph_limit_counts_soft_line_breaks_but_not_blocks():
    half = "字" * (MAX_PARAGRAPH_CHARS // 2)
    assert _codes(half + "\n" + half) == []  # exactly at the limit
    assert _codes("前言\n\n" + half + "\n" + half + "多") == [("paragraph_too_long", 2)]  # one paragraph
    items = "\n".join(f"- {half}" for _ in range(3))  # list items are blocks of their own
    assert _codes(items) == []
    (code, line, args), = body_size_problems("x" * 1_000_000)
    assert (code, line, args["chars"]) == ("paragraph_too_long", 0, 1_000_000)


def test_each_long_paragraph_is_reported_on_its_first_line():
    long = "字" * (MAX_PARAGRAPH_CHARS + 1)
    assert _codes(long + "\n\n短\n\n" + long) == [("paragraph_too_long", 0), ("paragraph_too_long", 4)]


def test_table_limits():
    assert _codes("表：\n\n" + _table(10, MAX_TABLE_COLUMNS)) == []
    assert _codes("表：\n\n" + _table(10, MAX_TABLE_COLUMNS + 1)) == [("table_too_wide", 2)]
    rows = MAX_TABLE_CELLS // 10  # with its header row: just over the limit
    assert _codes(_table(rows - 1, 10)) == []
    assert _codes(_table(rows, 10)) == [("table_too_big", 0)]
    # the article's tables together: the one that crosses the limit is named (the second), once
    half = _table(rows // 2, 10)  # 251 rows of 10 cells
    (code, line, args), = body_size_problems(half + "\n" + half + "\n" + half)
    assert (code, line, args["cells"]) == ("table_too_big", rows // 2 + 3, 2 * 2510)


def test_footnote_definitions_in_a_row_are_no_paragraph():
    """3,000 short notes defined one per line (no blank lines between them) are blocks, not one long
    paragraph; their calls are counted against the footnote limit instead."""
    calls = "".join(f"第{i}段[^n{i}]。\n\n" for i in range(MAX_FOOTNOTE_CALLS))
    notes = "".join(f"[^n{i}]: 注释第{i}条，出处与页码。\n" for i in range(3000))
    assert _codes(calls + notes) == []


def test_footnote_calls_past_the_limit_are_refused_at_the_first_one_past_it():
    ok = "正文" + "[^1]" * MAX_FOOTNOTE_CALLS + "。\n\n[^1]: 注一。\n"
    assert _codes(ok) == []
    (code, line, args), = body_size_problems("前言\n\n" + ok.replace("。", "[^1]。", 1))
    assert (code, line, args["calls"]) == ("footnotes_too_many", 2, MAX_FOOTNOTE_CALLS + 1)
    many = "".join(f"第{i}段[^1]。\n\n" for i in range(MAX_FOOTNOTE_CALLS + 5)) + "[^1]: 注一。\n"
    assert _codes(many) == [("footnotes_too_many", 2 * MAX_FOOTNOTE_CALLS)]


def test_emphasis_nested_past_the_limit_is_refused():
    """250 nested <strong> (500 asterisks each side) were an internal error in the PDF's layout."""
    from bulletin.content.limits import MAX_MARKDOWN_DEPTH, markdown_nesting

    n = 2 * (MAX_MARKDOWN_DEPTH + 1)
    assert markdown_nesting("前言\n\n" + "*" * 500 + "强调" + "*" * 500 + "\n") == (2, 250)
    assert markdown_nesting("正文" + "_" * n + "x" + "_" * n) == (0, MAX_MARKDOWN_DEPTH + 1)
    assert markdown_nesting("正文" + "*" * (n - 1) + "x" + "*" * (n - 1)) is None
    # a rule, code, and a rating of five stars are no nesting
    rule, code = "*" * 60, "`" + "*" * 60 + "`"
    assert markdown_nesting(f"{rule}\n\n{code}\n\n```\n{rule}x\n```\n\n    {rule}x\n\n评分：*****") is None


def test_the_check_is_linear():
    body = ("|" * 999 + "\n") * 2000 + ("字" * 999 + "\n") * 2000  # 4 MB of the worst kinds of line
    t = time.perf_counter()
    body_size_problems(body)
    assert time.perf_counter() - t < 2.0


def test_text_too_long():
    assert text_too_long({"title": "题" * MAX_SHORT_TEXT_CHARS, "summary": "摘" * 4000}) == []
    assert text_too_long({"title": "题" * 201, "authors": ["王", "李" * 300], "order": 5}) == [
        ("title", 201, 200),
        ("authors", 300, 200),
    ]


# --- the loader -------------------------------------------------------------------------------


def _load(root: Path) -> Report:
    report = Report(root)
    load(root, report)
    return report


def _found(report: Report) -> list[tuple[str, str, str, int | None]]:
    return [(d.severity, d.code, d.file, d.line) for d in report.sorted()]


def test_pictures_in_images_are_not_warned_about_only_articles(project):
    images = project / "content/2026/01/images"
    write(images / "readme.txt", "说明\n")
    write(images / "thumbs" / "small.jpg", "not looked at\n")
    write(images / "_old" / "kept.md", "---\ntitle: 留底\nsection: news\n---\n正文。\n")  # _: kept on purpose
    assert _found(_load(project)) == []
    write(images / "thumbs" / "moved.MD", "---\ntitle: 误放\nsection: news\n---\n正文。\n")
    assert _found(_load(project)) == [
        ("warning", "article_in_subfolder", "content/2026/01/images/thumbs/moved.MD", None)
    ]


def test_same_order_is_warned_at_the_second_file_only_within_a_section(project):
    issue = project / "content/2026/01"
    write(issue / "a.md", "---\ntitle: 甲\nsection: news\norder: 3\n---\n甲文。\n")
    write(issue / "b.md", "---\ntitle: 乙\nsection: news\norder: 3\n---\n乙文。\n")
    write(issue / "c.md", "---\ntitle: 丙\nsection: poetry\norder: 3\n---\n丙文。\n")  # another section
    write(issue / "d.md", "---\ntitle: 丁\nsection: news\n---\n丁文。\n")  # no order: sorted by name
    report = _load(project)
    assert _found(report) == [("warning", "duplicate_order", "content/2026/01/b.md", 4)]
    assert "content/2026/01/a.md" in report.items[0].message


def test_copies_are_the_same_title_and_body(project):
    body = (
        "● 12月18日，市人大常委会召开年终工作座谈会，总结一年来的履职情况。\n\n"
        "● 12月19日，常委会组成人员赴基层开展走访调研。\n"
    )
    # another title with the same body is a different article (a reprint marked as such)
    write(project / "content/2026/01/zz.md", f"---\ntitle: 转载：年终工作座谈会\nsection: news\n---\n{body}")
    assert _found(_load(project)) == []
    # the same title and body, its section and date changed, trailing blank lines added
    write(project / "content/2026/01/fuben.md",
          f"---\ntitle: 年终工作座谈会召开\nsection: feature\ndate: 2026-01-06\n---\n\n{body}\n\n")
    report = _load(project)
    assert _found(report) == [("warning", "duplicate_article", "content/2026/01/fuben.md", 2)]
    assert "content/2025/24/nianzhong.md" in report.items[0].message


def test_a_long_title_refuses_the_article_before_anything_lays_it_out(project):
    title = "长" * 100_000
    write(project / "content/2026/01/x.md", f"---\ntitle: {title}\nsection: news\n---\n正文。\n")
    assert _found(_load(project)) == [("error", "text_too_long", "content/2026/01/x.md", 2)]
