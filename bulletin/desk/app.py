"""The desk's Flask application: `create_app(root)`.

Here: sessions, login and logout, the login rate limit, CSRF (Flask-WTF's CSRFProtect on every POST,
forms and fetch() alike), security headers, the request size limit, role checks and the error pages.
The screens are in bulletin/desk/views.py; what they do to the project is in the desk's operations
modules (articles, issues, order, checks, imports, jobs, history).

Sessions are Flask's signed cookies with the key in `.desk/secret` (0600). A session holds the login
name, a stamp of the password hash (a changed password or a removed account ends it at the next
request), the login time (absolute limit) and the time of the last request (idle limit).
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask, flash, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from bulletin import messages
from bulletin.desk import accounts
from bulletin.desk.access import error_page
from bulletin.desk.imports import MAX_UPLOAD_BYTES
from bulletin.desk.throttle import LoginThrottle

IDLE_MINUTES = 60  # no request for this long: log in again
ABSOLUTE_HOURS = 12  # a working day, however busy
# one Word file (of at most imports.MAX_UPLOAD_BYTES) per upload request: the page sends them one by one
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024
SECRET_FILE = "secret"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'; "
    "frame-src 'self'"
)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session with the Secure flag whenever the browser reached us over HTTPS (directly
    or, with --behind-proxy, through the proxy that says so in X-Forwarded-Proto)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def session_key(root: Path) -> bytes:
    """The session signing key, made once per project in .desk/secret (readable by its owner only)."""
    path = accounts.desk_dir(root) / SECRET_FILE
    if path.is_symlink():
        raise accounts.AccountError(
            messages.t("desk_accounts_not_file", path=f"{accounts.DESK_DIR}/{SECRET_FILE}")
        )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
        raise accounts.AccountError(
            messages.t(
                "desk_accounts_unreadable", path=f"{accounts.DESK_DIR}/{SECRET_FILE}", problem="< 32 bytes"
            )
        ) from None
    key = secrets.token_bytes(48)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
        f.flush()
        os.fsync(f.fileno())
    return key


def create_app(
    root: Path,
    *,
    behind_proxy: bool = False,
    idle_minutes: float = IDLE_MINUTES,
    absolute_hours: float = ABSOLUTE_HOURS,
    throttle: LoginThrottle | None = None,
    clock: Callable[[], float] = time.time,
) -> Flask:
    """The desk for the project at `root`. `behind_proxy`: trust X-Forwarded-For/-Proto/-Host/-Prefix
    from one reverse proxy in front (and only then)."""
    root = root.resolve()
    app = Flask(__name__)
    app.config.update(
        DESK_ROOT=root,
        SECRET_KEY=session_key(root),
        SESSION_COOKIE_NAME="bulletin_desk",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which expires by itself
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.session_interface = _SessionInterface()
    app.extensions["desk_throttle"] = throttle or LoginThrottle()
    app.extensions["desk_clock"] = clock
    idle, absolute = idle_minutes * 60, absolute_hours * 3600
    if behind_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)
    CSRFProtect(app)
    app.jinja_env.globals.update(t=messages.t, t_has=messages.has, lang=messages.language)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True

    @app.before_request
    def load_editor():
        g.editor = None
        name = session.get("user")
        if not name:
            return
        now = clock()
        try:
            account = accounts.load_accounts(root).get(name)
        except accounts.AccountError:
            account = None
        expired = (
            account is None
            or session.get("stamp") != account.stamp
            or now - session.get("login_at", 0) > absolute
            or now - session.get("seen_at", 0) > idle
        )
        if expired:
            session.clear()
            g.session_expired = True
            flash(messages.t("desk_session_expired"), "error")
            return
        # refreshed at most once a minute: a cookie per request would defeat caching for nothing
        if now - session.get("seen_at", 0) > 60:
            session["seen_at"] = now
        g.editor = account

    @app.after_request
    def security_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h["X-Frame-Options"] = "SAMEORIGIN"
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.is_secure:
            h["Strict-Transport-Security"] = "max-age=31536000"
        if not request.path.startswith("/static/"):
            h["Cache-Control"] = "no-store"
        return response

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            if g.editor is not None:
                return redirect(url_for("desk.issues"))
            return render_template("login.html", next=_safe_next(request.args.get("next")))
        name = request.form.get("name", "").strip()[:64]
        password = request.form.get("password", "")
        ip = request.remote_addr or "?"
        limiter: LoginThrottle = app.extensions["desk_throttle"]
        wait = limiter.wait_seconds(ip, name)
        if wait:
            minutes = max(1, (wait + 59) // 60)
            flash(messages.t("desk_login_throttled", minutes=minutes), "error")
            return render_template("login.html", name=name, next=_safe_next(request.form.get("next"))), 429
        try:
            account = accounts.authenticate(root, name, password)
        except accounts.AccountError as exc:
            flash(str(exc), "error")
            return render_template("login.html", name=name), 500
        if account is None:
            limiter.failed(ip, name)
            flash(messages.t("desk_login_wrong"), "error")
            return render_template("login.html", name=name, next=_safe_next(request.form.get("next"))), 401
        limiter.succeeded(name)
        session.clear()  # nothing from before the login is carried into it
        now = clock()
        session.update(user=account.name, stamp=account.stamp, login_at=now, seen_at=now)
        return redirect(_safe_next(request.form.get("next")) or url_for("desk.issues"))

    @app.post("/logout")
    def logout():
        session.clear()
        flash(messages.t("desk_logged_out"), "info")
        return redirect(url_for("login"))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_page(400, messages.t("desk_csrf_failed"))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        key = {
            403: "desk_forbidden",
            404: "desk_page_not_found",
            405: "desk_page_not_found",
            413: "desk_request_too_large",
        }.get(code)
        text = (
            messages.t(key, mb=MAX_REQUEST_BYTES // (1024 * 1024)) if key else messages.t("desk_bad_request")
        )
        return error_page(code, text)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        # a bug: one plain sentence for the editor, the traceback in the server's log
        app.logger.exception("desk: unexpected error on %s %s", request.method, request.path)
        return error_page(500, messages.t("desk_internal_error"))

    from bulletin.desk.views import desk

    app.register_blueprint(desk)
    return app


def _safe_next(target: str | None) -> str | None:
    """A page of this desk to go to after logging in: a path on this site only (no //host, no scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if re.search(r"[\x00-\x20\x7f]", target):  # a browser drops tabs and line breaks: "/\t/host" is "//host"
        return None
    return target
