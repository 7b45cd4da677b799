"""Proofs (校样) for the 三审三校 rounds: the issue, or one article, laid out as it will print, marked so
that no one can take it for the print file.

A proof is the ordinary print pipeline (render.print_html → jobs → pdf.write_pdf) with a proof layer on
top, added here and in templates/print/proof.css:

* every page carries a light diagonal 校样 watermark and, at its foot, the proof's number for the issue
  (第N次校样), the date it was made and 不得付印 (not for print); the running head names the issue;
* every paragraph, heading and list item of an article is numbered in the margin (¶1, ¶2 … afresh in
  each article), so reviewers can write "p3 ¶5";
* it is never print-ready: no bleed, no crop marks, no PDF/X output intent (plain RGB, no ICC profile),
  its pages are the printed issue's pages, the blank ones for the binding too (watermarked, with the
  label); its name says 校样 and it goes to output/proof/, which the build
  never touches and the site never links: output/proof/2026-02-校样-3.pdf, or for one article
  output/proof/2026-02-kaiju-校样-4.pdf.

The proof number is derived from the proof files already there (the highest number of the issue's
proofs, issue or article, plus one): no state file. Deleting the proofs starts the count again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from bulletin import numbering
from bulletin.model import Archive, Article, Issue

PROOF_DIR = "proof"  # under output/
PROOF_WORD = "校样"
PROOF_CLASS = "proof-para"
_NAME = re.compile(r"^(\d{4}-\d{2})(?:-(.+))?-" + PROOF_WORD + r"-(\d+)\.pdf$")


@dataclass(frozen=True)
class Proof:
    path: Path
    number: int
    pages: int
    paragraphs: int  # paragraph numbers set in the margin


def proof_name(issue_key: str, number: int, article: Article | None = None) -> str:
    middle = f"-{article.slug}" if article is not None else ""
    return f"{issue_key}{middle}-{PROOF_WORD}-{number}.pdf"


def next_proof_number(folder: Path, issue_key: str) -> int:
    """1 + the highest number among the issue's proofs in `folder` (1 when there are none)."""
    highest = 0
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 1
    for name in names:
        m = _NAME.match(name)
        if m and m.group(1) == issue_key:
            highest = max(highest, int(m.group(3)))
    return highest + 1


def find_article(issue: Issue, name: str) -> Article | None:
    """The article of `issue` named by its file name (with or without .md), its slug or its title."""
    wanted = name.strip().removesuffix(".md")
    for article in issue.articles:
        if wanted in (article.stem, article.slug, article.title):
            return article
    return None


def proof_archive(archive: Archive, issue: Issue, article: Article | None) -> tuple[Archive, Issue]:
    """The archive and issue as a proof prints them: no PDF/X (no output intent, no ICC profile), no
    bleed, no crop marks; only `article` when one is given. The blank pages the binding needs stay in
    an issue's proof, so that it has the printed issue's pages (mark_blank_pages marks them)."""
    settings = dataclasses.replace(archive.publication.print, pdf_variant="", crop_marks=False, bleed_mm=0.0)
    if article is not None:  # one article's pages are not the issue's: no blank pages for the binding
        settings = dataclasses.replace(settings, pad_to_multiple=1)
    pub = dataclasses.replace(archive.publication, print=settings)
    if article is not None:
        issue = dataclasses.replace(issue, articles=(article,))
    issues = tuple(issue if i.key == issue.key else i for i in archive.issues)
    return dataclasses.replace(archive, publication=pub, issues=issues), issue


_ARTICLE = re.compile(r'(<article class="article[^"]*" id="[^"]*"[^>]*>)(.*?)(</article>)', re.S)
_BODY_START = '<div class="body">'
_NUMBERED = re.compile(r"<(p|h[2-6]|li)((?: [^>]*)?)>")
_SKIP_CLASSES = ("stanza-no",)


def number_paragraphs(html: str) -> tuple[str, int]:
    """Each paragraph, heading and list item of every article body gets its number (¶N, from 1 in each
    article) as a first child that proof.css sets in the margin. Returns the HTML and how many."""
    total = 0

    def article(m: re.Match) -> str:
        nonlocal total
        inner = m.group(2)
        start = inner.find(_BODY_START)
        if start < 0:
            return m.group(0)
        head, body = inner[: start + len(_BODY_START)], inner[start + len(_BODY_START) :]
        n = 0

        def mark(b: re.Match) -> str:
            nonlocal n
            attrs = b.group(2)
            if any(c in attrs for c in _SKIP_CLASSES):
                return b.group(0)
            n += 1
            return f'{b.group(0)}<span class="{PROOF_CLASS}">¶{n}</span>'

        body = _NUMBERED.sub(mark, body)
        total += n
        return m.group(1) + head + body + m.group(3)

    return _ARTICLE.sub(article, html), total


