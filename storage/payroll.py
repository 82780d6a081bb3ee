"""The month close: QA checks, one-offs, month locks, payslip snapshots, broadcasts, outbox.

Reads are batched per month (one query per kind of record for the whole team), so
closing a month costs a handful of queries however many agents there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, func, literal, or_, true, update
from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from rules import holidays as holiday_rules
from rules import ledger as ledger_rules
from rules import review as review_rules
from rules import roster as roster_rules
from rules.casework import NO_CASEWORK, CaseFact, CaseworkFacts
from rules.close import EntryFact, MonthFacts, OneOffFact, QaFacts, ShiftFacts, TeamFacts
from rules.holidays import NO_HOLIDAYS, Calendar
from rules.kpi import NO_METRICS, MetricSums, MonthFigure
from rules.policy import Policy
from rules.standing import Place
from storage import levels as levels_store
from storage import review as review_store
from storage import roster as roster_store
from storage import unique
from storage.ledger import LedgerLine, lines_where
from storage.models import (
    BreakPeriod,
    Broadcast,
    ComplaintCase,
    DailyMetric,
    FollowUp,
    LeaveRequest,
    LedgerEntry,
    LedgerVoid,
    MonthLock,
    OneOff,
    Outbox,
    Payslip,
    Person,
    PublicSales,
    QaCheck,
    WorkSession,
    display_name,
)
from storage.types import epoch_us
from storage.unique import Duplicate

NO_SHIFTS = ShiftFacts()
AMONG_LIMIT = 1000  # `places(among=…)`: above this many agents, read all and keep those
DAY = dt.timedelta(days=1)
DAY_US = 86_400_000_000


@dataclass(frozen=True)
class QaRecord:
    """A chat-log QA check as stored."""

    id: int
    person_id: int
    month: str
    score: int
    note: str


@dataclass(frozen=True)
class OneOffRecord:
    """A one-off bonus as stored."""

    id: int
    person_id: int
    month: str
    amount_fen: int
    reason: str
    source: str = ""  # "" a supervisor's /oneoff; "streak", "star": added at the lock
    voided_at: dt.datetime | None = None


def add_qa(
    person_id: int,
    month: str,
    score: int,
    note: str,
    *,
    session: Session,
    at: dt.datetime,
    by: int,
    chat_id: int,
) -> QaRecord:
    """Store a QA check."""
    row = QaCheck(
        person_id=person_id,
        month=month,
        score=score,
        note=note,
        checked_at=at,
        checked_by=by,
        chat_id=chat_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return QaRecord(row.id, person_id, month, score, note)


def add_one_off(
    person_id: int,
    month: str,
    amount_fen: int,
    reason: str,
    *,
    session: Session,
    at: dt.datetime,
    by: int,
    source: str = "",
) -> OneOffRecord:
    """Store a one-off bonus (`source`: who put it there, "" a supervisor)."""
    row = OneOff(
        person_id=person_id,
        month=month,
        amount_fen=amount_fen,
        reason=reason,
        added_at=at,
        added_by=by,
        source=source,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return OneOffRecord(row.id, person_id, month, amount_fen, reason, source)


def one_off(one_off_id: int, *, session: Session) -> OneOffRecord | None:
    """One one-off by its id, voided or not."""
    row = session.get(OneOff, one_off_id)
    if row is None or row.id is None:
        return None
    return OneOffRecord(
        row.id, row.person_id, row.month, row.amount_fen, row.reason, row.source, row.voided_at
    )


def void_one_off(
    one_off_id: int, reason: str, *, session: Session, at: dt.datetime, by: int
) -> bool:
    """Mark a one-off void (kept, no longer on the payslip); False if it was already."""
    result = session.execute(
        update(OneOff)
        .where(col(OneOff.id) == one_off_id, col(OneOff.voided_at).is_(None))
        .values(voided_at=at, voided_by=by, void_reason=reason)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def amend_payslip(
    month: str, person_id: int, card: str, total_fen: int, *, session: Session
) -> None:
    """Replace a locked payslip's snapshot (a one-off voided before the payslips went out)."""
    session.execute(
        update(Payslip)
        .where(col(Payslip.month) == month, col(Payslip.person_id) == person_id)
        .values(card=card, total_fen=total_fen)
    )


