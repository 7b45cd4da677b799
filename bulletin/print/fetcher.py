"""A URL fetcher for WeasyPrint that loads only local files inside allowed folders, and data: URLs.

Never http(s)://, never file:///etc/…, never ../ escapes or links that lead outside. The allowed folders
are fixed — the project and the installed default templates (plus the one installed ICC profile in use,
a file, not its folder): no setting widens them. Refused and failed loads are recorded so the build can
report them as errors (WeasyPrint itself only logs a warning).
"""

from __future__ import annotations

import mimetypes
import os
import stat
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from bulletin.print.confine import OUTSIDE, REMOTE, UNREADABLE, locate

__all__ = ["OUTSIDE", "REMOTE", "UNREADABLE", "ConfinedFetcher"]

# Larger than any picture, font or profile a bulletin needs; a bigger file is a mistake or an attack.
MAX_RESOURCE_BYTES = 64 * 1024 * 1024


class ConfinedFetcher(URLFetcher):
    def __init__(self, roots: list[Path], aliases: dict[str, Path] | None = None) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=5)
        self.roots = [r.resolve() for r in roots]
        # URL path prefix -> real folder: project files are addressed by a fixed URL (bulletin.print.render)
        self.aliases = {prefix: folder.resolve() for prefix, folder in (aliases or {}).items()}
        self.refused: list[str] = []
        self.why: dict[str, str] = {}  # refused URL -> REMOTE | OUTSIDE | UNREADABLE

    def _refuse(self, url: str, why: str, text: str):
        self.refused.append(url)
        self.why.setdefault(url, why)
        return ValueError(f"refused ({text}): {url}")

    def fetch(self, url: str, headers=None):
        why, path = locate(url, self.roots, self.aliases)
        if why is not None:
            raise self._refuse(url, why, why)
        if path is None:  # data:
            return super().fetch(url, headers)
        try:
            # O_NONBLOCK: a FIFO put in the project opens at once instead of waiting for a writer
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as exc:
            raise self._refuse(url, UNREADABLE, exc.strerror or "cannot open") from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_RESOURCE_BYTES:
                raise self._refuse(url, UNREADABLE, "not a regular file of a sensible size")
            with os.fdopen(fd, "rb", closefd=False) as f:
                data = f.read(MAX_RESOURCE_BYTES + 1)
        finally:
            os.close(fd)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": ctype})
