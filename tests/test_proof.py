"""Proofs (校样, bulletin/print/proof.py): watermark, label and paragraph numbers on every page, never
mistakable for the print file (its own name and folder, no bleed, no crop marks, no PDF/X intent), the
proof number counted per issue from the files already there, the same pages as the final PDF."""

from __future__ import annotations

import re
import shutil

import pdfplumber
import pikepdf
import pytest
from conftest import REPO, run_cli
from test_print import make_print_project, pdf_path

from bulletin.print.proof import next_proof_number, number_paragraphs

WATERMARK_PT = 100  # the watermark is set at 150 pt, body text at 10.5


def proof(root, *args):
    return run_cli("--root", str(root), "proof", *args)


@pytest.fixture(scope="module")
def proofed(tmp_path_factory):
    """A print-ready project (PDF/X-4, crop marks, bleed) and two proofs of its issue 2026-01."""
    root = make_print_project(
        tmp_path_factory.mktemp("proof") / "proj", print_yaml="  crop_marks: true\n  pdf_variant: pdf/x-4\n"
    )
    first = proof(root, "2026-01")
    assert first.returncode == 0, first.stderr
    second = proof(root, "2026年第1期", "kaiju")  # one article, the issue named as editors write it
    assert second.returncode == 0, second.stderr
    return root, first, second


def test_proof_goes_to_its_own_folder_under_its_own_name(proofed):
    root, first, second = proofed
    folder = root / "output" / "proof"
    assert sorted(p.name for p in folder.iterdir()) == ["2026-01-kaiju-校样-2.pdf", "2026-01-校样-1.pdf"]
    assert "output/proof/2026-01-校样-1.pdf" in first.stderr and "第1次校样" in first.stderr
    assert "第2次校样" in second.stderr
    assert not (root / "output" / "pdf").exists() and not (root / "output" / "site").exists()


def test_every_page_has_the_watermark_the_label_and_paragraph_numbers(proofed):
    root, _, _ = proofed
    with pdfplumber.open(root / "output" / "proof" / "2026-01-校样-1.pdf") as pdf:
        assert len(pdf.pages) >= 2
        numbers = []
        for page in pdf.pages:
            big = "".join(c["text"] for c in page.chars if c["size"] > WATERMARK_PT)
            assert big == "校样", big
            text = page.extract_text()
            assert "第1次校样" in text and "不得付印" in text
            numbers += [int(n) for n in re.findall(r"¶(\d+)", text)]
        assert 1 in numbers and max(numbers) >= 5
    with pdfplumber.open(root / "output" / "proof" / "2026-01-kaiju-校样-2.pdf") as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
        assert "第2次校样" in text and "¶1" in text
        # one article: no blank pages for a binding, every page has text of the article
        assert all(any(10 < c["size"] < WATERMARK_PT for c in p.chars) for p in pdf.pages)


def test_proof_is_not_print_ready(proofed):
    """No bleed (every box is the page), no crop marks, no PDF/X output intent: print-ready claims only
    the final PDF makes."""
    root, _, _ = proofed
    with pikepdf.open(root / "output" / "proof" / "2026-01-校样-1.pdf") as pdf:
        assert "/OutputIntents" not in pdf.Root
        meta = pdf.open_metadata()
        assert not any("pdfx" in str(k).lower() for k in meta), list(meta)
        for page in pdf.pages:
            media = [float(x) for x in page.MediaBox]
            assert media[2] - media[0] == pytest.approx(210 * 72 / 25.4, abs=0.1)  # trim size, no bleed
            for box in ("/TrimBox", "/BleedBox"):
                if box in page.obj:
                    assert [float(x) for x in page.obj[box]] == pytest.approx(media)
    with pdfplumber.open(root / "output" / "proof" / "2026-01-校样-1.pdf") as pdf:
        for page in pdf.pages:  # crop marks are short hairlines beyond the page corners: none at all
            assert not [ln for ln in page.lines if ln["linewidth"] < 0.3 and min(ln["x0"], ln["top"]) < 1]


