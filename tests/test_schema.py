"""bulletin/schema.py: every declared kind refuses a wrong value with a message naming the key, what was
expected and what was found (in Chinese and English), and converts the values it accepts."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin import messages
from bulletin.content.yamlfile import parse
from bulletin.diagnostics import Report
from bulletin.schema import Field, validate

FIELDS = (
    Field("title", "str", True, "标题", "凝心聚力开新局", allow_empty=False),
    Field("count", "int", False, "份数", "800", lo=1, hi=100),
    Field("bleed", "number", False, "出血", "3", lo=0, hi=10),
    Field("draft", "bool", False, "草稿", "false"),
    Field("date", "date", False, "日期", "2026-01-05"),
    Field("authors", "strlist", False, "作者", "王明"),
    Field("site", "mapping", False, "网站设置", "{recent_issues: 12}"),
    Field("sections", "list", False, "栏目", "[a]"),
    Field("size", "str", False, "纸张", "A4", choices=("A4", "B5")),
)


def _check(yaml_text: str, lang: str = "zh") -> tuple[dict, list]:
    messages.set_language(lang)
    try:
        report = Report()
        doc = parse(yaml_text, "x.yaml", report)
        assert doc is not None, report.items
        values = validate(doc, FIELDS, "x.yaml", report)
        return values, [(d.line, d.code, d.message) for d in report.items]
    finally:
        messages.set_language("zh")


def test_good_values_are_converted():
    values, problems = _check(
        "title: 标题\ncount: '08'\nbleed: 2.5\ndraft: true\ndate: 2026-1-5\nauthors: [王明, 李青]\n"
        "site: {a: 1}\nsections: [x]\nsize: B5\n"
    )
    assert problems == []
    assert values == {
        "title": "标题", "count": 8, "bleed": 2.5, "draft": True, "date": dt.date(2026, 1, 5),
        "authors": ("王明", "李青"), "site": {"a": 1}, "sections": ["x"], "size": "B5",
    }  # fmt: skip
    assert _check("title: t\nauthors: 王明\n")[0]["authors"] == ("王明",)  # one name is a list of one


@pytest.mark.parametrize(
    ("line", "zh", "en"),
    [
        ("count: 是", '"count" 应是整数，而不是文字', '"count" must be a whole number, not text'),
        ("count: 2.5", '应是整数，用普通的十进制数字书写，而不是 2.5', "in plain decimal digits, not 2.5"),
        ("count: 0x10", "用普通的十进制数字书写，而不是 0x10", "in plain decimal digits, not 0x10"),
        ("count: 500", '"count" 应是 1 到 100 之间的整数，而不是 500', "from 1 to 100, not 500"),
        ("bleed: [1]", '"bleed" 应是数字，而不是列表', '"bleed" must be a number, not a list'),
        ("draft: 是", '"draft" 应是true 或 false，而不是文字', '"draft" must be true or false, not text'),
        ("date: 2026-02-30", '"date" 不是有效日期：2026-02-30', '"date" is not a valid date: 2026-02-30'),
        ("authors: {a: 1}", '"authors" 应是文字或文字列表', '"authors" must be text or a list of text'),
        ("site: 12", '"site" 应是“键: 值”组，而不是整数', 'a mapping of key: value, not a whole'),
        ("sections: x", '"sections" 应是列表，而不是文字', '"sections" must be a list, not text'),
        ("size: A5", '"size" 的值 "A5" 无效', '"size" has an invalid value "A5"'),
        ("title: [a]", '"title" 应是文字，而不是列表', '"title" must be text, not a list'),
        ('title: "a\\u200bb\\x01"', '"title" 中有看不见的字符 U+0001', "invisible character U+0001"),
    ],
)
def test_each_wrong_value_is_refused_with_its_message(line, zh, en):
    text = ("title: 标题\n" if not line.startswith("title") else "") + line + "\n"
    for lang, expected in (("zh", zh), ("en", en)):
        values, problems = _check(text, lang)
        key = line.split(":")[0]
        assert key not in values or key == "title" and "title" not in values
        assert len(problems) == 1, problems
        where, _code, message = problems[0]
        assert where == text.count("\n")  # the line of the wrong value
        assert expected in message, message


def test_missing_empty_and_unknown_keys():
    _, problems = _check("count: 3\n")
    assert [(c, m) for _, c, m in problems] == [("missing_key", '缺少必填项 "title"（标题）')]
    _, problems = _check("title: ''\n")
    assert [c for _, c, _ in problems] == ["empty_value"]
    _, problems = _check("titel: 标题\n")  # a misspelt required key is one problem, with a suggestion
    assert [(line, c) for line, c, _ in problems] == [(1, "unknown_key_suggest")]
    assert '是否应为 "title"' in problems[0][2]
    _, problems = _check("title: t\ncolour: red\n")
    assert [(line, c) for line, c, _ in problems] == [(2, "unknown_key")]


def test_a_key_with_an_invisible_character_is_shown_with_it():
    _, problems = _check('title: t\n"dra\\u200bft": true\n')
    assert problems[0][1] == "unknown_key_suggest" and "dra\\u200bft" in problems[0][2]


def test_every_kind_of_value_is_named_in_both_languages():
    from bulletin import config
    from bulletin.content import loader

    declared = [f for name in dir(config) if name.endswith("_FIELDS") for f in getattr(config, name)]
    declared += [f for name in dir(loader) if name.endswith("_FIELDS") for f in getattr(loader, name)]
    kinds = {f.kind for f in declared} | {f.kind for f in FIELDS}
    assert len(kinds) == 8
    for kind in kinds | {"empty"}:
        zh, en = messages.MESSAGES["kind_" + kind]
        assert zh and en and zh != en
