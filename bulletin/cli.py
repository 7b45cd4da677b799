"""The `bulletin` command: thin — parse options, call the pipeline, print diagnostics."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import click

from bulletin import __version__, messages
from bulletin.cli_help import LocalisedGroup, usage_error_text
from bulletin.console import Progress, print_failure_summary, print_report
from bulletin.diagnostics import BuildError, Report

COMMANDS = {"build", "check", "new", "serve", "import", "fix", "wechat", "proof", "desk"}


def _root(ctx: click.Context) -> Path:
    return ctx.obj["root"]


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value:  # before --help is processed, when it comes first (main() moves it there)
        messages.set_language(value)
    return value


@click.group(cls=LocalisedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help="Project folder (holding bulletin.yaml). Default: the current folder.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    is_eager=True,
    callback=_set_language,
    help="Language of messages and help (default zh, or BULLETIN_LANG).",
)
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
    opts = BuildOptions(
        root=_root(ctx),
        issues=tuple(issues),
        all_issues=all_issues,
        pdf=not no_pdf,
        drafts=drafts,
        force=force,
        jobs=jobs,
        wait_for_lock=wait,
        shortcut=True,  # nothing changed since the last build: say so after a walk of the stamps
    )
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
    except OSError as exc:  # disk full, permissions: the previous output is still intact
        progress.done()
        r = Report(opts.root)
        r.error(
            "output/", None, "write_failed", problem=f"{exc.strerror or exc} {exc.filename or ''}".strip()
        )
        print_report(r)
        sys.exit(1)
    progress.done()
    print_report(result.report)
    parts = []
    if result.pdfs_rendered:
        parts.append("PDF " + "、".join(f"output/pdf/{k}.pdf" for k in result.pdfs_rendered))
    if result.pdfs_reused:
        parts.append(messages.t("built_pdfs_unchanged", keys="、".join(result.pdfs_reused)))
    parts.append(messages.t("built_site", files=result.site_written))
    click.secho(messages.t("built", what="；".join(parts), seconds=result.seconds), fg="green", err=True)
    if result.pdfs_missing_rendered:
        keys = "、".join(f"output/pdf/{k}.pdf" for k in result.pdfs_missing_rendered)
        click.echo(messages.t("built_missing_pdfs", keys=keys), err=True)
    if result.pdfs_missing:
        click.secho(messages.t("missing_pdfs", keys="、".join(result.pdfs_missing)), fg="yellow", err=True)
        how = messages.t("missing_pdfs.hint", command="bulletin build --all")
        click.echo(f"    {messages.t('hint')}: {how}", err=True)
    if result.pdfs_rendered or result.pdfs_reused:
        from bulletin.print.render import output_intent_summary

        if line := output_intent_summary(result.archive):
            click.echo(line, err=True)


@cli.command()
@click.argument("issues", nargs=-1)
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--verbose", "-v", is_flag=True, help="A table of every article's word count and pages.")
@click.pass_context
def check(ctx, issues, drafts, verbose) -> None:
    """Validate the settings and all content; write nothing. Word counts and page estimates of ISSUES
    (default: the newest issues)."""
    from bulletin.build import check as run_check
    from bulletin.build import select_issue_keys

    archive, report = run_check(_root(ctx), drafts=drafts)
    counted = select_issue_keys(archive, issues, report) if archive is not None else []
    print_report(report)
    if report.errors or archive is None:
        click.secho(
            messages.t("summary_errors", errors=len(report.errors), warnings=len(report.warnings)),
            fg="red",
            err=True,
        )
        sys.exit(1)
    n_articles = sum(len(i.articles) for i in archive.issues)
    click.secho(
        messages.t(
            "summary_ok", issues=len(archive.issues), articles=n_articles, warnings=len(report.warnings)
        ),
        fg="green",
        err=True,
    )
    _print_counts(archive, counted, verbose)


def _print_counts(archive, issues, verbose: bool) -> None:
    """A line per issue (字数, estimated pages); with --verbose a table of its articles."""
    from bulletin import numbering
    from bulletin.print.estimate import article_pages, estimate_pages
    from bulletin.wordcount import count_article

    if not issues:
        return
    for issue in issues:
        counts = [count_article(a) for a in issue.articles]
        est = estimate_pages(archive, issue)
        label = numbering.issue_label(issue.year, issue.number, issue.total)
        line = messages.t(
            "count_issue",
            key=issue.key,
            label=label,
            articles=len(issue.articles),
            chars=f"{sum(c.total for c in counts):,}",
            pages=f"{est.pages:.1f}",
            printed=est.printed_pages,
        )
        click.echo(line, err=True)
        if verbose:
            head = _right(messages.t("count_table_head"), 7), _right(messages.t("count_table_pages"), 5)
            click.echo(f"  {head[0]}  {head[1]}  {messages.t('count_table_article')}", err=True)
            for article, count in zip(issue.articles, counts, strict=True):
                pages = article_pages(archive, article)
                click.echo(
                    f"  {count.total:>7,}  {pages:>5.1f}  {article.section.name} · {article.title} · "
                    f"{article.rel_path}",
                    err=True,
                )
    click.echo(messages.t("count_rule"), err=True)


@cli.command()
@click.argument("issue")
@click.argument("article", required=False)
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.pass_context
def proof(ctx, issue, article, drafts) -> None:
    """A proof PDF (校样) of ISSUE, or of one ARTICLE of it (file name or title), in output/proof/."""
    from bulletin.build import proof as run_proof
    from bulletin.output import OutputLocked

    root = _root(ctx)
    try:
        made, report = run_proof(root, issue, article, drafts=drafts)
    except BuildError as exc:
        print_report(exc.report)
        print_failure_summary(exc.report)
        sys.exit(1)
    except OutputLocked as exc:
        r = Report(root)
        r.error("output/", None, "locked", pid=exc.pid, path=exc.path)
        _fail(r)
    print_report(report)
    click.secho(
        messages.t("proof_written", path=report.rel(made.path), number=made.number, pages=made.pages),
        fg="green",
        err=True,
    )
    click.echo(messages.t("proof_note"), err=True)


def _right(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal columns (a Chinese character takes two)."""
    import unicodedata

    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return " " * max(0, width - cols) + text


