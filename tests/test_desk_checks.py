"""bulletin/desk/checks.py: `bulletin check` for one issue; `bulletin fix` for one article."""

from __future__ import annotations

import pytest

from bulletin import messages
from bulletin.build import check
from bulletin.desk import checks
from bulletin.desk.errors import DeskError, EditConflict, Editor

ED = Editor("wang", "王编辑", "editor")
KAIJU = "content/2026/01/kaiju.md"


def _halfwidth(project):
    p = project / KAIJU
    p.write_text(p.read_text(encoding="utf-8").replace("这是第一段，", "这是第一段,"), encoding="utf-8")


def test_findings_are_those_of_bulletin_check_for_the_issue(project):
    _halfwidth(project)
    shi = project / "content/2026/01/shi.md"
    shi.write_text(
        shi.read_text(encoding="utf-8").replace("section: poetry", "section: poety"), encoding="utf-8"
    )
    old = project / "content/2025/24/nianzhong.md"
    old.write_text(old.read_text(encoding="utf-8").replace("section:", "sektion:", 1), encoding="utf-8")
    found = checks.check_issue(project, "2026-01")
    _a, report = check(project)
    expected = {(d.file, d.line, d.code) for d in report.items if d.file.startswith("content/2026/01/")}
    assert {(f.relpath, f.line, f.kind) for f in found} == expected
    assert found[0].severity == "error" and found[0].relpath == "content/2026/01/shi.md"
    assert "poety" in found[0].message and found[0].hint
    assert any(f.kind == "punct_halfwidth" and f.relpath == KAIJU for f in found)
    assert not any(f.relpath.startswith("content/2025/") for f in found)


def test_findings_in_english(project):
    _halfwidth(project)
    messages.set_language("en")
    try:
        found = checks.check_issue(project, "2026-01")
    finally:
        messages.set_language("zh")
    assert any(
        "half-width" in f.message.lower() or "," in f.message for f in found if f.kind == "punct_halfwidth"
    )


def test_check_uses_the_load_cache(project):
    checks.check_issue(project, "2026-01")
    assert (project / "output" / ".bulletin").is_dir()


def test_punctuation_changes_and_apply(project):
    _halfwidth(project)
    change = checks.punctuation_changes(project, KAIJU)
    assert "-新的一年" in change.diff and "+新的一年" in change.diff and change.count == 1
    assert "这是第一段，" in change.new_text
    v = checks.apply_punctuation(project, KAIJU, expected_version=change.version, user=ED)
    assert (project / KAIJU).read_text(encoding="utf-8") == change.new_text
    assert v != change.version
    assert not [f for f in checks.check_issue(project, "2026-01") if f.kind == "punct_halfwidth"]


def test_apply_refuses_a_changed_file(project):
    _halfwidth(project)
    change = checks.punctuation_changes(project, KAIJU)
    p = project / KAIJU
    p.write_text(p.read_text(encoding="utf-8") + "\n又改了\n", encoding="utf-8")
    before = p.read_bytes()
    with pytest.raises(EditConflict):
        checks.apply_punctuation(project, KAIJU, expected_version=change.version, user=ED)
    assert p.read_bytes() == before


def test_paths_are_checked(project):
    for bad in ("../bulletin.yaml", "/etc/passwd", "content/2026/01/issue.yaml"):
        with pytest.raises(DeskError):
            checks.punctuation_changes(project, bad)
    with pytest.raises(DeskError):
        checks.check_issue(project, "../../2026-01")
