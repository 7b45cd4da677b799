"""The desk over HTTP on a big archive: medians of what an editor waits for.

    python bench/desk_bench.py [--years 10] [--work bench/work/desk] [--runs 7]

Generates the archive (bench/generate.py WORK --years N) unless it is there, adds an account, starts
`bulletin desk` on a free port of 127.0.0.1 as its own process, logs in, and times (wall clock, the whole
HTTP request) opening the issue list, opening the newest issue, saving one of its articles (a changed
sentence, so each save writes) and getting that article's preview. Target: under 1 s each.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, the CSRF token of the last page, form posts."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.token = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=120) as r:
            html = r.read().decode("utf-8")
        if m := re.search(r'name="csrf-token" content="([^"]+)"', html):
            self.token = m.group(1)
        return html

    def post(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode({"csrf_token": self.token, **fields}).encode()
        with self.opener.open(self.base + path, data=data, timeout=120) as r:
            return r.read().decode("utf-8")


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "work" / "desk")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    root = args.work.resolve()
    env = dict(os.environ, PYTHONPATH=str(REPO), BULLETIN_LANG="zh")
    if not (root / "bulletin.yaml").exists():
        shutil.rmtree(root, ignore_errors=True)
        generate = [sys.executable, str(REPO / "bench" / "generate.py"), str(root)]
        generate += ["--years", str(args.years)]
        subprocess.run(generate, check=True, env=env)
    shutil.rmtree(root / ".desk", ignore_errors=True)
    bulletin = [sys.executable, "-m", "bulletin", "--root", str(root)]
    subprocess.run([*bulletin, "desk", "user", "add", "bench", "--role", "chief", "--password-stdin"],
                   input="bench-password\n", text=True, check=True, env=env, capture_output=True)  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [*bulletin, "desk", "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        while "http://" not in (line := server.stderr.readline()):
            if not line:
                raise SystemExit("the desk did not start")
        b = Browser(f"http://127.0.0.1:{port}")
        b.get("/login")
        b.post("/login", {"name": "bench", "password": "bench-password"})
        issues_html = b.get("/")
        newest = re.search(r'href="/issues/(\d{4}-\d{2})"', issues_html).group(1)
        issue_html = b.get(f"/issues/{newest}")
        relpath = re.search(r'href="/articles/(content/[^"?]+\.md)"', issue_html).group(1)
        n_articles = issue_html.count('data-relpath="')
        page = b.get(f"/articles/{relpath}")
        body = re.search(r'<textarea id="f-body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
        import html as html_lib

        body = html_lib.unescape(body).removeprefix("\n")  # the line break after <textarea> is markup
        fields = {
            k: html_lib.unescape(v)
            for k, v in re.findall(r'<input id="f-(\w+)" name="\w+" value="([^"]*)"', page)
        }
        fields["section"] = re.search(r'<option value="([^"]+)" selected>', page).group(1)
        counter = [0]

        def save():
            counter[0] += 1
            page = b.get(f"/articles/{relpath}")
            version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
            b.post(f"/articles/{relpath}", {**fields, "body": body + f"\n\n第{counter[0]}次保存。\n",
                                             "version": version})  # fmt: skip

        results = {
            "issue list": timed(lambda: b.get("/"), args.runs),
            f"open issue {newest} ({n_articles} articles)": timed(
                lambda: b.get(f"/issues/{newest}"), args.runs
            ),
            "its check findings (fetched after the page)": timed(
                lambda: b.get(f"/issues/{newest}/checks"), args.runs
            ),
            "save article (open + save)": timed(save, args.runs),
            "preview": timed(
                lambda: b.post(f"/preview/{relpath}", {**fields, "body": body + "\n\n预览。\n"}), args.runs
            ),
        }
        n_issues = issues_html.count('href="/issues/')
        print(f"archive: {root} ({n_issues} issues); medians of {args.runs} runs over HTTP")
        for name, seconds in results.items():
            print(f"  {name:<40} {seconds * 1000:8.0f} ms {'ok' if seconds < 1 else 'OVER 1 s'}")
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    main()
