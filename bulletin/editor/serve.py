"""`bulletin serve`: a local preview that rebuilds as the editor saves, and reloads open pages.

The preview is the real build (bulletin.build.build, site only; an issue's PDF on request) written into
its own folder, output/.preview/, so it never touches the published output/. watchfiles reports changes
to content/, templates/ and bulletin.yaml; one worker thread rebuilds (the build is incremental, so a
rebuild costs what changed). The loaded issues stay in memory between rebuilds: a rebuild reads again
only the issue folders the watcher saw change (everything after a change to bulletin.yaml or outside
content/), and the checks across issues, the site and the swap run as in any build. The HTTP server
adds one small script to every HTML page it serves — never to the files themselves — which listens for
"rebuilt" events (server-sent events) and reloads the page, or lays the build's errors over it (file,
line, the offending line, how to fix it) until they are fixed.
"""

from __future__ import annotations

import errno
import json
import mimetypes
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bulletin import messages
from bulletin.content.loader import IssuesMemo
from bulletin.diagnostics import BuildError, Diagnostic, Report

PREVIEW_DIR = ".preview"  # under output/
PROBE = ".bulletin-watch-probe"  # touched once at start to know each watcher is live
ENDPOINT = "/__bulletin"
_EDITOR_JUNK = re.compile(r"(^~\$|^\.~lock|\.tmp$|\.part$|^4913$|\.crdownload$)")


@dataclass
class BuildState:
    """What the preview shows: the build number, and the problems of the latest build."""

    version: int = 0
    ok: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0


def diagnostics_json(diags: tuple[Diagnostic, ...]) -> list[dict]:
    return [
        {
            "severity": d.severity,
            "label": messages.t(d.severity),
            "location": d.location(),
            "file": d.file,
            "line": d.line,
            "column": d.column,
            "message": d.message,
            "hint": d.hint,
            "source": d.excerpt()[0],
            "caret": d.caret_pad() if d.source_line and d.column else None,
        }
        for d in diags
    ]


