"""Make-up punch requests (`/fixpunch`, 补卡): asked, decided, withdrawn."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage import unique
from storage.models import PunchFix
from storage.unique import Duplicate


def add(row: PunchFix, *, session: Session) -> PunchFix | Duplicate:
    """Insert a request and flush it (its id is known); `Duplicate` when the same day and
    kind is already pending (asked twice at once)."""
    return unique.insert(row, session=session)


def get(fix_id: int, *, session: Session) -> PunchFix | None:
    """One request by id."""
    return session.get(PunchFix, fix_id)


def counted(person_id: int, month: str, statuses: tuple[str, ...], *, session: Session) -> int:
    """How many of the person's requests for days of `month` have one of `statuses`."""
    found = session.exec(
        select(func.count())
        .select_from(PunchFix)
        .where(
            PunchFix.person_id == person_id,
            PunchFix.month == month,
            col(PunchFix.status).in_(statuses),
        )
    )
    return int(found.one())


def pending_for(person_id: int, day: dt.date, kind: str, *, session: Session) -> PunchFix | None:
    """The person's pending request for that day and kind, if any."""
    return session.exec(
        select(PunchFix).where(
            PunchFix.person_id == person_id,
            PunchFix.day == day,
            PunchFix.kind == kind,
            PunchFix.status == "pending",
        )
    ).first()


def settle(fix_id: int, *, status: str, by: int, at: dt.datetime, session: Session) -> bool:
    """Decide or withdraw a pending request unless it was settled already; True if this
    one counted (the first press wins)."""
    result = session.exec(
        update(PunchFix)
        .where(col(PunchFix.id) == fix_id, col(PunchFix.status) == "pending")
        .values(status=status, decided_by=by, decided_at=at)
    )
    return bool(result.rowcount == 1)


def link(fix_id: int, session_id: int, *, session: Session) -> None:
    """The work session an approved request changed or opened."""
    row = session.get(PunchFix, fix_id)
    assert row is not None
    row.session_id = session_id
    session.add(row)


def of_month(month: str, *, session: Session) -> list[PunchFix]:
    """Every request for days of `month`, in the order asked."""
    return list(
        session.exec(
            select(PunchFix)
            .where(PunchFix.month == month)
            .order_by(col(PunchFix.asked_at), col(PunchFix.id))
        )
    )
