"""The output swap alone: what bulletin/output.py costs a build, without loading or rendering.

    python bench/swap_bench.py OUTPUT [--runs 5] [--impl OTHER_OUTPUT_PY ...]

OUTPUT is a built archive's output/ folder (e.g. after `bench/generate.py /tmp/a10 --years 10` and a
build of it). Each run replays, in this process, what a build asks of the output: `Output.begin()`, one
`keep()` per file of the manifest (the render cache found it unchanged) and `commit()` with the
manifest's build state — "no change"; and the same with one article page's bytes changed ("one page").
For each implementation (this tree's bulletin/output.py, and each --impl file, e.g. an older version
from `git show REV:bulletin/output.py`) it works on its own copy of OUTPUT (`cp -a`, hard links kept),
warms it with one run of each scenario, then alternates the implementations run by run so they meet the
same load. Prints the median and minimum wall time and the median CPU time (user + system of this
process) per scenario.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def load_impl(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def replay(impl, out: Path, changed: str | None, version: int) -> tuple[float, float]:
    """One build's use of the output: (wall seconds, CPU seconds)."""
    manifest = json.loads((out / ".bulletin" / "manifest.json").read_text(encoding="utf-8"))
    extra = {k: v for k, v in manifest.items() if k != "files"}
    t0, c0 = time.perf_counter(), cpu()
    o = impl.Output(out)
    o.begin()
    for tree, files in o.manifest.get("files", {}).items():
        w = o.tree(tree)
        for rel in files:
            if rel == changed:
                data = (out / tree / rel).read_bytes().split(b"<!--v")[0]
                w.put(rel, data + f"<!--v{version}-->".encode())
            else:
                w.keep(rel)
    o.commit(extra)
    return time.perf_counter() - t0, cpu() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--impl", type=Path, action="append", default=[])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    impls = {"this tree": REPO / "bulletin" / "output.py", **{str(p): p for p in args.impl}}
    work = Path(tempfile.mkdtemp(prefix="swap-bench-"))
    copies, modules = {}, {}
    try:
        manifest = json.loads((args.output / ".bulletin" / "manifest.json").read_text(encoding="utf-8"))
        pages = sorted(r for r in manifest["files"]["site"] if r.count("/") == 2 and r.endswith(".html"))
        page = pages[len(pages) // 2]  # an article page: 2020/05/slug.html
        for i, (name, path) in enumerate(impls.items()):
            copies[name] = work / f"impl{i}" / "output"
            copies[name].parent.mkdir()
            subprocess.run(["cp", "-a", str(args.output), str(copies[name])], check=True)
            modules[name] = load_impl(path, f"bench_output_{i}")
            replay(modules[name], copies[name], None, 0)  # warm: the first build of a new layout
            replay(modules[name], copies[name], page, 0)
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for run in range(args.runs):
            for scenario, changed in (("no change", None), ("one page", page)):
                for name in impls:
                    times.setdefault((name, scenario), []).append(
                        replay(modules[name], copies[name], changed, run + 1)
                    )
        rows = []
        files = sum(len(f) for f in manifest["files"].values())
        for (name, scenario), runs in times.items():
            walls = [w for w, _ in runs]
            rows.append({
                "impl": name, "scenario": scenario, "files": files, "runs": len(runs),
                "median_s": round(statistics.median(walls), 3), "min_s": round(min(walls), 3),
                "cpu_s": round(statistics.median(c for _, c in runs), 3),
            })
        if args.json:
            print(json.dumps(rows, indent=1))
        else:
            print(f"{files} files; changed page: {page}")
            for r in rows:
                print(f"{r['scenario']:10} {r['impl'][-40:]:40} median {r['median_s']:.3f} s  "
                      f"min {r['min_s']:.3f} s  CPU {r['cpu_s']:.3f} s  ({r['runs']} runs)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