def test_proof_pages_are_the_final_pdf_pages(tmp_path, sample_build):
    """Reviewers' page and paragraph references must hold in the printed issue: the proof of a sample
    issue has the final PDF's pages, each with the same text (besides the proof layer), the blank pages
    for the binding too, and those carry the watermark and the label."""
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy(REPO / "bulletin.yaml", root / "bulletin.yaml")
    shutil.copytree(REPO / "content", root / "content")
    r = proof(root, "2026-02")
    assert r.returncode == 0, r.stderr

    def pages(path):
        with pdfplumber.open(path) as pdf:
            out = []
            for page in pdf.pages:
                # the proof layer's small type (¶ numbers 7 pt, the label 7.5 pt) and the watermark left
                # out, and the same small type of the final PDF (QR code captions)
                chars = [c for c in page.chars if 7.6 < c["size"] < WATERMARK_PT]
                text = re.sub(r"\s", "", "".join(c["text"] for c in chars))
                watermark = "".join(c["text"] for c in page.chars if c["size"] >= WATERMARK_PT)
                out.append((text, watermark))
            return out

    final = pages(sample_build / "output" / "pdf" / "2026-02.pdf")
    proofed = pages(root / "output" / "proof" / "2026-02-校样-1.pdf")
    assert len(final) == len(proofed) == 12
    assert ("", "") in final  # the sample has a blank page for the binding
    for (f, _), (p, watermark) in zip(final, proofed, strict=True):
        assert sorted(f) == sorted(p)  # the same characters on the page (extraction order may differ)
        assert watermark == "校样"


def test_proof_number_comes_from_the_files_there(tmp_path):
    folder = tmp_path / "proof"
    assert next_proof_number(folder, "2026-01") == 1
    folder.mkdir()
    for name in (
        "2026-01-校样-1.pdf",
        "2026-01-kaiju-校样-7.pdf",
        "2026-02-校样-9.pdf",
        "2026-01-校样-x.pdf",
    ):
        (folder / name).write_bytes(b"")
    assert next_proof_number(folder, "2026-01") == 8
    assert next_proof_number(folder, "2026-02") == 10
    assert next_proof_number(folder, "2025-24") == 1


def test_paragraphs_are_numbered_afresh_in_each_article():
    html = (
        '<article class="article cols-1" id="a-x"><header><h2 class="article-title">T</h2></header>'
        '<div class="body"><p>一</p><h2>二</h2><ul><li>三</li></ul></div></article>'
        '<article class="article cols-1" id="a-y"><div class="body"><div class="poem">'
        '<p class="stanza-no">一</p><p>诗</p></div></div></article>'
    )
    out, n = number_paragraphs(html)
    assert n == 4
    assert re.findall(r"¶(\d+)", out) == ["1", "2", "3", "1"]
    assert '<h2 class="article-title">T</h2>' in out  # the title is not numbered


def test_unknown_article_and_a_planted_link_are_refused(project, tmp_path):
    r = proof(project, "2026-01", "nosuch")
    assert r.returncode == 1 and "nosuch" in r.stderr and "kaiju" in r.stderr
    (project / "output").mkdir()
    (project / "output" / "proof").symlink_to(tmp_path)
    r = proof(project, "2026-01")
    assert r.returncode == 1 and "output/proof" in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == [project] or not any(p.suffix == ".pdf" for p in tmp_path.iterdir())


def test_site_never_links_a_proof(proofed):
    root, _, _ = proofed
    r = run_cli("--root", str(root), "build", "2026-01")
    assert r.returncode == 0, r.stderr
    assert pdf_path(root).is_file()
    pages = [p.read_text(encoding="utf-8") for p in (root / "output" / "site").rglob("*.html")]
    assert pages and not any("校样" in p or "/proof/" in p for p in pages)
    assert (root / "output" / "proof" / "2026-01-校样-1.pdf").is_file()  # the build leaves proofs alone
