"""Browser-test plumbing shared by the site, search and preview tests: Debian's Chromium driven by
Playwright, a quiet local HTTP server, a page that records console errors and outside requests, and
Debian's Firefox ESR driven over Marionette for the search tests."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = ("http://127.0.0.1", "file://", "data:")


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) for the duration; yields the base URL ending in /."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/"
    finally:
        srv.shutdown()
        srv.server_close()


class Watched:
    """A page that records console messages of `levels`, page errors, failed requests and requests that
    leave 127.0.0.1/file/data."""

    def __init__(self, browser, levels: tuple[str, ...] = ("error",), **page_options) -> None:
        self.page = browser.new_page(**page_options)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in levels else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", self._failed)
        self.page.on("request", lambda r: None if r.url.startswith(LOCAL) else self.outside.append(r.url))

    def _failed(self, request) -> None:
        # a request the browser gave up because the page went on to another one (a picture still loading
        # when the test follows a link) is not a fault of the page; a missing file is (ERR_FILE_NOT_FOUND
        # from disk, and over HTTP a 404 fails its own checks)
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"failed: {request.url} ({request.failure})")

    def close(self) -> None:
        self.page.close()


FIREFOX = "/usr/bin/firefox-esr"
# A fresh profile's settings: no first-run pages, no updates or telemetry, and every request that is not
# for 127.0.0.1 or localhost sent to a proxy at 127.0.0.1:9, where nothing listens: it fails on the
# machine instead of leaving it.
_FIREFOX_PREFS = {
    "marionette.port": 0,  # set per run
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "network.dns.disablePrefetch": True,
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.no_proxies_on": "127.0.0.1,localhost",
    "network.proxy.allow_hijacking_localhost": False,
}


class Firefox:
    """Debian's Firefox ESR driven over Marionette, the remote protocol built into Firefox (length-prefixed
    JSON on a TCP port). Playwright cannot drive it here: Playwright's own Firefox is a build downloaded
    from its servers, not from a package registry, and its WebDriver BiDi mode for a stock Firefox needs
    commands (emulation.setMediaFeaturesOverride) that ESR 153 does not have."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.n = 0
        self._read()  # the greeting
        self.call("WebDriver:NewSession", {"capabilities": {}})

    def _read(self):
        head = b""
        while not head.endswith(b":"):
            c = self.sock.recv(1)
            if not c:
                raise ConnectionError("Firefox closed the Marionette connection")
            head += c
        size, data = int(head[:-1]), b""
        while len(data) < size:
            data += self.sock.recv(size - len(data))
        return json.loads(data)

    def call(self, command: str, params: dict):
        self.n += 1
        msg = json.dumps([0, self.n, command, params]).encode()
        self.sock.sendall(str(len(msg)).encode() + b":" + msg)
        while True:
            kind, n, error, result = self._read()
            if kind == 1 and n == self.n:
                break
        if error:
            raise RuntimeError(f"{command}: {error}")
        return result.get("value") if isinstance(result, dict) else result

    def js(self, script: str, *args):
        return self.call("WebDriver:ExecuteScript", {"script": script, "args": list(args)})

    def until(self, script: str, *args, timeout: float = 20.0):
        end = time.monotonic() + timeout
        while not (value := self.js(script, *args)):
            if time.monotonic() > end:
                raise TimeoutError(script)
            time.sleep(0.1)
        return value

    def search(self, base: str, query: str) -> tuple[str, list[tuple[str, str]]]:
        """base/search.html?q=query with every result shown: (status line, [(title, href)])."""
        self.call("WebDriver:Navigate", {"url": f"{base}search.html?q={quote(query)}"})
        status = "(document.getElementById('search-status') || {}).textContent || ''"
        self.until(f"return /找到|没有|无法/.test({status})")
        while self.js("return document.querySelectorAll('.search-more').length"):
            n = self.js("const n = document.querySelectorAll('.search-result').length;"
                        "document.querySelector('.search-more').click(); return n")
            self.until("return document.querySelectorAll('.search-result').length > arguments[0]", n)
        found = self.js("return Array.from(document.querySelectorAll('.search-result-title'),"
                        " e => [e.textContent, e.href])")
        return self.js(f"return {status}"), [tuple(r) for r in found]

    def errors(self) -> list[str]:
        """The search page's own error line, if it shows one."""
        return self.js("const s = document.querySelector('.search-error'); return s ? [s.textContent] : []")


@contextlib.contextmanager
def firefox() -> Iterator[Firefox]:
    """A headless Firefox ESR with a fresh profile (skips where Debian's firefox-esr is not installed)."""
    import pytest

    if not Path(FIREFOX).exists():
        pytest.skip("Debian firefox-esr is not installed")
    with socket.socket() as s:  # a free port for Marionette
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    profile = Path(tempfile.mkdtemp(prefix="bulletin-firefox-"))
    prefs = dict(_FIREFOX_PREFS, **{"marionette.port": port})
    (profile / "user.js").write_text("".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n"
                                             for k, v in prefs.items()))
    proc = subprocess.Popen([FIREFOX, "--headless", "--marionette", "--no-remote", "--profile", str(profile)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 60
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except OSError:
                if time.monotonic() > end or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        with sock:
            yield Firefox(sock)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
