"""Editor-facing messages of the print side (preflight and PDF production), registered at import."""

from __future__ import annotations

from bulletin import messages

PRINT_MESSAGES: dict[str, tuple[str, str]] = {
    "pf_missing_glyph": (
        "《{article}》中的字符“{char}”（{codepoint}）在印刷字体中没有字形，印出来会是一个空方框",
        'the character "{char}" ({codepoint}) in "{article}" has no glyph in the print fonts: '
        "it would print as an empty box",
    ),
    "pf_missing_glyph.hint": (
        "改用常用字或标准写法；如果是从其他软件粘贴来的特殊符号（私用区字符、生僻字、表情符号），"
        "请删去后重新输入。",
        "Use a common character or standard form; if it is a special symbol pasted from another program "
        "(private-use character, rare character, emoji), delete it and type it again.",
    ),
    "pf_image_low_dpi": (
        "图片 {path} 印刷分辨率只有 {dpi} dpi（{px} 像素宽，印出 {mm} 毫米宽），"
        "低于 {limit} dpi，印出来会模糊",
        "image {path} prints at only {dpi} dpi ({px} px wide, printed {mm} mm wide), below {limit} dpi: it "
        "will print blurred",
    ),
    "pf_image_low_dpi.hint": (
        "换用原始照片（相机或手机拍摄的原图，不要用微信、网页上下载的压缩图）；"
        "按现在印出的尺寸至少需要 {need} 像素宽，像素足够时照片会印满一栏。",
        "Use the original photo (straight from the camera or phone, not a compressed "
        "copy from chat or the web); at "
        "its printed size it needs at least {need} px, and with enough pixels it fills the column.",
    ),
    "pf_hole_unfilled": (
        "第 {page} 页下部留有 {mm} 毫米空白（约 {lines} 行）：《{title}》的开头放不下，移到了下一页，"
        "print.fillers 中的 {fillers} 则补白都放不下或已用过",
        "page {page} ends with {mm} mm of white (about {lines} lines): the start of \"{title}\" did not fit "
        "and moved to the next page, and none of the {fillers} fillers of print.fillers fits or is left",
    ),
    "pf_hole_no_fillers": (
        "第 {page} 页下部留有 {mm} 毫米空白（约 {lines} 行）：《{title}》的开头放不下，移到了下一页；"
        "bulletin.yaml 没有设置补白（print.fillers）",
        "page {page} ends with {mm} mm of white (about {lines} lines): the start of \"{title}\" did not fit "
        "and moved to the next page; bulletin.yaml lists no fillers (print.fillers)",
    ),
    "pf_hole_unfilled.hint": (
        "在 bulletin.yaml 的 print.fillers 中加一则不超过 {lines} 行的补白（征稿启事、短讯、名言等 Markdown "
        "短稿，首行“# 标题”）；或把前一篇增补约 {lines} 行、删减几行，使本篇在第 {page} 页开始。",
        "Add a filler of at most {lines} lines to print.fillers in bulletin.yaml (a short Markdown item: a "
        "call for papers, a brief notice, a quotation; first line \"# title\"); or lengthen the article "
        "before it by about {lines} lines, or shorten it by a few, so that this one starts on page {page}.",
    ),
    "pf_hole_no_fillers.hint": (
        "在 bulletin.yaml 的 print.fillers 中加一则不超过 {lines} 行的补白（征稿启事、短讯、名言等 Markdown "
        "短稿，首行“# 标题”）；或把前一篇增补约 {lines} 行、删减几行，使本篇在第 {page} 页开始。",
        "Add a filler of at most {lines} lines to print.fillers in bulletin.yaml (a short Markdown item: a "
        "call for papers, a brief notice, a quotation; first line \"# title\"); or lengthen the article "
        "before it by about {lines} lines, or shorten it by a few, so that this one starts on page {page}.",
    ),
    "pf_image_failed": (
        "图片 {path} 无法载入，PDF 中会缺图",
        "image {path} could not be loaded: it would be missing from the PDF",
    ),
    "pf_image_failed.hint": (
        "确认文件存在于本期的 images/ 文件夹、能用看图软件打开；必要时重新导出为 JPG 或 PNG。",
        "Check the file is in this issue's images/ folder and opens in an image viewer; "
        "export it again as JPG "
        "or PNG if needed.",
    ),
    "pf_font_not_embedded": (
        "字体 {font} 没有嵌入 PDF（印刷厂无法正确输出）",
        "font {font} is not embedded in the PDF (the print shop cannot output it correctly)",
    ),
    "pf_font_not_embedded.hint": (
        "请把这条消息发给技术人员。",
        "Please report this message to the maintainers.",
    ),
    "pdfx_output_intent": (
        "PDF/X-4 输出配置：{desc}（{ident}，{path}）",
        "PDF/X-4 output intent: {desc} ({ident}, {path})",
    ),
    "pf_no_icc_profile": (
        "找不到 PDF/X-4 所需的印刷色彩特性文件（ICC）{path}",
        "the ICC output profile needed for PDF/X-4 was not found: {path}",
    ),
    "pf_no_icc_profile.hint": (
        "运行 make build 安装默认特性文件（Debian 软件包 libgs-common），"
        "或在 bulletin.yaml 的 print: 下用 icc_profile: 指定印刷厂提供的 .icc 文件，"
        "或去掉 pdf_variant: pdf/x-4。",
        "Run make build to install the default profile (Debian package libgs-common), or "
        "name the print shop's "
        ".icc file with print: icc_profile: in bulletin.yaml, or remove pdf_variant: pdf/x-4.",
    ),
    "pf_bad_icc_profile": (
        "印刷色彩特性文件 {path} 不是 CMYK 印刷特性文件（{reason}）",
        "the ICC profile {path} is not a CMYK output profile ({reason})",
    ),
    "pf_bad_icc_profile.hint": (
        "向印刷厂索取 CMYK 特性文件（例如 Japan Color 2001 Coated 或 FOGRA39），"
        "放到项目中并在 icc_profile: 中写明路径。",
        "Ask the print shop for its CMYK profile (e.g. Japan Color 2001 Coated or "
        "FOGRA39), put it in the project "
        "and name it in icc_profile:.",
    ),
    "pf_logo_missing": (
        "找不到报头图片 {path}",
        "masthead logo not found: {path}",
    ),
    "pf_logo_missing.hint": (
        "把图片放到项目文件夹中，并在 bulletin.yaml 的 print: logo: 中写明相对路径；"
        "或删去 logo: 改用文字报头。",
        "Put the image in the project folder and give its relative path in print: logo: "
        "in bulletin.yaml; or "
        "remove logo: to use the text masthead.",
    ),
}

