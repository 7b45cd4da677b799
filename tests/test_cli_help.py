"""`bulletin --help` and every command's help: Chinese by default, English with --lang en (wherever it is
on the command line) or BULLETIN_LANG=en; usage errors in the same language."""

from __future__ import annotations

import re

import click
import pytest
from conftest import run_cli

from bulletin.cli import cli


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            out += _commands(cmd, (*path, name))
        else:
            out.append((*path, name))
    return out


COMMANDS = _commands(cli)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_command_is_listed():
    assert {"build", "check", "import", "fix", "serve", "new"} <= {c[0] for c in COMMANDS if c}
    assert ("new", "issue") in COMMANDS and ("new", "article") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "bulletin")
def test_help_is_chinese_by_default_and_english_on_request(path):
    r = run_cli(*path, "--help")
    assert r.returncode == 0, r.stderr
    zh = r.stdout
    assert zh.startswith("用法：bulletin") and "选项：" in zh and "显示本帮助并退出" in zh, zh
    for line in zh.splitlines():
        # every option's description (the text after the option) is in Chinese
        if m := re.match(r"^\s+(-\S.*?)\s{2,}(\S.*)$", line):
            assert _HAN.search(m.group(2)), line
    assert "Usage:" not in zh and "Options" not in zh and "Show this message" not in zh
    by_env = run_cli(*path, "--help", env={"BULLETIN_LANG": "en"})
    english = (run_cli("--lang", "en", *path, "--help"), by_env)
    for en in english:
        assert en.returncode == 0, en.stderr
        assert en.stdout.startswith("Usage: bulletin") and "Options:" in en.stdout, en.stdout
        assert not _HAN.search(en.stdout.replace("工作动态", "")), en.stdout


def test_lang_after_the_command_and_usage_errors():
    r = run_cli("import", "--help", "--lang", "en")
    assert r.returncode == 0 and "Turn a Word document" in r.stdout and "[required]" in r.stdout
    r = run_cli("import", "--help")
    assert "把 Word 文档" in r.stdout and "[必填]" in r.stdout and "--replace" in r.stdout
    r = run_cli("serve", "--help")
    assert "[默认：8000]" in r.stdout
    r = run_cli("--help")
    assert "命令：" in r.stdout and "导入为" in r.stdout
    r = run_cli("import", "稿件.docx")
    assert r.returncode == 2 and "缺少选项 --issue" in r.stderr and "bulletin import --help" in r.stderr
    r = run_cli("check", "--bogus")
    assert r.returncode == 2 and "没有选项 --bogus" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("--lang", "en", "check", "--bogus")
    assert r.returncode == 2 and "no such option: --bogus" in r.stderr
