"""The `bulletin` command's help and usage errors in the language of the messages (Chinese by default,
English with `--lang en` or BULLETIN_LANG=en).

Click writes its help from the commands' docstrings and `help=` texts, with its own English headings
("Usage:", "Options", "Commands", "[required]"). Here every command of the `bulletin` group takes its help
from bulletin/messages.py when that has it: `help` for the program, `help.build` for a command,
`help.build.all_issues` for an option (the option's parameter name), `help.new.issue` for a command of a
group; the headings come from the `help_…` messages. A command with no message keeps its English text.
"""

from __future__ import annotations

import re

import click

from bulletin import messages


def help_key(ctx: click.Context) -> str:
    """The message id of the help of `ctx`'s command: help, help.build, help.new.issue."""
    names: list[str] = []
    c: click.Context | None = ctx
    while c is not None and c.parent is not None:
        names.append(c.info_name or c.command.name or "")
        c = c.parent
    return ".".join(["help", *reversed(names)])


def localise(command: click.Command, key: str) -> None:
    """Set `command`'s help texts from the messages under `key`, in the current language."""
    if messages.has(key):
        command.help = messages.t(key)
        command.short_help = None
    command.options_metavar = messages.t("help_options_metavar")
    if isinstance(command, click.Group):
        command.subcommand_metavar = messages.t("help_command_metavar")
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        if messages.has(f"{key}.{param.name}"):
            param.help = messages.t(f"{key}.{param.name}")
        elif param.name == "version":
            param.help = messages.t("help_version")


_EXTRA_RE = re.compile(r"\[([^\[\]]*)\]$")


def _localise_extra(text: str) -> str:
    """click's "[default: 8000]" and "[required]" after an option's help, in the current language."""

    def sub(m: re.Match) -> str:
        inner = m.group(1).replace("default: ", messages.t("help_default")).replace(
            "required", messages.t("help_required")
        )
        return f"[{inner}]"

    return _EXTRA_RE.sub(sub, text)


class _Formatter(click.HelpFormatter):
    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}{messages.t('colon_tight')}\n")  # 选项：


class _Context(click.Context):
    formatter_class = _Formatter


class LocalisedCommand(click.Command):
    """A command whose help speaks the language of the messages."""

    context_class = _Context

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        localise(self, help_key(ctx))
        super().format_help(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = messages.t("help_help")
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=messages.t("help_usage"))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and not isinstance(param, click.Argument):
                rows.append((record[0], _localise_extra(record[1])))
        if rows:
            with formatter.section(messages.t("help_options")):
                formatter.write_dl(rows)


class LocalisedGroup(LocalisedCommand, click.Group):
    """A group whose help, and its commands' help, speak the language of the messages; commands and
    groups made with its decorators are localised too."""

    command_class = LocalisedCommand
    group_class = type  # groups made with @group.group() are of this same class

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        LocalisedCommand.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        key = help_key(ctx)
        commands = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            localise(cmd, f"{key}.{name}")
            commands.append((name, cmd))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            rows = [(name, cmd.get_short_help_str(limit)) for name, cmd in commands]
            with formatter.section(messages.t("help_commands")):
                formatter.write_dl(rows)


def usage_error_text(exc: click.UsageError) -> str:
    """A usage error (unknown option, missing value…) as the editor reads it, with how to get help."""
    if isinstance(exc, click.NoSuchOption):
        text = messages.t("usage_no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += messages.t("usage_did_you_mean", names=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, click.MissingParameter) and exc.param is not None:
        names = " / ".join(getattr(exc.param, "opts", []) or [exc.param.name or ""])
        kind = "option" if isinstance(exc.param, click.Option) else "argument"
        text = messages.t(f"usage_missing_{kind}", name=names.upper() if kind == "argument" else names)
    else:
        text = exc.format_message()
    out = f"{messages.t('error')}: {text}"
    if exc.ctx is not None:
        out += "\n" + messages.t("usage_try_help", command=exc.ctx.command_path)
    return out