# What a print resource is, as the editor knows it: pf_{remote,outside,failed}_<kind> below.
RESOURCE_KINDS = {
    "image": ("图片", "image"),
    "font": ("字体", "font"),
    "stylesheet": ("样式表", "stylesheet"),
    "profile": ("色彩特性文件", "colour profile"),
    "resource": ("文件", "file"),
}
_HINT_OUTSIDE = (
    "印刷用的图片、字体和样式表都必须放在项目文件夹中（文章的图片放在本期的 images/ 中），用相对路径引用；"
    "不能引用网络地址或电脑上其他位置的文件。",
    "Pictures, fonts and stylesheets for print must be inside the project folder (an article's pictures "
    "in its issue's images/ folder), referred to by relative paths; never web addresses or files elsewhere "
    "on the computer.",
)
for _kind, (_zh, _en) in RESOURCE_KINDS.items():
    PRINT_MESSAGES[f"pf_remote_{_kind}"] = (
        f"{_zh} {{path}} 不在项目文件夹中（是网络地址），不能载入",
        f"{_en} {{path}} is not in the project folder (it is a web address): it cannot be loaded",
    )
    PRINT_MESSAGES[f"pf_outside_{_kind}"] = (
        f"{_zh} {{path}} 不在项目文件夹中，不能载入",
        f"{_en} {{path}} is not in the project folder: it cannot be loaded",
    )
    PRINT_MESSAGES[f"pf_remote_{_kind}.hint"] = PRINT_MESSAGES[f"pf_outside_{_kind}.hint"] = _HINT_OUTSIDE
    if _kind != "image":  # a picture that fails is pf_image_failed above
        PRINT_MESSAGES[f"pf_failed_{_kind}"] = (
            f"{_zh} {{path}} 无法载入，PDF 中会缺少它",
            f"{_en} {{path}} could not be loaded: it would be missing from the PDF",
        )
        PRINT_MESSAGES[f"pf_failed_{_kind}.hint"] = (
            "确认文件存在、不是空文件，也不是文件夹或指向别处的链接；必要时重新复制一份。",
            "Check the file exists, is not empty, and is not a folder or a link to elsewhere; copy it again "
            "if needed.",
        )

messages.register(PRINT_MESSAGES)
