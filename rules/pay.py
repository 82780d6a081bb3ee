"""The month close as arithmetic: the scorecard's total and grade, and the payslip's lines.

Pure functions over the policy's `[pay]` and `[month]` data [domain.md §1–§4, §7].
Money is Decimal yuan; every line is rounded once, half-up to the fen, and the
total is the sum of the printed lines. Each line keeps its reason (the rule, the
policy value, why an amount is zero), its sources (ledger ids) and its items (each
fine by name, day and yuan) so that an agent can rebuild it from the payslip and
`/payslip YYYY-MM detail` [issue 14].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from rules.kpi import KpiResult
from rules.policy import CommissionBand, Names, Pay
from rules.review import Applied

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def fen(amount: Decimal) -> Decimal:
    """Round once, half-up, to the fen."""
    return amount.quantize(FEN, ROUND_HALF_UP)


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


# --- the payslip: an ordered table of components ------------------------------------


@dataclass(frozen=True)
class Money:
    """A record behind a line: a ledger entry, a one-off bonus …, with its yuan; a fine
    also with its catalogue code, that code's name and the day it was logged."""

    ref: str  # "#12" for ledger entries, "+3" for one-off bonuses
    amount: Decimal
    note: str = ""
    code: str = ""
    name: Names | None = None  # None: no catalogue entry (a fine given back, an old code)
    day: dt.date | None = None


@dataclass(frozen=True)
class Inputs:
    """Everything one agent's payslip is computed from (built by `rules.close`)."""

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
    fines: tuple[Money, ...] = ()  # positive = a fine; negative = a fine refunded
    one_offs: tuple[Money, ...] = ()
    deductions: tuple[Money, ...] = ()  # money paid back (`/deduct`), positive
    # What cost full attendance, each count by name (late, early, absent, leave; days 0
    # when no day was worked): the line says why in words.
    attendance_missed: tuple[tuple[str, int], ...] = ()
    ledger_raw: int | None = None  # the daily assessment before its cap (base + points)
    sells: bool = True  # the track has personal sales: False = no commission line
    # Joining and leaving mid-month [004; kefu's choice where the seeds are silent]: the
    # month's calendar days, those employed, and those on probation (None: `probation`
    # says whether the whole month was); 0 days in the month = a whole month.
    month_days: int = 0
    days_employed: int = 0
    probation_days: int | None = None
    joined: dt.date | None = None  # the service start, when after the month's 1st
    left: dt.date | None = None  # the last working day, when in the month

    @property
    def whole_month(self) -> bool:
        """Employed every day of the month (or the days were not given)."""
        return self.share(self.days_employed) is None

    def share(self, days: int) -> Decimal | None:
        """`days` of the month as a fraction of its days, None for the whole month."""
        if not self.month_days or days >= self.month_days:
            return None
        return Decimal(max(days, 0)) / self.month_days

    def days_reason(self, days: int) -> dict[str, int]:
        """A pro-rated line's reason keys ("18 of 30 days"), none for a whole month."""
        return {} if self.share(days) is None else {"employed": days, "of": self.month_days}

    def prorated(self, amount: Decimal, days: int | None = None) -> Decimal:
        """`amount` × `days` (default: the days employed) ÷ the month's days, exact (the
        line rounds it once) [kefu's choice: calendar days]."""
        counted = self.days_employed if days is None else days
        if self.share(counted) is None:
            return amount
        return amount * counted / self.month_days

    # Team-level inputs (`rules.close.TeamFacts`): the shop's public sales of the month
    # (None: no figure) and the number of agents with a card that month.
    public_sales: Decimal | None = None
    agents: int = 0
    review: Applied | None = None  # last year's confirmed annual review


@dataclass(frozen=True, slots=True)
class PayLine:
    """One line of a payslip: what, how much, why (rule and values), from which records,
    and the records themselves where the payslip lists them (the fines)."""

    code: str
    amount: Decimal
    reason: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    items: tuple[Money, ...] = ()


def _line(code: str, amount: Decimal, sources: Sequence[str] = (), /, **reason: object) -> PayLine:
    return PayLine(code, fen(amount), {k: str(v) for k, v in reason.items()}, tuple(sources))


# A component reads the pay policy, the agent's inputs and the lines before it, and
# yields its line (or lines: one per allowance, one-off, deduction), or nothing.
Component = Callable[[Pay, Inputs, Sequence[PayLine]], Iterator[PayLine]]
COMPONENTS: dict[str, Component] = {}


def component(name: str) -> Callable[[Component], Component]:
    """Register a payslip component under the name the policy's `[pay] components` uses."""

    def register(function: Component) -> Component:
        COMPONENTS[name] = function
        return function

    return register


