"""The month close as one pure function: an agent's month of facts → scorecard and payslip.

Storage gathers each agent-month into a `MonthFacts` (`storage.payroll.month_facts`);
`close` turns facts and the policy into a `Card` — the scorecard (KPI sheet, score,
grade, the level it points to) and the payslip (`rules.pay`'s ordered components).
The use-case only loads, calls this and stores the result [domain.md §1–§4, §7].
A card is stored as JSON when its month is locked; `Card.from_json` reads every
snapshot written since the first release.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import orjson

from rules import kpi as kpi_rules
from rules import ledger as ledger_rules
from rules import pay as pay_rules
from rules.casework import NO_CASEWORK, CaseworkFacts
from rules.kpi import NO_METRICS, MetricSums
from rules.policy import UNITS, Names, Policy
from rules.policy import Kpi as KpiRule
from rules.review import Applied
from rules.standing import Place

VALUE_PLACES = Decimal("0.0001")  # a KPI value as the card keeps it


# --- the facts -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntryFact:
    """A standing (not voided) ledger entry of the month."""

    id: int
    code: str
    kind: str  # violation, bonus, adjust, carry, deduction
    points: int
    cash_fen: int
    demerit: bool = False
    note: str = ""
    day: dt.date | None = None  # the team-time day it was logged (a fine's line on the payslip)


@dataclass(frozen=True, slots=True)
class OneOffFact:
    """A one-off bonus of the month (`/oneoff`)."""

    id: int
    amount_fen: int
    reason: str


@dataclass(frozen=True, slots=True)
class ShiftFacts:
    """What the month's clock-ins say: days worked, late and early days, long breaks."""

    days: int = 0
    late: int = 0
    early: int = 0  # left before the shift's end by more than the grace (not auto-closed)
    breaks_over: int = 0  # breaks past the limit, in shifts that ended


@dataclass(frozen=True, slots=True)
class QaFacts:
    """The month's chat-log QA checks: the sum of their scores and how many."""

    total: int
    checks: int

    @property
    def mean(self) -> Decimal:
        """The mean score, exact."""
        return Decimal(self.total) / self.checks


@dataclass(frozen=True, slots=True)
class MonthFacts:
    """One agent's month, as storage gathers it: everything the close reads."""

    person_id: int
    name: str
    username: str | None
    track: str | None
    level: str | None
    hired_on: dt.date | None = None  # `/hire`; else the enrolment day counts
    enrolled_at: dt.datetime | None = None
    probation_until: dt.date | None = None
    left_on: dt.date | None = None  # `/resign`: the last working day
    entries: tuple[EntryFact, ...] = ()
    metrics: MetricSums = NO_METRICS
    qa: QaFacts | None = None
    leave_days: int = 0  # approved
    shifts: ShiftFacts = ShiftFacts()
    one_offs: tuple[OneOffFact, ...] = ()
    expected_days: int = 0  # the roster's working days while employed [issue 16]
    casework: CaseworkFacts = NO_CASEWORK  # complaints, follow-ups, discounts [issue 17]


@dataclass(frozen=True, slots=True)
class TeamFacts:
    """What the month's close reads about the team as a whole: the shop's public sales
    in fen (None: no figure for the month), the number of agents with a card that month
    (None: the cards being closed, all of the team's), and each agent's confirmed review
    of the year before (by person)."""

    public_sales_fen: int | None = None
    agents: int | None = None
    reviews: Mapping[int, Applied] = field(default_factory=dict)


NO_TEAM = TeamFacts()


# --- the card --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KpiLine:
    """One KPI on a card: its value (None = no data), band points, weight and bands."""

    measure: str
    name: Names
    value: Decimal | None
    points: int | None
    weight: Decimal
    bands: tuple[tuple[Decimal, int], ...]
    better: str

    @property
    def unit(self) -> str:
        """What the value is in (percent, seconds, yuan, days, score)."""
        return UNITS[self.measure]

    @property
    def weighted(self) -> Decimal | None:
        """Band points × weight, the KPI's share of the score before the weight of KPIs
        without data is shared out (exact: weights have two decimals)."""
        return None if self.points is None else self.weight * self.points


