"""bulletin.yaml: the publication settings, declared and validated."""

from __future__ import annotations

import re
from pathlib import Path

from bulletin import numbering
from bulletin.content.textfile import read_text
from bulletin.content.yamlfile import parse
from bulletin.diagnostics import Report
from bulletin.model import PrintSettings, Publication, QRCode, Section, SiteSettings
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
)

QR_FIELDS = (
    Field("label", "str", True, "二维码说明", "官方网站", allow_empty=False),
    Field("url", "str", True, "二维码网址", "http://www.example.gov.cn", allow_empty=False),
)

SITE_FIELDS = (
    Field("recent_issues", "int", False, "首页显示的近期期数", "12", lo=1, hi=1000),
    Field("feed_articles", "int", False, "订阅源中的文章数", "30", lo=1, hi=1000),
    Field("allow_html", "bool", False, "允许正文中的 HTML", "false"),
)


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
        if any(sv["id"] in (s.id, s.name) or sv["name"] in (s.id, s.name) for s in sections):
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
                url = _check_url("url", qv["url"], path, doc.line("print", "qr_codes", i, "url"), report)
                if url:
                    qrs.append(QRCode(qv["label"], url))
        if pv.get("logo"):
            logo = root / pv["logo"]
            if not logo.is_file():
                report.error(
                    path, doc.line("print", "logo"), "missing_image", path=pv["logo"], folder=str(root)
                )
        pv = {k: v for k, v in pv.items() if v is not None}
        if "bleed_mm" in pv:
            pv["bleed_mm"] = float(pv["bleed_mm"])
        print_settings = PrintSettings(**pv, qr_codes=tuple(qrs))

    site_settings = SiteSettings()
    if isinstance(values.get("site"), dict):
        sv = {
            k: v
            for k, v in validate(doc, SITE_FIELDS, path, report, prefix=("site",)).items()
            if v is not None
        }
        site_settings = SiteSettings(**sv)

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
    )
