"""bulletin/desk/server.py: `bulletin desk` starts waitress, on 127.0.0.1 unless told otherwise, and says
how to put it behind HTTPS when it listens on another address."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

from conftest import REPO

from bulletin.desk import accounts
from bulletin.desk.server import network_notice


def _start(project, *args: str, until: str = "http://"):
    env = dict(os.environ, BULLETIN_LANG="zh", PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bulletin", "--root", str(project), "desk", "--port", "0", *args],
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    lines = []
    end = time.monotonic() + 60
    while time.monotonic() < end:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if until in line:
            return proc, "".join(lines)
    proc.kill()
    raise AssertionError("".join(lines))


def _stop(proc) -> None:
    proc.terminate()
    proc.wait(20)


def test_local_by_default_with_no_notice(project):
    accounts.add_user(project, "wang", "editor", "editor-pass-1")
    proc, out = _start(project)
    try:
        assert "编辑部已启动：http://127.0.0.1:" in out and "HTTPS" not in out
        url = out.split("：", 1)[1].split("（", 1)[0]
        with urllib.request.urlopen(url + "login", timeout=20) as r:
            page = r.read().decode()
            assert "登录编辑部" in page and r.headers["X-Frame-Options"] == "SAMEORIGIN"
    finally:
        _stop(proc)


def _headers(url: str, **headers) -> dict:
    req = urllib.request.Request(url + "login", headers=headers)
    with urllib.request.urlopen(req, timeout=20) as r:
        return dict(r.headers)


def test_forwarded_headers_count_only_behind_a_proxy(project):
    accounts.add_user(project, "wang", "editor", "editor-pass-1")
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "desk.example"}
    for args, trusted in (((), False), (("--behind-proxy",), True)):
        proc, out = _start(project, *args)
        try:
            url = out.split("：", 1)[1].split("（", 1)[0]
            assert ("Strict-Transport-Security" in _headers(url, **https)) is trusted
        finally:
            _stop(proc)


def test_another_address_says_how_to_put_it_behind_https(project):
    accounts.add_user(project, "wang", "editor", "editor-pass-1")
    # still this machine, but not 127.0.0.1
    proc, out = _start(project, "--host", "127.0.0.2", until="编辑指南")
    try:
        assert "127.0.0.2" in out and "HTTPS 反向代理" in out and "--behind-proxy" in out, out
    finally:
        _stop(proc)
    assert network_notice("127.0.0.1", 8040) is None


def test_notice_in_english(project, monkeypatch):
    from bulletin import messages

    monkeypatch.setattr(messages, "_LANG", "en")
    text = network_notice("0.0.0.0", 8040)
    assert "HTTPS reverse proxy" in text and "--behind-proxy" in text
