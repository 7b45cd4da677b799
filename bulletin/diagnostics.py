"""Diagnostics: what is wrong, where (file, line, column) and how to fix it.

Loading collects every problem into a `Report` instead of stopping at the first, so one run tells the
editor everything to fix. The CLI prints them; nothing here prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bulletin import messages

EXCERPT_CHARS = 160  # characters of a source line quoted under a diagnostic


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" | "warning"
    file: str  # path relative to the project root ("" when not about a file)
    line: int | None
    column: int | None
    code: str  # message id in bulletin.messages
    args: dict = field(default_factory=dict, hash=False)  # compared: two missing keys are two problems
    source_line: str = ""  # the offending line of the file, for the caret excerpt

    @property
    def message(self) -> str:
        return messages.t(self.code, **self.args)

    @property
    def hint(self) -> str:
        key = self.code + ".hint"
        if not messages.has(key):
            # *_suggest variants share the hint of their base message
            key = self.code.removesuffix("_suggest") + ".hint"
        return messages.t(key, **self.args) if messages.has(key) else ""

    def location(self) -> str:
        loc = self.file
        if self.line:
            loc += f":{self.line}"
            if self.column:
                loc += f":{self.column}"
        return loc

    def excerpt(self) -> tuple[str, int | None]:
        """The source line as quoted (a megabyte-long line by its part around the column) and the
        column of the caret in that text."""
        text = self.source_line.rstrip("\r\n")
        column = self.column
        if len(text) > EXCERPT_CHARS:
            start = max(0, (column or 1) - 1 - EXCERPT_CHARS // 2)
            end = start + EXCERPT_CHARS
            text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
            column = column and column - start + (1 if start else 0)
        return text, column

    def caret_pad(self) -> str:
        """What goes before the caret under the excerpt in a monospaced font: an ideographic space under
        each wide (CJK) character, a tab under a tab, a space under anything else."""
        text, column = self.excerpt()
        if not column:
            return ""
        import unicodedata

        return "".join(
            "\t" if c == "\t" else "\u3000" if unicodedata.east_asian_width(c) in "WF" else " "
            for c in text[: column - 1]
        )

    def format(self) -> str:
        """`file:line:col: 错误: message`, the source line with a caret, and the fix."""
        head = f"{self.location()}: " if self.file else ""
        out = [f"{head}{messages.t(self.severity)}: {self.message}"]
        if self.source_line and self.line:
            text, column = self.excerpt()
            out.append(f"    {self.line} | {text}")
            if column:
                pad = _display_width(text[: column - 1])
                out.append(f"    {' ' * len(str(self.line))} | {' ' * pad}^")
        if self.hint:
            hint_lines = self.hint.splitlines()
            out.append(f"    {messages.t('hint')}: {hint_lines[0]}")
            out.extend(f"      {h}" for h in hint_lines[1:])
        return "\n".join(out)


def _display_width(text: str) -> int:
    """Terminal columns taken by text: CJK and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Report:
    """Collects diagnostics during a run."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.items: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()  # the items, to tell a repeated diagnostic at once
        self._seen_count = 0
        self._sources: dict[str, str | list[str]] = {}  # text, split into lines when first quoted

    def remember_source(self, rel: str, text: str) -> None:
        """Keep a file's text so diagnostics about it can quote the offending line."""
        self._sources[rel] = text

    def _add(
        self, severity: str, file: str | Path, line: int | None, column: int | None, code: str, args: dict
    ):
        rel = self.rel(file)
        src = ""
        lines = self._sources.get(rel)
        if isinstance(lines, str):
            lines = self._sources[rel] = lines.splitlines()
        if lines and line and 1 <= line <= len(lines):
            src = lines[line - 1]
        d = Diagnostic(severity, rel, line, column, code, args, src)
        self.add(d)
        return d

    def add(self, d: Diagnostic) -> None:
        """Add `d` unless the report has it already: in constant time, since text pasted from WeChat can
        bring thousands of punctuation warnings (a scan of the list for each made 12,000 take 16 s)."""
        if self._seen_count != len(self.items):  # `items` was replaced or appended to from outside
            self._seen = set(self.items)
            self._seen_count = len(self.items)
        if d not in self._seen:
            self.items.append(d)
            self._seen.add(d)
            self._seen_count += 1

    def error(self, file: str | Path, line: int | None, code: str, column: int | None = None, **args):
        return self._add("error", file, line, column, code, args)

    def warning(self, file: str | Path, line: int | None, code: str, column: int | None = None, **args):
        return self._add("warning", file, line, column, code, args)

    def rel(self, file: str | Path) -> str:
        """The path as the editor knows it: relative to the project, links not followed (a link is named
        by where it is, not where it leads)."""
        if isinstance(file, Path) and self.root is not None:
            path, root = os.path.abspath(file), os.path.abspath(self.root)
            if path.startswith(root + os.sep):
                return Path(path[len(root) + 1 :]).as_posix()
            try:  # the project reached through a link
                return file.relative_to(self.root.resolve()).as_posix()
            except ValueError:
                return str(file)
        return str(file)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.file, d.line or 0, d.column or 0))


class BuildError(Exception):
    """Raised when the content has errors; carries the report to print."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report
