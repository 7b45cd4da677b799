"""Starting the desk: `bulletin desk` serves create_app(root) with waitress, a production WSGI server.

It listens on 127.0.0.1 unless told otherwise. On any other address the editors' passwords and
articles would cross the office network in clear, so it then says how to put it behind HTTPS (a reverse
proxy such as nginx or Caddy on the same machine) and to start it with --behind-proxy there.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from bulletin import messages
from bulletin.desk import accounts
from bulletin.desk.app import MAX_REQUEST_BYTES, create_app
from bulletin.editor.serve import PortBusy

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# waitress takes in bodies up to this before the app sees them: above the app's own limit, so that an
# upload a little too large gets the desk's message in the editor's language, not waitress' plain one
WAITRESS_BODY_LIMIT = 4 * MAX_REQUEST_BYTES


def network_notice(host: str, port: int) -> str | None:
    """What to say when the desk listens on `host` beyond this machine (None for 127.0.0.1)."""
    if host in LOCAL_HOSTS:
        return None
    return messages.t("desk_network_notice", host=host, port=port)


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8040,
    *,
    behind_proxy: bool = False,
    threads: int = 8,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the desk until interrupted. Refuses to start with no account (nobody could log in)."""
    from waitress.server import create_server

    if not accounts.load_accounts(root):
        raise accounts.AccountError(messages.t("desk_no_accounts"))
    app = create_app(root, behind_proxy=behind_proxy)
    try:
        server = create_server(
            app, host=host, port=port, threads=threads, ident="bulletin-desk",
            max_request_body_size=WAITRESS_BODY_LIMIT,
            # waitress drops X-Forwarded-* unless told otherwise: keep them only for ProxyFix behind a proxy
            clear_untrusted_proxy_headers=not behind_proxy,
        )  # fmt: skip
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortBusy(port) from None
        raise
    from bulletin.desk.startup import warm_up

    warm_up(root)  # the first editor does not wait for the archive's caches
    addr = server.effective_host, server.effective_port
    shown = f"[{addr[0]}]" if ":" in str(addr[0]) else addr[0]
    if addr[0] in ("0.0.0.0", "::"):
        shown = socket.gethostname()
    if on_ready:
        on_ready(f"http://{shown}:{addr[1]}/")
    server.run()


@contextlib.contextmanager
def running(app, host: str = "127.0.0.1", threads: int = 4) -> Iterator[str]:
    """`app` served by waitress in a background thread on a free port of `host`, for the duration
    (browser tests, the screenshot script, the benchmark); yields its base URL without the final /."""
    from waitress.server import create_server

    server = create_server(
        app, host=host, port=0, threads=threads, ident="bulletin-desk",
        max_request_body_size=WAITRESS_BODY_LIMIT,
    )  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.effective_port}"
    finally:
        server.close()
        thread.join(10)