def star_of(month: str, *, session: Session) -> int | None:
    """The agent marked the locked month's service star, if any."""
    query = select(Payslip.person_id).where(Payslip.month == month, col(Payslip.star))
    return session.exec(query).first()


# An outbox row's life: pending -> sending -> sent | undeliverable; a row a crash left
# `sending` becomes uncertain (never sent again).
PENDING, SENDING, SENT = "pending", "sending", "sent"
UNDELIVERABLE, UNCERTAIN = "undeliverable", "uncertain"
FAILED = (UNDELIVERABLE, UNCERTAIN)
MOVED = "moved"  # an unsent row of a run begun before the notice outbox, moved there

# Every month-wide read takes `only`: one agent's id (a single card), or None (the team).


def _one(column: Any, only: int | None) -> list[Any]:
    return [] if only is None else [column == only]


@dataclass(frozen=True)
class Window:
    """The month being gathered and the attendance thresholds its facts are counted by."""

    month: str
    tz: ZoneInfo
    grace: dt.timedelta  # an early leave is more than this before the shift's end
    break_limit: dt.timedelta  # a break longer than this is over the limit
    calendar: Calendar = NO_HOLIDAYS  # public holidays and adjusted working days

    @classmethod
    def of(cls, month: str, policy: Policy) -> Window:
        """`month`, counted by the policy's lateness grace and break length [000, 004]."""
        rules = policy.attendance
        return cls(
            month,
            policy.tz,
            grace=dt.timedelta(minutes=rules.late_grace_minutes),
            break_limit=dt.timedelta(minutes=rules.break_minutes),
            calendar=holiday_rules.calendar(policy.holidays),
        )

    @property
    def days(self) -> tuple[dt.date, dt.date]:
        """The month's first and last day."""
        return ledger_rules.month_bounds(self.month)

    @property
    def midnights(self) -> list[dt.datetime]:
        """Each local midnight of the month and the next month's first, as UTC moments
        (so that their differences are real hours, 23 or 25 across a change of offset)."""
        first, last = self.days
        count = (last - first).days + 2
        return [
            dt.datetime.combine(first + dt.timedelta(days=n), dt.time(), tzinfo=self.tz).astimezone(
                dt.UTC
            )
            for n in range(count)
        ]

    def day_of(self, moment: Any) -> Any:
        """SQL for the day of the month (0 = the 1st) a stored moment falls on, in team
        time: whole days counted from the last midnight before a change of UTC offset,
        so a time zone with daylight saving time (a 23- or 25-hour day) counts right."""
        midnights = self.midnights
        starts = [0] + [
            n
            for n in range(1, len(midnights) - 1)
            if midnights[n + 1] - midnights[n] != DAY or midnights[n] - midnights[n - 1] != DAY
        ]
        at = epoch_us(moment)
        branches = []
        for index, day in enumerate(starts):
            if midnights[day + 1] - midnights[day] == DAY:  # a run of 24-hour days
                since = at - int(midnights[day].timestamp()) * 1_000_000
                value: Any = since // DAY_US + day  # since >= 0: whole days
            else:  # a 23- or 25-hour day on its own
                value = literal(day)
            until = starts[index + 1] if index + 1 < len(starts) else None
            branches.append((moment < midnights[until], value) if until else (true(), value))
        return case(*branches)


def month_facts(window: Window, *, session: Session, only: int | None = None) -> list[MonthFacts]:
    """Every agent's month (or one agent's), by name: a handful of queries for the whole
    team, each summed by the database, never a row per shift or per day in Python."""
    first, last = window.days
    people = _agents(first, session=session, only=only)
    if not people:
        return []
    # A month is paid at the level it began with (`rules.levels`).
    began = levels_store.levels_on(
        first, {p.person_id: p.level for p in people}, session=session, only=only
    )
    entries = _standing_entries(window, session=session, only=only)
    metrics = metric_totals(first, last, session=session, only=only)
    qa = qa_by_person(window.month, session=session, only=only)
    leave = leave_days(first, last, session=session, only=only)
    extras = one_offs(window.month, session=session, only=only)
    shifts = shift_facts(window, session=session, only=only)
    expected = expected_days(window, people, session=session)
    casework = casework_facts(window, session=session, only=only)
    return [
        replace(
            person,
            level=began[person.person_id],
            entries=tuple(entries.get(person.person_id, ())),
            metrics=metrics.get(person.person_id, NO_METRICS),
            qa=qa.get(person.person_id),
            leave_days=leave.get(person.person_id, 0),
            shifts=shifts.get(person.person_id, NO_SHIFTS),
            one_offs=tuple(extras.get(person.person_id, ())),
            expected_days=expected.get(person.person_id, 0),
            casework=casework.get(person.person_id, NO_CASEWORK),
        )
        for person in people
    ]


