"""Full-text search: bulletin/site/search.py (the index) and templates/site/static/search.js (the page).

A small synthetic archive of ten Chinese articles, written to the page contract the templates follow
(<main data-search-body>, hidden data-search-meta / data-search-filter spans, data-search-ignore
on the pager), is indexed; the index is read back in Python, then searched in Debian's chromium over
HTTP from 127.0.0.1 and opened from disk (file://), where it must work the same.
"""

from __future__ import annotations

import base64
import hashlib
import html
import pickle
import shutil
from array import array
from itertools import accumulate
from pathlib import Path
from urllib.parse import quote

import browsing
import pytest
from browsing import serve_folder
from conftest import index_script

from bulletin.site import search

REPO = Path(__file__).resolve().parent.parent
STATIC = REPO / "templates" / "site" / "static"

# path, title, subtitle, authors, issue label, year, section, paragraphs
ARTICLES = [
    ("2026/04/zengzhishui.html", "关于深化增值税改革的通知", "进一步减轻企业负担", ["王晓明"],
     "2026年第4期", "2026", "政策解读", ["为进一步减轻企业负担，增值税税率调整后，现代化治理能力显著提升。",
                                       "纳税人应当按照规定按期申报，主管部门要做好政策宣传和辅导。"]),
    ("2026/03/lianxi.html", "学习“两个联系”精神的体会", "", ["李建国"], "2026年第3期", "2026", "理论学习",
     ["2026年第一季度，我们组织全体干部学习“两个联系”重要论述，推动高质量发展。",
      "大家一致认为，要把学习成果转化为做好本职工作的实际行动。"]),
    ("2025/24/shuzi.html", "数字政府建设取得新进展", "", ["张卫东"], "2025年第24期", "2025", "工作动态",
     ["今年以来，数字政府建设稳步推进，政务服务一网通办覆盖率达到98%，群众满意度持续提高。"]),
    ("2025/20/xiangcun.html", "乡村振兴中的基层党建", "以党建引领乡村治理", ["陈红梅"], "2025年第20期",
     "2025", "基层经验", ["村党支部带领群众发展特色产业，集体经济收入比上年增长三成。"]),
    ("2025/18/lianluozhan.html", "代表联络站建设的几点思考", "", ["刘志强"], "2025年第18期", "2025",
     "调查研究",
     ["联络站是人大代表联系群众的重要平台，要坚持问题导向，健全意见收集和反馈机制。"]),
    ("2025/16/shuiwu.html", "税务窗口服务提质增效", "", ["赵丽"], "2025年第16期", "2025", "工作动态",
     ["办税服务厅推行预约办理和延时服务，平均等候时间缩短到五分钟以内。"]),
    ("2024/22/yusuan.html", "2024年度财政预算执行情况", "", ["孙建华"], "2024年第22期", "2024", "要闻",
     ["全年一般公共预算收入完成年度目标，重点支出得到有效保障，财政运行总体平稳。"]),
    ("2024/12/hezhang.html", "河长制工作经验交流", "", ["周文斌", "吴桂英"], "2024年第12期", "2024",
     "基层经验",
     ["各地河长坚持巡河护河，水质优良比例明显上升，河道面貌焕然一新。"]),
    ("2024/06/peixun.html", "Python与数据分析培训班开班", "", ["郑凯"], "2024年第6期", "2024", "工作动态",
     ["培训班讲授Python编程和GDP数据分析方法，学员们表示收获很大。"]),
    ("2024/02/yingshang.html", "扎实推进营商环境优化", "", ["王明"], "2024年第2期", "2024", "要闻",
     ["通过简化审批流程、压缩办理时限，市场主体活力不断增强。"]),
]

