"""Issue labels (2026年第4期 总第15期) and the rules an issue sequence must follow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FREQUENCIES: dict[str, tuple[str, int, int]] = {
    # id: (Chinese label, expected days between issues: min, max)
    "weekly": ("周刊", 5, 9),
    "semimonthly": ("半月刊", 10, 20),
    "monthly": ("月刊", 25, 35),
    "bimonthly": ("双月刊", 50, 70),
    "quarterly": ("季刊", 80, 100),
}

CN_DIGITS = "〇一二三四五六七八九"


def frequency_label(frequency: str) -> str:
    """半月刊 for semimonthly, etc."""
    return FREQUENCIES[frequency][0]


def issue_label(year: int, number: int, total: int) -> str:
    """The numbering line: 2026年第4期 总第15期."""
    return f"{year}年第{number}期 总第{total}期"


def short_label(year: int, number: int) -> str:
    """2026年第4期."""
    return f"{year}年第{number}期"


def chinese_date(d: dt.date) -> str:
    """2026年3月5日."""
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_numeral_date(d: dt.date) -> str:
    """二〇二六年三月五日, the form used on formal documents."""
    year = "".join(CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"


def _cn_number(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class SequenceProblem:
    """A break in the issue sequence between `earlier` and `later` (issue keys)."""

    kind: str  # total | number | date | schedule
    earlier: str
    later: str
    expected: str
    found: str
    is_error: bool = True


@dataclass(frozen=True)
class IssueStamp:
    """What the sequence rules look at for one issue."""

    key: str
    year: int
    number: int
    total: int
    date: dt.date


def check_sequence(stamps: list[IssueStamp], frequency: str) -> list[SequenceProblem]:
    """Check issues ordered by `total`: each next issue has total+1; number+1 in the same year or 1 in a
    new year; dates strictly increase. The first issue may start anywhere. An interval that does not fit
    the frequency is a warning."""
    problems: list[SequenceProblem] = []
    ordered = sorted(stamps, key=lambda s: (s.total, s.date))
    lo, hi = FREQUENCIES.get(frequency, ("", 0, 10**6))[1:]
    for prev, cur in zip(ordered, ordered[1:], strict=False):
        if cur.total != prev.total + 1:
            problems.append(SequenceProblem("total", prev.key, cur.key, str(prev.total + 1), str(cur.total)))
        if cur.year == prev.year:
            if cur.number != prev.number + 1:
                problems.append(
                    SequenceProblem("number", prev.key, cur.key, str(prev.number + 1), str(cur.number))
                )
        elif cur.year > prev.year and cur.number != 1:
            problems.append(SequenceProblem("number", prev.key, cur.key, "1", str(cur.number)))
        if cur.date <= prev.date:
            problems.append(
                SequenceProblem("date", prev.key, cur.key, f"> {prev.date.isoformat()}", cur.date.isoformat())
            )
        else:
            days = (cur.date - prev.date).days
            if cur.total == prev.total + 1 and not lo <= days <= hi:
                problems.append(
                    SequenceProblem("schedule", prev.key, cur.key, f"{lo}–{hi}", str(days), is_error=False)
                )
    return problems
