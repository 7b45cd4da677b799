"""bulletin/config.py load_publication: bulletin.yaml becomes a `Publication` with the documented
defaults, and each mistake an editor makes in it is one error with its line (paths in bulletin.yaml:
tests/test_config_paths.py)."""

from __future__ import annotations

import pytest

from bulletin.config import DEFAULT_NOTICE, load_publication
from bulletin.diagnostics import Report
from bulletin.model import PrintSettings, SiteSettings, TypographySettings

HEAD = "title: 测试人大\npublisher: 测试市人大常委会办公室主办\nfrequency: semimonthly\n"
SECTIONS = "sections:\n  - {id: news, name: 工作动态}\n"


def _load(tmp_path, text: str):
    (tmp_path / "bulletin.yaml").write_text(text, encoding="utf-8")
    report = Report(tmp_path)
    pub = load_publication(tmp_path, report)
    return pub, [(d.line, d.code) for d in report.items]


def test_the_smallest_file_gets_the_defaults(tmp_path):
    pub, problems = _load(tmp_path, HEAD + SECTIONS)
    assert problems == []
    assert (pub.title, pub.frequency, pub.language) == ("测试人大", "semimonthly", "zh-CN")
    assert pub.notice == DEFAULT_NOTICE
    assert [(s.id, s.name) for s in pub.sections] == [("news", "工作动态")]
    assert (pub.print, pub.site, pub.typography) == (PrintSettings(), SiteSettings(), TypographySettings())
    assert pub.base_url == "" and pub.website == ""


def test_settings_are_read_into_the_model(tmp_path):
    pub, problems = _load(
        tmp_path,
        HEAD + SECTIONS + "base_url: https://example.org/bulletin\nnotice: ''\n"
        "print: {columns: 2, bleed_mm: 3, crop_marks: true}\nsite: {recent_issues: 6, feed_articles: 10}\n"
        "typography: {punctuation: keep, range_mark: ～}\n",
    )
    assert problems == []
    assert pub.base_url == "https://example.org/bulletin/"  # a trailing slash added: links go under it
    assert pub.notice == ""  # an empty notice is no notice, not the default one
    assert (pub.print.columns, pub.print.bleed_mm, pub.print.crop_marks) == (2, 3.0, True)
    assert isinstance(pub.print.bleed_mm, float)
    assert (pub.site.recent_issues, pub.site.feed_articles) == (6, 10)
    assert (pub.typography.punctuation, pub.typography.range_mark) == ("keep", "～")
    assert pub.typography.render_range_mark is None  # keep: the text is rendered as written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: t\n" + SECTIONS, [(1, "missing_key"), (1, "missing_key")]),  # publisher, frequency
        (HEAD, [(1, "missing_key")]),
        (HEAD + "sections: []\n", [(4, "no_sections")]),
        (HEAD + "sections:\n  - {id: News, name: 工作动态}\n", [(5, "bad_section_id")]),
        (HEAD + "sections:\n  - {id: index, name: 工作动态}\n", [(5, "reserved_section_id")]),
        (HEAD + "sections:\n  - {id: a, name: 动态}\n  - {id: b, name: 动态}\n", [(6, "duplicate_section")]),
        # names compared as they look: full-width letters are the same name
        (HEAD + "sections:\n  - {id: a, name: ＡＢ}\n  - {id: b, name: AB}\n", [(6, "duplicate_section")]),
        (HEAD + "sections:\n  - news\n", [(5, "wrong_type")]),
        (HEAD.replace("semimonthly", "weekly-ish") + SECTIONS, [(3, "bad_choice")]),
        (HEAD + SECTIONS + "base_url: example.org\n", [(6, "bad_url")]),
        (HEAD + SECTIONS + "print: {columns: 3}\n", [(6, "bad_number")]),
        (HEAD + SECTIONS + "print:\n  qr_codes:\n    - {label: 网站, url: ftp://x}\n", [(8, "bad_url")]),
        (HEAD + SECTIONS + "print:\n  qr_codes:\n    - 网站\n", [(8, "wrong_type")]),
        (HEAD + SECTIONS + "site: {recent_issue: 3}\n", [(6, "unknown_key_suggest")]),
        (HEAD + SECTIONS + "typography: {range_mark: '~'}\n", [(6, "bad_choice")]),
    ],
)
def test_each_mistake_is_one_error_on_its_line(tmp_path, text, expected):
    _, problems = _load(tmp_path, text)
    assert problems == expected


def test_a_qr_code_too_long_to_print_is_refused(tmp_path):
    url = "https://example.org/" + "a" * 2400
    qr = f"print:\n  qr_codes:\n    - {{label: 网站, url: {url}}}\n"
    _, problems = _load(tmp_path, HEAD + SECTIONS + qr)
    assert problems == [(8, "qr_too_long")]


def test_no_file_and_no_usable_sections_give_no_publication(tmp_path):
    report = Report(tmp_path)
    assert load_publication(tmp_path, report) is None and [d.code for d in report.items] == ["no_config"]
    pub, _ = _load(tmp_path, HEAD + "sections:\n  - {id: News, name: 工作动态}\n")
    assert pub is None  # the build stops: no page could be filed under a section
