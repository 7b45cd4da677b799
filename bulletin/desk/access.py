"""Who may see and do what: the checks every view makes on the server, whatever its page showed, and
the error page (in the editor's language, never a traceback)."""

from __future__ import annotations

import functools

from flask import g, redirect, render_template, request, session, url_for

from bulletin import messages


def error_page(code: int, text: str):
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return {"error": text}, code
    return render_template("error.html", code=code, text=text), code


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("editor") is None:
            if request.method != "GET" or request.is_json:
                expired = getattr(g, "session_expired", False)
                session.pop("_flashes", None)  # said once, by the error page itself
                return error_page(401, messages.t("desk_session_expired" if expired else "desk_login_needed"))
            return redirect(url_for("login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def chief_required(view):
    """Only a 主编 (chief): checked here, on the server, whatever the page showed."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if g.editor.role != "chief":
            return error_page(403, messages.t("desk_chief_only"))
        return view(*args, **kwargs)

    return wrapped
