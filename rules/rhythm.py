"""The team's rhythm: rest days, leave, the roster, report weeks [domain.md §5, §6].

Pure functions; the caller passes times in.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from rules import parse
from rules.attendance import slot_on
from rules.errors import Refusal
from rules.policy import Leave, Shift

WEEKDAYS = {
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        name: i
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    **{f"周{c}": i for i, c in enumerate("一二三四五六日")},
    **{f"星期{c}": i for i, c in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
    **{str(i + 1): i for i in range(7)},
}


def parse_weekday(text: str) -> int:
    """mon…sun, monday…, 周一…周日, 星期一…, or 1…7 → 0 (Monday) … 6 (Sunday)."""
    day = WEEKDAYS.get(parse.ascii_digits(text.strip()).lower())
    if day is None:
        raise Refusal("bad_weekday", given=text)
    return day


def parse_leave_day(text: str, today: dt.date, rules: Leave) -> dt.date:
    """A YYYY-MM-DD from today up to the policy's horizon (90 days by default)."""
    day = parse.date(text)
    if day < today:
        raise Refusal("leave_past", day=day)
    if day > today + dt.timedelta(days=rules.max_days_ahead):
        raise Refusal("leave_too_far", day=day, days=rules.max_days_ahead)
    return day


def pattern_from(text: str | None, today: dt.date) -> dt.date:
    """The day a new weekly pattern (`/shift`, `/restday`) applies from: a YYYY-MM-DD
    from today on, today when none is given [issue 16: the shortcuts fill the roster
    from a date on]."""
    if text is None:
        return today
    day = parse.date(text)
    if day < today:
        raise Refusal("pattern_past", day=day)
    return day


def leave_timing(shift_start: dt.datetime, asked_at: dt.datetime, rules: Leave) -> str:
    """Ordinary leave a day before the shift, urgent 2 hours before, else late [000, §5]."""
    ahead = shift_start - asked_at
    if ahead >= dt.timedelta(hours=rules.ordinary_hours):
        return "ordinary"
    if ahead >= dt.timedelta(hours=rules.urgent_hours):
        return "urgent"
    return "late"


def works_on(has_shift: bool, rest_day: int | None, on_leave: bool, day: dt.date) -> bool:
    """Rostered that day: has a shift, it is not the weekly rest day, no approved leave."""
    return has_shift and rest_day != day.weekday() and not on_leave


def at_meeting(shift: Shift | None, day: dt.date, meeting: dt.time, tz: ZoneInfo) -> bool:
    """At work when the day's meeting starts: the agent's shift (that day's, or the day
    before's running past midnight) covers the meeting's time.

    Only they attend it or stay on duty during it [000: one agent stays on duty by
    rotation, all others attend]; an agent whose shift starts later is not at work, so
    is neither named for duty nor missing from the meeting.
    """
    if shift is None:
        return False
    start = dt.datetime.combine(day, meeting, tzinfo=tz)
    slots = (slot_on(shift, day - dt.timedelta(days=1), tz), slot_on(shift, day, tz))
    return any(slot.start <= start < slot.end for slot in slots)


def week_of(at: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The Monday of the week `at` falls in, team time (reports are due before Sunday) [004]."""
    day = at.astimezone(tz).date()
    return day - dt.timedelta(days=day.weekday())


def on_duty(
    rostered: list[int], duty_counts: dict[int, int], last_duty: dict[int, dt.date]
) -> int | None:
    """The agent who stays on duty during the meeting: a fair rotation among those rostered.

    Whoever has stood duty the fewest times; then whoever stood it longest ago (never
    first); then the lowest id, so the choice is the same on every replica [000].
    """
    if not rostered:
        return None
    return min(
        rostered,
        key=lambda pid: (duty_counts.get(pid, 0), last_duty.get(pid, dt.date.min), pid),
    )
