"""Jinja2 set-up shared by the site and print renderers.

Templates come from the project's own templates/ folder first, then from the defaults installed with the
package (this repository's templates/), so a publication overrides one template without copying the rest.

A project's templates are data, not code: every template and static file is read only from inside the
project or the installed defaults (symlinks resolved and checked, :func:`template_problems` and
:class:`ConfinedLoader`), and when the project has templates of its own, every template runs in Jinja2's
immutable sandbox, which refuses `_`-attributes (`cycler.__init__.__globals__`, `''.__class__.__mro__`),
unsafe callables and changes to data. The sandbox makes rendering about 1.8 times slower (docs/site.md
has the figures), so the installed defaults alone — our own code — run unsandboxed.
"""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from bulletin import headlines, numbering

__all__ = [
    "SecurityError",
    "TemplateOutside",
    "default_templates_dir",
    "environment",
    "inside_allowed",
    "template_location",
    "template_problem",
    "template_dirs",
    "template_problems",
    "template_source_problems",
    "templates_fingerprint",
]


def default_templates_dir() -> Path:
    """The templates shipped with bulletin: templates/ beside the package (source checkout or editable
    install), or bulletin/default_templates inside an installed wheel."""
    here = Path(__file__).resolve().parent
    for cand in (here.parent / "templates", here / "default_templates"):
        if (cand / "site").is_dir():
            return cand
    raise FileNotFoundError("bulletin's default templates are missing")


def _allowed(root: Path) -> tuple[Path, ...]:
    return (root.resolve(), default_templates_dir().resolve())


def inside_allowed(path: Path, root: Path) -> bool:
    """True if `path`, every symlink resolved, is a regular file inside the project `root` or the
    installed default templates: the only places templates and static files may come from."""
    try:
        real = path.resolve(strict=True)
        st = os.stat(real)
    except (OSError, RuntimeError):  # missing, a symlink loop
        return False
    return stat.S_ISREG(st.st_mode) and any(real.is_relative_to(base) for base in _allowed(root))


def _own_dir(root: Path) -> Path | None:
    """The project's templates/ folder, if it has one that really is inside the project."""
    own = root / "templates"
    if not own.is_dir():
        return None
    real = own.resolve()
    if real == default_templates_dir().resolve() or not real.is_relative_to(root.resolve()):
        return None  # the defaults themselves; or a link leading out (template_problems reports it)
    return own


def template_dirs(root: Path) -> list[Path]:
    own = _own_dir(root)
    return [*([own] if own is not None else []), default_templates_dir()]


def template_problems(root: Path) -> list[tuple[str, Path, dict]]:
    """(message id, path, args) for every file or folder under the project's templates/ that leads out of
    the project (a symlink to /etc/passwd, a templates folder linked elsewhere) or is not a regular file
    (a pipe would hang the build). Checked before anything is rendered, by `check` and `build` alike."""
    own = root / "templates"
    base = root.resolve()
    out: list[tuple[str, Path, dict]] = []
    if not os.path.lexists(own):
        return out
    try:
        real = own.resolve(strict=True)
    except (OSError, RuntimeError):
        return [("template_dir_outside", own, {"path": "templates", "target": os.readlink(own)})]
    if not real.is_relative_to(base):
        return [("template_dir_outside", own, {"path": "templates", "target": str(real)})]
    for folder, dirs, files in os.walk(own):
        for name in sorted(dirs + files):
            p = Path(folder) / name
            rel = p.relative_to(root).as_posix()
            try:
                target = p.resolve(strict=True)
                st = os.stat(target)
            except (OSError, RuntimeError):
                if p.is_symlink():  # a dangling link or a loop: it leads nowhere in the project
                    out.append(("template_outside", p, {"path": rel, "target": os.readlink(p)}))
                continue
            if not target.is_relative_to(base):
                out.append(("template_outside", p, {"path": rel, "target": str(target)}))
            elif not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
                out.append(("template_special", p, {"path": rel}))
    return out


# What `check` reads as a template (static/ holds files copied as they are).
_TEMPLATE_SUFFIXES = (".html", ".xml", ".css", ".txt")


