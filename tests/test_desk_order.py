"""bulletin/desk/order.py: the dragged order written as `order:` (and `section:`) lines only."""

from __future__ import annotations

import pytest

from bulletin.desk import articles, issues, order
from bulletin.desk.errors import DeskError, EditConflict, Editor

ED = Editor("wang", "王编辑", "editor")


@pytest.fixture
def news(project):
    for name in ("a", "b", "c"):
        text = (
            f"---\ntitle: 文章{name}   # 标题\nsection: news          # 工作动态\nauthors: [张三]\n"
            f"# order: 1                # 可选\n---\n正文{name}。\n"
        )
        (project / f"content/2026/01/{name}.md").write_text(text, encoding="utf-8")
    return project


def rel(n):
    return f"content/2026/01/{n}.md"


def test_reorder_writes_only_order_lines(news):
    before = {n: (news / rel(n)).read_text(encoding="utf-8") for n in "abc"}
    written = order.reorder(news, "2026-01", [("news", [rel("c"), rel("a"), rel("b")])], user=ED)
    assert sorted(written) == [rel("a"), rel("b"), rel("c")]
    for n, pos in (("c", 1), ("a", 2), ("b", 3)):
        after = (news / rel(n)).read_text(encoding="utf-8")
        old_lines, new_lines = before[n].split("\n"), after.split("\n")
        diff = [(o, w) for o, w in zip(old_lines, new_lines, strict=True) if o != w]
        assert diff == [("# order: 1                # 可选", f"order: {pos}")]
    got = issues.issue_detail(news, "2026-01").sections[1].articles
    assert [a.relpath for a in got] == [rel("c"), rel("a"), rel("b")]


def test_moving_to_another_section_writes_section(news):
    order.reorder(
        news,
        "2026-01",
        [("news", [rel("a"), rel("c")]), ("feature", [rel("b"), "content/2026/01/kaiju.md"])],
        user=ED,
    )
    text = (news / rel("b")).read_text(encoding="utf-8")
    assert "section: feature" in text and "title: 文章b   # 标题" in text and "order: 1" in text
    d = issues.issue_detail(news, "2026-01")
    assert [a.relpath for a in d.sections[0].articles] == [rel("b"), "content/2026/01/kaiju.md"]


def test_nothing_changed_writes_nothing(news):
    order.reorder(news, "2026-01", [("news", [rel("a"), rel("b"), rel("c")])], user=ED)
    assert order.reorder(news, "2026-01", [("news", [rel("a"), rel("b"), rel("c")])], user=ED) == []


def test_an_incomplete_section_is_refused(news):
    before = (news / rel("a")).read_bytes()
    with pytest.raises(DeskError):
        order.reorder(news, "2026-01", [("news", [rel("a"), rel("b")])], user=ED)
    assert (news / rel("a")).read_bytes() == before


@pytest.mark.parametrize(
    "layout",
    [
        [("news", ["content/2025/24/nianzhong.md", rel("a"), rel("b"), rel("c")])],  # another issue
        [("news", [rel("a"), rel("a"), rel("b"), rel("c")])],
        [("nosuch", [rel("a")])],
        [("news", ["../../bulletin.yaml"])],
        [("news", ["content/2026/01/../../2025/24/nianzhong.md"])],
        "news",
        [("news",)],
        [("news", rel("a"))],
    ],
)
def test_bad_layouts_are_refused(news, layout):
    with pytest.raises(DeskError):
        order.reorder(news, "2026-01", layout, user=ED)


def test_a_changed_article_is_a_conflict(news):
    v = articles.current_version(news, rel("a"))
    (news / rel("a")).write_text((news / rel("a")).read_text(encoding="utf-8") + "改", encoding="utf-8")
    with pytest.raises(EditConflict):
        order.reorder(
            news,
            "2026-01",
            [("news", [rel("b"), rel("a"), rel("c")])],
            user=ED,
            expected_versions={rel("a"): v},
        )
    assert "order:" not in (news / rel("b")).read_text(encoding="utf-8").replace("# order", "")


def test_crlf_file_keeps_its_line_endings(news):
    p = news / rel("a")
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    order.reorder(news, "2026-01", [("news", [rel("b"), rel("a"), rel("c")])], user=ED)
    data = p.read_bytes()
    assert b"order: 2\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_edit_front_matter_lines_keeps_the_rest():
    text = "---\ntitle: x\n...\nbody\n---\nmore\n"
    assert (
        order.edit_front_matter_lines(text, {"order": 4}) == "---\ntitle: x\norder: 4\n...\nbody\n---\nmore\n"
    )
