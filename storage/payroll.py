"""The month close: QA checks, one-offs, month locks, payslip snapshots, broadcasts, outbox.

Reads are batched per month (one query per kind of record for the whole team), so
closing a month costs a handful of queries however many agents there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, update
from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.ledger import Line, lines_where
from storage.models import (
    BreakPeriod,
    Broadcast,
    DailyMetric,
    LeaveRequest,
    LedgerEntry,
    MonthLock,
    OneOff,
    Outbox,
    Payslip,
    Person,
    QaCheck,
    WorkSession,
)


def add(session: Session, row: QaCheck | OneOff | Payslip | MonthLock) -> None:
    """Insert and flush."""
    session.add(row)
    session.flush()


# An outbox row's life: pending -> sending -> sent | undeliverable; a row a crash left
# `sending` becomes uncertain (never sent again).
PENDING, SENDING, SENT = "pending", "sending", "sent"
UNDELIVERABLE, UNCERTAIN = "undeliverable", "uncertain"
FAILED = (UNDELIVERABLE, UNCERTAIN)
MOVED = "moved"  # an unsent row of a run begun before the notice outbox, moved there

# Every month-wide read takes `only`: one agent's id (a single card), or None (the team).


def qa_by_person(
    session: Session, month: str, only: int | None = None
) -> dict[int, tuple[Decimal, int]]:
    """Each agent's mean QA score in the month and the number of checks."""
    query = (
        select(QaCheck.person_id, func.sum(QaCheck.score), func.count())
        .where(QaCheck.month == month, *_one(col(QaCheck.person_id), only))
        .group_by(col(QaCheck.person_id))
    )
    return {
        person: (Decimal(int(total)) / count, int(count))
        for person, total, count in session.exec(query)
    }


def _one(column: Any, only: int | None) -> list[Any]:
    return [] if only is None else [column == only]


def ledger_by_person(
    session: Session, month: str, only: int | None = None
) -> dict[int, list[Line]]:
    """Every ledger entry of the month with its void and appeal, by agent."""
    found: dict[int, list[Line]] = defaultdict(list)
    where = [LedgerEntry.month == month, *_one(col(LedgerEntry.person_id), only)]
    for line in lines_where(session, *where):
        found[line.entry.person_id].append(line)
    return found


def metrics_by_person(session: Session, first: dt.date, last: dt.date) -> dict[int, list[Any]]:
    """The chat-tool figures of each day in [first, last], by agent (plain rows: a month
    of a large team is hundreds of thousands of them, too many for ORM objects)."""
    found: dict[int, list[Any]] = defaultdict(list)
    table = DailyMetric.__table__  # type: ignore[attr-defined]
    query = sa_select(table).where(table.c.day.between(first, last)).order_by(table.c.day)
    for row in session.execute(query).all():
        found[row.person_id].append(row)
    return found


SHIFT_COLUMNS = (
    "id",
    "person_id",
    "started_at",
    "ended_at",
    "shift",
    "shift_end",
    "late_minutes",
    "auto_closed",
)


def metric_totals(
    session: Session, first: dt.date, last: dt.date, only: int | None = None
) -> dict[int, tuple[int, ...]]:
    """Per agent over [first, last]: the number of days, then for consults, orders, payers,
    sales_fen, reply_rate_bp and avg_response_ms each its sum and how many days had it
    (integers only, so the caller's means are exact)."""
    table = DailyMetric.__table__  # type: ignore[attr-defined]
    figures = ("consults", "orders", "payers", "sales_fen", "reply_rate_bp", "avg_response_ms")
    columns: list[Any] = [func.count()]
    for name in figures:
        columns += [func.coalesce(func.sum(table.c[name]), 0), func.count(table.c[name])]
    query = (
        sa_select(table.c.person_id, *columns)
        .where(table.c.day.between(first, last), *_one(table.c.person_id, only))
        .group_by(table.c.person_id)
    )
    return {row[0]: tuple(int(v) for v in row[1:]) for row in session.execute(query).all()}


def shifts_by_person(
    session: Session, start: dt.datetime, end: dt.datetime, only: int | None = None
) -> dict[int, list[tuple[Any, list[Any]]]]:
    """Work sessions started in [start, end), each with its breaks, by agent (plain rows)."""
    shifts = WorkSession.__table__  # type: ignore[attr-defined]
    rests = BreakPeriod.__table__  # type: ignore[attr-defined]
    window = shifts.c.started_at.between(start, end - dt.timedelta(microseconds=1))
    mine, my_breaks = _one(shifts.c.person_id, only), _one(rests.c.person_id, only)
    found: dict[int, list[tuple[Any, list[Any]]]] = defaultdict(list)
    columns = [shifts.c[name] for name in SHIFT_COLUMNS]
    query = sa_select(*columns).where(window, *mine).order_by(shifts.c.started_at)
    work = session.execute(query).all()
    ids = {row.id for row in work}
    # Breaks by their own start (a break starts within its shift, which may run a day past
    # the window), kept when their shift is one of these: no join for a planner to get
    # wrong on tables it has no statistics for yet.
    breaks: dict[int, list[Any]] = defaultdict(list)
    query = sa_select(rests.c.session_id, rests.c.started_at, rests.c.ended_at).where(
        rests.c.started_at.between(start, end + dt.timedelta(days=1)), *my_breaks
    )
    for row in session.execute(query).all():
        if row.session_id in ids:
            breaks[row.session_id].append(row)
    for row in work:
        found[row.person_id].append((row, breaks.get(row.id, [])))
    return found


