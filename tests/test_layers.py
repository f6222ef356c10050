"""The package's floors: imports run one way, read from the source (module level and inside functions).

``nlp`` (text to parsed sentences) imports nothing of ``attribution``, ``io`` or ``train``;
``attribution`` nothing of ``io`` or ``train``; no runtime module imports ``train``; and no import
cycle remains but the lazy ``objects`` -> ``io.render`` one (``Article._repr_html_``).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quotecraft"

#: floor -> the top-level parts of quotecraft it may import (besides itself)
ALLOWED = {
    "nlp": {"errors"},
    "attribution": {"nlp", "objects", "lexicon", "errors"},
    "objects": {"io.render"},  # the lazy Article._repr_html_ (see test_no_cycle_but_the_html_view)
    "lexicon": set(),
    "errors": set(),
}
RUNTIME = ("nlp", "attribution", "io", "objects", "lexicon", "errors", "extractor")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every quotecraft module that ``path`` imports, anywhere in the file."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "quotecraft")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "quotecraft":
                continue
            for a in node.names:  # "from . import tagparse" imports a module
                sub = f"{module}.{a.name}"
                out.add(sub if _exists(sub) else module)
    return out - {name}


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()


GRAPH = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _floor(module: str) -> str:
    """'quotecraft.nlp.parse' -> 'nlp'; 'quotecraft.io.render' -> 'io'; the package itself -> ''."""
    parts = module.split(".")[1:]
    return parts[0] if parts else ""


def test_the_graph_is_read():
    # a reader that found nothing would pass every rule below
    assert "quotecraft.nlp.parse" in GRAPH["quotecraft.attribution.resolve"]
    assert "quotecraft.nlp.tagparse" in GRAPH["quotecraft.nlp.loading"]  # an import inside a function
    assert len(GRAPH) > 30


@pytest.mark.parametrize("floor", sorted(ALLOWED))
def test_floor_imports_only_below(floor):
    wrong = {m: sorted(d for d in deps if _floor(d) != floor and _floor(d) not in ALLOWED[floor]
                       and ".".join(d.split(".")[1:]) not in ALLOWED[floor])
             for m, deps in GRAPH.items() if _floor(m) == floor}
    assert {m: d for m, d in wrong.items() if d} == {}


def test_no_runtime_module_imports_training_code():
    wrong = {m: sorted(d for d in deps if _floor(d) == "train")
             for m, deps in GRAPH.items() if _floor(m) in RUNTIME}
    assert {m: d for m, d in wrong.items() if d} == {}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_cycle_but_the_html_view():
    assert _cycles(GRAPH) == [["quotecraft.io.render", "quotecraft.objects"]]
