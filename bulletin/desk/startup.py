"""Getting the desk ready to answer fast: what the first request would otherwise pay for."""

from __future__ import annotations

from pathlib import Path

from bulletin.desk import articles, issues


def warm_up(root: Path) -> None:
    """Build the issue list's cache (a cold ten-year archive takes seconds, once) and render one preview
    (templates compiled, Markdown and the site's code loaded), so the first editor waits for neither.
    Problems are left for the requests themselves to report."""
    try:
        summaries = issues.list_issues(root)
        if not summaries:
            return
        detail = issues.issue_detail(root, summaries[0].key)
        for section in detail.sections:
            for row in section.articles:
                if row.loaded:
                    doc = articles.read_article(root, row.relpath)
                    articles.preview_html(root, row.relpath, doc.front, doc.body)
                    return
    except Exception:  # noqa: BLE001 -- a warm-up must never stop the desk from starting
        return
