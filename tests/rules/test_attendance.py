"""Attendance arithmetic, as tables of cases [domain.md §5, §7]."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rules.attendance import Stretch, assess_clock_in, next_shift, summarize_session
from rules.policy import Attendance, Names, Shift

TZ = ZoneInfo("Asia/Shanghai")
RULES = Attendance(
    late_grace_minutes=5, break_minutes=10, max_continuous_hours=8, early_window_hours=4
)
NAMES = Names(zh="x", en="x")
DAY = Shift(start=dt.time(9), end=dt.time(18), name=NAMES)
EVENING = Shift(start=dt.time(14, 30), end=dt.time(23, 30), name=NAMES)
NIGHT = Shift(start=dt.time(22), end=dt.time(6), name=NAMES)


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=TZ)


@pytest.mark.parametrize(
    ("shift", "clock_in", "late", "outside", "slot_start"),
    [
        (DAY, at(23, 8, 50), 0, False, at(23, 9)),  # early is fine
        (DAY, at(23, 9, 5), 0, False, at(23, 9)),  # exactly the grace: not late
        (DAY, at(23, 9, 5, 1), 5, False, at(23, 9)),  # a second over: late, 5 whole minutes
        (DAY, at(23, 9, 6), 6, False, at(23, 9)),
        (DAY, at(23, 12, 30), 210, False, at(23, 9)),
        (DAY, at(23, 18, 30), 0, True, at(23, 9)),  # after the shift: outside, not late
        (DAY, at(23, 5, 0), 0, False, at(23, 9)),  # within the early window
        (EVENING, at(23, 14, 36), 6, False, at(23, 14, 30)),
        (NIGHT, at(23, 22, 10), 10, False, at(23, 22)),
        (NIGHT, at(24, 1, 0), 180, False, at(23, 22)),  # after midnight: yesterday's night shift
        (NIGHT, at(23, 19, 0), 0, False, at(23, 22)),
    ],
)
def test_clock_in_against_the_shift(
    shift: Shift, clock_in: dt.datetime, late: int, outside: bool, slot_start: dt.datetime
) -> None:
    result = assess_clock_in(shift, clock_in, TZ, RULES)
    assert result.late_minutes == late
    assert result.late is (late > 0)
    assert result.outside_shift is outside
    assert result.slot is not None and result.slot.start == slot_start


def test_clock_in_without_a_shift_is_never_late() -> None:
    result = assess_clock_in(None, at(23, 13), TZ, RULES)
    assert (result.slot, result.late_minutes, result.outside_shift) == (None, 0, False)


def test_clock_in_in_utc_is_judged_in_team_time() -> None:
    result = assess_clock_in(DAY, at(23, 9, 20).astimezone(dt.UTC), TZ, RULES)
    assert result.late_minutes == 20


M = dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("breaks", "end", "worked", "total", "over", "longest", "flag", "early"),
    [
        # (break start, break end) as minutes after 09:00; end in minutes after 09:00
        ([], 540, 540, 0, [], 540, True, 0),  # nine hours straight: over 8 h continuous
        ([(120, 130)], 540, 530, 10, [], 410, False, 0),  # a 10-minute break is within the limit
        ([(120, 131)], 540, 529, 11, [(1, 1)], 409, False, 0),
        ([(60, 75), (300, 330)], 540, 495, 45, [(1, 5), (2, 20)], 225, False, 0),
        ([(120, None)], 180, 120, 60, [(1, 50)], 120, False, 360),  # open break ends at clock-out
        ([], 534, 534, 0, [], 534, True, 6),  # left 6 min early (grace is 5)
        ([(240, 250)], 535, 525, 10, [], 285, False, 0),  # 5 min early: within grace
    ],
)
def test_session_summary(
    breaks: list[tuple[int, int | None]],
    end: int,
    worked: int,
    total: int,
    over: list[tuple[int, int]],
    longest: int,
    flag: bool,
    early: int,
) -> None:
    start = at(23, 9)
    stretches = [Stretch(start + s * M, None if e is None else start + e * M) for s, e in breaks]
    summary = summarize_session(start, start + end * M, stretches, RULES, at(23, 18))
    assert summary.worked == worked * M
    assert summary.break_total == total * M
    assert summary.break_count == len(breaks)
    assert [(o.number, o.over_by // M) for o in summary.over_limit] == over
    assert summary.longest_stretch == longest * M
    assert summary.continuous_over is flag
    assert summary.early_minutes == early


@pytest.mark.parametrize(
    ("current", "now", "expected"),
    [
        ("day", at(23, 17), "evening"),
        ("evening", at(23, 23), "day"),
        (None, at(23, 8), "day"),
        (None, at(23, 12), "evening"),
        (None, at(23, 20), "day"),
    ],
)
def test_next_shift(current: str | None, now: dt.datetime, expected: str) -> None:
    assert next_shift({"day": DAY, "evening": EVENING}, current, now, TZ) == expected
