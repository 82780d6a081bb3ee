"""Levels over time (`rules.levels`): the level in force on a day, time in level, and who
is due a step up at a lock — cases computed by hand in cases/levels.toml."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from bot.settings import default_policy_data
from rules import levels
from rules.levels import Change
from rules.policy import build_policy
from rules.standing import Place
from tests.support.cases import table

POLICY = build_policy(default_policy_data())


def _changes(rows: list[list[Any]]) -> list[Change]:
    return [Change(before or None, after, day) for before, after, day in rows]


@table("levels", "level_on", "day, current, changes, level")
def test_the_level_in_force_on_a_day(
    day: dt.date, current: str, changes: list[list[Any]], level: str
) -> None:
    assert levels.level_on(day, current or None, _changes(changes)) == (level or None)


@table("levels", "level_since", "current, changes, start, since", optional="start, since")
def test_time_in_level_counts_from_the_last_change_to_it(
    current: str, changes: list[list[Any]], start: dt.date | None, since: dt.date | None
) -> None:
    assert levels.level_since(current, _changes(changes), start) == since


@table("levels", "whole_months", "since, last, months")
def test_whole_months_in_level(since: dt.date, last: dt.date, months: int) -> None:
    assert levels.whole_months(since, last) == months


@table("levels", "due", "level, since, month, places, to, months", optional="since")
def test_who_is_due_a_step_up(
    level: str,
    since: dt.date | None,
    month: str,
    places: list[list[str]],
    to: str,
    months: int,
) -> None:
    found = [Place(1, m, Decimal(score), 0, "Carol") for m, score in places]
    due = levels.due(POLICY.promotion, level, since, month, found)
    if not to:
        assert due is None
        return
    assert due is not None
    assert (due.from_level, due.to_level, due.months_in_level) == (level, to, months)
    assert [p.month for p in due.places] == [m for m, _ in places][-3:]


def test_a_change_takes_effect_on_the_first_of_next_month() -> None:
    assert levels.next_first(dt.date(2026, 11, 10)) == dt.date(2026, 12, 1)
    assert levels.next_first(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
    assert levels.next_first(dt.date(2027, 1, 1)) == dt.date(2027, 2, 1)


def test_the_look_back_window_spans_years() -> None:
    assert levels.month_window("2027-02", 4) == ["2026-11", "2026-12", "2027-01", "2027-02"]
