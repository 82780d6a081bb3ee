"""Attendance arithmetic, as tables of cases [domain.md §5, §7]: cases/attendance.toml."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from rules.attendance import Stretch, assess_clock_in, late_alert, next_shift, summarize_session
from rules.policy import AttendanceRules, Names, Shift
from tests.support.cases import table

TZ = ZoneInfo("Asia/Shanghai")
RULES = AttendanceRules(
    late_grace_minutes=5, break_minutes=10, max_continuous_hours=8, early_window_hours=4
)
NAMES = Names(zh="x", en="x")
DAY = Shift(start=dt.time(9), end=dt.time(18), name=NAMES)
EVENING = Shift(start=dt.time(14, 30), end=dt.time(23, 30), name=NAMES)
NIGHT = Shift(start=dt.time(22), end=dt.time(6), name=NAMES)
SHIFTS = {"day": DAY, "evening": EVENING, "night": NIGHT}


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=TZ)


def team_time(written: dt.datetime) -> dt.datetime:
    """A case's time, written without an offset, as the moment it means in team time."""
    assert written.tzinfo is None, written
    return written.replace(tzinfo=TZ)


@table("attendance", "clock_in", "shift, clock_in, late, outside, slot_start")
def test_clock_in_against_the_shift(
    shift: str, clock_in: dt.datetime, late: int, outside: bool, slot_start: dt.datetime
) -> None:
    result = assess_clock_in(SHIFTS[shift], team_time(clock_in), TZ, RULES)
    assert result.late_minutes == late
    assert result.late is (late > 0)
    assert result.outside_shift is outside
    assert result.slot is not None and result.slot.start == team_time(slot_start)


def test_clock_in_without_a_shift_is_never_late() -> None:
    result = assess_clock_in(None, at(23, 13), TZ, RULES)
    assert (result.slot, result.late_minutes, result.outside_shift) == (None, 0, False)


def test_clock_in_in_utc_is_judged_in_team_time() -> None:
    result = assess_clock_in(DAY, at(23, 9, 20).astimezone(dt.UTC), TZ, RULES)
    assert result.late_minutes == 20


M = dt.timedelta(minutes=1)


@table(
    "attendance",
    "session_summary",
    "breaks, end, worked, total, over, longest, stretch, flag, early",
)
def test_session_summary(
    breaks: list[list[int]],
    end: int,
    worked: int,
    total: int,
    over: list[list[int]],
    longest: int,
    stretch: list[int],
    flag: bool,
    early: int,
) -> None:
    start = at(23, 9)
    stretches = [
        Stretch(start + b[0] * M, start + b[1] * M if len(b) > 1 else None) for b in breaks
    ]
    summary = summarize_session(start, start + end * M, stretches, RULES, at(23, 18))
    assert summary.worked == worked * M
    assert summary.break_total == total * M
    assert summary.break_count == len(breaks)
    assert [[o.number, o.over_by // M] for o in summary.over_limit] == over
    assert summary.longest_stretch == longest * M
    assert [summary.longest_from, summary.longest_to] == [start + m * M for m in stretch]
    assert summary.continuous_over is flag
    assert summary.early_minutes == early


@table("attendance", "next_shift", "current, now, expected", optional="current")
def test_next_shift(current: str | None, now: dt.datetime, expected: str) -> None:
    assert next_shift({"day": DAY, "evening": EVENING}, current, team_time(now), TZ) == expected


@table("attendance", "late_alert", "clock_in, now, told", optional="clock_in")
def test_late_enough_to_tell_the_supervisors(
    clock_in: dt.datetime | None, now: dt.datetime, told: bool
) -> None:
    arrived = team_time(clock_in) if clock_in is not None else None
    assert late_alert(at(23, 9), arrived, team_time(now), RULES) is told
    off = RULES.model_copy(update={"late_alert_minutes": 0})
    assert late_alert(at(23, 9), arrived, team_time(now), off) is False