@dataclass(frozen=True, slots=True)
class MonthAttendance:
    """The month's attendance as the scorecard shows it."""

    days: int = 0
    late: int = 0
    early: int = 0
    breaks_over: int = 0
    absent: int = 0
    leave: int = 0
    expected_days: int = 0  # by the roster, leave days included [issue 16]

    @property
    def missed(self) -> int:
        """Days missed: absences and approved leave (the attendance KPI [001])."""
        return self.absent + self.leave

    def note(self) -> str:
        """The counts that are not zero, but breaks, in short ("days 20, late 2"): a
        summary for the hand-computed cases, never shown (each language's payslip says
        them in words from the full-attendance line's counts)."""
        counts = (
            ("days", self.days),
            ("late", self.late),
            ("early", self.early),
            ("absent", self.absent),
            ("leave", self.leave),
        )
        return ", ".join(f"{key} {value}" for key, value in counts if value)


# A card's notes are codes, each said in words by each language's template.
UNKNOWN_LEVEL = "unknown_level"  # the agent's level is not in the policy: base pay 0
# The one note the first release wrote, in English: read back as its code.
_OLD_NOTES = re.compile(r"level .* is not in the policy")


@dataclass(slots=True)
class Card:
    """One agent's month: the scorecard and the payslip. A level is kept by its key and
    shown by its name (`level_name`, `points_to_name`: the policy's, when it was closed)."""

    person_id: int
    name: str
    username: str | None
    month: str
    track: str | None
    level: str | None
    kpis: tuple[KpiLine, ...]
    score: Decimal
    grade: str
    points_to: str | None
    ledger_score: int
    entries: tuple[str, ...]
    demerits: int
    qa_mean: Decimal | None
    qa_checks: int
    attendance: MonthAttendance
    lines: tuple[pay_rules.PayLine, ...]
    total: Decimal
    probation: bool
    first_month: bool
    locked: bool = False
    policy_version: str = ""
    notes: list[str] = field(default_factory=list)  # codes: UNKNOWN_LEVEL
    level_name: Names | None = None
    points_to_name: Names | None = None
    points_lost: int = 0  # Σ of the month's negative points (the ranking's tie-break)
    # Joining and leaving mid-month: the calendar days employed (None: a snapshot from
    # before they were kept, always a whole month), the service start and the last
    # working day when they fall in the month.
    days_employed: int | None = None
    joined_on: dt.date | None = None
    left_on: dt.date | None = None

    @property
    def month_days(self) -> int:
        """The month's calendar days."""
        first, last = ledger_rules.month_bounds(self.month)
        return (last - first).days + 1

    @property
    def employed(self) -> int:
        """The calendar days employed in the month."""
        return self.month_days if self.days_employed is None else self.days_employed

    @property
    def partial(self) -> bool:
        """Employed for part of the month only (joined or left in it)."""
        return self.employed < self.month_days

    @property
    def total_fen(self) -> int:
        """The total in fen."""
        return ledger_rules.to_fen(self.total)

    @property
    def kpi_covered(self) -> Decimal:
        """The share of the sheet's weight whose KPIs have data: below 1, the weight of
        the others was shared out (`rules.pay.kpi_score`)."""
        return sum((k.weight for k in self.kpis if k.points is not None), Decimal(0))

    @property
    def kpi_earned(self) -> Decimal:
        """Σ band points × weight over the KPIs with data; the score is this ÷ `kpi_covered`,
        rounded to two decimals."""
        return sum((k.weighted for k in self.kpis if k.weighted is not None), Decimal(0))

    def to_json(self) -> str:
        """The snapshot stored when the month is locked (the first release's shape)."""
        return orjson.dumps(_as_data(self)).decode()

    @classmethod
    def from_json(cls, text: str) -> Card:
        """A stored snapshot."""
        return _from_data(orjson.loads(text))


# --- the rules -------------------------------------------------------------------------


def service_start(facts: MonthFacts, policy: Policy) -> dt.date | None:
    """The first day of service: `/hire`'s date, else the enrolment day [000: years of
    service set the guaranteed minimum]."""
    if facts.hired_on is not None:
        return facts.hired_on
    if facts.enrolled_at is not None:
        return facts.enrolled_at.astimezone(policy.tz).date()
    return None


def assessed(facts: MonthFacts, month: str, policy: Policy) -> bool:
    """True when the agent's service began by the month's last day and did not end
    before its first (`/resign`'s last working day)."""
    first, last = ledger_rules.month_bounds(month)
    start = service_start(facts, policy)
    begun = start is None or start <= last
    return begun and (facts.left_on is None or facts.left_on >= first)


