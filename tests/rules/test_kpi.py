"""KPI sheets as tables of cases [domain.md §3]."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.settings import default_policy_data
from rules import kpi
from rules.policy import build_policy

POLICY = build_policy(default_policy_data())
PRESALE = {k.measure: k for k in POLICY.kpi["presale"]}
AFTERSALES = {k.measure: k for k in POLICY.kpi["aftersales"]}


@pytest.mark.parametrize(
    ("sheet", "measure", "value", "points"),
    [
        (PRESALE, "target_completion", "1.2", 100),
        (PRESALE, "target_completion", "0.95", 85),
        (PRESALE, "target_completion", "0.40", 10),
        (PRESALE, "target_completion", "0.39", 0),
        (PRESALE, "consult_conversion", "0.47", 80),
        (PRESALE, "order_success", "0.95", 100),
        (PRESALE, "order_success", "0.8499", 0),
        (PRESALE, "avg_order_value", "180", 80),
        (PRESALE, "reply_rate", "0.979", 80),
        (PRESALE, "response_time", "25", 100),
        (PRESALE, "response_time", "25.1", 80),
        (PRESALE, "response_time", "40", 60),
        (PRESALE, "response_time", "41", 0),
        (AFTERSALES, "reply_rate", "0.89", 40),
        (AFTERSALES, "response_time", "55", 70),
        (AFTERSALES, "response_time", "61", 40),
    ],
)
def test_bands(sheet: dict, measure: str, value: str, points: int) -> None:
    assert kpi.band_points(sheet[measure], Decimal(value)) == points


def test_a_month_so_far() -> None:
    totals = kpi.total(
        [
            # consults, orders, payers, sales_fen, reply_bp, response_ms
            (100, 48, 46, 500000, 9900, 24000),
            (100, 46, 44, 450000, 9700, 28000),
            (None, None, None, None, None, None),
        ]
    )
    assert (totals.days, totals.consults, totals.orders, totals.payers) == (3, 200, 94, 90)
    assert totals.reply_rate_bp == Decimal(9800) and totals.response_ms == Decimal(26000)
    results = {
        r.kpi.measure: r for r in kpi.sheet(POLICY.kpi["presale"], totals, 85, Decimal(10000))
    }
    expected = {
        "target_completion": 85,  # 9 500 of a 10 000 plan: 95%
        "consult_conversion": 80,  # 94 / 200 = 47%
        "order_success": 100,  # 90 / 94 = 95.7%
        "avg_order_value": 0,  # 9 500 / 90 = 105.56 yuan
        "reply_rate": 100,  # mean 98%
        "response_time": 80,  # mean 26 s
        "follow_up": None,  # no figure for it yet
        "execution": 85,  # the daily-assessment score itself
    }
    assert {m: r.points for m, r in results.items()} == expected
    earned, covered = kpi.weighted_so_far(list(results.values()))
    assert (earned, covered) == (Decimal("63.50"), Decimal("0.78"))


def test_totals_from_sql_sums_equal_totals_from_days() -> None:
    days = [
        (100, 48, 46, 500000, 9900, 24000),
        (100, 46, 44, 450000, 9700, 28000),
        (None, None, None, None, None, 25000),
    ]
    figures = []
    for index in range(6):
        values = [v for day in days if (v := day[index]) is not None]
        figures.append(kpi.MonthFigure(sum(values), len(values)))
    sums = kpi.MetricSums(len(days), *figures)
    assert kpi.from_sums(sums) == kpi.total(days)
    assert kpi.from_sums(kpi.NO_METRICS) == kpi.Totals(0, None, None, None, None, None, None)
