"""Make-up punches (补卡): which asks are in time, in a shift, within the month's quota,
and for something actually missing [issue 16, part 4; kefu's choice, as DingTalk's
defaults: a few days back, a few a month, a supervisor approves].

Pure functions over aware datetimes and the policy; the caller passes today, the
day's shifts and what the record holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rules import attendance as attendance_rules
from rules.errors import Refusal
from rules.policy import AttendanceRules, FixPunch, Shift

IN, OUT = "in", "out"
# What people type for each kind: English, and the Chinese words for clocking in and out.
KINDS = {"in": IN, "上班": IN, "签到": IN, "out": OUT, "下班": OUT, "签退": OUT}
PENDING, APPROVED, DENIED, WITHDRAWN = "pending", "approved", "denied", "withdrawn"
COUNTED = (PENDING, APPROVED)  # what the month's quota counts: asked and not turned down


@dataclass(frozen=True)
class Punch:
    """A make-up punch placed in a shift: when, and the shift occurrence it belongs to."""

    at: dt.datetime
    shift: str
    slot: attendance_rules.ShiftSlot


@dataclass(frozen=True)
class Recorded:
    """A work session of the day as the record shows it."""

    started: dt.datetime
    ended: dt.datetime | None
    auto_closed: bool


def kind(word: str) -> str:
    """`in` or `out` (上班/下班 too); `fixpunch_kind` otherwise."""
    found = KINDS.get(word.strip().lower())
    if found is None:
        raise Refusal("fixpunch_kind", given=word)
    return found


def check_day(day: dt.date, today: dt.date, rules: FixPunch) -> None:
    """The day is today or at most `within_days` before it (today counts 0)."""
    if day > today:
        raise Refusal("fixpunch_future", day=day)
    if (today - day).days > rules.within_days:
        raise Refusal("fixpunch_too_old", day=day, days=rules.within_days)


def month_of(day: dt.date) -> str:
    """The YYYY-MM the quota counts `day` in."""
    return f"{day.year:04d}-{day.month:02d}"


def check_quota(counted: int, rules: FixPunch, month: str) -> None:
    """At most `per_month` asks a calendar month (pending and approved ones count)."""
    if counted >= rules.per_month:
        raise Refusal("fixpunch_quota", limit=rules.per_month, month=month)


def window(
    punch_kind: str,
    slot: attendance_rules.ShiftSlot,
    attendance: AttendanceRules,
    close_minutes: int,
) -> tuple[dt.datetime, dt.datetime]:
    """When a punch of the kind may fall for one shift occurrence: `in` from the early
    window before its start to its end, `out` from its start to the bot's own close
    (`close_minutes` after its end); both ends included."""
    if punch_kind == IN:
        return slot.start - dt.timedelta(hours=attendance.early_window_hours), slot.end
    return slot.start, slot.end + dt.timedelta(minutes=close_minutes)


def place(
    punch_kind: str,
    day: dt.date,
    time: dt.time,
    shifts: Mapping[str, Shift],
    tz: ZoneInfo,
    attendance: AttendanceRules,
    close_minutes: int,
) -> Punch:
    """The punch at `time` placed in one of `shifts` as it runs on `day` (the day's
    rostered shift, or every shift when the agent was off): the time on that day, or the
    next (an evening shift's clock-out after midnight), or the day before (an early
    clock-in for a shift starting just after midnight); of several, the shift whose start
    (`in`) or end (`out`) is nearest. `fixpunch_outside_shift` if none."""
    fits: list[Punch] = []
    for offset in (0, 1, -1):
        at = dt.datetime.combine(day + dt.timedelta(days=offset), time, tzinfo=tz)
        for key, shift in shifts.items():
            slot = attendance_rules.slot_on(shift, day, tz)
            first, last = window(punch_kind, slot, attendance, close_minutes)
            if first <= at <= last:
                fits.append(Punch(at, key, slot))
    if fits:  # the shift whose start (an `in`) or end (an `out`) is nearest the time
        return min(
            fits, key=lambda p: abs(p.at - (p.slot.start if punch_kind == IN else p.slot.end))
        )
    raise Refusal("fixpunch_outside_shift", day=day, time=time, kind=punch_kind)


def check_not_future(punch: Punch, now: dt.datetime) -> None:
    """A make-up punch is for a time that has passed."""
    if punch.at > now:
        raise Refusal("fixpunch_time_future", at=punch.at)


def check_missing(punch_kind: str, punch: Punch, recorded: Sequence[Recorded]) -> None:
    """The punch asked for is missing from the day's record.

    `in`: refused when a session of the day started at or before the time asked (a later
    start is a forgotten clock-in corrected). `out`: there must be a session of the day
    started before the time, still open or closed by the bot (`auto_closed`); one the agent
    closed has its clock-out already.
    """
    if punch_kind == IN:
        earlier = [r.started for r in recorded if r.started <= punch.at]
        if earlier:
            raise Refusal("fixpunch_has_in", at=min(earlier))
        return
    if not recorded:
        raise Refusal("fixpunch_no_in", day=punch.slot.start.date())
    last = max(recorded, key=lambda r: r.started)
    if last.ended is not None and not last.auto_closed:
        raise Refusal("fixpunch_has_out", at=last.ended)
    if punch.at <= last.started:
        raise Refusal("fixpunch_out_before_in", at=last.started)


def of_day(
    recorded: Sequence[Recorded], slot: attendance_rules.ShiftSlot, early: dt.timedelta
) -> list[Recorded]:
    """The sessions that belong to a shift occurrence: begun from its early window to its end."""
    return [r for r in recorded if slot.start - early <= r.started < slot.end]


def early_minutes(ended: dt.datetime, shift_end: dt.datetime | None, rules: AttendanceRules) -> int:
    """Minutes left before the shift's end, 0 within the grace (`rules.attendance`)."""
    if shift_end is None or not attendance_rules.left_early(ended, shift_end, rules):
        return 0
    return (shift_end - ended) // attendance_rules.MINUTE
