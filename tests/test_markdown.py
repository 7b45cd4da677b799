"""Article bodies: figures, poems, footnotes (site and print), briefs, tables, the raw-HTML policy, and the
body checks the loader reports with line numbers."""

from __future__ import annotations

import random
import sys

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bulletin.build import check
from bulletin.content.frontmatter import split_front_matter
from bulletin.content.images import image_refs
from bulletin.content.limits import markdown_nesting
from bulletin.markdown import _configure, _parser, body_problems, render_body, sanitize
from bulletin.markdown_blocks import BLOCK_RULE_STARTS, verbatim_line_ranges
from bulletin.markdown_fast import render_plain


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


def test_autolinks_are_not_taken_for_raw_html():
    """<https://…> and <name@host> are links in the page, so they get no raw-HTML warning; Word's <o:p>
    and a real tag on the same line still do."""
    from bulletin.markdown import body_problems

    line = "详见 <https://www.example.gov.cn/a?b=1> 或来信 <office@example.gov.cn>。"
    assert 'href="https://www.example.gov.cn/a?b=1"' in render_body(line).html
    assert not [p for p in body_problems(line) if p[0] == "raw_html"]
    assert [p[2]["tag"] for p in body_problems(line + "<o:p></o:p>") if p[0] == "raw_html"] == ["<o>"]
    assert [p[2]["tag"] for p in body_problems("<https://a.cn> <b>粗</b>") if p[0] == "raw_html"] == ["<b>"]


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


REMOTE_LOADS = [
    '<img src="http://t.example/p.png">',
    '<img src=" //t.example/p.png">',  # protocol-relative, with a leading space browsers ignore
    '<img src="&#104;ttps://t.example/p.png">',  # an entity hiding the scheme
    '<img src="images/a.png" srcset="https://t.example/big.png 2x">',
    '<p style="background:url(https://t.example/bg.png)">x</p>',
    '<table><tr><td style="text-align:right;background:url(//t.example/bg.png)">x</td></tr></table>',
    '<iframe src="https://t.example/"></iframe>',
    '<object data="https://t.example/o.swf"></object>',
    '<embed src="https://t.example/e">',
    '<link rel="stylesheet" href="https://t.example/s.css">',
    '<form action="https://t.example/post"><input type="image" src="https://t.example/b.png"></form>',
    '<video poster="https://t.example/p.jpg"></video>',
    '<img src="data:text/html;base64,PHNjcmlwdD4=">',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<img src="data:image/png;base64,AAAA" onerror="x">'.replace("data:image/png", "data:text/plain"),
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>',
]


@pytest.mark.parametrize("html_", REMOTE_LOADS)
def test_raw_html_that_loads_by_itself_is_removed_and_warned_about(html_):
    body = "第一行\n\n" + html_ + "\n"
    for target in ("site", "print"):
        out = render_body(body, allow_html=True, target=target).html.lower()
        assert "t.example" not in out and "javascript" not in out and "data:text" not in out, out
        assert "data:image/svg" not in out
    warned = [p for p in body_problems(body, allow_html=True) if p[0].startswith("raw_html_")]
    assert warned and all(line == 2 for _code, line, _args in warned), warned


@pytest.mark.parametrize(
    "html_",
    [
        '<a href="https://www.example.gov.cn/">网站</a>',
        '<a href="//www.example.gov.cn/">网站</a>',
        '<a href="mailto:x@example.gov.cn">信箱</a>',
        '<img src="images/huiyi.png" alt="会议">',
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="小图">',
        '<table><tr><td style="text-align:right">1</td></tr></table>',
        "`<img src=\"http://t.example/in-code.png\">`",  # code: shown as text, nothing loads
    ],
)
def test_links_local_pictures_and_code_stay_without_warning(html_):
    body = "第一行\n\n" + html_ + "\n"
    out = render_body(body, allow_html=True).html
    assert not [p for p in body_problems(body, allow_html=True) if p[0].startswith("raw_html_")]
    for kept in ("https://www.example.gov.cn/", "mailto:", "images/huiyi.png", "data:image/", "text-align"):
        if kept in html_:
            assert kept in out, out


def test_raw_html_pictures_are_checked_like_markdown_pictures():
    body = '正文\n\n<img src="images/a.png">\n\n<img src="http://t.example/x.png">'
    body += '<img src="data:image/png;base64,AA">'
    assert image_refs(body, allow_html=True) == [("images/a.png", 2)]
    assert image_refs(body) == []  # without allow_html the tag is text


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