def unknown_components(pay: Pay) -> list[str]:
    """The names in the policy's `[pay] components` that no component answers to."""
    return [name for name in pay.components if name not in COMPONENTS]


def payslip(pay: Pay, given: Inputs) -> list[PayLine]:
    """The payslip's lines, component by component in the policy's order
    [domain.md §2, §7]; the total is `total(lines)`."""
    lines: list[PayLine] = []
    for name in pay.components:
        lines.extend(COMPONENTS[name](pay, given, lines))
    return lines


@component("base")
def base(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """Base pay by level [004: 基本工资 by post; domain.md §1], pro-rated by the calendar
    days employed in a month joined or left [kefu's choice: the seeds are silent]."""
    days = given.days_reason(given.days_employed)
    amount = given.prorated(given.base_pay)
    yield _line("base", amount, level=given.level, base=given.base_pay, **days)


@component("probation")
def probation(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """Probation pays `probation_rate` of base [004: 3500 → 2800]; a month only partly on
    probation (it ends, or the agent joins or leaves, mid-month) cuts base × (1 − rate)
    × the days employed on probation ÷ the month's days [kefu's choice]."""
    days = given.probation_days
    if days is None:  # the whole month, or none of it
        on, days = given.probation, given.month_days
    else:
        on = days > 0
    if on:
        cut = given.prorated(given.base_pay * (1 - pay.probation_rate), days)
        why = given.days_reason(days)
        yield _line("probation", -cut, rate=pay.probation_rate, base=given.base_pay, **why)


@component("post")
def post(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """The post wage [004: 岗位工资], when the shop sets one."""
    if pay.post_wage:
        days = given.days_reason(given.days_employed)
        yield _line("post", given.prorated(pay.post_wage), value=pay.post_wage, **days)


@component("seniority")
def seniority(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """Seniority per completed year of service [004: 工龄工资], when the shop sets one;
    pro-rated by the days employed."""
    years = given.year_of_service - 1
    amount = pay.seniority_per_year * years
    if amount:
        days = given.days_reason(given.days_employed)
        yield _line(
            "seniority",
            given.prorated(amount),
            per_year=pay.seniority_per_year,
            years=years,
            **days,
        )


@component("full_attendance")
def full_attendance(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """The full-attendance bonus [004: 全勤奖 100]: shown either way; not earned, it keeps
    each count that cost it (late 2, absent 1 …) as data, for each language's payslip to
    say in words. It needs the whole month: joined or left mid-month, it is not earned and
    says the day [kefu's choice: 全勤 is the whole month]."""
    earned = given.full_attendance and given.whole_month
    why: dict[str, object] = {}
    if not given.whole_month:
        why |= {"joined": given.joined} if given.joined else {}
        why |= {"left": given.left} if given.left else {}
    if not given.full_attendance:
        why |= dict(given.attendance_missed)
    yield _line(
        "full_attendance",
        pay.full_attendance if earned else Decimal(0),
        value=pay.full_attendance,
        earned="yes" if earned else "no",
        **why,
    )


@component("allowances")
def allowances(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """One line per allowance [004: phone 100, transport 100, meals 200]."""
    days = given.days_reason(given.days_employed)
    for name, amount in pay.allowances.items():
        yield _line(f"allowance:{name}", given.prorated(amount), name=name, value=amount, **days)


@component("performance")
def performance(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """Pool × KPI score ÷ 100; none under 70, none in the first month, none in the month
    an agent leaves [004: 每名员工在合同期内辞职,当月绩效奖金为零]."""
    why = {"pool": pay.performance_pool, "score": given.kpi_score, "floor": pay.performance_floor}
    if given.first_month:
        yield _line("performance", Decimal(0), status="first_month", **why)
    elif given.left is not None:
        yield _line("performance", Decimal(0), status="left", left=given.left, **why)
    elif given.kpi_score < pay.performance_floor:
        yield _line("performance", Decimal(0), status="under_floor", **why)
    else:
        amount = pay.performance_pool * given.kpi_score / 100
        yield _line("performance", amount, status="earned", **why)


@component("commission")
def commission(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """Personal sales × the rate of the KPI score's band [004]; none on probation [001].

    A track without personal sales (the policy's `sells = false`: aftersales) has no
    commission line at all; a zero line says why: probation, a score under the lowest
    band, or no sales."""
    if not given.sells:
        return
    band = commission_band(pay, given.kpi_score)
    rate = Decimal(0) if given.probation or band is None else band.rate
    lowest = pay.commission[-1] if pay.commission else None
    if given.probation:
        status = "probation"
    elif band is None:
        status = "under_floor"
    elif not given.sales:
        status = "no_sales"
    else:
        status = "earned"
    yield _line(
        "commission",
        given.sales * rate,
        sales=given.sales,
        rate=rate,
        score=given.kpi_score,
        status=status,
        floor="" if lowest is None else lowest.score,
        floor_inclusive="yes" if lowest is None or lowest.inclusive else "no",
    )


@component("points")
def points(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """The daily assessment: `points_yuan` a point away from `points_base`, within
    ±`points_limit` points [004]. `raw` keeps the points before the month's cap and this
    limit clipped them, so the payslip can say "-22 points, counted as -20"."""
    moved = max(-pay.points_limit, min(pay.points_limit, given.ledger_score - pay.points_base))
    uncapped = given.ledger_score if given.ledger_raw is None else given.ledger_raw
    yield _line(
        "points",
        pay.points_yuan * moved,
        given.ledger_refs,
        score=given.ledger_score,
        base=pay.points_base,
        points=moved,
        raw=uncapped - pay.points_base,
        per_point=pay.points_yuan,
        limit=pay.points_limit,
    )


@component("fines")
def fines(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """The month's cash fines by the catalogue's ladders, one line [000, 003]; a fine
    refunded after its month was locked counts back."""
    if given.fines:
        amount = sum((m.amount for m in given.fines), Decimal(0))
        refs = tuple(m.ref for m in given.fines)
        count = {"count": str(len(given.fines))}
        yield PayLine("fines", fen(-amount), count, refs, items=given.fines)


@component("minimum")
def minimum(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """A top-up to the guaranteed minimum of the year of service [000], over the lines
    before it; in a month joined or left, the minimum is pro-rated by the days employed
    as base pay is [kefu's choice: the seed names a monthly figure only]."""
    full = minimum_for(pay, given.year_of_service)
    floor = fen(given.prorated(full))
    subtotal = total(lines)
    days = given.days_reason(given.days_employed)
    if subtotal < floor:
        yield _line(
            "minimum",
            floor - subtotal,
            minimum=full,
            year=given.year_of_service,
            subtotal=subtotal,
            **(days | {"prorated": floor} if days else {}),
        )


@component("one_offs")
def one_offs(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """One-off bonuses a supervisor added (`/oneoff`), after the minimum."""
    for extra in given.one_offs:
        yield _line("one_off", extra.amount, [extra.ref], note=extra.note)


@component("deductions")
def deductions(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """Money paid back (`/deduct`), after the minimum as one-offs are: a top-up never
    repays what an agent owes [004: a price changed without approval is paid back]."""
    for owed in given.deductions:
        yield _line("deduction", -owed.amount, [owed.ref], note=owed.note)


def commission_band(pay: Pay, score: Decimal) -> CommissionBand | None:
    """The commission band the KPI score reaches, None under the lowest [004]."""
    for band in pay.commission:
        if score > band.score or (band.inclusive and score == band.score):
            return band
    return None


def commission_rate(pay: Pay, score: Decimal) -> Decimal:
    """The commission rate the KPI score earns [004: >95 3%, ≥85 2%, ≥70 1%, else 0]."""
    band = commission_band(pay, score)
    return Decimal(0) if band is None else band.rate


def minimum_for(pay: Pay, year_of_service: int) -> Decimal:
    """The guaranteed monthly minimum in a year of service; the last year repeats [000]."""
    if not pay.minimum:
        return Decimal(0)
    return pay.minimum[min(max(year_of_service, 1), len(pay.minimum)) - 1]


def total(lines: Sequence[PayLine]) -> Decimal:
    """The sum of the printed lines."""
    return sum((line.amount for line in lines), ZERO)


@component("annual_review")
def annual_review(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """Last year's confirmed annual review moves this year's performance pay by its
    grade's figure [000 第十一条]: the performance line × the adjustment; no confirmed
    review (or not assessed), no line."""
    if given.review is None:
        return
    earned = sum((line.amount for line in lines if line.code == "performance"), ZERO)
    yield _line(
        "annual_review",
        earned * given.review.adjustment,
        year=given.review.year,
        grade=given.review.grade,
        adjustment=given.review.adjustment,
        performance=earned,
    )


@component("shared_commission")
def shared_commission(pay: Pay, given: Inputs, lines: Sequence[PayLine]) -> Iterator[PayLine]:
    """The shared commission [000 第10条: 公共销售业绩总额×0.5%÷客服人数]: the shop's public
    sales × the rate ÷ the month's agents, rounded once to the fen; no figure for the
    month, a rate of 0 or no agents: no line."""
    rate = pay.shared_commission_rate
    if given.public_sales is None or not rate or given.agents <= 0:
        return
    yield _line(
        "shared_commission",
        given.public_sales * rate / given.agents,
        sales=given.public_sales,
        rate=rate,
        agents=given.agents,
    )
