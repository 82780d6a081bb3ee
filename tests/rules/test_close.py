"""The month close as a pure function: facts → card, cases as data (cases/close.toml).

Every expected figure in the data file is computed by hand from the default policy;
the tests here only read the file, build the facts and compare.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.settings import default_policy_data
from rules import close
from rules.kpi import NO_METRICS, MetricSums, MonthFigure
from rules.policy import build_policy

POLICY = build_policy(default_policy_data())
MONTH = "2026-10"
CASES = tomllib.loads((Path(__file__).parent / "cases" / "close.toml").read_text("utf-8"))


def facts(data: dict[str, Any]) -> close.MonthFacts:
    """A MonthFacts from a case's [facts] table."""
    metrics = data.get("metrics")
    return close.MonthFacts(
        person_id=1,
        name="Carol",
        username="carol",
        track=data["track"],
        level=data["level"],
        hired_on=data.get("hired_on"),
        probation_until=data.get("probation_until"),
        entries=tuple(close.EntryFact(**entry) for entry in data.get("entries", [])),
        metrics=NO_METRICS
        if metrics is None
        else MetricSums(
            metrics["days"],
            **{k: MonthFigure(*v) for k, v in metrics.items() if k != "days"},
        ),
        qa=close.QaFacts(*data["qa"]) if "qa" in data else None,
        leave_days=data.get("leave_days", 0),
        shifts=close.ShiftFacts(**data.get("shifts", {})),
        one_offs=tuple(close.OneOffFact(**row) for row in data.get("one_offs", [])),
    )


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_a_month_closes_as_computed_by_hand(case: dict[str, Any]) -> None:
    card = close.close(facts(case["facts"]), POLICY, MONTH, "v1")
    want = case["card"]
    assert card.ledger_score == want["ledger_score"]
    assert card.score == Decimal(want["score"])
    assert (card.grade, card.points_to or "") == (want["grade"], want["points_to"])
    assert (card.probation, card.first_month) == (want["probation"], want["first_month"])
    assert card.demerits == want.get("demerits", 0)
    assert card.attendance.note() == want["attendance"]
    lines = {line.code: line.amount for line in card.lines}
    assert {code: lines.get(code) for code in want["lines"]} == {
        code: Decimal(amount) for code, amount in want["lines"].items()
    }
    assert card.total == Decimal(want["total"]) == sum(lines.values())


def test_no_kpi_sheet_means_the_daily_assessment_is_the_score() -> None:
    month = facts(CASES["case"][1]["facts"])
    assert close.kpi_results(month, POLICY, 78) == []
    assert close.month_score([], 78) == Decimal("78.00")


def test_full_attendance_needs_days_worked_and_nothing_missed() -> None:
    assert close.full_attendance(close.MonthAttendance(days=21))
    assert not close.full_attendance(close.MonthAttendance(days=0))
    for missed in ("late", "early", "absent", "leave"):
        assert not close.full_attendance(close.MonthAttendance(days=21, **{missed: 1}))
    # a long break is flagged on the scorecard but does not cost full attendance
    assert close.full_attendance(close.MonthAttendance(days=21, breaks_over=2))


def test_service_starts_with_hire_else_enrolment_and_counts_in_years() -> None:
    month = facts(CASES["case"][0]["facts"])
    assert close.service_start(month, POLICY) == dt.date(2024, 3, 1)
    enrolled = replace(
        month, hired_on=None, enrolled_at=dt.datetime(2026, 10, 31, 17, 0, tzinfo=dt.UTC)
    )
    assert close.service_start(enrolled, POLICY) == dt.date(2026, 11, 1)  # Shanghai time
    assert not close.assessed(enrolled, MONTH, POLICY)  # began after October
    assert [
        close.years_of_service(dt.date(2024, 11, 1), last)
        for last in (
            dt.date(2025, 10, 31),
            dt.date(2025, 11, 1),
            dt.date(2026, 11, 1),
        )
    ] == [1, 2, 3]


def test_a_card_survives_its_snapshot_and_reads_the_first_releases() -> None:
    card = close.close(facts(CASES["case"][0]["facts"]), POLICY, MONTH, "v1")
    again = close.Card.from_json(card.to_json())
    assert again == card
    first_release = (Path(__file__).parent / "cases" / "card_first_release.json").read_text()
    old = close.Card.from_json(first_release)
    assert old.total == Decimal("3215.86") and old.kpis[0].unit == "percent"
    assert [line.code for line in old.lines][:3] == ["base", "full_attendance", "allowance:phone"]
