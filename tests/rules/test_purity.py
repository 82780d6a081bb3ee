"""rules/ stays pure: it imports no I/O layer (architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FORBIDDEN = {
    "telegram",
    "sqlmodel",
    "sqlalchemy",
    "httpx",
    "apscheduler",
    "jinja2",
    "storage",
    "handlers",
    "bot",
    "aiohttp",
    "asyncio",
    "os",
    "pathlib",
    "tomllib",
}
RULES = Path(__file__).resolve().parents[2] / "rules"


@pytest.mark.parametrize("module", sorted(RULES.glob("*.py")), ids=lambda p: p.name)
def test_rules_import_no_io(module: Path) -> None:
    tree = ast.parse(module.read_text("utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert not imported & FORBIDDEN, f"{module.name} imports {imported & FORBIDDEN}"
    assert "now(" not in module.read_text("utf-8"), "rules never read the clock"
