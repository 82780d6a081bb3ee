"""The casework KPIs computed by hand [001: complaint handling ≤24 h 100, ≤48 h 80,
more 50; platform arbitration ≤1 100, 2 80, 3+ 50; 004 attachment 2: follow-up service
≥300 100, ≥200 80, ≥100 60, else 0], and their weight shared out without records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.settings import default_policy_data
from rules import casework, kpi, pay
from rules.casework import CaseFact, CaseworkFacts
from rules.policy import build_policy

POLICY = build_policy(default_policy_data())
TZ = dt.timezone(dt.timedelta(hours=8))
END = dt.datetime(2026, 12, 1, tzinfo=TZ)  # November's end


def opened(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=TZ)


def kpi_of(measure: str, track: str) -> kpi.Kpi:
    return next(k for k in POLICY.kpi[track] if k.measure == measure)


@pytest.mark.parametrize(
    ("cases", "hours", "points"),
    [
        # solved in 20 h and 28 h: a mean of 24 h → 100
        ([(1, 20), (2, 28)], Decimal("24.00"), 100),
        # 30 h and 40 h: 35 h → 80
        ([(1, 30), (2, 40)], Decimal("35.00"), 80),
        # one solved in 10 h, one still open from the 29th 10:00 to 1 Dec 00:00 = 38 h: 24 h
        ([(1, 10), (29, None)], Decimal("24.00"), 100),
        # one open since the 20th: 254 h to the month's end → 50
        ([(20, None)], Decimal("254.00"), 50),
        # 48 h exactly is within the second band; 48 h 36 min is not
        ([(3, 48)], Decimal("48.00"), 80),
        ([(3, 48.6)], Decimal("48.60"), 50),
    ],
)
def test_complaint_handling_time(
    cases: list[tuple[int, float | None]], hours: Decimal, points: int
) -> None:
    facts = CaseworkFacts(
        END,
        tuple(
            CaseFact(opened(day), None if h is None else opened(day) + dt.timedelta(hours=h))
            for day, h in cases
        ),
    )
    assert casework.complaint_time(facts) == hours
    assert kpi.band_points(kpi_of("complaint_time", "aftersales"), hours) == points


@pytest.mark.parametrize(("count", "points"), [(0, 100), (1, 100), (2, 80), (3, 50), (5, 50)])
def test_platform_arbitrations(count: int, points: int) -> None:
    facts = CaseworkFacts(END, tuple(CaseFact(opened(1), None, n < count) for n in range(6)))
    assert casework.arbitrations(facts) == count
    assert kpi.band_points(kpi_of("arbitration", "aftersales"), Decimal(count)) == points


@pytest.mark.parametrize(
    ("fen", "points"), [(30000, 100), (29999, 80), (20000, 80), (10000, 60), (9999, 0), (0, 0)]
)
def test_follow_up_service(fen: int, points: int) -> None:
    value = casework.follow_up_yuan(CaseworkFacts(follow_ups=4, recovered_fen=fen))
    assert value == Decimal(fen) / 100
    assert kpi.band_points(kpi_of("follow_up", "presale"), value) == points


def test_no_records_no_data() -> None:
    none = CaseworkFacts(END)
    assert casework.complaint_time(none) is None
    assert casework.arbitrations(none) is None
    assert casework.follow_up_yuan(none) is None


def test_an_aftersales_month_without_cases_scores_as_before_casework() -> None:
    """Reply 100, response 80, QA 70, attendance 100, execution 80: by the sheet before
    casework (15/15/20/20/30) 0.15×100 + 0.15×80 + 0.2×70 + 0.2×100 + 0.3×80 = 85.00; the
    new sheet without cases shares the complaint items' 20% out and gives the same."""
    totals = kpi.Totals(20, 100, 50, 48, 1_200_000, Decimal(9900), Decimal(45000))
    sheet = POLICY.kpi["aftersales"]
    plain = kpi.sheet(sheet, totals, 80, POLICY.sales_plan, qa=Decimal(75), missed=0)
    assert pay.kpi_score(plain) == Decimal("85.00")
    # With two cases (mean 35 h → 80; one arbitration → 100):
    # (0.12×100 + 0.12×80 + 0.16×70 + 0.16×100 + 0.10×80 + 0.10×100 + 0.24×80) / 1 = 86.00
    cases = CaseworkFacts(
        END,
        (
            CaseFact(opened(1), opened(1) + dt.timedelta(hours=30), True),
            CaseFact(opened(2), opened(2) + dt.timedelta(hours=40)),
        ),
    )
    full = kpi.sheet(sheet, totals, 80, POLICY.sales_plan, qa=Decimal(75), missed=0, cases=cases)
    assert pay.kpi_score(full) == Decimal("86.00")


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "call 138 1234 5678",
        "139-1234-5678",
        "１３８１２３４５６７８",
        "021-62345678",
    ],
)
def test_a_phone_number_is_refused(text: str) -> None:
    with pytest.raises(casework.Refusal) as refused:
        casework.no_personal_data(text)
    assert refused.value.key == "personal_data"


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("3478123456789012345", "3478123456789012345"),
        ("TB-2026_11", "TB-2026_11"),
        ("１２３４５", "12345"),
    ],
)
def test_an_order_number(text: str, order: str) -> None:
    assert casework.order_no(text, 40) == order


@pytest.mark.parametrize("text", ["12 34", "A" * 41, "单号123", "", "13812345678"])
def test_not_an_order_number(text: str) -> None:
    with pytest.raises(casework.Refusal):
        casework.order_no(text, 40)
