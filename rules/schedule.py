"""When scheduled posts fall: the next and the latest slot of a weekly or daily time.

Pure: the caller passes `now`. Weekdays are Python's (0 = Monday … 6 = Sunday).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def _slots_around(
    at: dt.time,
    weekdays: tuple[int, ...] | None,
    now: dt.datetime,
    tz: ZoneInfo,
    month_day: int | None = None,
    in_month: int | None = None,
) -> list[dt.datetime]:
    today = now.astimezone(tz).date()
    if month_day is not None and in_month is not None:  # a day of the year: last, this, next
        days = [dt.date(today.year + n, in_month, month_day) for n in (-1, 0, 1)]
        return [dt.datetime.combine(day, at, tzinfo=tz) for day in days]
    if month_day is not None:  # a day of the month: last month's, this month's, next month's
        this = today.replace(day=1)
        months = [(this - dt.timedelta(days=1)).replace(day=1), this]
        months.append((this + dt.timedelta(days=32)).replace(day=1))
        return [dt.datetime.combine(m.replace(day=month_day), at, tzinfo=tz) for m in months]
    slots = []
    for offset in range(-8, 9):
        day = today + dt.timedelta(days=offset)
        if weekdays is None or day.weekday() in weekdays:
            slots.append(dt.datetime.combine(day, at, tzinfo=tz))
    return slots


def next_slot(
    at: dt.time,
    weekdays: tuple[int, ...] | None,
    now: dt.datetime,
    tz: ZoneInfo,
    month_day: int | None = None,
    in_month: int | None = None,
) -> dt.datetime:
    """The first slot after `now` (on `month_day` of each month, when given; at most 28;
    with `in_month`, of that month only: once a year)."""
    slots = _slots_around(at, weekdays, now, tz, month_day, in_month)
    return min(slot for slot in slots if slot > now)


def latest_slot(
    at: dt.time,
    weekdays: tuple[int, ...] | None,
    now: dt.datetime,
    tz: ZoneInfo,
    month_day: int | None = None,
    in_month: int | None = None,
) -> dt.datetime:
    """The last slot at or before `now`."""
    slots = _slots_around(at, weekdays, now, tz, month_day, in_month)
    return max(slot for slot in slots if slot <= now)


def catch_up(latest: dt.datetime, now: dt.datetime, grace: dt.timedelta) -> bool:
    """A slot missed while the bot was down is still sent within the grace, else skipped."""
    return dt.timedelta(0) <= now - latest <= grace
