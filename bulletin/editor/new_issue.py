"""`bulletin new issue`: the next issue's folder and a commented issue.yaml, numbered and dated.

The numbers follow the rules the build checks (numbering.check_sequence): total + 1; number + 1 in the same
year, 1 in a new year. The date is the next one the publication's frequency gives after the latest issue:
semi-monthly issues keep their two days a month (the 5th and 20th stay the 5th and 20th, a 30th clamped to
February's 28th goes back to the 30th in March), monthly ones their day of the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bulletin import messages, numbering
from bulletin.content.loader import ISSUE_FIELDS, ISSUE_FILE
from bulletin.content.textfile import read_text
from bulletin.content.yamlfile import parse
from bulletin.diagnostics import Report
from bulletin.model import Publication
from bulletin.schema import parse_date, validate


@dataclass(frozen=True)
class IssueStamp:
    """An existing issue, as far as numbering is concerned."""

    year: int
    number: int
    total: int
    date: dt.date
    folder: str  # content/2026/04


@dataclass(frozen=True)
class IssuePlan:
    """The issue `bulletin new issue` is about to create."""

    year: int
    number: int
    total: int
    date: dt.date
    folder: Path
    previous: IssueStamp | None

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self) -> str:
        return numbering.issue_label(self.year, self.number, self.total)


# --- the schedule -----------------------------------------------------------------------------


def _add_months(d: dt.date, months: int, day: int) -> dt.date:
    """`day` of the month `months` after d's month, clamped to that month's length."""
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return dt.date(y, m + 1, min(day, calendar.monthrange(y, m + 1)[1]))


def _is_month_end(d: dt.date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def next_date(frequency: str, history: list[dt.date]) -> dt.date:
    """The next publication date after the latest of `history` (oldest first, not empty)."""
    last = history[-1]
    recent = history[-4:]
    if frequency == "weekly":
        return last + dt.timedelta(days=7)
    if frequency == "semimonthly":
        # the first-half day of the pattern (5 for 5th/20th), from the latest issue in the first half
        firsts = [d.day for d in recent if d.day <= 15]
        a = firsts[-1] if firsts else max(last.day - 15, 1)
        candidates = [_add_months(last, k, day) for k in (0, 1) for day in (a, a + 15)]
        return min(c for c in candidates if c > last)
    months = {"monthly": 1, "bimonthly": 2, "quarterly": 3}.get(frequency, 1)
    day = last.day
    if _is_month_end(last):  # a 31st clamped to the 30th or 28th: return to the intended day
        day = max(d.day for d in recent)
    return _add_months(last, months, day)


# --- reading what exists ----------------------------------------------------------------------


def existing_issues(root: Path, report: Report) -> list[IssueStamp]:
    """Every issue folder's numbering and date, oldest first. Unreadable issue.yaml files are
    reported on `report` (the next issue cannot be computed reliably past them)."""
    stamps: list[IssueStamp] = []
    content = root / "content"
    if not content.is_dir():
        return stamps
    for path in sorted(content.glob(f"[0-9][0-9][0-9][0-9]/[0-9][0-9]/{ISSUE_FILE}")):
        text = read_text(path, report, root)
        doc = parse(text, path, report, what=ISSUE_FILE) if text is not None else None
        if doc is None:
            continue
        values = validate(doc, ISSUE_FIELDS, path, report)
        if all(k in values for k in ("number", "total", "date")):
            folder = path.parent.relative_to(root).as_posix()
            stamps.append(
                IssueStamp(values["date"].year, values["number"], values["total"], values["date"], folder)
            )
    return sorted(stamps, key=lambda s: (s.total, s.date))


# --- planning and writing ---------------------------------------------------------------------


def plan_next_issue(
    root: Path,
    pub: Publication,
    report: Report,
    *,
    date: str | None = None,
    number: int | None = None,
    total: int | None = None,
) -> IssuePlan | None:
    """Work out the next issue's number, total, date and folder; None after reporting why not."""
    history = existing_issues(root, report)
    if report.errors:
        return None
    last = history[-1] if history else None
    if date is not None:
        when = parse_date(date)
        if when is None:
            report.error("", None, "new_issue_bad_date", value=date)
            return None
    elif last is not None:
        when = next_date(pub.frequency, [s.date for s in history])
    else:
        report.error("", None, "new_issue_first")
        return None
    if last is not None and when <= last.date:
        report.error(
            "",
            None,
            "new_issue_not_after",
            date=when.isoformat(),
            last=last.folder,
            last_date=last.date.isoformat(),
        )
        return None
    if number is None:
        number = last.number + 1 if last is not None and last.year == when.year else 1
    if total is None:
        total = last.total + 1 if last is not None else number
    if not 1 <= number <= 99:
        report.error("", None, "new_issue_number_range", number=number)
        return None
    folder = root / "content" / f"{when.year}" / f"{number:02d}"
    if folder.exists():
        report.error(folder, None, "new_issue_exists", folder=report.rel(folder) + "/")
        return None
    return IssuePlan(when.year, number, total, when, folder, last)


def issue_yaml(plan: IssuePlan, pub: Publication) -> str:
    """The commented issue.yaml for `plan`, in the current message language."""
    n, t = str(plan.number), str(plan.total)
    return messages.t(
        "new_issue_yaml",
        label=plan.label,
        frequency=numbering.frequency_label(pub.frequency),
        number=n,
        total=t,
        pad_n=" " * max(1, 11 - len(n)),
        pad_t=" " * max(1, 12 - len(t)),
        nn=f"{plan.number:02d}",
        date=plan.date.isoformat(),
    )


def create_issue(plan: IssuePlan, pub: Publication) -> Path:
    """Create the folder, its images/ folder and issue.yaml. Refuses to touch an existing folder."""
    plan.folder.parent.mkdir(parents=True, exist_ok=True)
    plan.folder.mkdir()  # FileExistsError if it appeared meanwhile: never overwrite
    (plan.folder / "images").mkdir()
    path = plan.folder / ISSUE_FILE
    with path.open("x", encoding="utf-8") as f:
        f.write(issue_yaml(plan, pub))
    return path