def _load_publication(root: Path):
    """bulletin.yaml for the editor commands; exits with its problems if it cannot be used."""
    from bulletin.config import load_publication

    report = Report(root)
    pub = load_publication(root, report)
    if pub is None or report.errors:
        _fail(report)
    return pub


def _fail(report: Report) -> None:
    print_report(report)
    sys.exit(1)


@cli.group()
def new() -> None:
    """Create the next issue or a new article."""


@new.command("issue")
@click.option("--date", help="Publication date (YYYY-MM-DD); default: the next date of the schedule.")
@click.option("--number", type=int, help="Number within the year (default: next, or 1 in a new year).")
@click.option("--total", type=int, help="Running total (default: the previous total + 1).")
@click.pass_context
def new_issue(ctx, date, number, total) -> None:
    """Create the next issue's folder and a commented issue.yaml."""
    from bulletin.editor.new_issue import create_issue, plan_next_issue

    root = _root(ctx)
    pub = _load_publication(root)
    report = Report(root)
    plan = plan_next_issue(root, pub, report, date=date, number=number, total=total)
    if plan is None:
        _fail(report)
    path = create_issue(plan, pub)
    print_report(report)
    click.secho(
        messages.t(
            "new_issue_created",
            folder=report.rel(path.parent) + "/",
            label=plan.label,
            date=plan.date.isoformat(),
        ),
        fg="green",
        err=True,
    )
    click.echo(messages.t("new_issue_next", key=plan.key, section=pub.sections[0].id), err=True)


