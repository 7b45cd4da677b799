# ruff: noqa: E501 -- a table of messages reads best one entry per line, however long
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
    # punctuation between the parts of a message, which differs by language
    "list_sep": ("；", "; "),
    "hint_in_parens": ("（{hint}）", " ({hint})"),
    "colon": ("：", ": "),
    "colon_tight": ("：", ":"),  # before a list on the next lines, after a help heading
    "html_lang": ("zh-CN", "en"),  # the lang attribute of pages shown to the editor (the preview's)
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
    "not_utf8_bytes": ("文件中有不是 UTF-8 的字节 {byte}（从文件开头数第 {nth} 个字节；全文共 {count} 处）",
                       "the file has bytes that are not UTF-8: {byte} (at byte offset {offset}; {count} place(s) in the file)"),
    "not_utf8_bytes.hint": ("这一行中显示为 � 的地方是损坏的字符：删去后重新输入，再用记事本或 WPS“另存为”，编码选 UTF-8。",
                            "The character shown as � on this line is damaged: delete it and type it again, then save the file as UTF-8 (\"Save as\", encoding UTF-8)."),
    "control_char": ("文件中有看不见的控制字符 {char}（全文共 {count} 处）", "the file contains an invisible control character {char} ({count} in the file)"),
    "control_char.hint": ("删去这一处（预览中显示为 �；从 Word 粘贴来的换行符也是这种字符），需要换行时直接按回车。",
                          "Delete it (shown as � here; line breaks pasted from Word are such characters); press Enter for a new line."),
    "bom": ("文件开头有 BOM 标记，已忽略", "the file starts with a byte-order mark (BOM); it was ignored"),
    "bom.hint": ("可以不改；如需去掉，另存为“UTF-8（无 BOM）”。", "Nothing to do; to remove it, save as \"UTF-8 without BOM\"."),
    "empty_file": ("文件是空的", "the file is empty"),
    "empty_body": ("文章还没有正文", "the article has no text yet"),
    "empty_body.hint": ("在第二个 --- 行下面写正文；还没写好的文章可以在前置信息中加上 draft: true。",
                        "Write the text below the second --- line; mark unfinished articles with draft: true."),
    "empty_file.hint": ("文章文件应以 --- 开头的前置信息（标题、栏目等）起始，然后是正文。",
                        "An article starts with front matter between --- lines (title, section…), then the body."),
    "too_large": ("文件太大（{size}），上限是 {limit}", "the file is too large ({size}); the limit is {limit}"),
    "too_large.hint": ("检查是否误把图片或其他文件的内容粘进了文章。", "Check that no image or other file was pasted into the article."),
    "unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "unreadable.hint": ("检查文件的读取权限；如果它是一个链接（快捷方式），换成文件本身。",
                        "Check the file's permissions; if it is a link (shortcut), replace it with the file itself."),
    # why a file cannot be read ({reason} of unreadable), by errno (bulletin/content/textfile.py)
    "unreadable.permission": ("没有读取权限", "permission denied"),
    "unreadable.missing": ("文件不存在（可能是失效的链接）", "the file does not exist (a broken link?)"),
    "unreadable.loop": ("链接指向自身（循环链接）", "the link points to itself (a link loop)"),
    "unreadable.folder": ("这是一个文件夹，不是文件", "it is a folder, not a file"),
    "unreadable.not_regular": ("这不是普通文件", "it is not a regular file"),
    "not_text": ("文件不是文本文件（可能是图片或 Word 文件改了扩展名）", "the file is not a text file (perhaps a picture or Word file renamed)"),
    "not_text.hint": ("Word 文件请用 bulletin import 导入；其他文件请移出 content/ 中的期文件夹。",
                      "Import Word files with bulletin import; move other files out of the issue folders."),
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
    "yaml_too_deep": ("YAML 嵌套过深或内容过多", "the YAML is nested too deeply or is far too large"),
    "yaml_too_deep.hint": ("这里只需要简单的“键: 值”和列表；检查是否有大量成对的 [ ] 或 { }，或误粘贴了别的内容。",
                           "Only plain \"key: value\" lines and lists are needed here; check for long runs of [ ] or { }, or pasted-in text."),
    "yaml_tag": ("不支持以 ! 开头的标记 {tag}", "the YAML tag {tag} is not supported"),
    "yaml_tag.hint": ("去掉标记，直接写值（例如 title: 标题、number: 4、date: 2026-03-05）；以 ! 开头的文字请加引号。",
                      "Remove the tag and write the value itself (e.g. title: My title, number: 4, date: 2026-03-05); quote text that starts with !."),
    "yaml_merge": ("不支持 YAML 合并键 <<", "YAML merge keys (<<) are not supported"),
    "yaml_merge.hint": ("把需要的键逐个写出来（合并键会悄悄覆盖或隐藏键）。", "Write out each key you need (a merge key silently overrides or hides keys)."),
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
    "invisible_char": ("\"{key}\" 中有看不见的字符 {char}", "\"{key}\" contains an invisible character {char}"),
    "invisible_char.hint": ("它多半来自双引号中的转义（\\x、\\u、\\v 等）：删去这个转义。", "It most likely comes from an escape in double quotes (\\x, \\u, \\v…): delete that escape."),
    "number_form": ("\"{key}\" 应是{expected}，用普通的十进制数字书写，而不是 {value}", "\"{key}\" must be {expected} in plain decimal digits, not {value}"),
    "number_form.hint": ("只写数字（可带小数点），不用 0x、下划线、e 指数或 .nan/.inf，例如：{key}: {example}",
                         "Write digits only (a decimal point where allowed), no 0x, underscores, exponents or .nan/.inf, e.g. {key}: {example}"),
    # the kinds of value, as wrong_type and number_form name them (schema.Field.kind)
    "kind_str": ("文字", "text"),
    "kind_int": ("整数", "a whole number"),
    "kind_bool": ("true 或 false", "true or false"),
    "kind_date": ("日期（年-月-日）", "a date (YEAR-MONTH-DAY)"),
    "kind_strlist": ("文字或文字列表", "text or a list of text"),
    "kind_mapping": ("“键: 值”组", "a mapping of key: value"),
    "kind_list": ("列表", "a list"),
    "kind_number": ("数字", "a number"),
    "kind_empty": ("空值", "empty"),
    "bad_section_id": ("栏目 id \"{value}\" 只能用小写英文字母、数字和连字符", "section id \"{value}\" may use only lowercase letters, digits and hyphens"),
    "bad_section_id.hint": ("例如 {{id: news, name: 工作动态}}。", "For example {{id: news, name: 工作动态}}."),
    "reserved_section_id": ("栏目 id \"{value}\" 与网站的栏目总页面重名，不能使用", "section id \"{value}\" is taken by the site's list of sections"),
    "reserved_section_id.hint": ("换一个 id，例如 {{id: {value}-news, name: …}}；id 只出现在网址里。", "Choose another id, e.g. {{id: {value}-news, name: …}}; the id only appears in addresses."),
    "duplicate_section": ("栏目 \"{value}\" 重复定义", "section \"{value}\" is defined twice"),
    "duplicate_section.hint": ("每个栏目的 id 和名称都必须唯一。", "Each section's id and name must be unique."),
    "no_sections": ("至少需要定义一个栏目（sections）", "at least one section is required (sections)"),
    "no_sections.hint": ("例如：\nsections:\n  - {id: news, name: 工作动态}", "For example:\nsections:\n  - {id: news, name: 工作动态}"),
    "unknown_section": ("未知的栏目 \"{value}\"", "unknown section \"{value}\""),
    "unknown_section_suggest": ("未知的栏目 \"{value}\"（是否应为 \"{suggestion}\"？）", "unknown section \"{value}\" (did you mean \"{suggestion}\"?)"),
    "unknown_section.hint": ("bulletin.yaml 中定义的栏目：{choices}", "Sections defined in bulletin.yaml: {choices}"),
    "bad_url": ("\"{key}\" 应是以 http:// 或 https:// 开头的网址：{value}", "\"{key}\" must be a URL starting with http:// or https://: {value}"),
    "qr_too_long": ("二维码网址太长（{size} 字节），二维码最多能容纳 {limit} 字节", "the QR code URL is too long ({size} bytes); a QR code holds at most {limit} bytes"),
    "qr_too_long.hint": ("换用短一些的网址（例如网站首页或短链接）；网址越短，印出的二维码越容易扫描。",
                         "Use a shorter URL (the site's home page or a short link); the shorter the URL, the easier the printed code scans."),
    "bad_url.hint": ("例如：{key}: https://www.example.gov.cn/", "For example: {key}: https://www.example.gov.cn/"),
    # print.fonts: a family per role, installed on this machine
    "font_not_installed": ("{key} 指定的字体 \"{value}\" 在本机没有安装（相近的：{suggestion}）", "the font \"{value}\" named by {key} is not installed on this machine (similar: {suggestion})"),
    "font_not_installed.hint": ("写出已安装字体的名称（`fc-list : family` 列出全部），或先安装该字体：scripts/install-debian-deps.sh 安装默认字体；删去这一行则使用默认字体（见 docs/print.md）。",
     "Give the name of an installed font (`fc-list : family` lists them) or install it first: scripts/install-debian-deps.sh installs the default faces; delete the line to use the default (see docs/print.md)."),
    "font_bad_name": ("{key} 的字体名称 \"{value}\" 含有不允许的字符", "the font name \"{value}\" of {key} contains characters a font name cannot have"),
    "font_bad_name.hint": ("只写字体名称本身，不加引号、分号或花括号，例如 kai: AR PL KaitiM GB。", "Write the family name only, without quotes, semicolons or braces, e.g. kai: AR PL KaitiM GB."),
    # paths in bulletin.yaml (logo, icc_profile): files of the project only
    "config_path_absolute": ("{key} 写的是绝对路径 {value}：只能使用项目文件夹中的文件", "{key} is an absolute path, {value}: only files inside the project folder can be used"),
    "config_path_outside": ("{key} 的路径 {value} 指向项目文件夹之外（{target}）", "the path {value} of {key} leads outside the project folder ({target})"),
    "config_path_missing": ("找不到 {key} 指定的文件 {value}", "the file {value} named by {key} does not exist"),
    "config_path_folder": ("{key} 的路径 {value} 是一个文件夹，不是文件", "the path {value} of {key} is a folder, not a file"),
    "config_path_special": ("{key} 的路径 {value} 不是普通文件（是设备、管道或套接字）", "the path {value} of {key} is not a regular file (it is a device, pipe or socket)"),
    "config_path_too_big": ("{key} 指定的文件 {value} 有 {size} MB，超过了 {limit} MB 的上限", "the file {value} named by {key} is {size} MB, over the limit of {limit} MB"),
    "config_path_absolute.hint": ("把文件本身复制到项目文件夹中（例如 images/ 或 icc/），在 {key} 中写相对于 bulletin.yaml 的路径，例如 {example}。",
     "Copy the file itself into the project folder (e.g. images/ or icc/) and give its path relative to bulletin.yaml in {key}, e.g. {example}."),
    "config_path_outside.hint": ("把文件本身复制到项目文件夹中（例如 images/ 或 icc/），在 {key} 中写相对于 bulletin.yaml 的路径，例如 {example}。",
     "Copy the file itself into the project folder (e.g. images/ or icc/) and give its path relative to bulletin.yaml in {key}, e.g. {example}."),
    "config_path_missing.hint": ("把文件本身复制到项目文件夹中（例如 images/ 或 icc/），在 {key} 中写相对于 bulletin.yaml 的路径，例如 {example}。",
     "Copy the file itself into the project folder (e.g. images/ or icc/) and give its path relative to bulletin.yaml in {key}, e.g. {example}."),
    "config_path_folder.hint": ("把文件本身复制到项目文件夹中（例如 images/ 或 icc/），在 {key} 中写相对于 bulletin.yaml 的路径，例如 {example}。",
     "Copy the file itself into the project folder (e.g. images/ or icc/) and give its path relative to bulletin.yaml in {key}, e.g. {example}."),
    "config_path_special.hint": ("把文件本身复制到项目文件夹中（例如 images/ 或 icc/），在 {key} 中写相对于 bulletin.yaml 的路径，例如 {example}。",
     "Copy the file itself into the project folder (e.g. images/ or icc/) and give its path relative to bulletin.yaml in {key}, e.g. {example}."),
    "config_path_too_big.hint": ("把文件本身复制到项目文件夹中（例如 images/ 或 icc/），在 {key} 中写相对于 bulletin.yaml 的路径，例如 {example}。",
     "Copy the file itself into the project folder (e.g. images/ or icc/) and give its path relative to bulletin.yaml in {key}, e.g. {example}."),
    "filler_empty": ("补白文件 {path} 没有正文", "the filler file {path} has no text"),
    "filler_empty.hint": ("在标题行（# 标题）下面写上补白的正文，或从 print.fillers 中删去这个文件。",
     "Write the filler's text under its heading line (# 标题), or remove the file from print.fillers."),
    # project templates and static files: inside the project only, and sandboxed
    "template_outside": ("模板文件 {path} 指向项目文件夹之外（{target}）", "the template file {path} leads outside the project folder ({target})"),
    "template_special": ("模板文件 {path} 不是普通文件（是设备、管道或套接字）", "the template file {path} is not a regular file (it is a device, pipe or socket)"),
    "template_dir_outside": ("模板文件夹 {path} 指向项目文件夹之外（{target}）", "the templates folder {path} leads outside the project folder ({target})"),
    "template_outside.hint": ("模板和静态文件只能放在项目的 templates/ 文件夹中：删去这个链接，把文件本身复制进来。",
     "Templates and static files must be inside the project's templates/ folder: delete the link and copy the file itself in."),
    "template_special.hint": ("模板和静态文件只能放在项目的 templates/ 文件夹中：删去这个链接，把文件本身复制进来。",
     "Templates and static files must be inside the project's templates/ folder: delete the link and copy the file itself in."),
    "template_dir_outside.hint": ("模板和静态文件只能放在项目的 templates/ 文件夹中：删去这个链接，把文件本身复制进来。",
     "Templates and static files must be inside the project's templates/ folder: delete the link and copy the file itself in."),
    "template_unsafe": ("模板 {template} 做了不允许的事（生成 {page} 时）：{problem}", "the template {template} did something not allowed (while making {page}): {problem}"),
    "template_unsafe_attr": ("模板 {template} 访问了不允许的内容 {attr}（以 _ 开头的属性属于程序内部），生成时会被拒绝", "the template {template} reaches {attr} (attributes starting with _ belong to the program's internals): rendering would refuse it"),
    "template_unsafe_attr.hint": ("模板只负责排版：可以显示 docs/site.md 中列出的变量，不能访问以 _ 开头的属性、不能调用程序内部的功能。删去这一处即可。",
                                  "Templates only lay out pages: they may show the variables listed in docs/site.md, but not reach attributes starting with _ or call into the program. Remove this part."),
    "template_unsafe.hint": ("模板只负责排版：可以显示 docs/site.md 中列出的变量，不能访问以 _ 开头的属性、不能调用程序内部的功能。删去这一处即可。",
                             "Templates only lay out pages: they may show the variables listed in docs/site.md, but not reach attributes starting with _ or call into the program. Remove this part."),
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
    "title_too_long": ("标题超过两行（印刷时占 {lines} 行），可能把正文段落粘贴成了标题",
                       "the title takes more than two lines in print ({lines}): a paragraph pasted as the title?"),
    "title_too_long.hint": ("把标题缩短到两行以内，正文移到 --- 下面；副标题可写在 subtitle。",
                            "Shorten the title to two lines at most and move body text below the front matter; "
                            "a subtitle goes in subtitle."),
    "seq_total": ("总期号不连续：{earlier}之后应为总第 {expected} 期，{later}却是总第 {found} 期",
                  "totals are not consecutive: after {earlier} comes total {expected}, but {later} has total {found}"),
    "seq_total.hint": ("改正{later}的 total，或补上缺少的期。", "Fix total in {later}, or add the missing issue."),
    "seq_number": ("期号不连续：{earlier}之后应为第 {expected} 期，{later}却是第 {found} 期",
                   "issue numbers are not consecutive: after {earlier} comes number {expected}, but {later} has {found}"),
    "seq_number.hint": ("同一年内期号逐期加 1，新的一年从第 1 期开始。", "Numbers go up by 1 within a year and restart at 1 in a new year."),
    "seq_date": ("出版日期没有递增：{later}的日期 {found} 不晚于{earlier}", "dates do not increase: {later} ({found}) is not after {earlier}"),
    "seq_date.hint": ("改正其中一期的 date。", "Fix the date of one of the two issues."),
    "seq_schedule": ("{earlier}与{later}相隔 {found} 天，与出版周期（通常 {expected} 天）不符",
                     "{earlier} and {later} are {found} days apart, unusual for the frequency ({expected} days)"),
    "seq_schedule.hint": ("如果确实如此（例如增刊），可以忽略此警告。", "If this is intended (e.g. a special issue), ignore this warning."),
    # articles
    "duplicate_slug": ("网址名 \"{slug}\" 与 {other} 重复", "URL slug \"{slug}\" is also used by {other}"),
    "duplicate_slug.hint": ("在其中一篇的前置信息中加上不同的 slug，例如 slug: {slug}-2。", "Give one of them a different slug, e.g. slug: {slug}-2."),
    "bad_slug": ("网址名 slug \"{value}\" 只能用小写英文字母、数字和连字符", "slug \"{value}\" may use only lowercase letters, digits and hyphens"),
    "bad_slug.hint": ("例如 slug: kaiju-zhiyou。", "For example slug: my-article."),
    "missing_image": ("找不到图片文件 {path}", "image file not found: {path}"),
    "missing_image_suggest": ("找不到图片文件 {path}（是否应为 {suggestion}？）", "image file not found: {path} (did you mean {suggestion}?)"),
    "missing_image_unicode": ("找不到图片文件 {path}：文件夹中有一个看起来同名的文件，但其中的字符编码方式不同（常见于从苹果电脑复制的文件）",
                              "image file not found: {path}: the folder has a file that looks the same, but its characters are encoded another way (common in files copied from a Mac)"),
    "missing_image_unicode.hint": ("在 {folder} 中把这个文件重命名：删去原名，重新输入文件名。", "Rename that file in {folder}: delete its name and type it again."),
    "missing_image.hint": ("把图片放到 {folder} 下，或改正路径（路径相对于文章所在的文件夹，区分大小写）。",
                           "Put the image in {folder}, or fix the path (relative to the article's folder, case-sensitive)."),
    "image_outside": ("图片路径 {path} 指向文章所在期文件夹之外", "image path {path} points outside the issue folder"),
    "image_outside.hint": ("把图片复制到本期的 images/ 文件夹，写成 images/文件名.jpg。", "Copy the image into this issue's images/ folder and write images/name.jpg."),
    "image_remote": ("不能使用网络图片 {path}（内网和印刷都无法获取）", "remote images are not allowed: {path} (neither the intranet nor the print run can fetch them)"),
    "image_remote.hint": ("下载图片，放到本期的 images/ 文件夹，写成 images/文件名.jpg。", "Download the image into this issue's images/ folder and write images/name.jpg."),
    "image_corrupt": ("图片文件 {path} 无法读取（{reason}）", "image file {path} cannot be read ({reason})"),
    "image_corrupt.hint": ("用看图软件打开确认，重新导出为 JPG 或 PNG。", "Open it in an image viewer and export it again as JPG or PNG."),
    "image_too_large": ("图片 {path} 太大（{width}×{height} 像素），上限为长边 {limit} 像素、总计 {megapixels} 百万像素",
                        "image {path} is too large ({width}×{height} px); the limit is {limit} px on the longer side and {megapixels} megapixels"),
    "image_too_large.hint": ("用看图软件缩小到长边不超过 {limit} 像素（印刷用 3000 像素已足够）后再放入。",
                             "Scale it down so its longer side is at most {limit} px (3000 px is plenty for print)."),
    "image_backslash": ("图片路径 {path} 中用了反斜杠 \\", "the image path {path} uses backslashes \\"),
    "image_backslash.hint": ("路径中请用 / 分隔，写成 {fixed}", "Separate folders with /, e.g. {fixed}"),
    "image_format": ("图片 {path} 的格式 {format} 无法在网页和印刷中使用", "image {path} is in the {format} format, which neither the site nor print can use"),
    "image_format.hint": ("用看图软件或 WPS 另存为 JPG 或 PNG，再改正文章中的文件名。",
                          "Save it as JPG or PNG with an image editor, then fix the file name in the article."),
    "raw_html": ("正文含有 HTML 标签 {tag}，已按普通文字显示", "the body contains the HTML tag {tag}; it is shown as plain text"),
    "raw_html.hint": ("用 Markdown 写格式；确需 HTML 时在 bulletin.yaml 的 site: 下设 allow_html: true（脚本等危险内容仍会被去掉）。",
                      "Use Markdown for formatting; if HTML is really needed, set site: allow_html: true in bulletin.yaml (scripts are still removed)."),
    "raw_html_remote": ("正文 HTML 中 <{tag}> 的 {attr} 会在打开网页时自动从 {url} 载入内容，已去掉", "the body's HTML <{tag}> {attr} would load {url} automatically when the page opens; it was removed"),
    "raw_html_scheme": ("正文 HTML 中 <{tag}> 的 {attr} 是 {scheme} 地址（可能运行脚本，或载入项目之外、未经检查的内容），已去掉", "the body's HTML <{tag}> {attr} is a {scheme} address (it could run a script or load unchecked content from outside the project); it was removed"),
    "raw_html_embed": ("正文 HTML 中的 <{tag}> 会嵌入外部内容、运行脚本或提交数据，已去掉", "the body's HTML <{tag}> would embed outside content, run a script or send data; it was removed"),
    "raw_html_remote.hint": ("图片放进本期的 images/ 文件夹，用 Markdown 写 ![说明](images/文件名.jpg)；指向网站的普通链接 <a href=\"https://…\"> 不受影响。",
     "Put pictures in this issue's images/ folder and write ![caption](images/name.jpg); plain links to web sites, <a href=\"https://…\">, are kept."),
    "raw_html_scheme.hint": ("图片放进本期的 images/ 文件夹，用 Markdown 写 ![说明](images/文件名.jpg)；指向网站的普通链接 <a href=\"https://…\"> 不受影响。",
     "Put pictures in this issue's images/ folder and write ![caption](images/name.jpg); plain links to web sites, <a href=\"https://…\">, are kept."),
    "raw_html_embed.hint": ("图片放进本期的 images/ 文件夹，用 Markdown 写 ![说明](images/文件名.jpg)；指向网站的普通链接 <a href=\"https://…\"> 不受影响。",
     "Put pictures in this issue's images/ folder and write ![caption](images/name.jpg); plain links to web sites, <a href=\"https://…\">, are kept."),
    "poem_unclosed": ("诗歌块 ::: poem 没有结束", "the ::: poem block is not closed"),
    "poem_unclosed.hint": ("在诗歌最后一行之后加一行 :::", "Add a line ::: after the poem's last line."),
    "too_deep": ("正文嵌套层次过深（{depth} 层，最多 {limit} 层），多出的内容会丢失", "the body is nested too deeply ({depth} levels, at most {limit}); deeper text would be lost"),
    "too_deep.hint": ("检查这一行是否有大量连续的 >、-、*、_ 或逐行加深的缩进列表。", "Check this line for long runs of >, -, *, _ or ever-deeper indented lists."),
    # sizes past bulletin/content/limits.py (a build would take minutes and gigabytes)
    "paragraph_too_long": ("段落过长：这一段有 {chars} 个字符（一段最多 {limit} 个），排版会极慢", "paragraph too long: {chars} characters in one paragraph (at most {limit}); laying it out would take very long"),
    "paragraph_too_long.hint": ("在适当的位置加空行，把它分成若干段（正常的一段不超过两千字）；如果是误粘贴的内容，删去即可。",
                                "Split it into paragraphs with blank lines (a real paragraph has under 2,000 characters); if it was pasted in by mistake, delete it."),
    "text_too_long": ("{key} 太长：{chars} 个字符（最多 {limit} 个）", "{key} is too long: {chars} characters (at most {limit})"),
    "text_too_long.hint": ("标题、作者等应简短（标题通常不超过 40 字）；正文写在前置信息的第二个 --- 之后。",
                           "Titles, authors and the like are short (a title has rarely more than 40 characters); the body goes after the second --- line."),
    "table_too_big": ("表格过大：这张表 {rows} 行 × {cols} 列，全文表格共 {cells} 个单元格（最多 {limit} 个）", "table too large: {rows} rows × {cols} columns, {cells} cells in the article's tables (at most {limit})"),
    "table_too_big.hint": ("把表格拆成几张较小的表，分到几篇文章中，或把完整数据作为附件另行提供。",
                           "Split the table into smaller ones over several articles, or provide the full data separately."),
    "footnotes_too_many": ("脚注过多：全文有 {calls} 处脚注引用（最多 {limit} 处），排版会极慢", "too many footnotes: {calls} footnote references in the article (at most {limit}); laying them out would take very long"),
    "footnotes_too_many.hint": ("这一行是超出上限的第一处。同一条注释不必每次都引用；注释很多时改为文末的“参考文献”列表。",
                                "This line holds the first one past the limit. A note need not be referenced every time; with very many notes, use a list of references at the end."),
    "table_too_wide": ("表格过宽：{cols} 列（最多 {limit} 列）", "table too wide: {cols} columns (at most {limit})"),
    "table_too_wide.hint": ("把表格按列拆成几张表，或行列互换；印刷页面放不下这么多列。",
                            "Split the table by columns, or swap rows and columns; a printed page cannot hold that many columns."),
    "import_image_linked": ("第 {n} 张图片只是链接到文档外的文件（没有嵌入 Word 文档），没有导入：请在 Word 里插入图片本身（插入 → 图片 → 此设备），或把图片文件放进本期的 images/ 文件夹", "picture {n} is only a link to a file outside the document (not embedded in it) and was not imported: insert the picture itself in Word (Insert → Pictures → This device), or put the picture file into the issue's images/ folder"),
    "import_image_too_many_pixels": ("第 {n} 张图片有 {width}×{height} 像素（最多 {limit} 百万像素），未读取，已略去：在 Word 或看图软件中把它缩小后另存，再放入 images/ 文件夹",
                                     "picture {n} is {width}×{height} px (at most {limit} megapixels); it was not read and was left out: shrink it in Word or an image viewer, save it and put it in images/"),
    "stray_word": ("Word 文件 {name} 不会被发布", "the Word file {name} is not published"),
    "stray_word.hint": ("用 bulletin import 把它转换为文章，然后删去或移走这个 Word 文件。",
                        "Turn it into an article with bulletin import, then delete or move the Word file."),
    "stray_text": ("文件 {name} 不会被发布：文章文件的扩展名必须是小写的 .md", "the file {name} is not published: article files must end in lowercase .md"),
    "stray_text.hint": ("把文件改名为 {stem}.md。", "Rename it to {stem}.md."),
    "windows_name_reserved": ("文件名 {name} 是 Windows 的保留名称：这个文件无法复制到 Windows 电脑或共享文件夹", "the file name {name} is reserved on Windows: the file cannot be copied to a Windows PC or a shared folder"),
    "windows_name_reserved.hint": ("给它改个名字，例如 {suggestion}（图片改名后，也要改文章里引用它的地方）。", "Rename it, e.g. to {suggestion} (for a picture, also change the articles that refer to it)."),
    "windows_name_trailing": ("文件名“{name}”末尾有空格或句点：Windows 会把它当成另一个文件，文章和图片都不会被找到", "the file name \"{name}\" ends in a space or a full stop: Windows takes it for another file, and neither articles nor pictures are found by that name"),
    "windows_name_trailing.hint": ("把文件改名为“{suggestion}”。", "Rename it to \"{suggestion}\"."),
    "windows_name_chars": ("文件名 {name} 含有 Windows 不允许的字符（< > : \" | ? * \\ 或控制字符）", "the file name {name} holds characters Windows does not allow (< > : \" | ? * \\ or control characters)"),
    "windows_name_chars.hint": ("把文件改名，例如 {suggestion}。", "Rename it, e.g. to {suggestion}."),
    "stray_article": ("文章 {name} 不在期文件夹中，不会被发布", "the article {name} is not inside an issue folder and is not published"),
    "stray_article.hint": ("把它移到所属的期文件夹，例如 content/2026/04/。", "Move it into its issue's folder, e.g. content/2026/04/."),
    "article_in_subfolder": ("文章 {name} 在子文件夹 {folder} 中，不会被发布", "the article {name} is in the subfolder {folder} and is not published"),
    "article_in_subfolder.hint": ("文章文件要直接放在期文件夹 {issue} 中（images/ 只放图片）：把它移到那里；不想发布的稿件可放进以 _ 开头的文件夹，例如 {issue}_备用/。",
                                  "Article files belong in the issue folder {issue} itself (images/ is for pictures only): move it there; to keep a text unpublished, put it in a folder whose name starts with _, e.g. {issue}_spare/."),
    "duplicate_order": ("栏目 {section} 中 order: {order} 与 {other} 相同，两篇的先后顺序不确定", "order: {order} in section {section} is also used by {other}; the two articles' order is arbitrary"),
    "duplicate_order.hint": ("给其中一篇改一个不同的 order 数字（数字小的排在前面）。", "Give one of them a different order number (smaller numbers come first)."),
    "duplicate_article": ("这篇文章与 {other} 的标题和正文完全相同，会被发布两次", "this article has the same title and body as {other}; it would be published twice"),
    "duplicate_article.hint": ("如果是误复制，删去其中一份；如果确需在两期都刊登，至少改动其中一份的标题（例如加上“转载”）。",
                               "If it was copied by mistake, delete one of them; if it really belongs in both issues, change one title (e.g. mark it as a reprint)."),
    "reserved_slug": ("网址名 \"{slug}\" 是保留名称（会覆盖本期目录页）", "the URL slug \"{slug}\" is reserved (it would replace the issue's contents page)"),
    "reserved_slug.hint": ("在前置信息中另取一个网址名，例如 slug: {slug}-1（文件名 {slug}.md 没有 slug 时也会得到这个网址名，可改文件名）。",
                           "Give the article another slug in its front matter, e.g. slug: {slug}-1 (a file named {slug}.md gets this slug when it has none: renaming the file also works)."),
    "link_blocked": ("链接地址 {url} 不会成为链接，读者只会看到文字（出于安全，只允许 http、https、mailto 和站内地址）", "the link address {url} does not become a link; readers see only its text (for safety only http, https, mailto and addresses on the site are allowed)"),
    "link_blocked.hint": ("改成以 http:// 或 https:// 开头的网址，或去掉这个链接。", "Use an address starting with http:// or https://, or remove the link."),
    "footnote_undefined": ("脚注 [^{label}] 没有对应的说明", "footnote [^{label}] has no definition"),
    "footnote_undefined.hint": ("在文末加一行 [^{label}]: 脚注内容", "Add a line [^{label}]: footnote text at the end."),
    # build / output
    "locked": ("另一个构建正在进行（进程 {pid}）", "another build is running (process {pid})"),
    "locked.hint": ("等它结束后再运行，或加上 --wait 让这次构建排队等候。", "Wait for it to finish, or add --wait to queue this build behind it."),
    "changed_during_build": ("文件在构建期间被改动或删除了：这次构建没有更新 output/", "the file was changed or removed while the build ran: this build did not update output/"),
    "changed_during_build.hint": ("保存完毕后重新构建即可。", "Build again once it is saved."),
    "interrupted": ("构建被中断：output/ 保持为最近一次完整构建的结果。", "Build interrupted: output/ holds the last complete build."),
    "template_error": ("模板错误：{problem}", "template error: {problem}"),
    "template_error.hint": ("检查 templates/ 中被修改过的模板；删除它即可恢复默认模板。",
                            "Check the template you changed under templates/; delete it to fall back to the default."),
    "pdf_failed": ("生成 PDF 失败：{problem}", "PDF rendering failed: {problem}"),
    "pdf_failed.hint": ("请把这条消息发给技术人员。", "Please report this message to the maintainers."),
    "write_failed": ("无法写入输出：{problem}", "cannot write the output: {problem}"),
    "write_failed.hint": ("检查磁盘空间和 output/ 文件夹的权限。", "Check disk space and the permissions of output/."),
    # editor: new issue, new article, import, serve
    "new_issue_first": ("content/ 中还没有任何一期，无法推算下一期", "there is no issue in content/ yet to continue from"),
    "new_issue_first.hint": ("用 --date 指定第一期的出版日期，例如 bulletin new issue --date 2026-01-05；不是从第1期开始时再加 --number 和 --total。",
                             "Give the first issue's date, e.g. bulletin new issue --date 2026-01-05; add --number and --total if the run does not start at 1."),
    "new_issue_bad_date": ("日期 {value} 无效", "invalid date {value}"),
    "new_issue_bad_date.hint": ("日期写成 年-月-日，例如 2026-03-05，并确认这一天确实存在。", "Write dates as YEAR-MONTH-DAY, e.g. 2026-03-05, and check the day exists."),
    "new_issue_not_after": ("新一期的日期 {date} 不晚于最近一期 {last}（{last_date}）", "the new issue's date {date} is not after the latest issue {last} ({last_date})"),
    "new_issue_not_after.hint": ("用 --date 给出晚于 {last_date} 的日期。", "Pass a --date after {last_date}."),
    "new_issue_number_range": ("期号 {number} 超出范围（1–99）", "issue number {number} is out of range (1–99)"),
    "new_issue_number_range.hint": ("检查 --number，或最近一期 issue.yaml 中的 number。", "Check --number, or number in the latest issue.yaml."),
    "new_issue_exists": ("{folder} 已经存在，没有做任何改动", "{folder} already exists; nothing was changed"),
    # the commented issue.yaml `bulletin new issue` writes (bulletin/editor/new_issue.py)
    "new_issue_yaml": ("""\
# {label} · {frequency}
# 期号和日期由 bulletin new issue 按上一期推算；如有出入，直接修改，改后运行 bulletin check 检查。
number: {number}{pad_n}# 本年第几期，与文件夹名 {nn} 一致
total: {total}{pad_t}# 总第几期
date: {date}   # 出版日期：年-月-日
# 以下为可选项，去掉行首的 # 即可启用：
# title: 本期主题
# epigraph:                    # 报头下方的题词
#   text: "……"
#   source: "——……"
""", """\
# {label} · {frequency}
# Number and date were worked out from the previous issue by bulletin new issue; edit them if needed,
# then run bulletin check.
number: {number}{pad_n}# number within the year; matches the folder name {nn}
total: {total}{pad_t}# running total
date: {date}   # publication date: YEAR-MONTH-DAY
# Optional; remove the leading # to use:
# title: theme of the issue
# epigraph:                    # quotation under the masthead
#   text: "……"
#   source: "——……"
"""),
    "new_issue_exists.hint": ("这一期已经建好了：直接在里面添加文章；如要另建，用 --date 或 --number 指定。",
                              "That issue exists already: add articles to it, or choose another with --date or --number."),
    "new_issue_created": ("已创建 {folder}（{label}，{date}）", "Created {folder} ({label}, {date})"),
    "new_issue_next": ("下一步：添加文章，例如 bulletin new article {key} \"标题\" --section {section}，或 bulletin import 稿件.docx --issue {key}",
                       "Next: add articles, e.g. bulletin new article {key} \"Title\" --section {section}, or bulletin import FILE.docx --issue {key}"),
    "bad_issue_key": ("“{key}”不是期号", "\"{key}\" is not an issue"),
    "bad_issue_key.hint": ("期号写成 年-期号，例如 2026-04。", "Write issues as YEAR-NN, e.g. 2026-04."),
    "no_such_issue": ("第 {key} 期还不存在（没有 {folder}issue.yaml）", "issue {key} does not exist yet (no {folder}issue.yaml)"),
    "no_such_issue.hint": ("先运行 bulletin new issue 建立这一期，或检查期号。", "Create it first with bulletin new issue, or check the issue."),
    "section_required": ("请用 --section 指定栏目", "choose a section with --section"),
    "section_required.hint": ("bulletin.yaml 中定义的栏目：{choices}", "Sections defined in bulletin.yaml: {choices}"),
    "title_required": ("文章标题不能为空", "the article title must not be empty"),
    "title_required.hint": ("例如：bulletin new article 2026-04 \"强化开局之谋\" --section news", "For example: bulletin new article 2026-04 \"My title\" --section news"),
    "article_exists": ("{target} 已经存在，没有做任何改动", "{target} already exists; nothing was changed"),
    "article_exists.hint": ("用 --slug 另取一个文件名（网址名），例如 --slug {suggestion}。", "Choose another file name (slug) with --slug, e.g. --slug {suggestion}."),
    "article_same_title": ("本期已有同一标题的文章 {target}，没有做任何改动", "this issue already has an article with that title, {target}; nothing was changed"),
    # the commented examples in a new article's front matter (bulletin/editor/new_article.py)
    "new_article.subtitle": ("——在……上的讲话        # 可选：副标题（去掉行首的 # 启用，下同）", "——speech at …          # optional subtitle (remove the leading # to use; same below)"),
    "new_article.authors": ("[张三, 李四]             # 可选：作者，一人或多人", "[Zhang San, Li Si]       # optional: one or more authors"),
    "new_article.affiliation": ("云南                 # 可选：作者单位或地区，印在署名旁", "Yunnan               # optional: shown with the byline"),
    "new_article.author_note": ("作者系……             # 可选：文末的作者简介", "作者系……             # optional note about the author, at the end"),
    "new_article.source": ("人民代表报                  # 可选：转载来源，显示为 据《人民代表报》", "人民代表报                  # optional: a reprint, shown as 据《人民代表报》"),
    "new_article.order": ("可选：在栏目中的顺序", "optional: position within its section"),
    "new_article.byline_mark": ("署名前的符号（不写时为 ■）", "the mark before the byline (■ when not given)"),
    "new_article.tags": ("[代表工作]                    # 可选：标签", "[代表工作]                    # optional tags"),
    "article_same_title.hint": ("要再建一篇，用 --slug 另取一个文件名（网址名），例如 --slug {suggestion}。", "To make a second one, choose a file name (slug) with --slug, e.g. --slug {suggestion}."),
    "slug_taken": ("网址名 {slug} 已被 {other} 使用，没有做任何改动", "the slug {slug} is already used by {other}; nothing was changed"),
    "slug_taken.hint": ("用 --slug 另取一个网址名，例如 --slug {suggestion}。", "Choose another slug with --slug, e.g. --slug {suggestion}."),
    "new_article_created": ("已创建 {file}：在第二个 --- 下面写正文", "Created {file}: write the text below the second --- line"),
    "import_no_file": ("找不到文件 {name}", "file not found: {name}"),
    "import_no_file.hint": ("检查文件名和所在文件夹；文件名含空格时用引号括起来。", "Check the file name and folder; quote names with spaces."),
    "import_old_format": ("{name} 是旧的 Word/WPS 格式，无法直接导入", "{name} is in an old Word/WPS format that cannot be imported"),
    "import_old_format.hint": ("用 Word 或 WPS 打开，“另存为” Word 文档（*.docx）后再导入。", "Open it in Word or WPS and \"Save as\" a Word document (*.docx), then import that."),
    "import_unreadable": ("无法读取 Word 文件 {name}（{reason}）", "cannot read the Word file {name} ({reason})"),
    "import_unreadable.hint": ("用 Word 或 WPS 打开确认文件完好，重新“另存为” .docx 后再导入。", "Open it in Word or WPS to check it, \"Save as\" .docx again and import that."),
    "import_empty": ("{name} 中既没有文字也没有图片，没有导入", "{name} has neither text nor pictures; nothing was imported"),
    "import_empty.hint": ("检查是否选错了文件，或稿件是否还没有保存；在 Word 或 WPS 中打开确认后再导入。", "Check that this is the right file and that the manuscript was saved; open it in Word or WPS, then import again."),
    "import_done": ("已导入 {source} → {file}", "Imported {source} → {file}"),
    "import_images": ("图片 {n} 张，保存在 {folder}", "{n} image(s) saved in {folder}"),
    "import_found": ("已识别", "Recognised"),
    "import_unmapped": ("未能完整转换（请打开文章核对）", "Not carried over exactly (please check the article)"),
    "import_check": ("请打开文章核对标题、作者和正文，然后用 bulletin serve 预览。", "Open the article to check title, byline and text, then preview with bulletin serve."),
    "import_found_title": ("标题“{text}”", "title \"{text}\""),
    "import_found_subtitle": ("副标题“{text}”", "subtitle \"{text}\""),
    "import_found_byline": ("署名“{text}”", "byline \"{text}\""),
    "import_found_source": ("转载来源 据《{text}》", "source 据《{text}》"),
    "import_found_note": ("作者简介“{text}”", "author note \"{text}\""),
    "import_found_no_title": ("第一行“{column}”是栏目名，没有作标题；稿件中没有别的标题，暂用文件名“{title}”，请修改 title", "the first line \"{column}\" is the column's name, not taken as the title; the manuscript has no other title, so the file name \"{title}\" is used: please change title"),
    "import_found_file_title": ("稿件中没有识别出标题，暂用文件名“{title}”作标题，请修改 title", "no title recognised in the manuscript: the file name \"{title}\" is used for now, please change title"),
    "import_found_unmarked_byline": ("署名“{text}”（原稿没有 ■ 等符号，按标题下的作者行识别，请核对）", "byline \"{text}\" (no ■ mark in the manuscript: taken from the author line under the title, please check)"),
    "import_found_poem": ("诗歌 {stanzas} 节 {lines} 行（已排为 ::: poem，分节保留）", "a poem of {stanzas} stanza(s), {lines} line(s) (set as ::: poem, stanza breaks kept)"),
    "import_found_captions": ("图片说明 {n} 条", "{n} photo caption(s)"),
    "import_section_from_column": ("栏目 {id}（{name}），根据稿件第一行“{column}”", "section {id} ({name}), from the manuscript's first line \"{column}\""),
    "import_section_from_poem": ("栏目 {id}（{name}），因为稿件是诗歌", "section {id} ({name}), as the manuscript is a poem"),
    "import_section_from_briefs": ("栏目 {id}（{name}），因为稿件是 ● 开头的简讯", "section {id} ({name}), as the manuscript is a set of ● briefs"),
    "import_section_required": ("稿件中看不出属于哪个栏目，请用 --section 指定", "the manuscript does not show its section: choose one with --section"),
    "import_section_required.hint": ("bulletin.yaml 中的栏目：{choices}。例如：bulletin import {doc} --issue {key} --section {example}",
                                     "Sections in bulletin.yaml: {choices}. For example: bulletin import {doc} --issue {key} --section {example}"),
    "import_choose_section": ("稿件中看不出属于哪个栏目。请选择栏目：", "The manuscript does not show its section. Choose one:"),
    "import_choose_prompt": ("栏目编号或 id", "Section number or id"),
    "import_choose_again": ("没有这个栏目：{value}", "no such section: {value}"),
    "import_exists": ("本期已有这篇文章：{target}，没有做任何改动", "the issue has this article already: {target}; nothing was changed"),
    "import_exists.hint": ("这是修改后的稿件：加上 --replace 用它替换文章的正文（前置信息保留，原文件留有备份）；要另存为一篇，用 --slug，例如 --slug {suggestion}。",
                           "A revised manuscript: add --replace to replace the article's body with it (its front matter is kept, the earlier file backed up); to keep both, choose a file name with --slug, e.g. --slug {suggestion}."),
    "import_replace_none": ("本期（{folder}）没有可替换的文章“{title}”", "the issue ({folder}) has no article \"{title}\" to replace"),
    "import_replace_none.hint": ("用 --slug 指明要替换的文章（文件名去掉 .md）；本期的文章：{articles}。要新建一篇，去掉 --replace。",
                                 "Name the article to replace with --slug (its file name without .md); the issue's articles: {articles}. To add a new article, leave out --replace."),
    "import_replaced": ("已用 {source} 替换 {file} 的正文（原 {old} 行，现 {new} 行）；前置信息保留；原文件备份在 {backup}",
                        "Replaced the body of {file} with {source} ({old} lines before, {new} now); its front matter is kept; the earlier file is backed up in {backup}"),
    "import_replace_kept": ("前置信息保留了文章中的值（与稿件不同）：{items}", "front matter values kept from the article (the manuscript differs): {items}"),
    "import_replace_added": ("前置信息补上了稿件中的：{keys}", "front matter filled in from the manuscript: {keys}"),
    "import_replace_diff": ("查看改动：diff {old} {new}", "To see the changes: diff {old} {new}"),
    "import_found_headings": ("小标题 {n} 个", "{n} heading(s)"),
    "import_found_lists": ("列表 {n} 个", "{n} list(s)"),
    "import_found_tables": ("表格 {n} 个", "{n} table(s)"),
    "import_found_footnotes": ("脚注 {n} 条", "{n} footnote(s)"),
    "import_found_images": ("图片 {n} 张", "{n} image(s)"),
    "import_underline": ("下划线无法保留，已按普通文字导入", "underlining cannot be kept; imported as plain text"),
    "import_superscript": ("上标“{text}”已按普通文字导入", "superscript \"{text}\" imported as plain text"),
    "import_subscript": ("下标“{text}”已按普通文字导入", "subscript \"{text}\" imported as plain text"),
    "import_emphasis": ("“{text}”的加粗或倾斜以标点开头或结尾，已按普通文字导入（可在文章中调整 ** 的位置）",
                        "bold or italics on \"{text}\" start or end with punctuation; imported as plain text (move the ** inside the punctuation)"),
    "import_element": ("Word 中的 {tag} 内容已按普通段落导入", "Word content of kind {tag} imported as a plain paragraph"),
    "import_inline_image": ("嵌在文字行中的图片已移到该段之后，单独成图", "pictures inside a line of text were moved after that paragraph"),
    "import_nested_table": ("表格中的表格已展开为文字", "a table inside a table cell was flattened to text"),
    "import_table_image": ("表格中的图片无法保留", "pictures inside tables cannot be kept"),
    "import_merged_cells": ("表格有合并单元格，已拆开为普通单元格（Markdown 表格不支持合并）",
                            "a table has merged cells; they were split (Markdown tables cannot merge cells)"),
    "import_comments": ("文档中的批注没有导入", "comments in the document were not imported"),
    "import_tracked_changes": ("文档中有修订痕迹：已按接受全部修订后的文字导入，请核对", "the document has tracked changes: imported as if all were accepted; please check"),
    "import_equations": ("公式无法导入，已略去", "equations cannot be imported and were left out"),
    "import_charts": ("图表或 SmartArt 无法导入，已略去（可在 Word 中另存为图片后再插入）", "charts and SmartArt cannot be imported and were left out (save them as pictures in Word and insert those)"),
    "import_text_boxes": ("文本框中的文字已按普通段落导入，位置可能有变化", "text in text boxes was imported as ordinary paragraphs; its position may have changed"),
    "import_image_dropped": ("第 {n} 张图片（{type}）无法转换，已略去：在 Word 中右键“另存为图片”（PNG 或 JPG）后放入 images/ 文件夹",
                             "picture {n} ({type}) could not be converted and was left out: in Word, right-click, \"Save as picture\" (PNG or JPG) and put it in images/"),
    "import_image_scaled": ("第 {n} 张图片原为 {width}×{height} 像素，已缩小到长边 {limit} 像素", "picture {n} was {width}×{height} px and was scaled down to {limit} px"),
    "import_mammoth": ("转换提示：{text}", "converter note: {text}"),
    "state_discarded": ("构建缓存无法读取，已丢弃并重新生成（{why}）", "a build cache could not be read; it was discarded and made again ({why})"),
    "state_discarded.hint": ("输出不受影响，只是本次构建慢一些。如果反复出现，请检查是否有其他程序或他人改动了 output/.bulletin/ 文件夹。",
                             "The output is not affected; this build only takes longer. If it keeps happening, check whether another program or person changes the output/.bulletin/ folder."),
    "serve_started": ("预览已启动：{url}（按 Ctrl-C 停止）", "Preview running at {url} (Ctrl-C to stop)"),
    "serve_rebuilt": ("已更新预览（{seconds:.1f} 秒）", "Preview updated ({seconds:.1f} s)"),
    "serve_failed": ("内容有错误，预览中显示了错误说明；改正后会自动更新", "The content has errors, shown in the preview; it updates once they are fixed"),
    "serve_port_busy": ("端口 {port} 已被占用", "port {port} is already in use"),
    "serve_port_busy.hint": ("换一个端口，例如 bulletin serve --port {other}；或先关闭另一个预览。", "Use another port, e.g. bulletin serve --port {other}, or stop the other preview."),
    "serve_stopped": ("预览已停止。", "Preview stopped."),
    "serve_pdf_failed": ("第 {key} 期的打印版 PDF 无法生成", "The print PDF of issue {key} could not be made"),
    # the preview's error overlay and PDF button (serve.live_script)
    "serve_overlay_title": ("内容有错误，预览暂未更新", "The content has errors; the preview is not up to date"),
    "serve_overlay_fixed": ("改正并保存后，本页会自动刷新。", "Fix and save: this page reloads by itself."),
    "serve_overlay_close": ("关闭", "close"),
    "serve_pdf_button": ("打印版 PDF", "Print PDF"),
    "serve_pdf_wait": ("正在生成 PDF…", "Rendering the PDF…"),
    "serve_internal": ("内部错误：{problem}", "internal error: {problem}"),
    "serve_internal.hint": ("预览仍在运行；详细信息在 {log}，请发给技术人员。", "The preview keeps running; details are in {log} — please send it to the maintainers."),
    "internal_error": ("内部错误：bulletin 遇到了意外情况，已有的输出保持不变。请把 {log} 发给技术人员。",
                       "internal error: bulletin hit an unexpected condition; existing output is unchanged. "
                       "Please send {log} to the maintainers."),
    "built": ("完成：{what}（{seconds:.1f} 秒）", "Done: {what} ({seconds:.1f} s)"),
    # builds that leave older issues without a PDF (bulletin/build.py: missing PDFs)
    "built_missing_pdfs": ("另外生成了网站上还没有 PDF 的往期：{keys}", "Also made the PDFs the site did not have yet: {keys}"),
    "built_pdfs_unchanged": ("未变化 {keys}", "unchanged {keys}"),
    "built_site": ("网站 output/site/（更新 {files} 个文件）", "site output/site/ ({files} files updated)"),
    "missing_pdfs": ("以下各期还没有 PDF，网站上不显示下载：{keys}", "These issues have no PDF yet, so the site offers no download for them: {keys}"),
    "missing_pdfs.hint": ("生成它们：{command}（未改动的期不会重新生成）", "To make them: {command} (unchanged issues are not rendered again)"),
    # word counts and page estimates (bulletin/wordcount.py, bulletin/print/estimate.py), in check and on the preview
    "count_issue": ("{key}（{label}）：{articles} 篇，{chars} 字，预计 {pages} 页（印刷 {printed} 页）",
                    "{key} ({label}): {articles} article(s), {chars} characters (字数), about {pages} page(s) ({printed} printed)"),
    "count_table_head": ("字数", "chars"),
    "serve_count_issue": ("本期 {articles} 篇 {chars} 字，预计 {pages} 页（印刷 {printed} 页）", "This issue: {articles} article(s), {chars} characters (字数), about {pages} page(s) ({printed} printed)"),
    "serve_count_article": ("本文 {chars} 字，约占 {pages} 页", "This article: {chars} characters, about {pages} page(s)"),
    "count_table_pages": ("版面", "pages"),
    "count_table_article": ("栏目 / 标题 / 文件", "section / title / file"),
    "count_rule": ("字数按 Word/WPS 的“字数”统计：汉字和全角标点各算 1 个，一串连续的字母或数字算 1 个；只计正文（不含标题、作者）。页数是生成 PDF 前的估计。",
                   "Characters are counted as Word/WPS count 字数: each Han character and full-width mark is 1, a run of letters or digits is 1; body text only (no title or byline). Pages are an estimate made before the PDF is built."),
    # proofs (校样; bulletin/print/proof.py)
    "proof_written": ("校样：{path}（第{number}次校样，{pages} 页）", "Proof: {path} (proof no. {number}, {pages} page(s))"),
    "proof_note": ("校样不是付印文件：文件名带“校样”，每页有水印，没有裁切线和印刷用的输出意图，也不会出现在网站上。",
                   "A proof is not the print file: its name says 校样, every page is watermarked, it has no crop marks and no print output intent, and the site never links it."),
    "proof_dir_not_folder": ("output/proof 不是一个文件夹（是链接或文件），校样不会写到那里", "output/proof is not a folder (a link or a file): no proof is written there"),
    "proof_dir_not_folder.hint": ("删去或改名 output/proof，再运行一次；校样会放进新建的文件夹。", "Remove or rename output/proof and run again; proofs go into a new folder."),
    "proof_unknown_article": ("第 {key} 期没有文章“{article}”", "issue {key} has no article \"{article}\""),
    "proof_unknown_article.hint": ("写文章的文件名（不带 .md）或标题，本期文章：{choices}", "Name the article by its file name (without .md) or its title; this issue has: {choices}"),
    # punctuation in Chinese text (bulletin/punctuation.py, bulletin fix)
    "punct_halfwidth": ("中文里的半角标点“{old}”应为“{new}”：{context}", "half-width punctuation \"{old}\" in Chinese text should be \"{new}\": {context}"),
    "punct_halfwidth.hint": ("运行 bulletin fix {issue} 可一次改正（先显示改动，确认后才写入）。", "bulletin fix {issue} corrects them all (it shows the changes and writes only when you confirm)."),
    "punct_file": ("{count} 处半角标点，运行 bulletin fix {issue} 可一次改正", "{count} half-width punctuation mark(s) in Chinese text; bulletin fix {issue} corrects them all"),
    "punct_total": ("中文里的半角标点共 {count} 处（{files} 个文件）；运行 bulletin fix 可先看改动，确认后一次改正。", "{count} half-width punctuation mark(s) in Chinese text in {files} file(s); bulletin fix shows the changes and corrects them all once you confirm."),
    # the command's help (bulletin/cli_help.py): help.<command>[.<option>]
    "help_usage": ("用法：", "Usage: "),
    "help_options": ("选项", "Options"),
    "help_commands": ("命令", "Commands"),
    "help_options_metavar": ("[选项]", "[OPTIONS]"),
    "help_command_metavar": ("命令 [参数]...", "COMMAND [ARGS]..."),
    "help_help": ("显示本帮助并退出", "Show this message and exit."),
    "help_version": ("显示版本并退出", "Show the version and exit."),
    "help_default": ("默认：", "default: "),
    "help_required": ("必填", "required"),
    "usage_no_such_option": ("没有选项 {name}", "no such option: {name}"),
    "usage_did_you_mean": ("（是否应为 {names}？）", " (did you mean {names}?)"),
    "usage_missing_option": ("缺少选项 {name}", "missing option {name}"),
    "usage_missing_argument": ("缺少参数 {name}", "missing argument {name}"),
    "usage_try_help": ("运行 {command} --help 查看用法。", "Run {command} --help for help."),
    "help": ("把内刊（Markdown 文章）生成存档网站和印刷用 PDF，并提供编辑用的命令。直接写期号（如 bulletin 2026-04）等于 bulletin build 2026-04。",
             "Build a bulletin's archive site and print-ready PDFs from its Markdown articles, with commands for the editors. A bare issue (bulletin 2026-04) means bulletin build 2026-04."),
    "help.root": ("项目文件夹（包含 bulletin.yaml 的文件夹），默认为当前文件夹", "Project folder (holding bulletin.yaml). Default: the current folder."),
    "help.lang": ("提示和帮助的语言：zh 中文（默认）、en 英文；也可设置环境变量 BULLETIN_LANG", "Language of messages and help: zh (default) or en; or set BULLETIN_LANG"),
    "help.build": ("检查全部内容，生成 ISSUES 各期（如 2026-04）的 PDF，并更新网站", "Validate everything, render ISSUES' PDFs (e.g. 2026-04) and update the site."),
    "help.build.all_issues": ("生成每一期的 PDF（没有改动的期不重新生成）", "Build the PDFs of every issue (unchanged ones are not rendered again)."),
    "help.build.no_pdf": ("只生成网站（预览、测速）", "Build the site only (previews, benchmarks)."),
    "help.build.drafts": ("包括标为 draft: true 的草稿", "Include articles marked draft: true."),
    "help.build.force": ("忽略缓存，全部重新生成", "Rebuild everything, ignoring the cache."),
    "help.build.jobs": ("生成 PDF 的进程数（默认：CPU 核数）", "PDF worker processes (default: number of cores)."),
    "help.build.wait": ("另一个构建正在进行时排队等候，而不是停止", "If another build is running, wait for it instead of stopping."),
    "help.check": ("检查设置和全部内容，不写任何文件；并给出 ISSUES 各期（默认：最新几期）的字数和预计页数", "Validate the settings and all content; write nothing. Word counts and page estimates of ISSUES (default: the newest issues)."),
    "help.check.drafts": ("包括标为 draft: true 的草稿", "Include articles marked draft: true."),
    "help.check.verbose": ("列出每篇文章的字数和所占页数", "A table of every article's word count and pages."),
    "help.proof": ("生成 ISSUE 期（或其中一篇 ARTICLE，写文件名或标题）的校样 PDF，放在 output/proof/", "A proof PDF of ISSUE, or of one ARTICLE of it (file name or title), in output/proof/."),
    "help.proof.drafts": ("包括标为 draft: true 的草稿", "Include articles marked draft: true."),
    "help.new": ("建立下一期或一篇新文章", "Create the next issue or a new article."),
    "help.new.issue": ("建立下一期的文件夹和带说明的 issue.yaml", "Create the next issue's folder and a commented issue.yaml."),
    "help.new.issue.date": ("出版日期（年-月-日）；默认按出版周期推算下一期", "Publication date (YYYY-MM-DD); default: the next date of the schedule."),
    "help.new.issue.number": ("本年第几期（默认：下一期，新的一年从 1 开始）", "Number within the year (default: next, or 1 in a new year)."),
    "help.new.issue.total": ("总第几期（默认：上一期加 1）", "Running total (default: the previous total + 1)."),
    "help.new.article": ("在 ISSUE 期（如 2026-04）建立标题为 TITLE 的新文章及其前置信息", "Create a new article TITLE in ISSUE (such as 2026-04), with its front matter."),
    "help.new.article.section": ("栏目的 id 或名称（见 bulletin.yaml）", "Section id or name (from bulletin.yaml)."),
    "help.new.article.authors": ("作者（多位作者重复使用本选项）", "An author (repeat for several)."),
    "help.new.article.slug": ("网址名和文件名（默认：标题前几个词的拼音）", "URL name and file name (default: the pinyin of the title's first words)."),
    "help.import": ("把 Word 文档（.docx）导入为 ISSUE 期的一篇文章", "Turn a Word document (.docx) into an article of ISSUE."),
    "help.import.issue": ("导入到哪一期，例如 2026-04", "The issue to add the article to, e.g. 2026-04."),
    "help.import.section": ("栏目的 id 或名称（见 bulletin.yaml）；不写时根据稿件判断，判断不了就询问", "Section id or name (from bulletin.yaml); without it, guessed from the manuscript or asked."),
    "help.import.slug": ("网址名和文件名（默认：标题前几个词的拼音）", "URL name and file name (default: the pinyin of the title's first words)."),
    "help.import.replace": ("用修改后的稿件替换之前导入的同一篇文章的正文（前置信息保留，原文件备份）", "Replace the body of the article imported before from this manuscript (its front matter is kept, the earlier file backed up)."),
    "help.serve": ("边写边预览：每次保存后重新生成并刷新页面", "Preview the site while you write: rebuilds on every save and reloads the page."),
    "help.serve.port": ("在 127.0.0.1 上使用的端口（0：任一空闲端口）", "Port on 127.0.0.1 (0: any free port)."),
    "help.serve.drafts": ("包括标为 draft: true 的草稿", "Include articles marked draft: true."),
    "help.serve.open_browser": ("在浏览器中打开预览", "Open the preview in the web browser."),
    "help.fix": ("把文章中文里的半角标点改为全角（GB/T 15834）：先显示改动，确认后才写入，并保留原文件备份。ISSUES 是期号（如 2026-02）或文章文件；不写则检查全部文章。",
                 "Correct the half-width punctuation in the Chinese text of articles (GB/T 15834): shows the changes, writes only once you confirm, keeps a backup of each file. ISSUES are issue keys (2026-02) or article files; none means every article."),
    "help.fix.yes": ("不询问，直接写入", "write without asking"),
    "fix_help_drafts": ("（无作用：草稿也会改正）", "(no effect: drafts are corrected too)"),
    "fix_nothing": ("没有需要改正的半角标点（{files} 个文件）。", "No half-width punctuation to correct ({files} file(s))."),
    "fix_plan": ("{files} 个文件中共 {count} 处改动。", "{count} change(s) in {files} file(s)."),
    "fix_confirm": ("写入这些改动？", "Write these changes?"),
    "fix_not_written": ("未写入任何文件。确认改动无误后运行 bulletin fix {args}--yes 写入。", "Nothing was written. When the changes look right, run bulletin fix {args}--yes to write them."),
    "fix_written": ("已改正 {files} 个文件；原文件备份在 {backup}", "Corrected {files} file(s); the originals are backed up in {backup}"),
    "fix_skipped": ("未改动：{reason}", "not changed: {reason}"),
    "fix_not_utf8": ("文件不是 UTF-8 编码，请先另存为 UTF-8", "the file is not UTF-8; save it as UTF-8 first"),
    "fix_mixed_newlines": ("文件中混用了两种换行符，请先用编辑器统一后再改正", "the file mixes two kinds of line endings; make them the same in an editor first"),
    "fix_link": ("文件是链接（快捷方式），请改正它指向的文件", "the file is a link (shortcut); correct the file it points to"),
    "fix_changed": ("文件在确认期间被改动了，请重新运行 bulletin fix", "the file changed while waiting for confirmation; run bulletin fix again"),
    "fix_front_matter": ("前置信息中的 {keys} 无法自动改正，请手工修改", "{keys} in the front matter could not be corrected automatically; please edit by hand"),
    "fix_unknown": ("找不到期 {key} 或文件 {key}", "no issue or file {key}"),
    "fix_unknown.hint": ("期号写成 2026-02 这样的形式（content/2026/02/），或写文章文件的路径。", "Write issue keys like 2026-02 (content/2026/02/), or the path of an article file."),
    "fix_outside": ("{key} 不在本项目的 content/ 中", "{key} is not inside this project's content/ folder"),
    # bulletin desk (bulletin/desk/): the command, its accounts, the web pages
    "help.desk": ("在浏览器中使用的编辑部：期刊、文章、Word 导入、校样与付印。不带子命令时启动服务。",
                  "The editorial desk in the web browser: issues, articles, Word imports, proofs and print. Without a subcommand it starts the server."),
    "help.desk.host": ("监听的地址（只在本机使用时保持 127.0.0.1）", "Address to listen on (keep 127.0.0.1 for this machine only)."),
    "help.desk.port": ("端口", "Port."),
    "help.desk.behind_proxy": ("在 HTTPS 反向代理（nginx、Caddy）之后运行：信任它发来的 X-Forwarded-* 头", "Run behind an HTTPS reverse proxy (nginx, Caddy): trust the X-Forwarded-* headers it sends."),
    "help.desk.user": ("添加、列出、删除编辑部的账号（保存在 .desk/accounts.yaml）", "Add, list and remove the desk's accounts (kept in .desk/accounts.yaml)."),
    "help.desk.user.add": ("添加账号 NAME，指定角色并设置密码", "Add an account NAME with a role and a password."),
    "help.desk.user.add.role": ("角色：editor（编辑）或 chief（主编，可以批准付印）", "Role: editor, or chief (may also approve an issue for print)."),
    "help.desk.user.add.display": ("在编辑部和修改记录中显示的姓名（默认与 NAME 相同）", "Name shown in the desk and in the history (default: NAME)."),
    "help.desk.user.add.password_stdin": ("从标准输入读取密码（用于脚本）", "Read the password from standard input (for scripts)."),
    "help.desk.user.passwd": ("为 NAME 设置新密码（其已登录的会话随即失效）", "Set a new password for NAME (their open sessions end)."),
    "help.desk.user.passwd.password_stdin": ("从标准输入读取密码（用于脚本）", "Read the password from standard input (for scripts)."),
    "help.desk.user.list": ("列出所有账号及其角色", "List the accounts and their roles."),
    "help.desk.user.remove": ("删除账号 NAME（其已登录的会话随即失效）", "Remove the account NAME (their open sessions end)."),
    "desk_role_editor": ("编辑", "editor"),
    "desk_role_chief": ("主编", "chief editor"),
    "desk_started": ("编辑部已启动：{url}（按 Ctrl+C 停止）", "The desk is running at {url} (Ctrl+C to stop)"),
    "desk_network_notice": ("注意：编辑部正在监听 {host}:{port}，同一网络中的电脑都能访问，而密码和稿件会以明文传输。\n请在本机用 HTTPS 反向代理（如 nginx 或 Caddy）对外提供服务，让编辑部只监听 127.0.0.1，并加上 --behind-proxy：\n  bulletin desk --host 127.0.0.1 --port {port} --behind-proxy\n代理把 https://（内网域名）/ 转发到 http://127.0.0.1:{port}/，并设置 X-Forwarded-For、X-Forwarded-Proto、X-Forwarded-Host 头。详见《编辑指南》中的“编辑部”一节。",
                            "Note: the desk is listening on {host}:{port}; every computer on the network can reach it, and passwords and articles cross it in clear.\nServe it through an HTTPS reverse proxy (such as nginx or Caddy) on this machine, keep the desk on 127.0.0.1 and add --behind-proxy:\n  bulletin desk --host 127.0.0.1 --port {port} --behind-proxy\nThe proxy forwards https://(intranet name)/ to http://127.0.0.1:{port}/ and sets X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host. See the desk section of the editor's guide."),
    "desk_no_accounts": ("还没有任何账号。先添加一个主编账号：bulletin desk user add 用户名 --role chief", "There are no accounts yet. Add a chief editor first: bulletin desk user add NAME --role chief"),
    "desk_dir_not_folder": ("{path} 不是文件夹（或是一个链接）；请把它移走后重试", "{path} is not a folder (or is a link); move it away and try again"),
    "desk_accounts_not_file": ("{path} 不是普通文件（可能是链接）；账号文件必须是项目中的文件本身", "{path} is not a plain file (perhaps a link); the accounts file must be the file itself, inside the project"),
    "desk_accounts_unreadable": ("无法读取 {path}：{problem}", "cannot read {path}: {problem}"),
    "desk_accounts_bad_entry": ("{path} 中第 {n} 个账号不完整或有误（需要 name、role: editor 或 chief、password）；请用 bulletin desk user 命令修改", "account no. {n} in {path} is incomplete or wrong (it needs name, role: editor or chief, password); change accounts with bulletin desk user"),
    "desk_user_bad_name": ("用户名 \"{name}\" 不可用：只能用 1–32 个字母、汉字、数字或 _ . -", "the user name \"{name}\" cannot be used: 1-32 letters, digits or _ . - only"),
    "desk_user_bad_role": ("角色 \"{role}\" 不存在：只能是 editor（编辑）或 chief（主编）", "there is no role \"{role}\": use editor or chief"),
    "desk_user_exists": ("账号 {name} 已经存在；要改密码请用 bulletin desk user passwd {name}", "the account {name} exists already; to change its password use bulletin desk user passwd {name}"),
    "desk_user_unknown": ("没有账号 {name}（bulletin desk user list 列出所有账号）", "there is no account {name} (bulletin desk user list shows them all)"),
    "desk_password_short": ("密码太短：至少 {n} 个字符", "the password is too short: at least {n} characters"),
    "desk_password_long": ("密码太长：最多 {n} 个字符", "the password is too long: at most {n} characters"),
    "desk_password_prompt": ("新密码", "New password"),
    "desk_password_repeat": ("再输入一次", "Repeat it"),
    "desk_password_mismatch": ("两次输入的密码不一致，请重新输入。", "The two passwords differ; please type them again."),
    "desk_password_no_tty": ("这里无法输入密码（不是终端）；请加 --password-stdin 从标准输入读取", "no terminal to type the password at; add --password-stdin to read it from standard input"),
    "desk_user_added": ("已添加账号 {name}（{role}）。", "Added the account {name} ({role})."),
    "desk_user_passwd_done": ("已为 {name} 设置新密码；其已登录的会话已失效。", "Set a new password for {name}; their open sessions have ended."),
    "desk_user_removed": ("已删除账号 {name}。", "Removed the account {name}."),
    "desk_title": ("编辑部", "Editorial desk"),
    "desk_nav": ("导航", "Navigation"),
    "desk_nav_issues": ("各期", "Issues"),
    "desk_logout": ("退出", "Log out"),
    "desk_login": ("登录编辑部", "Log in to the desk"),
    "desk_login_name": ("用户名", "User name"),
    "desk_login_password": ("密码", "Password"),
    "desk_login_button": ("登录", "Log in"),
    "desk_login_note": ("账号由管理员用 bulletin desk user add 添加；忘记密码请找管理员重设。", "Accounts are added with bulletin desk user add; if you forgot your password, ask whoever runs the desk to set a new one."),
    "desk_login_wrong": ("用户名或密码不对，请重试。", "Wrong user name or password; please try again."),
    "desk_login_throttled": ("登录失败次数过多，请 {minutes} 分钟后再试。", "Too many failed logins; please try again in {minutes} minute(s)."),
    "desk_login_needed": ("请先登录。", "Please log in first."),
    "desk_logged_out": ("已退出。", "You have logged out."),
    "desk_session_expired": ("登录已过期（长时间没有操作，或已登录太久），请重新登录。未保存的修改请在重新登录后再提交一次。", "Your session has expired (no activity for a while, or logged in too long); please log in again, then send any unsaved change once more."),
    "desk_csrf_failed": ("表单已过期或不是从编辑部页面提交的，未做任何修改。请返回刷新页面后重试。", "The form has expired or was not sent from a desk page; nothing was changed. Go back, reload the page and try again."),
    "desk_forbidden": ("没有权限进行这项操作。", "You may not do that."),
    "desk_chief_only": ("只有主编可以批准付印和生成付印 PDF。", "Only a chief editor may approve an issue for print and make the final PDF."),
    "desk_chief_note": ("批准付印和付印 PDF 由主编操作。", "Approval for print and the final PDF are for a chief editor."),
    "desk_page_not_found": ("找不到这个页面或文件。", "There is no such page or file."),
    "desk_request_too_large": ("上传的文件太大：每次上传最多 {mb} MB。", "The upload is too large: at most {mb} MB at a time."),
    "desk_bad_request": ("请求无法处理，未做任何修改。", "The request could not be handled; nothing was changed."),
    "desk_internal_error": ("编辑部出了内部错误，未做任何修改。请把发生的情况告诉管理员（详细信息在服务器日志中）。", "The desk hit an internal error; nothing was changed. Please tell whoever runs the desk (the details are in the server's log)."),
    "desk_error_title": ("无法完成", "Could not do that"),
    "desk_back_to_issues": ("返回各期列表", "Back to the issues"),
    "desk_network_failed": ("无法连接编辑部，请检查网络后重试。", "Could not reach the desk; check the network and try again."),
    "desk_issues_heading": ("各期", "Issues"),
    "desk_issues_none": ("还没有任何一期。点“开始下一期”建立第一期。", "There is no issue yet. Press \"Start the next issue\" to make the first."),
    "desk_issue_start": ("开始下一期", "Start the next issue"),
    "desk_issue_start_confirm": ("按刊期建立下一期的文件夹？", "Create the next issue's folder, by the schedule?"),
    "desk_issue_started": ("已建立 {key}。", "Created {key}."),
    "desk_col_issue": ("期号", "Issue"),
    "desk_col_total": ("总期号", "Total"),
    "desk_col_date": ("出版日期", "Date"),
    "desk_col_theme": ("本期主题", "Theme"),
    "desk_col_articles": ("篇数", "Articles"),
    "desk_col_words": ("字数", "Characters"),
    "desk_col_checks": ("检查", "Checks"),
    "desk_col_approval": ("付印", "Print"),
    "desk_n_errors": ("{n} 处错误", "{n} error(s)"),
    "desk_n_warnings": ("{n} 处警告", "{n} warning(s)"),
    "desk_n_articles": ("{n} 篇", "{n} article(s)"),
    "desk_n_words": ("{n} 字", "{n} characters"),
    "desk_no_findings": ("没有问题", "no problems"),
    "desk_approved_by": ("{who} 已批准", "approved by {who}"),
    "desk_approved_by_when": ("{who} 于 {when} 批准付印", "approved for print by {who} on {when}"),
    "desk_approval_stale": ("批准后有改动，需重新批准", "changed after approval: approve again"),
    "desk_article_refused": ("有错误，见检查结果", "has errors, see the checks"),
    "desk_unplaced": ("栏目无法识别的文章", "Articles whose section cannot be read"),
    "desk_make_proof": ("生成校样", "Make a proof"),
    "desk_build_site": ("生成网站", "Build the site"),
    "desk_make_final": ("生成付印 PDF", "Make the final PDF"),
    "desk_final_needs_approval": ("先批准付印", "Approve the issue first"),
    "desk_approve": ("批准付印", "Approve for print"),
    "desk_approve_confirm": ("批准本期付印？批准后文章再有改动，批准会被撤销。", "Approve this issue for print? A later change to an article withdraws the approval."),
    "desk_approved": ("已批准 {key} 付印。", "{key} is approved for print."),
    "desk_sections_heading": ("栏目与文章", "Sections and articles"),
    "desk_order_help": ("拖动文章可以调整顺序或移到别的栏目；也可以用每篇右边的 ↑ ↓ 按钮和栏目选择（键盘可用）。", "Drag an article to reorder it or move it to another section, or use the ↑ ↓ buttons and the section menu beside it (keyboard friendly)."),
    "desk_order_saving": ("正在保存顺序……", "Saving the order…"),
    "desk_order_saved": ("已保存新的顺序。", "The new order is saved."),
    "desk_order_stale": ("本期的文章在这期间有了变化，请刷新页面后再排序。", "The issue's articles changed meanwhile; reload the page and reorder again."),
    "desk_move_up": ("上移", "Move up"),
    "desk_move_down": ("下移", "Move down"),
    "desk_move_to_section": ("移到栏目", "Move to section"),
    "desk_move": ("移动", "Move"),
    "desk_section_empty": ("（本栏目还没有文章，可以把文章拖到这里）", "(no article in this section yet; drop one here)"),
    "desk_upload_heading": ("导入 Word 稿件", "Import Word files"),
    "desk_upload_section": ("放入栏目", "Into section"),
    "desk_upload_section_auto": ("（按稿件中的栏目行识别）", "(from the file's column line)"),
    "desk_upload_drop": ("把一个或几个 .docx 文件拖到这里，或者选择文件后点“上传”。", "Drop one or several .docx files here, or choose them and press Upload."),
    "desk_upload_choose": ("选择 Word 文件", "Choose Word files"),
    "desk_upload_button": ("上传", "Upload"),
    "desk_upload_review": ("核对导入结果", "review the import"),
    "desk_upload_none": ("没有选择文件。", "No file was chosen."),
    "desk_upload_done": ("已导入 {n} 个文件，请逐个核对后保存。", "Imported {n} file(s); review each and save it."),
    "desk_drafts_heading": ("待核对的导入稿", "Imports waiting for review"),
    "desk_findings_heading": ("检查结果", "Check results"),
    "desk_findings_loading": ("正在检查……", "Checking…"),
    "desk_findings_open": ("查看检查结果", "Show the check results"),
    "desk_fix_punctuation": ("改正标点", "Fix punctuation"),
    "desk_draft_heading": ("核对导入的稿件", "Review an imported file"),
    "desk_draft_help": ("下面是从 Word 文件中识别出的内容。请核对标题、副标题、作者、图片说明等，改好后保存为文章。", "Below is what was recognised in the Word file. Check the title, subtitle, byline, captions and so on, then save it as an article."),
    "desk_draft_save": ("保存为文章", "Save as an article"),
    "desk_draft_saved": ("已保存为 {file}。", "Saved as {file}."),
    "desk_draft_discard": ("放弃这份导入", "Discard this import"),
    "desk_draft_discard_confirm": ("放弃这份导入？已识别的内容和图片将被删除。", "Discard this import? What was recognised and its pictures are deleted."),
    "desk_draft_discarded": ("已放弃这份导入。", "The import was discarded."),
    "desk_recognised": ("识别结果", "What was recognised"),
    "desk_recognised_title": ("标题", "Title"),
    "desk_recognised_subtitle": ("副标题", "Subtitle"),
    "desk_recognised_byline": ("署名", "Byline"),
    "desk_recognised_authors": ("作者", "Authors"),
    "desk_recognised_section": ("栏目", "Section"),
    "desk_recognised_photos": ("图片", "Photos"),
    "desk_recognised_captions": ("图片说明", "Captions"),
    "desk_recognised_poem": ("诗歌", "Poem"),
    "desk_import_notes": ("需要注意", "To check"),
    "desk_more_fields": ("更多信息（作者单位、来源、简介、摘要、网址名、草稿）", "More (affiliation, source, about the author, summary, URL name, draft)"),
    "desk_field_title": ("标题", "Title"),
    "desk_field_subtitle": ("副标题", "Subtitle"),
    "desk_field_section": ("栏目", "Section"),
    "desk_field_authors": ("作者", "Authors"),
    "desk_field_affiliation": ("作者单位或地区", "Affiliation or place"),
    "desk_field_byline_mark": ("署名前的符号", "Byline mark"),
    "desk_field_author_note": ("作者简介", "About the author"),
    "desk_field_source": ("转载来源", "Source"),
    "desk_field_date": ("日期", "Date"),
    "desk_field_order": ("栏目内顺序", "Order in section"),
    "desk_field_tags": ("标签", "Tags"),
    "desk_field_summary": ("摘要", "Summary"),
    "desk_field_slug": ("网址名", "URL name"),
    "desk_field_draft": ("草稿", "Draft"),
    "desk_field_draft_help": ("还没写好（不印入本期）", "not finished (left out of the issue)"),
    "desk_field_body": ("正文（Markdown）", "Text (Markdown)"),
    "desk_field_list_help": ("多个之间用顿号“、”或逗号隔开", "separate several with 、 or commas"),
    "desk_save": ("保存", "Save"),
    "desk_cancel": ("取消", "Cancel"),
    "desk_unsaved": ("有未保存的修改", "unsaved changes"),
    "desk_article_saved": ("已保存。", "Saved."),
    "desk_preview": ("预览", "Preview"),
    "desk_preview_failed": ("这段文字还不能显示，请按下面的提示修改：", "This text cannot be shown yet; fix what is said below:"),
    "desk_preview_updating": ("正在更新预览……", "Updating the preview…"),
    "desk_history": ("修改记录", "History"),
    "desk_images": ("图片", "Images"),
    "desk_image_choose": ("选择图片", "Choose a picture"),
    "desk_image_upload": ("上传图片", "Upload the picture"),
    "desk_image_help": ("JPEG 或 PNG。上传后把给出的一行放进正文中图片应在的位置。", "JPEG or PNG. After the upload, put the line it gives where the picture belongs in the text."),
    "desk_image_caption": ("图片说明", "caption"),
    "desk_image_saved": ("图片已保存。把这一行放进正文：{markdown}", "The picture is saved. Put this line in the text: {markdown}"),
    "desk_punctuation_help": ("下面是半角标点改为全角的改动（- 为原文，+ 为改后）。确认无误后点“应用改动”。", "These are the half-width marks changed to full-width ones (- before, + after). Press Apply when they look right."),
    "desk_punctuation_apply": ("应用改动", "Apply the changes"),
    "desk_punctuation_none": ("没有需要改正的半角标点。", "No half-width punctuation to correct."),
    "desk_punctuation_applied": ("已改正标点。", "The punctuation is corrected."),
    "desk_punctuation_changed": ("文章在这期间被改动了，下面是重新计算的改动，请再确认一次。", "The article changed meanwhile; below are the changes worked out again: please confirm once more."),
    "desk_conflict_heading": ("保存被拒绝：文章已被别人改动", "Not saved: the article was changed by someone else"),
    "desk_conflict_text": ("你打开 {file} 之后，它又被改动过（另一位编辑或直接修改文件）。为了不覆盖别人的修改，你的版本没有保存。", "{file} was changed after you opened it (by another editor, or by hand). So as not to overwrite that change, your version was not saved."),
    "desk_conflict_theirs": ("现在文件中的版本", "The version in the file now"),
    "desk_conflict_mine": ("你的版本（未保存）", "Your version (not saved)"),
    "desk_conflict_help": ("把你的修改复制出来，打开最新版本，再把修改加进去后保存。", "Copy your changes, open the latest version, put your changes into it and save."),
    "desk_conflict_reload": ("打开最新版本", "Open the latest version"),
    "desk_history_none": ("还没有修改记录。", "No changes recorded yet."),
    "desk_history_when": ("时间", "When"),
    "desk_history_who": ("修改人", "Who"),
    "desk_history_what": ("说明", "What"),
    "desk_history_before": ("（编辑部之前的文件）", "(the file before the desk)"),
    "desk_history_show": ("查看这一版", "show this version"),
    "desk_history_text": ("这一版的全文", "This version's text"),
    "desk_jobs_heading": ("最近的生成", "Recent builds"),
    "desk_job_kind_proof": ("校样", "Proof"),
    "desk_job_kind_final": ("付印 PDF", "Final PDF"),
    "desk_job_kind_site": ("网站", "Site"),
    "desk_job_heading": ("生成进度", "Build progress"),
    "desk_job_state": ("状态", "State"),
    "desk_job_running": ("进行中", "running"),
    "desk_job_done": ("完成", "done"),
    "desk_job_failed": ("失败", "failed"),
    "desk_job_outputs": ("生成的文件", "Files made"),
    "desk_job_refresh": ("刷新进度", "Refresh"),
    "desk_open_site": ("打开网站", "Open the site"),
}


