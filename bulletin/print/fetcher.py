"""A URL fetcher for WeasyPrint that loads only local files inside allowed folders, and data: URLs.

Never http(s)://, never file:///etc/…, never ../ escapes or links that lead outside. Refused and failed
loads are recorded so the build can report them as errors (WeasyPrint itself only logs a warning).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse


class ConfinedFetcher(URLFetcher):
    def __init__(self, roots: list[Path], aliases: dict[str, Path] | None = None) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=5)
        self.roots = [r.resolve() for r in roots]
        # URL path prefix -> real folder: project files are addressed by a fixed URL (bulletin.print.render)
        self.aliases = {prefix: folder.resolve() for prefix, folder in (aliases or {}).items()}
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            self.refused.append(url)
            raise ValueError(f"refused (not a local file): {url}")
        raw = unquote(urlparse(url).path)
        for prefix, folder in self.aliases.items():
            if raw.startswith(prefix):
                raw = str(folder / raw[len(prefix) :])
                break
        path = Path(raw).resolve()
        if not any(path == r or r in path.parents for r in self.roots):
            self.refused.append(url)
            raise ValueError(f"refused (outside the project): {url}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.refused.append(url)
            raise ValueError(f"cannot read {path}: {exc.strerror}") from None
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": ctype})
