"""Article bodies: figures, poems, footnotes (site and print), briefs, tables, the raw-HTML policy, and the
body checks the loader reports with line numbers."""

from __future__ import annotations

from bulletin.content.images import image_refs
from bulletin.content.limits import markdown_nesting
from bulletin.markdown import body_problems, render_body, sanitize


def test_an_image_alone_is_a_figure_with_its_caption():
    html = render_body("![常委会会议现场](images/huiyi.png)").html
    assert '<figure class="figure"><img src="images/huiyi.png" alt="常委会会议现场"' in html
    assert "<figcaption>常委会会议现场</figcaption></figure>" in html
    inline = render_body("文字 ![图](images/a.png) 文字").html
    assert "<figure" not in inline and '<img src="images/a.png"' in inline


def test_poem_keeps_line_breaks_and_stanzas():
    html = render_body("::: poem\n春风吹绿了河岸\n柳枝轻轻摇\n\n燕子回来了\n:::").html
    assert html.count("<p>") == 2 and "春风吹绿了河岸<br />" in html and '<div class="poem">' in html


def test_footnotes_site_and_print():
    md = "正文[^1]。\n\n[^1]: 见《代表法》。"
    site = render_body(md)
    assert site.footnotes == 1 and 'class="footnotes"' in site.html and 'href="#fn1"' in site.html
    printed = render_body(md, target="print").html
    assert '<span class="footnote">见《代表法》。</span>' in printed and "footnotes-list" not in printed


def test_briefs_tables_and_plain_text():
    assert '<p class="brief">● 1月6日，召开会议。</p>' in render_body("● 1月6日，召开会议。").html
    table = render_body("| 项目 | 数量 |\n|---|---|\n| 建议 | 127 |").html
    assert "<th>项目</th>" in table and "<td>127</td>" in table
    assert render_body("## 一、标题\n\n正文 **加粗**").text == "一、标题 正文 加粗"


def test_raw_html_is_escaped_by_default():
    html = render_body('<script>alert("x")</script> <img src=x onerror="alert(1)">').html
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_allowed_html_is_sanitised():
    md = (
        '<b>粗</b><script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">链</a>'
        '<img src="images/a.png" onerror="alert(1)">'
    )
    html = render_body(md, allow_html=True).html
    assert "<b>粗</b>" in html and "<script" not in html and "javascript:" not in html
    assert "onclick" not in html and "onerror" not in html and '<img src="images/a.png">' in html


def test_markdown_links_never_get_javascript_urls():
    for md in (
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](vbscript:a)",
        "<javascript:alert(1)>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ):
        for allow in (False, True):
            assert 'href="javascript' not in render_body(md, allow_html=allow).html.lower()
            assert 'href="vbscript' not in render_body(md, allow_html=allow).html.lower()
            assert 'href="data:text/html' not in render_body(md, allow_html=allow).html.lower()


def test_sanitize_keeps_layout_markup():
    kept = sanitize('<figure class="figure"><img src="a.png" alt="x"><figcaption>x</figcaption></figure>')
    assert "<figure" in kept and "<figcaption>" in kept


def test_body_problems_have_lines():
    body = "第一行\n<b>粗</b>\n\n正文[^9]\n\n::: poem\n诗\n"
    assert body_problems(body) == [
        ("raw_html", 1, {"tag": "<b>"}),
        ("footnote_undefined", 3, {"label": "9"}),
        ("poem_unclosed", 5, {}),
    ]
    assert ("raw_html", 1, {"tag": "<b>"}) not in body_problems(body, allow_html=True)
    assert body_problems("```\n<b>代码</b>\n```\n") == []


def test_image_refs_find_every_image_with_its_line():
    body = (
        "第一段\n\n![图一](images/a.png)\n\n| a | ![表中图](images/b.png) |\n|---|---|\n\n"
        "![引用][r]\n\n[r]: images/c.png\n\n脚注[^1]\n\n[^1]: ![注中图](images/d.png)\n\n"
        "```\n![不是图](x.png)\n```\n"
    )
    assert image_refs(body) == [
        ("images/a.png", 2),
        ("images/b.png", 4),
        ("images/c.png", 7),
        ("images/d.png", 13),
    ]
    assert image_refs("![中文名](images/会场.png)") == [("images/%E4%BC%9A%E5%9C%BA.png", 0)]


def test_nesting_limit():
    assert markdown_nesting("> a\n> > b\n- c\n  - d\n    - e\n") is None
    assert markdown_nesting("正文\n\n" + "> " * 11 + "x") == (2, 11)
    deep = "\n".join("  " * i + "- 项" for i in range(12))
    assert markdown_nesting(deep) == (10, 11)
    assert markdown_nesting("```\n" + "> " * 30 + "\n```\n") is None


def test_a_paragraph_that_is_one_bold_phrase_is_a_run_in_heading():
    html = render_body("**一、抓好落实**\n\n正文**加粗**内容。\n\n**一是**要做好。").html
    assert '<p class="bold-heading"><strong>一、抓好落实</strong></p>' in html
    assert "<p>正文<strong>加粗</strong>内容。</p>" in html  # bold inside a sentence stays a paragraph
    assert "<p><strong>一是</strong>要做好。</p>" in html
