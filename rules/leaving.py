"""Joining and leaving: when a last working day may be recorded, and who has left.

Pure functions; the caller passes today and what storage knows [000: years of service;
004: no performance bonus in the month an agent leaves; kefu's choice for the rest].
"""

from __future__ import annotations

import datetime as dt

from rules.errors import Refusal
from rules.policy import PeopleRules


def check_last_day(
    day: dt.date,
    *,
    today: dt.date,
    start: dt.date | None,
    locked: bool,
    rules: PeopleRules,
) -> dt.date:
    """`day` as a last working day: not before the service start, not more than the
    policy's span ahead, not in a month already locked (its payslips are frozen); a day
    already past is allowed (recorded late), the agent is then off the team at once."""
    if start is not None and day < start:
        raise Refusal("resign_before_start", day=day, start=start)
    latest = today + dt.timedelta(days=rules.resign_days_ahead)
    if day > latest:
        raise Refusal("resign_too_far", day=day, days=rules.resign_days_ahead, latest=latest)
    if locked:
        raise Refusal("month_locked", month=day.strftime("%Y-%m"))
    return day


def has_left(left_on: dt.date | None, today: dt.date) -> bool:
    """True once the last working day is behind us: no longer an agent."""
    return left_on is not None and left_on < today
