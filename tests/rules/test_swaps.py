"""Shift swaps' checks and exchange [002], as a table of cases (cases/swaps.toml)."""

from __future__ import annotations

import datetime as dt

import pytest

from rules import swaps
from rules.errors import Refusal
from tests.support.cases import table

ASKER, COLLEAGUE = 1, 2
TODAY = dt.date(2026, 11, 23)  # a Monday


def _shift(text: str) -> str | None:
    return None if text == "rest" else text


def _change(change: swaps.Change) -> str:
    who = "A" if change.person_id == ASKER else "C"
    return f"{who} {change.day} {change.before or 'rest'}>{change.after or 'rest'}"


@table(
    "swaps",
    "check",
    "day, other_day, asker, colleague, self, until, locked, open_swaps, refusal, changes",
    optional="other_day, self, until, locked, open_swaps, refusal, changes",
)
def test_check(
    day: dt.date,
    other_day: dt.date | None,
    asker: list[str],
    colleague: list[str],
    self: bool | None,
    until: dt.date | None,
    locked: list[str] | None,
    open_swaps: int | None,
    refusal: str | None,
    changes: list[str] | None,
) -> None:
    ask = swaps.Ask(ASKER, ASKER if self else COLLEAGUE, day, other_day)
    plans = {
        ASKER: {d: _shift(s) for d, s in zip(ask.days, asker, strict=True)},
        COLLEAGUE: {d: _shift(s) for d, s in zip(ask.days, colleague, strict=True)},
    }
    facts = swaps.Facts(TODAY, "Dave", until, set(locked or ()), open_swaps or 0)
    if refusal is not None:
        with pytest.raises(Refusal) as caught:
            swaps.check(ask, plans, facts)
        assert caught.value.key == refusal
        return
    assert [_change(c) for c in swaps.check(ask, plans, facts)] == changes


@table("swaps", "approvable", "day, other_day, today, refusal", optional="other_day, refusal")
def test_approvable(
    day: dt.date, other_day: dt.date | None, today: dt.date, refusal: str | None
) -> None:
    ask = swaps.Ask(ASKER, COLLEAGUE, day, other_day)
    if refusal is None:
        swaps.approvable(ask, today)
        return
    with pytest.raises(Refusal) as caught:
        swaps.approvable(ask, today)
    assert caught.value.key == refusal
