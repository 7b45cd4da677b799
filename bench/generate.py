"""Generate a synthetic bulletin archive for benchmarks.

    python bench/generate.py OUT_DIR --years 10 [--seed 1] [--issues 24] [--articles 20]

Writes OUT_DIR/bulletin.yaml and OUT_DIR/content/<YYYY>/<NN>/ (issue.yaml + one .md per article).
Every article has front matter (title, section, authors, tags, sometimes subtitle, affiliation, source,
author note) and a body of 2,000–3,000 Chinese characters with 一、二、 headings, numbered and bulleted
lists, emphasis and the occasional brief (●) paragraph or poem. The text is assembled from this file's own
small vocabulary, deterministically from the seed: the same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

SECTIONS = [
    ("feature", "特别关注"),
    ("news", "工作动态"),
    ("plan", "工作要点"),
    ("deputies", "代表风采"),
    ("exchange", "他山之石"),
    ("theory", "理论研讨"),
    ("literature", "文学社"),
    ("grassroots", "基层传真"),
]
# articles per section in an issue of 20 (sums to 20)
SECTION_SHARE = [2, 6, 1, 3, 2, 2, 1, 3]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "建华明远碧海晓东文军志强秀英丽娟国庆德福永红春燕海涛立新玉兰子豪思源雨桐泽宇欣怡"
    "佳琪浩然梓涵家辉振宇俊杰宏伟淑芬桂芳"
)
PLACES = [
    "东城区",
    "西山县",
    "南湖镇",
    "北岭乡",
    "青川县",
    "河口区",
    "柳林镇",
    "石桥乡",
    "云台县",
    "白沙区",
    "红星街道",
    "新城街道",
    "古渡镇",
    "松坪乡",
    "金川县",
    "望江区",
]
REGIONS = ["云南", "四川", "甘肃", "贵州", "江西", "湖南", "广西", "陕西", "浙江", "河北"]
SOURCES = ["人民代表报", "中国人大", "人民之友", "地方人大建设", "公民导刊", "人大研究"]
TAGS = [
    "代表工作",
    "监督工作",
    "立法工作",
    "预算审查",
    "代表联络站",
    "民生实事",
    "乡村振兴",
    "生态保护",
    "基层治理",
    "营商环境",
    "议案建议",
    "执法检查",
    "专题询问",
    "自身建设",
    "宣传工作",
    "调查研究",
]

SUBJECTS = [
    "市人大常委会",
    "各级人大代表",
    "常委会组成人员",
    "代表联络站",
    "专门委员会",
    "乡镇人大主席团",
    "街道人大工委",
    "县区人大常委会",
    "调研组",
    "执法检查组",
    "基层群众",
    "相关部门",
    "代表小组",
    "常委会机关",
    "预算工作委员会",
    "社会建设委员会",
]
VERBS = [
    "深入开展",
    "认真落实",
    "持续推进",
    "统筹做好",
    "扎实组织",
    "全面加强",
    "积极探索",
    "不断完善",
    "切实抓好",
    "稳步推动",
    "认真研究",
    "广泛听取",
    "及时跟进",
    "着力解决",
    "系统梳理",
    "精心安排",
]
OBJECTS = [
    "代表建议办理工作",
    "民生实事项目票决",
    "地方性法规立法调研",
    "政府预算联网监督",
    "执法检查反馈意见",
    "代表履职培训",
    "联络站规范化建设",
    "专题询问整改",
    "基层立法联系点工作",
    "国有资产管理情况报告",
    "生态环境保护工作",
    "乡村振兴重点任务",
    "城市更新项目",
    "义务教育均衡发展",
    "养老服务体系建设",
    "营商环境优化措施",
    "河湖长制落实情况",
    "农村饮水安全工程",
    "社区矛盾纠纷化解",
    "重点项目建设进度",
]
MANNERS = [
    "以问题为导向",
    "坚持人民至上",
    "紧扣中心大局",
    "立足本地实际",
    "注重实际效果",
    "聚焦群众关切",
    "围绕年度计划",
    "依法依规",
    "点面结合",
    "上下联动",
    "线上线下结合",
    "分类分批",
]
RESULTS = [
    "取得了明显成效",
    "得到群众普遍认可",
    "形成了一批可复制的经验",
    "推动解决了一批实际问题",
    "进一步提升了工作质效",
    "为下一步工作打下了基础",
    "有效回应了社会关切",
    "增强了监督刚性",
]
NUMBERS = ["3", "5", "12", "26", "48", "105", "2", "7", "16", "30", "86", "240"]
UNITS = ["件", "条", "个", "次", "项", "人次", "场"]
LINKS = [
    "同时",
    "此外",
    "与此同时",
    "在此基础上",
    "下一步",
    "据了解",
    "会上",
    "会议强调",
    "调研中",
    "会议指出",
    "截至目前",
    "近年来",
]
HEADS = [
    "提高政治站位，增强做好工作的责任感",
    "突出工作重点，推动各项任务落地见效",
    "创新方式方法，拓展代表履职平台",
    "强化跟踪问效，确保监督取得实效",
    "加强自身建设，提升依法履职能力",
    "凝聚各方力量，营造良好工作氛围",
    "坚持问题导向，补齐短板弱项",
    "健全工作机制，推动工作常态长效",
]
TITLE_A = [
    "凝心聚力",
    "担当作为",
    "守正创新",
    "履职尽责",
    "真抓实干",
    "砥砺奋进",
    "务实笃行",
    "接续奋斗",
    "奋楫争先",
    "踔厉奋发",
    "笃行不怠",
    "久久为功",
]
TITLE_B = [
    "谱写人大工作新篇章",
    "推动代表工作提质增效",
    "让监督更有力度",
    "把实事办到群众心坎上",
    "助力高质量发展",
    "书写履职新答卷",
    "打造代表之家新样板",
    "筑牢基层治理根基",
    "守护一方绿水青山",
    "为民生实事保驾护航",
]
POEM_LINES = [
    "清晨的雾还没有散去",
    "代表的脚步已到村口",
    "一盏灯亮在联络站里",
    "把群众的话一句句记下",
    "河水绕过新修的堤坝",
    "稻田里站着弯腰的人",
    "风从山那边吹来",
    "带着泥土和花的气息",
    "我们在会场里举起手",
    "也在田埂上听取民声",
]


def _name(rng: random.Random) -> str:
    given = GIVEN[rng.randrange(0, len(GIVEN) - 1, 2) :][:2] if rng.random() < 0.7 else rng.choice(GIVEN)
    return rng.choice(SURNAMES) + given


def _sentence(rng: random.Random) -> str:
    s = rng.choice(SUBJECTS) + rng.choice(MANNERS) + "，" + rng.choice(VERBS) + rng.choice(OBJECTS)
    r = rng.random()
    if r < 0.35:
        s += f"，共收集意见{rng.choice(NUMBERS)}{rng.choice(UNITS)}，{rng.choice(RESULTS)}"
    elif r < 0.6:
        s += f"，深入{rng.choice(PLACES)}实地察看，{rng.choice(RESULTS)}"
    elif r < 0.7:
        s += f"，**{rng.choice(OBJECTS)}**{rng.choice(RESULTS)}"
    else:
        s += "，" + rng.choice(RESULTS)
    return (rng.choice(LINKS) + "，" if rng.random() < 0.4 else "") + s + "。"


def _item(rng: random.Random) -> str:
    """A numbered item as work plans and reports write them: a lead phrase and one to three sentences,
    or a sentence alone (items run from one line to several, not all one line and a few characters)."""
    r = rng.random()
    if r < 0.3:
        return _sentence(rng)
    lead = rng.choice(HEADS).split("，")[rng.randrange(2)] + "。"
    return lead + "".join(_sentence(rng) for _ in range(1 if r < 0.65 else rng.randint(2, 3)))


def _paragraph(rng: random.Random, lo: int = 120, hi: int = 260) -> str:
    target = rng.randint(lo, hi)
    out = ""
    while len(out) < target:
        out += _sentence(rng)
    return out


def _body(rng: random.Random, section: str) -> str:
    target = rng.randint(2000, 3000)
    parts: list[str] = [_paragraph(rng)]
    n_heads = rng.randint(3, 5)
    heads = rng.sample(HEADS, n_heads)
    size = len(parts[0])
    h = 0
    cn = "一二三四五六七八"
    while size < target:
        if h < n_heads and (size > (h + 1) * target / (n_heads + 1)):
            parts.append(f"## {cn[h]}、{heads[h]}")
            h += 1
            continue
        r = rng.random()
        if r < 0.12:
            items = [f"{i}. {_item(rng)}" for i in range(1, rng.randint(3, 5) + 1)]
            block = "\n".join(items)
        elif r < 0.2:
            block = "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 4)))
        elif r < 0.26 and section == "news":
            block = "● " + _paragraph(rng, 80, 140)
        elif r < 0.3 and section == "literature":
            stanzas = ["\n".join(rng.sample(POEM_LINES, 4)) for _ in range(2)]
            block = "::: poem\n" + "\n\n".join(stanzas) + "\n:::"
        else:
            block = _paragraph(rng)
        if size >= 2000 and size + len(block) > 3000:
            break
        parts.append(block)
        size += len(block)
    return "\n\n".join(parts) + "\n"


class _Authors:
    """Contributors: a pool of regulars who write most articles, joined by a few new names each year
    (a real bulletin has hundreds of authors over ten years, not one per article)."""

    def __init__(self, rng: random.Random, regulars: int = 250) -> None:
        self.rng = rng
        self.pool: list[str] = []
        while len(self.pool) < regulars:
            self._new()

    def _new(self) -> str:
        while True:
            name = _name(self.rng)
            if name not in self.pool:
                self.pool.append(name)
                return name

    def pick(self) -> str:
        if self.rng.random() < 0.08:
            return self._new()
        return self.pool[
            min(int(self.rng.paretovariate(1.2)) - 1, len(self.pool) - 1)
            if self.rng.random() < 0.3
            else self.rng.randrange(len(self.pool))
        ]


def _front_matter(rng: random.Random, authors_pool: _Authors, section: str, order: int) -> list[str]:
    title = rng.choice(TITLE_A) + " " + rng.choice(TITLE_B)
    fm = ["---", f"title: {title}", f"section: {section}"]
    if section == "feature" and rng.random() < 0.6:
        fm.append(f"subtitle: ——在{rng.choice(PLACES)}{rng.choice(['座谈会', '工作会议', '培训班'])}上的讲话")
    if section != "news" or rng.random() < 0.5:
        authors = list(dict.fromkeys(authors_pool.pick() for _ in range(rng.choice([1, 1, 1, 2]))))
        fm.append("authors: [" + ", ".join(authors) + "]")
    if section == "exchange":
        if rng.random() < 0.5:
            fm.append(f"source: {rng.choice(SOURCES)}")
        else:
            fm.append(f"affiliation: {rng.choice(REGIONS)}")
            post = rng.choice(["主任", "副主任", "办公室主任"])
            fm.append(f"author_note: 作者系{rng.choice(PLACES)}人大常委会{post}")
    fm.append("tags: [" + ", ".join(rng.sample(TAGS, rng.randint(1, 3))) + "]")
    fm.append(f"order: {order}")
    fm.append("---")
    return fm


def generate(
    out: Path,
    years: int,
    *,
    seed: int = 1,
    issues_per_year: int = 24,
    articles: int = 20,
    last_year: int = 2026,
) -> int:
    """Write the archive; returns the number of articles."""
    rng = random.Random(seed)
    authors = _Authors(rng)
    if out.exists():
        shutil.rmtree(out)
    (out / "content").mkdir(parents=True)
    sections = "\n".join(f"  - {{id: {i}, name: {n}}}" for i, n in SECTIONS)
    (out / "bulletin.yaml").write_text(
        "title: 基准人大\npublisher: 基准市人大常委会办公室主办\nfrequency: semimonthly\n"
        "base_url: https://bench.example.org/\ndescription: 合成的基准测试刊物。\n"
        f"sections:\n{sections}\n",
        encoding="utf-8",
    )
    share = [s * articles // 20 for s in SECTION_SHARE]
    share[1] += articles - sum(share)
    total = 0
    count = 0
    for year in range(last_year - years + 1, last_year + 1):
        for number in range(1, issues_per_year + 1):
            total += 1
            month = (number - 1) * 12 // issues_per_year + 1
            day = 5 if number % 2 else 20
            folder = out / "content" / str(year) / f"{number:02d}"
            folder.mkdir(parents=True)
            issue = [f"number: {number}", f"total: {total}", f"date: {dt.date(year, month, day).isoformat()}"]
            if rng.random() < 0.3:
                issue.append(f"title: {rng.choice(TITLE_A)}")
            (folder / "issue.yaml").write_text("\n".join(issue) + "\n", encoding="utf-8")
            k = 0
            for (sec, _), n in zip(SECTIONS, share, strict=True):
                for j in range(n):
                    k += 1
                    fm = _front_matter(rng, authors, sec, j + 1)
                    text = "\n".join(fm) + "\n" + _body(rng, sec)
                    (folder / f"a{k:02d}-{sec}.md").write_text(text, encoding="utf-8")
                    count += 1
    return count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--issues", type=int, default=24, help="issues per year")
    ap.add_argument("--articles", type=int, default=20, help="articles per issue")
    args = ap.parse_args()
    n = generate(args.out, args.years, seed=args.seed, issues_per_year=args.issues, articles=args.articles)
    print(f"{args.out}: {args.years} year(s), {n} articles")


if __name__ == "__main__":
    main()