@dataclass(frozen=True, slots=True)
class Employed:
    """The calendar days of a month an agent was employed: from the later of the service
    start and the 1st to the earlier of the last working day and the month's end [kefu's
    choice: calendar days; the seeds do not say how a partial month is paid]."""

    first: dt.date
    last: dt.date
    month_days: int
    joined: dt.date | None = None  # the service start, when after the 1st
    left: dt.date | None = None  # the last working day, when in the month

    @property
    def days(self) -> int:
        """Days employed in the month."""
        return max((self.last - self.first).days + 1, 0)

    def days_until(self, day: dt.date | None) -> int:
        """Days employed in the month up to `day` (probation's last day), 0 for None."""
        if day is None:
            return 0
        return max((min(self.last, day) - self.first).days + 1, 0)


def employment(facts: MonthFacts, month: str) -> Employed:
    """The month's days employed, from `/hire`'s date and the last working day. The
    enrolment day alone does not pro-rate [kefu's choice]: it is when the bot learnt of
    the agent, who may have worked the whole month (a shop setting the bot up); `/hire`
    gives the real day."""
    first, last = ledger_rules.month_bounds(month)
    start = facts.hired_on
    left = facts.left_on
    return Employed(
        first=first if start is None else max(first, start),
        last=last if left is None else min(last, left),
        month_days=(last - first).days + 1,
        joined=start if start is not None and first < start <= last else None,
        left=left if left is not None and first <= left <= last else None,
    )


def years_of_service(start: dt.date, last: dt.date) -> int:
    """The year of service `last` falls in: 1 in the first year [000]."""
    years = last.year - start.year
    return (years - 1 if (last.month, last.day) < (start.month, start.day) else years) + 1


def on_probation(facts: MonthFacts, last: dt.date) -> bool:
    """A probation month is one that probation covers to its last day employed [004]:
    no commission [001]; the probation cut itself counts the days (`Employed`)."""
    return facts.probation_until is not None and facts.probation_until >= last


def attendance(facts: MonthFacts) -> MonthAttendance:
    """The month's attendance: the clock-ins' counts, absences logged, approved leave."""
    absent = sum(1 for entry in facts.entries if entry.code == ledger_rules.ABSENT)
    shifts = facts.shifts
    return MonthAttendance(
        shifts.days,
        shifts.late,
        shifts.early,
        shifts.breaks_over,
        absent,
        facts.leave_days,
        facts.expected_days,
    )


def missed_full_attendance(seen: MonthAttendance) -> tuple[tuple[str, int], ...]:
    """What cost full attendance, each count by name: no day worked (`days` 0), late
    arrivals, early leaves, absences, days of leave [004: 全勤奖]; empty when earned.

    Days worked fewer than the roster's expected days do not cost it by themselves
    (an agent enrolled mid-month, make-up punches still pending): a rostered day not
    worked costs it through the absence the absence check logs, which reads the
    roster, so a holiday never costs it and an adjusted working day (调休) does
    [issue 16]."""
    counts = (("late", seen.late), ("early", seen.early), ("absent", seen.absent))
    none_worked = (("days", 0),) if seen.days <= 0 else ()
    return none_worked + tuple((key, n) for key, n in (*counts, ("leave", seen.leave)) if n)


def full_attendance(seen: MonthAttendance) -> bool:
    """Full attendance: days worked and no late arrival, early leave, absence or leave in
    the month [004: 全勤奖]."""
    return not missed_full_attendance(seen)


def kpi_results(facts: MonthFacts, policy: Policy, ledger_score: int) -> list[kpi_rules.KpiResult]:
    """The track's KPI sheet over the month [004 attachment 2; 001]: the imported
    figures, execution = the daily assessment, QA = the checks' mean (to the fen),
    attendance = days of leave and absence."""
    sheet = policy.kpi.get(facts.track or "", ())
    missed = attendance(facts).missed
    totals = kpi_rules.from_sums(facts.metrics)
    qa = qa_mean(facts)
    return kpi_rules.sheet(
        sheet, totals, ledger_score, policy.sales_plan, qa=qa, missed=missed, cases=facts.casework
    )


def qa_mean(facts: MonthFacts) -> Decimal | None:
    """The month's QA mean to the fen, as the KPI sheet reads it and the card shows it."""
    return None if facts.qa is None else pay_rules.fen(facts.qa.mean)


