"""Console output: diagnostics, progress and summaries. Progress is shown only on a terminal."""

from __future__ import annotations

import sys

import click

from bulletin import messages
from bulletin.diagnostics import Report


def print_report(report: Report) -> None:
    for d in report.sorted():
        color = "red" if d.severity == "error" else "yellow"
        text = d.format()
        first, _, rest = text.partition("\n")
        click.secho(first, fg=color, err=True, bold=d.severity == "error")
        if rest:
            click.echo(rest, err=True)


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
