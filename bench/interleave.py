"""Two code trees timed in the same run: cold, edit one article, nothing changed, interleaved run by run.

    python bench/interleave.py BEFORE AFTER [--years 10] [--runs 3] [--workdir DIR]

BEFORE and AFTER are folders holding a bulletin tree (build.py and bulletin/ at their top), e.g. an old
commit unpacked with `git archive COMMIT | tar -x -C DIR`. Each tree gets its own copy of one generated
archive (bench/generate.py), so neither reads the other's build state. Every run does, for BEFORE then
AFTER: a cold site build (output/ moved aside), the same article's body changed and built again, and a
build with nothing changed, each as `python TREE/build.py --root ARCHIVE build --all --no-pdf` in a fresh
process with PYTHONPATH=TREE. Printed: each run's figures, then per tree and scenario the medians of the
wall seconds and of the CPU seconds of the build's process tree (user + system of the waited-for
children: on a shared machine wall time swells with the load, CPU time much less).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SCENARIOS = ("cold", "edit 1", "no change")
RACY_WAIT = 3.5  # past buildstate.RACY_SECONDS, as an editor's save some time before the build would be


def timed(tree: Path, root: Path) -> tuple[float, float]:
    """(wall s, CPU s of the process tree) of one site build of `root` with the code in `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users have it unset
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(tree / "build.py"), "--root", str(root), "build", "--all", "--no-pdf"],
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: the build failed:\n{done.stderr[-3000:]}")
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--years", type=int, default=10, help="archive size (default 10)")
    ap.add_argument("--runs", type=int, default=3, help="runs per tree (default 3)")
    ap.add_argument(
        "--workdir", type=Path, help="where to generate the archives (default: a temporary folder)"
    )
    args = ap.parse_args(argv)
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    for tree in trees.values():
        if not (tree / "build.py").is_file() or not (tree / "bulletin").is_dir():
            ap.error(f"{tree} holds no bulletin tree (build.py, bulletin/)")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bulletin-interleave-"))
    trash = work / "trash"
    trash.mkdir(parents=True, exist_ok=True)
    roots = {}
    for name in trees:
        roots[name] = work / f"archive-{name}"
        if not roots[name].exists():
            generate(roots[name], years=args.years)
    articles = sorted((roots["before"] / "content").rglob("*.md"))
    edited = articles[len(articles) // 2].relative_to(roots["before"])

    results: dict[tuple[str, str], list[tuple[float, float]]] = {(t, s): [] for t in trees for s in SCENARIOS}
    for run in range(args.runs):
        for name, tree in trees.items():
            root = roots[name]
            if (root / "output").exists():  # moved aside, not deleted: see bench/run.py's docstring
                shutil.move(str(root / "output"), str(trash / f"{name}-{run}"))
            results[name, "cold"].append(timed(tree, root))
            article = root / edited
            article.write_text(
                article.read_text(encoding="utf-8") + f"\n\n新增一段，第{run + 1}次修改。\n", encoding="utf-8"
            )
            time.sleep(RACY_WAIT)
            results[name, "edit 1"].append(timed(tree, root))
            results[name, "no change"].append(timed(tree, root))
        figures = ", ".join(f"{t} {s} {results[t, s][-1][1]:.2f}" for t in trees for s in SCENARIOS)
        print(f"run {run + 1}: CPU s {figures}; load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"\n{'scenario':<12}{'before wall':>12}{'before CPU':>12}{'after wall':>12}{'after CPU':>12}")
    for s in SCENARIOS:
        cells = []
        for t in trees:
            cells += [
                statistics.median(w for w, _ in results[t, s]),
                statistics.median(c for _, c in results[t, s]),
            ]
        print(f"{s:<12}" + "".join(f"{v:>12.2f}" for v in cells))
    shutil.rmtree(trash, ignore_errors=True)


if __name__ == "__main__":
    main()
