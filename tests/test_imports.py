"""The package's import graph: no cycles, and the pipeline's one direction.

Every `import` in bulletin/ is read with `ast` — at module level and inside functions (a lazy import
is still an edge: it only hides the cycle until the function runs). Imports under `if TYPE_CHECKING:`
are left out (they never run). Importing `a.b.c` also runs `a` and `a.b`, so those are edges too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bulletin

PACKAGE = Path(bulletin.__file__).parent

# Modules that read files into the model: they never reach the renderers or their libraries (the one
# direction of docs/architecture.md), not even through a module they import.
LOWER_LAYERS = ("bulletin.model", "bulletin.numbering", "bulletin.content")
FORBIDDEN_BELOW = ("bulletin.site", "bulletin.print", "jinja2", "weasyprint")


def module_files(package: Path) -> dict[str, Path]:
    """{dotted module name: file} of every module under `package` (a folder with __init__.py)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in `tree`, at any depth, except those under `if TYPE_CHECKING:`."""
    found = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: n + 1]) for n in range(len(parts))]


def import_graph(package: Path) -> tuple[dict[str, dict[str, int]], dict[str, set[str]]]:
    """({module: {module of the package it imports: line}}, {module: top-level names it imports})."""
    modules = module_files(package)
    edges: dict[str, dict[str, int]] = {m: {} for m in modules}
    external: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:  # relative: from the module's package, `level` steps up
                    anchor = module.split(".")[: len(module.split(".")) - node.level + is_package]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [base]
                # `from a import b` imports the module a.b when there is one
                targets += [
                    f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules
                ]
            for target in targets:
                for name in _with_parents(target):
                    if name in modules:
                        if name != module:
                            edges[module].setdefault(name, node.lineno)
                    elif name == target.split(".")[0]:
                        external[module].add(name)
    return edges, external


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle (a → … → a) through each group of modules that import each other (Tarjan's SCC)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)

    found = []
    for group in groups:  # a shortest way back to the group's first module, by breadth-first search
        start, members = group[0], set(group)
        paths = {start: [start]}
        queue = [start]
        while queue:
            node = queue.pop(0)
            for nxt in edges[node]:
                if nxt == start:
                    queue = []
                    found.append(paths[node] + [start])
                    break
                if nxt in members and nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    queue.append(nxt)
    return found


def reachable(edges: dict[str, dict[str, int]], start: str) -> dict[str, list[str]]:
    """{module reached from `start`: the chain of imports that reaches it}."""
    chains = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in edges[node]:
            if nxt not in chains:
                chains[nxt] = chains[node] + [nxt]
                queue.append(nxt)
    return chains


def _describe(edges, chain: list[str]) -> str:
    modules = module_files(PACKAGE)
    steps = [
        f"{a} → {b} ({modules[a].relative_to(PACKAGE.parent)}:{edges[a][b]})"
        for a, b in zip(chain, chain[1:], strict=False)
    ]
    return "\n    ".join(steps)


def test_no_import_cycles():
    edges, _ = import_graph(PACKAGE)
    found = cycles(edges)
    assert not found, (
        "import cycles in bulletin/ (move the shared code to a module both can import):\n"
        + "\n".join("  " + _describe(edges, c) for c in found)
    )


def test_model_and_content_never_reach_site_print_or_their_libraries():
    edges, external = import_graph(PACKAGE)
    lower = [m for m in edges if any(m == p or m.startswith(p + ".") for p in LOWER_LAYERS)]
    assert "bulletin.content.loader" in lower and "bulletin.model" in lower
    wrong = []
    for start in lower:
        for module, chain in reachable(edges, start).items():
            names = {module} | {m for m in external[module]}
            for bad in FORBIDDEN_BELOW:
                if any(n == bad or n.startswith(bad + ".") for n in names):
                    shown = _describe(edges, chain) if len(chain) > 1 else start
                    wrong.append(f"  {start} reaches {bad}:\n    {shown}")
    assert not wrong, "the pipeline goes one way (docs/architecture.md):\n" + "\n".join(sorted(set(wrong)))


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_walk_sees_lazy_relative_and_from_imports(tmp_path):
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "import os\n\ndef f():\n    from pkg.sub import b\n",
            "sub/__init__.py": "",
            "sub/b.py": "from . import c\n",
            "sub/c.py": "from ..a import f\nimport jinja2.ext\n",
            "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n",
        },
    )
    edges, external = import_graph(root)
    assert set(edges["pkg.a"]) == {"pkg", "pkg.sub", "pkg.sub.b"}  # a.b.c runs a and a.b first
    assert set(edges["pkg.sub.b"]) == {"pkg", "pkg.sub", "pkg.sub.c"}
    assert set(edges["pkg.sub.c"]) == {"pkg", "pkg.a"}
    assert edges["pkg.d"] == {}  # TYPE_CHECKING imports never run
    assert external["pkg.sub.c"] == {"jinja2"} and external["pkg.a"] == {"os"}
    assert cycles(edges) == [["pkg.a", "pkg.sub.b", "pkg.sub.c", "pkg.a"]]
    assert cycles({"x": {}, "y": {"x": 1}}) == []