def template_source_problems(root: Path) -> list[tuple[str, Path, int | None, dict]]:
    """(message id, path, line, args) for the project's own templates that cannot work: a syntax error,
    or a reach into Python's internals (`x.__class__`, `x['__init__']`, `|attr('_…')`, a format string
    naming `__` attributes) that the sandbox would refuse while rendering. Found by reading the
    templates, so `check` reports them without rendering anything; the sandbox remains the guard."""
    from jinja2 import nodes

    own = _own_dir(root)
    out: list[tuple[str, Path, int | None, dict]] = []
    if own is None:
        return out
    parser = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    for sub in ("site", "print"):
        base = own / sub
        if not base.is_dir():
            continue
        for f in sorted(base.rglob("*")):
            rel = f.relative_to(own).as_posix()
            if rel.startswith("site/static/") or f.suffix not in _TEMPLATE_SUFFIXES:
                continue
            if not inside_allowed(f, root):
                continue  # reported by template_problems
            try:
                tree = parser.parse(f.read_text(encoding="utf-8"), name=rel, filename=str(f))
            except jinja2.TemplateSyntaxError as exc:
                out.append(("template_error", f, exc.lineno, {"problem": exc.message or str(exc)}))
                continue
            except (OSError, UnicodeDecodeError) as exc:
                out.append(("template_error", f, None, {"problem": str(exc)}))
                continue
            for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Const)):
                name = None
                if isinstance(node, nodes.Getattr):
                    name = node.attr
                elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
                    name = node.arg.value
                elif isinstance(node, nodes.Filter) and node.name == "attr" and node.args:
                    arg = node.args[0]
                    name = arg.value if isinstance(arg, nodes.Const) else None
                elif isinstance(node, nodes.Const) and isinstance(node.value, str):
                    if "{" in node.value and "__" in node.value:  # '{0.__class__}'.format(x)
                        name = node.value
                if isinstance(name, str) and (name.startswith("_") or "{" in name):
                    out.append(("template_unsafe_attr", f, node.lineno, {"template": rel, "attr": name}))
                    break  # one per file is enough to point at the problem
    return out


class TemplateOutside(jinja2.TemplateError):
    """A template file that resolves outside the project and the installed defaults."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(f"template {name} ({filename}) is outside the project")
        self.name = name
        self.filename = filename


class ConfinedLoader(jinja2.FileSystemLoader):
    """FileSystemLoader that reads a template only if, symlinks resolved, it is a regular file inside
    the project or the installed defaults (Jinja itself already refuses `..` in template names)."""

    def __init__(self, searchpath: list[str], root: Path) -> None:
        super().__init__(searchpath)
        self.root = root

    def get_source(self, environment, template):
        pieces = split_template_path(template)
        for base in self.searchpath:
            path = os.path.join(base, *pieces)
            if os.path.lexists(path):
                if not inside_allowed(Path(path), self.root):
                    raise TemplateOutside(template, path)
                break
        return super().get_source(environment, template)


def template_location(exc: BaseException) -> tuple[Path | None, int | None]:
    """The template file and line an error happened in (Jinja keeps template frames in the traceback)."""
    if isinstance(exc, TemplateOutside):
        return Path(exc.filename), None
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Path(exc.filename), exc.lineno
    tb = exc.__traceback__
    file, line = None, None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".css")) and os.path.exists(name):
            file, line = Path(name), tb.tb_lineno
        tb = tb.tb_next
    return file, line


def template_problem(exc: BaseException, template: str, page: str) -> tuple | None:
    """A template error as a problem (severity, file, line, message id, args), for the print side; None
    for an exception that is not a template's fault."""
    if not isinstance(exc, jinja2.TemplateError):
        return None
    file, line = template_location(exc)
    problem = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, (SecurityError, TemplateOutside)):
        return (
            "error",
            file or template,
            line,
            "template_unsafe",
            {"template": template, "page": page, "problem": problem},
        )
    return ("error", file or template, line, "template_error", {"problem": problem})


def templates_fingerprint(root: Path, sub: str, *, skip: tuple[str, ...] = ()) -> str:
    """A hash of every template file under `sub` (site/ or print/) that the build would use, leaving out
    paths (relative to `sub`) that start with one of `skip`. Files outside the project are never read
    (template_problems has stopped the build before)."""
    import hashlib

    h = hashlib.sha1()
    seen: set[str] = set()
    for d in template_dirs(root):
        base = d / sub
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(base).as_posix()
            if rel not in seen and not rel.startswith(skip) and inside_allowed(p, root):
                seen.add(rel)
                h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, refusing at once: an unsafe attribute raises SecurityError where it is
    reached (the stock sandbox returns an Undefined, and a later step then reports it as merely
    missing — `|attr('__init__')|attr('__globals__')`), so the editor is told what was refused."""

    def unsafe_undefined(self, obj, attribute):
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")


@lru_cache(maxsize=8)
def _environment(dirs: tuple[str, ...], root: str, sandboxed: bool) -> jinja2.Environment:
    cls = _Sandbox if sandboxed else jinja2.Environment
    env = cls(
        loader=ConfinedLoader(list(dirs), Path(root)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = numbering.chinese_date
    env.filters["cn_numeral_date"] = numbering.chinese_numeral_date
    env.filters["headline"] = headlines.site_title_html  # <wbr> at phrase boundaries
    env.globals["issue_label"] = numbering.issue_label
    env.globals["short_label"] = numbering.short_label
    env.globals["frequency_label"] = numbering.frequency_label
    return env


def environment(root: Path) -> jinja2.Environment:
    """The Jinja2 environment for the project at `root`: sandboxed when the project supplies templates
    (a templates/ folder of its own), since they may come from anyone who can write the project."""
    dirs = template_dirs(root)
    own = len(dirs) > 1 or os.path.lexists(root / "templates")
    return _environment(tuple(str(d) for d in dirs), str(root), own)
