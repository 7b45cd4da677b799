"""`bulletin serve` from file save to the reloaded page in the browser.

    python bench/serve_bench.py ARCHIVE [--runs 5] [--code CHECKOUT] [--json]

ARCHIVE is a generated archive (`python bench/generate.py /tmp/a10 --years 10`, generated once); it is
copied (content and bulletin.yaml only) into a temporary folder, so its own output is not touched.
`python build.py --root COPY serve --port 0` runs as the editor starts it; once its first build is
done, Debian's Chromium (Playwright, headless) opens an article page of the preview and waits until its
live-reload script listens. Each run then saves the article with one sentence changed (a new file
written in place, as an editor saves) and waits for the page's next `load` event; the time from just
before the save to that event is the figure: the watcher's notice, the rebuild, the server-sent event,
the page asking for the status and reloading itself. The reloaded page must show the new sentence, or
the run fails. Prints the median, minimum and maximum, and the rebuild time the server reported
(`/__bulletin/status` "seconds"). `--code`: another checkout of bulletin to run instead of this one
(e.g. a worktree of an earlier commit), to compare in the same session.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


class Server:
    def __init__(self, root: Path, code: Path) -> None:
        env = {**os.environ, "BULLETIN_LANG": "en", "PYTHONPATH": str(code)}
        self.proc = subprocess.Popen(
            [sys.executable, str(code / "build.py"), "--root", str(root), "serve", "--port", "0"],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
        )
        self.lines: list[str] = []
        self.url = ""
        ready = threading.Event()

        def read() -> None:
            for line in self.proc.stderr:
                self.lines.append(line)
                m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
                if m and not self.url:
                    self.url = m.group(1)
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(600):
            raise SystemExit("serve did not start:\n" + "".join(self.lines))

    def status(self) -> dict:
        with urllib.request.urlopen(self.url + "__bulletin/status", timeout=60) as r:
            return json.loads(r.read())

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("archive", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--code", type=Path, default=REPO)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    root = work / "archive"
    root.mkdir()
    shutil.copy2(args.archive / "bulletin.yaml", root / "bulletin.yaml")
    shutil.copytree(args.archive / "content", root / "content")
    articles = sorted((root / "content").glob("*/*/*.md"))
    article = articles[len(articles) // 2]
    rel = article.relative_to(root / "content").with_suffix(".html").as_posix()
    t_start = time.perf_counter()
    server = Server(root, args.code.resolve())
    first = time.perf_counter() - t_start
    results: list[dict] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(server.url + rel)
            # the live script listens once its EventSource is open
            page.wait_for_function("performance.getEntriesByType('resource')"
                                   ".some(e => e.name.includes('/__bulletin/status'))", timeout=60000)
            time.sleep(1.0)
            text = article.read_text(encoding="utf-8")
            for run in range(args.runs):
                marker = f"测速第{run}次"
                changed = re.sub(r"。", f"。{marker}。", text, count=1)
                with page.expect_event("load", timeout=60000):
                    t0 = time.perf_counter()
                    article.write_text(changed, encoding="utf-8")
                seconds = time.perf_counter() - t0
                if marker not in page.content():
                    raise SystemExit(f"run {run}: the reloaded page does not show the change")
                results.append({"seconds": seconds, "rebuild": server.status()["seconds"]})
                time.sleep(1.0)  # let the watcher settle before the next save
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    walls = [r["seconds"] for r in results]
    summary = {
        "archive": str(args.archive), "code": str(args.code), "articles": len(articles), "runs": len(walls),
        "first_build_s": round(first, 2),
        "save_to_reload_median_s": round(statistics.median(walls), 3),
        "min_s": round(min(walls), 3), "max_s": round(max(walls), 3),
        "rebuild_median_s": round(statistics.median(r["rebuild"] for r in results), 3),
        "runs_s": [round(w, 3) for w in walls],
    }
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(f"{summary['articles']} articles; first build {summary['first_build_s']} s")
        print(f"save → reloaded page: median {summary['save_to_reload_median_s']:.3f} s "
              f"(min {summary['min_s']:.3f}, max {summary['max_s']:.3f}, {len(walls)} runs); "
              f"rebuild as the server timed it: median {summary['rebuild_median_s']:.3f} s")


if __name__ == "__main__":
    main()