def expected_days(window: Window, people: list[MonthFacts], *, session: Session) -> dict[int, int]:
    """The days of the month the roster (its entries, else the weekly pattern, a holiday
    off) expects each agent at work, from the enrolment day to the last working day;
    approved leave days still count [issue 16]."""
    first, last = window.days
    ids = [p.person_id for p in people]
    table = Person.__table__  # type: ignore[attr-defined]
    patterns = {
        row.id: roster_rules.Pattern(row.shift, row.rest_day)
        for row in session.execute(
            sa_select(table.c.id, table.c.shift, table.c.rest_day).where(table.c.id.in_(ids))
        )
    }
    rows = roster_store.entries(first, last, session=session, people=ids)
    span = roster_rules.days(first, last)

    def count(
        pattern: roster_rules.Pattern, entries: roster_rules.Entries, start: dt.date, end: dt.date
    ) -> int:
        days = [day for day in span if start <= day <= end]
        plan = roster_rules.month_plan(pattern, entries, days, window.calendar)
        return sum(1 for one in plan.values() if one.works)

    found: dict[int, int] = {}
    # Agents without roster entries share a count by pattern and span (thousands, few keys).
    shared: dict[tuple[roster_rules.Pattern, dt.date, dt.date], int] = {}
    for person in people:
        start = person.enrolled_at.astimezone(window.tz).date() if person.enrolled_at else first
        end = min(last, person.left_on or last)
        pattern, entries = patterns[person.person_id], rows.get(person.person_id, {})
        if entries:
            found[person.person_id] = count(pattern, entries, start, end)
            continue
        key = (pattern, start, end)
        if key not in shared:
            shared[key] = count(pattern, {}, start, end)
        found[person.person_id] = shared[key]
    return found


def _agents(first: dt.date, *, session: Session, only: int | None) -> list[MonthFacts]:
    """The agents, and those who left the team on or after `first` (the month's 1st):
    everyone who was an agent at some time in the month (`rules.close.assessed` drops
    whoever left before it, or began after it)."""
    table = Person.__table__  # type: ignore[attr-defined]
    was_agent = or_(table.c.is_agent, table.c.left_on >= first)
    query = (
        sa_select(
            table.c.id,
            table.c.first_name,
            table.c.last_name,
            table.c.username,
            table.c.track,
            table.c.level,
            table.c.hired_on,
            table.c.enrolled_at,
            table.c.probation_until,
            table.c.left_on,
        )
        .where(was_agent, *_one(table.c.id, only))
        .order_by(table.c.first_name, table.c.id)
    )
    return [
        MonthFacts(
            person_id=row.id,
            name=display_name(row.first_name, row.last_name),
            username=row.username,
            track=row.track,
            level=row.level,
            hired_on=row.hired_on,
            enrolled_at=row.enrolled_at,
            probation_until=row.probation_until,
            left_on=row.left_on,
        )
        for row in session.execute(query)
    ]


def _standing_entries(
    window: Window, *, session: Session, only: int | None
) -> dict[int, list[EntryFact]]:
    """The month's entries not voided, by agent, each with its team-time day."""
    entries = LedgerEntry.__table__  # type: ignore[attr-defined]
    voids = LedgerVoid.__table__  # type: ignore[attr-defined]
    query = (
        sa_select(
            entries.c.id,
            entries.c.person_id,
            entries.c.code,
            entries.c.kind,
            entries.c.points,
            entries.c.cash_fen,
            entries.c.demerit,
            entries.c.note,
            entries.c.logged_at,
        )
        .where(
            entries.c.month == window.month,
            ~sa_select(voids.c.entry_id).where(voids.c.entry_id == entries.c.id).exists(),
            *_one(entries.c.person_id, only),
        )
        .order_by(entries.c.id)
    )
    found: dict[int, list[EntryFact]] = defaultdict(list)
    for row in session.execute(query):
        day = row.logged_at.astimezone(window.tz).date()
        found[row.person_id].append(
            EntryFact(
                row.id, row.code, row.kind, row.points, row.cash_fen, row.demerit, row.note, day
            )
        )
    return found


