"""`bulletin new issue` and `bulletin new article`: numbering, dates, commented files, never overwriting."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import run_cli, write

from bulletin.content.yamlfile import parse
from bulletin.diagnostics import Report
from bulletin.editor.new_issue import next_date


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


@pytest.mark.parametrize(
    "frequency,history,expected",
    [
        ("semimonthly", ["2026-01-05"], "2026-01-20"),
        ("semimonthly", ["2026-01-05", "2026-01-20"], "2026-02-05"),
        ("semimonthly", ["2025-12-05", "2025-12-20"], "2026-01-05"),  # across the year
        ("semimonthly", ["2025-12-20"], "2026-01-05"),  # only a second-half issue known: 20 - 15 = the 5th
        ("semimonthly", ["2026-02-15"], "2026-02-28"),  # the 30th does not exist in February
        ("semimonthly", ["2026-02-15", "2026-02-28"], "2026-03-15"),  # …and the pattern is not lost after it
        ("semimonthly", ["2026-03-01", "2026-03-16"], "2026-04-01"),
        ("weekly", ["2026-01-05"], "2026-01-12"),
        ("monthly", ["2026-01-31"], "2026-02-28"),
        ("monthly", ["2026-01-31", "2026-02-28"], "2026-03-31"),
        ("monthly", ["2026-12-10"], "2027-01-10"),
        ("bimonthly", ["2026-11-15"], "2027-01-15"),
        ("quarterly", ["2026-01-20"], "2026-04-20"),
    ],
)
def test_next_date(frequency, history, expected):
    assert next_date(frequency, [d(h) for h in history]) == d(expected)


def _issue_yaml(root, key: str) -> dict:
    year, nn = key.split("-")
    text = (root / "content" / year / nn / "issue.yaml").read_text(encoding="utf-8")
    return parse(text, "issue.yaml", Report()).data


def test_new_issue_continues_the_run(project):
    r = run_cli("--root", str(project), "new", "issue")
    assert r.returncode == 0, r.stderr
    assert "已创建 content/2026/02/（2026年第2期 总第26期，2026-01-20）" in r.stderr
    assert "bulletin new article 2026-02" in r.stderr
    assert _issue_yaml(project, "2026-02") == {"number": 2, "total": 26, "date": "2026-01-20"}
    text = (project / "content/2026/02/issue.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 2026年第2期 总第26期 · 半月刊") and "# title: 本期主题" in text
    assert (project / "content/2026/02/images").is_dir()
    r = run_cli("--root", str(project), "new", "issue")
    assert _issue_yaml(project, "2026-03") == {"number": 3, "total": 27, "date": "2026-02-05"}
    check = run_cli("--root", str(project), "check")
    assert check.returncode == 0 and "这一期没有文章" in check.stderr  # only the empty-issue warnings


def test_new_issue_rolls_over_to_number_one(project):
    shutil.rmtree(project / "content/2026")
    r = run_cli("--root", str(project), "new", "issue")
    assert r.returncode == 0, r.stderr
    assert _issue_yaml(project, "2026-01") == {"number": 1, "total": 25, "date": "2026-01-05"}


def test_new_issue_with_a_date(project):
    r = run_cli("--root", str(project), "new", "issue", "--date", "2026-02-01")
    assert r.returncode == 0, r.stderr
    assert _issue_yaml(project, "2026-02")["date"] == "2026-02-01"
    r = run_cli("--root", str(project), "new", "issue", "--date", "2027-01-08")
    assert _issue_yaml(project, "2027-01") == {"number": 1, "total": 27, "date": "2027-01-08"}


@pytest.mark.parametrize(
    "args,says,fix",
    [
        (["--date", "2026-02-30"], "日期 2026-02-30 无效", "年-月-日"),
        (
            ["--date", "2026-01-05"],
            "新一期的日期 2026-01-05 不晚于最近一期 content/2026/01（2026-01-05）",
            "晚于 2026-01-05",
        ),
        (["--number", "1"], "content/2026/01/ 已经存在，没有做任何改动", "--date 或 --number"),
    ],
)
def test_new_issue_refuses(project, args, says, fix):
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    r = run_cli("--root", str(project), "new", "issue", *args)
    assert r.returncode == 1 and says in r.stderr and fix in r.stderr, r.stderr
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before


def test_first_issue_of_a_new_publication(project):
    shutil.rmtree(project / "content")
    r = run_cli("--root", str(project), "new", "issue")
    assert r.returncode == 1 and "还没有任何一期" in r.stderr and "--date 2026-01-05" in r.stderr
    r = run_cli(
        "--root", str(project), "new", "issue", "--date", "2026-03-05", "--number", "4", "--total", "15"
    )
    assert r.returncode == 0, r.stderr
    assert _issue_yaml(project, "2026-04") == {"number": 4, "total": 15, "date": "2026-03-05"}


def test_new_issue_stops_on_a_broken_issue_file(project):
    write(project / "content/2026/01/issue.yaml", "number: 1\ntotal: [\n")
    r = run_cli("--root", str(project), "new", "issue")
    assert r.returncode == 1 and "content/2026/01/issue.yaml:2" in r.stderr
    assert not (project / "content/2026/02").exists()


def test_new_issue_in_english(project):
    r = run_cli("--root", str(project), "--lang", "en", "new", "issue")
    assert "Created content/2026/02/" in r.stderr
    assert "# number within the year" in (project / "content/2026/02/issue.yaml").read_text(encoding="utf-8")


def test_new_article(project):
    r = run_cli(
        "--root",
        str(project),
        "new",
        "article",
        "2026-01",
        "强化开局之谋：展现开局之为",
        "--section",
        "工作动态",
        "--author",
        "张三",
        "--author",
        "李四",
    )
    assert r.returncode == 0, r.stderr
    path = project / "content/2026/01/qianghua-kaiju-zhimou.md"
    assert "已创建 content/2026/01/qianghua-kaiju-zhimou.md" in r.stderr
    text = path.read_text(encoding="utf-8")
    fm = parse(text.split("---\n")[1], "x", Report()).data
    assert fm == {"title": "强化开局之谋：展现开局之为", "section": "news", "authors": ["张三", "李四"]}
    assert "# subtitle:" in text and "# source:" in text
    check = run_cli("--root", str(project), "check")
    assert check.returncode == 0, check.stderr
    # the same title again: refused, the file untouched
    path.write_text(text + "正文已经写了。\n", encoding="utf-8")
    r = run_cli(
        "--root", str(project), "new", "article", "2026-01", "强化开局之谋：展现开局之为", "--section", "news"
    )
    assert r.returncode == 1 and "没有做任何改动" in r.stderr and "--slug" in r.stderr
    assert path.read_text(encoding="utf-8").endswith("正文已经写了。\n")


def test_new_article_titles_that_need_quoting_load_back(project):
    for i, title in enumerate(
        ["标题: 副题", "#第一", "[要闻]", "true", "2026-01-05", "*重点*", "“引号”'单引号'"]
    ):
        r = run_cli(
            "--root", str(project), "new", "article", "2026-01", title, "--section", "news", "--slug", f"t{i}"
        )
        assert r.returncode == 0, r.stderr
        fm = (project / f"content/2026/01/t{i}.md").read_text(encoding="utf-8").split("---\n")[1]
        assert parse(fm, "x", Report()).data["title"] == title
    assert run_cli("--root", str(project), "check").returncode == 0


@pytest.mark.parametrize(
    "args,says,fix",
    [
        (
            ["2026-01", "标题", "--section", "newz"],
            '未知的栏目 "newz"（是否应为 "news"？）',
            "news（工作动态）",
        ),
        (["2026-01", "标题"], "请用 --section 指定栏目", "feature（特别关注）"),
        (["2026-09", "标题", "--section", "news"], "第 2026-09 期还不存在", "bulletin new issue"),
        (["第四期", "标题", "--section", "news"], "“第四期”不是期号", "2026-04"),
        (["2026-01", "  ", "--section", "news"], "文章标题不能为空", "bulletin new article"),
        (["2026-01", "标题", "--section", "news", "--slug", "Kai Ju"], '网址名 slug "Kai Ju"', "slug:"),
        (["2026-01", "另一篇", "--section", "news", "--slug", "shi"], "已经存在", "--slug shi-2"),
    ],
)
def test_new_article_refuses(project, args, says, fix):
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    r = run_cli("--root", str(project), "new", "article", *args)
    assert r.returncode == 1 and says in r.stderr and fix in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before


def test_new_article_slug_taken_by_front_matter(project):
    """A generated name never takes a slug another article has in its front matter: the next free one."""
    write(project / "content/2026/01/other.md", "---\ntitle: 其他\nsection: news\nslug: biaoti\n---\n正文\n")
    r = run_cli("--root", str(project), "new", "article", "2026-01", "标题", "--section", "news")
    assert r.returncode == 0 and "已创建 content/2026/01/biaoti-2.md" in r.stderr, r.stderr
    r = run_cli(
        "--root", str(project), "new", "article", "2026-01", "其他", "--section", "news", "--slug", "biaoti"
    )
    assert r.returncode == 1 and "网址名 biaoti 已被 content/2026/01/other.md 使用" in r.stderr
