"""Follow-ups (`/followup`, `/followed`): recorded, closed once, listed when due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from storage.models import FollowUp, Person


def add(row: FollowUp, *, session: Session) -> FollowUp:
    """Insert a follow-up and flush it (its id is known)."""
    session.add(row)
    session.flush()
    return row


def get(follow_id: int, *, session: Session) -> FollowUp | None:
    """One follow-up by id."""
    return session.get(FollowUp, follow_id)


def close(
    follow_id: int, *, at: dt.datetime, month: str, recovered_fen: int, session: Session
) -> bool:
    """Close an open follow-up; True if this call closed it (a second close changes
    nothing)."""
    result = session.exec(
        update(FollowUp)
        .where(col(FollowUp.id) == follow_id, col(FollowUp.done_at).is_(None))
        .values(done_at=at, done_month=month, recovered_fen=recovered_fen)
    )
    return bool(result.rowcount == 1)


def open_of(person_id: int, *, session: Session) -> list[FollowUp]:
    """The person's open follow-ups, the earliest due first."""
    return list(
        session.exec(
            select(FollowUp)
            .where(FollowUp.person_id == person_id, col(FollowUp.done_at).is_(None))
            .order_by(col(FollowUp.due_on), col(FollowUp.id))
        )
    )


@dataclass(frozen=True, slots=True)
class Due:
    """An open follow-up as the morning list shows it (a light row, not the ORM's)."""

    id: int
    person_id: int
    buyer: str
    reason: str
    due_on: dt.date


def due_by(day: dt.date, *, session: Session) -> list[Due]:
    """Every open follow-up due on `day` or before, of agents still on the team that day,
    by agent, then the earliest due first."""
    on_team = col(Person.left_on).is_(None) | (col(Person.left_on) >= day)
    return [
        Due(*row)
        for row in session.execute(
            sa_select(
                col(FollowUp.id),
                col(FollowUp.person_id),
                col(FollowUp.buyer),
                col(FollowUp.reason),
                col(FollowUp.due_on),
            )
            .join(Person, col(Person.id) == col(FollowUp.person_id))
            .where(
                col(FollowUp.done_at).is_(None),
                col(FollowUp.due_on) <= day,
                col(Person.is_agent),
                on_team,
            )
            .order_by(col(FollowUp.person_id), col(FollowUp.due_on), col(FollowUp.id))
        )
    ]


def of_month(month: str, *, session: Session) -> list[FollowUp]:
    """Every follow-up recorded or closed in `month`, in the order recorded."""
    return list(
        session.exec(
            select(FollowUp)
            .where(or_(col(FollowUp.month) == month, col(FollowUp.done_month) == month))
            .order_by(col(FollowUp.created_at), col(FollowUp.id))
        )
    )
