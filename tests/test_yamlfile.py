"""bulletin.content.yamlfile and bulletin.schema: only plain scalars of the declared type get through."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.content import yamlfile
from bulletin.content.yamlfile import parse
from bulletin.diagnostics import Report
from bulletin.schema import Field, validate


def _full(text: str):
    """libyaml's path, without the fast path."""
    saved = yamlfile._parse_simple
    yamlfile._parse_simple = lambda _text, _offset: None
    try:
        report = Report(Path("."))
        return parse(text, "x.md", report), report
    finally:
        yamlfile._parse_simple = saved


# what YAML 1.1 reads as something else than the editor wrote
AS_TEXT = [
    "3.10",
    ".nan",
    ".inf",
    "-.inf",
    "1e400",
    "1.0e+400",
    "0x10",
    "0o17",
    "010",
    "1_0",
    "1:30",
    "2026-01-05",
    "=",
    "+1",
    "9" * 31,
]


@pytest.mark.parametrize("value", AS_TEXT)
def test_numbers_other_than_plain_decimal_integers_stay_text(value):
    doc, report = _full(f"subtitle: {value}")
    assert not report.items and doc.data == {"subtitle": value}
    fast = yamlfile._parse_simple(f"subtitle: {value}", 0)
    assert fast is None or fast.data == doc.data  # the fast path agrees (or leaves it to libyaml)


def test_plain_decimal_integers_null_and_booleans_are_still_read():
    doc, report = _full("a: 12\nb: -3\nc: 0\nd: true\ne: ~\nf:\n")
    assert not report.items and doc.data == {"a": 12, "b": -3, "c": 0, "d": True, "e": None, "f": None}


@pytest.mark.parametrize(
    "text, tag",
    [
        ("title: !!binary aGVsbG8=", "!!binary"),
        ("title: !!timestamp 2026-01-05", "!!timestamp"),
        ("order: !!float 1", "!!float"),
        ("order: !!int 0x10", "!!int"),
        ("tags: !!set {a: null}", "!!set"),
        ("tags: !!omap [a: 1]", "!!omap"),
        ("tags: !!pairs [a: 1]", "!!pairs"),
        ("title: !mine x", "!mine"),
        ("title: !!python/object/apply:os.system [id]", "!!python/object/apply:os.system"),
        ("!!binary a2V5: x", "!!binary"),
    ],
)
def test_explicit_tags_are_refused_with_their_line(text, tag):
    doc, report = _full("section: news\n" + text)
    assert doc is None
    assert [(d.code, d.line, d.args["tag"]) for d in report.items] == [("yaml_tag", 2, tag)]


@pytest.mark.parametrize("text, value", [("title: !!str 2026", "2026"), ("order: !!int 5", 5)])
def test_a_tag_naming_the_plain_type_is_harmless(text, value):
    doc, report = _full(text)
    assert not report.items and list(doc.data.values()) == [value]


def test_merge_keys_are_refused():
    doc, report = _full("base: &b {title: x}\n<<: *b\n")
    assert doc is None and [(d.code, d.line) for d in report.items] == [("yaml_merge", 2)]


def test_keys_are_their_text():
    doc, report = _full("1: a\ntrue: b\nnull: c\n")
    assert not report.items and doc.data == {"1": "a", "true": "b", "null": "c"}


FIELDS = (
    Field("number", "int", lo=1, hi=99, example="4"),
    Field("bleed_mm", "number", lo=0, hi=10, example="3"),
    Field("title", "str"),
)


@pytest.mark.parametrize(
    "text, code",
    [
        ("bleed_mm: .nan", "number_form"),
        ("bleed_mm: .inf", "number_form"),
        ("bleed_mm: 1e1", "number_form"),
        ("number: 0x10", "number_form"),
        ("number: 1_0", "number_form"),
        ("number: 2.5", "number_form"),
        ("number: true", "wrong_type"),
        ("number: 二", "wrong_type"),
        ("number: '²'", "wrong_type"),  # str.isdigit() says yes, int() says no
        ("number: --5", "wrong_type"),  # int("--5") would raise
        ("number: " + "9" * 5000, "bad_number"),
        ("number: 100", "bad_number"),
    ],
)
def test_numbers_must_be_plain_decimals_in_range(text, code):
    doc, report = _full(text)
    assert doc is not None, report.items
    out = validate(doc, FIELDS, "x.yaml", report)
    assert out == {} and [d.code for d in report.items] == [code]
    assert len(report.items[0].message) < 200  # a 5,000-digit number is not quoted whole


@pytest.mark.parametrize(
    "text, value",
    [
        ("number: 08", {"number": 8}),
        ("number: 010", {"number": 10}),
        ("number: '7'", {"number": 7}),
        ("bleed_mm: 3.5", {"bleed_mm": 3.5}),
        ("bleed_mm: 2", {"bleed_mm": 2}),
        ("title: 3.10", {"title": "3.10"}),
    ],
)
def test_plain_decimals_read_as_an_editor_means_them(text, value):
    doc, report = _full(text)
    assert validate(doc, FIELDS, "x.yaml", report) == value and not report.items


@pytest.mark.parametrize(
    "text", ['title: "a\\x00b"', 'title: "a\\vb"', 'title: "a\\uffffb"', 'tags: ["a\\x1fb"]']
)
def test_escapes_cannot_smuggle_invisible_characters_into_text(text):
    doc, report = _full(text)
    fields = (Field("title", "str"), Field("tags", "strlist"))
    assert validate(doc, fields, "x.md", report) == {} and [d.code for d in report.items] == [
        "invisible_char"
    ]


def test_an_unknown_key_shows_its_invisible_characters():
    doc, report = _full("ti\u200btle: x")
    validate(doc, FIELDS, "x.md", report)
    assert report.items[0].args["key"] == "ti\\u200btle"
