"""Check that this tree's code builds byte for byte what a reference commit's code builds.

    python scripts/output_identity.py [--ref COMMIT] [--keep DIR] [--no-pdf-year]

Issue 11's rule for restructuring: the output (site HTML, search index, feeds, PDFs) stays identical.
This builds, in fresh folders, the sample project (this repository's bulletin.yaml and content/, every
PDF) and one generated benchmark year (bench/generate.py --years 1, every PDF unless --no-pdf-year),
once with the code of the reference commit (`git archive` of it, run from its own folder) and once with
this tree's code, then compares output/site/ and output/pdf/ file by file. Build state
(output/.bulletin/) is not output and is not compared.

The reference commit is the one recorded in tests/output_reference (the test_output_identity test reads
the same file). When a change is meant to change the output, check the new output by eye, then record
that change's commit there: `git rev-parse HEAD > tests/output_reference`.

Exit status 0 when every file is identical, 1 with the list of differing, missing and extra files.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE_FILE = REPO / "tests" / "output_reference"
COMPARED = ("site", "pdf")


def reference_commit() -> str:
    return REFERENCE_FILE.read_text(encoding="utf-8").split()[0]


def export_commit(commit: str, dest: Path) -> Path:
    """The files of `commit` (from this repository's history) unpacked into dest."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", commit], check=True, capture_output=True
    ).stdout
    tar_path = dest.parent / (dest.name + ".tar")
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(dest, filter="data")
    tar_path.unlink()
    return dest


def make_projects(code: Path, dest: Path, pdf_year: bool) -> list[tuple[Path, list[str]]]:
    """The sample project and a generated year under dest, each with the build arguments it gets."""
    sample = dest / "sample"
    sample.mkdir(parents=True)
    shutil.copy2(code / "bulletin.yaml", sample / "bulletin.yaml")
    shutil.copytree(code / "content", sample / "content", symlinks=True)
    year = dest / "year"
    subprocess.run(
        [sys.executable, str(code / "bench" / "generate.py"), str(year), "--years", "1"],
        check=True,
        capture_output=True,
    )
    return [(sample, ["--all"]), (year, ["--all"] if pdf_year else ["--all", "--no-pdf"])]


def build(code: Path, project: Path, args: list[str]) -> None:
    """`build.py --root project build ARGS` with `code` first on the import path."""
    env = dict(os.environ, PYTHONPATH=str(code), BULLETIN_LANG="zh")
    done = subprocess.run(
        [sys.executable, str(code / "build.py"), "--root", str(project), "build", *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"build of {project} with {code} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def tree_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def compare_trees(ref: Path, new: Path) -> list[str]:
    """Differences between two output folders, one line each ("" list when identical)."""
    problems: list[str] = []
    for part in COMPARED:
        a, b = ref / part, new / part
        if not a.is_dir() and not b.is_dir():
            continue
        files_a, files_b = tree_files(a) if a.is_dir() else set(), tree_files(b) if b.is_dir() else set()
        problems += [f"missing: {part}/{f}" for f in sorted(files_a - files_b)]
        problems += [f"extra:   {part}/{f}" for f in sorted(files_b - files_a)]
        for f in sorted(files_a & files_b):
            if not filecmp.cmp(a / f, b / f, shallow=False):
                problems.append(f"differs: {part}/{f}")
    return problems


def compare(ref_commit: str, work: Path, pdf_year: bool = True) -> dict[str, list[str]]:
    """Build both projects with the reference commit's code and with this tree's; differences per project."""
    ref_code = export_commit(ref_commit, work / "ref-code")
    results: dict[str, list[str]] = {}
    ref_projects = make_projects(ref_code, work / "ref", pdf_year)
    new_projects = make_projects(REPO, work / "new", pdf_year)
    for (ref_project, args), (new_project, _) in zip(ref_projects, new_projects, strict=True):
        build(ref_code, ref_project, args)
        build(REPO, new_project, args)
        results[ref_project.name] = compare_trees(ref_project / "output", new_project / "output")
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ref", help="reference commit (default: the one in tests/output_reference)")
    ap.add_argument("--keep", type=Path, help="build in this (new) folder and keep it")
    ap.add_argument("--no-pdf-year", action="store_true", help="the generated year without its 24 PDFs")
    opts = ap.parse_args(argv)
    ref = opts.ref or reference_commit()
    work = opts.keep or Path(tempfile.mkdtemp(prefix="output-identity-"))
    try:
        results = compare(ref, work, pdf_year=not opts.no_pdf_year)
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)
    bad = False
    for name, problems in results.items():
        print(f"{name}: {'identical' if not problems else f'{len(problems)} difference(s)'}")
        for line in problems[:50]:
            print("  " + line)
        bad = bad or bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
