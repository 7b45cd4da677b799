"""Editor-facing messages of the archive site, registered with bulletin.messages."""

from __future__ import annotations

from bulletin import messages

MESSAGES: dict[str, tuple[str, str]] = {
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

messages.register(MESSAGES)
