"""YAML with line numbers: safe loading, duplicate keys, dates kept as text for our own checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bulletin import messages
from bulletin.diagnostics import Report

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader reading plain scalars the way an editor means them (see _IMPLICIT): no timestamps (dates
    stay text so we can report bad ones ourselves), no floats (text; numbers are read by the schema, so
    .nan or 1e400 never pass as a bleed), integers only in plain decimal, no merge keys; mapping keys are
    always their text."""

    def construct_mapping(self, node, deep=False):
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


_TAG = "tag:yaml.org,2002:"
# Plain scalars that are not text: YAML 1.1's null and booleans, and decimal integers of at most 30 digits
# (0x10, 0o17, 010, 1_0, 1:30 and longer numbers are text, which the schema then refuses where a number
# belongs: a whole number an editor writes is decimal, and int() on 5,000 digits raises ValueError).
_IMPLICIT = (  # (kind, first characters, pattern)
    ("null", ("~", "n", "N", ""), r"^(?:~|null|Null|NULL|)$"),
    (
        "bool",
        tuple("yYnNtTfFoO"),
        r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE"
        r"|on|On|ON|off|Off|OFF)$",
    ),
    ("int", tuple("-0123456789"), r"^-?(?:0|[1-9][0-9]{0,29})$"),
)
_Loader.yaml_implicit_resolvers = {}
for _kind, _firsts, _pattern in _IMPLICIT:
    for _first in _firsts:
        _Loader.yaml_implicit_resolvers.setdefault(_first, []).append((_TAG + _kind, re.compile(_pattern)))
_PLAIN_TAGS = {_TAG + k for k in ("str", "int", "bool", "null")}

MAX_DEPTH = 20  # real files nest 3-4 levels deep
MAX_NODES = 50_000  # far more keys and items than any settings file or front matter has
# Checked on the raw text before parsing: libyaml's composer recurses in C and crashes the interpreter
# (segmentation fault) on ~50,000 nested brackets, long before Python's recursion limit could help.
_PRESCAN_DEPTH = 50
_FLOW_RE = re.compile(r"[\[\]{}]")
_BLOCK_INDICATORS_RE = re.compile(r"^[ \t]*(?:[-?:][ \t]+)+", re.M)


@dataclass
class YamlDoc:
    """A parsed YAML mapping and the line of each key, by path: ("sections", 0, "id") → 12."""

    data: dict
    lines: dict[tuple, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *path: object) -> int:
        """Line of the key at `path`, or of its nearest parent, or the document's first line."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.first_line


def parse(
    text: str, file: Path | str, report: Report, *, line_offset: int = 0, what: str = ""
) -> YamlDoc | None:
    """Parse a YAML mapping. Problems are reported (with lines shifted by `line_offset`) and give None."""
    simple = _parse_simple(text, line_offset)
    if simple is not None:
        return simple
    deep_line = _absurd_nesting(text)
    if deep_line is not None:
        report.error(file, deep_line + 1 + line_offset, "yaml_too_deep")
        return None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDoc({}, {}, line_offset + 1)
            if not isinstance(node, yaml.MappingNode):
                report.error(
                    file, node.start_mark.line + 1 + line_offset, "yaml_not_mapping", what=what or str(file)
                )
                return None
            lines: dict[tuple, int] = {}
            walker = _Walker(file, report, line_offset)
            if not walker.walk(node, (), lines, 0):
                return None
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (exc.problem or "") in _AT_CONTEXT:
            # where the bracket or quote was opened, or the line that lacks its colon: not the line
            # where the parser gave up
            mark = exc.context_mark
        # an error at the very end (an unclosed bracket) points past the last line: name the last line
        line = min(mark.line, text.rstrip("\n").count("\n")) + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "?"
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            problem = "found a tab character"  # libyaml words it as "cannot start any token"
        report.error(file, line, "yaml_syntax", column=col, problem=messages.yaml_problem(problem))
        return None
    except yaml.YAMLError as exc:
        report.error(file, line_offset + 1, "yaml_syntax", problem=str(exc).splitlines()[0])
        return None
    except RecursionError:
        report.error(file, line_offset + 1, "yaml_too_deep")
        return None
    return YamlDoc(data, lines, line_offset + 1)


# --- a fast path for the plain `key: value` lines most front matter is made of ---------------------------


class _Resolver(yaml.resolver.BaseResolver):
    """What a plain scalar means to our loader (the same implicit resolvers: no timestamps)."""


_Resolver.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_resolve = _Resolver().resolve
_STR, _INT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int"
_SIMPLE_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): +(\S(?:.*\S)?)")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
# text libyaml reads as it is: printable, no character that means something to YAML anywhere in it
_PLAIN = re.compile("[^\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff:#,\\[\\]{}]+")
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
_SIMPLE_MAX_NODES = 1000  # far more than any front matter


def _simple_scalar(value: str) -> object:
    """A plain scalar's value if it is plain text or a decimal integer to YAML too, else _REFUSED."""
    if value[0] in _INDICATORS or not _PLAIN.fullmatch(value) or "  " in value:
        return _REFUSED
    tag = _resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    if tag == _INT and _DECIMAL.fullmatch(value):
        return int(value)
    return _REFUSED  # true/false, null, floats, octal…: libyaml's way


