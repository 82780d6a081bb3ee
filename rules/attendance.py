"""Attendance arithmetic: which shift a clock-in belongs to, lateness, breaks.

Pure functions over aware datetimes and the policy [domain.md §5, §7]; the
caller passes the current time in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rules.policy import AttendanceRules, Shift
from rules.roster import HOLIDAY_OFF, REST_DAY, ROSTER, Planned

MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class ShiftSlot:
    """One occurrence of a shift: its start and end as aware datetimes."""

    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class ClockIn:
    """How a clock-in stands against the agent's shift."""

    slot: ShiftSlot | None
    late_minutes: int
    outside_shift: bool

    @property
    def late(self) -> bool:
        """True when the clock-in counts as late."""
        return self.late_minutes > 0


@dataclass(frozen=True)
class Stretch:
    """A break as recorded: start and (if over) end."""

    start: dt.datetime
    end: dt.datetime | None


@dataclass(frozen=True)
class BreakOver:
    """A break that ran over the limit."""

    number: int
    length: dt.timedelta
    over_by: dt.timedelta


@dataclass(frozen=True)
class SessionSummary:
    """What a clock-out reports [domain.md §5: breaks, 8 h continuous work]."""

    on_duty: dt.timedelta
    worked: dt.timedelta
    break_count: int
    break_total: dt.timedelta
    over_limit: tuple[BreakOver, ...]
    longest_stretch: dt.timedelta
    continuous_over: bool
    early_minutes: int
    # When the longest stretch without a break began (clock-in or a break's end) and
    # ended (a break's start or clock-out): a report of it says which stretch it was.
    longest_from: dt.datetime
    longest_to: dt.datetime


def slot_on(shift: Shift, day: dt.date, tz: ZoneInfo) -> ShiftSlot:
    """The shift as it runs on `day` in team time; an end before the start is next day."""
    start = dt.datetime.combine(day, shift.start, tzinfo=tz)
    end_day = day if shift.end > shift.start else day + dt.timedelta(days=1)
    return ShiftSlot(start, dt.datetime.combine(end_day, shift.end, tzinfo=tz))


def slot_for(shift: Shift, at: dt.datetime, tz: ZoneInfo, early_window: dt.timedelta) -> ShiftSlot:
    """The occurrence a clock-in at `at` belongs to.

    It is the one that is running, or the next one when `at` falls within its
    early window; otherwise the one that ended last (so a clock-in long after
    it counts as outside the shift).
    """
    local = at.astimezone(tz).date()
    slots = [slot_on(shift, local + dt.timedelta(days=d), tz) for d in (-1, 0, 1)]
    for slot in slots:
        if slot.start - early_window <= at < slot.end:
            return slot
    ended = [slot for slot in slots if slot.end <= at]
    return ended[-1] if ended else slots[0]


@dataclass(frozen=True)
class RosteredSlot:
    """The rostered shift a clock-in belongs to: its key and occurrence."""

    key: str
    slot: ShiftSlot


def rostered_slot(
    rostered: Mapping[dt.date, str | None],
    shifts: Mapping[str, Shift],
    at: dt.datetime,
    tz: ZoneInfo,
    early_window: dt.timedelta,
) -> RosteredSlot | None:
    """The rostered shift a clock-in at `at` belongs to, among the day before's, the
    day's and the day after's (`rostered`: day → shift key, None when off) [issue 16].

    As `slot_for`: the one running, or the next within its early window; otherwise the
    one that ended last. On a day the agent is off (rest, holiday) and outside any
    rostered shift there is none: the clock-in is not late.
    """
    local = at.astimezone(tz).date()
    slots = [
        RosteredSlot(key, slot_on(shifts[key], day, tz))
        for day in (local + dt.timedelta(days=d) for d in (-1, 0, 1))
        if (key := rostered.get(day)) is not None and key in shifts
    ]
    for one in slots:
        if one.slot.start - early_window <= at < one.slot.end:
            return one
    if rostered.get(local) not in shifts:
        return None
    ended = [one for one in slots if one.slot.end <= at]
    return ended[-1] if ended else next(one for one in slots if one.slot.start.date() == local)


def assess_rostered(found: RosteredSlot | None, at: dt.datetime, rules: AttendanceRules) -> ClockIn:
    """Late = more than the grace after the rostered shift's start; outside it once it
    ended; no shift that day: not late [domain.md §7, issue 16]."""
    if found is None:
        return ClockIn(slot=None, late_minutes=0, outside_shift=False)
    return _assess(found.slot, at, rules)


REST, HOLIDAY, LEAVE = "rest", "holiday", "leave"  # why an agent is off today


def off_reason(plan: Planned, on_leave: bool) -> str | None:
    """Why an agent is not expected today — `REST` (the roster's or the weekly rest
    day), `HOLIDAY`, `LEAVE` (approved, on a working day) — or None when expected or
    without any shift [issue 16]."""
    if plan.source == HOLIDAY_OFF:
        return HOLIDAY
    if plan.source == REST_DAY or (plan.source == ROSTER and plan.shift is None):
        return REST
    return LEAVE if on_leave and plan.works else None


