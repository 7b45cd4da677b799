"""Jinja2 set-up shared by the site and print renderers.

Templates come from the project's own templates/ folder first, then from the defaults installed with the
package (this repository's templates/), so a publication overrides one template without copying the rest.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from bulletin import numbering


def default_templates_dir() -> Path:
    """The templates shipped with bulletin: templates/ beside the package (source checkout or editable
    install), or bulletin/default_templates inside an installed wheel."""
    here = Path(__file__).resolve().parent
    for cand in (here.parent / "templates", here / "default_templates"):
        if (cand / "site").is_dir():
            return cand
    raise FileNotFoundError("bulletin's default templates are missing")


def template_dirs(root: Path) -> list[Path]:
    dirs = []
    own = root / "templates"
    default = default_templates_dir()
    if own.is_dir() and own.resolve() != default.resolve():
        dirs.append(own)
    dirs.append(default)
    return dirs


def templates_fingerprint(root: Path, sub: str, *, skip: tuple[str, ...] = ()) -> str:
    """A hash of every template file under `sub` (site/ or print/) that the build would use, leaving out
    paths (relative to `sub`) that start with one of `skip`."""
    import hashlib

    h = hashlib.sha1()
    seen: set[str] = set()
    for d in template_dirs(root):
        base = d / sub
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(base).as_posix()
            if p.is_file() and rel not in seen and not rel.startswith(skip):
                seen.add(rel)
                h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=8)
def _environment(dirs: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(dirs)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = numbering.chinese_date
    env.filters["cn_numeral_date"] = numbering.chinese_numeral_date
    env.globals["issue_label"] = numbering.issue_label
    env.globals["short_label"] = numbering.short_label
    env.globals["frequency_label"] = numbering.frequency_label
    return env


def environment(root: Path) -> jinja2.Environment:
    return _environment(tuple(str(d) for d in template_dirs(root)))