@new.command("article")
@click.argument("issue")
@click.argument("title")
@click.option("--section", "-s", help="Section id or name (from bulletin.yaml).")
@click.option("--author", "-a", "authors", multiple=True, help="An author (repeat for several).")
@click.option("--slug", help="URL name and file name (default: the title in pinyin).")
@click.pass_context
def new_article_cmd(ctx, issue, title, section, authors, slug) -> None:
    """Create a new article TITLE in ISSUE (such as 2026-04), with its front matter."""
    from bulletin.editor.new_article import new_article

    root = _root(ctx)
    pub = _load_publication(root)
    report = Report(root)
    path = new_article(root, pub, issue, title, report, section=section, authors=list(authors), slug=slug)
    if path is None:
        _fail(report)
    click.secho(messages.t("new_article_created", file=report.rel(path)), fg="green", err=True)


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--issue", "-i", required=True, help="The issue to add the article to, e.g. 2026-04.")
@click.option("--section", "-s", help="Section id or name (from bulletin.yaml).")
@click.option("--slug", help="URL name and file name (default: the title in pinyin).")
@click.option("--replace", is_flag=True, help="Replace the body of the article imported before.")
@click.pass_context
def import_cmd(ctx, file, issue, section, slug, replace) -> None:
    """Turn a Word document (.docx) into an article of ISSUE."""
    from bulletin.editor.docx_import import import_docx

    root = _root(ctx)
    pub = _load_publication(root)
    report = Report(root)
    ask = _ask_section if sys.stdin.isatty() and not section else None
    result = import_docx(
        root,
        pub,
        file.resolve(),
        issue,
        report,
        section=section,
        slug=slug,
        replace=replace,
        choose_section=ask,
    )
    if result is None:
        _fail(report)
    if result.replaced is not None:
        rp = result.replaced
        click.secho(
            messages.t(
                "import_replaced",
                source=file.name,
                file=report.rel(result.path),
                old=rp.old_lines,
                new=rp.new_lines,
                backup=report.rel(rp.backup) + "/",
            ),
            fg="green",
            err=True,
        )
        sep = messages.t("list_sep")
        if rp.kept:
            click.echo("  " + messages.t("import_replace_kept", items=sep.join(rp.kept)), err=True)
        if rp.added:
            click.echo("  " + messages.t("import_replace_added", keys=", ".join(rp.added)), err=True)
        old = report.rel(rp.backup / result.path.relative_to(root))
        click.echo("  " + messages.t("import_replace_diff", old=old, new=report.rel(result.path)), err=True)
    else:
        click.secho(
            messages.t("import_done", source=file.name, file=report.rel(result.path)), fg="green", err=True
        )
    if result.images:
        click.echo(
            "  "
            + messages.t(
                "import_images", n=len(result.images), folder=report.rel(result.images[0].parent) + "/"
            ),
            err=True,
        )
    if result.found:
        found = messages.t("list_sep").join(result.found)
        click.echo(
            f"  {messages.t('import_found')}{messages.t('colon')}{found}",
            err=True,
        )
    if result.unmapped:
        click.secho(
            f"  {messages.t('import_unmapped')}{messages.t('colon_tight')}",
            fg="yellow",
            err=True,
        )
        for item in result.unmapped:
            click.echo(f"    - {item}", err=True)
    # the new article through the same checks as a build, so problems show now, not at the deadline
    from bulletin.build import check as run_check

    _archive, check_report = run_check(root)
    rel = report.rel(result.path)
    print_report(_only(check_report, rel))
    click.echo("  " + messages.t("import_check"), err=True)


def _only_files(report: Report, files: set[str]) -> Report:
    out = Report(report.root)
    out.items = [d for d in report.items if d.file in files]
    return out


def _ask_section(sections):
    """Ask the editor for the section of an import (a terminal only): a number from the list or an id."""
    click.echo(messages.t("import_choose_section"), err=True)
    for i, sec in enumerate(sections, 1):
        click.echo(f"  {i}. {sec.id}（{sec.name}）", err=True)
    while True:
        try:
            answer = click.prompt(messages.t("import_choose_prompt"), err=True).strip()
        except click.Abort:  # no answer (end of input, Ctrl-C): refused like a non-interactive import
            click.echo("", err=True)
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(sections):
            return sections[int(answer) - 1]
        for sec in sections:
            if answer in (sec.id, sec.name):
                return sec
        click.echo(messages.t("import_choose_again", value=answer), err=True)


def _only(report: Report, rel: str) -> Report:
    out = Report(report.root)
    out.items = [d for d in report.items if d.file == rel]
    return out


