"""A build of one issue on a fresh clone also makes the PDFs older issues do not have (bulletin/build.py,
MISSING_PDF_LIMIT), and says so; what it leaves without a PDF, the summary names with the command."""

from __future__ import annotations

from conftest import run_cli

from bulletin import build as build_module
from bulletin.build import BuildOptions, build


def test_building_one_issue_makes_the_missing_older_pdfs(project):
    r = run_cli("--root", str(project), "build", "2026-01")
    assert r.returncode == 0, r.stderr
    assert (project / "output" / "pdf" / "2026-01.pdf").is_file()
    assert (project / "output" / "pdf" / "2025-24.pdf").is_file()
    assert "另外生成了网站上还没有 PDF 的往期：output/pdf/2025-24.pdf" in r.stderr
    page = (project / "output" / "site" / "2025" / "24" / "index.html").read_text(encoding="utf-8")
    assert "2025-24.pdf" in page  # the older issue's page offers its PDF

    again = run_cli("--root", str(project), "build", "2026-01")
    assert again.returncode == 0 and "另外生成" not in again.stderr and "还没有 PDF" not in again.stderr


def test_site_only_build_names_the_issues_without_pdf_and_the_command(project):
    r = run_cli("--root", str(project), "build")
    assert r.returncode == 0, r.stderr
    assert not (project / "output" / "pdf" / "2025-24.pdf").exists()
    assert "以下各期还没有 PDF，网站上不显示下载：2025-24、2026-01" in r.stderr
    assert "bulletin build --all" in r.stderr
    r = run_cli("--root", str(project), "build", "--no-pdf")  # asked for no PDFs: nothing to say
    assert "还没有 PDF" not in r.stderr


def test_over_the_limit_the_rest_are_named(project, monkeypatch):
    monkeypatch.setattr(build_module, "MISSING_PDF_LIMIT", 0)
    result = build(BuildOptions(root=project, issues=("2026-01",), jobs=1))
    assert result.pdfs_rendered == ["2026-01"] and result.pdfs_missing == ["2025-24"]
    assert not (project / "output" / "pdf" / "2025-24.pdf").exists()


def test_the_preview_renders_only_the_pdf_asked_for(project):
    result = build(BuildOptions(root=project, issues=("2026-01",), jobs=1, missing_pdfs=False))
    assert result.pdfs_rendered == ["2026-01"] and result.pdfs_missing_rendered == []
    assert not (project / "output" / "pdf" / "2025-24.pdf").exists()
