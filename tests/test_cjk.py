"""Chinese typesetting for print: bulletin.print.cjk (HTML preparation and the justification patch)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bulletin.print import cjk
from bulletin.print.cjk import (
    CJK_CSS,
    HALT_CLASS,
    can_stretch_between,
    prepare_for_print,
    stretch_offsets,
)

WJ = "\u2060"
ZWSP = "\u200b"
HALT = f'<span class="{HALT_CLASS}">'


def visible(html: str) -> str:
    """The text of prepared HTML as it will print: tags and invisible characters removed."""
    return re.sub(r"<[^>]+>", "", html).replace(WJ, "").replace(ZWSP, "")


# --------------------------------------------------------------------------------------------------
# prepare_for_print: unit tests
# --------------------------------------------------------------------------------------------------


def test_plain_chinese_text_is_unchanged():
    html = "<p>春天来了，田野里一片新绿<code>x</code>田野</p>"  # (no paragraph end before <code>)
    assert prepare_for_print(html) == html.replace("田野</p>", f"田{WJ}野</p>")


def test_tags_and_attributes_are_untouched():
    start = '<a href="https://例子.cn/路径?a=1&amp;b=“2”。”" title="标题：“测试”。”" data-x=\'《书》（注）\'>'
    html = f'<p>{start}见说明。”</a><img src="图。”.png" alt="图片说明。”"/></p>'
    out = prepare_for_print(html)
    assert start in out
    assert '<img src="图。”.png" alt="图片说明。”"/>' in out
    assert out.startswith("<p><a ") and out.endswith("</p>")


def test_code_pre_script_and_style_are_untouched():
    html = (
        "<p>运行<code>print(“你好。”)——《a》</code>即可。</p>"
        "<pre>第一行：“引号”。\n第二行——（括号）。</pre>"
        '<script>if (a < b) { s = "。”——"; }</script>'
        '<style>p::after { content: "。”"; }</style>'
    )
    out = prepare_for_print(html)
    assert "<code>print(“你好。”)——《a》</code>" in out
    assert "<pre>第一行：“引号”。\n第二行——（括号）。</pre>" in out
    assert '<script>if (a < b) { s = "。”——"; }</script>' in out
    assert '<style>p::after { content: "。”"; }</style>' in out


def test_urls_and_email_addresses_are_copied_verbatim():
    html = "<p>详见https://example.org/a—b·c/“x”。或来信editor@example.org——谢谢</p>"
    out = prepare_for_print(html)
    assert "https://example.org/a" in out  # a URL ends at its first non-ASCII character
    assert "editor@example.org" in out
    assert visible(out) == visible(html)


def test_latin_words_and_numbers_stay_intact():
    html = "<p>2026年GDP增长5.2%，Internet用户达到1,234万人</p>"
    out = prepare_for_print(html)
    for word in ("2026", "GDP", "5.2%", "Internet", "1,234"):
        assert word in out
    assert visible(out) == visible(html)
    # justification never adds space inside a Latin word or a number
    text = "2026年GDP增长5.2%"
    offsets = set(stretch_offsets(text))
    inside = {
        len(text[:i].encode()) for i in range(1, len(text)) if text[i - 1].isascii() and text[i].isascii()
    }
    assert not offsets & inside
    assert len(b"2026") in offsets  # 6|年 may stretch
    assert not can_stretch_between("G", "D")
    assert not can_stretch_between("2", "0")
    assert can_stretch_between("年", "G")


def test_entities_are_kept_as_text():
    out = prepare_for_print("<p>A &amp; B &lt;c&gt; 说。”</p>")
    assert "A &amp; B &lt;c&gt; 说" in out


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("说完了。”他", f"说完了{HALT}。</span>”{ZWSP}他"),  # 。” : first mark half-width
        ("（见附件）。", f"（见附件{HALT}）</span>。"),
        ("问题，“我们", f"问题{HALT}，</span>{ZWSP}“我们"),  # ，“ : first mark half-width
        ("《“十四五”规划》", f"《{HALT}“</span>十四五”{ZWSP}规划》"),  # 《“ : second mark half-width
        ("书名》、作者", f"书名{HALT}》</span>、作者"),
    ],
)
def test_adjacent_punctuation_is_compressed(source, expected):
    # <code> ends the line context without ending the paragraph (whose tail would be glued)
    assert prepare_for_print(f"<p>{source}<code>x</code></p>") == f"<p>{expected}<code>x</code></p>"


def test_no_compression_for_dashes_ellipses_or_single_marks():
    html = "<p>等待……”然后——“出发”，好</p>"
    out = prepare_for_print(html)
    assert f"{HALT}…" not in out and f"{HALT}—" not in out
    assert out.count(HALT) == 1  # only ”，


def test_kinsoku_breaks_that_pango_gets_wrong_are_fixed():
    out = prepare_for_print("<p>他说——这是张·伟的“新书”出版了</p>")
    assert f"说{WJ}——这" in out  # the dash does not start a line
    assert f"张{WJ}·伟" in out  # nor the middle dot
    assert f"的{ZWSP}“新书”{ZWSP}出版" in out  # a break before “ and after ”, as in Chinese typesetting
    # never a break opportunity before a closing mark or after an opening one
    out = prepare_for_print("<p>“开始”。（“内容”）</p>")
    assert f"{ZWSP}。" not in out and f"（{ZWSP}" not in out and f"{ZWSP}）" not in out


def test_pairs_split_by_inline_tags_are_compressed():
    out = prepare_for_print("<p>他说：“<em>好的。</em>”然后<strong>离开</strong>——走了</p>")
    assert f"<em>好的{HALT}。</span></em>”" in out
    assert f"</strong>{WJ}——" in out
    # but not across block boundaries
    out = prepare_for_print("<p>第一段。</p><p>”第二段</p>")
    assert HALT not in out


def test_prepare_for_print_is_idempotent():
    html = (
        "<h2>标题：“要点”</h2><p>他说：“<em>好的。</em>”然后——（《书》）。"
        "<a href='https://a.cn'>https://a.cn</a>，GDP增长</p><ul><li>一、“条目”。</li></ul>"
    )
    once = prepare_for_print(html)
    assert prepare_for_print(once) == once
    assert visible(once) == visible(html)


def test_markdown_it_output_structure_survives():
    html = (
        "<h2>一、总体要求</h2>\n<p>第一段<strong>重点</strong>。</p>\n"
        "<ul>\n<li>条目一；</li>\n<li>条目二。</li>\n</ul>\n<blockquote>\n<p>引文。”</p>\n</blockquote>\n"
        "<table>\n<thead>\n<tr>\n<th>项目</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>数值</td>\n</tr>\n</tbody>\n</table>\n"
        '<figure><img src="a.jpg" alt="图"><figcaption>图1：现场（摄影：某某）</figcaption></figure>\n'
        '<div class="poem"><p>春眠不觉晓，<br>\n处处闻啼鸟。</p></div>\n<!-- 注释 -->\n<hr />\n'
    )
    out = prepare_for_print(html)
    assert [t for t in re.findall(r"<[^>]+>", out) if HALT_CLASS not in t and t != "</span>"] == re.findall(
        r"<[^>]+>", html
    )
    assert visible(out) == visible(html)


def test_stretch_offsets_are_utf8_byte_offsets():
    assert stretch_offsets("天地人") == [3, 6]
    assert stretch_offsets("天地", "人") == [3, 6]
    assert stretch_offsets("天地", None) == [3]
    assert stretch_offsets("说，好") == [6]  # never before the comma
    assert stretch_offsets("“好”") == []  # never after “, never before ”
    assert stretch_offsets("a bc天") == [4]  # spaces are WeasyPrint's, Latin pairs never
    assert stretch_offsets("e\u0301天") == [3]  # combining mark stays with its base
    assert stretch_offsets(f"天{ZWSP}“地") == [3]  # invisible characters are skipped


def test_css_constant():
    assert f".{HALT_CLASS}" in CJK_CSS and '"halt"' in CJK_CSS


# --------------------------------------------------------------------------------------------------
# Rendering with WeasyPrint, measured with pdfplumber
# --------------------------------------------------------------------------------------------------

PARAGRAPHS = [
    "清晨的小镇刚刚醒来，街角的早餐铺已经升起了白色的蒸汽。老板一边揉面一边和熟客打招呼："
    "“今天还是老样子？”客人笑着点头，顺手把零钱放进门口的铁盒里。这样的场景，十几年来几乎没有变过。",
    "2026年春季，镇里启动了老街改造工程，计划用18个月完成排水管网、路面和照明的更新。"
    "项目总投资约3.5亿元，其中GDP贡献测算由第三方机构负责，相关报告已在镇政府网站公开。"
    "施工期间，居民可以通过热线12345反映问题，工作人员承诺在24小时内答复。",
    "改造方案征求意见时，不少老人提出：“路可以修宽，树不能砍。”设计团队据此调整了图纸，"
    "保留了沿街的十二棵老槐树，并在树下增设了座椅和遮阳棚（部分由志愿者捐建）。"
    "有人说，这是一次“把记忆留在原地”的更新。",
    "图书馆的阅览室里，学生们正在准备期末考试。《城市简史》《乡土中国》等书籍被借阅得最多，"
    "管理员不得不又订购了一批。她说——其实大家最喜欢的，还是窗边那张能晒到太阳的长桌。",
    "傍晚时分，广场上的音乐响起，跳舞的人群渐渐聚拢。孩子们在一旁追逐嬉戏，"
    "卖气球的小贩推着车慢慢走过；远处的河面上，几只白鹭掠过水面，又飞回了对岸的芦苇丛。"
    "夜色降临，路灯一盏一盏亮起，小镇又回到了它熟悉的节奏。",
    "关于下一步工作，镇政府提出了三点要求：一是加强统筹协调，确保各项任务按期完成；"
    "二是坚持问需于民，把群众满意度作为检验成效的标准；三是严格资金管理，"
    "做到每一笔支出都有据可查、公开透明。会议强调，“民生无小事”，各部门要主动作为。",
    "入秋以后，合作社的苹果进入采收期。今年的亩产比去年提高了约15%，"
    "电商平台上的订单也明显增多，单日发货量最高达到了3,200箱。负责人介绍说："
    "“我们和物流公司签了协议（冷链运输），保证果子三天内送到顾客手里。”"
    "不少年轻人因此回到村里，做起了直播带货、包装设计和售后服务等工作。",
    "冬天的夜晚来得很早。社区活动中心里，书法班的老人们正在临摹《兰亭序》，"
    "隔壁教室传来孩子们练习合唱的歌声——那是他们为新年晚会准备的节目。"
    "志愿者小王说，每周来这里帮忙两次，已经坚持了整整三年；“看到大家开心，自己也就开心了。”",
]

CLOSING = set("，。、；：？！”’）》】…—·,.;:?!)")
OPENING = set("“‘（《【(")
CJK_CHAR = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’…—·]"


@pytest.fixture
def justification_patch():
    pytest.importorskip("weasyprint")
    installed_before = cjk.justification_patch_installed()
    cjk.install_justification_patch()
    yield
    if not installed_before:
        cjk.uninstall_justification_patch()


def _lines(page, size, left_bound, right_bound):
    rows = {}
    for c in page.chars:
        if round(c["size"], 1) == size and c["text"].strip() and left_bound <= c["x0"] < right_bound:
            rows.setdefault(round(c["top"]), []).append(c)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


@pytest.mark.parametrize("columns", [1, 2])
def test_rendered_paragraphs_are_justified_kinsoku_clean_and_extract_cleanly(
    tmp_path, justification_patch, columns
):
    import pdfplumber
    import weasyprint

    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    css = (
        '@page { size: A4; margin: 20mm; } html { font-family: "Noto Serif CJK SC"; font-size: 10.5pt; }'
        " p { text-align: justify; text-indent: 2em; margin: 0 0 0.5em; line-height: 1.6; }"
        + (" body { columns: 2; column-gap: 12mm; }" if columns == 2 else "")
        + CJK_CSS
    )
    html = (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head>'
        f"<body>{prepare_for_print(body)}</body></html>"
    )
    pdf_path = tmp_path / "cjk.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf_path)

    em = 10.5
    full = justified = 0
    violations = []
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        assert len(pdf.pages) == 1
        text = page.extract_text()
        bounds = [(0, page.width)] if columns == 1 else [(0, page.width / 2), (page.width / 2, page.width)]
        for left_bound, right_bound in bounds:
            lines = _lines(page, em, left_bound, right_bound)
            if not lines:
                continue
            left = min(line[0]["x0"] for line in lines)
            right = Counter(round(line[-1]["x1"], 1) for line in lines).most_common(1)[0][0]
            for i, line in enumerate(lines):
                first, last = line[0]["text"], line[-1]["text"]
                if first in CLOSING or last in OPENING:
                    violations.append("".join(c["text"] for c in line))
                next_line = lines[i + 1] if i + 1 < len(lines) else None
                if next_line is None or next_line[0]["x0"] > left + 1.2 * em:
                    continue  # last line of a paragraph
                full += 1
                over = line[-1]["x1"] - right
                # at the column edge, or a half-width closing mark whose box reaches past it
                if abs(over) <= 0.5 or (last in CLOSING and 0 < over <= em / 2 + 0.5):
                    justified += 1
        if columns == 2:
            text = "".join(page.crop((a, 0, b, page.height)).extract_text() for a, b in bounds)

    assert full >= (15 if columns == 1 else 35)
    assert justified / full >= 0.99, (justified, full)
    assert violations == []
    assert re.sub(r"\s+", "", text) == re.sub(r"\s+", "", "".join(PARAGRAPHS))
    assert not re.search(CJK_CHAR + r"[ \u00a0\u3000]+" + CJK_CHAR, text)


def test_punctuation_compression_halves_the_first_mark(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    weasyprint = pytest.importorskip("weasyprint")
    source = "甲。”乙，“丙（“丁"
    html = (
        '<html lang="zh-CN"><style>@page { size: A6; margin: 10mm; }'
        ' body { font-family: "Noto Serif CJK SC"; font-size: 10pt; }' + CJK_CSS + "</style>"
        f"<p>{prepare_for_print(source)}</p></html>"
    )
    weasyprint.HTML(string=html).write_pdf(tmp_path / "halt.pdf")
    with pdfplumber.open(tmp_path / "halt.pdf") as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    assert "".join(c["text"] for c in chars) == source
    advance = {i: round(chars[i + 1]["x0"] - chars[i]["x0"], 1) for i in range(len(chars) - 1)}
    assert advance[1] == 5.0  # 。 before ” : half-width
    assert advance[2] == 10.0  # ” before 乙 : full width
    assert advance[4] == 5.0  # ， before “ : half-width
    assert advance[5] == 10.0
    # （“ : the second mark loses its left half, so （ plus “ take 1.5 em together
    assert round(chars[9]["x0"] - chars[7]["x0"], 1) == 15.0


# --------------------------------------------------------------------------------------------------
# No-break glue: numbers with their units, paragraph endings (孤字)
# --------------------------------------------------------------------------------------------------


def _mid(text: str) -> str:
    """Prepared ``text`` as the middle of a paragraph (<code> ends the line context, not the paragraph)."""
    out = prepare_for_print(f"<p>{text}<code>x</code></p>")
    return out.removeprefix("<p>").removesuffix("<code>x</code></p>")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("投资12.16亿元，", f"投资12.16{WJ}亿{WJ}元，"),
        ("补助1500元的", f"补助1500{WJ}元的"),
        ("2019年3月5日起", f"2019{WJ}年3{WJ}月5{WJ}日起"),
        ("第3次会议", f"第{WJ}3{WJ}次会议"),
        ("新增8万亩耕地", f"新增8{WJ}万{WJ}亩耕地"),
        ("全长35公里，", f"全长35{WJ}公{WJ}里，"),
        ("共120平方米", f"共120{WJ}平{WJ}方{WJ}米"),
        ("在2019这一年", f"在2019{WJ}这一年"),  # a digit never ends a line before a Han character
        ("增长35.6%，", "增长35.6%，"),  # Pango never breaks before % nor inside a number
        ("共１２个", f"共１２{WJ}个"),  # full-width digits
        ("共5万人次参加", f"共5{WJ}万{WJ}人{WJ}次参加"),
        ("约100多名代表", f"约100{WJ}多{WJ}名代表"),
        ("3小时内", f"3{WJ}小{WJ}时内"),
    ],
)
def test_numbers_are_glued_to_their_units(source, expected):
    assert _mid(source) == expected


def test_number_glue_crosses_inline_elements_but_not_urls():
    assert prepare_for_print("<p>共<strong>13</strong>项，好的<code>x</code></p>").startswith(
        f"<p>共<strong>13{WJ}</strong>项"
    )
    assert _mid("见https://a.cn/2019年") == "见https://a.cn/2019年"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>这是最后的结果。</p>", f"<p>这是最后的结{WJ}果。</p>"),
        ("<p>这是<strong>结果</strong>。</p>", f"<p>这是<strong>结{WJ}果</strong>。</p>"),
        ("<p>一共计3项。</p>", f"<p>一共计{WJ}3{WJ}项。</p>"),  # 3项。 alone would read as one
        ("<p>增长了35.6%。</p>", "<p>增长了35.6%。</p>"),  # a line of 35.6%。 is not a lone character
        ("<ul><li>条目一；</li></ul>", f"<ul><li>条目{WJ}一；</li></ul>"),
        ("<p>春眠不觉晓<br>处处闻啼鸟</p>", f"<p>春眠不觉{WJ}晓<br>处处闻啼{WJ}鸟</p>"),
    ],
)
def test_paragraph_tails_are_glued(source, expected):
    out = prepare_for_print(source)
    assert out == expected
    assert prepare_for_print(out) == out


def test_tail_glue_keeps_quotes_breakable_only_where_pango_needs_no_help():
    # before “ and after ” Pango needs a ZERO WIDTH SPACE to break; in a glued tail it is left out,
    # and no WORD JOINER is needed next to a quote (Pango never breaks there by itself)
    out = prepare_for_print("<p>实现了“双赢”目标</p>")
    assert out == f"<p>实现了{ZWSP}“双赢”{ZWSP}目{WJ}标</p>"
    out = prepare_for_print("<p>他说：“好。”</p>")
    assert ZWSP not in out and WJ not in out
    assert prepare_for_print(out) == out


# --------------------------------------------------------------------------------------------------
# Rendered: line-end marks, paragraph endings and numbers, measured as a typesetter would
# --------------------------------------------------------------------------------------------------

NUMBERS = [
    "全年共完成投资12.16亿元",
    "每户补助1500元",
    "2019年启动的项目",
    "增长35.6%",
    "第3次会议",
    "新增高标准农田8万亩",
    "修通公路35公里",
    "共收集意见105条",
    "改造住房120平方米",
    "参加培训5万人次",
]


def _fixture_paragraphs() -> list[str]:
    """Paragraphs of many lengths, so that lines end on every kind of character: numbers, marks, one
    last character."""
    out = []
    for i in range(36):
        base = PARAGRAPHS[i % len(PARAGRAPHS)]
        start = (i * 7) % 23
        numbers = "，".join(NUMBERS[(i + k) % len(NUMBERS)] for k in range(1 + i % 4))
        out.append(f"{base[start : start + 40 + (i * 13) % 50]}，{numbers}，效果。")
    return out


def _measure(pdf_path, em, columns):
    """pdfcheck's figures for body text: full lines, those ending in a full-width ，。、；： set a whole
    em wide at the column edge, paragraphs whose last line holds at most one Han character, lines
    ending in a digit while the paragraph goes on with a Han character."""
    import pdfplumber

    han = re.compile(r"[\u3400-\u9fff]")
    figures = Counter()
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            half = page.width / 2
            for left_bound, right_bound in (
                ((0, half), (half, page.width)) if columns == 2 else ((0, page.width),)
            ):
                lines = _lines(page, em, left_bound, right_bound)
                if len(lines) < 4:
                    continue
                left = min(line[0]["x0"] for line in lines)
                right = Counter(round(line[-1]["x1"]) for line in lines).most_common(1)[0][0]
                for i, line in enumerate(lines):
                    text = "".join(c["text"] for c in line)
                    following = lines[i + 1] if i + 1 < len(lines) else None
                    if following is None or following[0]["x0"] > left + 1.2 * em:
                        figures["paragraphs"] += 1
                        if len(han.findall(text)) <= 1 and len(text) <= 3:
                            figures["lone"] += 1
                        continue
                    last = line[-1]
                    if last["text"].isdigit() and han.match(following[0]["text"]):
                        figures["splits"] += 1
                    if last["x1"] >= right - 2 * em:
                        figures["full"] += 1
                        if last["text"] in "，。、；：" and abs(last["x1"] - right) <= 0.5:
                            figures["endp"] += 1
                        over = last["x1"] - right
                        if abs(over) <= 0.5 or (last["text"] in CLOSING and 0 < over <= em + 0.5):
                            figures["justified"] += 1
    return figures


def _render_fixture(tmp_path, name, columns, line_end="compress", glue=True):
    import weasyprint

    body = prepare_for_print("".join(f"<p>{p}</p>" for p in _fixture_paragraphs()))
    if not glue:
        body = body.replace(WJ, "")
    css = (
        '@page { size: A5; margin: 12mm; } html { font-family: "Noto Serif CJK SC"; font-size: 10pt; }'
        f" html {{ --cjk-line-end: {line_end}; }}"
        " p { text-align: justify; text-indent: 2em; margin: 0; line-height: 1.6; }"
        + (" body { columns: 2; column-gap: 10mm; }" if columns == 2 else "")
        + CJK_CSS
    )
    html = f'<html lang="zh-CN"><head><style>{css}</style></head><body>{body}</body></html>'
    path = tmp_path / f"{name}.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    return path


@pytest.mark.parametrize("columns", [1, 2])
def test_line_ends_paragraph_ends_and_numbers_in_print(tmp_path, justification_patch, columns):
    import pdfplumber

    ours = _measure(_render_fixture(tmp_path, "ours", columns), 10, columns)
    assert ours["full"] >= 60 and ours["paragraphs"] >= 30, ours
    assert ours["justified"] == ours["full"], ours
    assert ours["endp"] == 0 and ours["lone"] == 0 and ours["splits"] == 0, ours
    # the same text without the no-break glue and the line-end compression has all three faults,
    # so the figures above measure something
    plain = _measure(_render_fixture(tmp_path, "plain", columns, line_end="none", glue=False), 10, columns)
    assert plain["endp"] > 0 and plain["lone"] > 0 and plain["splits"] > 0, plain
    # copy and paste gives the text as written: no joiners, no spaces
    with pdfplumber.open(tmp_path / "ours.pdf") as pdf:
        text = "".join(
            page.crop(
                (a * page.width / columns, 0, (a + 1) * page.width / columns, page.height)
            ).extract_text()
            for page in pdf.pages
            for a in range(columns)
        )
    assert WJ not in text and ZWSP not in text
    assert re.sub(r"\s+", "", text) == "".join(_fixture_paragraphs())


@pytest.mark.parametrize(("line_end", "past_edge"), [("compress", 5.0), ("hang", 10.0), ("none", 0.0)])
def test_a_mark_ending_a_justified_line_is_compressed_or_hangs(
    tmp_path, justification_patch, line_end, past_edge
):
    import pdfplumber

    path = _render_fixture(tmp_path, line_end, 1, line_end=line_end)
    overs = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = _lines(page, 10, 0, page.width)
            left = min(line[0]["x0"] for line in lines)
            # the column edge: where lines that end in a Han character end
            right = Counter(round(line[-1]["x1"], 1) for line in lines if han_end(line)).most_common(1)[0][0]
            for line, following in zip(lines, lines[1:], strict=False):
                if following[0]["x0"] <= left + 1.2 * 10 and line[-1]["text"] in "，。、":
                    overs[round(line[-1]["x1"] - right, 1)] += 1
    # the glyph box of the mark (1 em wide, ink in its left half) ends half an em past the edge when
    # compressed, a whole em when hanging, at the edge when left alone
    assert sum(overs.values()) >= 10
    assert set(overs) == {past_edge}, overs


def han_end(line) -> bool:
    return bool(re.match(r"[\u3400-\u9fff]", line[-1]["text"]))


def test_a_last_line_a_little_short_of_the_edge_is_set_flush(tmp_path, justification_patch):
    """One-line paragraphs (list items, ● briefs) whose digits make them end a fraction of an em, or an
    em or two, short of the edge are justified to it; a last line shorter than that stays ragged."""
    import pdfplumber
    import weasyprint

    han = "代表们深入基层听取群众意见建议认真梳理问题清单推动有关部门逐项落实"
    paragraphs = [
        han[:26] + "12次。",  # 27 Han, two digits and 。 on a 30-em line: short by a fraction of an em
        han[:28] + "。",  # short by one em
        han[:26] + "。",  # short by three em: a last line like any other
        han[:30],  # fills the line exactly
    ]
    css = (
        '@page { size: A5; margin: 12mm; } html { font-family: "Noto Serif CJK SC"; font-size: 10pt; }'
        " body { width: 300pt; }"
        " p { text-align: justify; margin: 0 0 4mm; line-height: 1.6; }" + CJK_CSS
    )
    body = prepare_for_print("".join(f"<p>{p}</p>" for p in paragraphs))
    html = f'<html lang="zh-CN"><head><style>{css}</style></head><body>{body}</body></html>'
    weasyprint.HTML(string=html).write_pdf(tmp_path / "near.pdf")
    with pdfplumber.open(tmp_path / "near.pdf") as pdf:
        lines = _lines(pdf.pages[0], 10, 0, pdf.pages[0].width)
    assert ["".join(c["text"] for c in line) for line in lines] == paragraphs
    edge = lines[-1][-1]["x1"]
    ends = [line[-1]["x1"] - edge for line in lines]
    # the full stop of a line set flush is compressed like any line end: its 1-em glyph box ends half
    # an em past the edge
    assert abs(ends[0] - 5) < 0.5 and abs(ends[1] - 5) < 0.5, ends
    assert abs(ends[2] + 30) < 0.5, ends  # three em short: left as it is
