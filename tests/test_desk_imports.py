"""bulletin/desk/imports.py: Word uploads → drafts → articles, and uploads that try something."""

from __future__ import annotations

import io
import json

import docx
import pytest
from PIL import Image

from bulletin.desk import imports, issues
from bulletin.desk.errors import DeskError, Editor

ED = Editor("wang", "王编辑", "editor")


def manuscript(title="加强代表联络站建设", *, picture=True, column=None) -> bytes:
    d = docx.Document()
    if column:
        d.add_paragraph(column)
    d.add_paragraph(title, style="Title")
    d.add_paragraph("——在全市代表工作会议上的发言")
    d.add_paragraph("■ 张晓明")
    d.add_paragraph("　　联络站是代表联系群众的桥梁，今年全市新建联络站十二个。")
    if picture:
        buf = io.BytesIO()
        Image.new("RGB", (80, 50), (30, 90, 160)).save(buf, "PNG")
        buf.seek(0)
        d.add_picture(buf)
        d.add_paragraph("联络站接待群众", style="Caption")
    d.add_paragraph("　　下一步，我们将继续完善制度。")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_import_makes_a_draft_with_what_was_recognised(project):
    draft = imports.import_docx(project, "2026-01", "发言稿.docx", manuscript(), section_key="news", user=ED)
    assert draft.recognised["title"] == "加强代表联络站建设"
    assert draft.recognised["subtitle"] == "——在全市代表工作会议上的发言"
    assert draft.recognised["authors"] == ["张晓明"] or draft.recognised["authors"] == "张晓明"
    assert draft.front["section"] == "news"
    assert len(draft.images) == 1 and draft.images[0] in draft.body
    assert draft.notes  # what was found
    # nothing in the issue yet
    assert sorted(p.name for p in (project / "content/2026/01").glob("*.md")) == ["kaiju.md", "shi.md"]
    again = imports.load_draft(project, draft.id)
    assert again.body == draft.body and again.recognised == draft.recognised
    assert [d.id for d in imports.list_drafts(project, "2026-01")] == [draft.id]


def test_save_draft_with_the_form_values(project):
    draft = imports.import_docx(project, "2026-01", "发言稿.docx", manuscript(), section_key="news", user=ED)
    front = dict(draft.front, title="联络站建设的新进展", authors=["张晓明", "李华"])
    rel = imports.save_draft(project, draft.id, front, draft.body, user=ED)
    text = (project / rel).read_text(encoding="utf-8")
    assert "title: 联络站建设的新进展" in text and "李华" in text
    imgs = sorted(p.name for p in (project / "content/2026/01/images").iterdir())
    stem = rel.rsplit("/", 1)[1][:-3]
    assert f"{stem}-1.png" in imgs and f"images/{stem}-1.png" in text
    assert not (project / ".desk/drafts" / draft.id).exists()
    detail = issues.issue_detail(project, "2026-01")
    assert rel in [a.relpath for a in detail.sections[1].articles]
    with pytest.raises(DeskError):
        imports.load_draft(project, draft.id)


def test_two_uploads_of_the_same_title_do_not_overwrite(project):
    a = imports.import_docx(project, "2026-01", "a.docx", manuscript(), section_key="news", user=ED)
    b = imports.import_docx(project, "2026-01", "b.docx", manuscript(), section_key="news", user=ED)
    ra = imports.save_draft(project, a.id, a.front, a.body, user=ED)
    with pytest.raises(DeskError):  # the same title twice in an issue: as `bulletin import` refuses it
        imports.save_draft(project, b.id, b.front, b.body, user=ED)
    rb = imports.save_draft(project, b.id, dict(b.front, title="另一个标题"), b.body, user=ED)
    assert ra != rb
    pics = sorted(p.name for p in (project / "content/2026/01/images").iterdir())
    assert len(pics) == 3  # huiyi.png and one for each