def assess_clock_in(
    shift: Shift | None, at: dt.datetime, tz: ZoneInfo, rules: AttendanceRules
) -> ClockIn:
    """Late = more than the grace after the shift's start [domain.md §7: 5 minutes]."""
    if shift is None:
        return ClockIn(slot=None, late_minutes=0, outside_shift=False)
    return _assess(slot_for(shift, at, tz, dt.timedelta(hours=rules.early_window_hours)), at, rules)


def _assess(slot: ShiftSlot, at: dt.datetime, rules: AttendanceRules) -> ClockIn:
    if at >= slot.end:
        return ClockIn(slot=slot, late_minutes=0, outside_shift=True)
    delay = at - slot.start
    if delay > dt.timedelta(minutes=rules.late_grace_minutes):
        return ClockIn(slot=slot, late_minutes=delay // MINUTE, outside_shift=False)
    return ClockIn(slot=slot, late_minutes=0, outside_shift=False)


def late_alert(
    start: dt.datetime, clocked_in: dt.datetime | None, at: dt.datetime, rules: AttendanceRules
) -> bool:
    """Late enough for the supervisors to be told at `at`: a clock-in more than
    `late_alert_minutes` after the shift's start, or none yet that long after it
    [004: late costs 2-5 points by circumstance; how late is the supervisor's to judge].
    """
    if not rules.late_alert_minutes:
        return False
    limit = start + dt.timedelta(minutes=rules.late_alert_minutes)
    return clocked_in > limit if clocked_in is not None else at >= limit


def summarize_session(
    started: dt.datetime,
    ended: dt.datetime,
    breaks: list[Stretch],
    rules: AttendanceRules,
    shift_end: dt.datetime | None,
) -> SessionSummary:
    """Worked time, breaks, breaks over the limit and the longest stretch without one
    (from clock-in or a break's end to a break's start or clock-out [domain.md §5: a
    break after 8 hours of work]).

    An open break is taken to end at clock-out. Leaving before the shift's end
    is reported in minutes, with the same grace as lateness [domain.md §4:
    late / leaving early].
    """
    limit = dt.timedelta(minutes=rules.break_minutes)
    closed = sorted(
        ((b.start, min(b.end or ended, ended)) for b in breaks), key=lambda pair: pair[0]
    )
    total = dt.timedelta()
    over: list[BreakOver] = []
    longest = (started, started)  # the longest stretch without a break, first of equals
    cursor = started
    for number, (start, end) in enumerate(closed, start=1):
        length = max(end - start, dt.timedelta())
        total += length
        if length > limit:
            over.append(BreakOver(number, length, length - limit))
        if start - cursor > longest[1] - longest[0]:
            longest = (cursor, start)
        cursor = max(cursor, end)
    if ended - cursor > longest[1] - longest[0]:
        longest = (cursor, ended)
    stretch = longest[1] - longest[0]
    early = 0
    if shift_end is not None and shift_end - ended > dt.timedelta(minutes=rules.late_grace_minutes):
        early = (shift_end - ended) // MINUTE
    on_duty = ended - started
    return SessionSummary(
        on_duty=on_duty,
        worked=on_duty - total,
        break_count=len(closed),
        break_total=total,
        over_limit=tuple(over),
        longest_stretch=stretch,
        continuous_over=stretch > dt.timedelta(hours=rules.max_continuous_hours),
        early_minutes=early,
        longest_from=longest[0],
        longest_to=longest[1],
    )


def left_early(ended: dt.datetime, shift_end: dt.datetime | None, rules: AttendanceRules) -> bool:
    """Clocked out before the shift's end by more than the grace (as `summarize_session`)."""
    grace = dt.timedelta(minutes=rules.late_grace_minutes)
    return shift_end is not None and shift_end - ended > grace


def breaks_over_limit(breaks: list[Stretch], ended: dt.datetime, rules: AttendanceRules) -> int:
    """How many breaks ran past the limit; an open break ends at clock-out."""
    limit = dt.timedelta(minutes=rules.break_minutes)
    return sum(1 for b in breaks if min(b.end or ended, ended) - b.start > limit)


def break_over_by(started: dt.datetime, now: dt.datetime, rules: AttendanceRules) -> dt.timedelta:
    """How far a break running since `started` is over the limit (zero if not)."""
    return max(now - started - dt.timedelta(minutes=rules.break_minutes), dt.timedelta())


def next_shift(shifts: dict[str, Shift], current: str | None, at: dt.datetime, tz: ZoneInfo) -> str:
    """The shift that takes over from `current` (the next start after it, cyclic).

    Without a current shift, the one that starts next after `at` in team time.
    """
    order = sorted(shifts, key=lambda key: (shifts[key].start, key))
    if current in shifts and len(order) > 1:
        return order[(order.index(current) + 1) % len(order)]
    now = at.astimezone(tz).time()
    upcoming = [key for key in order if shifts[key].start > now]
    return upcoming[0] if upcoming else order[0]
