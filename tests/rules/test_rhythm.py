"""Rest days, leave timing, the roster and report weeks, as tables of cases."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rules import rhythm
from rules.errors import Refusal
from rules.policy import Leave

SH = ZoneInfo("Asia/Shanghai")
RULES = Leave()
TODAY = dt.date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "day"),
    [("mon", 0), ("Sunday", 6), ("周三", 2), ("星期日", 6), ("周天", 6), ("7", 6), ("1", 0)],
)
def test_weekdays(text: str, day: int) -> None:
    assert rhythm.parse_weekday(text) == day


@pytest.mark.parametrize("text", ["someday", "8", "0", "周八"])
def test_bad_weekdays(text: str) -> None:
    with pytest.raises(Refusal):
        rhythm.parse_weekday(text)


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("2026-11-22", "leave_past"),
        ("2027-03-01", "leave_too_far"),
        ("2026-13-01", "bad_date"),
        ("tomorrow", "bad_date"),
    ],
)
def test_bad_leave_days(text: str, refusal: str) -> None:
    with pytest.raises(Refusal) as caught:
        rhythm.parse_leave_day(text, TODAY, RULES)
    assert caught.value.key == refusal


def test_good_leave_days() -> None:
    assert rhythm.parse_leave_day("2026-11-23", TODAY, RULES) == TODAY
    assert rhythm.parse_leave_day("2027-02-21", TODAY, RULES) == dt.date(2027, 2, 21)


@pytest.mark.parametrize(
    ("hours_ahead", "timing"),
    [
        (48, "ordinary"),
        (24, "ordinary"),
        (23, "urgent"),
        (2, "urgent"),
        (1.9, "late"),
        (-1, "late"),
    ],
)
def test_leave_timing(hours_ahead: float, timing: str) -> None:
    start = dt.datetime(2026, 11, 25, 9, tzinfo=SH)
    asked = start - dt.timedelta(hours=hours_ahead)
    assert rhythm.leave_timing(start, asked, RULES) == timing


@pytest.mark.parametrize(
    ("has_shift", "rest_day", "on_leave", "works"),
    [
        (True, None, False, True),
        (True, 0, False, False),
        (True, 3, False, True),
        (True, None, True, False),
        (False, None, False, False),
    ],
)
def test_roster(has_shift: bool, rest_day: int | None, on_leave: bool, works: bool) -> None:
    assert rhythm.works_on(has_shift, rest_day, on_leave, TODAY) is works


def test_report_weeks_start_on_monday_in_team_time() -> None:
    sunday_night_utc = dt.datetime(2026, 11, 29, 17, 0, tzinfo=dt.UTC)  # Monday 01:00 in Shanghai
    assert rhythm.week_of(sunday_night_utc, SH) == dt.date(2026, 11, 30)
    assert rhythm.week_of(dt.datetime(2026, 11, 29, 12, tzinfo=SH), SH) == dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("rostered", "counts", "last", "duty"),
    [
        ([], {}, {}, None),
        ([3, 1, 2], {}, {}, 1),  # nobody has stood duty: lowest id
        ([1, 2, 3], {1: 1}, {1: TODAY}, 2),  # fewest duties first
        ([1, 2], {1: 1, 2: 1}, {1: TODAY, 2: TODAY - dt.timedelta(days=2)}, 2),  # longest ago
        ([1, 2], {1: 2, 2: 2}, {1: TODAY, 2: TODAY}, 1),
    ],
)
def test_meeting_duty_rotation(
    rostered: list[int], counts: dict[int, int], last: dict[int, dt.date], duty: int | None
) -> None:
    assert rhythm.on_duty(rostered, counts, last) == duty
