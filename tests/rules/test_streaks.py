"""Streaks across months and the service star, cases as data (cases/streaks.toml)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.settings import default_policy_data
from rules import close, streaks
from rules.policy import PolicyError, Star, build_policy
from rules.standing import Place, ranked
from tests.support.cases import table

POLICY = build_policy(default_policy_data())
RULES = POLICY.streaks


def places(agents: list[list[Any]]) -> list[Place]:
    return [
        Place(pid, "2026-10", Decimal(score), lost, name) for pid, score, lost, name, *_ in agents
    ]


@table("streaks", "ranking", "agents, order")
def test_the_month_is_ranked_by_score_points_lost_then_name(
    agents: list[list[Any]], order: list[int]
) -> None:
    found = ranked(places(agents))
    assert [one.person_id for one in found] == order
    assert [one.rank for one in found] == list(range(1, len(order) + 1))


@table("streaks", "runs", "months, first, under, award, review")
def test_runs_across_months(
    months: list[list[Any]], first: int, under: int, award: bool, review: str
) -> None:
    history = [Place(1, month, Decimal(score), 0, "Ann", rank) for month, rank, score in months]
    found = streaks.runs(1, history, RULES)
    assert (len(found.first), len(found.under)) == (first, under)
    assert streaks.first_award(found, RULES) is award
    assert (streaks.review(found, RULES) or "") == review
    if months:
        assert found.month == max(m[0] for m in months)
        assert found.first_months == sorted(m[0] for m in months)[len(months) - first :]


@table("streaks", "star", "measure, agents, star")
def test_the_service_star(measure: str, agents: list[list[Any]], star: int) -> None:
    scores = {row[0]: row[4] for row in agents}
    found = streaks.star(ranked(places(agents)), scores, Star(measure=measure))  # type: ignore[arg-type]
    assert (0 if found is None else found.person_id) == star


def test_the_months_before_cross_a_year() -> None:
    assert streaks.months_before("2026-02", 3) == ["2025-11", "2025-12", "2026-01"]
    assert streaks.months_before("2026-10", 0) == []


def test_a_voided_one_off_leaves_the_locked_card_and_its_total() -> None:
    facts = close.MonthFacts(
        1,
        "Ann",
        None,
        "presale",
        "junior",
        one_offs=(close.OneOffFact(4, 20000, "streak"), close.OneOffFact(5, 5000, "cover")),
    )
    card = close.close(facts, POLICY, "2026-10", "v1")
    amended = close.without_one_off(card, "+4")
    assert [line.sources for line in amended.lines if line.code == "one_off"] == [("+5",)]
    assert amended.total == card.total - Decimal("200.00")
    assert close.without_one_off(card, "+9").total == card.total  # not on this card


@pytest.mark.parametrize(
    ("section", "wrong", "key"),
    [
        ({"let_go_months": 2}, "let_go_months must be more", "streaks"),
        ({"first_bonus": "1.005"}, "at most 2 decimals", "streaks.first_bonus"),
        ({"pass_mark": "101"}, "less than or equal to 100", "streaks.pass_mark"),
        ({"lookback_months": 2}, "must cover", "streaks"),
    ],
)
def test_bad_streak_numbers_are_named(section: dict[str, Any], wrong: str, key: str) -> None:
    with pytest.raises(PolicyError) as raised:
        build_policy(default_policy_data(), {"streaks": section})
    assert any(p.startswith(key) and wrong in p for p in raised.value.problems)


def test_a_bad_star_measure_is_named() -> None:
    with pytest.raises(PolicyError) as raised:
        build_policy(default_policy_data(), {"star": {"measure": "sales"}})
    assert any(p.startswith("star.measure") for p in raised.value.problems)
