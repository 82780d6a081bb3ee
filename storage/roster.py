"""The roster's rows: each agent's shift or rest by day, live or in a month's draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import RosterDay

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
