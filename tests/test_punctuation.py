"""bulletin/punctuation.py: half-width marks in Chinese text; `check` warnings; `bulletin fix`; rendering."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, run_cli, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin import messages
from bulletin.cli import cli
from bulletin.punctuation import changes, fix_front_matter, fix_markdown, fix_text, needs_fix

# --- plain text: what is corrected ---------------------------------------------------------------

FIXED = [
    ("今年1-8月,全市完成投资3.5亿元,同比增长12%.", "今年1—8月，全市完成投资3.5亿元，同比增长12%。"),
    ('他说:"我们要努力!"然后走了.', "他说：“我们要努力！”然后走了。"),
    ("你好,世界", "你好，世界"),
    ("你好, 世界", "你好，世界"),
    ("你好 , 世界", "你好，世界"),
    ("项目(一期)已完工;二期2026年开工...", "项目（一期）已完工；二期2026年开工……"),
    ("PPP (公私合营) 模式", "PPP（公私合营）模式"),
    ("采用PPP(Public-Private Partnership)模式", "采用PPP（Public-Private Partnership）模式"),
    ("(1)第一条", "（1）第一条"),
    ("一)加强学习", "一）加强学习"),
    ("问题?", "问题？"),
    ("什么?!", "什么？！"),
    ("会议--重要", "会议——重要"),
    ("等等...", "等等……"),
    ("好。。。", "好……"),
    ("好…吧", "好……吧"),
    ("10:30开会,请准时", "10:30开会，请准时"),
    ("时间:10:30", "时间：10:30"),
    ("你好, Tom", "你好，Tom"),
    ("完成了.下一步", "完成了。下一步"),
    ("版本为2.0.", "版本为2.0。"),
    ("办结率达到91.5%.9-12月", "办结率达到91.5%。9—12月"),
    ("回访比例不低于30%;", "回访比例不低于30%；"),
    ("共100,其中", "共100，其中"),
    ("1,000,其中", "1,000，其中"),
    ("1~8月", "1—8月"),
    ("1 - 8月", "1—8月"),
    ("第1-3名", "第1—3名"),
    ("3月1日-5日", "3月1日—5日"),
    ("增长5%-8%", "增长5%—8%"),
    ("上午9:00-11:30接待", "上午9:00—11:30接待"),
    ("请发邮件到qcrd@example.cn.", "请发邮件到qcrd@example.cn。"),
    ("见https://example.com/a,然后", "见https://example.com/a，然后"),
    ("《方案》.", "《方案》。"),
    # quotes: paired, nested (double outside, single inside: GB/T 15834 4.1.3)
    ('"人民代表为人民"的宗旨', "“人民代表为人民”的宗旨"),
    ("所谓\"三会一课\"制度,要求'严'字当头", "所谓“三会一课”制度，要求‘严’字当头"),
    ("他说'好'吗", "他说‘好’吗"),
    ('"他说:"好""', "“他说：‘好’”"),
    ("“他说\"好\"”", "“他说‘好’”"),
    ('他说:"I am fine, thanks."', "他说：“I am fine, thanks.”"),
    ('他说"OK"', "他说“OK”"),
    ('"一" "二"', "“一”“二”"),
]

UNCHANGED = [
    "Hello, world. It's a \"good\" day (really)!",
    "Stay hungry, stay foolish.",
    "1,000",
    "1,000元",
    "3.5%",
    "10:30",
    "2026-01-05召开",
    "电话0871-63123456转",
    "比分3:2",
    "f(x) = 1",
    "rates of 5%-8%",
    "通知.docx已发",
    "Python 3.11.",
    "见https://example.com/a,b 或 mail@x.cn",
    "网址https://a.cn/?q=1&b=(2);c:d!",
    "写信给 wang.ming@example.gov.cn",
    "访问青川人大.政务",
    "——《淮南子·氾论训》",
    "好，我们“走”。",
    "",
]


@pytest.mark.parametrize(("source", "expected"), FIXED)
def test_fixed(source, expected):
    assert fix_text(source) == expected


@pytest.mark.parametrize("source", UNCHANGED)
def test_unchanged(source):
    assert fix_text(source) == source


@pytest.mark.parametrize(("mark", "expected"), [("—", "1—8月"), ("～", "1～8月"), ("-", "1-8月")])
def test_range_mark_is_the_publications_choice(mark, expected):
    assert fix_text("1-8月", mark) == expected
    assert fix_text("1~8月", mark) == expected


# --- Markdown: syntax stays ------------------------------------------------------------------------

MD_SOURCE = """# 标题(一)

