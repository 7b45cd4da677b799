"""Benchmark the print PDFs: one issue start-up included, bare WeasyPrint, multi-issue pages/s, size, memory.

    python bench/pdf_bench.py [--runs 5] [--issues 8] [--jobs 0] [--keep DIR]

1. single issue: a synthetic 20-article issue (~52,000 characters, bench/generate.py) built by one
   `bulletin build 2026-01 --force` process, start-up included (what an editor waits for);
2. bare WeasyPrint: the same articles' Markdown through markdown-it-py and a minimal stylesheet (lang
   zh-CN, Noto Serif CJK SC, justified, 2em indent), rendered by a fresh process, start-up included;
   once as it comes and once importing WeasyPrint with the library lookup our print processes use
   (bulletin/print/jobs.py: one `ldconfig -p` instead of ~215 ldconfig/gcc/ld runs), so that the second
   ratio compares our work with WeasyPrint's and not that start-up saving;
3. multi-issue: `bulletin build --all --force --jobs N` over several such issues: pages per second;
4. the single issue's PDF size and peak memory (max resident set of the build process and its workers).

Medians of --runs runs. It measures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
CPU_SECONDS: list[float] = []

BARE = r"""
import glob, os, sys
if os.environ.get("BARE_LOOKUP") == "linker-cache":  # bulletin/print/jobs.py's lookup, without bulletin
    import ctypes.util, re, subprocess
    listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, env={"LC_ALL": "C"}).stdout
    abi = "libc6,x86-64" if os.uname().machine == "x86_64" else "libc6"
    def find_library(name):
        m = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), listing)
        return os.fsdecode(m.group(1)) if m else None
    ctypes.util.find_library = find_library
from markdown_it import MarkdownIt
import weasyprint
md = MarkdownIt("commonmark").enable("table")
parts = []
for f in sorted(glob.glob(sys.argv[1] + "/content/*/*/*.md")):
    text = open(f, encoding="utf-8").read()
    parts.append(md.render(text.split("\n---\n", 1)[1] if text.startswith("---") else text))
css = ('@page { size: A4; margin: 20mm } html { font-family: "Noto Serif CJK SC"; font-size: 10.5pt; '
       'line-height: 1.75 } p { text-indent: 2em; text-align: justify; margin: 0 }')
html = f'<html lang="zh-CN"><head><style>{css}</style></head><body>{"".join(parts)}</body></html>'
document = weasyprint.HTML(string=html).render()
open(sys.argv[2], "wb").write(document.write_pdf())
print(len(document.pages))
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """(wall seconds, stdout) of one run of `cmd`; its CPU seconds (user + system, the process and its
    workers) are added to CPU_SECONDS, which stays meaningful when other work shares the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    CPU_SECONDS.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return seconds, proc.stdout


def peak_rss_mb(cmd: list[str]) -> float:
    """Peak resident memory of `cmd` or of its largest worker process, in MB (RUSAGE_CHILDREN counts every
    waited-for descendant)."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PY, "-c", code, *cmd], check=True, capture_output=True, text=True).stdout
    return int(out.strip()) / 1024


def built_pages(root: Path) -> dict[str, int]:
    """Pages of each PDF, from the build's own record (output/.bulletin/manifest.json)."""
    manifest = json.loads((root / "output" / ".bulletin" / "manifest.json").read_text(encoding="utf-8"))
    return {key: info["pages"] for key, info in manifest.get("pdf", {}).items()}


