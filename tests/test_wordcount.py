"""Word counts (bulletin/wordcount.py) against strings counted by hand, by the Word/WPS 字数 rule."""

from __future__ import annotations

import pytest

from bulletin.wordcount import TextCount, count_article, count_text


@pytest.mark.parametrize(
    ("text", "han", "marks", "words"),
    [
        ("人大代表", 4, 0, 0),
        ("“你好，世界。”", 4, 4, 0),  # curly quotes, comma and stop are full-width marks
        ("2026年", 1, 0, 1),  # a number is one word, like an English word
        ("1,200余人次", 3, 0, 1),  # 1,200 is one word: half-width marks inside a run belong to it
        ("COVID-19疫情", 2, 0, 1),
        ("9:00—11:00", 0, 1, 2),  # the dash is full-width, the times two words
        ("Hello world", 0, 0, 2),
        (" - ... ", 0, 0, 0),  # half-width marks alone count nothing
        ("《青川人大》第3期", 6, 2, 1),
        ("２０２６年", 1, 4, 0),  # full-width digits are counted as characters, as Word does
        ("工作——很好……", 4, 4, 0),  # —— and …… are two marks each
        ("代表　工作", 4, 0, 0),  # the ideographic space counts nothing
        ("GDP增长6.5%，达到1.2万亿元。", 7, 2, 3),
        ("（一）群众最关心什么？", 8, 3, 0),
    ],
)
def test_count_text_matches_hand_counts(text, han, marks, words):
    c = count_text(text)
    assert (c.han, c.marks, c.words) == (han, marks, words)
    assert c.total == han + marks + words


def test_counts_add_up():
    assert count_text("人大") + count_text("2026年") == TextCount(3, 0, 1)


def test_article_count_is_the_printed_body_not_its_markup(project):
    from bulletin.build import check

    article = project / "content" / "2026" / "01" / "counted.md"
    article.write_text(
        "---\ntitle: 一个很长的标题不计入字数\nsection: news\nauthors: 王明\n---\n\n"
        "## 一、小标题\n\n"
        "正文**加粗**的[链接](https://example.org/long/url)。[^1]\n\n"
        "| 项目 | 数量 |\n|---|---|\n| 建议 | 386 |\n\n"
        "- 第一条\n- 第二条\n\n"
        "[^1]: 注释。\n",
        encoding="utf-8",
    )
    archive, report = check(project)
    assert not report.errors, report.errors
    a = next(a for i in archive.issues for a in i.articles if a.path == article)
    # 一、小标题 (4+1) / 正文加粗的链接。 (7+1) / 项目 数量 建议 386 (6 + 1 word) / 第一条 第二条 (6)
    # / the footnote 注释。 (2+1)
    assert count_article(a) == TextCount(han=4 + 7 + 6 + 6 + 2, marks=1 + 1 + 1, words=1)
