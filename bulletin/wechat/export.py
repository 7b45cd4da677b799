"""The WeChat (公众号) version of an article or a whole issue, from the loaded model.

For each article, output/wechat/<issue>/<article>/ holds

* `article.html`: the article as one `<section>` whose every element carries its styles inline (the
  stylesheet templates/wechat/wechat.css inlined with css-inline, then every class removed) and only
  the elements the 公众号 editor keeps (bulletin.wechat.body.ALLOWED_TAGS): no ids, scripts or
  stylesheets, so what is pasted looks as it does here;
* its pictures, in the order they appear: 01.jpg, 02.png… at most `max_width` pixels wide, turned
  upright (EXIF orientation) and without their metadata;
* `preview.html`: the same content in a phone-width frame with a "复制正文" button.

The body comes from bulletin.markdown.render_body, as on the site; nothing here changes the model.
Everything is made in a staging folder first and swapped in at the end, so a refused export leaves the
previous one as it was.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bulletin import numbering
from bulletin.content.images import resolve_image
from bulletin.content.textfile import is_inside
from bulletin.diagnostics import Report
from bulletin.markdown import render_body
from bulletin.model import Archive, Article, Issue
from bulletin.wechat.body import ALLOWED_TAGS, _Node, parse_fragment, wechat_markup

MAX_WIDTH = 1080  # px: WeChat shows articles at most 677 px wide; 1080 stays sharp on phones' screens
SUMMARY_CHARS = 120  # the 公众号 editor's 摘要 field takes at most 120 characters
JPEG_QUALITY = 88

# Style properties the 公众号 editor keeps (anything else from a project's stylesheet is dropped).
ALLOWED_PROPERTIES = frozenset(
    {"font-family", "font-size", "font-weight", "font-style", "line-height", "color", "background-color",
     "text-align", "text-indent", "text-decoration", "letter-spacing", "word-break", "word-wrap",
     "overflow-wrap", "white-space", "vertical-align", "display", "width", "max-width", "height",
     "border-collapse", "box-sizing"}
)  # fmt: skip
_BOX_PROPERTY = re.compile(r"(margin|padding|border)(-(top|right|bottom|left))?(-(width|style|color))?")
_DISPLAY_VALUES = frozenset({"block", "inline", "inline-block"})
_KEPT_ATTRIBUTES = {"img": ("src", "alt"), "td": ("colspan", "rowspan"), "th": ("colspan", "rowspan")}


@dataclass(frozen=True)
class WechatArticle:
    """What the templates show of an article (templates/wechat/article.html, preview.html)."""

    title: str
    subtitle: str
    section: str
    byline: str  # as printed: ■ 作者（地区） or （单位　作者）
    author: str  # for the editor's 作者 field: the names
    source: str
    author_note: str
    issue_line: str  # 原载《刊名》2026年第1期


@dataclass(frozen=True)
class ExportedArticle:
    article: Article
    folder: Path  # output/wechat/<issue>/<slug>/
    images: tuple[str, ...]  # file names in the folder, in order


@dataclass(frozen=True)
class _Prepared:
    article: Article
    view: WechatArticle
    content: str  # the exported HTML (styles inline)
    summary: str
    images: tuple[tuple[Path, str], ...]  # (source picture, file name)


class ExportError(Exception):
    """The export was refused; the problems are in the report."""


def find_article(issue: Issue, key: str) -> Article | None:
    """The article of `issue` named by `key`: its slug, file name (with or without .md) or path."""
    name = Path(key).name
    stem = name[:-3] if name.endswith(".md") else name
    for a in issue.articles:
        if key in (a.slug, a.stem, a.rel_path) or stem in (a.slug, a.stem):
            return a
    return None


def export_wechat(
    archive: Archive,
    issue: Issue,
    articles: list[Article],
    report: Report,
    *,
    out_dir: Path,
    whole_issue: bool,
    max_width: int = MAX_WIDTH,
) -> list[ExportedArticle]:
    """Export `articles` of `issue` under out_dir/wechat/<issue>/. With `whole_issue`, the issue's folder
    is replaced as a whole (and gets an index.html); otherwise only the articles' folders. Raises
    ExportError (problems in `report`) and leaves the previous export untouched when anything fails."""
    from bulletin.templating import environment

    env = environment(archive.root)
    css = _stylesheet(archive.root, report)
    prepared = [_prepare(archive, issue, a, env, css, report) for a in articles]
    if report.errors:
        raise ExportError()

    wechat = _real_dir(out_dir / "wechat")
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=wechat))
    try:
        done: list[ExportedArticle] = []
        for p in prepared:
            folder = staging / p.article.slug
            folder.mkdir()
            names = _write_images(p, folder, max_width, report)
            (folder / "article.html").write_text(_document(p), encoding="utf-8")
            index = "../index.html" if whole_issue else ""
            preview = _render(env, "wechat/preview.html", report, a=p.view, content=p.content,
                              images=names, summary=p.summary, index=index)  # fmt: skip
            (folder / "preview.html").write_text(preview, encoding="utf-8")
            done.append(ExportedArticle(p.article, wechat / issue.key / p.article.slug, tuple(names)))
        if whole_issue:
            label = numbering.issue_label(issue.year, issue.number, issue.total)
            rows = [(p.view, p.article.slug, len(p.images)) for p in prepared]
            index_html = _render(env, "wechat/index.html", report, label=label,
                                 publication=archive.publication.title, articles=rows)  # fmt: skip
            (staging / "index.html").write_text(index_html, encoding="utf-8")
        if report.errors:
            raise ExportError()
        if whole_issue:
            _swap(staging, wechat / issue.key)
        else:
            parent = _real_dir(wechat / issue.key)
            for p in prepared:
                _swap(staging / p.article.slug, parent / p.article.slug)
        return done
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- one article ----------------------------------------------------------------------------------


def _prepare(archive: Archive, issue: Issue, article: Article, env, css: str, report: Report) -> _Prepared:
    from bulletin.print.render import author_note, byline  # the byline as the printed issue has it

    pub = archive.publication
    range_mark = pub.typography.render_range_mark if article.halfwidth_marks else None
    body = render_body(article.body, allow_html=pub.site.allow_html, range_mark=range_mark)

    names: dict[str, str] = {}
    pictures: list[tuple[Path, str]] = []

    def image_src(src: str) -> str | None:
        if src in names:
            return names[src]
        if src.startswith("data:"):
            return src  # a picture inside the text (allowed raw HTML): loads nothing
        path = resolve_image(article.path, src)
        if not is_inside(path, issue.folder) or not path.is_file():
            return None  # the loader has reported it
        name = f"{len(pictures) + 1:02d}{_suffix(path)}"
        names[src] = name
        pictures.append((path, name))
        return name

    markup = wechat_markup(body.html, image_src)
    line, _style = byline(article)
    view = WechatArticle(
        title=article.title,
        subtitle=article.subtitle,
        section=article.section.name,
        byline=line,
        author="、".join(article.authors),
        source=article.source,
        author_note=author_note(article),
        issue_line=f"原载《{pub.title}》{numbering.short_label(issue.year, issue.number)}",
    )
    raw = _render(env, "wechat/article.html", report, a=view, body=markup)
    content = _inline(raw, css, report, article)
    text = " ".join((article.summary or _text_without_captions(body.html)).split())
    summary = text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"
    return _Prepared(article, view, content, summary, tuple(pictures))


def _text_without_captions(body_html: str) -> str:
    """The body's text for the 摘要 field: what the article says, not what its photos show."""
    without = re.sub(r"<figure\b.*?</figure>", " ", body_html, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", without))


def _suffix(path: Path) -> str:
    """The exported picture's type: PNG stays PNG (charts, screenshots), photos become JPEG; a picture
    with transparency is kept as PNG, an animated GIF as it is."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            if im.format == "GIF" and getattr(im, "is_animated", False):
                return ".gif"
            if im.format == "PNG" or _has_alpha(im):
                return ".png"
    except Exception:  # reported when the picture is written
        pass
    return ".jpg"


def _has_alpha(im) -> bool:
    return im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)


def _write_images(p: _Prepared, folder: Path, max_width: int, report: Report) -> list[str]:
    from PIL import Image, ImageOps

    written = []
    for source, name in p.images:
        target = folder / name
        try:
            if name.endswith(".gif"):  # animated: resizing would lose the animation; WeChat takes it
                shutil.copyfile(source, target)
            else:
                with Image.open(source) as im:
                    im = ImageOps.exif_transpose(im)  # phone photos: upright, as they were taken
                    if im.width > max_width:
                        height = max(1, round(im.height * max_width / im.width))
                        im = im.resize((max_width, height), Image.LANCZOS)
                    if name.endswith(".png"):
                        if im.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                            im = im.convert("RGBA" if _has_alpha(im) else "RGB")
                        im.save(target, "PNG", optimize=True)
                    else:
                        im = im.convert("RGB")  # CMYK and palette pictures show wrongly in some browsers
                        im.save(target, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        except Exception as exc:  # Pillow raises many kinds for broken files
            problem = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            report.error(
                p.article.path, None, "wechat_image_failed", path=report.rel(source), problem=problem
            )
            continue
        written.append(name)
    return written


# --- styles inline, classes out ---------------------------------------------------------------------


def _stylesheet(root: Path, report: Report) -> str:
    from bulletin.templating import inside_allowed, template_dirs

    for d in template_dirs(root):
        path = d / "wechat" / "wechat.css"
        if os.path.lexists(path):
            if not inside_allowed(path, root):
                report.error(
                    path, None, "template_outside", path=report.rel(path), target=str(path.resolve())
                )
                return ""
            css = path.read_text(encoding="utf-8")
            # nothing the project writes may load anything: no @import, no url()
            return re.sub(r"@import[^;]*;?", "", css)
    return ""


def _inline(fragment: str, css: str, report: Report, article: Article) -> str:
    """The fragment with `css` inlined, then rebuilt with only the allowed elements, attributes and
    style properties (classes, ids and anything else dropped)."""
    import css_inline

    inliner = css_inline.CSSInliner(
        inline_style_tags=False, keep_style_tags=False, keep_link_tags=False, keep_at_rules=False,
        load_remote_stylesheets=False, extra_css=None,
    )  # fmt: skip
    inlined = inliner.inline_fragment(fragment, css)
    dropped: set[str] = set()
    out = _serialise(parse_fragment(inlined), dropped)
    if dropped:
        report.warning(
            "templates/wechat/wechat.css", None, "wechat_css_dropped", props="、".join(sorted(dropped))
        )
    return out.strip()


def _clean_style(style: str, dropped: set[str]) -> str:
    kept = []
    for decl in style.split(";"):
        if ":" not in decl:
            continue
        prop, value = (" ".join(x.split()) for x in decl.split(":", 1))
        prop = prop.lower()
        low = value.lower()
        ok = (prop in ALLOWED_PROPERTIES or _BOX_PROPERTY.fullmatch(prop)) and not any(
            bad in low for bad in ("url(", "expression(", "javascript:", "var(", "\\")
        )
        if ok and prop == "font-size" and not re.fullmatch(r"\d+(\.\d+)?px", low):
            ok = False
        if ok and prop == "display" and low not in _DISPLAY_VALUES:
            ok = False
        if ok:
            kept.append(f"{prop}: {value}")
        else:
            dropped.add(f"{prop}: {value}")
    return "; ".join(kept) + (";" if kept else "")


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


_BLOCK_PARENTS = frozenset({"section", "table", "thead", "tbody", "tr", "#root"})


def _serialise(node: _Node, dropped: set[str]) -> str:
    out = []
    for c in node.children:
        if isinstance(c, str):
            if node.tag in _BLOCK_PARENTS and not c.strip():
                continue  # the template's line breaks between blocks
            out.append(html.escape(c, quote=False))
            continue
        if c.tag not in ALLOWED_TAGS:
            out.append(_serialise(c, dropped))  # our own markup never has one: keep the text only
            continue
        attrs = ""
        style = _clean_style(c.attrs.get("style", ""), dropped)
        if style:
            attrs += f' style="{_attr(style)}"'
        for name in _KEPT_ATTRIBUTES.get(c.tag, ()):
            if name in c.attrs:
                attrs += f' {name}="{_attr(c.attrs[name])}"'
        if c.tag in ("img", "br", "hr"):
            out.append(f"<{c.tag}{attrs}>")
        else:
            out.append(f"<{c.tag}{attrs}>{_serialise(c, dropped)}</{c.tag}>")
    return "".join(out)


def _render(env, template: str, report: Report, **ctx) -> str:
    import jinja2

    from bulletin.templating import template_problem

    try:
        return env.get_template(template).render(**ctx)
    except jinja2.TemplateError as exc:
        problem = template_problem(exc, template, template)
        _sev, file, line, code, args = problem
        if code == "template_error":
            code, args = "wechat_template_error", {"problem": args["problem"]}
        report.error(file, line, code, **args)
        return ""


def _document(p: _Prepared) -> str:
    title = html.escape(p.view.title, quote=False)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{p.content}\n</body>\n</html>\n"
    )


# --- writing --------------------------------------------------------------------------------------


def _real_dir(path: Path) -> Path:
    """`path` as a real folder of our own: a link found there is removed, never followed."""
    if path.is_symlink():
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _swap(new: Path, final: Path) -> None:
    """Put the staged folder `new` in place of `final` (removing the previous one, links not followed)."""
    if final.is_symlink() or final.is_file():
        final.unlink()
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        os.replace(final, old)
        os.replace(new, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, final)
