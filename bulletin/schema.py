"""Declared schemas for bulletin.yaml, issue.yaml and front matter, and their validation.

Each file type declares its keys as `Field`s; `validate` checks a parsed `YamlDoc` against them and
reports every problem with its line, so a wrong value names the key, the expected form and an example.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bulletin import messages
from bulletin.content.yamlfile import YamlDoc
from bulletin.diagnostics import Report

_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Numbers as YAML leaves them to us (yamlfile reads only plain decimal integers itself): plain decimals…
_DECIMAL_TEXT = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")
# …and what else looks like a number to someone who has met YAML or a programming language
_NUMBERISH = re.compile(r"[-+]?(?:[0-9][0-9A-Za-z_.:+-]*|\.[0-9A-Za-z_.+-]+)")

# The kinds of value (Field.kind) are named by the messages kind_<kind> (bulletin/messages.py).


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # str | int | bool | date | strlist | mapping | list | number
    required: bool = False
    desc: str = ""  # what it is, in Chinese (shown when missing)
    example: str = ""
    choices: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None
    allow_empty: bool = True


def _found_name(value: object) -> str:
    if isinstance(value, bool):
        kind = "bool"
    elif isinstance(value, int):
        kind = "int"
    elif isinstance(value, float):
        kind = "number"
    elif isinstance(value, dict):
        kind = "mapping"
    elif isinstance(value, list):
        kind = "list"
    elif value is None:
        return messages.t("kind_empty")
    else:
        kind = "str"
    return _kind(kind)


def _kind(kind: str) -> str:
    return messages.t("kind_" + kind)


def parse_date(value: object) -> dt.date | None:
    """A date from YAML text like 2026-03-05; None if it is not a real date."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    m = _DATE_RE.match(value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def validate(
    doc: YamlDoc, fields: tuple[Field, ...], file: Path | str, report: Report, *, prefix: tuple = ()
) -> dict:
    """Check `doc.data` (or the mapping at `prefix`) against `fields`; return the valid values, converted."""
    data = doc.data
    for p in prefix:
        data = data[p]
    by_name = {f.name: f for f in fields}
    out: dict = {}
    suggested: set[str] = set()  # required keys already named by a "did you mean" message
    for key, value in data.items():
        line = doc.line(*prefix, key)
        f = by_name.get(key)
        if f is None:
            close = difflib.get_close_matches(str(key), list(by_name), n=1, cutoff=0.6)
            allowed = ", ".join(by_name)
            if close:
                suggested.add(close[0])
                report.error(
                    file, line, "unknown_key_suggest", key=_visible(key), suggestion=close[0], allowed=allowed
                )
            else:
                report.error(file, line, "unknown_key", key=_visible(key), allowed=allowed)
            continue
        converted = _convert(f, value, line, file, report)
        if converted is not _INVALID:
            out[key] = converted
    for f in fields:
        if f.required and (f.name not in data or data[f.name] is None):
            if f.name in data:
                report.error(file, doc.line(*prefix, f.name), "empty_value", key=f.name)
            elif f.name not in suggested:  # a misspelt key is one mistake, not two
                report.error(
                    file,
                    doc.line(*prefix) if prefix else doc.first_line,
                    "missing_key",
                    key=f.name,
                    desc=f.desc,
                    example=f.example,
                )
    return out


_INVALID = object()

# What a double-quoted YAML string can smuggle in with an escape ("\x00", "\v", "\uffff"): control
# characters and noncharacters, invisible on the page and not allowed in the feeds' XML, and the
# bidirectional overrides ("\u202e" shows what follows it in reverse)
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202d\u202e\ufffe\uffff\ud800-\udfff]")


def _visible(key: object) -> str:
    """A key as text with its invisible characters shown: "descr\\u200biption" for a zero-width space that
    would otherwise print as "description"."""
    return "".join(
        f"\\u{ord(c):04x}" if c != " " and unicodedata.category(c) in ("Cf", "Cc", "Zs", "Zl", "Zp") else c
        for c in str(key)
    )


def _invisible(text: str, f: Field, line: int, file, report: Report) -> bool:
    m = _INVISIBLE.search(text)
    if m is not None:
        report.error(file, line, "invisible_char", key=f.name, char=f"U+{ord(m.group()):04X}")
    return m is not None


def _convert(f: Field, value: object, line: int, file, report: Report):
    def wrong():
        report.error(
            file,
            line,
            "wrong_type",
            key=f.name,
            expected=_kind(f.kind),
            found=_found_name(value),
            example=f.example,
        )
        return _INVALID

    if value is None:
        return None if not f.required else _INVALID
    if f.kind == "str":
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            return wrong()
        text = str(value).strip() if not isinstance(value, str) else value.strip()
        if _invisible(text, f, line, file, report):
            return _INVALID
        if not text and not f.allow_empty:
            report.error(file, line, "empty_value", key=f.name)
            return _INVALID
        if f.choices and text not in f.choices:
            report.error(file, line, "bad_choice", key=f.name, value=text, choices=" | ".join(f.choices))
            return _INVALID
        return text
    if f.kind in ("int", "number"):

        def out_of_range(shown: object) -> object:
            report.error(file, line, "bad_number", key=f.name, lo=_fmt(f.lo), hi=_fmt(f.hi), value=shown,
                         example=f.example)
            return _INVALID

        if isinstance(value, str):
            text = value.strip()
            if _DECIMAL_TEXT.fullmatch(text) and (f.kind == "number" or "." not in text):
                if len(text) > 30:  # far out of any range (and int() refuses 4,300 digits and more)
                    return out_of_range(text[:12] + "…")
                value = float(text) if "." in text else int(text)  # "08" is 8: editors count in decimal
            elif _NUMBERISH.fullmatch(text):  # 0x10, 1_000, 1e3, .nan, .inf, 1:30, 2.5 for a whole number
                report.error(
                    file,
                    line,
                    "number_form",
                    key=f.name,
                    value=text,
                    expected=_kind(f.kind),
                    example=f.example,
                )
                return _INVALID
            else:
                return wrong()
        elif (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (f.kind == "int" and isinstance(value, float))
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            return wrong()
        if (f.lo is not None and value < f.lo) or (f.hi is not None and value > f.hi):
            return out_of_range(value)
        return value
    if f.kind == "bool":
        if not isinstance(value, bool):
            return wrong()
        return value
    if f.kind == "date":
        d = parse_date(value if not isinstance(value, (int, float)) else str(value))
        if d is None:
            report.error(file, line, "bad_date", key=f.name, value=value)
            return _INVALID
        return d
    if f.kind == "strlist":
        if isinstance(value, str):
            items = [value]
        elif isinstance(value, list) and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
        ):
            items = [str(v) for v in value]
        else:
            return wrong()
        if any(_invisible(s, f, line, file, report) for s in items):
            return _INVALID
        return tuple(s.strip() for s in items if s.strip())
    if f.kind == "mapping":
        return value if isinstance(value, dict) else wrong()
    if f.kind == "list":
        return value if isinstance(value, list) else wrong()
    raise ValueError(f.kind)


def _fmt(v: float | None) -> str:
    if v is None:
        return "∞"
    return str(int(v)) if float(v).is_integer() else str(v)
