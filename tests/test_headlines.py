"""Headlines broken at phrase boundaries, in balanced lines: bulletin.headlines, its print and site use,
and the check that warns about a title of more than two lines."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli

from bulletin.headlines import balance, phrases, print_title_html, site_title_html, text_em

LONG = "关于全市人大常委会宣传贯彻落实情况的报告"
QUOTED = "全市人大工作会议召开部署2026年“代表工作提质年”重点任务并表扬优秀代表联络站"
SUBTITLED = "山路上的“健康守门人”——记市人大代表、松岭县石门乡卫生院医生罗春生"


@pytest.mark.parametrize("title", [LONG, QUOTED, SUBTITLED, "12345热线与代表联络站“握手”之后"])
def test_phrases_give_the_title_back_and_keep_words_whole(title):
    pieces = phrases(title)
    assert "".join(pieces) == title
    boundaries = {sum(len(p) for p in pieces[:k]) for k in range(1, len(pieces))}
    for word in ("贯彻落实", "人大常委会", "代表工作提质年", "健康守门人", "2026年", "12345"):
        at = title.find(word)
        if at >= 0:
            assert not boundaries & set(range(at + 1, at + len(word))), (word, pieces)


def test_no_line_starts_with_a_particle_or_closing_mark():
    for title in (LONG, QUOTED, SUBTITLED):
        for piece in phrases(title)[1:]:
            assert piece[0] not in "的之了，。、；：？！”’）》—", piece


def test_a_title_that_fits_stays_on_one_line():
    assert balance(LONG, 29) == [LONG]
    assert print_title_html("“好”<b>", 29) == "“好”&lt;b&gt;"


def test_long_titles_are_balanced_at_phrase_boundaries():
    assert balance(LONG, 16) == ["关于全市人大常委会", "宣传贯彻落实情况的报告"]  # not 宣传贯 / 彻落实情况的
    lines = balance(QUOTED, 29)
    assert len(lines) == 2 and "".join(lines) == QUOTED
    assert "“代表工作提质年”" in lines[0] or "“代表工作提质年”" in lines[1]  # a short quotation stays whole
    short, wide = sorted(text_em(line) for line in lines)
    assert short >= wide / 2  # even lines, not a full one and a stub
    # a break after punctuation is preferred when it is about as even
    assert balance(SUBTITLED, 29)[0].endswith(("——", "、"))
    for width in (10, 14, 18, 24):
        for title in (LONG, QUOTED, SUBTITLED):
            lines = balance(title, width)
            assert "".join(lines) == title
            assert all(text_em(line) <= width for line in lines), (width, lines)


def test_print_html_has_the_breaks_and_keeps_phrases_together():
    out = print_title_html(LONG, 16)
    assert out.count("<br>") == 1
    assert re.sub(r"<[^>]+>", "", out) == LONG
    assert '<span class="nobr">贯彻落实</span>' in out


def test_site_html_has_word_break_opportunities_between_phrases():
    out = site_title_html(LONG)
    assert out.replace("<wbr>", "") == LONG
    assert "贯<wbr>" not in out and "<wbr>贯彻落实<wbr>" in out
    assert site_title_html("工作动态") == "工作动态"
    assert site_title_html("“a<b”的标题很长很长很长").replace("<wbr>", "") == "“a&lt;b”的标题很长很长很长"


def test_a_paragraph_pasted_as_a_title_is_balanced_quickly_and_greedily():
    title = "会议指出，" + "全市各级人大常委会认真贯彻落实中央部署要求，" * 12
    lines = balance(title, 29)
    assert len(lines) > 4 and "".join(lines) == title


def test_rendered_title_lines_are_the_balanced_ones(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    weasyprint = pytest.importorskip("weasyprint")
    css = (
        '@page { size: 120mm 100mm; margin: 10mm; } h1 { font-family: "Noto Sans CJK SC"; font-size: 16pt;'
        " text-align: center; margin: 0; } .nobr { white-space: nowrap; }"
    )
    width = 100 / (16 * 25.4 / 72)  # characters per line
    html = f'<html lang="zh-CN"><style>{css}</style><h1>{print_title_html(QUOTED, width - 0.5)}</h1></html>'
    weasyprint.HTML(string=html).write_pdf(tmp_path / "t.pdf")
    with pdfplumber.open(tmp_path / "t.pdf") as pdf:
        rows: dict[int, list] = {}
        for c in pdf.pages[0].chars:
            rows.setdefault(round(c["top"]), []).append(c)
        lines = ["".join(c["text"] for c in sorted(rows[k], key=lambda c: c["x0"])) for k in sorted(rows)]
    assert lines == balance(QUOTED, width - 0.5)
    assert len(lines) == 3


def test_check_warns_about_a_title_of_more_than_two_lines(project):
    article = project / "content/2026/01/kaiju.md"
    text = article.read_text(encoding="utf-8")
    title_line = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("title:"))
    long = "会议指出，" + "今年以来全市各级人大常委会认真贯彻落实中央和省委部署要求，" * 3
    article.write_text(re.sub(r"(?m)^title: .*$", f"title: {long}", text, count=1), encoding="utf-8")
    r = run_cli("--root", str(project), "check")
    assert r.returncode == 0
    out = r.stdout + r.stderr
    assert f"content/2026/01/kaiju.md:{title_line}:" in out and "标题超过两行" in out
    # a two-line title is fine
    article.write_text(re.sub(r"(?m)^title: .*$", f"title: {QUOTED}", text, count=1), encoding="utf-8")
    r = run_cli("--root", str(project), "check")
    assert "标题超过两行" not in r.stdout + r.stderr
