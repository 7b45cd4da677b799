"""bulletin/desk/articles.py: reading, saving with a version check, creating, previewing, pictures."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest

from bulletin import messages
from bulletin.desk import articles
from bulletin.desk.errors import DeskError, EditConflict, Editor

ED = Editor("wang", "王编辑", "editor")
KAIJU = "content/2026/01/kaiju.md"


def _png(w=20, h=10, fmt="PNG") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def test_read_article(project):
    doc = articles.read_article(project, KAIJU)
    assert doc.front["title"] == "凝心聚力开新局"
    assert list(doc.front) == ["title", "subtitle", "section", "authors", "tags"]
    assert doc.body.startswith("新的一年开始了")
    assert doc.version == articles.current_version(project, KAIJU)


def test_save_changes_only_the_changed_lines(project):
    path = project / KAIJU
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "authors: 王明远",
            "authors: 王明远   # 作者\n# order: 1   # 可选：在栏目中的顺序\nsummary: '原摘要'",
        ),
        encoding="utf-8",
    )
    doc = articles.read_article(project, KAIJU)
    front = dict(doc.front)
    front["title"] = "新的标题"
    front["order"] = 3
    del front["summary"]  # a key the form does not send is kept as it is
    new_version = articles.save_article(
        project, KAIJU, front, doc.body + "\n新段落。\n", expected_version=doc.version, user=ED
    )
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[:8] == [
        "---",
        "title: 新的标题",
        "subtitle: ——在常委会党组会议上的讲话",
        "section: feature",
        "authors: 王明远   # 作者",  # untouched: its comment kept
        "order: 3",  # in the place of its commented example
        "summary: '原摘要'",  # untouched: quotes kept
        "tags: [代表工作]",
    ]
    assert text.endswith("新段落。\n")
    assert new_version == articles.current_version(project, KAIJU)


def test_none_or_empty_removes_a_key(project):
    doc = articles.read_article(project, KAIJU)
    front = dict(doc.front, subtitle="", tags=None)
    articles.save_article(project, KAIJU, front, doc.body, expected_version=doc.version, user=ED)
    text = (project / KAIJU).read_text(encoding="utf-8")
    assert "subtitle" not in text and "tags" not in text and "authors: 王明远" in text


def test_conflict_writes_nothing_and_carries_both_texts(project):
    doc = articles.read_article(project, KAIJU)
    path = project / KAIJU
    hand = path.read_text(encoding="utf-8").replace("第一段", "第一段（手工修改）")
    path.write_text(hand, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(EditConflict) as exc:
        articles.save_article(
            project, KAIJU, dict(doc.front, title="我的标题"), doc.body, expected_version=doc.version, user=ED
        )
    assert path.read_bytes() == before
    assert "我的标题" in exc.value.mine and "手工修改" in exc.value.theirs
    assert exc.value.theirs_version == articles.current_version(project, KAIJU)
    assert not (project / ".desk" / "history").exists()


def test_two_saves_from_the_same_version_one_wins(project):
    doc = articles.read_article(project, KAIJU)
    results = []

    def save(title):
        try:
            articles.save_article(
                project, KAIJU, dict(doc.front, title=title), doc.body, expected_version=doc.version, user=ED
            )
            results.append(title)
        except EditConflict:
            results.append("conflict")

    threads = [threading.Thread(target=save, args=(t,)) for t in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("conflict") == 1
    won = [r for r in results if r != "conflict"][0]
    assert f"title: {won}" in (project / KAIJU).read_text(encoding="utf-8")


def test_bad_value_is_refused_naming_the_field(project):
    doc = articles.read_article(project, KAIJU)
    before = (project / KAIJU).read_bytes()
    for front, word in (
        (dict(doc.front, section="nosuch"), "nosuch"),
        (dict(doc.front, order=5000), "order"),
        (dict(doc.front, byline_mark="X"), "byline_mark"),
    ):
        with pytest.raises(DeskError) as exc:
            articles.save_article(project, KAIJU, front, doc.body, expected_version=doc.version, user=ED)
        assert word in str(exc.value) and KAIJU in str(exc.value)
    with pytest.raises(DeskError):
        articles.save_article(
            project, KAIJU, dict(doc.front, colour="red"), doc.body, expected_version=doc.version, user=ED
        )
    with pytest.raises(DeskError):  # a picture that is not there
        articles.save_article(
            project,
            KAIJU,
            doc.front,
            doc.body + "\n![x](images/nope.png)\n",
            expected_version=doc.version,
            user=ED,
        )
    assert (project / KAIJU).read_bytes() == before


def test_refusal_in_english(project):
    doc = articles.read_article(project, KAIJU)
    messages.set_language("en")
    try:
        with pytest.raises(DeskError) as exc:
            articles.save_article(
                project,
                KAIJU,
                dict(doc.front, section="nosuch"),
                doc.body,
                expected_version=doc.version,
                user=ED,
            )
        assert "section" in str(exc.value) and "栏目" not in str(exc.value).split("(")[0]
    finally:
        messages.set_language("zh")


def test_crlf_and_bom_are_kept(project):
    path = project / KAIJU
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    doc = articles.read_article(project, KAIJU)
    articles.save_article(
        project, KAIJU, dict(doc.front, title="换行"), doc.body, expected_version=doc.version, user=ED
    )
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\ntitle: \xe6\x8d\xa2\xe8\xa1\x8c\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_front_matter_values_that_need_quotes(project):
    doc = articles.read_article(project, KAIJU)
    front = dict(doc.front, title="标题: 带冒号 # 和井号", authors=["张三", "李四, 王五"], subtitle="多\n行")
    articles.save_article(project, KAIJU, front, doc.body, expected_version=doc.version, user=ED)
    again = articles.read_article(project, KAIJU)
    assert again.front["title"] == "标题: 带冒号 # 和井号"
    assert again.front["authors"] == ["张三", "李四, 王五"]


def test_huge_body_is_refused(project):
    doc = articles.read_article(project, KAIJU)
    with pytest.raises(DeskError):
        articles.save_article(
            project, KAIJU, doc.front, "字" * 1_000_000, expected_version=doc.version, user=ED
        )


def test_save_outside_is_refused(project):
    for bad in ("../bulletin.yaml", "content/2026/01/../../../bulletin.yaml", "/etc/passwd", "bulletin.yaml"):
        with pytest.raises(DeskError):
            articles.save_article(project, bad, {"title": "x"}, "x", expected_version="0", user=ED)
        with pytest.raises(DeskError):
            articles.read_article(project, bad)


def test_save_records_a_backup(project):
    doc = articles.read_article(project, KAIJU)
    articles.save_article(
        project, KAIJU, dict(doc.front, title="改一"), doc.body, expected_version=doc.version, user=ED
    )
    from bulletin.desk import history

    revs = history.article_history(project, KAIJU)
    assert [r.who for r in revs] == ["王编辑", ""]
    assert "凝心聚力开新局" in history.revision_text(project, KAIJU, revs[1].id)
    assert "改一" in history.revision_text(project, KAIJU, revs[0].id)


def test_create_article_numbers_like_new_article(project):
    rel = articles.create_article(project, "2026-01", "news", "代表联络站建设", user=ED)
    assert rel == "content/2026/01/daibiao-lianluozhan.md"
    assert "section: news" in (project / rel).read_text(encoding="utf-8")
    rel2 = articles.create_article(project, "2026-01", "news", "代表联络站建设情况", user=ED)
    assert rel2 != rel
    with pytest.raises(DeskError):  # the same title twice
        articles.create_article(project, "2026-01", "news", "代表联络站建设", user=ED)
    with pytest.raises(DeskError):
        articles.create_article(project, "2026-01", "nosuch", "标题", user=ED)
    with pytest.raises(DeskError):
        articles.create_article(project, "../2026-01", "news", "标题", user=ED)


def test_preview_shows_unsaved_text_with_css(project):
    doc = articles.read_article(project, KAIJU)
    before = (project / KAIJU).read_bytes()
    html = articles.preview_html(
        project, KAIJU, dict(doc.front, title="预览标题"), doc.body + "\n**新加的话**\n"
    )
    assert "预览标题" in html and "<strong>新加的话</strong>" in html
    assert "<style>" in html and 'href="../../static/style.css"' not in html
    assert 'src="images/huiyi.png"' in html
    assert (project / KAIJU).read_bytes() == before
    with pytest.raises(DeskError):
        articles.preview_html(project, KAIJU, dict(doc.front, section="x"), doc.body)


def test_preview_asset(project):
    p = articles.preview_asset(project, KAIJU, "images/huiyi.png")
    assert p == project / "content/2026/01/images/huiyi.png"
    for bad in (
        "../../2025/24/nianzhong.md",
        "/etc/passwd",
        "images/../../../../bulletin.yaml",
        "images/x.png",
    ):
        with pytest.raises(DeskError):
            articles.preview_asset(project, KAIJU, bad)


def test_save_image(project):
    name = articles.save_image(project, KAIJU, "会场 照片.PNG", _png(), user=ED)
    assert name == "images/hui-chang-zhao-pian.png"
    assert (project / "content/2026/01" / name).read_bytes() == _png()
    again = articles.save_image(project, KAIJU, "会场 照片.png", _png(), user=ED)
    assert again == "images/hui-chang-zhao-pian-2.png"
    jpg = articles.save_image(project, KAIJU, "photo.png", _png(fmt="JPEG"), user=ED)
    assert jpg == "images/photo.jpg"  # the type from the bytes, not the name


@pytest.mark.parametrize(
    "name", ["../../../evil.png", "..\\..\\evil.png", "/etc/evil.png", "a\x00b.png", "C:\\Windows\\evil.png"]
)
def test_save_image_names_cannot_get_out(project, name):
    stored = articles.save_image(project, KAIJU, name, _png(), user=ED)
    assert stored.startswith("images/") and "/" not in stored[7:] and ".." not in stored
    assert (project / "content/2026/01" / stored).is_file()


def test_save_image_refuses_what_is_not_a_picture(project):
    for data in (b"MZ\x90\x00" + b"\x00" * 100, b"", b"<svg xmlns='http://www.w3.org/2000/svg'/>"):
        with pytest.raises(DeskError):
            articles.save_image(project, KAIJU, "x.png", data, user=ED)
    buf = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (4, 4)).save(buf, "BMP")
    with pytest.raises(DeskError):
        articles.save_image(project, KAIJU, "x.bmp", buf.getvalue(), user=ED)
    with pytest.raises(DeskError):
        articles.save_image(
            project, KAIJU, "big.png", b"\x89PNG" + b"\x00" * (articles.MAX_IMAGE_BYTES + 1), user=ED
        )
    assert sorted(p.name for p in (project / "content/2026/01/images").iterdir()) == ["huiyi.png"]


def test_save_image_for_a_linked_images_folder_is_refused(project, tmp_path):
    (tmp_path / "out").mkdir()
    folder = project / "content/2025/24"
    (folder / "images").symlink_to(tmp_path / "out")
    with pytest.raises(DeskError):
        articles.save_image(project, "content/2025/24/nianzhong.md", "a.png", _png(), user=ED)
    assert list((tmp_path / "out").iterdir()) == []


def test_paths_are_paths(project):
    assert isinstance(articles.preview_asset(project, KAIJU, "images/huiyi.png"), Path)


def test_form_text_is_read_as_the_fields_kind(project):
    doc = articles.read_article(project, KAIJU)
    front = dict(doc.front, order="4", authors="张三，李四、王五", draft="false")
    articles.save_article(project, KAIJU, front, doc.body, expected_version=doc.version, user=ED)
    text = (project / KAIJU).read_text(encoding="utf-8")
    assert "order: 4\n" in text and "authors: [张三, 李四, 王五]" in text and "draft: false" in text


@pytest.mark.parametrize(
    "front_change, body_add",
    [
        ({"title": "标题\x00"}, ""),
        ({"title": "标题\u202e"}, ""),
        ({}, "正文\x00里有空字符"),
        ({"title": "x" * 20000}, ""),
        ({"title\x00": "x"}, ""),
        ({"../order": 1}, ""),
        ({"order": "１" * 5000}, ""),
        ({"tags": [{"a": 1}]}, ""),
        ({"title": {"nested": "x"}}, ""),
    ],
)
def test_attacks_on_save_write_nothing(project, front_change, body_add):
    doc = articles.read_article(project, KAIJU)
    before = (project / KAIJU).read_bytes()
    with pytest.raises(DeskError):
        articles.save_article(
            project,
            KAIJU,
            dict(doc.front, **front_change),
            doc.body + body_add,
            expected_version=doc.version,
            user=ED,
        )
    assert (project / KAIJU).read_bytes() == before


def test_a_body_that_opens_front_matter_again_stays_body(project):
    doc = articles.read_article(project, KAIJU)
    body = "---\ntitle: 偷换\nsection: news\n---\n正文\n"
    articles.save_article(project, KAIJU, doc.front, body, expected_version=doc.version, user=ED)
    again = articles.read_article(project, KAIJU)
    assert again.front["title"] == doc.front["title"] and again.body == body


def test_disk_full_is_a_desk_error_and_the_file_stays(project, monkeypatch):
    import os as _os

    doc = articles.read_article(project, KAIJU)
    before = (project / KAIJU).read_bytes()
    real = _os.replace

    def full(src, dst):
        if str(dst).endswith("kaiju.md"):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(_os, "replace", full)
    with pytest.raises(DeskError) as exc:
        articles.save_article(
            project, KAIJU, dict(doc.front, title="满了"), doc.body, expected_version=doc.version, user=ED
        )
    assert "No space" in str(exc.value)
    assert (project / KAIJU).read_bytes() == before


def test_preview_asset_through_a_link_out_is_refused(project, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(_png())
    (project / "content/2026/01/images/leak.png").symlink_to(secret)
    with pytest.raises(DeskError):
        articles.preview_asset(project, KAIJU, "images/leak.png")


def test_create_article_with_a_path_for_a_title(project):
    rel = articles.create_article(project, "2026-01", "news", "../../../etc/passwd", user=ED)
    assert rel.startswith("content/2026/01/") and rel.count("/") == 3 and ".." not in rel