SEARCH_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>搜索 · 测试简报</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="static/search.css"></head>
<body><header><form role="search" action="search.html">
<input type="search" id="site-search" name="q"></form></header>
<main id="main">
<div id="search" class="search-page" data-index="search/">
  <h1>搜索</h1>
  <form id="search-form" class="search-page-form" role="search" action="search.html" method="get">
    <label for="search-input">搜索全部文章的标题、作者和正文</label>
    <input type="search" id="search-input" name="q" autocomplete="off"><button type="submit">搜索</button>
  </form>
  <div id="search-filters" class="search-filters"></div>
  <p id="search-status" class="search-status" role="status" aria-live="polite"></p>
  <ol id="search-results" class="search-results"></ol>
</div>
<script src="static/search.js" defer></script>
</main></body></html>
"""


def article_page(path, title, subtitle, authors, issue, year, section, paras) -> str:
    up = "../" * path.count("/")
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in paras)
    names = "、".join(f'<a href="{up}authors/{i}.html">{e(a)}</a>' for i, a in enumerate(authors))
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)} · 测试简报</title>
<link rel="icon" href="data:,"></head>
<body><header><a href="{up}index.html">测试简报</a><form role="search" action="{up}search.html">
<input type="search" name="q"></form></header>
<main id="main" class="wrap" tabindex="-1" data-search-body>
<article class="article"><header class="article-header">
<p class="kicker"><a href="{up}sections/x.html">{e(section)}</a> <span>{e(issue)}</span></p>
<h1 class="article-title">{e(title)}</h1>
{f'<p class="article-subtitle">{e(subtitle)}</p>' if subtitle else ''}
<p class="article-byline">{names}</p></header>
<div class="article-body">
{body}
</div>
<p hidden><span data-search-meta="issue">{e(issue)}</span>
<span data-search-meta="section">{e(section)}</span>
<span data-search-filter="year">{year}</span>
<span data-search-filter="section">{e(section)}</span></p>
</article>
<nav class="pager" data-search-ignore><a href="{up}index.html"><span>上一篇</span>忽略的标题文字</a></nav>
</main></body></html>
"""


def make_site(root: Path) -> Path:
    for a in ARTICLES:
        p = root / a[0]
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(article_page(*a), encoding="utf-8")
    # a listing page (not indexed: no data-search-body) and the search page
    (root / "index.html").write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>测试简报</title></head>'
        "<body><main><h1>测试简报</h1><p>最新一期：增值税</p></main></body></html>", encoding="utf-8")
    (root / "search.html").write_text(SEARCH_PAGE, encoding="utf-8")
    (root / "static").mkdir()
    for name in ("search.js", "search.css"):
        shutil.copy(STATIC / name, root / "static" / name)
    return root


SEGMENT_PAGES = 4  # small segments: the twelve HTML pages make three of them, indexed in parallel
PAGES = sorted([a[0] for a in ARTICLES] + ["index.html", "search.html"])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("search") / "site")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "SEGMENT_PAGES", SEGMENT_PAGES)
        stats = search.build_search_index(root, language="zh-CN", workers=2)
    assert stats.pages_indexed == len(ARTICLES) and stats.segments == 3
    assert stats.index_files > 0 and stats.index_bytes > 0 and stats.seconds > 0
    return root


# --- the index, read back in Python (as search.js reads it) ---------------------------------------------


def index_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def pieces(data: bytes):
    """A shard file's pieces: (segment, {term key: [(page in segment, tf)]})."""
    pos = 0
    while pos < len(data):
        seg, n, w, sb = array("I", data[pos:pos + 16])
        codes = array("I", data[pos + 16:pos + 16 + 4 * n])
        counts = data[pos + 16 + 4 * n:pos + 16 + 5 * n + w]
        at = pos + 16 + 5 * n + w
        posts = array("H", data[at:at + 2 * sum(counts)])
        words = data[at + 2 * len(posts):at + 2 * len(posts) + sb].decode().split("\n") if w else []
        terms, i = {}, 0
        for key, count in zip(list(codes) + words, counts, strict=True):
            terms[key] = [(v >> search.TF_BITS, v & ((1 << search.TF_BITS) - 1)) for v in posts[i:i + count]]
            i += count
        yield seg, terms
        pos = at + 2 * len(posts) + sb


