"""Rest days, leave timing, the roster and report weeks, as tables of cases (cases/rhythm.toml)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rules import rhythm
from rules.errors import Refusal
from rules.policy import Leave, Shift
from tests.support.cases import table

SH = ZoneInfo("Asia/Shanghai")
RULES = Leave()
TODAY = dt.date(2026, 11, 23)  # a Monday


@table("rhythm", "weekdays", "text, day")
def test_weekdays(text: str, day: int) -> None:
    assert rhythm.parse_weekday(text) == day


@table("rhythm", "bad_weekdays", "text")
def test_bad_weekdays(text: str) -> None:
    with pytest.raises(Refusal):
        rhythm.parse_weekday(text)


@table("rhythm", "bad_leave_days", "text, refusal")
def test_bad_leave_days(text: str, refusal: str) -> None:
    with pytest.raises(Refusal) as caught:
        rhythm.parse_leave_day(text, TODAY, RULES)
    assert caught.value.key == refusal


def test_good_leave_days() -> None:
    assert rhythm.parse_leave_day("2026-11-23", TODAY, RULES) == TODAY
    assert rhythm.parse_leave_day("2027-02-21", TODAY, RULES) == dt.date(2027, 2, 21)


@table("rhythm", "leave_timing", "hours_ahead, timing")
def test_leave_timing(hours_ahead: float, timing: str) -> None:
    start = dt.datetime(2026, 11, 25, 9, tzinfo=SH)
    asked = start - dt.timedelta(hours=hours_ahead)
    assert rhythm.leave_timing(start, asked, RULES) == timing


@table("rhythm", "roster", "has_shift, rest_day, on_leave, works", optional="rest_day")
def test_roster(has_shift: bool, rest_day: int | None, on_leave: bool, works: bool) -> None:
    assert rhythm.works_on(has_shift, rest_day, on_leave, TODAY) is works


def test_report_weeks_start_on_monday_in_team_time() -> None:
    sunday_night_utc = dt.datetime(2026, 11, 29, 17, 0, tzinfo=dt.UTC)  # Monday 01:00 in Shanghai
    assert rhythm.week_of(sunday_night_utc, SH) == dt.date(2026, 11, 30)
    assert rhythm.week_of(dt.datetime(2026, 11, 29, 12, tzinfo=SH), SH) == dt.date(2026, 11, 23)


@table("rhythm", "meeting_duty", "rostered, counts, last, duty", optional="duty")
def test_meeting_duty_rotation(
    rostered: list[int], counts: dict[str, int], last: dict[str, dt.date], duty: int | None
) -> None:
    duties = {int(pid): n for pid, n in counts.items()}  # TOML's keys are text: ids as numbers
    latest = {int(pid): day for pid, day in last.items()}
    assert rhythm.on_duty(rostered, duties, latest) == duty


@table("rhythm", "at_meeting", "start, end, meeting, present")
def test_at_work_when_the_meeting_starts(start: str, end: str, meeting: str, present: bool) -> None:
    shift = Shift.model_validate({"start": start, "end": end, "name": {"zh": "班", "en": "shift"}})
    time = dt.time.fromisoformat(meeting)
    assert rhythm.at_meeting(shift, TODAY, time, SH) is present
    assert not rhythm.at_meeting(None, TODAY, time, SH)
