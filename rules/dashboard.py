"""What the Mini App's pictures count [issue 18]: the kind of a day on an agent's
attendance calendar, and the team's month scores by the grades' brackets. Pure: the
facts come from the month's records and cards, the thresholds from the policy."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rules import pay as pay_rules
from rules import roster as roster_rules
from rules.policy import Policy

# What a day on the attendance calendar was, or is planned to be.
ON_TIME, LATE, EARLY, ABSENT, LEAVE = "on_time", "late", "early", "absent", "leave"
MISSED = "missed"  # expected, gone, no clock-in and no absence logged (yet)
REST, HOLIDAY, NOT_YET, OFF_TEAM = "rest", "holiday", "not_yet", "off_team"
DAY_KINDS = (ON_TIME, LATE, EARLY, ABSENT, MISSED, LEAVE, REST, HOLIDAY, NOT_YET, OFF_TEAM)


@dataclass(frozen=True)
class Bracket:
    """A score bracket of the distribution: its grade, from `low` (None: no floor) to
    `high` (None: no ceiling), and how many agents' scores fall in it."""

    grade: str
    low: Decimal | None
    high: Decimal | None
    count: int


def brackets(scores: Iterable[Decimal], policy: Policy) -> list[Bracket]:
    """The month scores counted by the policy's grades [001: A 90-100, B 80-89, C 60-79, D]
    (`rules.pay.by_threshold`, as each card's own grade), in one pass; lowest bracket
    first."""
    grades = policy.month.grades
    counts = Counter(
        pay_rules.by_threshold(grades, score, policy.month.grade_otherwise) for score in scores
    )
    found = [Bracket(policy.month.grade_otherwise, None, grades[-1][0] if grades else None, 0)]
    for index in range(len(grades) - 1, -1, -1):
        high = grades[index - 1][0] if index > 0 else None
        found.append(Bracket(grades[index][1], grades[index][0], high, 0))
    return [Bracket(b.grade, b.low, b.high, counts.get(b.grade, 0)) for b in found]


def day_kind(
    day: dt.date,
    today: dt.date,
    planned: roster_rules.Planned,
    *,
    holiday: bool,
    employed: bool,
    worked: tuple[bool, bool] | None,  # (late, left early) of the day's shifts, if any
    absent: bool,
    leave: bool,
) -> str:
    """What a day was [000: 迟到, 早退, 旷工; leave and rest days]: worked (late, early or
    on time) before anything planned; an absence logged; leave; rest or a holiday off;
    to come; or missed (expected, gone, nothing logged)."""
    if not employed:
        return OFF_TEAM
    if worked is not None:
        late, early = worked
        return LATE if late else EARLY if early else ON_TIME
    if absent:
        return ABSENT
    if leave:
        return LEAVE
    if not planned.works:
        return HOLIDAY if holiday else REST
    return NOT_YET if day >= today else MISSED