def manifest(site: Path) -> dict:
    out = site / search.INDEX_DIR
    return index_script(out / "index.js", out)


def binary(path: Path) -> bytes:
    """A base64 index file's bytes."""
    return base64.b64decode(index_script(path, path.parent.parent if path.parent.name == "shards"
                                          else path.parent))


def postings(site: Path, term: str) -> dict[int, int]:
    """Page number -> tf of the pages holding `term`."""
    out = site / search.INDEX_DIR
    m = manifest(site)
    starts = list(accumulate(m["segments"], initial=0))
    key = search.term_key(term)
    found = {}
    data = binary(out / "shards" / f"{search.shard_of(key, m['shards'])}.js")
    for seg, terms in pieces(data):
        found.update({starts[seg] + page: tf for page, tf in terms.get(key, ())})
    return found


def records(site: Path) -> list[list]:
    """[address, title, meta, text] of every indexed page, in page order (text/<segment>/<k>.js)."""
    out = site / search.INDEX_DIR
    m = manifest(site)
    found = [index_script(out / "text" / str(seg) / f"{k}.js", out)
             for seg, n in enumerate(m["segments"]) for k in range(n)]
    assert len(found) == m["pages"] == len(list((out / "text").rglob("*.js")))
    return found


def rows(site: Path) -> list[list]:
    """[address, title, meta] of every indexed page, in page order."""
    return [r[:3] for r in records(site)]


def lookup(site: Path, query: str) -> list[str]:
    """Titles of the pages holding all of `query`'s terms, read from the index files as search.js does."""
    found = None
    for term in search.query_terms(query):
        pages = set(postings(site, term))
        found = pages if found is None else found & pages
    table = rows(site)
    return [table[pid][1] for pid in sorted(found or ())]


def test_query_terms():
    assert search.query_terms("代") == ["代"]
    assert search.query_terms("现代化") == ["现代", "代化"]
    assert search.query_terms("“两个联系”") == ["两个", "个联", "联系"]
    assert search.query_terms("2026年") == ["年", "2026"]
    assert search.query_terms("２０２６ GDP增长") == ["增长", "2026", "gdp"]
    assert search.query_terms("，。！") == []


def test_extract_page_follows_the_contract():
    a = ARTICLES[0]
    page = search.extract_page(article_page(*a), a[0])
    assert page.title == "关于深化增值税改革的通知"
    assert page.meta == {"issue": "2026年第4期", "section": "政策解读"}
    assert page.filters == {"year": ["2026"], "section": ["政策解读"]}
    assert "王晓明" in page.text and "现代化治理" in page.text
    assert "上一篇" not in page.text and "忽略的标题文字" not in page.text  # data-search-ignore
    assert page.title not in page.text  # shown apart from the snippet
    assert search.extract_page("<html><body><main>列表页</main></body></html>", "x.html") is None


@pytest.mark.parametrize("query, title", [
    ("税", "关于深化增值税改革的通知"),  # one character inside 增值税
    ("代", "关于深化增值税改革的通知"),  # one character inside 现代化
    ("明", "关于深化增值税改革的通知"),  # the last character of an author's name
    ("晓明", "关于深化增值税改革的通知"),
    ("王晓明", "关于深化增值税改革的通知"),
    ("通办", "数字政府建设取得新进展"),
    ("一网通办", "数字政府建设取得新进展"),
    ("“两个联系”", "学习“两个联系”精神的体会"),
    ("2026年第一季度", "学习“两个联系”精神的体会"),
    ("98%", "数字政府建设取得新进展"),
    ("python", "Python与数据分析培训班开班"),
    ("ＧＤＰ数据", "Python与数据分析培训班开班"),
    ("吴桂英", "河长制工作经验交流"),
])
def test_index_finds(site, query, title):
    assert title in lookup(site, query)


