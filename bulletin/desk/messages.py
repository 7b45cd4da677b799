# ruff: noqa: E501 -- a table of messages reads best one entry per line, however long
"""Editor-facing messages of the desk's operations, registered with bulletin.messages (Chinese first)."""

from __future__ import annotations

from bulletin import messages

MESSAGES: dict[str, tuple[str, str]] = {
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

messages.register(MESSAGES)
