"""Console output: diagnostics, progress and summaries. Progress is shown only on a terminal."""

from __future__ import annotations

import sys

import click

from bulletin import messages
from bulletin.diagnostics import Diagnostic, Report

# Half-width punctuation (bulletin/punctuation.py) comes by the hundred in text pasted from WeChat: a
# file with this many gets one summary line and a compact list, one row per source line.
PUNCT_CODE = "punct_halfwidth"
PUNCT_GROUP_FROM = 4


def print_report(report: Report) -> None:
    items = report.sorted()
    punct: dict[str, list[Diagnostic]] = {}
    for d in items:
        if d.code == PUNCT_CODE:
            punct.setdefault(d.file, []).append(d)
    for d in items:
        group = punct.get(d.file) if d.code == PUNCT_CODE else None
        if group is not None and len(group) >= PUNCT_GROUP_FROM:
            if d is group[0]:
                _print_punct_group(group)
            continue
        color = "red" if d.severity == "error" else "yellow"
        text = d.format()
        first, _, rest = text.partition("\n")
        click.secho(first, fg=color, err=True, bold=d.severity == "error")
        if rest:
            click.echo(rest, err=True)


    total = sum(len(g) for g in punct.values())
    if total >= PUNCT_GROUP_FROM:
        click.secho(messages.t("punct_total", count=total, files=len(punct)), fg="yellow", err=True)


def _print_punct_group(group: list[Diagnostic]) -> None:
    """`file: 警告: 37 处半角标点，运行 bulletin fix 2026-02 可一次改正`, then a row per source line: where,
    what becomes what, and the line as corrected (shortened around the corrections)."""
    first = group[0]
    click.secho(
        f"{first.file}: {messages.t('warning')}: "
        + messages.t("punct_file", count=len(group), issue=first.args.get("issue", "")),
        fg="yellow",
        err=True,
    )
    by_line: dict[int, list[Diagnostic]] = {}
    for d in group:
        by_line.setdefault(d.line or 0, []).append(d)
    width = max(len(f"{n}:{ds[0].column}") for n, ds in by_line.items())
    for n, ds in by_line.items():
        marks = "  ".join(f"{d.args['old'].strip() or d.args['old']}→{d.args['new']}" for d in ds)
        click.echo(f"    {f'{n}:{ds[0].column}':<{width}}  {marks}    {_corrected_excerpt(ds)}", err=True)


def _corrected_excerpt(ds: list[Diagnostic]) -> str:
    """The source line with these corrections applied, cut to the stretch around them."""
    line = ds[0].source_line.rstrip("\r\n")
    out: list[str] = []
    pos = 0
    first = last = 0
    for k, d in enumerate(sorted(ds, key=lambda d: d.column or 0)):
        start = (d.column or 1) - 1
        old = d.args["old"]
        if start < pos or line[start : start + len(old)] != old:
            return ds[0].args.get("context", "")  # the file changed since the check: the check's words
        out.append(line[pos:start])
        if k == 0:
            first = sum(map(len, out))
        out.append(d.args["new"])
        last = sum(map(len, out))
        pos = start + len(old)
    out.append(line[pos:])
    fixed = "".join(out)
    lo = max(0, first - 8)
    hi = min(len(fixed), max(last + 8, lo + 40), lo + 60)
    return ("…" if lo else "") + fixed[lo:hi] + ("…" if hi < len(fixed) else "")


def print_failure_summary(report: Report) -> None:
    click.secho(messages.t("summary_errors", errors=len(report.errors), warnings=len(report.warnings)),
                fg="red", err=True)


class Progress:
    """One updating status line on a terminal; silent otherwise."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._shown = False

    def __call__(self, msg: str) -> None:
        if not self.enabled:
            return
        click.echo(f"\r\033[K… {msg}", nl=False, err=True)
        self._shown = True

    def done(self) -> None:
        if self._shown:
            click.echo("\r\033[K", nl=False, err=True)
            self._shown = False