def month_score(results: list[kpi_rules.KpiResult], ledger_score: int) -> Decimal:
    """The month's score: the KPI sheet's; a track with no sheet is scored by the daily
    assessment alone [004: 日常考核 when no KPI applies]."""
    if results:
        return pay_rules.kpi_score(results)
    return Decimal(ledger_score).quantize(pay_rules.FEN)


def fine_item(entry: EntryFact, policy: Policy) -> pay_rules.Money:
    """A cash fine as the payslip lists it: its catalogue code's name, its day, its yuan
    [000 cash fines]; a fine given back (a void after its month was locked) keeps the
    entry and month it gives back."""
    found = policy.catalogue.get(entry.code or "")
    return pay_rules.Money(
        f"#{entry.id}",
        ledger_rules.to_yuan(entry.cash_fen),
        entry.note if entry.kind == ledger_rules.CARRY else "",
        code=entry.code or "",
        name=None if found is None else found.name,
        day=entry.day,
    )


def sells(facts: MonthFacts, policy: Policy) -> bool:
    """True when the agent's track has personal sales (commission applies); an unknown
    track is taken to sell, so a commission line is never lost silently."""
    track = policy.tracks.get(facts.track or "")
    return track is None or track.sells


def pay_inputs(
    facts: MonthFacts,
    policy: Policy,
    month: str,
    score: Decimal,
    ledger_score: int,
    seen: MonthAttendance,
    team: TeamFacts = NO_TEAM,
) -> pay_rules.Inputs:
    """What the payslip's components read, from the facts, the month's score and its
    attendance, with the team-level ones: public sales, the month's agents [000 第10条],
    the agent's confirmed review of last year [000 第十一条]."""
    first, last = ledger_rules.month_bounds(month)
    start = service_start(facts, policy) or first
    span = employment(facts, month)
    level = policy.levels.get(facts.level or "")
    deduction = ledger_rules.DEDUCTION
    points = sum(e.points for e in facts.entries)
    sales = team.public_sales_fen
    return pay_rules.Inputs(
        level=facts.level or "-",
        base_pay=level.base_pay if level else Decimal(0),
        probation=on_probation(facts, span.last),
        first_month=first <= start <= last,
        year_of_service=years_of_service(start, span.last) if start <= span.last else 1,
        kpi_score=score,
        ledger_score=ledger_score,
        ledger_refs=tuple(f"#{e.id}" for e in facts.entries if e.points),
        sales=ledger_rules.to_yuan(facts.metrics.sales_fen.total),
        full_attendance=full_attendance(seen),
        attendance_missed=missed_full_attendance(seen),
        ledger_raw=policy.ledger.base + points,
        sells=sells(facts, policy),
        fines=tuple(
            fine_item(e, policy) for e in facts.entries if e.cash_fen and e.kind != deduction
        ),
        deductions=tuple(
            pay_rules.Money(f"#{e.id}", ledger_rules.to_yuan(e.cash_fen), e.note)
            for e in facts.entries
            if e.kind == deduction
        ),
        one_offs=tuple(
            pay_rules.Money(f"+{o.id}", ledger_rules.to_yuan(o.amount_fen), o.reason)
            for o in facts.one_offs
        ),
        month_days=span.month_days,
        days_employed=span.days,
        probation_days=span.days_until(facts.probation_until),
        joined=span.joined,
        left=span.left,
        public_sales=None if sales is None else ledger_rules.to_yuan(sales),
        agents=team.agents or 0,
        review=team.reviews.get(facts.person_id),
    )


def points_lost(facts: MonthFacts) -> int:
    """The month's points lost: Σ of the standing entries' negative points, as a positive
    number (the ranking's first tie-break, `rules.standing`)."""
    return -sum(e.points for e in facts.entries if e.points < 0)


def place(card: Card) -> Place:
    """A card's place in the month's ranking, before ranking."""
    return Place(card.person_id, card.month, card.score, card.points_lost, card.name)


def without_one_off(card: Card, ref: str) -> Card:
    """A locked card amended when its one-off `ref` ("+N") is voided before the payslips
    went out: that line removed, the total recomputed. One-offs come after the
    guaranteed minimum (`rules.pay`), so no other line depends on it."""
    lines = tuple(
        line for line in card.lines if not (line.code == "one_off" and ref in line.sources)
    )
    return replace(card, lines=lines, total=pay_rules.total(lines))


