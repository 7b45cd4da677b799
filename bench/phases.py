"""Where an incremental build's time goes, with the output swap apart from the rest.

    python bench/phases.py ARCHIVE [--runs 3] [--scenario edit|same]

ARCHIVE is a generated archive (bench/generate.py) that has been built once. Each run (in a fresh
process, like the CLI's `build --all --no-pdf`) first changes one article's body (`edit`) or nothing
(`same`), then builds with the pipeline's functions wrapped to time them (wall and CPU seconds of this
process; the cold build's workers are not used by an incremental build):

  stamp inputs     bulletin.changes: the stamps of content/, bulletin.yaml, templates (before reading)
  load             files → model, through the load cache
  plan             site/pages.plan_site: every page's view data, its dependencies and their versions
  search           the search index, its files handed to the output writer
  output writer    bulletin.output: TreeWriter.put/put_file/adopt/keep — files written into the staging
                   tree or hard-linked from the previous output (also counted in search for its files)
  swap             bulletin.output: Output.begin (recovery, staging) and Output.commit (manifest, renames,
                   old trees removed)
  the rest         total − output writer − swap: what the build costs apart from the output swap

The sum of "the rest" and "output writer" + "swap" is the build's in-process total; starting Python and
importing bulletin (about 0.2 s) come on top in the CLI (bench/run.py measures the CLI as a whole).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_PROBE = r"""
import functools, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import bulletin.build as b, bulletin.changes as C, bulletin.output as O, bulletin.site.render as R
import bulletin.site.search as S
T = {}
depth = {}
def wrap(owner, name, label):
    f = getattr(owner, name)
    @functools.wraps(f)
    def g(*a, **k):
        if depth.get(label):
            return f(*a, **k)
        depth[label] = 1
        t, c = time.perf_counter(), time.process_time()
        try:
            return f(*a, **k)
        finally:
            depth[label] = 0
            w = T.setdefault(label, [0.0, 0.0])
            w[0] += time.perf_counter() - t; w[1] += time.process_time() - c
    setattr(owner, name, g)
wrap(C.Snapshot, "take", "stamp inputs"); wrap(b, "load", "load"); wrap(R, "plan_site", "plan")
wrap(S, "build_search_index", "search")
for m in ("put", "put_file", "adopt", "keep"):
    wrap(O.TreeWriter, m, "output writer")
wrap(O.Output, "begin", "swap"); wrap(O.Output, "commit", "swap")
root = Path(sys.argv[1])
if sys.argv[2] == "edit":
    issues = sorted((root / "content").glob("*/*"))
    article = sorted(issues[len(issues) // 2].glob("*.md"))[3]
    text = article.read_text(encoding="utf-8")
    mark = "（分阶段计时修改）"
    text = text[: text.index(mark)] if mark in text else text
    article.write_text(text + mark + str(time.time_ns()) + "\n", encoding="utf-8")
t, c = time.perf_counter(), time.process_time()
r = b.build(b.BuildOptions(root=root, pdf=False, all_issues=True, shortcut=True))
T["total"] = [time.perf_counter() - t, time.process_time() - c]
w = T.get("output writer", [0, 0]); s = T.get("swap", [0, 0])
T["the rest"] = [T["total"][i] - w[i] - s[i] for i in (0, 1)]
T["files written"] = [r.site_written, r.site_written]
print(json.dumps(T))
"""

ORDER = (
    "stamp inputs",
    "load",
    "plan",
    "search",
    "output writer",
    "swap",
    "the rest",
    "total",
    "files written",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("archive", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scenario", choices=("edit", "same"), default="edit")
    args = ap.parse_args()
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, str(args.archive), args.scenario, str(HERE.parent)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{args.scenario}, {args.runs} runs, medians: {'phase':<14} {'wall s':>7} {'CPU s':>7}")
    for name in ORDER:
        values = [r[name] for r in runs if name in r]
        if values:
            wall = statistics.median(v[0] for v in values)
            cpu = statistics.median(v[1] for v in values)
            print(f"{'':>24}{name:<14} {wall:>7.3f} {cpu:>7.3f}")


if __name__ == "__main__":
    main()