# The archive site's messages (bulletin/site/).
SITE_MESSAGES: dict[str, tuple[str, str]] = {
    "site_template_error": (
        "网站模板出错（生成 {page} 时）：{problem}",
        "site template error (while making {page}): {problem}",
    ),
    "site_template_error.hint": (
        "检查 templates/ 中改过的模板 {template}；把它删去或改名即可恢复默认模板。"
        "可用的变量见 docs/site.md。",
        "Check the template {template} you changed under templates/; delete or rename it to fall back to the "
        "default. The variables each page gets are listed in docs/site.md.",
    ),
    "site_search_failed": ("生成站内搜索索引失败：{problem}", "building the search index failed: {problem}"),
    "site_search_failed.hint": (
        "网站其余部分已生成；请把这条消息发给技术人员。",
        "The rest of the site was built; please report this message to the maintainers.",
    ),
}

# The print side's messages: preflight and PDF production (bulletin/print/).
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

# `bulletin wechat`'s messages (bulletin/wechat/).
WECHAT_MESSAGES: dict[str, tuple[str, str]] = {
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



# libyaml's problems (English, from PyYAML) as the editor reads them in Chinese: whole problems, then
# problems that start so (bulletin/content/yamlfile.py).
YAML_PROBLEMS_ZH = {
    "mapping values are not allowed here": "这里不能出现“键: 值”（冒号后的文字是否需要加引号？）",
    "mapping values are not allowed in this context": "这里不能出现“键: 值”（冒号后的文字是否需要加引号？）",
    "did not find expected alphabetic or numeric character": (
        "& 或 * 后面缺少名字（以 & 或 * 开头的文字请加引号）"
    ),
    "second occurrence": "& 开头的锚点重复（以 & 开头的文字请加引号）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进，请改用空格",
    "found unexpected end of stream": "文件意外结束（引号或括号没有配对？）",
    "did not find expected key": "缩进不对齐，或缺少键名",
    "found undefined alias": "使用了未定义的别名（* 开头的文字请加引号）",
    "expected <block end>, but found '<block mapping start>'": "缩进不对齐",
    "expected <block end>, but found '<scalar>'": "缩进不对齐，或引号后面还有多余文字",
    "did not find expected node content": "缺少内容（列表项或值是空的？）",
    "did not find expected ',' or ']'": "方括号列表没有正确结束（缺少逗号或 ]）",
    "did not find expected ',' or '}'": "花括号没有正确结束（缺少逗号或 }）",
}


YAML_PREFIXES_ZH = {
    "could not determine a constructor for the tag": "不支持以 ! 开头的标记（以 ! 开头的文字请加引号）",
    "found character that cannot start any token": (
        "出现了不能作为开头的字符（以 @、` 或 % 开头的文字请加引号）"
    ),
    "found unknown escape character": "双引号中的反斜杠 \\ 无效（改用单引号，或写成 \\\\）",
    "unacceptable character": "文件中有不可见的控制字符（请重新输入这一行）",
    "found unhashable key": "键不能是列表或“键: 值”组",
    "found duplicate anchor": "& 开头的锚点重复（以 & 开头的文字请加引号）",
    "expected alphabetic or numeric character": "& 或 * 后面缺少名字（以 & 或 * 开头的文字请加引号）",
    "found a tab character": "不能用 Tab 键，请改用空格",
}



def set_language(lang: str) -> None:
    """Choose the language of editor-facing messages: "zh" or "en"."""
    global _LANG
    _LANG = "en" if lang.lower().startswith("en") else "zh"


def language() -> str:
    return _LANG


def child_environment(env: dict[str, str]) -> dict[str, str]:
    """`env` for a subprocess of ours that should speak the language this process speaks."""
    return {**env, "BULLETIN_LANG": language()}


def t(msg_id: str, /, **kwargs: object) -> str:
    """The message `msg_id` in the current language, formatted with kwargs."""
    zh, en = MESSAGES[msg_id]
    template = en if _LANG == "en" else zh
    return template.format(**kwargs) if kwargs else template


def yaml_problem(problem: str) -> str:
    """libyaml's `problem` in the current language (unchanged in English or when it has no translation)."""
    if _LANG == "en":
        return problem
    if problem in YAML_PROBLEMS_ZH:
        return YAML_PROBLEMS_ZH[problem]
    for prefix, zh in YAML_PREFIXES_ZH.items():
        if problem.startswith(prefix):
            return zh
    return problem


# The desk's operations (bulletin/desk/)
DESK_MESSAGES: dict[str, tuple[str, str]] = {
    "desk_bad_path": ("路径 “{path}” 无效：{why}", 'the path "{path}" is not valid: {why}'),
    "desk_why_empty": ("路径为空", "it is empty"),
    "desk_why_long": ("路径太长", "it is too long"),
    "desk_why_chars": ("含有不允许的字符", "it contains characters that are not allowed"),
    "desk_why_absolute": ("必须是项目内的相对路径", "it must be a path relative to the project"),
    "desk_why_parent": ("不能含有 “..”", 'it must not contain ".."'),
    "desk_why_outside": (
        "指向项目文件夹之外（可能经过链接）",
        "it leads outside the project folder (perhaps through a link)",
    ),
    "desk_why_link": (
        "是一个链接（快捷方式），请直接使用它指向的文件",
        "it is a link (shortcut); use the file it points to",
    ),
    "desk_why_not_article": (
        "不是某一期中的文章文件（content/年份/期号/名称.md）",
        "it is not an article file of an issue (content/YEAR/NN/name.md)",
    ),
    "desk_not_found": ("找不到文件 {path}", "file {path} not found"),
    "desk_bad_id": ("编号 “{id}” 无效", 'the id "{id}" is not valid'),
    "desk_conflict": (
        "{file} 在您打开之后已被修改（其他编辑或手工修改），本次保存未写入。请对照两个版本后重新保存。",
        "{file} was changed after you opened it (by another editor or by hand); nothing was saved. Compare the two versions and save again.",
    ),
    "desk_write_failed": ("无法写入 {file}：{problem}", "cannot write {file}: {problem}"),
    "desk_field": ("{field}：{problem}", "{field}: {problem}"),
    "desk_unknown_field": ("未知的字段 “{field}”", 'unknown field "{field}"'),
    "desk_bad_front": ("前置信息的写法不能保存：{problem}", "the front matter cannot be saved: {problem}"),
    "desk_body_front": (
        "正文不能以 --- 行开头（会被当作前置信息）",
        "the body must not start with a --- line (it would be read as front matter)",
    ),
    "desk_too_large": ("内容太大（{size}），上限是 {limit}", "too large ({size}); the limit is {limit}"),
    "desk_no_issue": ("找不到期 {key}", "no issue {key}"),
    "desk_no_section": ("没有栏目 “{section}”", 'no section "{section}"'),
    "desk_history_failed": (
        "保存已写入，但记录修改历史失败：{problem}",
        "the save was written, but recording it in the history failed: {problem}",
    ),
    "desk_no_revision": ("{file} 没有版本 {id}", "{file} has no revision {id}"),
    "desk_more_errors": ("（另有 {n} 处错误）", "({n} more error(s))"),
    "desk_image_bad": ("{name} 不是能打开的图片", "{name} is not a picture that can be opened"),
    "desk_image_type": (
        "{name} 是 {kind} 格式，网站和印刷都不能可靠显示；请另存为 JPEG 或 PNG",
        "{name} is a {kind} file, which the site and print cannot show reliably; save it as JPEG or PNG",
    ),
    "desk_image_pixels": (
        "图片太大（{w}×{h} 像素）；请缩小后再上传",
        "the picture is too large ({w}×{h} pixels); make it smaller and upload it again",
    ),
    "desk_not_chief": ("只有主编可以这样做", "only the chief editor may do this"),
    "desk_approve_errors": (
        "第 {key} 期还有 {errors} 处错误，改正后才能审定",
        "issue {key} still has {errors} error(s); correct them before approving it",
    ),
    "desk_bad_layout": ("文章顺序的数据无效：{problem}", "the order sent is not valid: {problem}"),
    "desk_not_in_issue": ("{file} 不是第 {key} 期的文章", "{file} is not an article of issue {key}"),
    "desk_listed_twice": ("{file} 出现了两次", "{file} is listed twice"),
    "desk_layout_missing": (
        "栏目 {section} 中的 {file} 没有排进顺序；请刷新页面后重新排列",
        "{file} of section {section} is missing from the order; reload the page and arrange again",
    ),
    "desk_punct_history": (
        "desk: {who} 改正 {file} 中的 {count} 处半角标点",
        "desk: {who} corrected {count} half-width mark(s) in {file}",
    ),
    "desk_no_draft": (
        "找不到待审稿件 {id}（可能已保存或删除）",
        "no draft {id} (it may have been saved or discarded)",
    ),
    "desk_upload_too_large": (
        "{name} 太大（{size}），上限是 {limit}",
        "{name} is too large ({size}); the limit is {limit}",
    ),
    "desk_not_docx": (
        "不是 Word 的 .docx 文件（可能是其他文件改了扩展名）",
        "not a Word .docx file (perhaps another file renamed)",
    ),
    "desk_choose_section": (
        "稿件中看不出栏目，暂放在 {id}（{name}），请在表单中选择",
        "the manuscript does not show its section: it is in {id} ({name}) for now; choose one in the form",
    ),
    "desk_bad_job_kind": (
        "未知的任务类型 {kind}（可用：proof、final、site）",
        "unknown job kind {kind} (proof, final or site)",
    ),
    "desk_job_busy": (
        "另一个生成任务正在进行，请等它结束后再试",
        "another build job is running; try again when it has finished",
    ),
    "desk_no_job": ("找不到任务 {id}", "no job {id}"),
    "desk_final_not_approved": (
        "第 {key} 期尚未经主编审定（或审定后又有修改），不能生成付印 PDF",
        "issue {key} is not approved by the chief editor (or changed since), so its final PDF cannot be made",
    ),
}


def has(key: str) -> bool:
    return key in MESSAGES


def register(entries: dict[str, tuple[str, str]]) -> None:
    """Add messages from another module (print, site, editor), keeping ids unique."""
    for key in entries:
        if key in MESSAGES:
            raise KeyError(f"message id {key!r} is defined twice")
    MESSAGES.update(entries)


for _table in (SITE_MESSAGES, PRINT_MESSAGES, WECHAT_MESSAGES, DESK_MESSAGES):
    register(_table)