_REFUSED = object()


def _parse_simple(text: str, line_offset: int) -> YamlDoc | None:
    """The document when it is only `key: value` lines whose values are plain text, decimal integers or
    flow lists of those (`tags: [监督, 立法]`): what libyaml would make of it, with the same lines, without
    libyaml. None for anything else (then libyaml parses it, and reports what is wrong)."""
    if not text:
        return YamlDoc({}, {}, line_offset + 1)
    data: dict = {}
    lines: dict[tuple, int] = {}
    nodes = 0
    for i, line in enumerate(text.split("\n")):
        m = _SIMPLE_LINE.fullmatch(line)
        if m is None or m.group(1) in data or _resolve(yaml.ScalarNode, m.group(1), (True, False)) != _STR:
            return None
        key, value = m.groups()
        n = lines[(key,)] = i + 1 + line_offset
        if value[0] == "[" and value[-1] == "]":
            inner = value[1:-1].strip(" ")  # only spaces: what libyaml takes for blanks in a flow list
            parts = [v.strip(" ") for v in inner.split(",")] if inner else []
            nodes += len(parts)
            if nodes > _SIMPLE_MAX_NODES:
                return None  # libyaml's path counts nodes and says when there are too many
            items = [_simple_scalar(v) if v else _REFUSED for v in parts]
            if _REFUSED in items:
                return None
            for j in range(len(items)):
                lines[(key, j)] = n
            data[key] = items
        else:
            v = _simple_scalar(value)
            if v is _REFUSED:
                return None
            data[key] = v
    return YamlDoc(data, lines, line_offset + 1)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if 0 <= line < len(lines) else ""


def _absurd_nesting(text: str) -> int | None:
    """The 0-based line where the text nests deeper than any real file could (brackets, or "- - - -"
    on one line), or None. Cheap: bracket characters are rare in settings and front matter."""
    if text.count("[") + text.count("{") > _PRESCAN_DEPTH:
        depth = 0
        for m in _FLOW_RE.finditer(text):
            depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
            if depth > _PRESCAN_DEPTH:
                return text.count("\n", 0, m.start())
    if text.count("- ") + text.count("? ") + text.count(": ") > _PRESCAN_DEPTH:
        for m in _BLOCK_INDICATORS_RE.finditer(text):
            if len(re.findall(r"[-?:][ \t]", m.group())) > _PRESCAN_DEPTH:
                return text.count("\n", 0, m.start())
    return None


class _Walker:
    """Records the line of every key and item, and rejects duplicate keys and absurd shapes.

    A node reached twice is an alias (*name): it is not walked again, so "billion laughs" documents
    (aliases of aliases) cost nothing here, and the node budget stops anything else oversized."""

    def __init__(self, file, report: Report, off: int) -> None:
        self.file, self.report, self.off = file, report, off
        self.seen: set[int] = set()
        self.nodes = 0
        self.fatal = False  # too deep or too big: stop walking

    def walk(self, node, path: tuple, lines: dict, depth: int) -> bool:
        if id(node) in self.seen:
            return True
        self.seen.add(id(node))
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            self.report.error(self.file, node.start_mark.line + 1 + self.off, "yaml_too_deep")
            self.fatal = True
            return False
        ok = self._plain(node)
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else repr(k)
                line = k.start_mark.line + 1 + self.off
                if not self._plain(k):
                    ok = False
                elif key == "<<" and not k.style:  # a merge key: hidden keys, silent overrides
                    self.report.error(self.file, line, "yaml_merge", column=k.start_mark.column + 1)
                    ok = False
                if key in seen:
                    self.report.error(
                        self.file,
                        line,
                        "yaml_duplicate_key",
                        column=k.start_mark.column + 1,
                        key=key,
                        first=seen[key],
                    )
                    ok = False
                seen[key] = line
                lines[path + (key,)] = line
                ok = self.walk(v, path + (key,), lines, depth + 1) and ok
                if self.fatal:
                    return False
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                lines[path + (i,)] = v.start_mark.line + 1 + self.off
                ok = self.walk(v, path + (i,), lines, depth + 1) and ok
                if self.fatal:
                    return False
        return ok

    def _plain(self, node) -> bool:
        """False (reported) when the node carries an explicit tag that changes what it is: !!binary,
        !!timestamp, !!float, !!set, !!omap, !!python/…, !custom. A tag naming what the plain value is
        anyway (!!str, !!int 5) is harmless."""
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _TAG + "str" or tag == _resolve(yaml.ScalarNode, node.value, (not node.style, True)):
                return True
            if tag in _PLAIN_TAGS and tag == _resolve(yaml.ScalarNode, node.value, (True, False)):
                return True
        elif tag == _TAG + ("map" if isinstance(node, yaml.MappingNode) else "seq"):
            return True
        shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
        self.report.error(
            self.file,
            node.start_mark.line + 1 + self.off,
            "yaml_tag",
            column=node.start_mark.column + 1,
            tag=shown,
        )
        return False


_UNCLOSED = {
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "found unexpected end of stream",
    "found unexpected end of stream while scanning a quoted scalar",
}

_AT_CONTEXT = _UNCLOSED | {"could not find expected ':'"}