@cli.command()
@click.argument("issues", nargs=-1)
@click.option("--yes", "-y", is_flag=True)
@click.pass_context
def fix(ctx, issues, yes) -> None:
    from bulletin.editor.fix import plan_file, select_files, write

    root = _root(ctx)
    pub = _load_publication(root)
    report = Report(root)
    files = select_files(root, tuple(issues), report)
    if files is None:
        _fail(report)
    plans = [plan_file(root, f, pub) for f in files]
    notes = Report(root)
    for p in plans:
        if p.skipped:
            notes.warning(p.rel, None, "fix_skipped", reason=messages.t(p.skipped))
        if p.by_hand:
            notes.warning(p.rel, None, "fix_front_matter", keys="、".join(p.by_hand))
    print_report(notes)
    changed = [p for p in plans if not p.skipped and p.new != p.old]
    if not changed:
        click.secho(messages.t("fix_nothing", files=len(plans)), fg="green", err=True)
        return
    colours = {"+": "green", "-": "red", "@": "cyan"}
    for p in changed:
        for line in p.diff():
            bold = line.startswith(("+++", "---"))
            click.echo(click.style(line, fg=None if bold else colours.get(line[:1]), bold=bold))
    click.echo(messages.t("fix_plan", files=len(changed), count=sum(p.changes for p in changed)), err=True)
    if not yes:
        try:
            ok = click.confirm(messages.t("fix_confirm"), default=False, err=True)
        except click.Abort:  # no answer (end of input, Ctrl-C): nothing is written
            click.echo("", err=True)
            ok = False
        if not ok:
            args = "".join(f"{k} " for k in issues)
            click.secho(messages.t("fix_not_written", args=args), fg="yellow", err=True)
            return
    backup, written = write(root, changed)
    late = Report(root)
    for p in changed:
        if p.skipped:
            late.warning(p.rel, None, "fix_skipped", reason=messages.t(p.skipped))
    print_report(late)
    if written:
        note = messages.t("fix_written", files=len(written), backup=report.rel(backup) + "/")
        click.secho(note, fg="green", err=True)
    if late.items:
        sys.exit(1)


@cli.command()
@click.argument("issue")
@click.argument("article", required=False)
@click.option("--drafts", is_flag=True)
@click.option("--width", "max_width", type=click.IntRange(200, 4000), default=1080)
@click.pass_context
def wechat(ctx, issue, article, drafts, max_width) -> None:
    from bulletin.build import load, normalise_issue_key
    from bulletin.output import STATE_DIR
    from bulletin.punctuation import typeset_archive
    from bulletin.wechat.export import ExportError, export_wechat, find_article

    root = _root(ctx)
    report = Report(root)
    archive = load(root, report, drafts=drafts, cache_dir=root / "output" / STATE_DIR)
    if archive is None or report.errors:
        print_report(report)
        print_failure_summary(report)
        sys.exit(1)
    archive = typeset_archive(archive)
    chosen = archive.issue(normalise_issue_key(issue))
    if chosen is None:
        report.error(
            "", None, "unknown_issue", key=issue, choices="、".join(i.key for i in archive.issues) or "—"
        )
        _fail(report)
    if article:
        one = find_article(chosen, article)
        if one is None:
            choices = "、".join(a.stem for a in chosen.articles) or "—"
            report.error("", None, "wechat_unknown_article", issue=chosen.key, key=article, choices=choices)
            _fail(report)
        articles = [one]
    else:
        articles = list(chosen.articles)
    try:
        done = export_wechat(
            archive, chosen, articles, report, out_dir=root / "output", whole_issue=not article,
            max_width=max_width,
        )  # fmt: skip
    except ExportError:
        print_report(report)
        print_failure_summary(report)
        sys.exit(1)
    # the warnings of what was exported (the rest of the archive's are for `check`)
    print_report(_only_files(report, {a.rel_path for a in articles} | {"templates/wechat/wechat.css"}))
    for d in done:
        folder = report.rel(d.folder) + "/"
        msg = "wechat_article_line" if d.images else "wechat_article_line_plain"
        click.echo(
            "  " + messages.t(msg, file=d.article.rel_path, folder=folder, images=len(d.images)), err=True
        )
    folder = report.rel(done[0].folder.parent) + "/" if done else "output/wechat/"
    click.secho(messages.t("wechat_done", n=len(done), folder=folder), fg="green", err=True)
    if article:
        click.echo(messages.t("wechat_next", preview=report.rel(done[0].folder / "preview.html")), err=True)
    else:
        click.echo(messages.t("wechat_next_issue", index=folder + "index.html"), err=True)


