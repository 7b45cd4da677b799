"""Every editor-facing message lives in bulletin/messages.py (issue 11): no other module picks a text by
the message language, keeps a table of Chinese/English pairs, or registers messages of its own."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin import messages

PACKAGE = Path(__file__).resolve().parent.parent / "bulletin"
# Run before bulletin.messages may be imported (a Ctrl-C while the program starts, a package missing from
# the installation: bulletin/entry.py explains the timing), so they read --lang / BULLETIN_LANG themselves.
STARTUP = {"entry.py", "missing_package.py"}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel != "messages.py":
            yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _language_choices(tree: ast.AST) -> list[int]:
    """Lines that ask which language messages are in, or compare something with "en"/"zh"."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name in ("language", "register"):
                lines.append(node.lineno)
        elif isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.Eq | ast.NotEq):
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Constant) and side.value in ("en", "zh"):
                    lines.append(node.lineno)
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if {"zh", "en"} <= keys:
                lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and node.value == "BULLETIN_LANG":
            lines.append(node.lineno)
    return sorted(set(lines))


def test_no_language_branch_outside_messages():
    found = {
        rel: lines for rel, tree in _modules() if rel not in STARTUP and (lines := _language_choices(tree))
    }
    assert found == {}, "pick texts with messages.t(id) and add the (Chinese, English) pair to messages.py"


def test_the_check_finds_each_kind_of_branch():
    """The check above, on the kinds of code it exists to keep out."""
    for code in (
        'x = "a" if messages.language() != "en" else "b"',
        'sep = "; " if lang == "en" else "；"',
        'TABLE = {"zh": "甲", "en": "A"}',
        "messages.register(MESSAGES)",
        'english = os.environ.get("BULLETIN_LANG", "")',
    ):
        assert _language_choices(ast.parse(code)) == [1], code
    assert _language_choices(ast.parse('x = messages.t("colon")')) == []


def test_no_other_messages_module():
    assert sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("messages*.py")) == ["messages.py"]


def test_site_print_and_wechat_messages_known_without_importing_them():
    """`check` and the CLI know every message id without importing the site, print or wechat packages."""
    code = (
        "import sys; from bulletin import messages\n"
        "assert all(messages.has(k) for k in ('site_template_error', 'pf_missing_glyph', "
        "'pf_outside_font.hint', 'help.wechat'))\n"
        "parts = ('bulletin.site', 'bulletin.print', 'bulletin.wechat')\n"
        "assert not [m for m in sys.modules if m.startswith(parts)]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("lang", "colon", "sep", "problem"),
    [("zh", "：", "；", "缺少冒号“:”"), ("en", ": ", "; ", "could not find expected ':'")],
)
def test_moved_texts_in_both_languages(lang, colon, sep, problem):
    messages.set_language(lang)
    try:
        assert messages.t("colon") == colon
        assert messages.t("list_sep") == sep
        assert messages.yaml_problem("could not find expected ':'") == problem
        assert messages.t("unreadable.folder") == (
            "这是一个文件夹，不是文件" if lang == "zh" else "it is a folder, not a file"
        )
    finally:
        messages.set_language("zh")


def test_yaml_problem_prefix_and_unknown():
    messages.set_language("zh")
    assert (
        messages.yaml_problem("found a tab character that violates indentation")
        == "不能用 Tab 键，请改用空格"
    )
    assert messages.yaml_problem("something libyaml says that we never translated") == (
        "something libyaml says that we never translated"
    )