def add_proof_layer(html: str, css: str, *, number: int, date: dt.date) -> tuple[str, int]:
    """The print HTML with the proof layer: the stylesheet, the watermark, the page-foot label, the
    paragraph numbers and a title that says 校样."""
    html, paragraphs = number_paragraphs(html)
    label = f"第{number}次{PROOF_WORD}　{numbering.chinese_date(date)}　不得付印"
    page_label = f'@page {{ @bottom-left {{ content: "{_css_string(label)}"; }} }}'
    html = html.replace("</head>", f"<style>\n{css}\n{page_label}\n</style>\n</head>", 1)
    marks = f'<div class="proof-watermark" aria-hidden="true">{PROOF_WORD}</div>'
    # At the end of the body: WeasyPrint repeats a fixed box on every page, before the page's own boxes
    # on the pages after the one it stands on and after them on the pages before. Standing first, it
    # would be the first box of every page, and `string(section, start)` (the running head) would miss
    # a section that begins a page: the proof's running heads would differ from the print PDF's.
    html = re.sub(r"(</body>)", lambda m: marks + "\n" + m.group(1), html, count=1)
    suffix = f"（第{number}次{PROOF_WORD}）</title>"
    html = re.sub(r"</title>", lambda m: suffix, html, count=1)
    return html, paragraphs


def mark_blank_pages(pages: list) -> list:
    """The blank pages added for the binding (bulletin.print.paging) carry nothing; in a proof they get
    the watermark and the label of a page of the same side (left/right pages mirror their margins).
    Works on WeasyPrint's page boxes, like paging.py: a fixed box of a page after the first is a child
    of its root box."""

    def marks(page):
        box = page._page_box
        root = next((c for c in box.children if getattr(c, "element_tag", None) == "html"), None)
        watermark = None
        if root is not None:
            watermark = next((c for c in root.children if _has_class(c, "proof-watermark")), None)
        label = next((c for c in box.children if getattr(c, "at_keyword", "") == "@bottom-left"), None)
        return root, watermark, label

    for i, page in enumerate(pages):
        box = page._page_box
        if any(getattr(c, "element_tag", None) == "html" for c in box.children):
            continue  # a page of the issue: it has its marks
        for j in range(i % 2, len(pages), 2):
            root, watermark, label = marks(pages[j])
            if watermark is not None:
                added = [root.copy_with_children([watermark])] + ([label] if label is not None else [])
                box.children = added + list(box.children)
                break
    return pages


def _has_class(box, name: str) -> bool:
    element = getattr(box, "element", None)
    return element is not None and name in (element.get("class") or "").split()


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def render_proof(
    archive: Archive,
    issue: Issue,
    article: Article | None,
    folder: Path,
    *,
    today: dt.date | None = None,
) -> tuple[Proof | None, tuple[tuple, ...]]:
    """Render the proof of `issue` (or of its `article`) into `folder` under the next proof number.
    Returns the proof (None when there were errors) and the problems found (severity, file, line,
    code, args), as the print jobs report them."""
    from bulletin.print import jobs
    from bulletin.print.render import print_html
    from bulletin.templating import environment

    today = today or dt.date.today()
    p_archive, p_issue = proof_archive(archive, issue, article)
    doc = print_html(p_archive, p_issue)
    problems = list(doc.problems)
    if any(p[0] == "error" for p in problems):
        return None, tuple(problems)
    number = next_proof_number(folder, issue.key)
    css = environment(archive.root).get_template("print/proof.css").render(geometry=doc.geometry)
    html, paragraphs = add_proof_layer(doc.html, css, number=number, date=today)
    doc = dataclasses.replace(doc, html=html, title=f"{doc.title} 第{number}次{PROOF_WORD}")
    jobs.setup_process()
    result = jobs._finish(p_archive, p_issue, doc, problems, page_hook=mark_blank_pages)
    if result.data is None:
        return None, result.problems
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / proof_name(issue.key, number, article)
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(result.data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Proof(path, number, result.pages, paragraphs), result.problems
