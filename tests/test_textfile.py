"""bulletin/content/textfile.py: an editor's text file is read as text with \\n line ends, or refused with
the reason, the line (and column) of the problem, and a fix — never decoded into the wrong characters.

(tests/bad_inputs/ runs the same cases through the CLI; these call `read_text` directly.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin import messages
from bulletin.content.textfile import MAX_TEXT_BYTES, decode, decode_lenient, is_inside, read_text
from bulletin.diagnostics import Report

ARTICLE = "---\ntitle: 凝心聚力开新局\nsection: news\n---\n新的一年开始了。\n第二行正文。\n"


def read(root: Path, data: bytes, name: str = "a.md", **kw):
    path = root / name
    path.write_bytes(data)
    report = Report(root)
    return read_text(path, report, root, **kw), report


def only(report: Report):
    assert len(report.items) == 1, [d.format() for d in report.items]
    return report.items[0]


# --- what is read ---------------------------------------------------------------------------------


def test_utf8_is_read_as_it_is(tmp_path):
    text, report = read(tmp_path, ARTICLE.encode("utf-8"))
    assert text == ARTICLE
    assert report.items == []


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"])
def test_windows_and_old_mac_line_ends_become_newlines(tmp_path, ending):
    text, report = read(tmp_path, ARTICLE.encode("utf-8").replace(b"\n", ending))
    assert text == ARTICLE
    assert report.items == []


def test_a_bom_is_dropped_with_a_warning_on_line_1(tmp_path):
    text, report = read(tmp_path, b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    assert text == ARTICLE and not text.startswith("\ufeff")
    d = only(report)
    assert (d.severity, d.code, d.file, d.line) == ("warning", "bom", "a.md", 1)
    assert not report.errors


def test_diagnostics_quote_the_line_as_read(tmp_path):
    """A later problem on line 5 of a CRLF file quotes line 5 without its \\r."""
    text, report = read(tmp_path, ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    report.error(tmp_path / "a.md", 5, "not_text")
    assert report.items[0].source_line == "新的一年开始了。"


# --- what is refused, and where ---------------------------------------------------------------------


def test_gbk_is_refused_not_guessed(tmp_path):
    """A file saved as GBK (Notepad's ANSI on a Chinese Windows) is not read as mojibake: the editor is
    told its encoding, at the first line with Chinese in it, and how to save it as UTF-8."""
    text, report = read(tmp_path, ARTICLE.encode("gbk"))
    assert text is None
    d = only(report)
    assert (d.severity, d.code, d.line) == ("error", "not_utf8", 2)
    assert "GBK" in d.message
    assert "UTF-8" in d.hint


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused(tmp_path, codec):
    """Notepad's "Unicode": with its BOM it is named UTF-16 (not read as GB18030, which would "work");
    without one it is not text at all. Either way nothing is decoded."""
    data = ARTICLE.encode(codec)  # "utf-16" writes a BOM, the -le/-be codecs none
    text, report = read(tmp_path, data)
    assert text is None
    d = only(report)
    if codec == "utf-16":
        assert (d.code, d.line, d.args) == ("not_utf8", 1, {"guess": "UTF-16"})
    else:
        assert d.code == "not_text"


def test_one_broken_character_is_pointed_at(tmp_path):
    """Good UTF-8 with one character cut in half (a damaged copy) is not called GBK: line, column and
    the bytes themselves are given, and the quoted line shows the break as U+FFFD."""
    broken = ARTICLE.encode("utf-8").replace("第二行".encode(), "第".encode() + b"\xe4\xba" + "行".encode())
    text, report = read(tmp_path, broken)
    assert text is None
    d = only(report)
    assert (d.code, d.line, d.column) == ("not_utf8_bytes", 6, 2)
    assert d.args["byte"] == "0xE4 0xBA"
    assert d.args["count"] == 1
    assert broken[d.args["offset"] : d.args["offset"] + 2] == b"\xe4\xba"
    assert d.source_line == "第\ufffd行正文。"


def test_a_broken_byte_after_a_bom_and_crlf_has_the_right_line(tmp_path):
    data = b"\xef\xbb\xbf" + "---\r\ntitle: 标题\r\n---\r\n正文".encode() + b"\xff\r\n"
    text, report = read(tmp_path, data)
    assert text is None
    d = report.errors[0]
    assert (d.code, d.line, d.column) == ("not_utf8_bytes", 4, 3)


@pytest.mark.parametrize(
    "char, name", [("\x0b", "U+000B"), ("\x00", "U+0000"), ("\u202e", "U+202E"), ("\x7f", "U+007F")]
)
def test_invisible_control_characters_are_refused_with_their_column(tmp_path, char, name):
    """A Word line break (\\v), a stray NUL, a right-to-left override (it shows text in another order
    than it is stored): invisible in the editor, so their line and column are what the editor needs."""
    data = ARTICLE.replace("第二行", "第二" + char + "行").encode("utf-8")
    text, report = read(tmp_path, data)
    assert text is None
    d = only(report)
    assert (d.code, d.line, d.column) == ("control_char", 6, 3)
    assert d.args["char"] == name
    assert "\ufffd" in d.source_line  # quoted with the invisible character made visible


def test_tabs_and_newlines_are_not_control_characters(tmp_path):
    text, report = read(tmp_path, b"a\tb\n")
    assert text == "a\tb\n" and report.items == []


def test_a_binary_file_renamed_to_md_is_not_text(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    text, report = read(tmp_path, png)
    assert text is None
    assert only(report).code == "not_text"
    assert "import" in only(report).hint  # a Word file: bulletin import


def test_a_file_over_the_limit_is_refused_unread(tmp_path):
    text, report = read(tmp_path, b"x" * 3000, limit=1000)
    assert text is None
    d = only(report)
    assert d.code == "too_large" and d.args == {"size": "3 KB", "limit": "1 KB"}
    assert MAX_TEXT_BYTES >= 1024 * 1024  # an article of 300,000 characters still fits


def test_a_folder_named_like_an_article_is_unreadable(tmp_path):
    (tmp_path / "x.md").mkdir()
    report = Report(tmp_path)
    assert read_text(tmp_path / "x.md", report, tmp_path) is None
    assert only(report).code == "unreadable"


def test_a_fifo_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")  # opening it would wait forever for a writer
    report = Report(tmp_path)
    assert read_text(tmp_path / "pipe.md", report, tmp_path) is None
    assert only(report).code == "unreadable"


def test_a_link_out_of_the_project_is_not_followed(tmp_path):
    root, outside = tmp_path / "proj", tmp_path / "outside"
    root.mkdir(), outside.mkdir()
    (outside / "secret.md").write_text("秘密\n", encoding="utf-8")
    (root / "a.md").symlink_to(outside / "secret.md")
    report = Report(root)
    assert read_text(root / "a.md", report, root) is None
    d = only(report)
    assert d.code == "symlink_outside" and d.file == "a.md"  # named where it is, not where it leads


def test_a_link_inside_the_project_is_read(tmp_path):
    (tmp_path / "real.md").write_text("正文\n", encoding="utf-8")
    (tmp_path / "a.md").symlink_to("real.md")
    report = Report(tmp_path)
    assert read_text(tmp_path / "a.md", report, tmp_path) == "正文\n"


def test_a_link_loop_is_reported_not_raised(tmp_path):
    (tmp_path / "loop.md").symlink_to("loop.md")
    report = Report(tmp_path)
    assert read_text(tmp_path / "loop.md", report, tmp_path) is None
    assert only(report).code == "unreadable"


def test_messages_exist_in_both_languages(tmp_path):
    _, report = read(tmp_path, ARTICLE.encode("gbk"))
    d = only(report)
    try:
        messages.set_language("en")
        assert "not UTF-8" in d.message and "GBK" in d.message
    finally:
        messages.set_language("zh")
    assert "UTF-8" in d.message and "编码" in d.message


# --- the helpers ----------------------------------------------------------------------------------


def test_decode_and_decode_lenient():
    assert decode(b"\xef\xbb\xbfa\r\nb\rc") == "a\nb\nc"
    with pytest.raises(UnicodeDecodeError):
        decode(b"a\xffb")
    assert decode_lenient(b"\xef\xbb\xbfa\xff\r\nb") == "a\ufffd\nb"


def test_is_inside(tmp_path):
    (tmp_path / "sub").mkdir()
    assert is_inside(tmp_path / "sub" / "x", tmp_path)
    assert not is_inside(tmp_path / ".." / "x", tmp_path)
    (tmp_path / "up").symlink_to("..")
    assert not is_inside(tmp_path / "up" / "x", tmp_path)
