"""bulletin/templating.py: project templates read only from inside the project, and run in the sandbox."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2
import pytest
from conftest import FIXTURES, run_cli, write
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bulletin.site.render import PARALLEL_THRESHOLD
from bulletin.templating import (
    ConfinedLoader,
    TemplateOutside,
    environment,
    template_problems,
)


def _payloads(marker: Path) -> dict[str, str]:
    return {
        "cycler-globals-os": f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}",
        "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "attr-filter": "{{ (cycler|attr('__init__')|attr('__globals__'))['os'].popen('touch "
        + str(marker)
        + "') }}",
        "format-string": "{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}",
        "mutate-data": "{% set seen = [] %}{{ seen.append(1) }}",
        # names computed while rendering: no reading of the template finds them, only the sandbox
        "computed-name": "{% set a = '__init' ~ '__' %}{% set g = '__glob' ~ 'als__' %}"
        "{{ (cycler|attr(a)|attr(g))['os'].popen('touch " + str(marker) + "') }}",
    }


def _many_articles(root: Path, n: int) -> None:
    """Enough pages that the site renders in worker processes (the parallel path)."""
    folder = root / "content/2026/01"
    for i in range(n):
        write(folder / f"a{i:03d}.md", f"---\ntitle: 文章{i}\nsection: news\n---\n正文{i}。\n")


@pytest.mark.parametrize("name", list(_payloads(Path("/x"))))
@pytest.mark.parametrize("where", ["site/404.html", "site/article.html", "print/issue.html"])
def test_project_template_payloads_are_refused(tmp_path, name, where):
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    marker = tmp_path / "pwned"
    if where == "site/article.html":
        _many_articles(root, PARALLEL_THRESHOLD)  # article pages then render in workers
    write(root / "templates" / where, "<!doctype html>\n<title>x</title>\n" + _payloads(marker)[name] + "\n")
    args = ["build", "--no-pdf"] if where.startswith("site") else ["build", "2026-01"]
    r = run_cli("--root", str(root), *args)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "内部错误" not in r.stderr, r.stderr
    assert f"templates/{where}:3: 错误: 模板" in r.stderr, r.stderr
    assert "不允许" in r.stderr and "docs/site.md" in r.stderr
    assert not marker.exists(), "the command ran"
    assert not (root / "output/site").exists() and not (root / "output/pdf").exists()


@pytest.mark.parametrize("name", list(_payloads(Path("/x"))))
def test_the_sandbox_itself_refuses_every_payload(tmp_path, name):
    """Rendering, not reading: the sandbox refuses each payload even where check's reading would not."""
    from bulletin.templating import SecurityError

    root = tmp_path / "proj"
    marker = tmp_path / "pwned"
    write(root / "templates/site/x.html", _payloads(marker)[name])
    with pytest.raises(SecurityError):
        environment(root).get_template("site/x.html").render(cycler=jinja2.utils.Cycler(1))
    assert not marker.exists()


def test_check_reads_templates_for_syntax_errors_and_internals(tmp_path):
    from bulletin.templating import template_source_problems

    root = tmp_path / "proj"
    write(root / "templates/site/a.html", "<p>\n{% if %}\n")
    write(root / "templates/site/b.html", "\n\n{{ x['__class__'] }}\n")
    write(root / "templates/print/print.css", "p { color: {{ palette.text }} }\n")  # fine
    write(root / "templates/site/static/c.html", "{{ x.__class__ }}")  # static: copied, never rendered
    found = {(c, p.name, line) for c, p, line, _ in template_source_problems(root)}
    assert found == {("template_error", "a.html", 2), ("template_unsafe_attr", "b.html", 3)}


def test_sandbox_only_when_the_project_has_templates(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    plain = environment(root)
    assert not isinstance(plain, ImmutableSandboxedEnvironment)  # the installed defaults: fast path
    write(root / "templates/site/static/extra.css", "p {}\n")
    assert isinstance(environment(root), ImmutableSandboxedEnvironment)


def test_print_template_syntax_error_is_a_message_not_an_internal_error(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    write(root / "templates/print/issue.html", "<html>\n{% for x in %}\n</html>\n")
    r = run_cli("--root", str(root), "build", "2026-01")
    assert r.returncode == 1 and "Traceback" not in r.stderr and "内部错误" not in r.stderr, r.stderr
    assert "templates/print/issue.html:2: 错误: 模板错误" in r.stderr


@pytest.mark.parametrize(
    "tag",
    [
        '{% include "../../../../../../etc/passwd" %}',
        '{% extends "/etc/passwd" %}',
        '{% include "site/../../../../etc/passwd" %}',
        "{% include '/proc/self/environ' %}",
    ],
)
def test_include_or_extends_outside_is_not_found(tmp_path, tag):
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    write(root / "templates/site/404.html", tag + "\n")
    r = run_cli("--root", str(root), "build", "--no-pdf")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "templates/site/404.html" in r.stderr and "root:" not in r.stderr
    assert not (root / "output/site").exists() and not (root / "output/pdf").exists()


def test_a_link_inside_the_project_is_fine(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    write(root / "shared/footer.html", '{% extends "site/base.html" %}\n')
    (root / "templates/site").mkdir(parents=True)
    (root / "templates/site/404.html").symlink_to(root / "shared/footer.html")
    assert template_problems(root) == []
    r = run_cli("--root", str(root), "build", "--no-pdf")
    assert r.returncode == 0, r.stderr


def test_template_problems_names_links_out_loops_and_pipes(tmp_path):
    root = tmp_path / "proj"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.html").write_text("secret", encoding="utf-8")
    site = root / "templates/site"
    site.mkdir(parents=True)
    (site / "a.html").symlink_to(outside / "x.html")
    (site / "static").symlink_to(outside, target_is_directory=True)  # a folder link out
    (site / "loop.html").symlink_to("loop.html")
    (site / "gone.html").symlink_to(root / "nowhere.html")
    os.mkfifo(site / "fifo.html")
    found = {(code, args["path"]) for code, _path, args in template_problems(root)}
    assert found == {
        ("template_outside", "templates/site/a.html"),
        ("template_outside", "templates/site/static"),
        ("template_outside", "templates/site/loop.html"),
        ("template_outside", "templates/site/gone.html"),
        ("template_special", "templates/site/fifo.html"),
    }


def test_loader_refuses_a_link_made_after_the_check(tmp_path):
    """Defence in depth: the loader checks every file it reads, whatever was checked before."""
    root = tmp_path / "proj"
    (root / "templates/site").mkdir(parents=True)
    (tmp_path / "secret.html").write_text("secret", encoding="utf-8")
    (root / "templates/site/x.html").symlink_to(tmp_path / "secret.html")
    env = jinja2.Environment(loader=ConfinedLoader([str(root / "templates")], root))
    with pytest.raises(TemplateOutside):
        env.get_template("site/x.html")


def test_static_file_link_out_is_never_copied(tmp_path):
    from bulletin.site.render import static_files

    root = tmp_path / "proj"
    (root / "templates/site/static").mkdir(parents=True)
    (root / "templates/site/static/passwd.txt").symlink_to("/etc/passwd")
    (root / "templates/site/static/own.css").write_text("p {}\n", encoding="utf-8")
    found = static_files(root)
    assert "passwd.txt" not in found and found["own.css"] == root / "templates/site/static/own.css"
