"""The problem log [000: each agent notes every problem or idea met at work and hands
the notebook to the lead weekly].

A problem is kept for its week (the Monday, team time); the supervisors' weekly review
(on the policy's weekday and time) takes what was noted since the review before it.
Pure functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TypeVar
from zoneinfo import ZoneInfo

from rules import casework, parse
from rules.errors import Refusal
from rules.policy import Casework

T = TypeVar("T")
WEEK = dt.timedelta(days=7)


def text(typed: str, usage: str) -> str:
    """A problem's or an answer's text: something visible (else the usage refusal
    `usage`) and no phone number (`personal_data`); stripped."""
    if not parse.visible(typed):
        raise Refusal(usage)
    casework.no_personal_data(typed)
    return typed.strip()


def review_window(
    at: dt.datetime, rules: Casework, tz: ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    """The review due at `at` (run on its weekday, perhaps late): the problems noted in
    the week before its slot, [slot − 7 days, slot)."""
    day = at.astimezone(tz).date()
    slot = dt.datetime.combine(day, rules.problem_time, tzinfo=tz)
    return slot - WEEK, slot


def by_author(rows: Sequence[T], author: Callable[[T], int]) -> list[tuple[int, list[T]]]:
    """`rows` grouped by author, in the order each author first appears (the rows'
    own order kept within a group)."""
    groups: dict[int, list[T]] = {}
    for row in rows:
        groups.setdefault(author(row), []).append(row)
    return list(groups.items())


def chunks(rows: Sequence[T], size: int) -> list[list[T]]:
    """`rows` in runs of at most `size` (a card's buttons fit one row)."""
    return [list(rows[i : i + size]) for i in range(0, len(rows), size)]
