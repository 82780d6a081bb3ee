"""The month close as a pure function: facts → card, cases as data (cases/close.toml).

Every expected figure in the data file is computed by hand from the default policy;
the tests here only read the file, build the facts and compare.
"""

from __future__ import annotations

import datetime as dt
import json
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
        left_on=data.get("left_on"),
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
    assert card.total == Decimal(want["total"]) == sum(x.amount for x in card.lines)
    assert [code for code in want.get("absent", []) if code in lines] == []


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_each_line_keeps_why_as_the_hand_computation_says(case: dict[str, Any]) -> None:
    """The reasons a payslip says in words: what cost full attendance, zero commission's
    cause, points before and after the limit, each fine by name, day and yuan."""
    card = close.close(facts(case["facts"]), POLICY, MONTH, "v1")
    want = case["card"]
    if "missed" in want:
        assert [list(m) for m in close.missed_full_attendance(card.attendance)] == want["missed"]
    lines = {line.code: line for line in card.lines}
    for code, reason in want.get("why", {}).items():
        assert {key: lines[code].reason.get(key) for key in reason} == reason, code
    fines = lines["fines"].items if "fines" in lines else ()
    assert [
        {
            "ref": m.ref,
            "name": "" if m.name is None else m.name.en,
            "day": m.day,
            "yuan": str(m.amount),
            **({"note": m.note} if m.note else {}),
        }
        for m in fines
    ] == want.get("fines", [])
    if "kpi_covered" in want:
        assert (card.kpi_covered, card.kpi_earned) == (
            Decimal(want["kpi_covered"]),
            Decimal(want["kpi_earned"]),
        )
        assert card.score == (card.kpi_earned / card.kpi_covered).quantize(Decimal("0.01"))


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


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_a_card_survives_its_snapshot(case: dict[str, Any]) -> None:
    card = close.close(facts(case["facts"]), POLICY, MONTH, "v1")
    assert close.Card.from_json(card.to_json()) == card


def test_a_card_reads_the_first_releases() -> None:
    first_release = (Path(__file__).parent / "cases" / "card_first_release.json").read_text()
    old = close.Card.from_json(first_release)
    assert old.total == Decimal("3215.86") and old.kpis[0].unit == "percent"
    assert [line.code for line in old.lines][:3] == ["base", "full_attendance", "allowance:phone"]
    assert all(line.items == () for line in old.lines)  # no fine was listed then
    # Full attendance kept one note then; its counts come from the card's attendance.
    assert old.lines[1].reason == {
        "value": "100",
        "earned": "no",
        "facts": "days 22, late 7",
        "late": "7",
    }


def test_an_unknown_level_is_a_note_each_language_says() -> None:
    """A level the policy lacks is a code on the card (its words are the templates'); the
    English sentence the first release stored reads back as that code."""
    month = replace(facts(CASES["case"][0]["facts"]), level="principal")
    card = close.close(month, POLICY, MONTH, "v1")
    assert (card.notes, card.level_name) == ([close.UNKNOWN_LEVEL], None)
    old = json.loads(card.to_json()) | {"notes": ["level 'principal' is not in the policy"]}
    assert close.Card.from_json(json.dumps(old)).notes == [close.UNKNOWN_LEVEL]
