"""The package's shape: small modules, stages that import only downwards, no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "src" / "acuprint"
MAX_LINES = 400
# Each stage may import only stages to its left (and itself).
ORDER = ["inputs", "compose", "checks", "render", "build", "preview", "commands", "cli"]
# Small shared modules at the top of the package, importable from anywhere.
BASE = {"errors", "atomic", ""}


def _modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
        for path in PACKAGE.rglob("*.py")
    }


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("acuprint"):
            found.add(node.module.removeprefix("acuprint").lstrip("."))
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("acuprint.")
                for a in node.names
                if a.name.startswith("acuprint.")
            }
    return found


def _stage(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("module", sorted(_modules()))
def test_every_module_is_small_enough_to_read_in_one_sitting(module: str) -> None:
    lines = len(_modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"


def test_stages_import_only_earlier_stages() -> None:
    wrong = []
    for module, path in _modules().items():
        stage = _stage(module)
        if stage not in ORDER:
            continue
        for target in _imports(path):
            other = _stage(target)
            if other in BASE or other not in ORDER:
                continue
            if ORDER.index(other) > ORDER.index(stage):
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {
        name: {
            t.removesuffix(".__init__")
            for t in _imports(path)
            if t in modules or f"{t}.__init__" in modules
        }
        for name, path in modules.items()
    }
    graph = {name.removesuffix(".__init__"): deps for name, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*trail, node, dep]))
            if dep not in state:
                visit(dep, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
