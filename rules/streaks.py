"""Runs across months: ranked first, under the pass mark; and the month's service star.

An agent's runs are read from their places (`rules.standing.Place`), one per month
that has a scorecard for them, oldest first. A month with no scorecard for the agent
(not yet hired, not assessed) is simply absent: it breaks no run and continues none.

- Ranked first `first_months` months running (default 3) earns a one-off of
  `first_bonus` yuan (200) on the last month's payslip; a longer run pays again at
  every multiple (6, 9 …) [000 第12条: 连续3个月考核排名第一的, 给予一次性200元的奖励].
- Under the pass mark (70) `resignation_review_months` months running (2): the
  supervisors get a resignation review [000 第12条: 连续2个月考核不及格的, 自动请辞];
  `let_go_months` or more (3): a let-go review [004: 连续低于70分三次的淘汰].
- The service star [002: 服务之星]: the month's best agent by the policy's measure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rules.policy import Star
from rules.policy import Streaks as StreakRules
from rules.standing import Place, order_key

Review = Literal["resignation", "let_go"]
RESIGNATION: Review = "resignation"
LET_GO: Review = "let_go"


@dataclass(frozen=True, slots=True)
class Runs:
    """An agent's runs as of their last scored month (None: no scored month)."""

    person_id: int
    month: str | None
    first: tuple[Place, ...] = ()  # the months of the run ranked first, oldest first
    under: tuple[Place, ...] = ()  # the months of the run under the pass mark

    @property
    def first_months(self) -> list[str]:
        """The months of the run ranked first."""
        return [one.month for one in self.first]


def months_before(month: str, count: int) -> list[str]:
    """The `count` months before `month` (YYYY-MM), oldest first."""
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count, index)]


def trailing(places: Sequence[Place], holds: Callable[[Place], bool]) -> tuple[Place, ...]:
    """The run at the end of `places` (scored months, oldest first) where `holds`."""
    start = len(places)
    while start > 0 and holds(places[start - 1]):
        start -= 1
    return tuple(places[start:])


def runs(person_id: int, places: Sequence[Place], rules: StreakRules) -> Runs:
    """The agent's runs ending at their last scored month: ranked first (rank 1), and
    under the pass mark (score < pass mark)."""
    ordered = sorted(places, key=lambda one: one.month)
    if not ordered:
        return Runs(person_id, None)
    return Runs(
        person_id,
        ordered[-1].month,
        trailing(ordered, lambda one: one.rank == 1),
        trailing(ordered, lambda one: under_mark(one.score, rules)),
    )


def first_award(found: Runs, rules: StreakRules) -> bool:
    """True when the run ranked first reaches `first_months`, or a multiple of it, at
    its last month: that month's payslip gets the one-off."""
    length = len(found.first)
    return length > 0 and length % rules.first_months == 0


def review(found: Runs, rules: StreakRules) -> Review | None:
    """The review the run under the pass mark calls for at its last month, if any."""
    length = len(found.under)
    if length >= rules.let_go_months:
        return LET_GO
    if length >= rules.resignation_review_months:
        return RESIGNATION
    return None


def star(places: Sequence[Place], ledger_scores: Mapping[int, int], rules: Star) -> Place | None:
    """The month's service star among its ranked places [002]: rank 1 ("kpi_score"),
    or the highest daily assessment with the ranking's order breaking ties
    ("ledger_score"); None for a month with no cards."""
    if not places:
        return None
    if rules.measure == "ledger_score":
        return min(places, key=lambda one: (-ledger_scores.get(one.person_id, 0), order_key(one)))
    return min(places, key=order_key)


def under_mark(score: Decimal, rules: StreakRules) -> bool:
    """True when a month's score fails the pass mark."""
    return score < rules.pass_mark
