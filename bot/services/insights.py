"""Read models for the Mini App's pictures [issue 18]: an agent's KPIs over the last
months, the team's score distribution for a month, an agent's attendance calendar and
their month on the roster.

Nothing here recomputes a rule: the KPIs come from the month's cards (`Payroll`: locked
months from their snapshots, the current one live), the plan from `Roster` and
`Rostering` (what `/roster` shows), the days from the stored sessions, leave and
absence entries, each counted by `rules.attendance` as the month close counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from sqlmodel import Session

from bot.services.payroll import Payroll
from bot.services.roster import Roster
from bot.services.rostering import Cell, Rostering
from rules import attendance as attendance_rules
from rules import dashboard as dashboard_rules
from rules import ledger as ledger_rules
from rules import streaks as streak_rules
from rules.close import Card, KpiLine
from rules.dashboard import HOLIDAY, LEAVE, REST, Bracket
from rules.policy import Names, Policy
from storage import attendance as attendance_store
from storage import ledger as ledger_store
from storage import people as people_store
from storage import rhythm as rhythm_store
from storage.db import Database
from storage.models import Person, WorkSession

SHIFT = "shift"  # a roster day on a shift (the others: LEAVE, REST, HOLIDAY)


class KpiPoint(NamedTuple):
    """One KPI in one month (value None: no data, or no card that month)."""

    month: str
    value: Decimal | None
    points: int | None


@dataclass(frozen=True)
class KpiSeries:
    """One KPI over the months, with its bands as the latest card has them."""

    measure: str
    name: Names
    unit: str
    better: str
    weight: Decimal
    bands: tuple[tuple[Decimal, int], ...]
    points: list[KpiPoint]


@dataclass(frozen=True)
class Trend:
    """An agent's months, oldest first: each month's card (None: not an agent then)."""

    months: list[str]
    cards: list[Card | None]
    kpis: list[KpiSeries]


@dataclass(frozen=True)
class Distribution:
    """The month's scores by bracket, lowest first."""

    month: str
    locked: bool
    agents: int
    brackets: list[Bracket]


@dataclass(frozen=True)
class Day:
    """One day of an agent's attendance calendar."""

    day: dt.date
    kind: str
    shift: str | None = None  # the planned shift
    late_minutes: int = 0
    early: bool = False


@dataclass(frozen=True)
class PlanDay:
    """One day of an agent's roster: a shift, rest, a holiday off, or leave."""

    day: dt.date
    kind: str
    shift: str | None
    workday: bool = False  # an adjusted working day (调休)


@dataclass(frozen=True)
class MyRoster:
    """An agent's month on the roster; `hidden` when it is a draft not yet published
    (agents hear of it at publishing)."""

    month: str
    draft: bool
    hidden: bool = False
    days: list[PlanDay] = field(default_factory=list)


def series(cards: list[Card | None], months: list[str]) -> list[KpiSeries]:
    """Each KPI on any of the cards over `months`, in the latest card's order first (its
    bands the latest card's); a month without the KPI has no value."""
    latest: dict[str, KpiLine] = {}
    for card in reversed(cards):
        for line in card.kpis if card else ():
            latest.setdefault(line.measure, line)
    by_month = [{k.measure: k for k in card.kpis} if card else {} for card in cards]
    return [
        KpiSeries(
            measure,
            line.name,
            line.unit,
            line.better,
            line.weight,
            line.bands,
            [
                KpiPoint(month, found.value, found.points)
                if (found := lines.get(measure))
                else KpiPoint(month, None, None)
                for month, lines in zip(months, by_month, strict=True)
            ],
        )
        for measure, line in latest.items()
    ]