# --- the dispatching block tokenizer gives markdown-it's own tokens ---------------------------------

_LINE_STARTS = ["", " ", "  ", "   ", "    ", "\t", "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "10. ", "# ",
                "## ", "###### ", "#", "```", "~~~", "***", "---", "___", "- - -", "===", ":::", "::: poem",
                "[^1]: ", "[a]: ", "[a]: /u", "<div>", "<!-- ", "|", "| a | b |", "|---|---|", "a | b",
                ":-:|--", "[", "<", "_", "*", "0", "9.", "1.", "-", "+"]
_LINE_TEXT = ["", "正文", "代表联络站", "**粗体**", "*强调*", "`代码`", "[链接](u)", "![图](a.png)", "[^1]",
              "a", " | ", "<b>", "&amp;", "\\", "● 简讯", "——副题"]


@st.composite
def _markdown_documents(draw) -> str:
    lines = draw(st.lists(st.tuples(st.sampled_from(_LINE_STARTS), st.sampled_from(_LINE_STARTS),
                                    st.sampled_from(_LINE_TEXT)), max_size=14))
    return "\n".join(a + b + c for a, b, c in lines)


@settings(max_examples=600, deadline=None)
@given(_markdown_documents(), st.booleans())
def test_block_dispatch_gives_markdown_its_own_tokens(doc, allow_html):
    """The block tokenizer that tries on a line only the rules that can start there (bulletin.markdown_blocks.
    _BlockParser) parses every document exactly as markdown-it's stock tokenizer does."""
    fast = _parser(allow_html)
    stock = _configure(MarkdownIt("commonmark", fast.options), dispatch=False)
    env_fast, env_stock = {}, {}
    ours, theirs = fast.parse(doc, env_fast), stock.parse(doc, env_stock)
    assert [t.as_dict() for t in ours] == [t.as_dict() for t in theirs]
    assert fast.renderer.render(ours, fast.options, env_fast) == stock.renderer.render(
        theirs, stock.options, env_stock)


@settings(max_examples=300, deadline=None)
@given(_markdown_documents())
def test_verbatim_lines_are_the_renderers_code_and_html_blocks(doc):
    """bulletin.punctuation leaves as written the lines the block grammar alone calls code or raw HTML
    (bulletin.markdown_blocks); they are exactly the blocks the renderer's full parser finds."""
    tokens = _parser(True).parse(doc, {})
    assert verbatim_line_ranges(doc) == [
        (t.map[0], t.map[1]) for t in tokens if t.type in ("code_block", "fence", "html_block") and t.map
    ]


def test_block_dispatch_knows_every_block_rule_that_needs_a_start_character():
    """A block rule added later (a plugin) that is not in BLOCK_RULE_STARTS is tried on every line: still
    correct, only slower. This names the rules we expect, so a new one is a deliberate decision."""
    names = [r.name for r in _parser(False).block.ruler.__rules__ if r.enabled]
    assert set(names) - set(BLOCK_RULE_STARTS) == {"table", "lheading", "paragraph"}


# --- the fast path for plain bodies gives markdown-it's own HTML -------------------------------------

# Line starts and texts the fast path takes, and near misses it must refuse or get right.
_GOOD_STARTS = ["", "", "", "", "# ", "## ", "###### ", "- ", "+ ", "* ", "1. ", "2. ", "3) ", "0. ",
                "01. ", "::: poem", ":::", "**", "● ", "■", "“", "2026年", "a"]
_BAD_STARTS = ["####### ", "#", "1234567890. ", ":::: poem", " ", "  ", "    ", "> ", "---", "***", "===",
               "- - ", "1. - ", "- 1. ", "1.5", "|", "-|-", "\t", "　"]
_GOOD_TEXTS = ["", "", "代表联络站", "正文，", "**粗体**", "**“两个联系”**代表", "“**引号**”", "a**b**c",
               "，**x**。", "**一、总体要求**", "**", "**x", "x**", "** x **", "x\"y", "a>b", "#", "| a |",
               "!", "1. ", "- ", "2026", "：", "——副题", "● 简讯", "=="]
_BAD_TEXTS = ["*斜体*", "***", " ", "　", "\t", "&amp;", "<b>", "[链接](u)", "_x_", "~~删~~", "`c`", "\\",
              "x  "]