def qa_by_person(month: str, *, session: Session, only: int | None = None) -> dict[int, QaFacts]:
    """Each agent's QA checks in the month: the sum of their scores and how many."""
    query = (
        select(QaCheck.person_id, func.sum(QaCheck.score), func.count())
        .where(QaCheck.month == month, *_one(col(QaCheck.person_id), only))
        .group_by(col(QaCheck.person_id))
    )
    return {person: QaFacts(int(total), int(count)) for person, total, count in session.exec(query)}


def casework_facts(
    window: Window, *, session: Session, only: int | None = None
) -> dict[int, CaseworkFacts]:
    """Each agent's month of casework [issue 17]: the complaint cases opened in it, the
    follow-ups opened or closed in it with the fen they recovered: what the KPI sheets
    read (the scorecard's discounts are `storage.discounts.totals`). Two reads."""
    month = window.month
    month_end = window.midnights[-1]
    cases: dict[int, list[CaseFact]] = defaultdict(list)
    for person, opened, solved, arbitration in session.exec(
        select(
            col(ComplaintCase.person_id),
            col(ComplaintCase.opened_at),
            col(ComplaintCase.solved_at),
            col(ComplaintCase.arbitration_at),
        )
        .where(ComplaintCase.month == month, *_one(col(ComplaintCase.person_id), only))
        .order_by(col(ComplaintCase.id))
    ):
        cases[person].append(CaseFact(opened, solved, arbitration is not None))
    recovered = case(
        (col(FollowUp.done_month) == month, func.coalesce(FollowUp.recovered_fen, 0)), else_=0
    )
    follow = {
        person: (int(count), int(fen))
        for person, count, fen in session.exec(
            select(col(FollowUp.person_id), func.count(), func.sum(recovered))
            .where(
                or_(col(FollowUp.month) == month, col(FollowUp.done_month) == month),
                *_one(col(FollowUp.person_id), only),
            )
            .group_by(col(FollowUp.person_id))
        )
    }
    found: dict[int, CaseworkFacts] = {}
    for person in set(cases) | set(follow):
        ups, fen = follow.get(person, (0, 0))
        found[person] = CaseworkFacts(month_end, tuple(cases.get(person, ())), ups, fen)
    return found


FIGURES = ("consults", "orders", "payers", "sales_fen", "reply_rate_bp", "avg_response_ms")


def metric_totals(
    first: dt.date, last: dt.date, *, session: Session, only: int | None = None
) -> dict[int, MetricSums]:
    """Per agent over [first, last]: the days imported, and each figure's sum and how many
    days had it (integers only, so the means are exact)."""
    table = DailyMetric.__table__  # type: ignore[attr-defined]
    columns: list[Any] = [func.count()]
    for name in FIGURES:
        columns += [func.coalesce(func.sum(table.c[name]), 0), func.count(table.c[name])]
    query = (
        sa_select(table.c.person_id, *columns)
        .where(table.c.day.between(first, last), *_one(table.c.person_id, only))
        .group_by(table.c.person_id)
    )
    found: dict[int, MetricSums] = {}
    for row in session.execute(query):
        sums = [int(value) for value in row[2:]]
        figures = [MonthFigure(sums[i], sums[i + 1]) for i in range(0, len(sums), 2)]
        found[row[0]] = MetricSums(int(row[1]), *figures)
    return found


