"""The Telegram edge stays thin: no function in handlers/ is longer than 30 lines."""

from __future__ import annotations

import ast
from pathlib import Path

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
LONGEST = 30  # lines, from the `def` line to the function's last line


def _lengths(path: Path) -> dict[str, int]:
    """Every function and method in `path` (nested ones too), with its length in lines."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            found[f"{path.name}:{node.lineno} {node.name}"] = node.end_lineno - node.lineno + 1
    return found


def test_the_rule_counts_from_def_to_the_last_line(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    body = "".join(f"    x{i} = {i}\n" for i in range(30))
    short = "def short() -> None:\n    pass\n"
    sample.write_text(f"@decorated\nasync def long() -> None:\n{body}\n\n{short}")
    assert _lengths(sample) == {"sample.py:2 long": 31, "sample.py:35 short": 2}


def test_no_handler_function_is_longer_than_30_lines() -> None:
    lengths: dict[str, int] = {}
    for path in sorted(HANDLERS.glob("*.py")):
        lengths |= _lengths(path)
    assert len(lengths) > 50  # the handlers were read
    assert {name: n for name, n in lengths.items() if n > LONGEST} == {}
