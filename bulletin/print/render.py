"""Print HTML for one issue: masthead, contents, articles — presentation lives in templates/print/."""

from __future__ import annotations

from dataclasses import dataclass

from bulletin import numbering
from bulletin.markdown import render_body
from bulletin.model import Archive, Issue
from bulletin.templating import environment, find_static


@dataclass(frozen=True)
class PrintDocument:
    html: str
    base_url: str  # where relative image paths resolve: the issue folder
    title: str


def print_html(archive: Archive, issue: Issue) -> PrintDocument:
    pub = archive.publication
    env = environment(archive.root)
    bodies = {a.slug: render_body(a.body, allow_html=pub.site.allow_html, target="print") for a in issue.articles}
    css = find_static(archive.root, "print/print.css")
    html = env.get_template("print/issue.html").render(
        pub=pub,
        issue=issue,
        bodies=bodies,
        label=numbering.issue_label(issue.year, issue.number, issue.total),
        frequency=numbering.frequency_label(pub.frequency),
        stylesheet=css.as_uri() if css else "",
    )
    title = f"{pub.title} {numbering.issue_label(issue.year, issue.number, issue.total)}"
    return PrintDocument(html, issue.folder.resolve().as_uri() + "/", title)
