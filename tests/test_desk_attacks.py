"""Attacks on `bulletin desk` through Flask's test client, each one a hole found and closed: the test
fails without its fix."""

from __future__ import annotations

import re

import pytest

from bulletin.desk import accounts
from bulletin.desk.app import create_app
from bulletin.desk.articles import read_article

ARTICLE = "content/2026/01/kaiju.md"


@pytest.fixture
def app(project):
    accounts.add_user(project, "wang", "editor", "editor-pass-1", "王晓明")
    return create_app(project)


def token(c, path="/login") -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', c.get(path).get_data(as_text=True)).group(1)


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/ \t/x"])
def test_login_next_with_control_characters_is_no_open_redirect(app, target):
    # a browser drops tabs and line breaks from a URL: "/<TAB>/evil.example" is "//evil.example"
    c = app.test_client()
    r = c.post(
        "/login", data={"name": "wang", "password": "editor-pass-1", "csrf_token": token(c), "next": target}
    )
    assert r.status_code == 302
    location = r.headers["Location"]
    assert not location.startswith("//") and "evil" not in location and location == "/"


def _article_form(c) -> dict:
    import html

    page = c.get(f"/articles/{ARTICLE}").get_data(as_text=True)
    fields = {
        k: html.unescape(v) for k, v in re.findall(r'<input id="f-\w+" name="(\w+)" value="([^"]*)"', page)
    }
    fields["section"] = re.search(r'<option value="([^"]+)" selected>', page).group(1)
    fields["body"] = html.unescape(
        re.search(r'<textarea id="f-body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    ).removeprefix("\n")
    fields["version"] = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    fields["csrf_token"] = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    return fields


@pytest.mark.parametrize("authors", ["张三]", "李四}", "王五]、赵六{", "a] #b"])
def test_list_field_with_closing_bracket_is_saved_as_typed(app, project, authors):
    # a plain scalar that reads back in `key: value` may end a [flow list] early: "[张三]]" was written,
    # and the save refused with a YAML error about the desk's own line
    c = app.test_client()
    c.post("/login", data={"name": "wang", "password": "editor-pass-1", "csrf_token": token(c)})
    f = _article_form(c)
    f["authors"] = authors
    r = c.post(f"/articles/{ARTICLE}", data=f)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert read_article(project, ARTICLE).front["authors"] == re.split("、", authors)


@pytest.mark.parametrize("title", ["第一行\x85第二行", "甲\u2028乙", "丙\u2029丁", "x\x85order: 9"])
def test_title_with_a_unicode_line_break_is_saved_as_typed(app, project, title):
    # NEL (U+0085, pasted from old Word files) inside a double-quoted YAML string is a line break that
    # YAML folds into a space: the title was silently changed on save
    c = app.test_client()
    c.post("/login", data={"name": "wang", "password": "editor-pass-1", "csrf_token": token(c)})
    f = _article_form(c)
    f["title"] = title
    r = c.post(f"/articles/{ARTICLE}", data=f)
    assert r.status_code == 302
    front = read_article(project, ARTICLE).front
    assert front["title"] == title and "order" not in front


def test_a_draft_saved_or_image_uploaded_right_after_approval_withdraws_it(project):
    # approved_at is kept to the second and a change is found by mtime > approved_at + 1 s: an article
    # added from a draft (or an image uploaded) in the seconds after the 主编 approved left the approval
    # standing, and the final PDF could be built with an article nobody approved
    from test_desk_imports import manuscript

    from bulletin.desk import approval, imports
    from bulletin.desk.articles import save_image
    from bulletin.desk.errors import Editor

    chief, editor = Editor("li", "李主编", "chief"), Editor("wang", "王编辑", "editor")
    folder = project / "content/2026/01"
    draft = imports.import_docx(project, "2026-01", "a.docx", manuscript(), section_key="news", user=editor)
    approval.set_approval(project, folder, chief)
    imports.save_draft(project, draft.id, dict(draft.front), draft.body, user=editor)
    assert approval.read_approval(folder) is None
    approval.set_approval(project, folder, chief)
    png = (folder / "images/huiyi.png").read_bytes()
    save_image(project, ARTICLE, "new.png", png, user=editor)
    assert approval.read_approval(folder) is None