@st.composite
def _plain_documents(draw) -> str:
    """Documents mostly of what the fast path takes, with a near miss here and there."""
    def part(good, bad):
        return draw(st.sampled_from(bad)) if draw(st.integers(0, 9)) == 0 else draw(st.sampled_from(good))

    n = draw(st.integers(0, 14))
    return "\n".join(part(_GOOD_STARTS, _BAD_STARTS) + part(_GOOD_TEXTS, _BAD_TEXTS)
                     + part(_GOOD_TEXTS, _BAD_TEXTS) for _ in range(n))


def _markdown_it(doc: str) -> str:
    stock = _configure(MarkdownIt("commonmark", _parser(False).options), dispatch=False)
    return stock.render(doc)


@settings(max_examples=1500, deadline=None)
@given(_plain_documents())
def test_fast_path_output_is_markdown_its_own(doc):
    """Whatever the fast path accepts (bulletin/markdown_fast.py), it renders exactly as markdown-it does;
    the documents are made of the constructs it takes and the ones it must refuse, side by side."""
    fast = render_plain(doc)
    if fast is not None:
        assert fast == _markdown_it(doc)


_WORDS = ["代表", "联络站", "，", "。", "“两个联系”", "2026年", "a", "GDP", "——", "（一）", "!", "x\"y",
          "a>b", "#", "|", "=", "1.", "-", "●", " "]
_LINES = ["", "", "", "# ", "## ", "- ", "- ", "+ ", "* ", "1. ", "1. ", "2. ", "3) ", "::: poem", ":::",
          "● "]


def _random_document(rnd: random.Random) -> str:
    """Lines of paragraphs, headings, list items, blank lines and poem fences, with words, **bold**
    phrases placed anywhere, and a near miss now and then."""
    lines = []
    for _ in range(rnd.randint(1, 12)):
        start = rnd.choice(_LINES)
        if start in ("::: poem", ":::") or (start == "" and rnd.random() < 0.5):
            lines.append(start)
            continue
        words = [rnd.choice(_WORDS[:10])] + [rnd.choice(_WORDS) for _ in range(rnd.randint(0, 4))]
        if rnd.random() < 0.4:
            i = rnd.randint(0, len(words) - 1)
            words[i] = f"**{words[i].strip()}**"
        line = start + "".join(words)
        if rnd.random() < 0.05:
            line = rnd.choice(_BAD_STARTS) + line
        lines.append(line)
        if rnd.random() < 0.6:
            lines.append("")
    return "\n".join(lines)


def test_fast_path_output_on_many_random_documents():
    """The same, on 5,000 random documents of which it takes a good part."""
    rnd = random.Random(7)
    taken = 0
    for _ in range(5000):
        doc = _random_document(rnd)
        fast = render_plain(doc)
        if fast is not None:
            taken += 1
            assert fast == _markdown_it(doc), doc
    assert taken > 500


def test_fast_path_takes_the_plain_bodies_articles_are_made_of(tmp_path):
    """It is worth having: it takes plain paragraphs, headings, lists, bold phrases, briefs and poems —
    every body of a generated benchmark year and the sample's articles without footnotes or pictures —
    with the same output as markdown-it."""
    plain = (
        "近年来，各级人大代表积极履职，**代表联络站**建设取得新进展。\n第二行。\n\n"
        "## 一、提高站位\n\n1. 第一条。\n2. **第二条**。\n\n- 要点\n- 要点\n\n"
        "● 简讯：某县召开会议。\n\n**二、主要做法**\n\n"
        "::: poem\n春风吹绿了河岸\n柳枝轻轻摇\n\n燕子回来了\n:::\n"
    )
    assert render_plain(plain) == _markdown_it(plain)
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    generate(tmp_path / "bench", 1, seed=3)
    sample = [a.body for i in check(REPO)[0].issues for a in i.articles]
    bench = [split_front_matter(p.read_text(encoding="utf-8"))[1]
             for p in sorted((tmp_path / "bench" / "content").glob("*/*/*.md"))]
    for body in sample + bench:
        fast = render_plain(body)
        assert fast is None or fast == _markdown_it(body)
    assert all(render_plain(b) is not None for b in bench)
    assert sum(render_plain(b) is not None for b in sample) >= len(sample) // 2


def test_fast_path_leaves_everything_else_to_markdown_it():
    for body in ["正文[^1]。\n\n[^1]: 注", "![图](a.png)", "| a | b |\n|---|---|\n| 1 | 2 |",
                 "　　首行缩进", "> 引用", "```\ncode\n```", "a **b", "段落\n- 紧接列表", "1. a\n\n   续行",
                 "<b>粗</b>"]:
        assert render_plain(body) is None, body
        assert render_body(body).html == _markdown_it(body)
