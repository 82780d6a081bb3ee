"""The shared commission, the annual review and its payslip line, exams: tables of cases
computed by hand (tests/rules/cases/extras.toml) [000 第10条, 第十一条; 004]."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.settings import default_policy_data
from rules import exams, pay, review, schedule
from rules.policy import PolicyError, build_policy
from tests.rules.test_pay import inputs

POLICY = build_policy(default_policy_data())
CASES = tomllib.loads((Path(__file__).parent / "cases" / "extras.toml").read_text())
D = Decimal


def named(cases: list[dict[str, Any]]) -> Any:
    return pytest.mark.parametrize("case", cases, ids=[c["name"] for c in cases])


def line(lines: list[pay.PayLine], code: str) -> pay.PayLine | None:
    found = [one for one in lines if one.code == code]
    assert len(found) <= 1
    return found[0] if found else None


@named(CASES["shared"])
def test_shared_commission(case: dict[str, Any]) -> None:
    policy = POLICY.pay.model_copy(update={"shared_commission_rate": D(case.get("rate", "0.005"))})
    sales = case.get("sales")
    given = inputs(public_sales=None if sales is None else D(sales), agents=case["agents"])
    found = line(pay.payslip(policy, given), "shared_commission")
    if "amount" not in case:
        assert found is None
        return
    assert found is not None and found.amount == D(case["amount"])
    assert found.reason == {
        "sales": str(D(sales)),
        "rate": str(policy.shared_commission_rate),
        "agents": str(case["agents"]),
    }


@named(CASES["review"])
def test_review_verdict(case: dict[str, Any]) -> None:
    got = review.verdict([D(s) for s in case["scores"]], POLICY.review)
    assert got.months == len(case["scores"])
    assert got.grade == case["grade"]
    assert got.mean == (D(case["mean"]) if "mean" in case else None)
    assert got.adjustment == (D(case["adjustment"]) if "adjustment" in case else None)
    assert got.assessed == ("adjustment" in case)


@named(CASES["review_line"])
def test_annual_review_line(case: dict[str, Any]) -> None:
    applied = (
        review.Applied(2026, case["grade"], D(case["adjustment"])) if "adjustment" in case else None
    )
    lines = pay.payslip(POLICY.pay, inputs(kpi_score=D(case["score"]), review=applied))
    found = line(lines, "annual_review")
    if applied is None:
        assert found is None
        return
    assert found is not None and found.amount == D(case["amount"])
    assert found.reason["year"] == "2026" and found.reason["grade"] == case["grade"]
    # Right after the performance line, which it reads.
    codes = [one.code for one in lines]
    assert codes.index("annual_review") == codes.index("performance") + 1


@pytest.mark.parametrize(
    ("score", "code"),
    [(0, "exam-below-60"), (59, "exam-below-60"), (60, None), (99, None), (100, "exam-full-marks")],
)
def test_exam_entry_by_score(score: int, code: str | None) -> None:
    assert exams.entry_for(score, POLICY.exams, POLICY.catalogue) == code


def test_a_shop_catalogue_without_the_exam_codes_logs_nothing() -> None:
    data = default_policy_data()
    shop = {"catalogue": {k: v for k, v in data["catalogue"].items() if not k.startswith("exam")}}
    policy = build_policy(data, shop)
    assert exams.entry_for(30, policy.exams, policy.catalogue) is None
    assert exams.entry_for(100, policy.exams, policy.catalogue) is None


def test_exam_kinds_by_key_or_name() -> None:
    assert exams.kind_of("Product", POLICY.exams) == "product"
    assert exams.kind_of("平台规则", POLICY.exams) == "rules"
    assert exams.kind_of("maths", POLICY.exams) is None


@pytest.mark.parametrize(
    ("shop", "problem"),
    [
        ({"review": {"adjustments": {"excellent": "0.25"}}}, "outside the seed's"),
        ({"review": {"adjustments": {"fail": "-0.02"}}}, "outside the seed's"),
        ({"review": {"adjustments": {"pass": "0.01"}}}, "outside the seed's"),
        ({"review": {"thresholds": {"good": "95"}}}, "pass < good < excellent"),
        ({"review": {"day": "01-05"}}, "lock_day"),
        ({"review": {"day": "13-01"}}, "MM-DD"),
        ({"exams": {"below_code": "late-report-x"}}, "not a violation"),
        ({"exams": {"below_code": "customer-praise"}}, "not a violation"),
        ({"exams": {"full_marks_code": "late"}}, "not a bonus"),
        ({"pay": {"shared_commission_rate": "-0.01"}}, "shared_commission_rate"),
    ],
)
def test_policy_check_names_bad_values(shop: dict[str, Any], problem: str) -> None:
    with pytest.raises(PolicyError) as raised:
        build_policy(default_policy_data(), shop)
    assert problem in str(raised.value)


def test_the_upper_ends_of_the_seed_ranges_are_allowed() -> None:
    shop = {"review": {"adjustments": {"excellent": "0.20", "good": "0.10", "fail": "-0.10"}}}
    assert build_policy(default_policy_data(), shop).review.adjustments["fail"] == D("-0.10")


def test_the_review_post_falls_once_a_year() -> None:
    """The annual review's slot: 10 January at 10:00, the next after any day of the year."""
    at, tz = POLICY.month.at, POLICY.tz
    now = dt.datetime(2026, 11, 23, 8, 55, tzinfo=tz)
    assert schedule.next_slot(at, None, now, tz, 10, 1) == dt.datetime(2027, 1, 10, 10, tzinfo=tz)
    assert schedule.latest_slot(at, None, now, tz, 10, 1) == dt.datetime(2026, 1, 10, 10, tzinfo=tz)