@cli.command()
@click.option(
    "--port", "-p", type=int, default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free port)."
)
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
@click.pass_context
def serve(ctx, port, drafts, open_browser) -> None:
    """Preview the site while you write: rebuilds on every save and reloads the page."""
    from bulletin.editor.serve import serve as run_serve

    root = _root(ctx)

    def ready(url: str) -> None:
        click.secho(messages.t("serve_started", url=url), fg="green", err=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    shown: list[list[str]] = [[]]

    def log(state, report) -> None:
        # the same warnings after every save would bury what changed: print the report when it differs
        current = [d.format() for d in report.sorted()] if report is not None else []
        if current != shown[0] or not state.ok:
            print_report(report)
            shown[0] = current
        if state.ok:
            click.echo(messages.t("serve_rebuilt", seconds=state.seconds), err=True)
        else:
            click.secho(messages.t("serve_failed"), fg="red", err=True)

    _until_stopped(root, lambda: run_serve(root, port, drafts=drafts, on_ready=ready, log=log))


def _until_stopped(root: Path, run: Callable[[], None]) -> None:
    """Run a server (the preview or the desk) until Ctrl-C; a port in use is an error naming another."""
    from bulletin.editor.serve import PortBusy

    try:
        run()
    except PortBusy as exc:
        r = Report(root)
        r.error("", None, "serve_port_busy", port=exc.port, other=exc.port + 1)
        _fail(r)
    except KeyboardInterrupt:
        click.echo(messages.t("serve_stopped"), err=True)


@cli.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8040, show_default=True, help="Port.")
@click.option("--behind-proxy", is_flag=True, help="Trust X-Forwarded-* headers from one reverse proxy.")
@click.pass_context
def desk(ctx, host, port, behind_proxy) -> None:
    """The editorial desk in the web browser: issues, articles, Word imports, proofs."""
    if ctx.invoked_subcommand is not None:
        return
    from bulletin.desk.accounts import AccountError
    from bulletin.desk.server import network_notice
    from bulletin.desk.server import serve as run_desk

    root = _root(ctx)
    _load_publication(root)

    def ready(url: str) -> None:
        click.secho(messages.t("desk_started", url=url), fg="green", err=True)
        if notice := network_notice(host, port):
            click.secho(notice, fg="yellow", err=True)

    try:
        _until_stopped(root, lambda: run_desk(root, host, port, behind_proxy=behind_proxy, on_ready=ready))
    except AccountError as exc:
        click.secho(f"{messages.t('error')}: {exc}", fg="red", err=True)
        sys.exit(1)


@desk.group("user")
def desk_user() -> None:
    """Add, list and remove the desk's accounts (.desk/accounts.yaml)."""


def _read_password(password_stdin: bool) -> str:
    """A new password: one line of standard input, or typed twice at the terminal (not shown)."""
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        click.secho(f"{messages.t('error')}: {messages.t('desk_password_no_tty')}", fg="red", err=True)
        sys.exit(1)
    for _ in range(3):
        first = click.prompt(messages.t("desk_password_prompt"), hide_input=True, err=True)
        second = click.prompt(messages.t("desk_password_repeat"), hide_input=True, err=True)
        if first == second:
            return first
        click.secho(messages.t("desk_password_mismatch"), fg="yellow", err=True)
    sys.exit(1)


def _account_op(op) -> None:
    from bulletin.desk.accounts import AccountError

    try:
        op()
    except AccountError as exc:
        click.secho(f"{messages.t('error')}: {exc}", fg="red", err=True)
        sys.exit(1)