class Insights:
    """The Mini App's read models over the payroll, the roster and the records."""

    def __init__(
        self, db: Database, policy: Policy, payroll: Payroll, roster: Roster, rostering: Rostering
    ) -> None:
        self.db = db
        self.policy = policy
        self.payroll = payroll
        self.roster = roster
        self.rostering = rostering

    async def agents(self, today: dt.date) -> list[Person]:
        """The agents employed today, by name (the pages' agent picker)."""
        return await self.db.read(lambda session: people_store.agents(session=session, on=today))

    async def trend(self, person: Person, month: str, count: int = 6) -> Trend:
        """The agent's `count` months up to `month`: each month's card (locked months
        from their snapshots, the others live) and each KPI's series."""
        months = [*streak_rules.months_before(month, count - 1), month]
        cards = [await self.payroll.card(person, one) for one in months]
        return Trend(months, cards, series(cards, months))

    async def distribution(self, month: str) -> Distribution:
        """How many agents' month scores fall in each grade's bracket."""
        found = await self.payroll.month(month)
        counted = dashboard_rules.brackets((card.score for card in found.cards), self.policy)
        return Distribution(month, found.lock is not None, len(found.cards), counted)

    async def calendar(self, person: Person, month: str, today: dt.date) -> list[Day]:
        """Each day of the agent's month on the attendance calendar."""
        return await self.db.read(lambda session: self._calendar(session, person, month, today))

    def _calendar(self, session: Session, person: Person, month: str, today: dt.date) -> list[Day]:
        first, last = ledger_rules.month_bounds(month)
        tz = self.policy.tz
        plans = self.roster.plans([person], first, last, session=session)[person.id]
        leave = rhythm_store.approved_leave_between(first, last, session=session).get(person.id)
        start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        worked = self._worked(attendance_store.sessions_of(person.id, start, end, session=session))
        absent = {
            self._absence_day(line.entry.note, line.entry.logged_at, first, last)
            for line in ledger_store.month_lines(person.id, month, session=session)
            if line.counts and line.entry.code == ledger_rules.ABSENT
        }
        joined = person.enrolled_at.astimezone(tz).date() if person.enrolled_at else first
        days = []
        for day, planned in plans.items():
            shifts = worked.get(day)
            kind = dashboard_rules.day_kind(
                day,
                today,
                planned,
                holiday=self.roster.calendar.is_holiday(day),
                employed=joined <= day and (person.left_on is None or day <= person.left_on),
                worked=None if shifts is None else (shifts[0] > 0, shifts[1]),
                absent=day in absent,
                leave=day in (leave or ()),
            )
            days.append(Day(day, kind, planned.shift, *(shifts or (0, False))))
        return days

    def _worked(self, shifts: list[WorkSession]) -> dict[dt.date, tuple[int, bool]]:
        """Per team-time day: the minutes late and whether a shift was left early (a
        shift the bot closed after a forgotten clock-out is not an early leave)."""
        found: dict[dt.date, tuple[int, bool]] = {}
        for one in shifts:
            day = one.started_at.astimezone(self.policy.tz).date()
            early = (
                one.ended_at is not None
                and not one.auto_closed
                and attendance_rules.left_early(one.ended_at, one.shift_end, self.policy.attendance)
            )
            late, before = found.get(day, (0, False))
            found[day] = (max(late, one.late_minutes), before or early)
        return found

    def _absence_day(
        self, note: str, logged: dt.datetime, first: dt.date, last: dt.date
    ) -> dt.date:
        """The day an absence entry is for: the day the absence card names (its note),
        else the day it was logged."""
        try:
            day = dt.date.fromisoformat(note.strip())
        except ValueError:
            return logged.astimezone(self.policy.tz).date()
        return day if first <= day <= last else logged.astimezone(self.policy.tz).date()

    async def my_roster(self, person: Person, month: str, *, draft_too: bool) -> MyRoster:
        """The agent's month as `/roster` shows it; a draft not yet published only to
        supervisors (`draft_too`)."""
        view = await self.rostering.month(month, only=person.id)
        if view.draft and not draft_too:
            return MyRoster(month, True, hidden=True)
        cells = next((cells for who, cells in view.rows if who.id == person.id), {})
        days = [
            self._plan_day(day, cells[day], view.kinds.get(day))
            for day in view.days
            if day in cells
        ]
        return MyRoster(month, view.draft, days=days)

    @staticmethod
    def _plan_day(day: dt.date, cell: Cell, kind: str | None) -> PlanDay:
        workday = kind == "workday"
        if cell.leave:
            return PlanDay(day, LEAVE, cell.shift, workday)
        if cell.shift is not None:
            return PlanDay(day, SHIFT, cell.shift, workday)
        return PlanDay(day, HOLIDAY if kind == "holiday" else REST, None, workday)
