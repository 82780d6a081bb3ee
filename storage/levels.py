"""Levels over time: each change of level, and the promotions proposed at a month's lock."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlmodel import Session, col, select

from rules.levels import Change, level_on
from storage.models import LevelChange, Person, Promotion

PENDING, PROMOTED, PASSED = "pending", "promoted", "passed"
ENROLL, PROMOTION = "enroll", "promotion"  # what made a change


def add_change(
    person_id: int,
    from_level: str | None,
    to_level: str,
    effective: dt.date,
    *,
    source: str,
    at: dt.datetime,
    by: int | None,
    promotion_id: int | None = None,
    session: Session,
) -> None:
    """Record a change of level in force from `effective`."""
    session.add(
        LevelChange(
            person_id=person_id,
            from_level=from_level,
            to_level=to_level,
            effective=effective,
            at=at,
            by=by,
            source=source,
            promotion_id=promotion_id,
        )
    )
    session.flush()


def changes(*, session: Session, only: Iterable[int] | None = None) -> dict[int, list[Change]]:
    """Each person's changes of level (of `only`, or everyone's), in the order recorded."""
    table = LevelChange.__table__  # type: ignore[attr-defined]
    query = sa_select(
        table.c.person_id, table.c.from_level, table.c.to_level, table.c.effective
    ).order_by(table.c.id)
    if only is not None:
        query = query.where(table.c.person_id.in_(list(only)))
    found: dict[int, list[Change]] = defaultdict(list)
    for person_id, from_level, to_level, effective in session.execute(query):
        found[person_id].append(Change(from_level, to_level, effective))
    return found


def levels_on(
    day: dt.date, current: dict[int, str | None], *, session: Session, only: int | None = None
) -> dict[int, str | None]:
    """The level in force on `day` of each person in `current` (person → stored level)."""
    history = changes(session=session, only=None if only is None else [only])
    return {
        person: level_on(day, level, history[person]) if person in history else level
        for person, level in current.items()
    }


@dataclass(frozen=True)
class Proposal:
    """A promotion proposed at a lock, and its decision once made."""

    id: int
    person_id: int
    month: str
    from_level: str
    to_level: str
    effective: dt.date
    months_in_level: int
    scores: str
    status: str
    decided_at: dt.datetime | None
    decided_by: int | None


def _proposal(row: Promotion) -> Proposal:
    assert row.id is not None
    return Proposal(
        row.id,
        row.person_id,
        row.month,
        row.from_level,
        row.to_level,
        row.effective,
        row.months_in_level,
        row.scores,
        row.status,
        row.decided_at,
        row.decided_by,
    )


def add_proposals(rows: list[Promotion], *, session: Session) -> list[Proposal]:
    """Store new proposals in one flush (the caller knows none exists yet for their
    agent and month: the month's lock reads them first, under its lock)."""
    session.add_all(rows)
    session.flush()
    return [_proposal(row) for row in rows]


def proposal(proposal_id: int, *, session: Session) -> Proposal | None:
    """A proposal by its id."""
    row = session.get(Promotion, proposal_id, populate_existing=True)
    return None if row is None else _proposal(row)


def proposals(month: str, *, session: Session) -> dict[int, Proposal]:
    """The proposals made at `month`'s lock, by agent."""
    query = select(Promotion).where(Promotion.month == month)
    return {row.person_id: _proposal(row) for row in session.exec(query)}


def decide(proposal_id: int, status: str, *, by: int, at: dt.datetime, session: Session) -> bool:
    """Decide a pending proposal: True if this call did (the first press)."""
    result = session.execute(
        update(Promotion)
        .where(col(Promotion.id) == proposal_id, col(Promotion.status) == PENDING)
        .values(status=status, decided_by=by, decided_at=at)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def set_level(person_id: int, level: str, *, session: Session) -> Person:
    """The person's stored (newest) level; their row as it is now."""
    person = session.get(Person, person_id)
    assert person is not None
    person.level = level
    session.add(person)
    return person
