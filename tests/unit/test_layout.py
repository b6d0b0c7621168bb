"""The package's shape: no import cycles, and only the demo harness touches the demo world.

Read from the source with `ast` (nothing is imported), so a cycle hidden behind
`TYPE_CHECKING` or inside a function counts too: it still ties two modules together.
A module is in a cycle when it can reach itself through imports.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "include" / "reporting_hub"
DEMO_HARNESS = ("reporting_hub.demo", "reporting_hub.cli.demo")
# The core the design names at the root; everything else lives in a folder named for its concern.
ROOT_MODULES = {"__init__", "catalog", "pipeline", "settings"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package modules `path` imports, anywhere in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - max(node.level - 1, 0)]
            target = ".".join([*base, node.module or ""]) if node.level else node.module or ""
            for alias in node.names:
                child = f"{target.rstrip('.')}.{alias.name}"
                found.add(child if child in modules else target.rstrip("."))
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {m for m in found if m in modules and m != name}


def graph() -> dict[str, set[str]]:
    paths = list(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    """Every module `start` leads to through one or more imports."""
    seen: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop."""
    reach = {node: reachable(edges, node) for node in edges}
    groups = {
        frozenset({node, *(other for other in reach[node] if node in reach.get(other, ()))})
        for node in edges
    }
    return sorted(sorted(group) for group in groups if len(group) > 1)


def test_the_package_has_no_import_cycles():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_the_demo_harness_mentions_the_demo_world():
    mentions = re.compile(r"demo_world|\.demo-world")
    offenders = [
        module_name(p)
        for p in PACKAGE.rglob("*.py")
        if mentions.search(p.read_text()) and not module_name(p).startswith(DEMO_HARNESS)
    ]
    assert offenders == []


def test_the_package_root_holds_only_the_core():
    assert {p.stem for p in PACKAGE.glob("*.py")} == ROOT_MODULES
