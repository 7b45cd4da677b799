"""YAML with line numbers: safe loading, duplicate keys, dates kept as text for our own checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bulletin.diagnostics import Report

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without implicit timestamps: dates stay strings so we can report bad ones ourselves."""


_Loader.yaml_implicit_resolvers = {
    ch: [r for r in rs if r[0] != "tag:yaml.org,2002:timestamp"]
    for ch, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

MAX_DEPTH = 20


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


def parse(text: str, file: Path | str, report: Report, *, line_offset: int = 0, what: str = "") -> YamlDoc | None:
    """Parse a YAML mapping. Problems are reported (with lines shifted by `line_offset`) and give None."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDoc({}, {}, line_offset + 1)
            if not isinstance(node, yaml.MappingNode):
                report.error(file, node.start_mark.line + 1 + line_offset, "yaml_not_mapping", what=what or str(file))
                return None
            lines: dict[tuple, int] = {}
            if not _walk(node, (), lines, file, report, line_offset, 0):
                return None
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "?"
        report.error(file, line, "yaml_syntax", column=col, problem=_translate(problem))
        return None
    except yaml.YAMLError as exc:
        report.error(file, line_offset + 1, "yaml_syntax", problem=str(exc).splitlines()[0])
        return None
    except RecursionError:
        report.error(file, line_offset + 1, "yaml_too_deep")
        return None
    return YamlDoc(data, lines, line_offset + 1)


def _walk(node, path: tuple, lines: dict, file, report: Report, off: int, depth: int) -> bool:
    if depth > MAX_DEPTH:
        report.error(file, node.start_mark.line + 1 + off, "yaml_too_deep")
        return False
    ok = True
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else repr(k)
            line = k.start_mark.line + 1 + off
            if key in seen:
                report.error(file, line, "yaml_duplicate_key", column=k.start_mark.column + 1, key=key, first=seen[key])
                ok = False
            seen[key] = line
            lines[path + (key,)] = line
            ok = _walk(v, path + (key,), lines, file, report, off, depth + 1) and ok
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            lines[path + (i,)] = v.start_mark.line + 1 + off
            ok = _walk(v, path + (i,), lines, file, report, off, depth + 1) and ok
    return ok


_PROBLEMS_ZH = {
    "mapping values are not allowed here": "这里不能出现“键: 值”（冒号后的文字是否需要加引号？）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进，请改用空格",
    "found unexpected end of stream": "文件意外结束（引号或括号没有配对？）",
    "did not find expected key": "缩进不对齐，或缺少键名",
    "found undefined alias": "使用了未定义的别名（* 开头的文字请加引号）",
    "expected <block end>, but found '<block mapping start>'": "缩进不对齐",
    "expected <block end>, but found '<scalar>'": "缩进不对齐，或引号后面还有多余文字",
    "did not find expected node content": "缺少内容（列表项或值是空的？）",
    "did not find expected ',' or ']'": "方括号列表没有正确结束（缺少逗号或 ]）",
    "did not find expected ',' or '}'": "花括号没有正确结束（缺少逗号或 }）",
}


def _translate(problem: str) -> str:
    from bulletin import messages

    if messages.language() == "en":
        return problem
    return _PROBLEMS_ZH.get(problem, problem)
