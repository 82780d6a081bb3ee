"""Where each agent stands in a month: the team's ranking, the base of streaks.

Ranked first = the highest KPI score; ties broken by fewer points lost (the month's
standing ledger entries below zero, summed), then by name [000 第12条: 连续3个月考核排名
第一的, 给予一次性200元的奖励]. Every agent with a scorecard has a rank (1 = first);
months are compared only between agents who have a card in that month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Place:
    """One agent's place in one month: the figures the ranking reads, and the rank."""

    person_id: int
    month: str  # YYYY-MM
    score: Decimal  # the month's KPI score, two decimals
    points_lost: int  # Σ of the standing entries' negative points, as a positive number
    name: str
    rank: int | None = None  # 1 = first on the team; None before ranking


def order_key(one: Place) -> tuple[Decimal, int, str, int]:
    """Best first: highest score, then fewer points lost, then name (then id, so that
    two agents of the same name still have a fixed order)."""
    return (-one.score, one.points_lost, one.name.casefold(), one.person_id)


def ranked(standings: Sequence[Place]) -> list[Place]:
    """The month's standings best first, each with its rank (1, 2, 3 …; no shared ranks:
    the tie-breaks decide)."""
    return [
        replace(one, rank=place)
        for place, one in enumerate(sorted(standings, key=order_key), start=1)
    ]