@desk_user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["editor", "chief"]), required=True, help="editor or chief.")
@click.option("--display", help="Name shown in the desk and the history (default: NAME).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def desk_user_add(ctx, name, role, display, password_stdin) -> None:
    """Add an account NAME with a role and a password."""
    from bulletin.desk import accounts

    root = _root(ctx)
    _account_op(lambda: accounts.check_name(name))
    password = _read_password(password_stdin)

    def op():
        account = accounts.add_user(root, name, role, password, display)
        click.secho(messages.t("desk_user_added", name=name, role=account.role_label), fg="green", err=True)

    _account_op(op)


@desk_user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def desk_user_passwd(ctx, name, password_stdin) -> None:
    """Set a new password for NAME (their open sessions end)."""
    from bulletin.desk import accounts

    root = _root(ctx)

    def exists():
        if name not in accounts.load_accounts(root):
            raise accounts.AccountError(messages.t("desk_user_unknown", name=name))

    _account_op(exists)
    password = _read_password(password_stdin)
    _account_op(lambda: accounts.set_password(root, name, password))
    click.secho(messages.t("desk_user_passwd_done", name=name), fg="green", err=True)


@desk_user.command("list")
@click.pass_context
def desk_user_list(ctx) -> None:
    """List the accounts and their roles."""
    from bulletin.desk import accounts

    def op():
        found = accounts.load_accounts(_root(ctx))
        if not found:
            click.echo(messages.t("desk_no_accounts"), err=True)
        for a in found.values():
            click.echo(f"{a.name}\t{a.role_label}\t{a.display}")

    _account_op(op)


@desk_user.command("remove")
@click.argument("name")
@click.pass_context
def desk_user_remove(ctx, name) -> None:
    """Remove the account NAME (their open sessions end)."""
    from bulletin.desk import accounts

    _account_op(lambda: accounts.remove_user(_root(ctx), name))
    click.secho(messages.t("desk_user_removed", name=name), fg="green", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: `bulletin …` and `python build.py …`. A bare issue (2026-04) means `build 2026-04`."""
    args = list(sys.argv[1:] if argv is None else argv)
    args = _default_to_build(_language_first(args))
    try:
        _restore_sigint()
        # not standalone: click would turn Ctrl-C into "Aborted!" and exit 1
        rv = cli.main(args=args, prog_name="bulletin", standalone_mode=False)
    except click.UsageError as exc:  # wrong options and the like: said in the editor's language
        click.echo(usage_error_text(exc), err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.secho(messages.t("interrupted"), fg="yellow", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except BaseException as exc:
        if isinstance(exc, ModuleNotFoundError) and (exc.name or "bulletin").partition(".")[0] != "bulletin":
            # a package of pyproject.toml is not there
            from bulletin.missing_package import missing_package_line

            click.secho(missing_package_line(exc.name), fg="red", err=True)
            sys.exit(1)
        if _caused_by_interrupt(exc):
            # Ctrl-C broke some clean-up on its way out (e.g. a process pool interrupted while starting
            # raises RuntimeError from its shutdown): still an interruption, not a bug
            click.secho(messages.t("interrupted"), fg="yellow", err=True)
            sys.exit(130)
        # a bug: say so plainly, keep the traceback in a log, not on the editor's screen
        log = Path(os.environ.get("TMPDIR", "/tmp")) / "bulletin-error.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        click.secho(messages.t("internal_error", log=log), fg="red", err=True)
        sys.exit(2)
    if isinstance(rv, int) and rv:  # --help, --version and ctx.exit(n) return their exit code
        sys.exit(rv)


def _restore_sigint() -> None:
    """Python's own Ctrl-C handler (KeyboardInterrupt, handled by main) in place of bulletin.entry's
    quiet one for the start-up. Called inside main's try, so no Ctrl-C falls between the two."""
    import signal

    if getattr(signal.getsignal(signal.SIGINT), "bulletin_startup", False):
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Whether `exc` was raised while a KeyboardInterrupt was being handled."""
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        if isinstance(e, KeyboardInterrupt):
            return True
        seen.add(id(e))
        e = e.__context__
    return False


def run() -> None:
    """The program (`bulletin`, `python build.py`): `main()`, then leave at once. Tearing down the
    interpreter would free every object of the archive one by one (about 0.2 s for 4,800 articles) for
    nothing; output is flushed and every worker process has been waited for by then."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message")
            print(exc.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`bulletin … | head`): nothing more to say there
            pass
    os._exit(code)


def _language_first(args: list[str]) -> list[str]:
    """`--lang en` anywhere on the command line (`bulletin import --help --lang en`) moved to the front,
    where the group's option is, and the language set at once, so that all help and messages use it."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            value, rest = arg.split("=", 1)[1], args[:i] + args[i + 1 :]
        elif arg == "--lang" and i + 1 < len(args):
            value, rest = args[i + 1], args[:i] + args[i + 2 :]
        else:
            continue
        if value in ("zh", "en"):
            messages.set_language(value)
        return ["--lang", value, *rest]
    return args


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
