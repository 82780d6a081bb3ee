"""The roster: for each agent and day, a shift or rest [000: 白晚班轮换, four rest days a
month; issue 16].

A day's plan comes from, in order: the roster's entry for that day (published from a
draft, changed by `/roster`, a swap), else the agent's weekly pattern (`/shift`,
`/restday`) — where a public holiday is a rest day and an adjusted working day (调休)
is an ordinary one. Pure functions; storage hands in the entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rules.errors import Refusal
from rules.holidays import HOLIDAY, Calendar
from rules.policy import RosterRules, Shift

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


# --- the monthly draft [000: 白晚班轮换; four rest days a month] -------------------------
Plan = dict[int, dict[dt.date, str | None]]  # person → day → shift (None: rest)


@dataclass(frozen=True)
class Agent:
    """An agent to draft: their id and weekly pattern (a pattern's shift starts them on it)."""

    id: int
    pattern: Pattern


def _starts(agents: list[Agent], rotation: tuple[str, ...]) -> dict[int, int]:
    """Each agent's first shift, as an index into `rotation`: their pattern's shift if it
    is in the rotation, else the shift with fewest agents so far (by position), so that
    every rotation shift is staffed from the first day."""
    starts: dict[int, int] = {}
    counts = [0] * len(rotation)
    for agent in agents:
        if agent.pattern.shift in rotation:
            starts[agent.id] = rotation.index(agent.pattern.shift)
            counts[starts[agent.id]] += 1
    for agent in agents:
        if agent.id not in starts:
            starts[agent.id] = min(range(len(rotation)), key=lambda n: (counts[n], n))
            counts[starts[agent.id]] += 1
    return starts


def _segments(work_days: list[dt.date], count: int) -> list[list[dt.date]]:
    """`work_days` cut into `count` runs of near-equal length (rest days spread through
    the month: one in each)."""
    if count <= 0 or not work_days:
        return []
    size = len(work_days)
    cuts = [size * n // count for n in range(count + 1)]
    return [work_days[cuts[n] : cuts[n + 1]] for n in range(count) if cuts[n] < cuts[n + 1]]


def draft(
    agents: list[Agent], first: dt.date, last: dt.date, rules: RosterRules, cal: Calendar
) -> Plan:
    """Next month's draft: every agent's shift or rest (None) on each day from `first` to
    `last` [000: 白晚班轮换 — day and evening shifts rotate; four rest days a month].

    Deterministic, agents taken in the order given. The `rotation` shifts alternate
    every `rotate_every_days` days (counted from `first`); each agent starts on their
    weekly pattern's shift when it is in the rotation, else on the least staffed one. A
    public holiday is off for all but `min_per_shift` agents of each shift, chosen by
    turns [issue 16]; an adjusted working day (调休) is an ordinary day. Each agent then
    rests `rest_days_per_month` days, one in each stretch of the month's other days, on
    the day their shift has the most people that still leaves `min_per_shift` (ties:
    the agent's weekly rest day, then a day staggered by their position).
    """
    span = days(first, last)
    rotation = tuple(rules.rotation)
    if not rotation:
        return {a.id: dict.fromkeys(span, a.pattern.shift) for a in agents}
    starts = _starts(agents, rotation)
    every = rules.rotate_every_days
    plan: Plan = {
        a.id: {
            day: rotation[(starts[a.id] + n // every) % len(rotation)] for n, day in enumerate(span)
        }
        for a in agents
    }
    load = {day: coverage(plan, day) for day in span}
    holidays = [day for day in span if cal.is_holiday(day)]
    _holidays_off(agents, plan, load, holidays, rules.min_per_shift)
    work_days = [day for day in span if not cal.is_holiday(day)]
    for position, agent in enumerate(agents):
        _rest(agent, position, plan[agent.id], load, work_days, rules)
    return plan


def _holidays_off(
    agents: list[Agent],
    plan: Plan,
    load: dict[dt.date, dict[str, int]],
    holidays: list[dt.date],
    keep: int,
) -> None:
    """On each holiday only `keep` agents of each shift stay, taking turns: the agents
    who stayed least so far, then in order."""
    stayed = {a.id: 0 for a in agents}
    order = {a.id: n for n, a in enumerate(agents)}
    for turn, day in enumerate(holidays):
        by_shift: dict[str, list[int]] = {}
        for agent in agents:
            shift = plan[agent.id][day]
            if shift is not None:
                by_shift.setdefault(shift, []).append(agent.id)
        for shift, ids in by_shift.items():
            ids.sort(key=lambda i: (stayed[i], (order[i] - turn) % len(agents)))
            for person_id in ids[keep:]:
                plan[person_id][day] = None
                load[day][shift] -= 1
            for person_id in ids[:keep]:
                stayed[person_id] += 1


def _rest(
    agent: Agent,
    position: int,
    cells: dict[dt.date, str | None],
    load: dict[dt.date, dict[str, int]],
    work_days: list[dt.date],
    rules: RosterRules,
) -> None:
    """Place one agent's rest days: one in each stretch of the month's working days."""
    for stretch in _segments(work_days, rules.rest_days_per_month):
        preferred = position % len(stretch)
        candidates = [
            (
                load[day].get(shift, 0) <= rules.min_per_shift,  # resting would leave it short
                -load[day].get(shift, 0),
                day.weekday() != agent.pattern.rest_day,
                abs(index - preferred),
                day,
                shift,
            )
            for index, day in enumerate(stretch)
            if (shift := cells[day]) is not None
        ]
        if candidates:
            *_, choice, shift = min(candidates)
            load[choice][shift] -= 1
            cells[choice] = None


def coverage(plan: Plan, day: dt.date) -> dict[str, int]:
    """How many agents each shift has on `day` (shifts nobody works are absent)."""
    counts: dict[str, int] = {}
    for cells in plan.values():
        shift = cells.get(day)
        if shift is not None:
            counts[shift] = counts.get(shift, 0) + 1
    return counts


def short_days(
    plan: Plan, rules: RosterRules, shifts: Iterable[str]
) -> list[tuple[dt.date, str, int]]:
    """Every (day, shift, agents) where one of `shifts` has fewer than `min_per_shift`
    agents, by day then shift [000: a shift is always staffed; the minimum is the
    policy's] — warned about, not refused."""
    every_day = sorted({day for cells in plan.values() for day in cells})
    keys = sorted(shifts)
    found: list[tuple[dt.date, str, int]] = []
    for day in every_day:
        counts = coverage(plan, day)
        found.extend(
            (day, key, counts.get(key, 0))
            for key in keys
            if counts.get(key, 0) < rules.min_per_shift
        )
    return found


def letters(shifts: Iterable[str]) -> dict[str, str]:
    """One capital letter per shift key for the text roster (its first free letter; a
    digit when none is free); R, L and H are kept for rest, leave and holiday."""
    taken = {"R", "L", "H"}
    found: dict[str, str] = {}
    for key in shifts:
        letter = next(
            (c for c in key.upper() if c.isascii() and c.isalpha() and c not in taken),
            next(str(n) for n in range(10) if str(n) not in taken),
        )
        taken.add(letter)
        found[key] = letter
    return found


REST_WORDS = ("rest", "off", "休", "休息")  # `/roster @agent <day> rest` [issue 16]


def shift_asked(text: str, shifts: Mapping[str, Shift]) -> str | None:
    """The shift a supervisor typed: a policy key or its zh/en name (any case), or None
    for rest (`rest`, `休`, `休息`); `roster_unknown_shift` naming the valid keys
    otherwise."""
    word = " ".join(text.split()).casefold()
    if word in REST_WORDS:
        return None
    for key, shift in shifts.items():
        if word in (key.casefold(), shift.name.zh.casefold(), shift.name.en.casefold()):
            return key
    raise Refusal("roster_unknown_shift", given=text, known=shifts)