def generate(out: Path, issues: int) -> None:
    gen = REPO / "bench" / "generate.py"
    subprocess.run(
        [PY, str(gen), str(out), "--years", "1", "--issues", str(issues), "--articles", "20"],
        check=True,
        capture_output=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--issues", type=int, default=8, help="issues in the multi-issue build")
    ap.add_argument("--jobs", type=int, default=0, help="worker processes (0 = cores)")
    ap.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    args = ap.parse_args()

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="pdf-bench-"))
    single, multi = tmp / "single", tmp / "multi"
    generate(single, 1)
    generate(multi, args.issues)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in (single / "content").rglob("*.md"))
    build = [PY, str(REPO / "build.py"), "--root"]

    # warm the file system cache and the build's own state once, untimed
    subprocess.run([*build, str(single), "build", "2026-01", "--force"], check=True, capture_output=True)

    CPU_SECONDS.clear()
    ours = [timed([*build, str(single), "build", "2026-01", "--force"])[0] for _ in range(args.runs)]
    ours_cpu = list(CPU_SECONDS)
    pdf = single / "output" / "pdf" / "2026-01.pdf"
    bare_pdf = tmp / "bare.pdf"
    bare_script = tmp / "bare.py"
    bare_script.write_text(BARE, encoding="utf-8")
    bare = []
    CPU_SECONDS.clear()
    for _ in range(args.runs):
        seconds, out = timed([PY, str(bare_script), str(single), str(bare_pdf)])
        bare.append(seconds)
    bare_pages = int(out.strip() or 0)
    bare_cpu = list(CPU_SECONDS)
    same_lookup = dict(os.environ, BARE_LOOKUP="linker-cache")
    bare_fast = []
    CPU_SECONDS.clear()
    for _ in range(args.runs):
        bare_fast.append(timed([PY, str(bare_script), str(single), str(bare_pdf)], env=same_lookup)[0])
    bare_fast_cpu = list(CPU_SECONDS)

    jobs = args.jobs or os.cpu_count() or 1
    multi_runs = []
    CPU_SECONDS.clear()
    for _ in range(max(1, args.runs // 2)):
        seconds = timed([*build, str(multi), "build", "--all", "--force", "--jobs", str(jobs)])[0]
        multi_runs.append(seconds)
    multi_pages = sum(built_pages(multi).values())
    multi_cpu = list(CPU_SECONDS)
    load = os.getloadavg()[0]

    rss_single = peak_rss_mb([*build, str(single), "build", "2026-01", "--force"])
    rss_multi = peak_rss_mb([*build, str(multi), "build", "--all", "--force", "--jobs", str(jobs)])

    med = statistics.median
    result = {
        "single_issue": {
            "articles": 20,
            "characters": chars,
            "pages": built_pages(single)["2026-01"],
            "seconds_median": round(med(ours), 2),
            "seconds_runs": [round(x, 2) for x in ours],
            "cpu_seconds_median": round(med(ours_cpu), 2),
            "pdf_bytes": pdf.stat().st_size,
            "peak_rss_mb": round(rss_single),
        },
        "bare_weasyprint": {
            "pages": bare_pages,
            "seconds_median": round(med(bare), 2),
            "seconds_runs": [round(x, 2) for x in bare],
            "cpu_seconds_median": round(med(bare_cpu), 2),
            "pdf_bytes": bare_pdf.stat().st_size,
        },
        "bare_weasyprint_same_lookup": {
            "seconds_median": round(med(bare_fast), 2),
            "cpu_seconds_median": round(med(bare_fast_cpu), 2),
        },
        "ratio_to_bare": round(med(ours) / med(bare), 2),
        "cpu_ratio_to_bare": round(med(ours_cpu) / med(bare_cpu), 2),
        "cpu_ratio_to_bare_same_lookup": round(med(ours_cpu) / med(bare_fast_cpu), 2),
        "multi_issue": {
            "issues": args.issues,
            "jobs": jobs,
            "pages": multi_pages,
            "seconds_median": round(med(multi_runs), 2),
            "pages_per_second": round(multi_pages / med(multi_runs), 1),
            "cpu_seconds_median": round(med(multi_cpu), 2),
            "peak_rss_mb": round(rss_multi),
        },
    }
    result["load_average_at_end"] = round(load, 2)  # > cores: other work competed for the CPUs
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
