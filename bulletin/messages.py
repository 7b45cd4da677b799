"""Editor-facing messages, in Chinese (default) and English.

Each entry maps a message id to (Chinese, English) format strings. `BULLETIN_LANG=en` or `--lang en`
switches the language of everything the CLI prints.
"""

from __future__ import annotations

import os

_LANG = os.environ.get("BULLETIN_LANG", "zh")

MESSAGES: dict[str, tuple[str, str]] = {
    # severities and framing
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "hint": ("如何修改", "fix"),
    "summary_errors": ("发现 {errors} 处错误、{warnings} 处警告，未生成任何文件，已有的输出保持不变。",
                       "{errors} error(s), {warnings} warning(s): nothing was written, existing output is unchanged."),
    "summary_ok": ("检查通过：{issues} 期、{articles} 篇文章，{warnings} 处警告。",
                   "Check passed: {issues} issue(s), {articles} article(s), {warnings} warning(s)."),
    # files and encodings
    "no_config": ("找不到出版物设置文件 bulletin.yaml", "bulletin.yaml not found"),
    "no_config.hint": ("在项目根目录运行命令，或用 --root 指定包含 bulletin.yaml 的文件夹。",
                       "Run the command in the project folder, or pass --root DIR pointing at the folder with bulletin.yaml."),
    "not_utf8": ("文件不是 UTF-8 编码（看起来是 {guess}）", "the file is not UTF-8 (it looks like {guess})"),
    "not_utf8.hint": ("用记事本或 WPS 打开，选择“另存为”，编码选 UTF-8 后保存。",
                      "Open it in a text editor and save it again as UTF-8 (\"Save as\", encoding UTF-8)."),
    "not_utf8_unknown": ("文件不是 UTF-8 编码，第 {line} 行有无法识别的字节", "the file is not UTF-8: undecodable bytes on line {line}"),
    "bom": ("文件开头有 BOM 标记，已忽略", "the file starts with a byte-order mark (BOM); it was ignored"),
    "bom.hint": ("可以不改；如需去掉，另存为“UTF-8（无 BOM）”。", "Nothing to do; to remove it, save as \"UTF-8 without BOM\"."),
    "empty_file": ("文件是空的", "the file is empty"),
    "empty_file.hint": ("文章文件应以 --- 开头的前置信息（标题、栏目等）起始，然后是正文。",
                        "An article starts with front matter between --- lines (title, section…), then the body."),
    "too_large": ("文件太大（{size}），上限是 {limit}", "the file is too large ({size}); the limit is {limit}"),
    "too_large.hint": ("检查是否误把图片或其他文件的内容粘进了文章。", "Check that no image or other file was pasted into the article."),
    "unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "symlink_outside": ("文件是指向项目之外的链接（{target}）", "the file is a link to outside the project ({target})"),
    "symlink_outside.hint": ("把文件本身复制到 content/ 中，不要使用链接。", "Copy the file itself into content/ instead of linking to it."),
    # YAML
    "yaml_syntax": ("YAML 格式错误：{problem}", "YAML syntax error: {problem}"),
    "yaml_syntax.hint": ("检查冒号后是否有空格、缩进是否对齐、引号是否成对；含冒号的文字请加引号。",
                         "Check there is a space after each colon, the indentation lines up and quotes are paired; quote text containing a colon."),
    "yaml_not_mapping": ("{what} 应是“键: 值”形式的列表", "{what} must be a mapping of \"key: value\" lines"),
    "yaml_not_mapping.hint": ("每行写成“键: 值”，例如 title: 标题。", "Write one \"key: value\" per line, e.g. title: My title."),
    "yaml_duplicate_key": ("键 \"{key}\" 重复出现（第一次在第 {first} 行）", "key \"{key}\" appears twice (first on line {first})"),
    "yaml_duplicate_key.hint": ("删去其中一个。", "Remove one of them."),
    "yaml_too_deep": ("YAML 嵌套过深", "the YAML is nested too deeply"),
    # front matter
    "fm_missing": ("文件没有前置信息（应以 --- 开头）", "the file has no front matter (it must start with ---)"),
    "fm_missing.hint": ("在文件开头加上：\n---\ntitle: 文章标题\nsection: 栏目\n---", "Start the file with:\n---\ntitle: Title\nsection: section-id\n---"),
    "fm_unclosed": ("前置信息没有结束（缺少第二个 --- 行）", "the front matter is not closed (the second --- line is missing)"),
    "fm_unclosed.hint": ("在前置信息最后一行之后加一行 ---，再写正文。", "Add a line --- after the last front-matter line, then the body."),
    # schema
    "missing_key": ("缺少必填项 \"{key}\"（{desc}）", "required key \"{key}\" is missing ({desc})"),
    "missing_key.hint": ("添加一行：{key}: {example}", "Add a line: {key}: {example}"),
    "unknown_key": ("未知的键 \"{key}\"", "unknown key \"{key}\""),
    "unknown_key_suggest": ("未知的键 \"{key}\"（是否应为 \"{suggestion}\"？）", "unknown key \"{key}\" (did you mean \"{suggestion}\"?)"),
    "unknown_key.hint": ("可用的键：{allowed}", "Allowed keys: {allowed}"),
    "wrong_type": ("\"{key}\" 应是{expected}，而不是{found}", "\"{key}\" must be {expected}, not {found}"),
    "wrong_type.hint": ("例如：{key}: {example}", "For example: {key}: {example}"),
    "bad_choice": ("\"{key}\" 的值 \"{value}\" 无效", "\"{key}\" has an invalid value \"{value}\""),
    "bad_choice.hint": ("可选值：{choices}", "Choose one of: {choices}"),
    "bad_date": ("\"{key}\" 不是有效日期：{value}", "\"{key}\" is not a valid date: {value}"),
    "bad_date.hint": ("日期写成 年-月-日，例如 2026-03-05，并确认这一天确实存在。",
                      "Write dates as YEAR-MONTH-DAY, e.g. 2026-03-05, and check the day exists."),
    "empty_value": ("\"{key}\" 不能为空", "\"{key}\" must not be empty"),
    "empty_value.hint": ("填写内容，或删去这一行（非必填项）。", "Fill it in, or remove the line if the key is optional."),
    "bad_number": ("\"{key}\" 应是 {lo} 到 {hi} 之间的整数，而不是 {value}", "\"{key}\" must be a whole number from {lo} to {hi}, not {value}"),
    "bad_number.hint": ("例如：{key}: {example}", "For example: {key}: {example}"),
    "bad_section_id": ("栏目 id \"{value}\" 只能用小写英文字母、数字和连字符", "section id \"{value}\" may use only lowercase letters, digits and hyphens"),
    "bad_section_id.hint": ("例如 {{id: news, name: 工作动态}}。", "For example {{id: news, name: 工作动态}}."),
    "duplicate_section": ("栏目 \"{value}\" 重复定义", "section \"{value}\" is defined twice"),
    "duplicate_section.hint": ("每个栏目的 id 和名称都必须唯一。", "Each section's id and name must be unique."),
    "no_sections": ("至少需要定义一个栏目（sections）", "at least one section is required (sections)"),
    "no_sections.hint": ("例如：\nsections:\n  - {id: news, name: 工作动态}", "For example:\nsections:\n  - {id: news, name: 工作动态}"),
    "unknown_section": ("未知的栏目 \"{value}\"", "unknown section \"{value}\""),
    "unknown_section_suggest": ("未知的栏目 \"{value}\"（是否应为 \"{suggestion}\"？）", "unknown section \"{value}\" (did you mean \"{suggestion}\"?)"),
    "unknown_section.hint": ("bulletin.yaml 中定义的栏目：{choices}", "Sections defined in bulletin.yaml: {choices}"),
    "bad_url": ("\"{key}\" 应是以 http:// 或 https:// 开头的网址：{value}", "\"{key}\" must be a URL starting with http:// or https://: {value}"),
    "bad_url.hint": ("例如：{key}: https://www.example.gov.cn/", "For example: {key}: https://www.example.gov.cn/"),
    # issues and folders
    "no_content": ("找不到 content/ 文件夹", "no content/ folder"),
    "no_content.hint": ("在 bulletin.yaml 旁边建立 content/<年>/<期号>/ 文件夹，或运行 bulletin new issue。",
                        "Create content/<YEAR>/<NN>/ next to bulletin.yaml, or run bulletin new issue."),
    "bad_year_folder": ("文件夹名 \"{name}\" 不是四位年份", "folder name \"{name}\" is not a four-digit year"),
    "bad_year_folder.hint": ("content/ 下只放年份文件夹，例如 content/2026/。", "Put only year folders in content/, e.g. content/2026/."),
    "bad_issue_folder": ("文件夹名 \"{name}\" 不是两位期号", "folder name \"{name}\" is not a two-digit issue number"),
    "bad_issue_folder.hint": ("期文件夹用两位数字命名，例如 content/2026/04/。", "Name issue folders with two digits, e.g. content/2026/04/."),
    "no_issue_yaml": ("期文件夹中缺少 issue.yaml", "the issue folder has no issue.yaml"),
    "no_issue_yaml.hint": ("新建 issue.yaml，写明 number、total、date，或运行 bulletin new issue。",
                           "Create issue.yaml with number, total and date, or run bulletin new issue."),
    "folder_year_mismatch": ("日期 {date} 的年份与文件夹年份 {year} 不一致", "the date {date} is not in the folder's year {year}"),
    "folder_year_mismatch.hint": ("改正日期，或把这一期移到 content/{date_year}/ 下。", "Fix the date, or move the issue to content/{date_year}/."),
    "folder_number_mismatch": ("期号 number: {number} 与文件夹名 {folder} 不一致", "number: {number} does not match the folder name {folder}"),
    "folder_number_mismatch.hint": ("把文件夹改名为 {expected}，或改正 number。", "Rename the folder to {expected}, or fix number."),
    "no_articles": ("这一期没有文章", "this issue has no articles"),
    "no_articles.hint": ("在期文件夹中添加 .md 文章文件，或运行 bulletin new article。", "Add .md article files, or run bulletin new article."),
    "unknown_issue": ("找不到第 {key} 期", "no issue {key}"),
    "unknown_issue.hint": ("已有的期：{choices}。期号写成 年-期号，例如 2026-04。", "Existing issues: {choices}. Write issues as YEAR-NN, e.g. 2026-04."),
    "duplicate_issue_total": ("总期号 {total} 与 {other} 重复", "total {total} is also used by {other}"),
    "duplicate_issue_total.hint": ("每一期的 total（总第几期）必须不同。", "Each issue needs its own total."),
    # numbering
    "seq_total": ("总期号不连续：{earlier} 之后应为总第 {expected} 期，{later} 却是总第 {found} 期",
                  "totals are not consecutive: after {earlier} comes total {expected}, but {later} has total {found}"),
    "seq_total.hint": ("改正 {later} 的 total，或补上缺少的期。", "Fix total in {later}, or add the missing issue."),
    "seq_number": ("期号不连续：{earlier} 之后应为第 {expected} 期，{later} 却是第 {found} 期",
                   "issue numbers are not consecutive: after {earlier} comes number {expected}, but {later} has {found}"),
    "seq_number.hint": ("同一年内期号逐期加 1，新的一年从第 1 期开始。", "Numbers go up by 1 within a year and restart at 1 in a new year."),
    "seq_date": ("出版日期没有递增：{later} 的日期 {found} 不晚于 {earlier}", "dates do not increase: {later} ({found}) is not after {earlier}"),
    "seq_date.hint": ("改正其中一期的 date。", "Fix the date of one of the two issues."),
    "seq_schedule": ("{earlier} 与 {later} 相隔 {found} 天，与出版周期（通常 {expected} 天）不符",
                     "{earlier} and {later} are {found} days apart, unusual for the frequency ({expected} days)"),
    "seq_schedule.hint": ("如果确实如此（例如增刊），可以忽略此警告。", "If this is intended (e.g. a special issue), ignore this warning."),
    # articles
    "duplicate_slug": ("网址名 \"{slug}\" 与 {other} 重复", "URL slug \"{slug}\" is also used by {other}"),
    "duplicate_slug.hint": ("在其中一篇的前置信息中加上不同的 slug，例如 slug: {slug}-2。", "Give one of them a different slug, e.g. slug: {slug}-2."),
    "bad_slug": ("网址名 slug \"{value}\" 只能用小写英文字母、数字和连字符", "slug \"{value}\" may use only lowercase letters, digits and hyphens"),
    "bad_slug.hint": ("例如 slug: kaiju-zhiyou。", "For example slug: my-article."),
    "missing_image": ("找不到图片文件 {path}", "image file not found: {path}"),
    "missing_image.hint": ("把图片放到 {folder} 下，或改正路径（路径相对于文章所在的文件夹，区分大小写）。",
                           "Put the image in {folder}, or fix the path (relative to the article's folder, case-sensitive)."),
    "image_outside": ("图片路径 {path} 指向文章所在期文件夹之外", "image path {path} points outside the issue folder"),
    "image_outside.hint": ("把图片复制到本期的 images/ 文件夹，写成 images/文件名.jpg。", "Copy the image into this issue's images/ folder and write images/name.jpg."),
    "image_remote": ("不能使用网络图片 {path}（内网和印刷都无法获取）", "remote images are not allowed: {path} (neither the intranet nor the print run can fetch them)"),
    "image_remote.hint": ("下载图片，放到本期的 images/ 文件夹，写成 images/文件名.jpg。", "Download the image into this issue's images/ folder and write images/name.jpg."),
    "image_corrupt": ("图片文件 {path} 无法读取（{reason}）", "image file {path} cannot be read ({reason})"),
    "image_corrupt.hint": ("用看图软件打开确认，重新导出为 JPG 或 PNG。", "Open it in an image viewer and export it again as JPG or PNG."),
    "image_too_large": ("图片 {path} 太大（{width}×{height} 像素），上限 {limit} 像素", "image {path} is too large ({width}×{height} px); the limit is {limit} px"),
    "image_too_large.hint": ("缩小到长边不超过 {limit} 像素后再放入。", "Scale it down so its longer side is at most {limit} px."),
    "raw_html": ("正文含有 HTML 标签 {tag}，已按普通文字显示", "the body contains the HTML tag {tag}; it is shown as plain text"),
    "raw_html.hint": ("用 Markdown 写格式；确需 HTML 时在 bulletin.yaml 的 site: 下设 allow_html: true（脚本等危险内容仍会被去掉）。",
                      "Use Markdown for formatting; if HTML is really needed, set site: allow_html: true in bulletin.yaml (scripts are still removed)."),
    "poem_unclosed": ("诗歌块 ::: poem 没有结束", "the ::: poem block is not closed"),
    "poem_unclosed.hint": ("在诗歌最后一行之后加一行 :::", "Add a line ::: after the poem's last line."),
    "too_deep": ("正文嵌套层次过深（{depth} 层）", "the body is nested too deeply ({depth} levels)"),
    "too_deep.hint": ("检查是否有大量连续的 > 或缩进列表。", "Check for long runs of > or indented lists."),
    "footnote_undefined": ("脚注 [^{label}] 没有对应的说明", "footnote [^{label}] has no definition"),
    "footnote_undefined.hint": ("在文末加一行 [^{label}]: 脚注内容", "Add a line [^{label}]: footnote text at the end."),
    # build / output
    "locked": ("另一个构建正在进行（进程 {pid}）", "another build is running (process {pid})"),
    "locked.hint": ("等它结束后再运行；如确认没有构建在运行，删除 {path}。", "Wait for it to finish; if none is running, delete {path}."),
    "interrupted": ("构建被中断，已有的输出保持不变。", "Build interrupted; existing output is unchanged."),
    "template_error": ("模板错误：{problem}", "template error: {problem}"),
    "template_error.hint": ("检查 templates/ 中被修改过的模板；删除它即可恢复默认模板。",
                            "Check the template you changed under templates/; delete it to fall back to the default."),
    "pdf_failed": ("生成 PDF 失败：{problem}", "PDF rendering failed: {problem}"),
    "pdf_failed.hint": ("请把这条消息发给技术人员。", "Please report this message to the maintainers."),
    "write_failed": ("无法写入输出：{problem}", "cannot write the output: {problem}"),
    "write_failed.hint": ("检查磁盘空间和 output/ 文件夹的权限。", "Check disk space and the permissions of output/."),
    "built": ("完成：{what}（{seconds:.1f} 秒）", "Done: {what} ({seconds:.1f} s)"),
}


def set_language(lang: str) -> None:
    """Choose the language of editor-facing messages: "zh" or "en"."""
    global _LANG
    _LANG = "en" if lang.lower().startswith("en") else "zh"


def language() -> str:
    return _LANG


def t(msg_id: str, /, **kwargs: object) -> str:
    """The message `msg_id` in the current language, formatted with kwargs."""
    zh, en = MESSAGES[msg_id]
    template = en if _LANG == "en" else zh
    return template.format(**kwargs) if kwargs else template


def has(key: str) -> bool:
    return key in MESSAGES


def register(entries: dict[str, tuple[str, str]]) -> None:
    """Add messages from another module (print, site, editor), keeping ids unique."""
    for key in entries:
        if key in MESSAGES:
            raise KeyError(f"message id {key!r} is defined twice")
    MESSAGES.update(entries)
