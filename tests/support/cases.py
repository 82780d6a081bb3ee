"""Tables of cases kept as data: `tests/rules/cases/<rule>.toml`, one `[[table]]` entry each.

Every case has a `name` (its test id) and the table's fields, inputs and the
expected output. TOML has no null: a field named `optional` may be left out and
is then None; any other field left out, or one the test does not take, is an
error in the file, so a case never passes by missing its expectation.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"


def load(rule: str, table: str) -> list[dict[str, Any]]:
    """The entries of `[[table]]` in the rule's case file, in order."""
    with (CASES / f"{rule}.toml").open("rb") as file:
        entries: list[dict[str, Any]] = tomllib.load(file)[table]
    return entries


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def params(rule: str, table: str, fields: str, optional: str = "") -> list[Any]:
    """One `pytest.param` per case: its `fields` (comma-separated) in order, its name as
    the id."""
    wanted, may_lack = _names(fields), set(_names(optional))
    found: list[Any] = []
    seen: set[str] = set()
    for case in load(rule, table):
        name = case.get("name")
        where = f"{rule}.toml [[{table}]] {name!r}"
        if not isinstance(name, str) or name in seen:
            raise ValueError(f"{where}: every case needs a name of its own")
        seen.add(name)
        unknown = set(case) - {"name", *wanted}
        missing = set(wanted) - set(case) - may_lack
        if unknown or missing:
            raise ValueError(f"{where}: unknown {sorted(unknown)}, missing {sorted(missing)}")
        found.append(pytest.param(*(case.get(field) for field in wanted), id=name))
    return found


def table(rule: str, table: str, fields: str, *, optional: str = "") -> pytest.MarkDecorator:
    """Parametrize a test with a table of cases, as `pytest.mark.parametrize` does:
    `@table("ledger", "month_score", "points, score")` runs it once per `[[month_score]]`
    entry of cases/ledger.toml, with `points` and `score` as its arguments."""
    return pytest.mark.parametrize(_names(fields), params(rule, table, fields, optional))