def _kpi_line(result: kpi_rules.KpiResult) -> KpiLine:
    rule: KpiRule = result.kpi
    value = None if result.value is None else result.value.quantize(VALUE_PLACES)
    return KpiLine(
        rule.measure, rule.name, value, result.points, rule.weight, rule.bands, rule.better
    )


def close(
    facts: MonthFacts, policy: Policy, month: str, version: str, team: TeamFacts = NO_TEAM
) -> Card:
    """One agent's card for `month`: scorecard and payslip, by `policy` (whose
    fingerprint is `version`), with the team-level facts of the month."""
    ledger_score = ledger_rules.month_score(policy.ledger, [e.points for e in facts.entries])
    results = kpi_results(facts, policy, ledger_score)
    score = month_score(results, ledger_score)
    seen = attendance(facts)
    given = pay_inputs(facts, policy, month, score, ledger_score, seen, team)
    lines = pay_rules.payslip(policy.pay, given)
    known = facts.level in policy.levels
    points_to = pay_rules.by_threshold(policy.month.levels, score, "") or None
    return Card(
        person_id=facts.person_id,
        name=facts.name,
        username=facts.username,
        month=month,
        track=facts.track,
        level=facts.level,
        kpis=tuple(_kpi_line(r) for r in results),
        score=score,
        grade=pay_rules.by_threshold(policy.month.grades, score, policy.month.grade_otherwise),
        points_to=points_to,
        level_name=level_name(policy, facts.level),
        points_to_name=level_name(policy, points_to),
        ledger_score=ledger_score,
        entries=tuple(f"#{e.id}" for e in facts.entries),
        demerits=sum(1 for e in facts.entries if e.demerit),
        qa_mean=qa_mean(facts),
        qa_checks=0 if facts.qa is None else facts.qa.checks,
        attendance=seen,
        lines=tuple(lines),
        total=pay_rules.total(lines),
        probation=given.probation,
        first_month=given.first_month,
        policy_version=version,
        notes=[] if known else [UNKNOWN_LEVEL],
        points_lost=points_lost(facts),
        days_employed=given.days_employed,
        joined_on=given.joined,
        left_on=given.left,
    )


def level_name(policy: Policy, key: str | None) -> Names | None:
    """The names of the level `key` in `policy`; None for a key the policy does not know."""
    found = policy.levels.get(key or "")
    return None if found is None else found.name


def named(card: Card, policy: Policy) -> Card:
    """The card with the names of its level and the level its score points to, from
    `policy` where the card has none (a snapshot stored before cards kept them)."""
    return replace(
        card,
        level_name=card.level_name or level_name(policy, card.level),
        points_to_name=card.points_to_name or level_name(policy, card.points_to),
    )


# --- the snapshot's JSON -----------------------------------------------------------------


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@functools.lru_cache(maxsize=256)
def _bands_data(bands: tuple[tuple[Decimal, int], ...]) -> list[list[Any]]:
    """A KPI's bands as the snapshot keeps them (shared by every card of a sheet)."""
    return [[str(threshold), points] for threshold, points in bands]