class Preview:
    """Builds the preview and tells waiting pages when a new build is ready."""

    def __init__(
        self,
        root: Path,
        *,
        drafts: bool = False,
        out_dir: Path | None = None,
        log: Callable[[BuildState, Report | None], None] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.out_dir = out_dir or self.root / "output" / PREVIEW_DIR
        self.drafts = drafts
        self.state = BuildState()
        self.changed = threading.Condition()
        self._build_lock = threading.Lock()
        self._dirty = threading.Event()
        self.stop = threading.Event()
        self._log = log or (lambda state, report: None)
        self._archive = None  # the archive of the last good build, for the word counts
        self._issues: IssuesMemo = {}  # issue folder → (issue, its diagnostics), kept between builds
        self._changes: set[Path] = set()  # what the watchers saw since the last build began
        self._changes_lock = threading.Lock()
        self._counts: dict[tuple[int, str], dict] = {}

    @property
    def site_dir(self) -> Path:
        return self.out_dir / "site"

    # building --------------------------------------------------------------------------------

    def _run(self, issues: tuple[str, ...] = ()) -> tuple[bool, Report, float]:
        """One build through the real pipeline: (succeeded, its report, seconds)."""
        from bulletin.build import BuildOptions, build

        opts = BuildOptions(
            root=self.root,
            issues=issues,
            pdf=bool(issues),
            missing_pdfs=False,  # the preview renders a PDF when it is asked for, one at a time
            drafts=self.drafts,
            wait_for_lock=True,
            out_dir=self.out_dir,
            issues_memo=self._issues,
        )
        t0 = time.perf_counter()
        try:
            result = build(opts)
            report = result.report
            ok = not report.errors
            if ok:
                self._archive = result.archive
        except BuildError as exc:
            report, ok = exc.report, False
        except Exception:  # a bug or a broken template must not stop the preview: show it instead
            self._issues.clear()  # (whatever went wrong, the next build starts from the files)
            report, ok = Report(self.root), False
            log = self.out_dir / "error.log"
            self.out_dir.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), encoding="utf-8")
            report.error(
                "",
                None,
                "serve_internal",
                problem=traceback.format_exc().strip().splitlines()[-1][:200],
                log=str(log),
            )
        return ok, report, time.perf_counter() - t0

    def note_changes(self, paths) -> None:
        """Files the watchers saw change: their issue folders are read again by the next build."""
        with self._changes_lock:
            self._changes.update(Path(p) for p in paths)

    def _forget_changed(self) -> None:
        """Drop from memory the issues whose folders changed (all of them after a change to the settings
        or anything outside content/: issues are loaded with the settings)."""
        with self._changes_lock:
            changes, self._changes = self._changes, set()
        content = self.root / "content"
        for path in changes:
            try:
                parts = path.relative_to(content).parts
            except ValueError:
                self._issues.clear()
                return
            if len(parts) >= 2:  # an issue folder or something in it
                self._issues.pop(content / parts[0] / parts[1], None)
            else:  # content/ or a year folder itself (added, removed, renamed)
                year = content / parts[0] if parts else content
                for folder in [f for f in self._issues if f.is_relative_to(year)]:
                    del self._issues[folder]

    def rebuild(self) -> None:
        """Rebuild the site preview and tell the open pages."""
        with self._build_lock:
            self._forget_changed()
            ok, report, seconds = self._run()
            with self.changed:
                self.state = BuildState(self.state.version + 1, ok, tuple(report.sorted()), seconds)
                self.changed.notify_all()
            self._log(self.state, report)

    def build_pdf(self, key: str) -> tuple[Path | None, tuple[Diagnostic, ...]]:
        """Render (or reuse) issue `key`'s PDF in the preview folder, as `bulletin build KEY` would: the
        PDF, or None and the problems. (A failed PDF leaves the site preview and its state as they were.)"""
        with self._build_lock:
            self._forget_changed()
            ok, report, _seconds = self._run((key,))
            path = self.out_dir / "pdf" / f"{key}.pdf"
            if not ok or not path.is_file():
                self._log(BuildState(self.state.version, False, tuple(report.sorted())), report)
                return None, tuple(report.sorted())
            return path, ()

    def counts(self, key: str) -> dict | None:
        """Word counts (字数) and the page estimate of issue `key` as last built, for the preview's
        panel: {"issue": {...}, "articles": {slug: {...}}}; None when there is no such issue."""
        archive = self._archive
        issue = archive.issue(key) if archive is not None else None
        if issue is None:
            return None
        cached = self._counts.get((id(archive), key))
        if cached is not None:
            return cached
        from bulletin.print.estimate import article_pages, estimate_pages
        from bulletin.wordcount import count_article

        articles = {}
        for article in issue.articles:
            articles[article.slug] = {
                "chars": count_article(article).total,
                "pages": round(article_pages(archive, article), 1),
            }
        est = estimate_pages(archive, issue)
        data = {
            "issue": {
                "chars": sum(a["chars"] for a in articles.values()),
                "pages": est.pages,
                "printed": est.printed_pages,
                "articles": len(articles),
            },
            "articles": articles,
        }
        self._counts = {(id(archive), key): data}  # one issue at a time: pages of the same issue reuse it
        return data

    def wait_for(self, version: int, timeout: float) -> BuildState:
        """Block until a build newer than `version` finishes (or timeout); the current state."""
        with self.changed:
            self.changed.wait_for(lambda: self.state.version != version or self.stop.is_set(), timeout)
            return self.state

    # watching --------------------------------------------------------------------------------

    def watched(self) -> list[tuple[Path, bool]]:
        """(path, recursive) pairs: content/ and templates/ in depth, the project folder itself only for
        bulletin.yaml (editors' save-by-rename would lose a watch on the file itself)."""
        out = [(self.root, False)]
        for sub in ("content", "templates"):
            if (self.root / sub).is_dir():
                out.append((self.root / sub, True))
        return out

    def _relevant(self, change, path: str) -> bool:
        p = Path(path)
        if _EDITOR_JUNK.search(p.name) or any(
            part.startswith(".") for part in p.relative_to(self.root).parts
        ):
            return False
        rel = p.relative_to(self.root)
        return rel.parts[0] in ("content", "templates") or rel.as_posix() == "bulletin.yaml"

    def _watch(self, path: Path, recursive: bool, ready: threading.Event) -> None:
        from watchfiles import DefaultFilter, watch

        default = DefaultFilter()
        probe = str(path / PROBE)

        def wanted(change, p: str) -> bool:
            if p == probe:
                ready.set()
                return False
            return default(change, p) and self._relevant(change, p)

        for changes in watch(
            path,
            recursive=recursive,
            stop_event=self.stop,
            debounce=400,
            step=50,
            raise_interrupt=False,
            watch_filter=wanted,
        ):
            if changes:
                self.note_changes(p for _change, p in changes)
                self._dirty.set()

    def _worker(self) -> None:
        while not self.stop.is_set():
            if not self._dirty.wait(0.5):
                continue
            self._dirty.clear()
            time.sleep(0.05)  # let a burst of saves (editor + backup file) settle
            self._dirty.clear()
            self.rebuild()

    def start_watching(self, timeout: float = 5.0) -> None:
        """Start the watchers and return once each one sees changes (the OS watch is set up in the
        background: an edit made before that would go unnoticed)."""
        waiting = []
        for path, recursive in self.watched():
            ready = threading.Event()
            threading.Thread(
                target=self._watch, args=(path, recursive, ready), daemon=True, name="watch"
            ).start()
            waiting.append((path / PROBE, ready))
        threading.Thread(target=self._worker, daemon=True, name="rebuild").start()
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and not all(ready.is_set() for _p, ready in waiting):
                for probe, ready in waiting:
                    if not ready.is_set():
                        probe.write_bytes(b"")  # a hidden file: ignored by the build
                time.sleep(0.05)
        finally:
            for probe, _ready in waiting:
                probe.unlink(missing_ok=True)