def leave_days(
    session: Session, first: dt.date, last: dt.date, only: int | None = None
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


def one_offs(session: Session, month: str, only: int | None = None) -> dict[int, list[OneOff]]:
    """The month's one-off bonuses, by agent."""
    found: dict[int, list[OneOff]] = defaultdict(list)
    where = [OneOff.month == month, *_one(col(OneOff.person_id), only)]
    query = select(OneOff).where(*where).order_by(col(OneOff.id))
    for row in session.exec(query):
        found[row.person_id].append(row)
    return found


def lock_of(session: Session, month: str) -> MonthLock | None:
    """The month's lock, if it is locked."""
    return session.get(MonthLock, month)


def try_lock(session: Session, lock: MonthLock) -> bool:
    """Lock the month; False if someone (another replica, a second press) locked it first."""
    try:
        with session.begin_nested():
            session.add(lock)
            session.flush()
    except IntegrityError:
        return False
    return True


def save_payslips(session: Session, rows: list[dict[str, Any]]) -> None:
    """Store a locked month's snapshots in one statement."""
    if rows:
        session.execute(sa_insert(Payslip.__table__), rows)  # type: ignore[attr-defined]


def payslip_people(session: Session, month: str) -> list[int]:
    """The agents with a snapshot in a locked month."""
    query = select(Payslip.person_id).where(Payslip.month == month).order_by(col(Payslip.id))
    return list(session.exec(query))


def payslips(session: Session, month: str) -> list[Payslip]:
    """The snapshots of a locked month."""
    return list(
        session.exec(select(Payslip).where(Payslip.month == month).order_by(col(Payslip.id)))
    )


def payslip_of(session: Session, month: str, person_id: int) -> Payslip | None:
    """One agent's snapshot for a locked month."""
    return session.exec(
        select(Payslip).where(Payslip.month == month, Payslip.person_id == person_id)
    ).first()


def broadcast_of(session: Session, month: str, kind: str) -> Broadcast | None:
    """The month's run of `kind` DMs, if it was started."""
    return session.exec(
        select(Broadcast).where(Broadcast.month == month, Broadcast.kind == kind)
    ).first()


def start_broadcast(
    session: Session, broadcast: Broadcast, person_ids: list[int], at: dt.datetime
) -> Broadcast | None:
    """Create the run and one outbox row per agent; None if it already exists."""
    try:
        with session.begin_nested():
            session.add(broadcast)
            session.flush()
    except IntegrityError:
        return None
    assert broadcast.id is not None
    if not person_ids:
        return broadcast
    session.execute(
        sa_insert(Outbox.__table__),  # type: ignore[attr-defined]
        [
            {"broadcast_id": broadcast.id, "person_id": person, "status": PENDING}
            | {"attempts": 0, "error": "", "updated_at": at}
            for person in person_ids
        ],
    )
    return broadcast


def open_broadcasts(session: Session) -> list[Broadcast]:
    """Runs not finished (a restart resumes them)."""
    return list(session.exec(select(Broadcast).where(col(Broadcast.finished_at).is_(None))))


def outbox(session: Session, broadcast_id: int, *statuses: str) -> list[Outbox]:
    """A run's rows in these statuses, in order."""
    query = select(Outbox).where(
        Outbox.broadcast_id == broadcast_id, col(Outbox.status).in_(statuses)
    )
    return list(session.exec(query.order_by(col(Outbox.id))))


def outbox_people(session: Session, broadcast_id: int, *statuses: str) -> list[Person]:
    """The people of a run's rows in these statuses, in row order."""
    query = (
        select(Person)
        .join(Outbox, col(Outbox.person_id) == Person.id)
        .where(Outbox.broadcast_id == broadcast_id, col(Outbox.status).in_(statuses))
        .order_by(col(Outbox.id))
    )
    return list(session.exec(query))


def outbox_counts(session: Session, broadcast_id: int) -> dict[str, int]:
    """How many of a run's rows are in each status."""
    query = (
        select(Outbox.status, func.count())
        .where(Outbox.broadcast_id == broadcast_id)
        .group_by(col(Outbox.status))
    )
    return {status: int(count) for status, count in session.exec(query)}


def claim(session: Session, row_id: int, at: dt.datetime) -> bool:
    """pending -> sending, for exactly one sender."""
    result = session.execute(
        update(Outbox)
        .where(col(Outbox.id) == row_id, col(Outbox.status) == PENDING)
        .values(status=SENDING, attempts=Outbox.attempts + 1, updated_at=at)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark(session: Session, row_id: int, status: str, at: dt.datetime, error: str = "") -> None:
    """Record how a send ended."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == row_id)
        .values(status=status, error=error[:500], updated_at=at)
    )


def strand(session: Session, broadcast_id: int, at: dt.datetime, *, older_than: dt.datetime) -> int:
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


def move_to_notices(session: Session, broadcast_id: int, at: dt.datetime) -> None:
    """A run's unsent rows of the old outbox, now in the notice outbox: marked moved."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.broadcast_id) == broadcast_id, col(Outbox.status) == PENDING)
        .values(status=MOVED, updated_at=at)
    )
