"""The monthly KPI sheet: figures to date → each KPI's value, band points and weight.

Pure functions over the policy's KPI sheets [domain.md §3; seeds 004 attachment 2
and 001]. Values are Decimal: rates as fractions, times in seconds, money in yuan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rules import casework
from rules.casework import NO_CASEWORK, CaseworkFacts
from rules.policy import Kpi

TWO = Decimal("0.01")


@dataclass(frozen=True)
class Totals:
    """A month of daily figures, summed (None where no day had that figure)."""

    days: int
    consults: int | None
    orders: int | None
    payers: int | None
    sales_fen: int | None
    reply_rate_bp: Decimal | None  # mean over the days that had it
    response_ms: Decimal | None  # likewise


@dataclass(frozen=True)
class KpiResult:
    """One KPI so far: its value (None = no data yet), band points and weight."""

    kpi: Kpi
    value: Decimal | None
    points: int | None

    @property
    def weighted(self) -> Decimal | None:
        """Points × weight, the KPI's share of the total."""
        return None if self.points is None else (self.kpi.weight * self.points).quantize(TWO)


def total(
    days: list[tuple[int | None, int | None, int | None, int | None, int | None, int | None]],
) -> Totals:
    """Sum (consults, orders, payers, sales_fen) and average (reply_bp, response_ms) over days."""

    def add(index: int) -> int | None:
        values = [day[index] for day in days if day[index] is not None]
        return sum(v for v in values if v is not None) if values else None

    def mean(index: int) -> Decimal | None:
        values = [Decimal(v) for day in days if (v := day[index]) is not None]
        return sum(values, Decimal(0)) / len(values) if values else None

    return Totals(len(days), add(0), add(1), add(2), add(3), mean(4), mean(5))


@dataclass(frozen=True)
class MonthFigure:
    """One daily figure over a month: its sum and how many days had it (integers, so the
    means are exact)."""

    total: int = 0
    days: int = 0

    @property
    def sum(self) -> int | None:
        """The sum, or None when no day had the figure."""
        return self.total if self.days else None

    @property
    def mean(self) -> Decimal | None:
        """The mean over the days that had it, or None."""
        return Decimal(self.total) / self.days if self.days else None


NO_FIGURE = MonthFigure()


@dataclass(frozen=True)
class MetricSums:
    """An agent's month of imported figures as storage sums them."""

    days: int = 0
    consults: MonthFigure = NO_FIGURE
    orders: MonthFigure = NO_FIGURE
    payers: MonthFigure = NO_FIGURE
    sales_fen: MonthFigure = NO_FIGURE
    reply_rate_bp: MonthFigure = NO_FIGURE
    avg_response_ms: MonthFigure = NO_FIGURE


NO_METRICS = MetricSums()


def from_sums(sums: MetricSums) -> Totals:
    """The month's totals from storage's sums."""
    return Totals(
        sums.days,
        sums.consults.sum,
        sums.orders.sum,
        sums.payers.sum,
        sums.sales_fen.sum,
        sums.reply_rate_bp.mean,
        sums.avg_response_ms.mean,
    )


def band_points(kpi: Kpi, value: Decimal) -> int:
    """The points of the first band the value reaches (≥ for higher-is-better, ≤ for lower)."""
    for threshold, points in kpi.bands:
        reached = value >= threshold if kpi.better == "higher" else value <= threshold
        if reached:
            return points
    return kpi.otherwise


def _ratio(numerator: int | None, denominator: int | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def measure(
    kpi: Kpi,
    totals: Totals,
    execution_score: int,
    plan: Decimal,
    *,
    qa: Decimal | None = None,
    missed: int | None = None,
    cases: CaseworkFacts = NO_CASEWORK,
) -> Decimal | None:
    """The KPI's value from the month's figures so far (None when there is nothing to go on).

    `qa` is the month's mean QA check, `missed` the days of leave and absence, `cases`
    the month's casework (complaints, follow-ups: `rules.casework`).
    """
    sales = None if totals.sales_fen is None else Decimal(totals.sales_fen) / 100
    match kpi.measure:
        case "target_completion":
            return None if sales is None else sales / plan
        case "consult_conversion":
            return _ratio(totals.orders, totals.consults)
        case "order_success":
            return _ratio(totals.payers, totals.orders)
        case "avg_order_value":
            return None if sales is None or not totals.payers else sales / totals.payers
        case "reply_rate":
            return None if totals.reply_rate_bp is None else totals.reply_rate_bp / 10000
        case "response_time":
            return None if totals.response_ms is None else totals.response_ms / 1000
        case "execution":
            return Decimal(execution_score)
        case "qa":
            return qa
        case "attendance":
            return None if missed is None else Decimal(missed)
        case "follow_up":
            return casework.follow_up_yuan(cases)
        case "complaint_time":
            return casework.complaint_time(cases)
        case "arbitration":
            return casework.arbitrations(cases)
        case _:
            return None


def sheet(
    kpis: tuple[Kpi, ...],
    totals: Totals,
    execution_score: int,
    plan: Decimal,
    *,
    qa: Decimal | None = None,
    missed: int | None = None,
    cases: CaseworkFacts = NO_CASEWORK,
) -> list[KpiResult]:
    """Every KPI of a track's sheet so far. Execution's points are the score itself (0–100)."""
    results: list[KpiResult] = []
    for kpi in kpis:
        value = measure(kpi, totals, execution_score, plan, qa=qa, missed=missed, cases=cases)
        if value is None:
            results.append(KpiResult(kpi, None, None))
        elif kpi.measure == "execution":
            results.append(KpiResult(kpi, value, max(0, min(100, int(value)))))
        else:
            results.append(KpiResult(kpi, value, band_points(kpi, value)))
    return results


def weighted_so_far(results: list[KpiResult]) -> tuple[Decimal, Decimal]:
    """(the weighted points earned, the share of the sheet's weight that has data)."""
    earned = sum((r.weighted for r in results if r.weighted is not None), Decimal(0))
    covered = sum((r.kpi.weight for r in results if r.points is not None), Decimal(0))
    return earned.quantize(TWO), covered
