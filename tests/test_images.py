"""bulletin/content/images.py: the pictures an article uses — every one found (also in tables, footnotes
and reference-style links), with its line, and each checked before a build can publish or print it: inside
the issue folder, present (or the likely name suggested), of a format browsers and WeasyPrint both show,
not absurdly large, and not broken."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from bulletin.content.images import MAX_PIXELS_SIDE, check_image, image_refs, resolve_image
from bulletin.diagnostics import Report

# --- finding the references ------------------------------------------------------------------------


def test_every_markdown_image_is_found_with_its_line():
    body = (
        "正文\n\n![甲](images/a.png)\n\n"  # line 2 (0-based)
        "| 表 |\n|---|\n| ![乙](images/b.png) |\n\n"  # 6: in a table
        "![丙][ref]\n\n[ref]: images/c.png\n\n"  # 8: reference-style
        "注[^1]\n\n[^1]: ![丁](images/d.png)\n"  # 14: in a footnote
    )
    assert image_refs(body) == [
        ("images/a.png", 2),
        ("images/b.png", 6),
        ("images/c.png", 8),
        ("images/d.png", 14),
    ]


def test_the_line_is_the_one_that_names_the_picture_in_a_long_paragraph():
    assert image_refs("第一行\n第二行 ![x](images/%E4%BC%9A.png)\n第三行\n") == [("images/%E4%BC%9A.png", 1)]


def test_code_is_not_a_picture():
    assert image_refs("`![x](a.png)`\n\n    ![y](b.png)\n\n```\n![z](c.png)\n```\n") == []


def test_raw_img_counts_only_where_raw_html_is_allowed_and_only_local_files():
    body = '<img src="images/e.png">\n\n![x](images/f.png)\n\n<img src="https://example.com/y.png">\n'
    assert image_refs(body) == [("images/f.png", 2)]
    assert image_refs(body, allow_html=True) == [("images/f.png", 2), ("images/e.png", 0)]


# --- checking each one -----------------------------------------------------------------------------


@pytest.fixture
def issue(tmp_path) -> Path:
    folder = tmp_path / "content/2026/01"
    (folder / "images").mkdir(parents=True)
    (folder / "a.md").write_text("---\ntitle: x\nsection: news\n---\n正文\n", encoding="utf-8")
    Image.new("RGB", (40, 30), (200, 30, 30)).save(folder / "images/Huiyi.png")
    return folder


def checked(issue: Path, ref: str):
    root = issue.parent.parent.parent
    report = Report(root)
    found = check_image(root, issue / "a.md", ref, 7, report)
    return found, [(d.code, d.file, d.line, d.args) for d in report.items]


def test_a_good_picture_is_its_file(issue):
    found, problems = checked(issue, "images/Huiyi.png")
    assert found == (issue / "images/Huiyi.png").resolve() and problems == []
    assert checked(issue, "./images/Hui%79i.png")[0] == found  # percent-encoded as Markdown allows


@pytest.mark.parametrize(
    "ref", ["https://example.com/a.png", "//example.com/a.png", "data:image/png;base64,AA"]
)
def test_a_remote_picture_is_refused(issue, ref):
    """A press PDF cannot depend on a web server, and the site would leak readers to it."""
    found, [(code, file, line, _)] = checked(issue, ref)
    assert (found, code, file, line) == (None, "image_remote", "content/2026/01/a.md", 7)


def test_a_backslash_path_is_refused_with_the_fixed_path(issue):
    _, [(code, _, _, args)] = checked(issue, "images\\Huiyi.png")
    assert code == "image_backslash" and args["fixed"] == "images/Huiyi.png"


@pytest.mark.parametrize("ref", ["../02/images/o.png", "/etc/passwd", "images/../../../../etc/passwd"])
def test_a_picture_outside_the_issue_folder_is_refused(issue, ref):
    other = issue.parent / "02/images"
    other.mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(other / "o.png")
    _, [(code, *_)] = checked(issue, ref)
    assert code == "image_outside"


def test_a_link_leading_out_of_the_issue_is_refused(issue, tmp_path):
    Image.new("RGB", (4, 4)).save(tmp_path / "elsewhere.png")
    (issue / "images/link.png").symlink_to(tmp_path / "elsewhere.png")
    _, [(code, *_)] = checked(issue, "images/link.png")
    assert code == "image_outside"


def test_a_link_loop_is_reported(issue):
    (issue / "images/loop.png").symlink_to("loop.png")
    with pytest.raises(ValueError):
        resolve_image(issue / "a.md", "images/loop.png")
    _, [(code, *_)] = checked(issue, "images/loop.png")
    assert code == "image_corrupt"


@pytest.mark.parametrize("ref", ["images/huiyi.png", "images/Huiyii.png", "images/HUIYI.PNG"])
def test_a_missing_picture_suggests_the_file_the_editor_meant(issue, ref):
    _, [(code, _, _, args)] = checked(issue, ref)
    assert code == "missing_image_suggest"
    assert args["suggestion"] == "images/Huiyi.png" and args["folder"] == "content/2026/01/images/"


def test_a_missing_picture_with_nothing_like_it(issue):
    _, [(code, _, _, args)] = checked(issue, "images/zzzz.jpg")
    assert code == "missing_image" and args["path"] == "images/zzzz.jpg"


def test_a_name_composed_differently_is_not_suggested_as_itself(issue):
    """café.png from a Mac (é as e + U+0301) named as é in the article: the same on screen."""
    (issue / "images/Huiyi.png").rename(issue / "images" / unicodedata.normalize("NFD", "café.png"))
    _, [(code, *_)] = checked(issue, unicodedata.normalize("NFC", "images/café.png"))
    assert code == "missing_image_unicode"


@pytest.mark.parametrize("name, fmt", [("x.svg", "SVG"), ("x.heic", "HEIC"), ("x.emf", "EMF")])
def test_formats_neither_side_shows_are_refused_by_name(issue, name, fmt):
    (issue / "images" / name).write_bytes(b"not read")
    _, [(code, _, _, args)] = checked(issue, "images/" + name)
    assert code == "image_format" and args["format"] == fmt


def test_a_picture_in_another_format_than_its_name_says_is_refused(issue):
    Image.new("RGB", (4, 4)).save(issue / "images/fake.png", format="BMP")
    _, [(code, _, _, args)] = checked(issue, "images/fake.png")
    assert code == "image_format" and args["format"] == "BMP"


def test_a_broken_picture_is_refused(issue):
    (issue / "images/bad.jpg").write_bytes(b"this is not a picture\n" * 20)
    found, [(code, *_)] = checked(issue, "images/bad.jpg")
    assert found is None and code == "image_corrupt"


def test_a_truncated_picture_is_refused(issue):
    data = (issue / "images/Huiyi.png").read_bytes()
    (issue / "images/cut.png").write_bytes(data[: len(data) // 2])
    _, problems = checked(issue, "images/cut.png")
    assert [p[0] for p in problems] == ["image_corrupt"]


def test_an_absurdly_large_picture_is_refused_without_decoding_it(issue):
    Image.new("L", (MAX_PIXELS_SIDE + 1, 8)).save(issue / "images/wide.png")
    _, [(code, _, _, args)] = checked(issue, "images/wide.png")
    assert code == "image_too_large" and (args["width"], args["height"]) == (MAX_PIXELS_SIDE + 1, 8)
    assert Image.MAX_IMAGE_PIXELS is not None  # Pillow's own guard is back in place afterwards
