"""The house's paragraph rules (briefs, run-in bold headings) are one table, markdown_fast.paragraph_class,
that both Markdown paths ask: the fast path for plain bodies and markdown-it's core rule (issue 11)."""

from __future__ import annotations

import pytest

from bulletin import markdown, markdown_fast
from bulletin.markdown import render_body
from bulletin.markdown_fast import paragraph_class, render_plain


def test_the_rules():
    assert paragraph_class("● 1月6日，召开会议。", lambda: False) == "brief"
    assert paragraph_class("□ 短讯", lambda: True) == "brief"  # a brief mark wins over bold
    assert paragraph_class("**一、抓好落实**", lambda: True) == "bold-heading"
    assert paragraph_class("正文。", lambda: False) is None


@pytest.mark.parametrize("body", ["※ 探针段落。", "※ 探针段落，[链接](https://example.org/)。"])
def test_both_paths_ask_the_one_table(body, monkeypatch):
    """A rule added to the table reaches the fast path (a plain body) and markdown-it's (a body with a
    link, which the fast path leaves to markdown-it) alike."""
    real = markdown_fast.paragraph_class

    def probe(text, one_bold):
        return "probe" if text.startswith("※") else real(text, one_bold)

    monkeypatch.setattr(markdown_fast, "paragraph_class", probe)
    monkeypatch.setattr(markdown, "paragraph_class", probe)
    fast = render_plain(body)
    assert (fast is None) == ("[" in body)
    assert render_body(body).html.startswith('<p class="probe">')


def test_the_paths_agree_on_briefs_and_headings():
    for body in ("● 简讯一则。", "**一、抓好落实**", "**一、抓好** 落实", "◆ **要点**", "普通段落。"):
        fast = render_plain(body)
        assert fast is not None
        assert render_body(body + "\n\n[x](https://example.org/)").html.startswith(fast), body
