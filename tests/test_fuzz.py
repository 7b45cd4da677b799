"""Property tests: whatever front matter and Markdown an editor writes, loading ends in our own
diagnostics — never an unexpected exception — and what loads cleanly renders, without raw scripts."""

from __future__ import annotations

import os
import shutil
import string
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin import messages
from bulletin.build import load
from bulletin.diagnostics import Report
from bulletin.markdown import render_body

ARTICLE = "content/2026/01/fuzz.md"
KEYS = [
    "title",
    "subtitle",
    "section",
    "authors",
    "affiliation",
    "author_note",
    "source",
    "date",
    "order",
    "tags",
    "summary",
    "slug",
    "draft",
    "columns",
    "autor",
    "标题",
    "",
    "1",
    "null",
    "<<",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "feature",
            "news",
            "特别关注",
            "2026-02-30",
            "2026-01-05",
            "0000-00-00",
            "kaiju",
            "KAIJU",
            "a b",
            "-",
            "~",
            "*x",
            "&a",
            "!!binary",
            "%",
            "@x",
            "\t",
            "：",
            "---",
            "...",
            "'",
            '"',
            "\\",
            "\x00",
            "\u2028",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
front_matter_dicts = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
yaml_noise = st.text(alphabet=string.printable + "：，“”——中文标题栏目", max_size=200)


@st.composite
def front_matter_text(draw) -> str:
    """Valid-looking YAML from a random dict, sometimes damaged, or plain noise."""
    kind = draw(st.sampled_from(["dict", "damaged", "noise"]))
    if kind == "noise":
        return draw(yaml_noise)
    data = draw(front_matter_dicts)
    try:
        text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=draw(st.booleans()))
    except (yaml.YAMLError, ValueError):
        text = draw(yaml_noise)
    if kind == "damaged" and text:
        pos = draw(st.integers(0, len(text)))
        text = (
            text[:pos]
            + draw(st.sampled_from([":", "[", "{", "\t", "'", '"', "&", "*", "!", "\n  ", "- "]))
            + text[pos:]
        )
    return text


fragments = st.sampled_from(
    [
        "# 标题",
        "## 一、小标题",
        "正文一段。",
        "- 列表项",
        "  - 子项",
        "1. 第一",
        "> 引文",
        ">>>>>> 深引文",
        "![图](images/huiyi.png)",
        "![图](images/none.png)",
        "![](../../../etc/passwd)",
        "![x](http://e.com/a.png)",
        "![x][r]\n\n[r]: /etc/hosts",
        "![x](images\\huiyi.png)",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[链接](javascript:alert(1))",
        "脚注[^1]",
        "[^1]: 说明",
        "[^2]",
        "::: poem",
        ":::",
        "```",
        "~~~",
        "| a | b |",
        "|---|---|",
        "● 简讯",
        "***",
        "<!-- 注释 -->",
        "&amp; &#0; &#x110000;",
        "\t缩进",
        "    代码",
        "\x00",
        "\ufeff",
        "[^]",
        "![",
        "](",
        "**粗",
        "*",
        "_",
        "\\",
        "<",
        "&",
        "\r",
        "\u2028",
    ]
)


@st.composite
def bodies(draw) -> str:
    parts = draw(st.lists(st.one_of(fragments, st.text(max_size=40)), max_size=25))
    sep = draw(st.sampled_from(["\n", "\n\n", " "]))
    return sep.join(parts)


class _Danger(HTMLParser):
    """Collects what could run script in a browser: script/iframe/object elements, on* handlers,
    javascript:/vbscript:/data: URLs in link and source attributes."""

    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "base", "meta", "style", "link", "svg", "math"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in self.URL_ATTRS and value:
                url = "".join(ch for ch in value if ch > " ").lower()
                if url.startswith(("javascript:", "vbscript:", "data:")):
                    self.found.append(f"{tag} {name}={value[:30]}")


def dangerous(html: str) -> list[str]:
    p = _Danger()
    p.feed(html)
    p.close()
    return p.found


def _project() -> tuple[tempfile.TemporaryDirectory, Path]:
    tmp = tempfile.TemporaryDirectory()
    root = Path(tmp.name) / "proj"
    shutil.copytree(FIXTURES / "minimal", root)
    return tmp, root


def _check_report(report: Report) -> None:
    """Every diagnostic is ours: a known message id that formats in both languages, a relative path."""
    for d in report.items:
        assert messages.has(d.code), d.code
        assert not d.file.startswith("/"), d.file
        for lang in ("zh", "en"):
            messages.set_language(lang)
            try:
                assert d.format()
            finally:
                messages.set_language("zh")


# FUZZ_EXAMPLES=2000 for a longer, randomised hunt; the default run is small and reproducible.
SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(fm=front_matter_text(), body=bodies(), closed=st.booleans())
def test_loader_only_ever_reports(fm, body, closed):
    tmp, root = _project()
    with tmp:
        text = "---\n" + fm + ("\n---\n" if closed else "\n") + body
        (root / ARTICLE).write_text(text, encoding="utf-8", errors="surrogatepass")
        report = Report(root)
        archive = load(root, report)  # must not raise
        _check_report(report)
        assert archive is not None
        loaded = [a for i in archive.issues for a in i.articles if a.rel_path == ARTICLE]
        has_errors = any(d.file == ARTICLE for d in report.errors)
        assert not (loaded and has_errors), "an article with errors must be left out"
        for a in loaded:
            for target in ("site", "print"):
                html = render_body(a.body, target=target).html
                assert not dangerous(html), html


@SETTINGS
@given(body=bodies())
def test_sanitised_html_never_carries_scripts(body):
    for target in ("site", "print"):
        html = render_body(body, allow_html=True, target=target).html
        assert not dangerous(html), html


config_dicts = st.fixed_dictionaries(
    {
        "title": values,
        "publisher": values,
        "frequency": st.one_of(st.sampled_from(["semimonthly", "weekly"]), values),
        "sections": st.one_of(
            values, st.lists(st.fixed_dictionaries({"id": values, "name": values}), max_size=3)
        ),
    },
    optional={"print": values, "site": values, "website": values, "base_url": values, "extra": values},
)


@SETTINGS
@given(config=config_dicts, issue=front_matter_dicts)
def test_settings_and_issue_files_only_ever_report(config, issue):
    tmp, root = _project()
    with tmp:
        try:
            (root / "bulletin.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
            (root / "content/2026/01/issue.yaml").write_text(
                yaml.safe_dump(issue, allow_unicode=True), encoding="utf-8"
            )
        except (yaml.YAMLError, ValueError, UnicodeEncodeError):
            return
        report = Report(root)
        load(root, report)  # must not raise
        _check_report(report)