def test_no_section_shown_takes_the_first_with_a_note(project):
    draft = imports.import_docx(project, "2026-01", "x.docx", manuscript(picture=False), user=ED)
    assert draft.front["section"] == "feature"
    assert any("feature" in n for n in draft.notes)


def test_section_from_the_column_line(project):
    draft = imports.import_docx(project, "2026-01", "x.docx", manuscript(column="工作动态"), user=ED)
    assert draft.front["section"] == "news"


def test_bad_form_values_keep_the_draft(project):
    draft = imports.import_docx(project, "2026-01", "x.docx", manuscript(), section_key="news", user=ED)
    with pytest.raises(DeskError):
        imports.save_draft(project, draft.id, dict(draft.front, section="nosuch"), draft.body, user=ED)
    assert imports.load_draft(project, draft.id).id == draft.id
    assert sorted(p.name for p in (project / "content/2026/01/images").iterdir()) == ["huiyi.png"]


def test_discard(project):
    draft = imports.import_docx(project, "2026-01", "x.docx", manuscript(), section_key="news", user=ED)
    imports.discard_draft(project, draft.id)
    assert not (project / ".desk/drafts" / draft.id).exists()


def test_exe_renamed_docx_is_refused(project):
    with pytest.raises(DeskError) as exc:
        imports.import_docx(project, "2026-01", "setup.docx", b"MZ\x90\x00" + b"\x00" * 4000, user=ED)
    assert "setup.docx" in str(exc.value)
    assert not (project / ".desk/drafts").exists() or not list((project / ".desk/drafts").iterdir())


def test_a_zip_that_is_not_word_is_refused(project):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(DeskError):
        imports.import_docx(project, "2026-01", "x.docx", buf.getvalue(), user=ED)
    assert list((project / ".desk/drafts").iterdir()) == []  # nothing left of the refused upload


def test_50_mb_is_refused(project):
    with pytest.raises(DeskError) as exc:
        imports.import_docx(
            project, "2026-01", "big.docx", b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024), user=ED
        )
    assert "MB" in str(exc.value)


def test_old_word_format_is_refused(project):
    with pytest.raises(DeskError):
        imports.import_docx(project, "2026-01", "old.doc", manuscript(), user=ED)


@pytest.mark.parametrize(
    "name",
    ["../../../../etc/passwd.docx", "..\\..\\evil.docx", "/tmp/evil.docx", "a\x00b.docx", "CON.docx", ""],
)
def test_traversal_names_stay_inside_the_draft(project, tmp_path, name):
    draft = imports.import_docx(project, "2026-01", name, manuscript(), section_key="news", user=ED)
    folder = project / ".desk/drafts" / draft.id
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(folder.resolve()) for p in files)
    assert "/" not in draft.filename and "\x00" not in draft.filename
    assert not (tmp_path / "evil.docx").exists()


@pytest.mark.parametrize("bad", ["../../bulletin", "..", "a/b", "", "x" * 100, None, "20260101-abc\x00"])
def test_draft_ids_are_checked(project, bad):
    for f in (imports.load_draft, imports.discard_draft):
        with pytest.raises(DeskError):
            f(project, bad)
    with pytest.raises(DeskError):
        imports.save_draft(project, bad, {}, "", user=ED)


def test_a_tampered_draft_record_cannot_point_outside(project):
    draft = imports.import_docx(project, "2026-01", "x.docx", manuscript(), section_key="news", user=ED)
    meta_path = project / ".desk/drafts" / draft.id / "draft.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["article"] = "../../../../../../bulletin.yaml"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DeskError):
        imports.load_draft(project, draft.id)


def test_unknown_issue_or_section(project):
    with pytest.raises(DeskError):
        imports.import_docx(project, "2031-01", "x.docx", manuscript(), user=ED)
    with pytest.raises(DeskError):
        imports.import_docx(project, "2026-01", "x.docx", manuscript(), section_key="nosuch", user=ED)
