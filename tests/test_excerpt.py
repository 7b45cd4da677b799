"""bulletin/content/excerpt.py: an article's opening as plain text — what a reader sees as the page's
description in search engines and WeChat link cards, in the feeds and in listings when the article has no
`summary`. No Markdown syntax may leak into it, Chinese is not broken up by spaces, and a long opening is
cut at a sentence end where one is near."""

from __future__ import annotations

import pytest

from bulletin.content.excerpt import excerpt


def test_plain_paragraphs_are_joined_without_spaces():
    assert excerpt("新的一年开始了。\n\n我们要谋划好工作。") == "新的一年开始了。我们要谋划好工作。"


@pytest.mark.parametrize(
    "body, shown",
    [
        ("我们要**谋划好**、*落实好*工作。", "我们要谋划好、落实好工作。"),
        ("详见[通知](https://example.gov.cn/a)。", "详见通知。"),
        ("这是结论[^1]。\n\n[^1]: 注释内容", "这是结论。"),
        ("![会议现场](images/huiyi.png)\n\n会议召开。", "会议召开。"),
        ("会议<span class=x>召开</span>。", "会议召开。"),
        ("使用`代码`格式。", "使用代码格式。"),
        ("~~删去~~保留。", "删去保留。"),
    ],
)
def test_no_markdown_syntax_leaks_into_the_text(body, shown):
    assert excerpt(body) == shown


def test_headings_tables_code_and_rules_are_not_the_opening():
    body = (
        "# 一、总体要求\n\n```\nprint(1)\n```\n\n| 项目 | 金额 |\n|---|---|\n| 甲 | 1 |\n\n"
        "---\n\n正文从这里开始。"
    )
    assert excerpt(body) == "正文从这里开始。"


def test_a_fenced_block_hides_everything_inside_it():
    assert excerpt("~~~\n不是正文\n~~~\n正文。") == "正文。"


def test_list_items_and_quotes_lose_their_marks():
    assert excerpt("- 第一条。\n- 第二条。\n\n> 引文。") == "第一条。第二条。引文。"
    assert excerpt("1. 完善制度。\n2) 办好建议。") == "完善制度。办好建议。"


def test_lines_of_verse_keep_a_space_between_them():
    """A line without closing punctuation (a poem) would run into the next one without it."""
    assert excerpt("::: poem\n春风吹绿了河岸\n燕子飞回了屋檐\n:::\n") == "春风吹绿了河岸 燕子飞回了屋檐"


def test_latin_text_is_joined_with_spaces():
    assert excerpt("The budget was approved.\nIt grows by 5%.") == "The budget was approved. It grows by 5%."


def test_a_long_opening_is_cut_at_the_last_sentence_end_when_it_is_not_too_early():
    body = "第一句话说完了。" * 10 + "第二段" * 50
    text = excerpt(body, limit=60)
    assert text.endswith("。") and len(text) <= 60
    assert text == "第一句话说完了。" * 7


def test_without_a_sentence_end_near_the_limit_it_is_cut_with_an_ellipsis():
    text = excerpt("一" * 10 + "。" + "二" * 200, limit=60)
    assert text == "一" * 10 + "。" + "二" * 49 + "……"  # 。 at 11 is before half the limit: not there
    assert excerpt("所以，" + "长" * 100, limit=20) == "所以，" + "长" * 17 + "……"


def test_a_cut_never_ends_on_a_comma_before_the_ellipsis():
    assert excerpt("长" * 19 + "，后文" * 10, limit=20) == "长" * 19 + "……"


def test_a_short_body_is_given_whole_and_an_empty_one_is_empty():
    assert excerpt("正文。") == "正文。"
    assert excerpt("") == "" and excerpt("# 只有标题\n") == ""


def test_whitespace_is_collapsed():
    assert excerpt("The   budget\twas   approved.") == "The budget was approved."
