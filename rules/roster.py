"""The roster: for each agent and day, a shift or rest [000: 白晚班轮换, four rest days a
month; issue 16].

A day's plan comes from, in order: the roster's entry for that day (published from a
draft, changed by `/roster`, a swap), else the agent's weekly pattern (`/shift`,
`/restday`) — where a public holiday is a rest day and an adjusted working day (调休)
is an ordinary one. Pure functions; storage hands in the entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from rules.holidays import HOLIDAY, Calendar

# Why a day is what it is.
ROSTER = "roster"  # the roster's entry for the day
PATTERN = "pattern"  # the weekly pattern's shift
REST_DAY = "rest_day"  # the weekly rest day
HOLIDAY_OFF = "holiday"  # a public holiday, not rostered
NO_SHIFT = "no_shift"  # no shift set and no roster entry

# A roster entry: a shift key, or None for rest.
Entries = Mapping[dt.date, str | None]


@dataclass(frozen=True)
class Pattern:
    """The weekly pattern `/shift` and `/restday` set: a shift, and a rest day (0 = Monday)."""

    shift: str | None
    rest_day: int | None


@dataclass(frozen=True)
class Planned:
    """A day's plan for one agent: the shift (None = not expected) and why."""

    shift: str | None
    source: str

    @property
    def works(self) -> bool:
        """True when the agent is expected at work that day (leave aside)."""
        return self.shift is not None


def planned(pattern: Pattern, entries: Entries, day: dt.date, cal: Calendar) -> Planned:
    """The day's plan: the roster's entry, else the weekly pattern (a holiday off)."""
    if day in entries:
        return Planned(entries[day], ROSTER)
    if pattern.shift is None:
        return Planned(None, NO_SHIFT)
    if cal.kind(day) == HOLIDAY:
        return Planned(None, HOLIDAY_OFF)
    if pattern.rest_day == day.weekday():
        return Planned(None, REST_DAY)
    return Planned(pattern.shift, PATTERN)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from `first` to `last`, both included."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def month_plan(
    pattern: Pattern, entries: Entries, month_days: list[dt.date], cal: Calendar
) -> dict[dt.date, Planned]:
    """The plan of each of `month_days`."""
    return {day: planned(pattern, entries, day, cal) for day in month_days}
