"""The package layout as a rule: imports point down the data's path, and no import circle exists.

Layers, top to bottom (a module may import its own layer's package and any layer below it):
``cli`` > ``api`` > ``web`` > ``serving`` > ``watch`` > ``pipeline`` | ``export`` > ``fuse`` >
``analyze`` | ``ingest`` > ``store`` > ``models``, ``defaults``, ``errors``, ``ids``, ``context``,
``progress``.
Names joined by ``|`` are siblings that never import each other; the bottom layer's modules may
import each other (the circle test keeps them apart). Imports inside functions and under
TYPE_CHECKING count too: a lazy import still ties one layer to another.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "newsfuse"

LAYERS: list[set[str]] = [
    {"cli"},
    {"api"},
    {"web"},
    {"serving"},
    {"watch"},
    {"pipeline", "export"},
    {"fuse"},
    {"analyze", "ingest"},
    {"store"},
    {"models", "defaults", "errors", "ids", "context", "progress", ""},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}
BOTTOM = len(LAYERS) - 1


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The newsfuse modules ``path`` imports (a name imported from a package counts as the submodule
    when there is one, else as the package)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "newsfuse")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "newsfuse":
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {m: _imports(p, modules) - {m} for m, p in paths.items()}


def _area(module: str) -> str:
    """'newsfuse.fuse.claims.build' -> 'fuse'; 'newsfuse' -> ''."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_area_has_a_layer() -> None:
    unknown = sorted({_area(m) for m in _graph()} - set(RANK))
    assert not unknown, f"place {unknown} in LAYERS (tests/test_layers.py) and in the README's tree"


def test_imports_point_down() -> None:
    upward = []
    for module, targets in _graph().items():
        for target in targets:
            a, b = _area(module), _area(target)
            if a != b and RANK.get(b, 99) <= RANK.get(a, -1) and RANK.get(a) != BOTTOM:
                upward.append(f"{module} -> {target}")
    assert not upward, "imports that point up or sideways:\n" + "\n".join(sorted(upward))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_circles() -> None:
    # A package's __init__ is imported by each of its modules, so an __init__ that imports its own
    # modules is no circle worth reporting; ours hold docstrings only, and this keeps them so.
    graph = _graph()
    assert not _cycles(graph), f"import circles: {_cycles(graph)}"


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": set()}, []),
])
def test_cycle_finder_finds_circles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert _cycles(graph) == expected