def shift_facts(
    window: Window, *, session: Session, only: int | None = None
) -> dict[int, ShiftFacts]:
    """Per agent, the shifts begun in the month, counted in the database by the rules of
    `rules.attendance` (`left_early`, `breaks_over_limit`): days worked (team-time dates),
    late arrivals, early leaves (not auto-closed) and breaks past the limit."""
    shifts = WorkSession.__table__  # type: ignore[attr-defined]
    rests = BreakPeriod.__table__  # type: ignore[attr-defined]
    midnights = window.midnights
    started = shifts.c.started_at
    in_month = [started >= midnights[0], started < midnights[-1], *_one(shifts.c.person_id, only)]
    day = window.day_of(started)
    grace_us = int(window.grace / dt.timedelta(microseconds=1))
    early = and_(
        shifts.c.ended_at < shifts.c.shift_end,  # cheap first: most leave after the end
        ~shifts.c.auto_closed,
        epoch_us(shifts.c.shift_end) - epoch_us(shifts.c.ended_at) > grace_us,
    )
    query = (
        sa_select(
            shifts.c.person_id,
            func.count(distinct(day)),
            func.sum(case((shifts.c.late_minutes > 0, 1), else_=0)),
            func.sum(case((early, 1), else_=0)),
        )
        .where(*in_month)
        .group_by(shifts.c.person_id)
    )
    counts = {row[0]: [int(row[1]), int(row[2]), int(row[3])] for row in session.execute(query)}
    # A break ends at its own end or the shift's, whichever is first; an open shift's
    # breaks are not counted yet.
    ended = shifts.c.ended_at
    end = case(
        (or_(rests.c.ended_at.is_(None), rests.c.ended_at > ended), epoch_us(ended)),
        else_=epoch_us(rests.c.ended_at),
    )
    limit_us = int(window.break_limit / dt.timedelta(microseconds=1))
    query = (
        sa_select(shifts.c.person_id, func.count())
        .select_from(rests.join(shifts, shifts.c.id == rests.c.session_id))
        .where(*in_month, ended.is_not(None), end - epoch_us(rests.c.started_at) > limit_us)
        .group_by(shifts.c.person_id)
    )
    over = {row[0]: int(row[1]) for row in session.execute(query)}
    return {
        person: ShiftFacts(days, late, early_, over.get(person, 0))
        for person, (days, late, early_) in counts.items()
    }


def ledger_by_person(
    month: str, *, session: Session, only: int | None = None
) -> dict[int, list[LedgerLine]]:
    """Every ledger entry of the month with its void and appeal, by agent (the export)."""
    found: dict[int, list[LedgerLine]] = defaultdict(list)
    where = [LedgerEntry.month == month, *_one(col(LedgerEntry.person_id), only)]
    for line in lines_where(*where, session=session):
        found[line.entry.person_id].append(line)
    return found


@dataclass(frozen=True)
class MetricRow:
    """One imported day of an agent's figures (the export)."""

    person_id: int
    day: dt.date
    consults: int | None
    orders: int | None
    payers: int | None
    sales_fen: int | None
    reply_rate_bp: int | None
    avg_response_ms: int | None


