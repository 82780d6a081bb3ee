"""The monthly roster's draft, coverage and letters as tables (cases/roster.toml)
[000: 白晚班轮换; four rest days a month]."""

from __future__ import annotations

import datetime as dt

import pytest

from rules import holidays, roster
from rules.errors import Refusal
from rules.policy import Holidays, RosterRules
from tests.support.cases import table
from tests.support.samples import POLICY

LETTER = {"day": "D", "evening": "E", None: "R"}


@table(
    "roster",
    "draft",
    "first, last, calendar, shifts, rest_days, rest_per_month, every, min_per_shift, plan, short",
)
def test_draft(
    first: str,
    last: str,
    calendar: str,
    shifts: list[str],
    rest_days: list[int],
    rest_per_month: int,
    every: int,
    min_per_shift: int,
    plan: list[str],
    short: int,
) -> None:
    agents = [
        roster.Agent(n + 1, roster.Pattern(shift or None, None if rest < 0 else rest))
        for n, (shift, rest) in enumerate(zip(shifts, rest_days, strict=True))
    ]
    rules = RosterRules(
        rest_days_per_month=rest_per_month, rotate_every_days=every, min_per_shift=min_per_shift
    )
    cal = holidays.calendar(Holidays(calendar="cn" if calendar == "cn" else "none"))
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    drafted = roster.draft(agents, start, end, rules, cal)
    assert ["".join(LETTER[s] for s in drafted[a.id].values()) for a in agents] == plan
    assert len(roster.short_days(drafted, rules, rules.rotation)) == short
    # Deterministic: the same input, the same draft.
    assert roster.draft(agents, start, end, rules, cal) == drafted


@table("roster", "letters", "shifts, letters")
def test_letters(shifts: list[str], letters: list[str]) -> None:
    assert list(roster.letters(shifts).values()) == letters


def test_coverage_and_short_days_name_the_day_and_shift() -> None:
    day = dt.date(2026, 6, 1)
    plan: roster.Plan = {1: {day: "day"}, 2: {day: "day"}, 3: {day: None}}
    assert roster.coverage(plan, day) == {"day": 2}
    rules = RosterRules(min_per_shift=2)
    assert roster.short_days(plan, rules, ["day", "evening"]) == [(day, "evening", 0)]


def test_every_agent_rests_the_policy_days_in_a_month_of_many() -> None:
    agents = [roster.Agent(n, roster.Pattern(None, None)) for n in range(1, 41)]
    rules = RosterRules(min_per_shift=5)
    first, last = dt.date(2026, 7, 1), dt.date(2026, 7, 31)
    drafted = roster.draft(agents, first, last, rules, holidays.calendar(Holidays()))
    assert all(list(cells.values()).count(None) == 4 for cells in drafted.values())
    assert roster.short_days(drafted, rules, rules.rotation) == []
    busiest = max(
        sum(1 for cells in drafted.values() if cells[day] is None)
        for day in roster.days(first, last)
    )
    assert busiest <= 6  # 160 rest days over 31 days: staggered, not piled up


@table("roster", "shift_words", "text, shift")
def test_shift_words(text: str, shift: str) -> None:
    assert roster.shift_asked(text, POLICY.shifts) == (shift or None)


@table("roster", "bad_shift_words", "text")
def test_bad_shift_words(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        roster.shift_asked(text, POLICY.shifts)
    assert caught.value.key == "roster_unknown_shift"