@functools.lru_cache(maxsize=256)
def _name_data(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _day_data(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _names_data(names: Names | None) -> dict[str, str] | None:
    return None if names is None else _name_data(names.zh, names.en)


def _names(data: dict[str, str] | None) -> Names | None:
    return None if data is None else Names.model_construct(zh=data["zh"], en=data["en"])


def _item_data(item: pay_rules.Money) -> dict[str, Any]:
    """A record listed under a line (a fine), as the snapshot keeps it."""
    return {
        "ref": item.ref,
        "amount": str(item.amount),
        "note": item.note,
        "code": item.code,
        "name": None if item.name is None else _name_data(item.name.zh, item.name.en),
        "day": None if item.day is None else item.day.isoformat(),
    }


def _item(data: dict[str, Any]) -> pay_rules.Money:
    name, day = data.get("name"), data.get("day")
    return pay_rules.Money(
        data["ref"],
        Decimal(data["amount"]),
        data.get("note", ""),
        code=data.get("code", ""),
        name=_names(name),
        day=None if day is None else dt.date.fromisoformat(day),
    )


def _as_data(card: Card) -> dict[str, Any]:
    seen = card.attendance
    return {
        "person_id": card.person_id,
        "name": card.name,
        "username": card.username,
        "month": card.month,
        "track": card.track,
        "level": card.level,
        "kpis": [
            {
                "measure": k.measure,
                "name": _name_data(k.name.zh, k.name.en),
                "value": _text(k.value),
                "points": k.points,
                "weight": str(k.weight),
                "bands": _bands_data(k.bands),
                "better": k.better,
            }
            for k in card.kpis
        ],
        "score": str(card.score),
        "grade": card.grade,
        "points_to": card.points_to,
        "ledger_score": card.ledger_score,
        "entries": list(card.entries),
        "demerits": card.demerits,
        "qa_mean": _text(card.qa_mean),
        "qa_checks": card.qa_checks,
        "attendance": {
            "days": seen.days,
            "late": seen.late,
            "early": seen.early,
            "breaks_over": seen.breaks_over,
            "absent": seen.absent,
            "leave": seen.leave,
            "expected_days": seen.expected_days,
        },
        "lines": [
            {
                "code": line.code,
                "amount": str(line.amount),
                "reason": line.reason,
                "sources": list(line.sources),
                "items": [_item_data(item) for item in line.items],
            }
            for line in card.lines
        ],
        "total": str(card.total),
        "probation": card.probation,
        "first_month": card.first_month,
        "locked": card.locked,
        "policy_version": card.policy_version,
        "notes": card.notes,
        "level_name": _names_data(card.level_name),
        "points_to_name": _names_data(card.points_to_name),
        "points_lost": card.points_lost,
        "days_employed": card.days_employed,
        "joined_on": _day_data(card.joined_on),
        "left_on": _day_data(card.left_on),
    }


_COUNTS = frozenset({"days", "late", "early", "absent", "leave"})


def _reason(line: dict[str, Any], seen: MonthAttendance) -> dict[str, str]:
    """A line's reason as stored; a full-attendance line not earned that was stored
    before it kept its counts (the first release) takes them from the card's own
    attendance, so that it too says why in words."""
    reason: dict[str, str] = line["reason"]
    if line["code"] != "full_attendance" or reason.get("earned") != "no" or _COUNTS & set(reason):
        return reason
    return reason | {key: str(count) for key, count in missed_full_attendance(seen)}


def _from_data(data: dict[str, Any]) -> Card:
    seen = MonthAttendance(**data["attendance"])
    return Card(
        person_id=data["person_id"],
        name=data["name"],
        username=data["username"],
        month=data["month"],
        track=data["track"],
        level=data["level"],
        kpis=tuple(
            KpiLine(
                k["measure"],
                Names.model_construct(zh=k["name"]["zh"], en=k["name"]["en"]),
                _number(k["value"]),
                k["points"],
                Decimal(k["weight"]),
                tuple((Decimal(t), int(p)) for t, p in k["bands"]),
                k["better"],
            )
            for k in data["kpis"]
        ),
        score=Decimal(data["score"]),
        grade=data["grade"],
        points_to=data["points_to"],
        ledger_score=data["ledger_score"],
        entries=tuple(data["entries"]),
        demerits=data["demerits"],
        qa_mean=_number(data["qa_mean"]),
        qa_checks=data["qa_checks"],
        attendance=seen,
        lines=tuple(
            pay_rules.PayLine(
                line["code"],
                Decimal(line["amount"]),
                _reason(line, seen),
                tuple(line["sources"]),
                tuple(_item(item) for item in line.get("items", ())),
            )
            for line in data["lines"]
        ),
        total=Decimal(data["total"]),
        probation=data["probation"],
        first_month=data["first_month"],
        locked=data.get("locked", False),
        policy_version=data.get("policy_version", ""),
        notes=[UNKNOWN_LEVEL if _OLD_NOTES.fullmatch(n) else n for n in data.get("notes", [])],
        level_name=_names(data.get("level_name")),
        points_to_name=_names(data.get("points_to_name")),
        points_lost=data.get("points_lost", 0),
        days_employed=data.get("days_employed"),
        joined_on=_day(data.get("joined_on")),
        left_on=_day(data.get("left_on")),
    )


def close_month(
    facts: list[MonthFacts],
    policy: Policy,
    month: str,
    version: str,
    team: TeamFacts = NO_TEAM,
) -> list[Card]:
    """The cards of every agent assessed in `month` (service begun by its last day, not
    ended before its first); the team's size is the number of those cards unless `team`
    gives it (one agent's card closed alone)."""
    closing = [one for one in facts if assessed(one, month, policy)]
    if team.agents is None:
        team = replace(team, agents=len(closing))
    return [close(one, policy, month, version, team) for one in closing]
