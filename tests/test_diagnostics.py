"""bulletin/diagnostics.py: how a problem reaches the editor — `file:line:col: 错误: message`, the line
quoted with a caret under the right character (Chinese characters are two columns wide in a terminal),
the fix, in the chosen language; each problem once; paths as the editor knows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin import messages
from bulletin.diagnostics import EXCERPT_CHARS, BuildError, Diagnostic, Report

SOURCE = "---\ntitle: 标题\n标题二: news\n---\n"


@pytest.fixture
def report(tmp_path) -> Report:
    r = Report(tmp_path)
    r.remember_source("content/a.md", SOURCE)
    return r


def unknown_key(report: Report, tmp_path: Path, column: int | None = 3, **kw) -> Diagnostic:
    args = dict(key="标题二", suggestion="title", allowed="title, section") | kw
    return report.error(tmp_path / "content/a.md", 3, "unknown_key_suggest", column=column, **args)


def test_the_head_line_names_file_line_column_severity_and_message(report, tmp_path):
    d = unknown_key(report, tmp_path)
    head, quoted, caret, fix = d.format().split("\n")
    assert head == 'content/a.md:3:3: 错误: 未知的键 "标题二"（是否应为 "title"？）'
    assert quoted == "    3 | 标题二: news"
    assert fix == "    如何修改: 可用的键：title, section"


def test_the_caret_stands_under_the_character_in_a_terminal(report, tmp_path):
    """Column 3 is 二: two Chinese characters (four terminal columns) before it."""
    caret = unknown_key(report, tmp_path).format().split("\n")[2]
    quoted = "    3 | 标题二: news"
    assert caret == "      | " + " " * 4 + "^"
    assert len(caret) - 1 == len("    3 | ") + 2 * 2  # the caret's column, counting 标题 as two each
    assert quoted[len("    3 | ") + 2] == "二"


def test_the_caret_pad_for_a_proportional_font_uses_ideographic_spaces(report, tmp_path):
    assert unknown_key(report, tmp_path).caret_pad() == "\u3000\u3000"
    report.remember_source("t.md", "a\tb\n")
    assert report.error("t.md", 1, "bom", column=3).caret_pad() == " \t"


def test_without_a_column_there_is_no_caret_and_without_a_line_no_quote(report, tmp_path):
    assert len(unknown_key(report, tmp_path, column=None).format().split("\n")) == 3
    d = report.error(tmp_path / "content/a.md", None, "not_text")
    assert d.location() == "content/a.md"
    assert [line.lstrip().split(":")[0] for line in d.format().split("\n")[1:]] == ["如何修改"]


def test_a_huge_line_is_quoted_around_the_column(report):
    report.remember_source("b.md", "x" * 1000 + "BAD" + "y" * 1000)
    d = report.warning("b.md", 1, "bom", column=1001)
    text, column = d.excerpt()
    assert len(text) <= EXCERPT_CHARS + 2 and text.startswith("…") and text.endswith("…")
    assert text[column - 1 : column + 2] == "BAD"
    quoted, caret = d.format().split("\n")[1:3]
    assert quoted[caret.index("^")] == "B"


def test_english(report, tmp_path):
    d = unknown_key(report, tmp_path)
    try:
        messages.set_language("en")
        head, _, _, fix = d.format().split("\n")
    finally:
        messages.set_language("zh")
    assert head == 'content/a.md:3:3: error: unknown key "标题二" (did you mean "title"?)'
    assert fix == "    fix: Allowed keys: title, section"


def test_a_suggesting_variant_shares_its_base_messages_fix(report, tmp_path):
    d = report.error("content/a.md", 5, "missing_image_suggest", path="images/a.png",
                     suggestion="images/A.png", folder="content/")  # fmt: skip
    assert not messages.has("missing_image_suggest.hint")
    assert d.hint == messages.t("missing_image.hint", path="images/a.png", suggestion="images/A.png",
                                folder="content/")  # fmt: skip
    assert d.hint


def test_a_problem_is_reported_once_but_two_problems_twice(report, tmp_path):
    unknown_key(report, tmp_path)
    unknown_key(report, tmp_path)
    assert len(report.items) == 1
    unknown_key(report, tmp_path, key="别的键")
    assert len(report.items) == 2


def test_thousands_of_warnings_are_collected_in_linear_time(report):
    for n in range(20000):
        report.warning("a.md", n + 1, "bom")
        report.warning("a.md", n + 1, "bom")
    assert len(report.warnings) == 20000 and not report.errors


def test_items_added_from_outside_are_still_deduplicated(report):
    d = report.warning("a.md", 1, "bom")
    report.items = [d]
    report.add(d)
    assert report.items == [d]


def test_sorted_by_file_then_line_then_column(report):
    report.error("b.md", 2, "bom")
    report.error("a.md", 10, "bom")
    report.error("a.md", 2, "bom", column=5)
    report.error("a.md", 2, "bom", column=1)
    report.error("", None, "bom")
    assert [d.location() for d in report.sorted()] == ["", "a.md:2:1", "a.md:2:5", "a.md:10", "b.md:2"]


def test_errors_and_warnings_are_told_apart(report):
    report.error("a.md", 1, "not_text")
    report.warning("a.md", 1, "bom")
    assert [d.code for d in report.errors] == ["not_text"]
    assert [d.code for d in report.warnings] == ["bom"]


def test_paths_are_named_relative_to_the_project_as_written(tmp_path):
    real = tmp_path / "real"
    (real / "content").mkdir(parents=True)
    (tmp_path / "link").symlink_to(real)
    r = Report(tmp_path / "link")  # the project opened through a link
    assert r.rel(tmp_path / "link/content/a.md") == "content/a.md"
    assert r.rel(real / "content/a.md") == "content/a.md"  # reached by its real path
    assert r.rel(tmp_path / "elsewhere.md") == str(tmp_path / "elsewhere.md")
    assert r.rel("already/relative.md") == "already/relative.md"


def test_a_build_error_carries_its_report(report):
    report.error("a.md", 1, "not_text")
    exc = BuildError(report)
    assert exc.report is report and "1" in str(exc)
