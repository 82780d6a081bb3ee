"""Public holidays and adjusted working days (调休) [issue 16; domain.md §5].

Mainland China's calendar comes from the `chinesecalendar` library (each year's is
published by the State Council in November); the policy's `[holidays.days]` adds days
the library does not know yet, or a shop's own, and wins over the library. Pure data:
the calendar is built once per policy.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

from rules.policy import Holidays

HOLIDAY, WORKDAY = "holiday", "workday"


@dataclass(frozen=True)
class Calendar:
    """Days that are not ordinary: statutory holidays and adjusted working days, with
    the years the calendar knows."""

    days: Mapping[dt.date, str]
    years: frozenset[int]
    every_year: bool = False  # a shop without public holidays ("none") knows every year

    def kind(self, day: dt.date) -> str | None:
        """`HOLIDAY`, `WORKDAY` (an adjusted working day), or None for an ordinary day."""
        return self.days.get(day)

    def is_holiday(self, day: dt.date) -> bool:
        """True on a public holiday."""
        return self.days.get(day) == HOLIDAY

    def knows(self, day: dt.date) -> bool:
        """True when the calendar has the year of `day` (an unknown year has no holidays)."""
        return self.every_year or day.year in self.years

    def in_month(self, first: dt.date, last: dt.date) -> dict[dt.date, str]:
        """The month's holidays and adjusted working days, by day."""
        return {day: kind for day, kind in sorted(self.days.items()) if first <= day <= last}


NO_HOLIDAYS = Calendar({}, frozenset(), every_year=True)  # a shop without public holidays


@functools.cache
def _china() -> tuple[tuple[tuple[dt.date, str], ...], frozenset[int]]:
    """The library's holidays and adjusted working days, and the years it covers."""
    from chinese_calendar import constants  # type: ignore[import-untyped]  # read once

    found = {day: HOLIDAY for day in constants.holidays} | {
        day: WORKDAY for day in constants.workdays
    }
    years = range(min(found).year, max(found).year + 1) if found else range(0)
    return tuple(sorted(found.items())), frozenset(years)


def calendar(rules: Holidays) -> Calendar:
    """The policy's calendar: the library's (when `calendar = "cn"`) under the shop's days."""
    days: dict[dt.date, str] = {}
    years: set[int] = set()
    if rules.calendar == "cn":
        library, known = _china()
        days.update(library)
        years.update(known)
    days.update(rules.days)
    years.update(day.year for day in rules.days)
    return Calendar(days, frozenset(years), every_year=rules.calendar == "none")


def unknown_months(cal: Calendar, months: list[dt.date]) -> list[str]:
    """The months (given by any day in them) whose year the calendar does not know, as
    YYYY-MM: the start warns about them (a holiday there would be a working day)."""
    return [f"{m.year:04d}-{m.month:02d}" for m in months if not cal.knows(m)]