# --- HTTP -------------------------------------------------------------------------------------


def live_script() -> str:
    """The script added to previewed pages: reload on rebuild, overlay the errors, a PDF button."""
    text = {
        "title": messages.t("serve_overlay_title"),
        "fixed": messages.t("serve_overlay_fixed"),
        "pdf": messages.t("serve_pdf_button"),
        "pdf_wait": messages.t("serve_pdf_wait"),
        "hint": messages.t("hint"),
        "close": messages.t("serve_overlay_close"),
        "issue_count": messages.t("serve_count_issue"),  # templates: the page fills in {chars} etc.
        "article_count": messages.t("serve_count_article"),
        "count_rule": messages.t("count_rule"),
    }
    return _LIVE_JS.replace("__TEXT__", json.dumps(text, ensure_ascii=False)).replace(
        "__ENDPOINT__", ENDPOINT
    )


_LIVE_JS = r"""(() => {
  const T = __TEXT__, E = "__ENDPOINT__";
  const CSS = `
    #bulletin-overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; padding: 2em;
      background: rgba(20, 20, 20, .95); color: #eee; font: 15px/1.6 "Noto Sans CJK SC", sans-serif; }
    #bulletin-overlay > div { max-width: 60em; margin: auto; }
    #bulletin-overlay h2 { color: #ff6b6b; margin: 0 0 .3em; }
    #bulletin-overlay p { color: #aaa; margin: 0 0 1em; }
    #bulletin-overlay a { color: #8ab4f8; }
    #bulletin-overlay .bulletin-error { border-left: 4px solid #ff6b6b; padding: .4em 1em; margin: 0 0 1em;
      background: #222; }
    #bulletin-overlay .bulletin-location { color: #ffd166; }
    #bulletin-overlay pre { margin: .3em 0; color: #ccc; white-space: pre-wrap;
      font-family: "Noto Sans Mono CJK SC", monospace; }
    #bulletin-overlay .bulletin-hint { color: #9ad; }
    #bulletin-pdf { position: fixed; right: 1em; bottom: 1em; z-index: 2147483646; background: #b22;
      color: #fff; padding: .5em 1em; border-radius: 4px; text-decoration: none; font: 14px sans-serif;
      box-shadow: 0 2px 6px #0004; }
    #bulletin-counts { position: fixed; left: 1em; bottom: 1em; z-index: 2147483646; max-width: 40em;
      background: #fffbe6; color: #333; border: 1px solid #d9b94a; padding: .4em .8em; border-radius: 4px;
      font: 13px/1.5 "Noto Sans CJK SC", sans-serif; box-shadow: 0 2px 6px #0002; }
    #bulletin-counts div + div { color: #555; }`;
  let version = null;
  const ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"};
  const esc = s => String(s == null ? "" : s).replace(/[&<>"]/g, c => ESC[c]);
  function error(d) {
    return `<div class="bulletin-error"><div><b class="bulletin-location">${esc(d.location)}</b> ` +
      `${esc(d.label)}: ${esc(d.message)}</div>` +
      (d.source ? `<pre>${esc(d.line)} | ${esc(d.source)}` +
        (d.caret !== null ? `\n${" ".repeat(String(d.line).length)} | ${esc(d.caret)}^` : "") + `</pre>`
        : "") +
      (d.hint ? `<div class="bulletin-hint">${esc(T.hint)}: ${esc(d.hint).replace(/\n/g, "<br>")}</div>`
              : "") +
      `</div>`;
  }
  function overlay(status) {
    let el = document.getElementById("bulletin-overlay");
    const errors = status.diagnostics.filter(d => d.severity === "error");
    if (!errors.length) { if (el) el.remove(); return; }
    if (!el) {
      el = document.createElement("div");
      el.id = "bulletin-overlay";
      el.setAttribute("role", "alert");
      document.body.appendChild(el);
    }
    el.innerHTML = `<div><h2>${esc(T.title)}（${errors.length}）</h2>` +
      `<p>${esc(T.fixed)} <a href="#" id="bulletin-overlay-close">${esc(T.close)}</a></p>` +
      errors.map(error).join("") + `</div>`;
    document.getElementById("bulletin-overlay-close").onclick = e => { e.preventDefault(); el.remove(); };
  }
  async function check(reloadIfNew) {
    const status = await (await fetch(E + "/status", {cache: "no-store"})).json();
    if (version !== null && status.version !== version && status.ok && reloadIfNew) {
      location.reload();
      return;
    }
    version = status.version;
    overlay(status);
  }
  function pdfButton() {
    const m = location.pathname.match(/^\/(\d{4})\/(\d{2})\//);
    if (!m) return;
    const a = document.createElement("a");
    a.id = "bulletin-pdf";
    a.href = `${E}/pdf/${m[1]}-${m[2]}.pdf`;
    a.target = "_blank";
    a.textContent = T.pdf;
    a.onclick = () => { a.textContent = T.pdf_wait; setTimeout(() => a.textContent = T.pdf, 4000); };
    document.body.appendChild(a);
  }
  const fill = (s, v) => s.replace(/\{(\w+)\}/g, (_, k) => esc(v[k]));
  async function counts() {
    const m = location.pathname.match(/^\/(\d{4})\/(\d{2})\/(?:([^/]+)\.html)?/);
    if (!m) return;
    const r = await fetch(`${E}/counts/${m[1]}-${m[2]}.json`, {cache: "no-store"});
    if (!r.ok) return;
    const data = await r.json();
    const n = x => Number(x).toLocaleString("en-US");
    const el = document.createElement("div");
    el.id = "bulletin-counts";
    el.title = T.count_rule;
    const i = data.issue;
    let html = `<div>${fill(T.issue_count, {articles: i.articles, chars: n(i.chars),
      pages: Number(i.pages).toFixed(1), printed: i.printed})}</div>`;
    const a = m[3] && m[3] !== "index" ? data.articles[decodeURIComponent(m[3])] : null;
    if (a) {
      const line = fill(T.article_count, {chars: n(a.chars), pages: Number(a.pages).toFixed(1)});
      html = `<div>${line}</div>` + html;
    }
    el.innerHTML = html;
    document.body.appendChild(el);
  }
  function listen() {
    const es = new EventSource(E + "/events");
    es.onmessage = () => check(true).catch(() => {});
    es.onerror = () => { es.close(); setTimeout(listen, 1000); };
  }
  window.addEventListener("DOMContentLoaded", () => {
    const style = document.createElement("style");
    style.textContent = CSS;
    document.head.appendChild(style);
    pdfButton();
    counts().catch(() => {});
    check(false).catch(() => {});
    listen();
  });
})();
"""

_PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family:sans-serif;padding:2em;max-width:60em"><h1>{title}</h1>{body}</body></html>"""


# the client went away (ConnectionAbortedError is how Windows says it)
_CLIENT_GONE = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, preview: Preview, port: int, host: str = "127.0.0.1") -> None:
        self.preview = preview
        super().__init__((host, port), _Handler)

    def handle_error(self, request, client_address) -> None:
        """A browser that closes a tab, reloads or stops a download mid-request resets its connection:
        nothing went wrong here, so say nothing. Anything else is a bug and is printed as before."""
        if isinstance(sys.exc_info()[1], _CLIENT_GONE):
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the terminal is for the editor, not for access logs
        pass

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        try:
            if not self._local_host():
                self._send(HTTPStatus.FORBIDDEN, b"Forbidden: not this computer's address\n", "text/plain")
            elif path.startswith(ENDPOINT + "/"):
                self._endpoint(path[len(ENDPOINT) + 1 :])
            else:
                self._file(path)
        except _CLIENT_GONE:
            pass

    do_HEAD = do_GET

    def _local_host(self) -> bool:
        """Whether the request names this computer (Host: 127.0.0.1:8000, localhost…). A web page on
        evil.example whose name is made to resolve to 127.0.0.1 (DNS rebinding) would otherwise read the
        preview, unpublished drafts and the diagnostics with their source lines, as its own site."""
        host = self.headers.get("Host")
        if host is None:
            return True  # HTTP/1.0 without Host: no browser sends that
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.lower() in ("127.0.0.1", "localhost", "[::1]")

    # --- endpoints ---

    def _endpoint(self, name: str) -> None:
        preview = self.server.preview
        if name == "status":
            s = preview.state
            body = json.dumps(
                {
                    "version": s.version,
                    "ok": s.ok,
                    "seconds": round(s.seconds, 3),
                    "diagnostics": diagnostics_json(s.diagnostics),
                },
                ensure_ascii=False,
            )
            self._send(HTTPStatus.OK, body.encode(), "application/json; charset=utf-8")
        elif name == "live.js":
            self._send(HTTPStatus.OK, live_script().encode(), "text/javascript; charset=utf-8")
        elif name == "events":
            self._events()
        elif m := re.fullmatch(r"counts/(\d{4}-\d{2})\.json", name):
            data = preview.counts(m.group(1))
            if data is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            else:
                body = json.dumps(data, ensure_ascii=False).encode()
                self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
        elif m := re.fullmatch(r"pdf/(\d{4}-\d{2})\.pdf", name):
            pdf, problems = preview.build_pdf(m.group(1))
            if pdf is None:
                self._page(
                    HTTPStatus.OK,
                    messages.t("serve_pdf_failed", key=m.group(1)),
                    "",
                    [d for d in problems if d.severity == "error"],
                )
            else:
                self._send(HTTPStatus.OK, pdf.read_bytes(), "application/pdf")
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")

    def _events(self) -> None:
        """Server-sent events: one message per finished build; a comment every 15 s keeps it open."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if self.command == "HEAD":
            return
        version = preview.state.version
        while not preview.stop.is_set():
            state = preview.wait_for(version, 15)
            if state.version != version:
                version = state.version
                self.wfile.write(f"data: {version}\n\n".encode())
            else:
                self.wfile.write(b": keep-alive\n\n")
            self.wfile.flush()

    # --- files ---

    def _file(self, path: str) -> None:
        site = self.server.preview.site_dir
        target = Path(os.path.normpath(site / path.lstrip("/")))
        if target != site and site not in target.parents:
            self._send(HTTPStatus.FORBIDDEN, b"forbidden", "text/plain")
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            state = self.server.preview.state
            if not state.ok:
                self._page(HTTPStatus.OK, messages.t("serve_failed"), messages.t("serve_failed"))
            else:
                self._page(HTTPStatus.NOT_FOUND, "404", path)
            return
        data = target.read_bytes()
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            data = inject(data)
            ctype += "; charset=utf-8"
        elif ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        self._send(HTTPStatus.OK, data, ctype)

    def _page(
        self, status: HTTPStatus, title: str, text: str, problems: list[Diagnostic] | None = None
    ) -> None:
        import html

        body = f"<p>{html.escape(text)}</p>" if text else ""
        for d in problems or []:
            body += (
                f'<div style="border-left:4px solid #c33;padding:.3em 1em;margin:1em 0;background:#fff4f4">'
                f"<b>{html.escape(d.location())}</b> {html.escape(messages.t(d.severity))}: "
                f"{html.escape(d.message)}"
                + (f"<br>{html.escape(messages.t('hint'))}: {html.escape(d.hint)}" if d.hint else "")
                + "</div>"
            )
        page = _PAGE.format(lang=messages.t("html_lang"), title=html.escape(title), body=body)
        self._send(status, inject(page.encode()), "text/html; charset=utf-8")

    def _send(self, status: HTTPStatus, data: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


_SCRIPT_TAG = f'<script src="{ENDPOINT}/live.js"></script>'.encode()


def inject(html: bytes) -> bytes:
    """The page with the preview script added before </body> (the files on disk stay untouched)."""
    i = html.lower().rfind(b"</body>")
    return html[:i] + _SCRIPT_TAG + html[i:] if i >= 0 else html + _SCRIPT_TAG


def serve(
    root: Path,
    port: int,
    *,
    drafts: bool = False,
    on_ready: Callable[[str], None] | None = None,
    log: Callable[[BuildState, Report | None], None] | None = None,
) -> None:
    """Build, serve on 127.0.0.1:`port` and rebuild on every change until interrupted."""
    preview = Preview(root, drafts=drafts, log=log)
    try:
        server = PreviewServer(preview, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortBusy(port) from None
        raise
    preview.rebuild()
    preview.start_watching()
    if on_ready:
        on_ready(server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        preview.stop.set()
        with preview.changed:
            preview.changed.notify_all()
        server.server_close()


class PortBusy(Exception):
    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.port = port
