"""The roster's rows: each agent's shift or rest by day, live or in a month's draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, literal, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from storage.models import RosterDay, RosterPlan
from storage.types import UTCDateTime

Entries = dict[int, dict[dt.date, str | None]]  # person → day → shift (None: rest)


def entries(
    first: dt.date,
    last: dt.date,
    *,
    session: Session,
    people: Iterable[int] | None = None,
    draft: bool = False,
) -> Entries:
    """The rows from `first` to `last` (both included), by person then day."""
    query = select(col(RosterDay.person_id), col(RosterDay.day), col(RosterDay.shift)).where(
        col(RosterDay.draft) == draft, RosterDay.day >= first, RosterDay.day <= last
    )
    if people is not None:
        query = query.where(col(RosterDay.person_id).in_(list(people)))
    found: Entries = {}
    for person_id, day, shift in session.exec(query):
        found.setdefault(person_id, {})[day] = shift
    return found


def set_day(
    person_id: int,
    day: dt.date,
    shift: str | None,
    *,
    source: str,
    at: dt.datetime,
    by: int | None,
    session: Session,
    draft: bool = False,
) -> RosterDay | None:
    """Write one day (a shift, or None for rest); the row it replaced, if any (detached
    copy of its values)."""
    row = session.exec(
        select(RosterDay).where(
            RosterDay.person_id == person_id,
            RosterDay.day == day,
            col(RosterDay.draft) == draft,
        )
    ).first()
    before = None if row is None else RosterDay.model_validate(row.model_dump())
    if row is None:
        row = RosterDay(person_id=person_id, day=day, draft=draft, source=source, set_at=at)
    row.shift, row.source, row.set_at, row.set_by = shift, source, at, by
    session.add(row)
    session.flush()
    return before


def clear_from(person_id: int, day: dt.date, *, session: Session) -> int:
    """Delete a person's live rows from `day` on (the weekly pattern applies again);
    how many there were."""
    result = session.execute(
        delete(RosterDay).where(
            col(RosterDay.person_id) == person_id,
            col(RosterDay.draft).is_(False),
            col(RosterDay.day) >= day,
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- a month's draft and its publishing -------------------------------------------------
DRAFT, PUBLISHED = "draft", "published"


def plan_of(month: str, *, session: Session) -> RosterPlan | None:
    """The month's plan (a draft or published), if one was drafted."""
    return session.exec(select(RosterPlan).where(RosterPlan.month == month)).first()


def plan(plan_id: int, *, session: Session) -> RosterPlan | None:
    """A plan by id."""
    return session.get(RosterPlan, plan_id)


def put_draft(
    month: str,
    first: dt.date,
    last: dt.date,
    cells: Entries,
    *,
    at: dt.datetime,
    by: int | None,
    session: Session,
) -> RosterPlan:
    """Store a month's draft (`first`..`last`), replacing an unpublished one's cells; the
    plan's `drafted_at` is the draft's version (an older draft's card carries another)."""
    session.execute(
        delete(RosterDay).where(
            col(RosterDay.draft).is_(True), col(RosterDay.day) >= first, col(RosterDay.day) <= last
        )
    )
    _insert_cells(session, cells, at=at, by=by)
    row = plan_of(month, session=session) or RosterPlan(month=month, drafted_at=at)
    row.status, row.drafted_at, row.drafted_by = DRAFT, at, by
    session.add(row)
    session.flush()
    return row


def _insert_cells(session: Session, cells: Entries, *, at: dt.datetime, by: int | None) -> None:
    """Insert a draft's cells with one `executemany` of the driver: a month of 5 000 agents
    is 155 000 rows, and per-row statement building would take seconds. Each value is
    converted by the column's own type, once per distinct value (the days, the time)."""
    connection = session.connection()
    dialect = connection.dialect
    table = RosterDay.__table__  # type: ignore[attr-defined]
    columns = ("person_id", "day", "shift", "draft", "source", "set_at", "set_by")

    def bound(column: str, value: object) -> object:
        process = table.c[column].type.bind_processor(dialect)
        return value if process is None else process(value)

    days = {day: bound("day", day) for person in cells.values() for day in person}
    fixed = (bound("draft", True), "draft", bound("set_at", at), by)
    rows = [
        (person_id, days[day], shift, *fixed)
        for person_id, person in cells.items()
        for day, shift in person.items()
    ]
    if not rows:
        return
    if dialect.name == "postgresql":  # COPY: a few times faster than an executemany there
        raw: Any = connection.connection.driver_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY roster_day ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO roster_day ({', '.join(columns)}) VALUES ({', '.join([mark] * 7)})"
    connection.exec_driver_sql(sql, rows)


def publish(
    plan_id: int,
    first: dt.date,
    last: dt.date,
    *,
    at: dt.datetime,
    by: int,
    session: Session,
) -> bool:
    """Publish a draft, once: its cells become the live roster of `first`..`last` (the
    month's live rows replaced) and the draft's cells go. False if it was not a draft
    (published already, or replaced)."""
    claimed = session.execute(
        update(RosterPlan)
        .where(col(RosterPlan.id) == plan_id, col(RosterPlan.status) == DRAFT)
        .values(status=PUBLISHED, published_at=at, published_by=by)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return False
    in_month = (col(RosterDay.day) >= first, col(RosterDay.day) <= last)
    session.execute(delete(RosterDay).where(col(RosterDay.draft).is_(False), *in_month))
    drafted = core_select(
        col(RosterDay.person_id),
        col(RosterDay.day),
        col(RosterDay.shift),
        literal(False),
        literal("publish"),
        literal(at, UTCDateTime()),
        literal(by),
    ).where(col(RosterDay.draft).is_(True), *in_month)
    columns = ["person_id", "day", "shift", "draft", "source", "set_at", "set_by"]
    session.execute(insert(RosterDay).from_select(columns, drafted))
    session.execute(delete(RosterDay).where(col(RosterDay.draft).is_(True), *in_month))
    return True
