"""bulletin.yaml: the publication settings, declared and validated."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from bulletin import numbering
from bulletin.content.textfile import read_text
from bulletin.content.yamlfile import parse
from bulletin.diagnostics import Report
from bulletin.model import (
    Filler,
    PrintFonts,
    PrintSettings,
    Publication,
    QRCode,
    Section,
    SiteSettings,
    TypographySettings,
)
from bulletin.punctuation import RANGE_MARKS
from bulletin.schema import Field, validate

CONFIG_NAME = "bulletin.yaml"
DEFAULT_NOTICE = "内部资料 免费交流"
SECTION_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RESERVED_SECTION_IDS = frozenset({"index"})  # the site's sections/index.html lists the sections

PUBLICATION_FIELDS = (
    Field("title", "str", True, "报头名称", "青川人大", allow_empty=False),
    Field("publisher", "str", True, "主办单位", "青川市人大常委会办公室主办", allow_empty=False),
    Field("frequency", "str", True, "出版周期", "semimonthly", choices=tuple(numbering.FREQUENCIES)),
    Field("language", "str", False, "语言", "zh-CN", allow_empty=False),
    Field("notice", "str", False, "报头提示语", DEFAULT_NOTICE),
    Field("website", "str", False, "网站", "http://www.example.gov.cn"),
    Field("base_url", "str", False, "网站地址（用于订阅源和站点地图）", "https://bulletin.example.org/"),
    Field("description", "str", False, "简介", "……"),
    Field("distribution", "str", False, "发放范围", "市委、市人大、市政府、市政协领导"),
    Field("sections", "list", True, "栏目列表", "\n  - {id: news, name: 工作动态}"),
    Field("print", "mapping", False, "印刷设置", "{columns: 1}"),
    Field("site", "mapping", False, "网站设置", "{recent_issues: 12}"),
    Field("typography", "mapping", False, "排版设置", "{punctuation: fix}"),
)

SECTION_FIELDS = (
    Field("id", "str", True, "栏目 id（英文）", "news", allow_empty=False),
    Field("name", "str", True, "栏目名称", "工作动态", allow_empty=False),
)

PRINT_FIELDS = (
    Field("page_size", "str", False, "纸张", "A4", choices=("A4", "A3", "B5")),
    Field("bleed_mm", "number", False, "出血（毫米）", "3", lo=0, hi=10),
    Field("crop_marks", "bool", False, "裁切线", "false"),
    Field("columns", "int", False, "正文栏数", "1", lo=1, hi=2),
    Field("pad_to_multiple", "int", False, "页数补足为几的倍数", "4", lo=1, hi=16),
    Field("toc", "str", False, "目录位置", "auto", choices=("auto", "first-page", "second-page", "none")),
    Field("page_number_style", "str", False, "页码样式", "dash", choices=("dash", "plain")),
    Field("pdf_variant", "str", False, "PDF 标准", "pdf/x-4", choices=("", "pdf/x-4", "pdf/a-2b")),
    Field("logo", "str", False, "报头图片", "images/logo.png"),
    Field("qr_codes", "list", False, "二维码", "\n    - {label: 官方网站, url: http://www.example.gov.cn}"),
    Field("imprint", "str", False, "版权页文字", "编辑：……"),
    Field("icc_profile", "str", False, "印刷色彩特性文件（PDF/X-4 用）", "icc/JapanColor2001Coated.icc"),
    Field("issuer", "str", False, "印发机关（报尾）", "青川市人大常委会办公室"),
    Field("permit_number", "str", False, "准印证号", "（青）内资准字第QC-2026-017号"),
    Field("printer", "str", False, "印刷单位", "青川市新华印刷厂"),
    Field("print_run", "int", False, "印数（份）", "800", lo=1, hi=10_000_000),
    Field("fonts", "mapping", False, "各部分字体", "{kai: AR PL KaitiM GB}"),
    Field("fillers", "list", False, "补白（短稿的 Markdown 文件，填进页面下部的空白）",
          "\n    - content/_fillers/zhenggao.md"),
    Field("fill_holes_mm", "number", False, "页面下部空白达到多少毫米时补白（0 = 不补白）", "25",
          lo=0, hi=200),
)

# print.fonts: a font family per role (bulletin.model.FONT_ROLE_DEFAULTS has the defaults)
FONT_FIELDS = (
    Field("body", "str", False, "正文字体（宋体）", "Noto Serif CJK SC", allow_empty=False),
    Field("heading", "str", False, "标题字体（黑体）", "Noto Sans CJK SC", allow_empty=False),
    Field("kai", "str", False, "署名、来源等楷体字体", "FandolKai", allow_empty=False),
    Field("caption", "str", False, "图片说明字体", "FandolKai", allow_empty=False),
    Field("poem", "str", False, "诗歌、题词字体", "LXGW WenKai", allow_empty=False),
    Field("colophon", "str", False, "报尾字体（仿宋）", "FandolFang", allow_empty=False),
)
# What a font family name may hold: it goes into the print stylesheet, so no quotes, braces or semicolons.
FONT_NAME_RE = re.compile(r"^[\w\u3000-\u9fff\uff00-\uffef .,+&'()-]{1,80}$")

QR_FIELDS = (
    Field("label", "str", True, "二维码说明", "官方网站", allow_empty=False),
    Field("url", "str", True, "二维码网址", "http://www.example.gov.cn", allow_empty=False),
)

# typography: how Chinese text is set (bulletin/punctuation.py)
TYPOGRAPHY_FIELDS = (
    Field("punctuation", "str", False, "中文里的半角标点：fix 印刷品和网站改为全角，keep 照原样", "fix",
          choices=("fix", "keep")),
    Field("range_mark", "str", False, "数值范围的连接号（1—8月）", '"—"', choices=RANGE_MARKS),
    Field("punctuation_warnings", "bool", False, "检查时列出半角标点", "true"),
    Field("line_end", "str", False, "印刷品行末的全角标点：compress 压成半角，hang 悬挂在版心外，none 不处理",
          "compress", choices=("compress", "hang", "none")),
)

SITE_FIELDS = (
    Field("recent_issues", "int", False, "首页显示的近期期数", "12", lo=1, hi=1000),
    Field("feed_articles", "int", False, "订阅源中的文章数", "30", lo=1, hi=1000),
    Field("allow_html", "bool", False, "允许正文中的 HTML", "false"),
)


# The settings that name a file, and the largest file each may be (a masthead logo or an ICC profile is a
# few MB at most; a bigger file is a mistake, and reading it would only slow every build down).
PATH_LIMITS_MB = {"logo": 20, "icc_profile": 20, "fillers": 1}
PATH_EXAMPLES = {f.name: f.example for f in PRINT_FIELDS if f.name in PATH_LIMITS_MB}
PATH_EXAMPLES["fillers"] = "content/_fillers/zhenggao.md"


def check_project_file(
    root: Path, key: str, value: str, file: Path, line: int | None, report: Report
) -> bool:
    """A path from bulletin.yaml (print.logo, print.icc_profile) names a regular file inside the project,
    symlinks resolved: never an absolute path, never ../ or a link leading out, never a folder, a device
    or a pipe (reading /dev/zero or a FIFO would never end). Errors name the key and say what to do."""
    import os
    import stat
    from pathlib import PurePosixPath, PureWindowsPath

    shown = f"print.{key}"
    args = {"key": shown, "value": value, "example": PATH_EXAMPLES[key]}
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() or value.startswith("~"):
        report.error(file, line, "config_path_absolute", **args)
        return False
    if "\0" in value:  # no file has such a name (and the OS would refuse it)
        report.error(file, line, "config_path_missing", **args)
        return False
    base = root.resolve()
    try:
        target = (root / value).resolve(strict=True)
    except FileNotFoundError:
        target = None
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name too long, a NUL in the name…
        report.error(file, line, "config_path_missing", **args)
        return False
    if target is None:
        # a path that does not exist may still climb out (../x): say that first, it is the real mistake
        if not (root / value).resolve().is_relative_to(base):
            report.error(file, line, "config_path_outside", **args, target=str((root / value).resolve()))
        else:
            report.error(file, line, "config_path_missing", **args)
        return False
    if not target.is_relative_to(base):
        report.error(file, line, "config_path_outside", **args, target=str(target))
        return False
    st = os.stat(target)
    if stat.S_ISDIR(st.st_mode):
        report.error(file, line, "config_path_folder", **args)
        return False
    if not stat.S_ISREG(st.st_mode):
        report.error(file, line, "config_path_special", **args)
        return False
    limit = PATH_LIMITS_MB[key]
    if st.st_size > limit * 1024 * 1024:
        report.error(file, line, "config_path_too_big", **args, size=st.st_size // (1024 * 1024), limit=limit)
        return False
    if key == "logo":
        from bulletin.content.images import _check_pixels  # the same limits as an article's pictures

        return _check_pixels(target, file, value, line, report)
    return True


def _fillers(root: Path, doc, items, path: Path, report: Report) -> tuple[Filler, ...]:
    """print.fillers: Markdown files inside the project, each a short item (补白) whose first line may be
    its heading (`# 征稿启事`). A file that is missing, outside the project or not text is an error."""
    out: list[Filler] = []
    for i, item in enumerate(items or ()):
        line = doc.line("print", "fillers", i)
        if not isinstance(item, str) or not item.strip():
            report.error(path, line, "wrong_type", key="fillers", expected="content/_fillers/zhenggao.md",
                         found=str(item), example=PATH_EXAMPLES["fillers"])  # fmt: skip
            continue
        if not check_project_file(root, "fillers", item, path, line, report):
            continue
        text = read_text(root / item, report, root.resolve())
        if text is None:
            continue
        title, _, rest = text.lstrip("\ufeff\n").partition("\n")
        if title.startswith("# "):
            title, body = title[2:].strip(), rest.strip()
        else:
            title, body = "", text.strip()
        if not body:
            report.error(path, line, "filler_empty", path=item)
            continue
        out.append(Filler(item, title, body))
    return tuple(out)


def _print_fonts(doc, path: Path, report: Report) -> PrintFonts:
    """print.fonts: each family a plain name that fontconfig knows on this machine (a family it does not
    know would silently print in a fallback face, or in empty boxes)."""
    from bulletin.installed_fonts import installed_families, suggest_family

    fv = validate(doc, FONT_FIELDS, path, report, prefix=("print", "fonts"))
    chosen: dict[str, str] = {}
    installed = installed_families()
    for role, family in fv.items():
        if not family:
            continue
        family = family.strip()
        line = doc.line("print", "fonts", role)
        key = f"print.fonts.{role}"
        if not FONT_NAME_RE.match(family):
            report.error(path, line, "font_bad_name", key=key, value=family)
        elif installed is not None and family.casefold() not in installed:
            report.error(
                path, line, "font_not_installed", key=key, value=family, suggestion=suggest_family(family)
            )
        else:
            chosen[role] = installed.get(family.casefold(), family) if installed else family
    return PrintFonts(**chosen)


# The most a QR code holds as bytes (version 40, 177×177 modules, at the error correction level M that
# bulletin/print/qr.py uses): a URL is bytes there, UTF-8. tests/test_print.py checks segno agrees.
QR_MAX_BYTES = 2331


def _check_url(key: str, value: str, file: Path, line: int, report: Report) -> str:
    if value and not re.match(r"^https?://[^\s/]+", value):
        report.error(file, line, "bad_url", key=key, value=value)
        return ""
    return value


def load_publication(root: Path, report: Report) -> Publication | None:
    """Read and validate bulletin.yaml; None (with errors reported) if it cannot be used."""
    path = root / CONFIG_NAME
    if not path.is_file():
        report.error(CONFIG_NAME, None, "no_config")
        return None
    text = read_text(path, report, root)
    if text is None:
        return None
    doc = parse(text, path, report, what=CONFIG_NAME)
    if doc is None:
        return None
    values = validate(doc, PUBLICATION_FIELDS, path, report)

    sections: list[Section] = []
    for i, item in enumerate(values.get("sections") or []):
        line = doc.line("sections", i)
        if not isinstance(item, dict):
            report.error(
                path,
                line,
                "wrong_type",
                key=f"sections[{i + 1}]",
                expected="{id: …, name: …}",
                found=str(item),
                example="{id: news, name: 工作动态}",
            )
            continue
        sv = validate(doc, SECTION_FIELDS, path, report, prefix=("sections", i))
        if "id" not in sv or "name" not in sv:
            continue
        if not SECTION_ID_RE.match(sv["id"]):
            report.error(path, doc.line("sections", i, "id"), "bad_section_id", value=sv["id"])
            continue
        if sv["id"] in RESERVED_SECTION_IDS:  # sections/index.html is the list of sections
            report.error(path, doc.line("sections", i, "id"), "reserved_section_id", value=sv["id"])
            continue
        # compared as they look (NFKC): "Café" typed two ways, or full-width letters, are one name
        taken = {unicodedata.normalize("NFKC", n) for s in sections for n in (s.id, s.name)}
        if {unicodedata.normalize("NFKC", sv["id"]), unicodedata.normalize("NFKC", sv["name"])} & taken:
            report.error(path, line, "duplicate_section", value=sv["name"])
            continue
        sections.append(Section(sv["id"], sv["name"]))
    if "sections" in values and not values["sections"]:
        report.error(path, doc.line("sections"), "no_sections")

    print_settings = PrintSettings()
    if isinstance(values.get("print"), dict):
        pv = validate(doc, PRINT_FIELDS, path, report, prefix=("print",))
        qrs = []
        for i, item in enumerate(pv.pop("qr_codes", None) or []):
            if not isinstance(item, dict):
                report.error(
                    path,
                    doc.line("print", "qr_codes", i),
                    "wrong_type",
                    key="qr_codes",
                    expected="{label: …, url: …}",
                    found=str(item),
                    example=QR_FIELDS[1].example,
                )
                continue
            qv = validate(doc, QR_FIELDS, path, report, prefix=("print", "qr_codes", i))
            if "label" in qv and "url" in qv:
                url_line = doc.line("print", "qr_codes", i, "url")
                url = _check_url("url", qv["url"], path, url_line, report)
                if url and len(url.encode("utf-8")) > QR_MAX_BYTES:  # segno would refuse it at render time
                    report.error(
                        path, url_line, "qr_too_long", size=len(url.encode("utf-8")), limit=QR_MAX_BYTES
                    )
                elif url:
                    qrs.append(QRCode(qv["label"], url))
        pv["fillers"] = _fillers(root, doc, pv.get("fillers"), path, report)
        for key in PATH_LIMITS_MB.keys() - {"fillers"}:
            line = doc.line("print", key)
            if pv.get(key) and not check_project_file(root, key, pv[key], path, line, report):
                pv[key] = None  # not used: the build stops on the error
        if isinstance(pv.get("fonts"), dict):
            pv["fonts"] = _print_fonts(doc, path, report)
        else:
            pv.pop("fonts", None)
        pv = {k: v for k, v in pv.items() if v is not None}
        for key in ("bleed_mm", "fill_holes_mm"):
            if key in pv:
                pv[key] = float(pv[key])
        print_settings = PrintSettings(**pv, qr_codes=tuple(qrs))

    site_settings = SiteSettings()
    if isinstance(values.get("site"), dict):
        sv = {
            k: v
            for k, v in validate(doc, SITE_FIELDS, path, report, prefix=("site",)).items()
            if v is not None
        }
        site_settings = SiteSettings(**sv)

    typography = TypographySettings()
    if isinstance(values.get("typography"), dict):
        tv = validate(doc, TYPOGRAPHY_FIELDS, path, report, prefix=("typography",))
        typography = TypographySettings(**{k: v for k, v in tv.items() if v is not None})

    for key in ("website", "base_url"):
        if values.get(key):
            values[key] = _check_url(key, values[key], path, doc.line(key), report)
    if values.get("base_url") and not values["base_url"].endswith("/"):
        values["base_url"] += "/"

    if not all(k in values for k in ("title", "publisher", "frequency")) or not sections:
        return None
    return Publication(
        title=values["title"],
        publisher=values["publisher"],
        frequency=values["frequency"],
        sections=tuple(sections),
        language=values.get("language") or "zh-CN",
        notice=values["notice"] if values.get("notice") is not None else DEFAULT_NOTICE,
        website=values.get("website") or "",
        base_url=values.get("base_url") or "",
        distribution=values.get("distribution") or "",
        description=values.get("description") or "",
        print=print_settings,
        site=site_settings,
        typography=typography,
    )