def metric_rows(first: dt.date, last: dt.date, *, session: Session) -> list[MetricRow]:
    """The chat-tool figures of each day in [first, last], by day."""
    table = DailyMetric.__table__  # type: ignore[attr-defined]
    query = (
        sa_select(table.c.person_id, table.c.day, *[table.c[name] for name in FIGURES])
        .where(table.c.day.between(first, last))
        .order_by(table.c.person_id, table.c.day)
    )
    return [MetricRow(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class ShiftRow:
    """One shift begun in the month, with how many breaks it had (the export)."""

    person_id: int
    shift: str | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    late_minutes: int
    auto_closed: bool
    breaks: int


def shift_rows(start: dt.datetime, end: dt.datetime, *, session: Session) -> list[ShiftRow]:
    """Every shift begun in [start, end), in order."""
    shifts = WorkSession.__table__  # type: ignore[attr-defined]
    rests = BreakPeriod.__table__  # type: ignore[attr-defined]
    breaks = sa_select(func.count()).where(rests.c.session_id == shifts.c.id).scalar_subquery()
    query = (
        sa_select(
            shifts.c.person_id,
            shifts.c.shift,
            shifts.c.started_at,
            shifts.c.ended_at,
            shifts.c.late_minutes,
            shifts.c.auto_closed,
            breaks,
        )
        .where(shifts.c.started_at >= start, shifts.c.started_at < end)
        .order_by(shifts.c.started_at, shifts.c.id)
    )
    return [ShiftRow(*row) for row in session.execute(query)]


def leave_days(
    first: dt.date, last: dt.date, *, session: Session, only: int | None = None
) -> dict[int, int]:
    """Approved days of leave in [first, last], by agent."""
    query = (
        select(LeaveRequest.person_id, func.count())
        .where(
            col(LeaveRequest.day).between(first, last),
            LeaveRequest.status == "approved",
            *_one(col(LeaveRequest.person_id), only),
        )
        .group_by(col(LeaveRequest.person_id))
    )
    return {person: int(count) for person, count in session.exec(query)}


def one_offs(
    month: str, *, session: Session, only: int | None = None
) -> dict[int, list[OneOffFact]]:
    """The month's one-off bonuses not voided, by agent."""
    found: dict[int, list[OneOffFact]] = defaultdict(list)
    where = [
        OneOff.month == month,
        col(OneOff.voided_at).is_(None),
        *_one(col(OneOff.person_id), only),
    ]
    query = (
        select(OneOff.id, OneOff.person_id, OneOff.amount_fen, OneOff.reason)
        .where(*where)
        .order_by(col(OneOff.id))
    )
    for row_id, person, amount, reason in session.exec(query):
        found[person].append(OneOffFact(int(row_id or 0), amount, reason))
    return found


@dataclass(frozen=True)
class Locked:
    """A locked month: when, by whom, with which policy's fingerprint."""

    month: str
    locked_at: dt.datetime
    locked_by: int | None
    policy_version: str


def lock_of(month: str, *, session: Session) -> Locked | None:
    """The month's lock, if it is locked."""
    row = session.get(MonthLock, month)
    if row is None:
        return None
    return Locked(row.month, row.locked_at, row.locked_by, row.policy_version)


def try_lock(lock: Locked, *, session: Session) -> bool:
    """Lock the month; False if someone (another replica, a second press) locked it first."""
    row = MonthLock(
        month=lock.month,
        locked_at=lock.locked_at,
        locked_by=lock.locked_by,
        policy_version=lock.policy_version,
    )
    return not isinstance(unique.insert(row, session=session), Duplicate)


def save_payslips(rows: list[dict[str, Any]], *, session: Session) -> None:
    """Store a locked month's snapshots in one statement."""
    if rows:
        session.execute(sa_insert(Payslip.__table__), rows)  # type: ignore[attr-defined]


def places(
    months: list[str],
    *,
    session: Session,
    only: int | None = None,
    among: Collection[int] | None = None,
) -> dict[int, list[Place]]:
    """The ranking of locked `months`, by agent, oldest month first: each agent's
    stored rank, score and points lost (months without a card for them are absent);
    `among`: only these agents. The places come ranked, so they carry no name (the
    ranking's last tie-break): one plain query, no join, for months of a large team."""
    table = Payslip.__table__  # type: ignore[attr-defined]
    query = (
        sa_select(
            table.c.person_id,
            table.c.month,
            table.c.rank,
            table.c.score_cents,
            table.c.points_lost,
        )
        .where(
            table.c.month.in_(months),
            *_one(table.c.person_id, only),
            # A long list of ids costs more than it saves (and bounds the bind parameters).
            *(
                []
                if among is None or len(among) > AMONG_LIMIT
                else [table.c.person_id.in_(sorted(among))]
            ),
        )
        .order_by(table.c.month, table.c.rank)
    )
    found: dict[int, list[Place]] = defaultdict(list)
    hundred = Decimal(100)
    for person_id, month, rank, cents, lost in session.execute(query):
        if among is not None and person_id not in among:
            continue
        found[person_id].append(
            Place(person_id, month, Decimal(cents or 0) / hundred, lost or 0, "", rank)
        )
    return found


@dataclass(frozen=True)
class Slip:
    """A locked month's payslip: its id (the "Received" button's), agent, snapshot, and
    when the agent confirmed it (None: not yet)."""

    id: int
    month: str
    person_id: int
    card: str
    received_at: dt.datetime | None


def _slips(*where: Any, session: Session) -> list[Slip]:
    query = select(Payslip).where(*where).order_by(col(Payslip.id))
    return [
        Slip(row.id or 0, row.month, row.person_id, row.card, row.received_at)
        for row in session.exec(query)
    ]


def slips(month: str, *, session: Session) -> list[Slip]:
    """Every payslip of a locked month, in the order they were stored."""
    return _slips(Payslip.month == month, session=session)


def slip(payslip_id: int, *, session: Session) -> Slip | None:
    """One payslip by its id."""
    found = _slips(col(Payslip.id) == payslip_id, session=session)
    return found[0] if found else None


def slip_of(month: str, person_id: int, *, session: Session) -> Slip | None:
    """One agent's payslip for a locked month."""
    found = _slips(Payslip.month == month, Payslip.person_id == person_id, session=session)
    return found[0] if found else None


def slips_for(person_id: int, *, session: Session) -> list[Slip]:
    """Every payslip one agent has, one per locked month, in the order they were stored."""
    return _slips(Payslip.person_id == person_id, session=session)


def set_received(payslip_id: int, at: dt.datetime, *, session: Session) -> bool:
    """The agent confirmed the payslip: True if this call recorded it (the first press)."""
    result = session.execute(
        update(Payslip)
        .where(col(Payslip.id) == payslip_id, col(Payslip.received_at).is_(None))
        .values(received_at=at)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def _people_of(table: type[Payslip] | type[Outbox], *where: Any, session: Session) -> list[Person]:
    """The people of `table`'s rows that match, in row order."""
    query = (
        select(Person)
        .join(table, col(table.person_id) == Person.id)
        .where(*where)
        .order_by(col(table.id))
    )
    return list(session.exec(query))


def unconfirmed(month: str, *, session: Session) -> list[Person]:
    """The agents of a locked month who have not confirmed their payslip, in slip order."""
    where = (Payslip.month == month, col(Payslip.received_at).is_(None))
    return _people_of(Payslip, *where, session=session)


@dataclass(frozen=True)
class Run:
    """A month's run of DMs (drafts or payslips): who started it, where its progress shows."""

    id: int
    month: str
    kind: str  # draft | payslip
    started_at: dt.datetime
    started_by: int | None
    chat_id: int | None
    message_id: int | None
    finished_at: dt.datetime | None


def _run(row: Broadcast) -> Run:
    assert row.id is not None
    return Run(
        row.id,
        row.month,
        row.kind,
        row.started_at,
        row.started_by,
        row.chat_id,
        row.message_id,
        row.finished_at,
    )


def run_of(run_id: int, *, session: Session) -> Run | None:
    """A run by its id."""
    row = session.get(Broadcast, run_id)
    return None if row is None else _run(row)


def broadcast_of(month: str, kind: str, *, session: Session) -> Run | None:
    """The month's run of `kind` DMs, if it was started."""
    query = select(Broadcast).where(Broadcast.month == month, Broadcast.kind == kind)
    row = session.exec(query).first()
    return None if row is None else _run(row)


def start_broadcast(
    month: str, kind: str, at: dt.datetime, *, session: Session, by: int | None, chat_id: int | None
) -> Run | None:
    """Start the month's run of `kind`; None if it was started already (by anyone)."""
    row = Broadcast(month=month, kind=kind, started_at=at, started_by=by, chat_id=chat_id)
    created = unique.insert(row, session=session)
    return None if isinstance(created, Duplicate) else _run(created)


def open_broadcasts(*, session: Session) -> list[Run]:
    """Runs not finished (a restart resumes them)."""
    query = (
        select(Broadcast).where(col(Broadcast.finished_at).is_(None)).order_by(col(Broadcast.id))
    )
    return [_run(row) for row in session.exec(query)]


def set_run_message(run_id: int, message_id: int, *, session: Session) -> None:
    """Remember the message that shows the run's progress (edited as it goes)."""
    session.execute(
        update(Broadcast).where(col(Broadcast.id) == run_id).values(message_id=message_id)
    )


def finish_run(run_id: int, at: dt.datetime, *, session: Session) -> None:
    """Mark the run finished (nothing left to send), once."""
    session.execute(
        update(Broadcast)
        .where(col(Broadcast.id) == run_id, col(Broadcast.finished_at).is_(None))
        .values(finished_at=at)
    )


def waiting_people(run_id: int, *, session: Session) -> set[int]:
    """The people of a run's rows in the old outbox not sent yet (moved to the notices)."""
    query = select(Outbox.person_id).where(Outbox.broadcast_id == run_id, Outbox.status == PENDING)
    return set(session.exec(query))


def outbox_people(run_id: int, *statuses: str, session: Session) -> list[Person]:
    """The people of a run's rows in the old outbox in these statuses, in row order."""
    where = (Outbox.broadcast_id == run_id, col(Outbox.status).in_(statuses))
    return _people_of(Outbox, *where, session=session)


def outbox_counts(broadcast_id: int, *, session: Session) -> dict[str, int]:
    """How many of a run's rows are in each status."""
    query = (
        select(Outbox.status, func.count())
        .where(Outbox.broadcast_id == broadcast_id)
        .group_by(col(Outbox.status))
    )
    return {status: int(count) for status, count in session.exec(query)}


def strand(broadcast_id: int, at: dt.datetime, *, session: Session, older_than: dt.datetime) -> int:
    """Rows a crash left `sending` become `uncertain` (never sent again); a row claimed
    after `older_than` may still be in flight on another replica and is left alone."""
    result = session.execute(
        update(Outbox)
        .where(
            col(Outbox.broadcast_id) == broadcast_id,
            col(Outbox.status) == SENDING,
            col(Outbox.updated_at) < older_than,
        )
        .values(status=UNCERTAIN, updated_at=at)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def move_to_notices(broadcast_id: int, at: dt.datetime, *, session: Session) -> None:
    """A run's unsent rows of the old outbox, now in the notice outbox: marked moved."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.broadcast_id) == broadcast_id, col(Outbox.status) == PENDING)
        .values(status=MOVED, updated_at=at)
    )


# --- the team's month: public sales [000 第10条], last year's reviews [000 第十一条] ---


def set_public_sales(
    period: str,
    amount_fen: int,
    *,
    source: str,
    at: dt.datetime,
    by: int | None,
    session: Session,
) -> int | None:
    """Store the public sales of a month (YYYY-MM) or a day (YYYY-MM-DD); the figure it
    replaced, if there was one."""
    row = session.exec(select(PublicSales).where(PublicSales.period == period)).first()
    old = None if row is None else row.amount_fen
    if row is None:
        row = PublicSales(period=period, month=period[:7], amount_fen=amount_fen)
    row.amount_fen, row.source, row.entered_at, row.entered_by = amount_fen, source, at, by
    session.add(row)
    session.flush()
    return old


def save_public_days(rows: list[tuple[str, int]], **kwargs: Any) -> None:
    """Store several periods' public sales (an import's `shop` rows)."""
    for period, amount_fen in rows:
        set_public_sales(period, amount_fen, **kwargs)


def public_sales(month: str, *, session: Session) -> int | None:
    """The month's public sales in fen: its month-wide figure if there is one, else the sum
    of its days; None when there is no figure at all."""
    query = select(PublicSales.period, PublicSales.amount_fen).where(PublicSales.month == month)
    found = dict(session.exec(query).all())
    if month in found:
        return found[month]
    return sum(found.values()) if found else None


def public_rows(month: str, *, session: Session) -> list[PublicSales]:
    """The month's public-sales figures (the month's and its days'), by period."""
    query = select(PublicSales).where(PublicSales.month == month).order_by(col(PublicSales.period))
    return list(session.exec(query))


def team_facts(month: str, *, session: Session, only: int | None = None) -> TeamFacts:
    """The month's team-level facts: public sales and last year's confirmed reviews (the
    team's size is counted by the close, `rules.close.close_month`)."""
    year = review_rules.applies_to(month)
    return TeamFacts(
        public_sales(month, session=session),
        None,
        review_store.confirmed(year, session=session, only=only),
    )


def roster(first: dt.date, *, session: Session) -> list[MonthFacts]:
    """Everyone who was an agent at some time in the month beginning `first`, as the
    close's facts begin (who they are, when they started and left)."""
    return _agents(first, session=session, only=None)
