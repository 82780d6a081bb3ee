"""Payslips and scorecards as tables of cases, the seeds' own examples first [domain.md §1–§4]."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bot.settings import default_policy_data, load_policy
from rules import kpi, pay
from rules.policy import PolicyError, build_policy

POLICY = build_policy(default_policy_data())
PAY = POLICY.pay
D = Decimal


def inputs(**changes: object) -> pay.Inputs:
    """A mid-level agent in year 2, KPI 88, ledger 80, full attendance, no sales or fines."""
    given = pay.Inputs(
        level="mid",
        base_pay=D(2700),
        probation=False,
        first_month=False,
        year_of_service=2,
        kpi_score=D(88),
        ledger_score=80,
        ledger_refs=(),
        sales=D(0),
        full_attendance=True,
    )
    return replace(given, **changes)  # type: ignore[arg-type]


def amounts(lines: list[pay.PayLine]) -> dict[str, Decimal]:
    return {line.code: line.amount for line in lines}


# --- the seeds' examples ---------------------------------------------------------


@pytest.mark.parametrize(
    ("salary", "on_probation"),
    # [004]: 出纳 3500 试用期 2800; 经理 3200 → 2560; 员工 2800 → 2240 (× 0.8)
    [(3500, 2800), (3200, 2560), (2800, 2240)],
)
def test_probation_pays_eighty_percent_as_004_says(salary: int, on_probation: int) -> None:
    lines = pay.payslip(PAY, inputs(base_pay=D(salary), probation=True))
    got = amounts(lines)
    assert got["base"] + got["probation"] == D(on_probation)


def test_the_004_structure_example() -> None:
    """[004] basic 1400 + post 400 + seniority 0 + full attendance 100 + allowances 400
    (phone 100, transport 100, meals 200) + performance (base performance 900 + X)."""
    shop = build_policy(
        default_policy_data(),
        {"pay": {"post_wage": "400", "performance_pool": "900", "minimum": []}},
    ).pay
    lines = pay.payslip(shop, inputs(base_pay=D(1400), kpi_score=D(100)))
    got = amounts(lines)
    assert got["base"] == D("1400.00") and got["post"] == D("400.00")
    assert "seniority" not in got  # 0 by default: no line
    assert got["full_attendance"] == D("100.00")
    allowances = {k: v for k, v in got.items() if k.startswith("allowance:")}
    assert allowances == {
        "allowance:phone": D("100.00"),
        "allowance:transport": D("100.00"),
        "allowance:meals": D("200.00"),
    }
    assert got["performance"] == D("900.00")  # the whole pool at a score of 100
    assert pay.total(lines) == D("3200.00")  # 1400 + 400 + 100 + 400 + 900


@pytest.mark.parametrize(
    ("score", "bonus"),
    # [004] performance = 300 × score%; none under 70
    [("100", "300.00"), ("88", "264.00"), ("70", "210.00"), ("69.99", "0.00"), ("77.77", "233.31")],
)
def test_performance_bonus(score: str, bonus: str) -> None:
    assert amounts(pay.payslip(PAY, inputs(kpi_score=D(score))))["performance"] == D(bonus)


def test_no_performance_bonus_in_the_first_month() -> None:
    line = next(x for x in pay.payslip(PAY, inputs(first_month=True)) if x.code == "performance")
    assert line.amount == 0 and line.reason["status"] == "first_month"


@pytest.mark.parametrize(
    ("score", "rate"),
    # [004] > 95 → 3%; 85–95 → 2%; 70–85 → 1%; < 70 → none
    [
        ("100", "0.03"),
        ("95.01", "0.03"),
        ("95", "0.02"),
        ("85", "0.02"),
        ("84.99", "0.01"),
        ("70", "0.01"),
        ("69.99", "0"),
    ],
)
def test_commission_bands(score: str, rate: str) -> None:
    assert pay.commission_rate(PAY, D(score)) == D(rate)


def test_commission_on_personal_sales_none_on_probation() -> None:
    assert amounts(pay.payslip(PAY, inputs(sales=D("12345.67"))))["commission"] == D("246.91")
    probation = pay.payslip(PAY, inputs(sales=D("12345.67"), probation=True))
    assert amounts(probation)["commission"] == 0


def line_of(code: str, **changes: object) -> pay.PayLine:
    return next(x for x in pay.payslip(PAY, inputs(**changes)) if x.code == code)


@pytest.mark.parametrize(
    ("changes", "status", "amount"),
    # [004] 1000 yuan at 88 → 2% = 20.00; [001] none on probation; [004] none under 70
    [
        ({"sales": D(1000)}, "earned", "20.00"),
        ({"sales": D(1000), "probation": True}, "probation", "0.00"),
        ({"sales": D(1000), "kpi_score": D("69.99")}, "under_floor", "0.00"),
        ({"sales": D(0)}, "no_sales", "0.00"),
        ({"sales": D(0), "probation": True}, "probation", "0.00"),  # probation says it first
    ],
)
def test_a_zero_commission_says_why(changes: dict[str, object], status: str, amount: str) -> None:
    line = line_of("commission", **changes)
    assert (line.reason["status"], line.amount) == (status, D(amount))
    assert (line.reason["floor"], line.reason["floor_inclusive"]) == ("70", "yes")


def test_a_track_without_sales_has_no_commission_line() -> None:
    """Aftersales (`sells = false` in the default policy) has no commission line at all,
    and nothing else on the payslip moves."""
    selling = pay.payslip(PAY, inputs(sales=D(0)))
    not_selling = pay.payslip(PAY, inputs(sales=D(0), sells=False))
    assert [x.code for x in selling if x not in not_selling] == ["commission"]
    assert pay.total(selling) == pay.total(not_selling)
    assert not POLICY.tracks["aftersales"].sells and POLICY.tracks["presale"].sells


@pytest.mark.parametrize(
    ("score", "raw", "points", "amount"),
    # [004] ±20 points of 80 move pay; the month's score counts at most 100
    [
        (58, 58, "-20", "-200.00"),  # -22 points, counted as -20
        (100, 105, "20", "200.00"),  # +25 points, capped at 100: counted as +20
        (78, 78, "-2", "-20.00"),  # not clipped: raw and counted agree
    ],
)
def test_points_keep_their_count_before_the_limit(
    score: int, raw: int, points: str, amount: str
) -> None:
    line = line_of("points", ledger_score=score, ledger_raw=raw)
    assert (line.reason["raw"], line.reason["points"]) == (str(raw - 80), points)
    assert line.amount == D(amount)


def test_full_attendance_not_earned_keeps_each_count_that_cost_it() -> None:
    missed = (("late", 2), ("leave", 1))
    line = line_of("full_attendance", full_attendance=False, attendance_missed=missed)
    assert line.amount == 0 and line.reason["earned"] == "no"
    assert {k: line.reason.get(k) for k in ("late", "early", "absent", "leave")} == {
        "late": "2",
        "early": None,
        "absent": None,
        "leave": "1",
    }
    earned = line_of("full_attendance", attendance_missed=())
    assert earned.amount == D("100.00") and "late" not in earned.reason


@pytest.mark.parametrize(
    ("ledger", "float_"),
    # [004] 10 yuan a point away from 80, within ±20 points
    [
        (80, "0.00"),
        (85, "50.00"),
        (100, "200.00"),
        (72, "-80.00"),
        (60, "-200.00"),
        (40, "-200.00"),
    ],
)
def test_points_float(ledger: int, float_: str) -> None:
    assert amounts(pay.payslip(PAY, inputs(ledger_score=ledger)))["points"] == D(float_)


def test_fines_are_one_line_with_their_entries_and_refunds_count_back() -> None:
    fines = (pay.Money("#3", D(10)), pay.Money("#7", D(30)), pay.Money("#9", D(-10)))
    line = next(x for x in pay.payslip(PAY, inputs(fines=fines)) if x.code == "fines")
    assert line.amount == D("-30.00") and line.sources == ("#3", "#7", "#9")
    assert line.items == fines  # listed one by one under the line
    assert -sum(m.amount for m in line.items) == line.amount


@pytest.mark.parametrize(
    ("year", "minimum"),
    # [000] 2130 in year 1, 2330 in year 2, 2630 in year 3 (and after)
    [(1, "2130"), (2, "2330"), (3, "2630"), (7, "2630")],
)
def test_guaranteed_minimum_tops_up(year: int, minimum: str) -> None:
    lines = pay.payslip(
        PAY,
        inputs(base_pay=D(1000), year_of_service=year, full_attendance=False, kpi_score=D(50)),
    )
    # 1000 base + 400 allowances = 1400, under every minimum
    assert amounts(lines)["minimum"] == D(minimum) - D(1400)
    assert pay.total(lines) == D(minimum)


def test_no_top_up_above_the_minimum_and_one_offs_come_after() -> None:
    extra = pay.Money("+1", D(200), "first three months running")  # [000] one-off 200
    lines = pay.payslip(PAY, inputs(one_offs=(extra,)))
    assert "minimum" not in amounts(lines)
    assert lines[-1].code == "one_off" and lines[-1].amount == D("200.00")
    # 2700 + 100 + 400 + 264 (300 × 88%) + 0 + 0 + 200
    assert pay.total(lines) == D("3664.00")


def test_every_line_is_rounded_once_half_up_and_the_total_is_their_sum() -> None:
    lines = pay.payslip(PAY, inputs(kpi_score=D("88.35"), sales=D("1000.50")))
    got = amounts(lines)
    assert got["performance"] == D("265.05")  # 300 × 0.8835 = 265.05
    assert got["commission"] == D("20.01")  # 1000.50 × 2% = 20.010
    half = pay.payslip(PAY, inputs(kpi_score=D("70.01"), sales=D("0.50")))
    assert amounts(half)["commission"] == D("0.01")  # 0.005 rounds half-up
    assert pay.total(lines) == sum(line.amount for line in lines)
    assert all(line.amount == line.amount.quantize(D("0.01")) for line in lines)


# --- the scorecard ---------------------------------------------------------------


def test_kpi_score_shares_out_the_weight_of_kpis_without_data() -> None:
    sheet = POLICY.kpi["aftersales"]
    totals = kpi.total([(None, None, None, None, 9900, 35000)])
    results = kpi.sheet(sheet, totals, 90, POLICY.sales_plan, qa=D("85.5"), missed=0)
    # reply 100 × 15%, response 100 × 15%, QA 80 × 20%, attendance 100 × 20%, execution 90 × 30%
    assert pay.kpi_score(results) == D("93.00")  # 15 + 15 + 16 + 20 + 27
    no_qa = kpi.sheet(sheet, totals, 90, POLICY.sales_plan, qa=None, missed=2)
    # no QA check: (15 + 15 + 80 × 20% + 27) / 80% = 73 / 0.8
    assert pay.kpi_score(no_qa) == D("91.25")


@pytest.mark.parametrize(
    ("score", "grade", "level"),
    [
        ("100", "A", "senior"),
        ("90", "A", "senior"),
        ("89.99", "B", "mid"),
        ("80", "B", "mid"),
        ("75", "C", "junior"),
        ("60", "C", "-"),
        ("59", "D", "-"),
    ],
)
def test_grade_and_level(score: str, grade: str, level: str) -> None:
    month = POLICY.month
    assert pay.by_threshold(month.grades, D(score), month.grade_otherwise) == grade
    assert pay.by_threshold(month.levels, D(score), "-") == level


def test_the_policy_names_the_components_and_their_order() -> None:
    """A shop without allowances drops the component; the lines follow the policy's order."""
    order = [c for c in PAY.components if c != "allowances"]
    shop = build_policy(default_policy_data(), {"pay": {"components": order}})
    lines = pay.payslip(shop.pay, inputs(probation=True))
    assert not [line for line in lines if line.code.startswith("allowance:")]
    codes = [line.code for line in lines]
    assert codes == ["base", "probation", "full_attendance", "performance", "commission", "points"]
    assert pay.unknown_components(shop.pay) == []


def test_a_component_the_rules_do_not_know_is_refused_at_load(tmp_path: Path) -> None:
    shop = tmp_path / "shop.toml"
    shop.write_text('[pay]\ncomponents = ["base", "bonus13"]\n', "utf-8")
    with pytest.raises(PolicyError, match="unknown bonus13"):
        load_policy(shop)