def test_index_does_not_find(site):
    assert lookup(site, "晓明") == ["关于深化增值税改革的通知"]  # not 王明
    assert lookup(site, "一网通办理") == []
    assert lookup(site, "忽略") == []  # text under data-search-ignore
    assert lookup(site, "最新一期") == []  # a page without data-search-body
    assert sorted(lookup(site, "2026")) == ["关于深化增值税改革的通知", "学习“两个联系”精神的体会"]


def test_index_ranks_with_term_frequency_and_title_weight(site):
    table = [r[1] for r in rows(site)]
    tax = postings(site, "税")
    for _, title, subtitle, authors, *_, paras in ARTICLES:
        body = sum(x.count("税") for x in [subtitle, *authors, *paras])
        tf = min(15, body + search.TITLE_WEIGHT * title.count("税"))
        assert tax.get(table.index(title), 0) == tf, title
    assert set(postings(site, "服务")) == {table.index("税务窗口服务提质增效"),
                                            table.index("数字政府建设取得新进展")}


def test_index_layout(site, monkeypatch):
    out = site / search.INDEX_DIR
    m = manifest(site)
    assert m["format"] == search.FORMAT and m["pages"] == len(ARTICLES)
    # 12 HTML pages in path order, cut where an address hashes to 0 mod SEGMENT_PAGES
    monkeypatch.setattr(search, "SEGMENT_PAGES", SEGMENT_PAGES)
    bounds = search._segment_bounds(PAGES)
    assert bounds == [(0, 5), (5, 7), (7, 12)]
    assert m["segments"] == [5, 2, 3]  # index.html, search.html hold nothing
    assert m["facets"][0] == {"name": "year", "values": ["2026", "2025", "2024"]}
    assert len(binary(out / "pages.js")) == len(ARTICLES) * (1 + len(m["facets"]))
    assert len(list((out / "shards").iterdir())) == m["shards"]
    table = rows(site)
    assert [r[0] for r in table] == sorted(a[0] for a in ARTICLES)
    assert table[0] == ["2024/02/yingshang.html", "扎实推进营商环境优化",
                        {"issue": "2024年第2期", "section": "要闻"}]
    # a result shows the text the index holds, blocks on lines of their own, the title apart
    text = records(site)[0][3]
    assert text == "要闻 2024年第2期\n王明\n通过简化审批流程、压缩办理时限，市场主体活力不断增强。", text
    assert "扎实推进营商环境优化" in records(site)[0][1]
    # nothing before the first result needs more than index.js and pages.js
    assert len((out / "index.js").read_bytes()) < 1000
    # the build output does not depend on the number of worker processes
    again = make_site(site.parent / "again")
    monkeypatch.setattr(search, "SEGMENT_PAGES", SEGMENT_PAGES)
    search.build_search_index(again, workers=1)
    assert index_files(again / search.INDEX_DIR) == index_files(out)


def test_result_records_are_safe_scripts(tmp_path):
    """Text that could end a string or a script (quotes, backslashes, </script>, U+2028) stays inside
    the record's string: the file is one call whose JSON reads back the same text."""
    title = '引号"与\\反斜杠</script>\u2028行'
    a = ("2025/01/odd.html", title, "", ["张三"], "2025年第1期", "2025", "要闻", ["正文\u2029第二段。"])
    root = tmp_path / "site"
    (root / "2025/01").mkdir(parents=True)
    (root / a[0]).write_text(article_page(*a), encoding="utf-8")
    search.build_search_index(root)
    path = root / search.INDEX_DIR / "text" / "0" / "0.js"
    raw = path.read_text(encoding="utf-8")
    assert "\u2028" not in raw and "\u2029" not in raw and raw.count("\n") == 1
    record = index_script(path, root / search.INDEX_DIR)
    assert record[1] == " ".join(title.split())  # the title's run of space (U+2028) is one space
    assert "正文\u2029第二段。" in record[3]


