# ruff: noqa: E501 -- a table of messages reads best one entry per line, however long
"""Editor-facing messages of `bulletin wechat`, registered with bulletin.messages."""

from __future__ import annotations

from bulletin import messages

MESSAGES: dict[str, tuple[str, str]] = {
    "help.wechat": (
        "导出微信公众号版本：ISSUE 是期号（如 2026-01），ARTICLE 是文章的文件名或网址名（不写则导出整期）。"
        "每篇文章生成 output/wechat/期号/文章/，内有可直接粘贴的正文 article.html、按顺序编号的图片和带“复制正文”按钮的预览 preview.html。",
        "Export the WeChat official account version: ISSUE is an issue key (2026-01), ARTICLE an article's file or URL name "
        "(none: the whole issue). Each article gets output/wechat/ISSUE/ARTICLE/ with article.html (styles inline, "
        "ready to paste), its pictures numbered in order, and preview.html with a copy button.",
    ),
    "help.wechat.drafts": (
        "也可导出标为草稿（draft: true）的文章",
        "also export articles marked draft: true",
    ),
    "help.wechat.max_width": (
        "图片的最大宽度（像素），默认 1080",
        "largest picture width in pixels (default 1080)",
    ),
    "wechat_unknown_article": ("第 {issue} 期中找不到文章 {key}", "issue {issue} has no article {key}"),
    "wechat_unknown_article.hint": (
        "写文章的文件名（不带 .md）。本期的文章：{choices}",
        "Give the article's file name (without .md). This issue's articles: {choices}",
    ),
    "wechat_image_failed": (
        "图片 {path} 无法转换为公众号图片：{problem}",
        "picture {path} could not be converted for WeChat: {problem}",
    ),
    "wechat_image_failed.hint": (
        "用图片软件打开后另存为 JPEG 或 PNG，替换原文件后再导出。",
        "Open it in an image editor, save it again as JPEG or PNG, replace the file and export again.",
    ),
    "wechat_css_dropped": (
        "公众号样式表中的 {props} 不能用于公众号正文，已忽略",
        "{props} in the WeChat stylesheet cannot be used in a WeChat article; ignored",
    ),
    "wechat_css_dropped.hint": (
        "公众号编辑器会丢掉这些样式。字号请用 px；不要用定位、弹性布局或 CSS 中的图片。",
        "The 公众号 editor drops such styles. Give font sizes in px; no positioning, flex layouts or pictures in CSS.",
    ),
    "wechat_template_error": ("公众号模板出错：{problem}", "WeChat template error: {problem}"),
    "wechat_template_error.hint": (
        "检查 templates/wechat/ 中改过的文件；删去或改名即可恢复默认模板。",
        "Check the files you changed under templates/wechat/; delete or rename them to fall back to the defaults.",
    ),
    "wechat_done": (
        "已导出 {n} 篇公众号文章到 {folder}",
        "Exported {n} WeChat article(s) to {folder}",
    ),
    "wechat_next": (
        "用浏览器打开 {preview}，点“复制正文”，再粘贴到公众号编辑器。",
        "Open {preview} in a browser, press 复制正文 (copy) and paste into the 公众号 editor.",
    ),
    "wechat_next_issue": (
        "用浏览器打开 {index}，点文章标题打开它的预览，再点“复制正文”，粘贴到公众号编辑器。",
        "Open {index} in a browser, open an article's preview, press 复制正文 (copy) and paste into the 公众号 editor.",
    ),
    "wechat_article_line_plain": ("{file} → {folder}", "{file} → {folder}"),
    "wechat_article_line": (
        "{file} → {folder}（图片 {images} 张）",
        "{file} → {folder} ({images} picture(s))",
    ),
}

messages.register(MESSAGES)
