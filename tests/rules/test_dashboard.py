"""The Mini App's pictures as tables [issue 18]: a calendar day's kind, the month scores
by the grades' brackets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.settings import default_policy_data
from rules import dashboard
from rules import roster as roster_rules
from rules.policy import build_policy

POLICY = build_policy(default_policy_data())
TODAY = dt.date(2026, 11, 23)
DAY = roster_rules.Planned("day", roster_rules.PATTERN)
OFF = roster_rules.Planned(None, roster_rules.REST_DAY)


@pytest.mark.parametrize(
    ("day", "planned", "facts", "kind"),
    [
        (TODAY, DAY, {"employed": False}, "off_team"),
        (TODAY, DAY, {"worked": (False, False)}, "on_time"),
        (TODAY, DAY, {"worked": (True, True)}, "late"),  # late first, then early
        (TODAY, DAY, {"worked": (False, True)}, "early"),
        (TODAY, OFF, {"worked": (False, False)}, "on_time"),  # worked on a day off
        (TODAY, DAY, {"absent": True, "leave": True}, "absent"),
        (TODAY, DAY, {"leave": True}, "leave"),
        (TODAY, OFF, {}, "rest"),
        (TODAY, OFF, {"holiday": True}, "holiday"),
        (TODAY, DAY, {}, "not_yet"),  # today, not in yet
        (TODAY - dt.timedelta(days=1), DAY, {}, "missed"),
    ],
)
def test_a_calendar_days_kind(
    day: dt.date, planned: roster_rules.Planned, facts: dict[str, object], kind: str
) -> None:
    given: dict[str, object] = {
        "holiday": False,
        "employed": True,
        "worked": None,
        "absent": False,
        "leave": False,
        **facts,
    }
    assert dashboard.day_kind(day, TODAY, planned, **given) == kind  # type: ignore[arg-type]


def test_scores_by_the_grades_brackets() -> None:
    scores = [Decimal(s) for s in ("59.99", "60.00", "79.99", "80.00", "89.99", "90.00", "100")]
    found = dashboard.brackets(scores, POLICY)
    assert [(b.grade, b.low, b.high, b.count) for b in found] == [
        ("D", None, Decimal("60"), 1),
        ("C", Decimal("60"), Decimal("80"), 2),
        ("B", Decimal("80"), Decimal("90"), 2),
        ("A", Decimal("90"), None, 2),
    ]
