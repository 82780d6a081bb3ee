"""Metrics use-cases: importing a chat-tool export, and the daily response-time alert."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from bot.bulk import bulk
from bot.importer import Table
from bot.services import Refusal
from rules import attendance as attendance_rules
from rules import close as close_rules
from rules import kpi as kpi_rules
from rules import metrics as metrics_rules
from rules import parse as parse_rules
from rules.policy import Policy
from storage import attendance as attendance_store
from storage import metrics as metrics_store
from storage import payroll as payroll_store
from storage import people as people_store
from storage.attendance import Worked
from storage.db import Database
from storage.models import Person

DAILY_ALERT = "daily-alert"
FIELD_COLUMNS = {
    "consults": "consults",
    "received": "received",
    "reply_rate": "reply_rate_bp",
    "avg_response": "avg_response_ms",
    "inquiries": "inquiries",
    "orders": "orders",
    "payers": "payers",
    "sales": "sales_fen",
}


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    source: str
    rows: int
    added: int
    updated: int
    skipped: list[str]
    first: dt.date | None
    last: dt.date | None
    other_sheets: tuple[str, ...]
    # The shop's public sales the file carried (`shop` rows): (YYYY-MM or YYYY-MM-DD, fen).
    public: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class DayFacts:
    """What the attendance records say about an agent's day."""

    clocked_in: bool
    late_minutes: int
    breaks_over: int
    break_total: dt.timedelta


@dataclass(frozen=True)
class AlertLine:
    """One agent outside the standard, with the day's attendance beside it."""

    person: Person
    flag: metrics_rules.Flag
    facts: DayFacts


@dataclass(frozen=True)
class DailyAlert:
    """Yesterday against the standard: who is outside it, or that figures are missing."""

    day: dt.date
    imported: bool
    lines: list[AlertLine]
    agents_with_figures: int


@dataclass(frozen=True)
class KpiView:
    """The month's KPIs to date for one agent."""

    results: list[kpi_rules.KpiResult]
    earned: Decimal
    covered: Decimal
    days: int


class Metrics:
    """Metrics use-cases over one database and policy."""

    def __init__(self, db: Database, policy: Policy) -> None:
        self.db = db
        self.policy = policy

    async def import_table(
        self, table: Table, *, source: str, by: int | None, at: dt.datetime
    ) -> Imported:
        """Read every row first; only a fully readable file is saved (all of it, at once)."""
        today = at.astimezone(self.policy.tz).date()
        # Parsing a large file takes a while: off the event loop, so others get answers.
        parsed = await asyncio.to_thread(
            bulk, metrics_rules.parse_table, table.header, table.rows, today
        )
        if parsed.problems:
            raise Refusal(
                "import_rejected",
                problems=parsed.problems[: metrics_rules.SHOWN],
                more=max(len(parsed.problems) - metrics_rules.SHOWN, 0),
                source=source,
            )

        def work(session: Session) -> Imported:
            agents = people_store.agents(session=session, leavers=True)
            by_name: dict[str, Person] = {}
            for agent in agents:
                if agent.username_lower:
                    by_name.setdefault(agent.username_lower, agent)
            for agent in agents:
                if agent.im_name:
                    by_name[agent.im_name.strip().lower()] = agent  # the im-name wins
            rows: list[dict[str, Any]] = []
            skipped: dict[str, None] = {}  # in file order, each name once
            public = [(r.period, r.values["sales"]) for r in parsed.records if r.shop]
            payroll_store.save_public_days(
                public, source=source[:200], at=at, by=by, session=session
            )
            for record in parsed.records:
                if record.shop:
                    continue
                person = by_name.get(record.agent.strip().lower().lstrip("@"))
                if person is None or (person.left_on is not None and record.day > person.left_on):
                    skipped.setdefault(record.agent)
                    continue
                row: dict[str, Any] = dict.fromkeys(metrics_store.FIELDS)
                row.update({FIELD_COLUMNS[k]: v for k, v in record.values.items()})
                row.update(
                    person_id=person.id,
                    day=record.day,
                    imported_at=at,
                    imported_by=by,
                    source=source[:200],
                )
                rows.append(row)
            days = [row["day"] for row in rows]
            saved = metrics_store.save(rows, session=session)
            return Imported(
                source=source,
                rows=len(rows),
                added=saved.added,
                updated=saved.updated,
                skipped=[parse_rules.cut(name, 40) for name in skipped],
                first=min(days) if days else None,
                last=max(days) if days else None,
                other_sheets=table.other_sheets,
                public=tuple(public),
            )

        return await self.db.run(work)

    async def kpis(self, person: Person, month: str, execution_score: int) -> KpiView | None:
        """The KPIs of the agent's track so far this month (None if the track has no sheet)."""
        sheet = self.policy.kpi.get(person.track or "")
        if not sheet:
            return None
        window = payroll_store.Window.of(month, self.policy)
        found = await self.db.read(
            lambda session: payroll_store.month_facts(window, session=session, only=person.id)
        )
        nothing = close_rules.MonthFacts(person.id, "", None, person.track, None)
        facts = found[0] if found else nothing
        results = close_rules.kpi_results(facts, self.policy, execution_score)
        earned, covered = kpi_rules.weighted_so_far(results)
        return KpiView(results, earned, covered, facts.metrics.days)

    def yesterday(self, at: dt.datetime) -> dt.date:
        """The day before `at`, in team time."""
        return at.astimezone(self.policy.tz).date() - dt.timedelta(days=1)

    async def daily_alert(self, at: dt.datetime) -> DailyAlert:
        """Yesterday's agents over their track's response threshold or under the reply rate."""
        day = self.yesterday(at)
        tz = self.policy.tz
        start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        end = start + dt.timedelta(days=1)

        def work(session: Session) -> DailyAlert:
            figures = metrics_store.on_day(day, session=session)
            agents = {agent.id: agent for agent in people_store.agents(session=session)}
            figures = [f for f in figures if f.person_id in agents]
            limits = {}
            for figure in figures:
                track = self.policy.tracks.get(agents[figure.person_id].track or "")
                limits[figure.person_id] = (
                    (track.response_alert_seconds, track.reply_rate_alert)
                    if track
                    else (25, Decimal("0.98"))
                )
            flags = metrics_rules.flag_outside_standard(
                [
                    metrics_rules.Figure(f.person_id, f.avg_response_ms, f.reply_rate_bp)
                    for f in figures
                ],
                limits,
            )
            shifts = attendance_store.sessions_between(start, end, session=session)
            lines = [
                AlertLine(agents[flag.person_id], flag, self._facts(flag.person_id, shifts))
                for flag in flags
            ]
            return DailyAlert(day, bool(figures), lines, len(figures))

        return await self.db.read(work)

    def _facts(self, person_id: int, shifts: list[Worked]) -> DayFacts:
        mine = [shift for shift in shifts if shift.work.person_id == person_id]
        if not mine:
            return DayFacts(False, 0, 0, dt.timedelta())
        late = sum(shift.work.late_minutes for shift in mine)
        over, total = 0, dt.timedelta()
        for shift in mine:
            work, breaks = shift.work, shift.breaks
            end = work.ended_at or max(
                [work.started_at, *[b.ended_at or b.started_at for b in breaks]]
            )
            summary = attendance_rules.summarize_session(
                work.started_at,
                end,
                [attendance_rules.Stretch(b.started_at, b.ended_at) for b in breaks],
                self.policy.attendance,
                None,
            )
            over += len(summary.over_limit)
            total += summary.break_total
        return DayFacts(True, late, over, total)
