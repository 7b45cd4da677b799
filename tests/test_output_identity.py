"""The output is byte-identical to the reference commit's (issue 11): the sample project and a generated
benchmark year, built with the code recorded in tests/output_reference and with this tree's code, give
the same site (HTML, search index, feeds) and PDFs. scripts/output_identity.py says how to record a new
reference when a change is meant to change the output."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import output_identity  # noqa: E402

pytestmark = pytest.mark.slow


def _has_history(commit: str) -> bool:
    if shutil.which("git") is None:
        return False
    done = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", commit + "^{commit}"], capture_output=True
    )
    return done.returncode == 0


def test_output_identical_to_reference(tmp_path):
    ref = output_identity.reference_commit()
    if not _has_history(ref):
        pytest.skip(f"reference commit {ref[:10]} is not in this checkout's history")
    # the sample's PDFs and the generated year's site (its 24 PDFs would double the run: the script
    # without --no-pdf-year compares them too, before a reference is recorded)
    results = output_identity.compare(ref, tmp_path, pdf_year=False)
    assert set(results) == {"sample", "year"}
    assert results == {"sample": [], "year": []}


def test_compare_trees_reports_each_difference(tmp_path):
    """The comparison itself: a changed byte, a missing and an extra file are each reported."""
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "site" / "x").mkdir(parents=True)
        (root / "pdf").mkdir()
        (root / "site" / "x" / "same.html").write_bytes(b"<p>1</p>")
        (root / "pdf" / "2026-01.pdf").write_bytes(b"%PDF-1.7 a")
    assert output_identity.compare_trees(a, b) == []
    (b / "pdf" / "2026-01.pdf").write_bytes(b"%PDF-1.7 b")
    (a / "site" / "gone.html").write_bytes(b"")
    (b / "site" / "new.html").write_bytes(b"")
    assert output_identity.compare_trees(a, b) == [
        "missing: site/gone.html",
        "extra:   site/new.html",
        "differs: pdf/2026-01.pdf",
    ]
