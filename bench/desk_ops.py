"""Time the desk's operations directly (no HTTP) on a generated archive: list_issues, issue_detail,
save_article, preview_html, check_issue. Medians of several runs; the first (cold) run is shown apart.

    python bench/generate.py /tmp/desk10 --years 10
    python bench/desk_ops.py /tmp/desk10 [--runs 7]

It saves (and restores) one article of the newest issue: run it on a copy you do not mind changing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bulletin.desk import articles, checks, issues  # noqa: E402
from bulletin.desk.errors import Editor  # noqa: E402


def timed(fn, runs: int) -> tuple[float, float]:
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return cold, statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    root = args.root.resolve()
    user = Editor("bench", "基准", "editor")
    newest = issues.list_issues(root)[0]
    detail = issues.issue_detail(root, newest.key)
    rel = next(a.relpath for s in detail.sections for a in s.articles)
    original = (root / rel).read_bytes()
    doc = articles.read_article(root, rel)
    n = [0]

    def save():
        n[0] += 1
        d = articles.read_article(root, rel)
        articles.save_article(root, rel, d.front, doc.body + f"\n基准测试第{n[0]}次保存。\n",
                              expected_version=d.version, user=user)

    rows = [
        ("list_issues", lambda: issues.list_issues(root)),
        ("issue_detail", lambda: issues.issue_detail(root, newest.key)),
        ("save_article", save),
        ("preview_html", lambda: articles.preview_html(root, rel, doc.front, doc.body + "\n预览。\n")),
        ("check_issue", lambda: checks.check_issue(root, newest.key)),
    ]
    try:
        print(f"{root}: {len(issues.list_issues(root))} issues; article {rel}")
        for name, fn in rows:
            cold, median = timed(fn, args.runs)
            print(f"  {name:<13} first {cold * 1000:7.0f} ms   median of {args.runs} {median * 1000:7.0f} ms")
    finally:
        (root / rel).write_bytes(original)


if __name__ == "__main__":
    main()
