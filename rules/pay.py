"""The month close as arithmetic: the scorecard's total and grade, and the payslip's lines.

Pure functions over the policy's `[pay]` and `[month]` data [domain.md §1–§4, §7].
Money is Decimal yuan; every line is rounded once, half-up to the fen, and the
total is the sum of the printed lines. Each line keeps its reason (the rule, the
policy value) and its sources (ledger ids, KPI figures, days) so that it explains
itself on the payslip and in `/payslip YYYY-MM detail`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from rules.kpi import KpiResult
from rules.policy import Pay

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def fen(amount: Decimal) -> Decimal:
    """Round once, half-up, to the fen."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


# --- the scorecard ---------------------------------------------------------------


def kpi_score(results: Sequence[KpiResult]) -> Decimal:
    """The month's KPI score, 0–100, to two decimals.

    Σ weight × points over the KPIs that have data, divided by the weight those
    KPIs cover: a KPI with no figures at all (no export carries it) shares its
    weight out among the others instead of counting as zero.
    """
    covered = sum((r.kpi.weight for r in results if r.points is not None), Decimal(0))
    if not covered:
        return ZERO
    earned = sum((r.kpi.weight * r.points for r in results if r.points is not None), Decimal(0))
    return fen(earned / covered)


def by_threshold(table: Sequence[tuple[Decimal, str]], score: Decimal, otherwise: str) -> str:
    """The label of the first row whose threshold the score reaches (rows best first)."""
    for threshold, label in table:
        if score >= threshold:
            return label
    return otherwise


# --- the payslip -----------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """A record behind a line: a ledger entry, a one-off bonus …, with its yuan."""

    ref: str  # "#12" for ledger entries, "+3" for one-off bonuses
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class Inputs:
    """Everything one agent's payslip is computed from, gathered by the caller."""

    level: str
    base_pay: Decimal
    probation: bool
    first_month: bool
    year_of_service: int  # 1 in the first year
    kpi_score: Decimal
    ledger_score: int  # the daily assessment: base 80 + points, at most 100
    ledger_refs: tuple[str, ...]  # the entries behind the ledger score
    sales: Decimal  # personal sales in yuan, from the imported metrics
    full_attendance: bool
    attendance_note: str  # why not (late 2, leave 1 …), or the days worked
    fines: tuple[Money, ...] = ()  # positive = a fine; negative = a fine refunded
    one_offs: tuple[Money, ...] = ()
    deductions: tuple[Money, ...] = ()  # money paid back (`/deduct`), positive


@dataclass(frozen=True)
class Line:
    """One line of a payslip: what, how much, why (rule and values) and from which records."""

    code: str
    amount: Decimal
    reason: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()


def _line(code: str, amount: Decimal, sources: Sequence[str] = (), /, **reason: object) -> Line:
    return Line(code, fen(amount), {k: str(v) for k, v in reason.items()}, tuple(sources))


def commission_rate(pay: Pay, score: Decimal) -> Decimal:
    """The commission rate the KPI score earns [004: >95 3%, ≥85 2%, ≥70 1%, else 0]."""
    for band in pay.commission:
        if score > band.score or (band.inclusive and score == band.score):
            return band.rate
    return Decimal(0)


def minimum_for(pay: Pay, year_of_service: int) -> Decimal:
    """The guaranteed monthly minimum in a year of service; the last year repeats [000]."""
    if not pay.minimum:
        return Decimal(0)
    return pay.minimum[min(max(year_of_service, 1), len(pay.minimum)) - 1]


def payslip(pay: Pay, given: Inputs) -> list[Line]:
    """The payslip's lines in order [domain.md §2, §7]; the total is `total(lines)`."""
    lines = [_line("base", given.base_pay, level=given.level, base=given.base_pay)]
    if given.probation:
        cut = given.base_pay * (1 - pay.probation_rate)
        lines.append(_line("probation", -cut, rate=pay.probation_rate, base=given.base_pay))
    if pay.post_wage:
        lines.append(_line("post", pay.post_wage, value=pay.post_wage))
    seniority = pay.seniority_per_year * (given.year_of_service - 1)
    if seniority:
        lines.append(
            _line(
                "seniority",
                seniority,
                per_year=pay.seniority_per_year,
                years=given.year_of_service - 1,
            )
        )
    lines.append(
        _line(
            "full_attendance",
            pay.full_attendance if given.full_attendance else Decimal(0),
            value=pay.full_attendance,
            earned="yes" if given.full_attendance else "no",
            facts=given.attendance_note,
        )
    )
    for name, amount in pay.allowances.items():
        lines.append(_line(f"allowance:{name}", amount, name=name, value=amount))
    lines.append(_performance(pay, given))
    lines.append(_commission(pay, given))
    points = max(-pay.points_limit, min(pay.points_limit, given.ledger_score - pay.points_base))
    lines.append(
        _line(
            "points",
            pay.points_yuan * points,
            given.ledger_refs,
            score=given.ledger_score,
            base=pay.points_base,
            points=points,
            per_point=pay.points_yuan,
            limit=pay.points_limit,
        )
    )
    fines = sum((m.amount for m in given.fines), Decimal(0))
    if given.fines:
        lines.append(_line("fines", -fines, [m.ref for m in given.fines], count=len(given.fines)))
    floor = minimum_for(pay, given.year_of_service)
    subtotal = total(lines)
    if subtotal < floor:
        lines.append(
            _line(
                "minimum",
                floor - subtotal,
                minimum=floor,
                year=given.year_of_service,
                subtotal=subtotal,
            )
        )
    for extra in given.one_offs:
        lines.append(_line("one_off", extra.amount, [extra.ref], note=extra.note))
    # Paid back after the minimum, as one-offs are added after it: a top-up never
    # repays what an agent owes [004: a price changed without approval is paid back].
    for owed in given.deductions:
        lines.append(_line("deduction", -owed.amount, [owed.ref], note=owed.note))
    return lines


def _performance(pay: Pay, given: Inputs) -> Line:
    """Pool × KPI score ÷ 100; none under 70, none in the first month [004]."""
    why = {"pool": pay.performance_pool, "score": given.kpi_score, "floor": pay.performance_floor}
    if given.first_month:
        return _line("performance", Decimal(0), status="first_month", **why)
    if given.kpi_score < pay.performance_floor:
        return _line("performance", Decimal(0), status="under_floor", **why)
    return _line(
        "performance", pay.performance_pool * given.kpi_score / 100, status="earned", **why
    )


def _commission(pay: Pay, given: Inputs) -> Line:
    """Personal sales × the rate of the KPI score's band; none on probation [004, 001]."""
    rate = Decimal(0) if given.probation else commission_rate(pay, given.kpi_score)
    return _line(
        "commission",
        given.sales * rate,
        sales=given.sales,
        rate=rate,
        score=given.kpi_score,
        status="probation" if given.probation else "earned",
    )


def total(lines: Sequence[Line]) -> Decimal:
    """The sum of the printed lines."""
    return sum((line.amount for line in lines), ZERO)
