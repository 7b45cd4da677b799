"""The `bulletin` command: thin — parse options, call the pipeline, print diagnostics."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from bulletin import __version__, messages
from bulletin.console import Progress, print_failure_summary, print_report
from bulletin.diagnostics import BuildError, Report

COMMANDS = {"build", "check", "new", "serve", "import"}


def _root(ctx: click.Context) -> Path:
    return ctx.obj["root"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Project folder (holding bulletin.yaml). Default: the current folder.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of messages (default zh, or BULLETIN_LANG).")
@click.version_option(__version__, prog_name="bulletin")
@click.pass_context
def cli(ctx: click.Context, root: Path, lang: str | None) -> None:
    """Build a bulletin's archive site and print-ready PDFs."""
    if lang:
        messages.set_language(lang)
    ctx.obj = {"root": root.resolve()}


@cli.command()
@click.argument("issues", nargs=-1)
@click.option("--all", "all_issues", is_flag=True, help="Build the PDFs of every issue.")
@click.option("--no-pdf", is_flag=True, help="Build the site only (previews, benchmarks).")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--force", is_flag=True, help="Rebuild everything, ignoring the cache.")
@click.option("--jobs", "-j", type=int, default=0, help="PDF worker processes (default: number of cores).")
@click.option("--wait", is_flag=True, help="If another build is running, wait for it instead of stopping.")
@click.pass_context
def build(ctx, issues, all_issues, no_pdf, drafts, force, jobs, wait) -> None:
    """Validate everything, render ISSUES' PDFs (e.g. 2026-04) and update the site."""
    from bulletin.build import BuildOptions
    from bulletin.build import build as run_build
    from bulletin.output import OutputLocked

    progress = Progress()
    opts = BuildOptions(root=_root(ctx), issues=tuple(issues), all_issues=all_issues, pdf=not no_pdf,
                        drafts=drafts, force=force, jobs=jobs, wait_for_lock=wait)
    try:
        result = run_build(opts, progress)
    except BuildError as exc:
        progress.done()
        print_report(exc.report)
        print_failure_summary(exc.report)
        sys.exit(1)
    except OutputLocked as exc:
        progress.done()
        r = Report(opts.root)
        r.error("output/", None, "locked", pid=exc.pid, path=exc.path)
        print_report(r)
        sys.exit(1)
    progress.done()
    print_report(result.report)
    parts = []
    if result.pdfs_rendered:
        parts.append("PDF " + "、".join(f"output/pdf/{k}.pdf" for k in result.pdfs_rendered))
    if result.pdfs_reused:
        parts.append(("未变化 " if messages.language() != "en" else "unchanged ") + "、".join(result.pdfs_reused))
    site_note = (f"网站 output/site/（更新 {result.site_written} 个文件）" if messages.language() != "en"
                 else f"site output/site/ ({result.site_written} files updated)")
    parts.append(site_note)
    click.secho(messages.t("built", what="；".join(parts), seconds=result.seconds), fg="green", err=True)


@cli.command()
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.pass_context
def check(ctx, drafts) -> None:
    """Validate the settings and all content; write nothing."""
    from bulletin.build import check as run_check

    archive, report = run_check(_root(ctx), drafts=drafts)
    print_report(report)
    if report.errors or archive is None:
        click.secho(messages.t("summary_errors", errors=len(report.errors), warnings=len(report.warnings)),
                    fg="red", err=True)
        sys.exit(1)
    n_articles = sum(len(i.articles) for i in archive.issues)
    click.secho(messages.t("summary_ok", issues=len(archive.issues), articles=n_articles,
                           warnings=len(report.warnings)), fg="green", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: `bulletin …` and `python build.py …`. A bare issue (2026-04) means `build 2026-04`."""
    args = list(sys.argv[1:] if argv is None else argv)
    args = _default_to_build(args)
    try:
        cli.main(args=args, prog_name="bulletin", standalone_mode=True)
    except KeyboardInterrupt:
        click.secho(messages.t("interrupted"), fg="yellow", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except BaseException:  # a bug: say so plainly, keep the traceback in a log, not on the editor's screen
        log = Path(os.environ.get("TMPDIR", "/tmp")) / "bulletin-error.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        msg = ("内部错误：bulletin 遇到了意外情况，已有的输出保持不变。请把 {log} 发给技术人员。"
               if messages.language() != "en" else
               "internal error: bulletin hit an unexpected condition; existing output is unchanged. "
               "Please send {log} to the maintainers.")
        click.secho(msg.format(log=log), fg="red", err=True)
        sys.exit(2)


def _default_to_build(args: list[str]) -> list[str]:
    """`bulletin 2026-04` and `bulletin --all` mean `bulletin build …`: insert `build` after the global
    options when no command is named."""
    i = 0
    while i < len(args) and args[i] in ("--root", "--lang"):
        i += 2
    while i < len(args) and args[i].startswith(("--root=", "--lang=")):
        i += 1
    rest = args[i:]
    if not rest or rest[0] in COMMANDS or rest[0] in ("-h", "--help", "--version"):
        return args
    return args[:i] + ["build"] + rest
