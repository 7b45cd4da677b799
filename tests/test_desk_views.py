"""bulletin/desk/views.py through Flask's test client: the article editor (save, refused field, a
concurrent edit, preview), URLs that try to leave the project, images, history and served files."""

from __future__ import annotations

import html
import re

import pytest

from bulletin.desk import accounts
from bulletin.desk.app import create_app

ARTICLE = "content/2026/01/kaiju.md"


@pytest.fixture
def client(project):
    accounts.add_user(project, "wang", "editor", "editor-pass-1", "王晓明")
    accounts.add_user(project, "li", "chief", "chief-pass-1", "李主编")
    app = create_app(project)
    c = app.test_client()
    c.root = project
    login(c)
    return c


def token(c, path="/login") -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', c.get(path).get_data(as_text=True)).group(1)


def login(c, name="wang", password="editor-pass-1"):
    r = c.post("/login", data={"name": name, "password": password, "csrf_token": token(c)})
    assert r.status_code == 302


def form_of(page: str) -> dict:
    """The article form's fields as the browser would send them."""
    fields = {
        k: html.unescape(v) for k, v in re.findall(r'<input id="f-\w+" name="(\w+)" value="([^"]*)"', page)
    }
    fields["section"] = re.search(r'<option value="([^"]+)" selected>', page).group(1)
    body = html.unescape(re.search(r'<textarea id="f-body"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    fields["body"] = body.removeprefix("\n")  # the line break after <textarea> is not the text's
    fields["version"] = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    fields["csrf_token"] = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    return fields


def test_edit_and_save_an_article(client):
    page = client.get(f"/articles/{ARTICLE}").get_data(as_text=True)
    assert "凝心聚力开新局" in page and 'name="subtitle"' in page
    f = form_of(page)
    f["body"] = f["body"].replace("这是第一段", "这是改过的第一段")
    f["tags"] = "代表工作、立法工作"
    r = client.post(f"/articles/{ARTICLE}", data=f)
    assert r.status_code == 302
    text = (client.root / ARTICLE).read_text(encoding="utf-8")
    assert "这是改过的第一段" in text and "tags: [代表工作, 立法工作]" in text
    assert "authors: 王明远" in text  # an untouched key stays as it was written
    assert "已保存" in client.get(f"/articles/{ARTICLE}").get_data(as_text=True)


def test_a_wrong_value_is_named_and_nothing_is_written(client):
    before = (client.root / ARTICLE).read_bytes()
    f = form_of(client.get(f"/articles/{ARTICLE}").get_data(as_text=True))
    f["order"] = "第一"
    r = client.post(f"/articles/{ARTICLE}", data=f)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "order" in page and "flash-error" in page
    assert "has-error" in page and "第一" in page  # the editor's text is still in the form
    assert (client.root / ARTICLE).read_bytes() == before


def test_concurrent_edit_shows_both_versions_and_keeps_the_other(client):
    f = form_of(client.get(f"/articles/{ARTICLE}").get_data(as_text=True))
    path = client.root / ARTICLE
    path.write_text(
        path.read_text(encoding="utf-8").replace("这是第一段", "别人改的第一段"), encoding="utf-8"
    )
    f["body"] = f["body"].replace("这是第一段", "我改的第一段")
    r = client.post(f"/articles/{ARTICLE}", data=f)
    page = r.get_data(as_text=True)
    assert r.status_code == 409 and "保存被拒绝" in page
    assert "别人改的第一段" in page and "我改的第一段" in page
    assert "别人改的第一段" in path.read_text(encoding="utf-8")


def test_preview_follows_the_unsaved_text_and_runs_no_script(client):
    f = form_of(client.get(f"/articles/{ARTICLE}").get_data(as_text=True))
    f["body"] += "\n\n预览里的新一段。\n\n<script>alert(1)</script>\n"
    r = client.post(f"/preview/{ARTICLE}", data=f)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "预览里的新一段" in page and "<script>alert" not in page
    csp = r.headers["Content-Security-Policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp
    assert "预览里的新一段" not in (client.root / ARTICLE).read_text(encoding="utf-8")
    img = client.get("/preview/content/2026/01/images/huiyi.png")  # the picture the page names
    assert img.status_code == 200 and img.mimetype == "image/png"


def test_preview_of_a_broken_text_says_what_is_wrong(client):
    f = form_of(client.get(f"/articles/{ARTICLE}").get_data(as_text=True))
    f["title"] = ""
    r = client.post(f"/preview/{ARTICLE}", data=f)
    assert r.status_code == 200 and "title" in r.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/articles/content/../bulletin.yaml",
        "/articles/content/2026/01/..%2f..%2f..%2fbulletin.yaml",
        "/articles//etc/passwd",
        "/articles/bulletin.yaml",
        "/articles/content/2026/01/images/huiyi.png",
        "/preview/content/2026/01/outside.md",
        "/content/content/2026/01/kaiju.md",
        "/output/content/2026/01/kaiju.md",
        "/output/output/pdf/../../bulletin.yaml",
        "/site/../bulletin.yaml",
        "/articles/content/2026/01/kaiju.md/history?rev=../../../../etc/passwd",
    ],
)
def test_urls_outside_the_project_or_its_folders_are_not_found(client, url):
    r = client.get(url, follow_redirects=True)  # werkzeug turns // into / with a redirect first
    assert r.status_code == 404, url
    assert "root:" not in r.get_data(as_text=True) and "title:" not in r.get_data(as_text=True)


def test_a_link_out_of_the_project_is_not_followed(client, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: 机密\nsection: feature\n---\n机密内容\n", encoding="utf-8")
    (client.root / "content/2026/01/link.md").symlink_to(secret)
    (client.root / "output" / "pdf").mkdir(parents=True)
    (client.root / "output/pdf/x.pdf").symlink_to(secret)
    for url in (
        "/articles/content/2026/01/link.md",
        "/preview/content/2026/01/link.md",
        "/output/output/pdf/x.pdf",
    ):
        r = client.get(url)
        assert r.status_code == 404 and "机密内容" not in r.get_data(as_text=True), url


def test_pdfs_are_served_from_the_output_folders_only(client):
    (client.root / "output" / "proof").mkdir(parents=True)
    (client.root / "output/proof/2026-01.pdf").write_bytes(b"%PDF-1.7\n")
    r = client.get("/output/output/proof/2026-01.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    (client.root / "content/2026/01/a.pdf").write_bytes(b"%PDF-1.7\n")
    assert client.get("/output/content/2026/01/a.pdf").status_code == 404


def test_image_upload_checks_the_type(client):
    from io import BytesIO

    from PIL import Image

    tok = token(client, f"/articles/{ARTICLE}")

    def send(data: bytes, name: str):
        form = {"csrf_token": tok, "image": (BytesIO(data), name)}
        url = f"/articles/{ARTICLE}/image"
        return client.post(url, data=form, content_type="multipart/form-data", follow_redirects=True)

    assert "flash-error" in send(b"MZ\x90\x00" * 100, "照片.png").get_data(as_text=True)  # a program renamed
    buf = BytesIO()
    Image.new("RGB", (800, 600), "#3366aa").save(buf, "PNG")
    r = send(buf.getvalue(), "../../会场 照片.png")
    page = r.get_data(as_text=True)
    name = re.search(r"!\[图片说明\]\(([^)]+)\)", page).group(1)
    assert ".." not in name and (client.root / "content/2026/01" / name).is_file()


def test_history_lists_each_save(client):
    f = form_of(client.get(f"/articles/{ARTICLE}").get_data(as_text=True))
    f["body"] += "\n第二版。\n"
    client.post(f"/articles/{ARTICLE}", data=f)
    page = client.get(f"/articles/{ARTICLE}/history").get_data(as_text=True)
    assert "王晓明" in page
    rev = re.search(r"history\?rev=([^\"&]+)", page).group(1)
    shown = client.get(f"/articles/{ARTICLE}/history?rev={rev}").get_data(as_text=True)
    assert "第二版" in shown


def test_a_save_changes_only_what_the_editor_changed(client):
    """The form lists sections by id and the browser drops a line break right after <textarea>: neither
    may change the file when the editor changed nothing."""
    path = client.root / ARTICLE
    text = path.read_text(encoding="utf-8")
    text = text.replace("section: feature", "section: 特别关注").replace("---\n新的一年", "---\n\n新的一年")
    path.write_text(text, encoding="utf-8")
    f = form_of(client.get(f"/articles/{ARTICLE}").get_data(as_text=True))
    assert f["section"] == "feature"
    assert client.post(f"/articles/{ARTICLE}", data=f).status_code == 302
    assert path.read_text(encoding="utf-8") == text


def test_issue_page_and_its_findings(client):
    path = client.root / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\n会议强调,要办好代表建议.\n", encoding="utf-8")
    page = client.get("/issues/2026-01").get_data(as_text=True)
    assert "2026年第1期 总第25期" in page and 'data-findings-url="/issues/2026-01/checks"' in page
    assert "凝心聚力开新局" in page and 'data-relpath="content/2026/01/kaiju.md"' in page
    frag = client.get("/issues/2026-01/checks", headers={"X-Desk-Fragment": "1"}).get_data(as_text=True)
    assert "<html" not in frag and "/articles/content/2026/01/kaiju.md/punctuation" in frag
    assert re.search(r'href="/articles/content/2026/01/kaiju.md\?line=\d+"', frag)
    full = client.get("/issues/2026-01/checks").get_data(as_text=True)
    assert "<html" in full and "kaiju.md" in full
    assert client.get("/issues/2026-99").status_code == 404
    assert client.get("/issues/..%2F..").status_code == 404