他说:"好,我们走."然后[链接(一)](https://a.cn/x,(y) "标题,好")结束.
`code,中文` 之后,**重点**:内容;![图为张三(左)在调研](images/a,b.jpg)

1. 第一条,内容
2) 第二条:内容
- 项目:"一期"
> 引用,内容

```
代码,中文(保持)
```

    缩进代码,中文

<div>原始,HTML</div>

完成[^1],然后<br>继续,好
[^1]: 注释,内容
[ref]: https://x.cn "标题,不改"

| 表头,一 | 表头:二 |
|---|:---:|
| 单元,格 | 10:30 |

行尾两个空格,<two spaces>
下一行
""".replace("<two spaces>", "  ")

MD_EXPECTED = """# 标题（一）

他说：“好，我们走。”然后[链接（一）](https://a.cn/x,(y) "标题,好")结束。
`code,中文` 之后，**重点**：内容；![图为张三（左）在调研](images/a,b.jpg)

1. 第一条，内容
2) 第二条：内容
- 项目：“一期”
> 引用，内容

```
代码,中文(保持)
```

    缩进代码,中文

<div>原始,HTML</div>

完成[^1]，然后<br>继续，好
[^1]: 注释，内容
[ref]: https://x.cn "标题,不改"

| 表头，一 | 表头：二 |
|---|:---:|
| 单元，格 | 10:30 |

