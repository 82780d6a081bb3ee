"""The layers run one way: handlers/ -> bot/ -> storage/ and rules/, with no import circles;
end-to-end test modules share helpers through tests/support/, never one another."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "rules", "storage")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """Every project module and the project modules it imports (at any depth of code)."""
    modules = {
        _module(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found
    return graph


def test_only_the_start_up_module_imports_the_handlers() -> None:
    outside = {
        name: sorted(t for t in targets if t.startswith("handlers"))
        for name, targets in _graph().items()
        if not name.startswith("handlers") and name != "bot.app"
    }
    assert {name: t for name, t in outside.items() if t} == {}


def test_storage_and_rules_import_nothing_above_them() -> None:
    for name, targets in _graph().items():
        if name.startswith(("storage", "rules")):
            assert not [t for t in targets if t.startswith(("bot", "handlers"))], name


def test_no_import_circles() -> None:
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_end_to_end_modules_never_import_each_other() -> None:
    """Helpers two end-to-end modules share live in tests/support/, not in a test module."""
    e2e = ROOT / "tests" / "e2e"
    found: dict[str, list[str]] = {}
    for path in sorted(e2e.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:  # `from .test_x import y`, `from . import test_x`
                    names = [node.module] if node.module else [a.name for a in node.names]
                    targets = [f"tests.e2e.{name}" for name in names]
                else:
                    targets = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            hits = [t for t in targets if t == "tests.e2e" or t.startswith("tests.e2e.")]
            if hits:
                found.setdefault(path.name, []).append(hits[0])
    assert found == {}
