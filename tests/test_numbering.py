"""Issue labels and the sequence rules (numbering.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from bulletin import numbering
from bulletin.numbering import IssueStamp, check_sequence


def stamp(key: str, number: int, total: int, date: str) -> IssueStamp:
    return IssueStamp(key, int(key[:4]), number, total, dt.date.fromisoformat(date))


def test_labels():
    assert numbering.issue_label(2026, 4, 15) == "2026年第4期 总第15期"
    assert numbering.short_label(2026, 4) == "2026年第4期"
    assert numbering.frequency_label("semimonthly") == "半月刊"
    assert numbering.chinese_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert numbering.chinese_numeral_date(dt.date(2026, 3, 5)) == "二〇二六年三月五日"
    assert numbering.chinese_numeral_date(dt.date(2025, 12, 20)) == "二〇二五年十二月二十日"
    assert numbering.chinese_numeral_date(dt.date(2025, 10, 31)) == "二〇二五年十月三十一日"


def test_a_good_run_across_a_year_boundary():
    run = [
        stamp("2025-23", 23, 23, "2025-12-05"),
        stamp("2025-24", 24, 24, "2025-12-20"),
        stamp("2026-01", 1, 25, "2026-01-05"),
        stamp("2026-02", 2, 26, "2026-01-20"),
    ]
    assert check_sequence(run, "semimonthly") == []


def test_the_archive_may_start_mid_run():
    assert (
        check_sequence(
            [stamp("2026-04", 4, 15, "2026-03-05"), stamp("2026-05", 5, 16, "2026-03-20")], "semimonthly"
        )
        == []
    )


@pytest.mark.parametrize(
    "later,kind,expected,found,error",
    [
        (stamp("2026-02", 2, 27, "2026-01-20"), "total", "26", "27", True),
        (stamp("2026-03", 3, 26, "2026-01-20"), "number", "2", "3", True),
        (stamp("2026-02", 2, 26, "2026-01-05"), "date", "> 2026-01-05", "2026-01-05", True),
        (stamp("2026-02", 2, 26, "2026-01-08"), "schedule", "10–20", "3", False),
    ],
)
def test_breaks_name_both_issues(later, kind, expected, found, error):
    problems = check_sequence([stamp("2026-01", 1, 25, "2026-01-05"), later], "semimonthly")
    p = next(p for p in problems if p.kind == kind)
    assert (p.earlier, p.later, p.expected, p.found, p.is_error) == (
        "2026-01",
        later.key,
        expected,
        found,
        error,
    )


def test_new_year_restarts_at_one():
    problems = check_sequence(
        [stamp("2025-24", 24, 24, "2025-12-20"), stamp("2026-02", 2, 25, "2026-01-05")], "semimonthly"
    )
    assert [(p.kind, p.expected, p.found) for p in problems] == [("number", "1", "2")]


@pytest.mark.parametrize(
    "frequency,days,ok",
    [
        ("weekly", 7, True),
        ("weekly", 14, False),
        ("monthly", 31, True),
        ("monthly", 15, False),
        ("bimonthly", 61, True),
        ("quarterly", 91, True),
        ("quarterly", 40, False),
    ],
)
def test_schedule_per_frequency(frequency, days, ok):
    a = stamp("2026-01", 1, 1, "2026-01-01")
    b = IssueStamp("2026-02", 2026, 2, 2, a.date + dt.timedelta(days=days))
    assert (check_sequence([a, b], frequency) == []) is ok