行尾两个空格，<two spaces>
下一行
""".replace("<two spaces>", "  ")


def test_markdown_syntax_untouched():
    assert fix_markdown(MD_SOURCE) == MD_EXPECTED


def test_markdown_unclosed_fence_protects_the_rest():
    src = "正文,一\n\n```\n代码,中文\n"
    assert fix_markdown(src) == "正文，一\n\n```\n代码,中文\n"


def test_quotes_do_not_pair_across_paragraphs_or_list_items():
    # paired, these would be “好…坏”; alone, a quote between two Han characters may open or close
    assert fix_markdown('- 他说"好\n- 坏"了\n') == '- 他说"好\n- 坏"了\n'
    assert fix_markdown('他说"好\n坏"了\n') == "他说“好\n坏”了\n"
    # a quotation over several paragraphs opens each one (Chinese convention)
    assert fix_markdown('"第一段,\n\n"第二段."\n') == "“第一段，\n\n“第二段。”\n"


def test_changes_give_line_column_and_correction():
    old = "第一行\n他说:\"好\", 然后\n"
    new = fix_markdown(old)
    found = changes(old, new, first_line=10)
    assert [(c.line, c.column, c.old, c.new) for c in found] == [
        (11, 3, ':"', "：“"),
        (11, 6, '", ', "”，"),
    ]
    assert found[0].context.startswith("他说：“好”，然后")


def test_front_matter_values_only():
    fm = (
        'title: 代表"家门口"履职:回访\n'
        "subtitle: '工作简报(节选)'\n"
        'summary: "去年1-8月,接待1,200人次."\n'
        "slug: a,b\n"
        "source: 公众号,转载\n"
        "tags: [甲,乙]\n"
        "author_note: 作者系某县人大常委会主任,好 # 注释\n"
        "affiliation: 云南,昆明\n"
    )
    assert fix_front_matter(fm) == (
        "title: 代表“家门口”履职：回访\n"
        "subtitle: '工作简报（节选）'\n"
        'summary: "去年1—8月，接待1,200人次。"\n'
        "slug: a,b\n"
        "source: 公众号,转载\n"
        "tags: [甲,乙]\n"
        "author_note: 作者系某县人大常委会主任,好 # 注释\n"  # a comment after it: left to the editor
        "affiliation: 云南,昆明\n"  # not prose
    )


# --- properties ------------------------------------------------------------------------------------

_ALPHABET = [*"中文的人大代表好是在", *",;:!?()\"'.~-… *_[]`\n", *"abcXY019%", *"。，“”"]
text = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=60)
latin = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text)
def test_fixing_twice_is_fixing_once(s):
    once = fix_text(s)
    assert fix_text(once) == once
    md = fix_markdown(s)
    assert fix_markdown(md) == md


@settings(max_examples=600, deadline=None)
@given(text)
def test_quick_test_never_misses(s):
    if not needs_fix(s):
        assert fix_text(s) == s
        assert fix_markdown(s) == s


@settings(max_examples=600, deadline=None)
@given(text)
def test_markdown_keeps_its_lines(s):
    assert fix_markdown(s).count("\n") == s.count("\n")


@settings(max_examples=400, deadline=None)
@given(latin)
def test_latin_only_text_is_unchanged(s):
    assert fix_text(s) == s
    assert fix_markdown(s) == s


# --- absurd input: linear time ---------------------------------------------------------------------

# Each took minutes or more (the regular expressions backtracked): footnote calls in a row read two ways
# each (2^n), an unclosed run of backticks (n³), a run of hyphens or of "青." read from each character (n²).
SLOW_BEFORE = [
    "正文" + "[^1]" * 40 + "。\n\n[^1]: 注一。\n",
    "(中" + "`" * 3000,
    "中" + "-" * 20000 + ",",
    "中" + "青." * 10000 + ",",
]


@pytest.mark.parametrize("source", SLOW_BEFORE, ids=["footnote-calls", "backticks", "hyphens", "domains"])
def test_absurd_runs_take_linear_time(source):
    import signal
    import time

    def too_slow(*_):
        raise TimeoutError("still working after 10 s")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(10)
    try:
        start = time.perf_counter()
        needs_fix(source)
        fixed = fix_markdown(source)
        fix_text(source)
        changes(source, fixed)
        assert time.perf_counter() - start < 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_a_code_span_is_a_whole_run_of_backticks_to_one_as_long():
    """CommonMark: `` opens a span only a run of exactly two backticks closes (`a``b` is one span)."""
    assert fix_markdown("中`a``b`,中") == "中`a``b`，中"
    assert fix_markdown("中``x,y``:好") == "中``x,y``：好"
    assert fix_markdown("``文:`") == "``文：`"  # no run of two closes it: not code, as markdown-it reads it


# --- check: warnings, grouped ----------------------------------------------------------------------


def _project(tmp_path: Path, body: str, fm_extra: str = "", yaml_extra: str = "") -> Path:
    dest = tmp_path / "proj"
    shutil.copytree(FIXTURES / "minimal", dest)
    if yaml_extra:
        with open(dest / "bulletin.yaml", "a", encoding="utf-8") as f:
            f.write(yaml_extra)
    write(
        dest / "content/2026/01/paste.md",
        f"---\ntitle: 粘贴的文章\nsection: news\n{fm_extra}---\n{body}",
    )
    return dest


def test_check_lists_each_mark_with_line_column_and_correction(tmp_path):
    root = _project(tmp_path, "第一段,好.\n")
    r = run_cli("--root", str(root), "check")
    assert r.returncode == 0, r.stderr
    assert "content/2026/01/paste.md:5:4: 警告: 中文里的半角标点“,”应为“，”" in r.stderr
    assert "content/2026/01/paste.md:5:6: 警告: 中文里的半角标点“.”应为“。”" in r.stderr
    assert "bulletin fix 2026-01" in r.stderr


def test_check_groups_many_marks_into_a_summary_and_a_list(tmp_path):
    # 500 marks, 400 places (");" is one place): a summary and a row per line, not 400 warnings
    body = "".join(f"第{i}段,内容(甲);结束.\n\n" for i in range(100))
    root = _project(tmp_path, body, fm_extra='subtitle: 副标题(一)\n')
    r = run_cli("--root", str(root), "check")
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert "content/2026/01/paste.md: 警告: 402 处半角标点，运行 bulletin fix 2026-01 可一次改正" in lines
    rows = [ln for ln in lines if re.match(r"^    \d+:\d+ ", ln)]
    assert len(rows) == 101  # one row per source line, the subtitle's included
    assert rows[0].split()[0] == "4:14" and "（一）" in rows[0]
    assert ",→，  (→（  );→）；  .→。" in rows[1] and "第0段，内容（甲）；结束。" in rows[1]
    assert "如何修改" not in r.stderr  # no caret excerpt and hint per mark: not a wall
    assert len(lines) < 110
    assert "中文里的半角标点共 402 处（1 个文件）" in r.stderr


def test_check_warnings_can_be_turned_off(tmp_path):
    root = _project(tmp_path, "第一段,好.\n", yaml_extra="typography: {punctuation_warnings: false}\n")
    r = run_cli("--root", str(root), "check")
    assert r.returncode == 0 and "半角" not in r.stderr, r.stderr


def test_bad_typography_setting_is_an_error(tmp_path):
    root = _project(tmp_path, "好。\n", yaml_extra='typography: {range_mark: "~"}\n')
    r = run_cli("--root", str(root), "check")
    assert r.returncode == 1
    assert "range_mark" in r.stderr and "—" in r.stderr


# --- bulletin fix --------------------------------------------------------------------------------------


SOURCE = '---\ntitle: 代表"家门口"履职\nsection: news\nslug: jia-men-kou\n---\n他说:"好,走(一)."\n\n`a,中`见https://a.cn/x,y.\n'
FIXED_SOURCE = (
    "---\ntitle: 代表“家门口”履职\nsection: news\nslug: jia-men-kou\n---\n他说：“好，走（一）。”\n\n"
    "`a,中`见https://a.cn/x,y。\n"
)


def _invoke(root: Path, *args: str, input: str | None = None):
    messages.set_language("zh")
    return CliRunner().invoke(cli, ["--root", str(root), "fix", *args], input=input, catch_exceptions=False)


def test_fix_shows_a_diff_and_writes_only_when_confirmed(tmp_path):
    root = _project(tmp_path, "")
    art = root / "content/2026/01/paste.md"
    art.write_text(SOURCE, encoding="utf-8")
    before = {p: p.read_bytes() for p in (root / "content").rglob("*.md")}

    for answer in (None, "n\n"):  # no answer, or no: nothing written
        r = _invoke(root, "2026-01", input=answer)
        assert r.exit_code == 0, r.output
        assert "-title: 代表\"家门口\"履职" in r.output and "+title: 代表“家门口”履职" in r.output
        assert '+他说：“好，走（一）。”' in r.output
        assert "未写入任何文件" in r.output and "bulletin fix 2026-01 --yes" in r.output
        assert {p: p.read_bytes() for p in before} == before
        assert not (root / "backups").exists()

    r = _invoke(root, "2026-01", input="y\n")
    assert r.exit_code == 0, r.output
    assert art.read_text(encoding="utf-8") == FIXED_SOURCE
    backups = list((root / "backups").glob("fix-*/content/2026/01/paste.md"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == SOURCE
    assert "backups/fix-" in r.output
    for p, data in before.items():  # the other articles were already right
        if p != art:
            assert p.read_bytes() == data

    r = _invoke(root, "--yes")  # idempotent: a second run finds nothing
    assert r.exit_code == 0 and "没有需要改正的半角标点" in r.output, r.output
    assert art.read_text(encoding="utf-8") == FIXED_SOURCE
    assert len(list((root / "backups").iterdir())) == 1
    # and the corrected file loads as before: same slug, same keys
    r = run_cli("--root", str(root), "check")
    assert r.returncode == 0 and "半角" not in r.stderr, r.stderr


def test_fix_keeps_bom_and_crlf_and_leaves_links_alone(tmp_path):
    root = _project(tmp_path, "")
    art = root / "content/2026/01/paste.md"
    art.write_bytes(b"\xef\xbb\xbf" + SOURCE.replace("\n", "\r\n").encode())
    outside = tmp_path / "elsewhere.md"
    outside.write_text(SOURCE, encoding="utf-8")
    (root / "content/2026/01/linked.md").symlink_to(outside)
    r = _invoke(root, "2026-01", "--yes")
    assert r.exit_code == 0, r.output
    assert art.read_bytes() == b"\xef\xbb\xbf" + FIXED_SOURCE.replace("\n", "\r\n").encode()
    assert outside.read_text(encoding="utf-8") == SOURCE
    assert "linked.md" in r.output and "链接" in r.output


def test_fix_refuses_unknown_issues_and_files_outside(tmp_path):
    root = _project(tmp_path, "")
    r = _invoke(root, "2030-09")
    assert r.exit_code == 1 and "找不到期 2030-09" in r.output
    other = tmp_path / "x.md"
    other.write_text(SOURCE, encoding="utf-8")
    r = _invoke(root, str(other))
    assert r.exit_code == 1 and "不在本项目的 content/ 中" in r.output
    assert other.read_text(encoding="utf-8") == SOURCE


def test_fix_speaks_english(tmp_path):
    root = _project(tmp_path, "好,走.\n")
    r = CliRunner().invoke(cli, ["--lang", "en", "--root", str(root), "fix", "--help"])
    assert "Correct the half-width punctuation" in r.output and "write without asking" in r.output
    r = CliRunner().invoke(cli, ["--lang", "en", "--root", str(root), "fix"], input="n\n")
    assert "Nothing was written" in r.output
    messages.set_language("zh")


# --- rendering: the site and the PDF show full-width marks; the source keeps its own -----------------

SAMPLE = "content/2026/02/lianluozhan-huifang.md"
HALF_IN_HAN = re.compile(r"(?<=[\u3400-\u9fff])[,;:!?()]|[,;:!?()](?=[\u3400-\u9fff])")


def _visible_text(html: str) -> str:
    import html as htmlmod

    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return htmlmod.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.slow
def test_site_and_pdf_show_full_width_marks(sample_build):
    source = (sample_build / SAMPLE).read_text(encoding="utf-8")
    assert "1-8月," in source and '"家门口"' in source  # the sample itself is not fixed
    page = (sample_build / "output/site/2026/02/lianluozhan-huifang.html").read_text(encoding="utf-8")
    text = _visible_text(page)
    assert "去年1—8月，全市42个代表联络站" in text and "代表“家门口”履职：联络站一年回访记" in text
    assert "https://www.qcrd.example.cn/lianluozhan" in text and "1,200余人次" in text
    assert "Democracy begins at home, in the neighbourhood." in text
    for html_file in (sample_build / "output/site").rglob("*.html"):
        found = HALF_IN_HAN.findall(_visible_text(html_file.read_text(encoding="utf-8")))
        assert not found, (html_file, found)

    import pdfplumber

    with pdfplumber.open(sample_build / "output/pdf/2026-02.pdf") as pdf:
        pdf_text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    flat = pdf_text.replace("\n", "")
    assert "联络站一年回访记" in flat and "“回头看”" in flat and "9:00—11:30" in flat
    assert not HALF_IN_HAN.findall(pdf_text)


def test_keep_renders_the_text_as_written(tmp_path):
    root = _project(tmp_path, '他说:"好,走."\n', yaml_extra="typography: {punctuation: keep}\n")
    r = run_cli("--root", str(root), "build", "--all", "--no-pdf")
    assert r.returncode == 0, r.stderr
    page = (root / "output/site/2026/01/paste.html").read_text(encoding="utf-8")
    assert "他说:&quot;好,走.&quot;" in page
    (root / "bulletin.yaml").write_text(
        (root / "bulletin.yaml").read_text(encoding="utf-8").replace("punctuation: keep", "punctuation: fix"),
        encoding="utf-8",
    )
    r = run_cli("--root", str(root), "build", "--all", "--no-pdf")  # the setting is part of the render key
    assert r.returncode == 0, r.stderr
    page = (root / "output/site/2026/01/paste.html").read_text(encoding="utf-8")
    assert "他说：“好，走。”" in page