def test_supplementary_han_characters(tmp_path):
    a = ("2025/01/rare.html", "𠀾𪚥与𤭢", "", ["张𰻝"], "2025年第1期", "2025", "要闻",
         ["龘𠀾人名用字：𪚥𤭢。"])
    root = tmp_path / "site"
    (root / "2025/01").mkdir(parents=True)
    (root / a[0]).write_text(article_page(*a), encoding="utf-8")
    search.build_search_index(root)
    for query in ("𠀾", "𪚥", "龘𠀾", "𪚥𤭢", "张𰻝", "𰻝"):
        assert lookup(root, query) == ["𠀾𪚥与𤭢"], query
    assert lookup(root, "𠀾龘") == []


def fresh_build(src: Path, dest: Path) -> dict[str, bytes]:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(search.INDEX_DIR))
    search.build_search_index(dest)
    return index_files(dest / search.INDEX_DIR)


def test_cache_reuses_unchanged_segments(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SEGMENT_PAGES", SEGMENT_PAGES)
    cache = tmp_path / "cache"
    one = make_site(tmp_path / "one")
    first = search.build_search_index(one, cache_dir=cache)
    assert first.segments_reused == 0 and len(list(cache.glob("seg-*.state"))) == 3
    built = index_files(one / search.INDEX_DIR)
    # the same pages, rendered differently (only markup outside the indexed text changed)
    for p in one.rglob("*.html"):
        text = p.read_text(encoding="utf-8")
        p.write_text(text.replace('class="wrap"', 'class="wrap wide"'), encoding="utf-8")
    again = search.build_search_index(one, cache_dir=cache)
    assert again.segments_reused == 3 and index_files(one / search.INDEX_DIR) == built
    # one article edited: its segment only is indexed again, and the result is a fresh build's
    art = one / ARTICLES[-1][0]
    text = art.read_text(encoding="utf-8")
    art.write_text(text.replace("市场主体活力", "市场主体的活力"), encoding="utf-8")
    edited = search.build_search_index(one, cache_dir=cache)
    assert edited.segments_reused == 2
    assert lookup(one, "主体的活") == ["扎实推进营商环境优化"] and lookup(one, "主体活力") == []
    assert index_files(one / search.INDEX_DIR) == fresh_build(one, tmp_path / "fresh")
    assert len(list(cache.glob("seg-*.state"))) == 3  # the replaced segment is forgotten
    # an article added in the middle and one deleted: segments after it move, the result is still exact
    (one / "2025/19").mkdir()
    (one / "2025/19/xin.html").write_text(article_page(
        "2025/19/xin.html", "新增的文章", "", ["周新"], "2025年第19期", "2025", "要闻", ["新增加的段落。"]),
        encoding="utf-8")
    (one / ARTICLES[2][0]).unlink()
    assert search.build_search_index(one, cache_dir=cache).segments_reused == 1  # the first one
    assert lookup(one, "新增") == ["新增的文章"] and lookup(one, "一网通办") == []
    assert index_files(one / search.INDEX_DIR) == fresh_build(one, tmp_path / "fresh2")


def test_cache_follows_a_page_whose_bytes_move_to_another_address(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SEGMENT_PAGES", SEGMENT_PAGES)
    one = make_site(tmp_path / "one")
    cache = tmp_path / "cache"
    search.build_search_index(one, cache_dir=cache)
    (one / ARTICLES[1][0]).rename(one / "2026/03/lianxi-2.html")  # same bytes, same place in path order
    search.build_search_index(one, cache_dir=cache)
    assert "2026/03/lianxi-2.html" in [r[0] for r in rows(one)]
    assert index_files(one / search.INDEX_DIR) == fresh_build(one, tmp_path / "fresh")


def test_cache_with_known_hashes_and_a_writer(tmp_path, monkeypatch):
    """The build's way: file hashes from its manifest, files through its writer (put(rel, data))."""
    monkeypatch.setattr(search, "SEGMENT_PAGES", SEGMENT_PAGES)
    one = make_site(tmp_path / "one")
    cache = tmp_path / "cache"

    class Writer:
        def __init__(self):
            self.files: dict[str, bytes] = {}

        def put(self, rel: str, data: bytes) -> None:
            assert rel.startswith(search.INDEX_DIR + "/") and rel not in self.files
            self.files[rel.split("/", 1)[1]] = data

    def hashes():
        return {p.relative_to(one).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
                for p in one.rglob("*.html")}

    w = Writer()
    search.build_search_index(one, cache_dir=cache, page_hashes=hashes(), writer=w)
    assert not (one / search.INDEX_DIR).exists()
    assert w.files == fresh_build(one, tmp_path / "fresh")
    # one article edited: only the pages of its segment are read (the others are known by their hash)
    art = one / ARTICLES[0][0]
    art.write_text(art.read_text(encoding="utf-8").replace("现代化治理", "现代化管理"), encoding="utf-8")
    read = []
    real = search._read_page
    monkeypatch.setattr(search, "_read_page", lambda path, url: read.append(url) or real(path, url))
    w = Writer()
    stats = search.build_search_index(one, cache_dir=cache, page_hashes=hashes(), writer=w)
    assert stats.segments_reused == 2
    assert sorted(read) == ["2025/24/shuzi.html", "2026/03/lianxi.html", "2026/04/zengzhishui.html"]
    assert w.files == fresh_build(one, tmp_path / "fresh2")
    assert lookup(tmp_path / "fresh2", "代化管") == ["关于深化增值税改革的通知"]


def test_broken_cache_costs_time_only(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SEGMENT_PAGES", SEGMENT_PAGES)
    one = make_site(tmp_path / "one")
    cache = tmp_path / "cache"
    search.build_search_index(one, cache_dir=cache)
    built = index_files(one / search.INDEX_DIR)
    segs = sorted(cache.glob("seg-*.state"))
    segs[0].write_bytes(b"not a state file")
    segs[1].write_bytes(pickle.dumps({"something": "else"}))
    (cache / "pages.state").write_bytes(b"\x80")
    stats = search.build_search_index(one, cache_dir=cache)
    assert index_files(one / search.INDEX_DIR) == built and stats.segments_reused == 1
    assert sorted(p.name for p, _ in stats.discarded) == sorted([segs[0].name, segs[1].name, "pages.state"])


def test_search_script_is_small():
    js = (STATIC / "search.js").read_bytes()
    assert len(js) < 18_000
    assert b"http://" not in js and b"https://" not in js  # nothing is fetched from elsewhere
    assert len((STATIC / "search.css").read_bytes()) < 4_000


# --- in the browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site: Path):
    with serve_folder(site) as base:
        yield base


class Watched(browsing.Watched):
    """A watched page that runs searches; console warnings count as errors here too."""

    def __init__(self, browser) -> None:
        super().__init__(browser, levels=("error", "warning"))

    def search(self, base: str, query: str, **params: str) -> None:
        extra = "".join(f"&{k}={quote(v)}" for k, v in params.items())
        self.page.goto(f"{base}search.html?q={quote(query)}{extra}")
        self.wait()

    def wait(self) -> None:
        self.page.wait_for_function(
            "() => /找到|没有|共/.test(document.getElementById('search-status').textContent)", timeout=15000)

    def results(self) -> list[dict]:
        return self.page.eval_on_selector_all(".search-result", """els => els.map(li => ({
            title: li.querySelector('.search-result-title').textContent,
            href: li.querySelector('.search-result-title').href,
            meta: (li.querySelector('.search-result-meta') || {}).textContent || '',
            snippet: li.querySelector('.search-result-snippet').innerHTML}))""")


BROWSER_CASES = [
    # query, expected title, issue label, highlighted text
    ("税", "关于深化增值税改革的通知", "2026年第4期", "税"),
    ("代", "关于深化增值税改革的通知", "2026年第4期", "代"),
    ("通办", "数字政府建设取得新进展", "2025年第24期", "通办"),
    ("一网通办", "数字政府建设取得新进展", "2025年第24期", "一网通办"),
    ("王晓明", "关于深化增值税改革的通知", "2026年第4期", "王晓明"),
    ("2026", "学习“两个联系”精神的体会", "2026年第3期", "2026"),
    ("“两个联系”", "学习“两个联系”精神的体会", "2026年第3期", "两个联系"),
    ("Python培训", "Python与数据分析培训班开班", "2024年第6期", "Python"),
]


@pytest.mark.browser
@pytest.mark.parametrize("query, title, issue, marked", BROWSER_CASES)
def test_browser_search(browser, server, query, title, issue, marked):
    w = Watched(browser)
    w.search(server, query)
    results = w.results()
    hit = next((r for r in results if r["title"] == title), None)
    assert hit is not None, (query, [r["title"] for r in results], w.page.inner_text("#search-status"))
    assert issue in hit["meta"]
    assert f"<mark>{marked}</mark>" in hit["snippet"] or f"<mark>{marked}</mark>" in w.page.inner_html(
        ".search-result-title >> nth=0"), hit
    assert hit["href"].startswith(server) and hit["href"].endswith(".html")
    assert "找到" in w.page.inner_text("#search-status")
    assert w.errors == [] and w.outside == []
    w.page.close()


@pytest.mark.browser
def test_browser_title_match_comes_first_and_link_opens_the_article(browser, server):
    w = Watched(browser)
    w.search(server, "服务")  # in two bodies, and in one title
    assert [r["title"] for r in w.results()] == ["税务窗口服务提质增效", "数字政府建设取得新进展"]
    w.page.click(".search-result-title >> nth=0")
    w.page.wait_for_load_state()
    assert w.page.url == server + "2025/16/shuiwu.html"
    assert w.errors == [] and w.outside == []
    w.page.close()


@pytest.mark.browser
def test_browser_filters_and_typing(browser, server):
    w = Watched(browser)
    pg = w.page
    w.search(server, "税")
    assert {r["title"] for r in w.results()} == {"关于深化增值税改革的通知", "税务窗口服务提质增效"}
    assert pg.locator('#search-filters select[name="year"] option').all_inner_texts() == [
        "全部年份", "2026年（1）", "2025年（1）"]
    pg.select_option('#search-filters select[name="year"]', "2025")
    pg.wait_for_function("() => document.querySelectorAll('.search-result').length === 1")
    assert [r["title"] for r in w.results()] == ["税务窗口服务提质增效"]
    assert "year=2025" in pg.url and "筛选" in pg.inner_text("#search-status")
    # a new query typed into the box keeps the filter
    pg.fill("#search-input", "联络站")
    pg.press("#search-input", "Enter")
    pg.wait_for_function("() => /联络站/.test(document.getElementById('search-status').textContent)")
    w.wait()
    assert [r["title"] for r in w.results()] == ["代表联络站建设的几点思考"]
    assert "q=%E8%81%94" in pg.url
    # section filter from the address, nothing found
    w.search(server, "税", section="理论学习")
    assert w.results() == [] and "没有找到" in pg.inner_text("#search-status")
    assert w.errors == [] and w.outside == []
    pg.close()


@pytest.mark.browser
@pytest.mark.parametrize("query, title, issue, marked", BROWSER_CASES)
def test_browser_search_from_disk(browser, site: Path, query, title, issue, marked):
    """Opened from disk (file://), where fetch() is refused: the index scripts load all the same, and
    results link to the article files."""
    w = Watched(browser)
    w.search(site.as_uri() + "/", query)
    results = w.results()
    hit = next((r for r in results if r["title"] == title), None)
    assert hit is not None, (query, [r["title"] for r in results], w.page.inner_text("#search-status"))
    assert issue in hit["meta"] and f"<mark>{marked}</mark>" in hit["snippet"] + w.page.inner_html(
        ".search-result-title >> nth=0")
    path = next(a[0] for a in ARTICLES if a[1] == title)
    assert hit["href"] == (site / path).as_uri()
    assert w.errors == [] and w.outside == []
    w.page.click(f".search-result-title >> text={title}")
    w.page.wait_for_load_state()
    assert w.page.url == (site / path).as_uri() and w.page.locator("h1").inner_text() == title
    w.page.close()


@pytest.mark.browser
@pytest.mark.parametrize("lost", ["search", "search/text/1/0.js"])
def test_browser_from_disk_with_index_files_missing(browser, site: Path, tmp_path, lost):
    """A copy of the site missing its index (or one result record): the page says search cannot be used
    and points to the listings, instead of failing silently."""
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    shutil.rmtree(copy / lost) if (copy / lost).is_dir() else (copy / lost).unlink()
    w = browsing.Watched(browser)
    w.page.goto((copy / "search.html").as_uri() + "?q=" + quote("代表联络站"))
    w.page.wait_for_function("() => /无法使用/.test(document.getElementById('search-status').textContent)")
    assert w.page.locator(".search-error").count() == 1
    assert w.outside == []  # (the console names the file that did not load)
    w.page.close()


@pytest.mark.browser
def test_browser_supplementary_han_characters(browser, tmp_path):
    a = ("2025/01/rare.html", "𠀾𪚥与𤭢", "", ["张𰻝"], "2025年第1期", "2025", "要闻",
         ["龘𠀾人名用字：𪚥𤭢。"])
    root = make_site(tmp_path / "site")
    (root / "2025/01").mkdir(parents=True)
    (root / a[0]).write_text(article_page(*a), encoding="utf-8")
    search.build_search_index(root)

    with serve_folder(root) as base:
        for query, marked in (("𠀾", "𠀾"), ("𪚥𤭢", "𪚥𤭢"), ("张𰻝", "张𰻝")):
            w = Watched(browser)
            w.search(base, query)
            results = w.results()
            assert [r["title"] for r in results] == ["𠀾𪚥与𤭢"], query
            shown = results[0]["snippet"] + w.page.inner_html(".search-result-title")
            assert f"<mark>{marked}</mark>" in shown, (query, shown)
            assert w.errors == [] and w.outside == []
            w.page.close()


def test_a_long_running_process_does_not_read_unchanged_segments_again(tmp_path, monkeypatch):
    """The preview server builds again and again in one process: segments it decoded (or indexed) are
    kept in memory while their files stay as they were; a file changed since is read, and checked, again.
    The index files are the same either way."""
    from bulletin import buildstate

    root = make_site(tmp_path / "site")
    cache = tmp_path / "cache"
    monkeypatch.setattr(search, "SEGMENT_PAGES", SEGMENT_PAGES)
    reads: list[str] = []
    real = buildstate.Store.read

    def counting(self, record, *args, **kwargs):
        reads.append(record)
        return real(self, record, *args, **kwargs)

    monkeypatch.setattr(buildstate.Store, "read", counting)
    search.build_search_index(root, workers=1, cache_dir=cache)
    first = index_files(root / search.INDEX_DIR)
    reads.clear()
    search.build_search_index(root, workers=1, cache_dir=cache)
    assert not [r for r in reads if r.startswith("seg-")]
    assert index_files(root / search.INDEX_DIR) == first
    seg = sorted(cache.rglob("seg-*.state"))[0]
    seg.write_bytes(b"damaged")
    reads.clear()
    search.build_search_index(root, workers=1, cache_dir=cache)
    assert [r for r in reads if r.startswith("seg-")] == [seg.stem]
    assert index_files(root / search.INDEX_DIR) == first
