"""The month close: QA checks, scorecards, payslips, the lock, and the outbox of DMs.

A month is computed live from the records (so appeals and voids still change the
draft) until it is locked; locking stores every agent's scorecard and payslip as
an immutable snapshot with the policy version it used. `rules.pay` does the
arithmetic; this module gathers the records for the whole team in a handful of
queries and keeps the outbox that makes every DM go out at most once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from bot import notices
from bot.notices import Note
from bot.services import Refusal
from bot.services.ledger import CARRY, DEDUCTION
from bot.services.people import People, Target
from rules import attendance as attendance_rules
from rules import kpi as kpi_rules
from rules import ledger as ledger_rules
from rules import parse
from rules import pay as pay_rules
from rules.policy import Policy
from storage import notices as notice_store
from storage import payroll as store
from storage import people as people_store
from storage.db import Database
from storage.ledger import Line
from storage.models import Broadcast, MonthLock, OneOff, Person, QaCheck
from storage.payroll import FAILED, PENDING, SENDING, SENT

DRAFT, PAYSLIP = "draft", "payslip"
SCORECARD = "scorecard.png"  # a draft's photo, drawn when it is sent
ABSENT = "absent"  # the catalogue code of an absence
STRANDED_AFTER = notice_store.STRANDED_AFTER  # for the old outbox's rows too


@dataclass
class Card:
    """One agent's month: the scorecard and the payslip, JSON-ready (Decimals as strings)."""

    person_id: int
    name: str
    username: str | None
    month: str
    track: str | None
    level: str | None
    kpis: list[dict[str, Any]]
    score: str
    grade: str
    points_to: str | None
    ledger_score: int
    entries: list[str]
    demerits: int
    qa_mean: str | None
    qa_checks: int
    attendance: dict[str, int]
    lines: list[dict[str, Any]]
    total: str
    probation: bool
    first_month: bool
    locked: bool = False
    policy_version: str = ""
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """The snapshot stored when the month is locked."""
        return json.dumps(vars(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Card:
        """A stored snapshot."""
        return cls(**json.loads(text))

    @property
    def total_fen(self) -> int:
        """The total in fen."""
        return ledger_rules.to_fen(Decimal(self.total))


@dataclass(frozen=True)
class Month:
    """A month's cards, and whether they are frozen."""

    month: str
    cards: list[Card]
    lock: MonthLock | None

    @property
    def total(self) -> Decimal:
        """The sum of every payslip's total."""
        return sum((Decimal(card.total) for card in self.cards), Decimal("0.00"))


@dataclass(frozen=True)
class Progress:
    """Where a broadcast stands."""

    broadcast: Broadcast
    sent: int
    failed: int  # undeliverable (blocked, never started, given up) or uncertain
    failed_people: list[Person]  # who those rows were for
    left: int

    @property
    def done(self) -> bool:
        """Nothing left to send."""
        return self.left == 0


def policy_version(policy: Policy) -> str:
    """A short fingerprint of the policy values a month was computed with."""
    return hashlib.sha256(policy.model_dump_json().encode()).hexdigest()[:12]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def kpi_extras(
    standing: list[Line], qa: tuple[Decimal, int] | None, leave_days: int
) -> tuple[Decimal | None, int, int]:
    """What the KPI sheet reads beside the metrics: the month's QA mean (to the fen), the
    days missed (absences and approved leave), and the absences among them."""
    absent = sum(1 for line in standing if line.entry.code == ABSENT)
    return (None if qa is None else pay_rules.fen(qa[0])), absent + leave_days, absent


def _years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


def _d(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class Payroll:
    """Month-close use-cases over one database and policy."""

    def __init__(
        self, db: Database, policy: Policy, people: People, notices_: notices.Notices
    ) -> None:
        self.db = db
        self.policy = policy
        self.people = people
        self.notices = notices_
        self.version = policy_version(policy)

    # --- checking what people typed ---------------------------------------------

    def month_asked(self, text: str, at: dt.datetime) -> str:
        """A YYYY-MM month that has begun; refused otherwise."""
        month = parse.month(text)
        if month > ledger_rules.month_of(at, self.policy.tz):
            raise Refusal("month_future", month=month)
        return month

    def month_over(self, month: str, at: dt.datetime) -> str:
        """`month` if it has ended (its payslips may be sent); refused otherwise."""
        if month >= ledger_rules.month_of(at, self.policy.tz):
            _, last = ledger_rules.month_bounds(month)
            raise Refusal("month_not_over", month=month, next=last + dt.timedelta(days=1))
        return month

    def last_month(self, at: dt.datetime) -> str:
        """The month before the one `at` falls in."""
        first = at.astimezone(self.policy.tz).date().replace(day=1)
        return (first - dt.timedelta(days=1)).strftime("%Y-%m")

    # --- QA and one-offs ----------------------------------------------------------

    async def record_qa(
        self,
        actor: Person,
        target: Target,
        score: int,
        note: str,
        *,
        at: dt.datetime,
        chat_id: int,
    ) -> tuple[QaCheck, Person, Decimal, int]:
        """`/qa @user <score>`: a chat-log check, 0–100; returns the month's mean so far."""
        if not 0 <= score <= 100:
            raise Refusal("qa_range", given=str(score))
        person = await self.people.resolve_agent(target, at=at)
        month = ledger_rules.month_of(at, self.policy.tz)

        def work(session: Session) -> tuple[QaCheck, Person, Decimal, int]:
            check = QaCheck(
                person_id=person.id,
                month=month,
                score=score,
                note=note.strip()[:500],
                checked_at=at,
                checked_by=actor.id,
                chat_id=chat_id,
            )
            store.add(session, check)
            mine = store.qa_by_person(session, month, only=person.id)
            mean, count = mine.get(person.id, (Decimal(0), 0))
            return check, person, pay_rules.fen(mean), count

        return await self.db.run(work)

    async def add_one_off(
        self, actor: Person, target: Target, amount: Decimal, reason: str, *, at: dt.datetime
    ) -> tuple[OneOff, Person]:
        """`/oneoff @user <yuan> <reason>`: a one-off bonus on this month's payslip.

        Always a bonus: money taken from pay is a deduction (`/deduct`), which the agent
        is told of and may appeal."""
        fen = ledger_rules.to_fen(amount)
        if not parse.visible(reason) or not 0 < amount <= self.policy.pay.largest_one_off:
            raise Refusal("oneoff_usage")
        person = await self.people.resolve_agent(target, at=at)
        month = ledger_rules.month_of(at, self.policy.tz)

        def work(session: Session) -> tuple[OneOff, Person]:
            if store.lock_of(session, month) is not None:
                raise Refusal("month_locked", month=month)
            row = OneOff(
                person_id=person.id,
                month=month,
                amount_fen=fen,
                reason=reason.strip()[:500],
                added_at=at,
                added_by=actor.id,
            )
            store.add(session, row)
            return row, person

        return await self.db.run(work)

    async def set_hired(
        self, actor: Person, target: Target, hired: dt.date, months: int, *, at: dt.datetime
    ) -> Person:
        """`/hire @user YYYY-MM-DD [probation-months]`: service start and probation.

        The day is neither in the future nor further back than the policy's bound
        (`pay.hire_years_back`): years of service set the guaranteed minimum [000]."""
        today = at.astimezone(self.policy.tz).date()
        earliest = today.replace(year=today.year - self.policy.pay.hire_years_back, day=1)
        if hired > today:
            raise Refusal("hire_future", day=hired)
        if hired < earliest:
            raise Refusal("hire_too_early", day=hired, earliest=earliest)
        if not 0 <= months <= 12:
            raise Refusal("hire_usage")
        until = _add_months(hired, months) - dt.timedelta(days=1) if months else None
        person = await self.people.resolve_agent(target, at=at)

        def work(session: Session) -> Person:
            row = people_store.lock(session, person.id)
            assert row is not None
            row.hired_on = hired
            row.probation_until = until
            people_store.audit(
                session,
                at=at,
                actor_id=actor.id,
                action="hire",
                subject_id=person.id,
                detail=f"{hired.isoformat()} probation {months}",
            )
            return row

        return await self.db.run(work)

    # --- the month ------------------------------------------------------------------

    async def month(self, month: str) -> Month:
        """The month's cards: the snapshots if locked, else computed live from the records."""
        return await self.db.read(lambda session: self._month(session, month))

    def _month(self, session: Session, month: str) -> Month:
        lock = store.lock_of(session, month)
        if lock is not None:
            cards = [Card.from_json(row.card) for row in store.payslips(session, month)]
            return Month(month, cards, lock)
        return Month(month, self._compute(session, month), None)

    async def preview(self, month: str) -> Month:
        """The month's cards for a supervisor or the accountant; refused if nobody was an
        agent then."""
        found = await self.month(month)
        if not found.cards:
            raise Refusal("no_agents", month=month)
        return found

    async def card(self, person: Person, month: str) -> Card | None:
        """One agent's card for a month (None if they were not an agent then)."""

        def work(session: Session) -> Card | None:
            lock = store.lock_of(session, month)
            if lock is not None:
                row = store.payslip_of(session, month, person.id)
                return None if row is None else Card.from_json(row.card)
            found = self._compute(session, month, only=person.id)
            return found[0] if found else None

        return await self.db.read(work)

    async def is_locked(self, month: str) -> bool:
        """True once the month's snapshots are stored."""
        return await self.db.read(lambda session: store.lock_of(session, month) is not None)

    async def lock(self, month: str, *, by: int | None, at: dt.datetime) -> tuple[Month, bool]:
        """Freeze the month's cards as snapshots; (the month, True if this call locked it)."""

        def work(session: Session) -> tuple[Month, bool]:
            if store.lock_of(session, month) is not None:
                return self._month(session, month), False
            cards = self._compute(session, month)
            if not cards:
                raise Refusal("no_agents", month=month)
            lock = MonthLock(month=month, locked_at=at, locked_by=by, policy_version=self.version)
            if not store.try_lock(session, lock):
                return self._month(session, month), False
            for card in cards:
                card.locked = True
            store.save_payslips(
                session,
                [
                    {
                        "month": month,
                        "person_id": card.person_id,
                        "card": card.to_json(),
                        "total_fen": card.total_fen,
                        "policy_version": self.version,
                        "created_at": at,
                    }
                    for card in cards
                ],
            )
            return Month(month, cards, lock), True

        return await self.db.run(work)

    def _compute(self, session: Session, month: str, only: int | None = None) -> list[Card]:
        first, last = ledger_rules.month_bounds(month)
        start, end = ledger_rules.month_span(month, self.policy.tz)
        agents = [
            a
            for a in people_store.agents(session)
            if (only is None or a.id == only) and self._enrolled_by(a, last)
        ]
        if not agents:
            return []
        ledger = store.ledger_by_person(session, month, only)
        metrics = store.metric_totals(session, first, last, only)
        qa = store.qa_by_person(session, month, only)
        leave = store.leave_days(session, first, last, only)
        extras = store.one_offs(session, month, only)
        shifts = store.shifts_by_person(session, start, end, only)
        return [
            self._card(
                agent,
                month,
                first,
                last,
                ledger.get(agent.id, []),
                metrics.get(agent.id),
                qa.get(agent.id),
                leave.get(agent.id, 0),
                extras.get(agent.id, []),
                shifts.get(agent.id, []),
            )
            for agent in agents
        ]

    def _enrolled_by(self, agent: Person, last: dt.date) -> bool:
        hired = self._hired(agent)
        return hired is None or hired <= last

    def _hired(self, agent: Person) -> dt.date | None:
        if agent.hired_on is not None:
            return agent.hired_on
        if agent.enrolled_at is not None:
            return agent.enrolled_at.astimezone(self.policy.tz).date()
        return None

    def _card(
        self,
        agent: Person,
        month: str,
        first: dt.date,
        last: dt.date,
        lines: list[Line],
        days: tuple[int, ...] | None,
        qa: tuple[Decimal, int] | None,
        leave_days: int,
        extras: list[OneOff],
        shifts: list[Any],
    ) -> Card:
        policy = self.policy
        standing = [line for line in lines if line.counts]
        ledger_score = ledger_rules.month_score(
            policy.ledger, [line.entry.points for line in standing]
        )
        qa_mean, missed, absent = kpi_extras(standing, qa, leave_days)
        facts = self._attendance(shifts)
        facts["absent"] = absent
        facts["leave"] = leave_days
        totals = kpi_rules.from_sums(days)
        sheet = policy.kpi.get(agent.track or "", ())
        results = kpi_rules.sheet(
            sheet, totals, ledger_score, policy.sales_plan, qa=qa_mean, missed=missed
        )
        score = (
            pay_rules.kpi_score(results) if sheet else Decimal(ledger_score).quantize(pay_rules.FEN)
        )
        hired = self._hired(agent) or first
        probation = agent.probation_until is not None and agent.probation_until >= last
        first_month = first <= hired <= last
        year = _years_between(hired, last) + 1 if hired <= last else 1
        level = policy.levels.get(agent.level or "")
        notes = [] if level is not None else [f"level {agent.level!r} is not in the policy"]
        full = (
            facts["days"] > 0
            and not facts["late"]
            and not facts["early"]
            and not absent
            and not leave_days
        )
        attendance_note = ", ".join(
            f"{k} {v}" for k, v in facts.items() if v and k != "breaks_over"
        )
        given = pay_rules.Inputs(
            level=agent.level or "-",
            base_pay=level.base_pay if level else Decimal(0),
            probation=probation,
            first_month=first_month,
            year_of_service=year,
            kpi_score=score,
            ledger_score=ledger_score,
            ledger_refs=tuple(f"#{line.entry.id}" for line in standing if line.entry.points),
            sales=ledger_rules.to_yuan(totals.sales_fen or 0),
            full_attendance=full,
            attendance_note=attendance_note,
            fines=tuple(
                pay_rules.Money(
                    f"#{line.entry.id}",
                    ledger_rules.to_yuan(line.entry.cash_fen),
                    "carry" if line.entry.kind == CARRY else "",
                )
                for line in standing
                if line.entry.cash_fen and line.entry.kind != DEDUCTION
            ),
            deductions=tuple(
                pay_rules.Money(
                    f"#{line.entry.id}", ledger_rules.to_yuan(line.entry.cash_fen), line.entry.note
                )
                for line in standing
                if line.entry.kind == DEDUCTION
            ),
            one_offs=tuple(
                pay_rules.Money(f"+{row.id}", ledger_rules.to_yuan(row.amount_fen), row.reason)
                for row in extras
            ),
        )
        payslip = pay_rules.payslip(policy.pay, given)
        return Card(
            person_id=agent.id,
            name=agent.full_name,
            username=agent.username,
            month=month,
            track=agent.track,
            level=agent.level,
            kpis=[
                {
                    "measure": r.kpi.measure,
                    "name": {"zh": r.kpi.name.zh, "en": r.kpi.name.en},
                    "value": _d(None if r.value is None else r.value.quantize(Decimal("0.0001"))),
                    "points": r.points,
                    "weight": str(r.kpi.weight),
                    "bands": [[str(t), p] for t, p in r.kpi.bands],
                    "better": r.kpi.better,
                }
                for r in results
            ],
            score=str(score),
            grade=pay_rules.by_threshold(policy.month.grades, score, policy.month.grade_otherwise),
            points_to=pay_rules.by_threshold(policy.month.levels, score, "") or None,
            ledger_score=ledger_score,
            entries=[f"#{line.entry.id}" for line in standing],
            demerits=sum(1 for line in standing if line.entry.demerit),
            qa_mean=_d(qa_mean),
            qa_checks=0 if qa is None else qa[1],
            attendance=facts,
            lines=[
                {
                    "code": line.code,
                    "amount": str(line.amount),
                    "reason": line.reason,
                    "sources": list(line.sources),
                }
                for line in payslip
            ],
            total=str(pay_rules.total(payslip)),
            probation=probation,
            first_month=first_month,
            policy_version=self.version,
            notes=notes,
        )

    def _attendance(self, shifts: list[Any]) -> dict[str, int]:
        tz, rules = self.policy.tz, self.policy.attendance
        worked, late, early, over = set(), 0, 0, 0
        for work, breaks in shifts:
            worked.add(work.started_at.astimezone(tz).date())
            late += 1 if work.late_minutes > 0 else 0
            if work.ended_at is None:
                continue
            if not work.auto_closed and attendance_rules.left_early(
                work.ended_at, work.shift_end, rules
            ):
                early += 1
            over += attendance_rules.breaks_over_limit(
                [attendance_rules.Stretch(b.started_at, b.ended_at) for b in breaks],
                work.ended_at,
                rules,
            )
        return {"days": len(worked), "late": late, "early": early, "breaks_over": over}

    # --- the runs of DMs (through the outbox) -----------------------------------------

    async def start_broadcast(
        self,
        month: str,
        kind: str,
        *,
        at: dt.datetime,
        by: int | None,
        chat_id: int | None,
        cards: list[Card] | None = None,
    ) -> tuple[Broadcast, bool]:
        """The month's run of `kind` DMs, one outbox row per agent; (run, True if new).

        Payslips (protected content) go to the agents of the locked month's snapshots;
        drafts (text and a chart) to the agents of `cards`, the month just computed.
        The run and its rows are written in one transaction."""
        lock_day = self.policy.month.lock_day

        def work(session: Session) -> tuple[Broadcast, bool]:
            existing = store.broadcast_of(session, month, kind)
            if existing is not None:
                return existing, False
            given = (
                [Card.from_json(row.card) for row in store.payslips(session, month)]
                if kind == PAYSLIP
                else list(cards or [])
            )
            if not given:
                raise Refusal("no_agents", month=month)
            run = Broadcast(month=month, kind=kind, started_at=at, started_by=by, chat_id=chat_id)
            created = store.start_broadcast(session, run, [], at)
            if created is None:
                found = store.broadcast_of(session, month, kind)
                assert found is not None
                return found, False
            assert created.id is not None
            self.notices.record(session, self._run_notes(created.id, kind, given, lock_day), at=at)
            return created, True

        return await self.db.run(work)

    def _run_notes(self, run_id: int, kind: str, cards: list[Card], lock_day: int) -> list[Note]:
        template = "payslip_dm" if kind == PAYSLIP else "draft_dm"
        return [
            Note(
                f"{kind}:{card.month}:{card.person_id}",
                notices.person(card.person_id),
                template,
                {"c": card, "detail": False, "lock_day": lock_day},
                lane=notices.BULK,
                protect=kind == PAYSLIP,
                photo_name=SCORECARD if kind == DRAFT else None,
                broadcast_id=run_id,
                person_id=card.person_id,
            )
            for card in cards
        ]

    async def broadcast(self, month: str, kind: str = PAYSLIP) -> Broadcast | None:
        """The month's run of `kind` DMs, if started."""
        return await self.db.read(lambda session: store.broadcast_of(session, month, kind))

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        """Remember the message that shows the run's progress (edited as it goes)."""

        def work(session: Session) -> None:
            row = session.get(Broadcast, broadcast_id)
            if row is not None:
                row.message_id = message_id

        await self.db.run(work)

    async def unfinished(self, at: dt.datetime) -> list[Broadcast]:
        """Runs not finished. A run begun before the outbox took every message (its rows
        in the old `outbox` table) gets its unsent rows moved over; rows it left mid-send
        stay `uncertain`, never resent."""

        def work(session: Session) -> list[Broadcast]:
            runs = store.open_broadcasts(session)
            for run in runs:
                assert run.id is not None
                store.strand(session, run.id, at, older_than=at - STRANDED_AFTER)
                waiting = store.outbox(session, run.id, PENDING)
                if not waiting:
                    continue
                people = {row.person_id for row in waiting}
                if run.kind == PAYSLIP:
                    cards = [
                        Card.from_json(row.card)
                        for row in store.payslips(session, run.month)
                        if row.person_id in people
                    ]
                else:
                    cards = [c for c in self._compute(session, run.month) if c.person_id in people]
                notes = self._run_notes(run.id, run.kind, cards, self.policy.month.lock_day)
                self.notices.record(session, notes, at=at)
                store.move_to_notices(session, run.id, at)
            return runs

        return await self.db.run(work)

    async def progress(
        self, broadcast_id: int, *, finish_at: dt.datetime | None = None
    ) -> Progress:
        """Counts so far (the old outbox's and the outbox's); with `finish_at`, mark the run
        finished when nothing is left."""

        def work(session: Session) -> Progress:
            run = session.get(Broadcast, broadcast_id)
            assert run is not None
            counts = notice_store.counts(session, broadcast_id)
            old = store.outbox_counts(session, broadcast_id)
            failed = notice_store.of_run(
                session, broadcast_id, notice_store.FAILED, notice_store.UNCERTAIN
            )
            old_failed = store.outbox_people(session, broadcast_id, *FAILED)
            people = old_failed + [
                person
                for row in failed
                if (person := people_store.get(session, row.person_id or row.chat_id)) is not None
            ]
            left = sum(counts.get(s, 0) for s in (notice_store.PENDING, notice_store.SENDING))
            left += old.get(PENDING, 0) + old.get(SENDING, 0)
            sent = counts.get(notice_store.SENT, 0) + old.get(SENT, 0)
            if finish_at is not None and left == 0 and run.finished_at is None:
                run.finished_at = finish_at
            return Progress(run, sent, len(people), people, left)

        return await self.db.run(work)
