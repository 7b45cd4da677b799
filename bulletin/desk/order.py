"""Reordering an issue: the `order:` of each article (and `section:` of one moved to another section)
written from the layout the editor dragged, changing only those lines of each file."""

from __future__ import annotations

from pathlib import Path

from bulletin import messages
from bulletin.content.frontmatter import split_front_matter
from bulletin.desk import approval, history
from bulletin.desk.articles import load_publication, read_article
from bulletin.desk.errors import DeskError, EditConflict, Editor
from bulletin.desk.files import article_file, atomic_write, issue_folder, project_lock, version
from bulletin.desk.frontlines import edit

MAX_ARTICLES = 1000  # the schema's range of `order:`


def edit_front_matter_lines(text: str, changes: dict) -> str:
    """`text` (an article, \\n line endings) with only the front-matter lines of `changes` rewritten;
    everything else, the --- lines and the body included, byte for byte as it was."""
    parts = split_front_matter(text)
    if parts is None:
        raise ValueError("no front matter")
    lines = text.split("\n")
    close = parts[2] - 2  # the closing --- line, 0-based
    fm = edit("\n".join(lines[1:close]), changes)
    return "\n".join([lines[0], *([fm] if fm else []), *lines[close:]])


def reorder(
    root: Path,
    issue_key: str,
    layout: list[tuple[str, list[str]]],
    *,
    user: Editor,
    expected_versions: dict[str, str] | None = None,
) -> list[str]:
    """Write `order: 1, 2, …` for the articles of each (section, relpaths) of `layout` in that order, and
    `section:` for those listed under another section than theirs. Each article of the issue may be
    listed once; a section in the layout must list every article it has now (or they would share
    numbers). `expected_versions` (relpath → version, optional): EditConflict if one changed since.
    Returns the relpaths written (those whose lines changed)."""
    folder = issue_folder(root, issue_key)
    pub = load_publication(root)
    sections = {s.id for s in pub.sections}
    if not isinstance(layout, (list, tuple)):
        raise DeskError.of("desk_bad_layout", problem=type(layout).__name__)
    seen: set[str] = set()
    plan: dict[str, tuple[Path, str, int]] = {}
    for item in layout:
        if not isinstance(item, (list, tuple)) or len(item) != 2 or not isinstance(item[1], (list, tuple)):
            raise DeskError.of("desk_bad_layout", problem=str(item)[:60])
        section, rels = item
        if section not in sections:
            raise DeskError.of("desk_no_section", section=str(section)[:40])
        if len(rels) > MAX_ARTICLES:
            raise DeskError.of("desk_bad_layout", problem=f"{len(rels)} > {MAX_ARTICLES}")
        for n, rel in enumerate(rels, 1):
            path = article_file(root, rel)
            if path.parent != folder:
                raise DeskError.of("desk_not_in_issue", file=str(rel)[:120], key=issue_key)
            if rel in seen:
                raise DeskError.of("desk_listed_twice", file=rel)
            seen.add(rel)
            plan[rel] = (path, section, n)
    listed_sections = {s for s, _r in layout}
    written: list[str] = []
    before: dict[str, bytes] = {}
    with project_lock(root):
        new: dict[str, bytes] = {}
        for md in sorted(folder.glob("*.md")):
            rel = f"{folder.relative_to(root).as_posix()}/{md.name}"
            if md.name.startswith((".", "_")) or rel in plan:
                continue
            try:
                sec = read_article(root, rel).front.get("section")
            except DeskError:
                continue
            if sec in listed_sections:
                raise DeskError.of("desk_layout_missing", file=rel, section=sec)
        for rel, (path, section, n) in plan.items():
            data = path.read_bytes()
            current = version(data)
            if expected_versions and rel in expected_versions and expected_versions[rel] != current:
                text = data.decode("utf-8", errors="replace")
                raise EditConflict(
                    messages.t("desk_conflict", file=rel),
                    mine=text,
                    theirs=text,
                    theirs_version=current,
                    file=rel,
                )
            doc = read_article(root, rel)
            changes: dict = {}
            if doc.front.get("order") != n:
                changes["order"] = n
            if doc.front.get("section") != section:
                changes["section"] = section
            if not changes:
                continue
            bom = data.startswith(b"\xef\xbb\xbf")
            text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
            newline = "\r\n" if "\r\n" in text else "\n"
            try:
                out = edit_front_matter_lines(text.replace("\r\n", "\n"), changes)
            except ValueError:
                raise DeskError.of("fm_missing", file=rel, line=1) from None
            new[rel] = (b"\xef\xbb\xbf" if bom else b"") + out.replace("\n", newline).encode("utf-8")
            before[rel] = data
        for rel, data in new.items():
            atomic_write(plan[rel][0], data)
            written.append(rel)
    if written:
        who = user.display or user.name
        history.record(
            root, written, user=user, message=f"desk: {who} 调整 {issue_key} 的文章顺序", before=before
        )
        approval.article_changed(root, folder, user)
    return written
