"""Where print may read files from: the rule the confined fetcher applies, without WeasyPrint, so `check`
can apply it to the project's print stylesheet and templates before anything is rendered."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

REMOTE = "remote"  # why a URL was refused: not a local file at all
OUTSIDE = "outside"  # a local file outside the allowed folders
UNREADABLE = "unreadable"  # inside, but missing, not a regular file, too large or unreadable

# Project files reach WeasyPrint under this fixed URL (the fetcher maps it back to the project folder), so
# the PDF, whose image names derive from URLs, does not depend on where the project sits on disk.
PROJECT_PREFIX = "/bulletin-project/"
PROJECT_URL = "file://" + PROJECT_PREFIX


def locate(url: str, roots: list[Path], aliases: dict[str, Path]) -> tuple[str | None, Path | None]:
    """(None, the file) for a URL print may read; (REMOTE/OUTSIDE/UNREADABLE, None) otherwise. data:
    URLs are (None, None): they carry their bytes. `roots` and `aliases` are already resolved."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return None, None
    if scheme != "file":
        return REMOTE, None
    raw = unquote(urlparse(url).path)
    for prefix, folder in aliases.items():
        if raw.startswith(prefix):
            raw = str(folder / raw[len(prefix) :])
            break
    try:
        path = Path(raw).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return UNREADABLE, None
    if not any(path == r or r in path.parents for r in roots):
        return OUTSIDE, None
    return None, path
