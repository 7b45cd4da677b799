"""bulletin/desk/frontlines.py: front-matter edits that leave every other line as it was."""

from __future__ import annotations

import datetime as dt

import yaml

from bulletin.desk.frontlines import edit, key_spans, render_value

FM = """title: "原标题"   # 标题
section: news
authors:
  - 张三
  - 李四

# order: 1    # 可选
tags: [甲]"""


def test_unchanged_text_without_changes():
    assert edit(FM, {}) == FM


def test_a_changed_key_replaces_its_lines_only():
    out = edit(FM, {"authors": ["王五"]})
    assert out.split("\n") == [
        'title: "原标题"   # 标题',
        "section: news",
        "authors: [王五]",
        "",
        "# order: 1    # 可选",
        "tags: [甲]",
    ]


def test_a_new_key_takes_its_commented_example_or_goes_last():
    out = edit(FM, {"order": 2, "summary": "摘要"})
    assert "order: 2" in out.split("\n")[6] and out.endswith("summary: 摘要")


def test_none_removes():
    assert "tags" not in edit(FM, {"tags": None})
    assert edit(FM, {"nothere": None}) == FM


def test_values_read_back():
    for value in ("a: b", "#x", " lead", "true", "123", "——在会上的讲话", "多\n行", "'quote\"", "[x]"):
        out = edit("", {"k": value})
        assert yaml.safe_load(out)["k"] == value, out
    assert yaml.safe_load(edit("", {"k": ["a, b", "c"]}))["k"] == ["a, b", "c"]
    assert render_value(True) == "true" and render_value(dt.date(2026, 3, 5)) == "2026-03-05"


def test_key_spans():
    spans = key_spans(FM.split("\n"))
    assert spans["authors"] == (2, 5) and spans["tags"] == (7, 8)
