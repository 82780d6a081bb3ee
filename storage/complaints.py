"""Complaint cases (`/complaint`): opened, answered, solved, stepped into by the platform."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, literal, update
from sqlmodel import Session, col, select

from storage.models import ComplaintCase, JobRun
from storage.types import UTCDateTime

_WHEN = UTCDateTime(timezone=True)


def add(row: ComplaintCase, *, session: Session) -> ComplaintCase:
    """Insert a case and flush it (its id is known)."""
    session.add(row)
    session.flush()
    return row


def get(case_id: int, *, session: Session) -> ComplaintCase | None:
    """One case by id."""
    return session.get(ComplaintCase, case_id)


def _once(case_id: int, column: str, *, at: dt.datetime, session: Session) -> bool:
    """Set `column` to `at` unless it was set: True if this one counted."""
    field = col(getattr(ComplaintCase, column))
    result = session.exec(
        update(ComplaintCase)
        .where(col(ComplaintCase.id) == case_id, field.is_(None))
        .values({column: at})
    )
    return bool(result.rowcount == 1)


def replied(case_id: int, *, at: dt.datetime, session: Session) -> bool:
    """Record the first answer unless there was one: True if this one counted."""
    return _once(case_id, "replied_at", at=at, session=session)


def solved(case_id: int, how: str | None, *, at: dt.datetime, session: Session) -> bool:
    """Close the case unless it was closed (a solve is an answer too, if none was
    recorded): True if this one counted."""
    result = session.exec(
        update(ComplaintCase)
        .where(col(ComplaintCase.id) == case_id, col(ComplaintCase.solved_at).is_(None))
        .values(
            solved_at=at,
            solved_how=how,
            # typed as the column, so the moment is stored as every other one (UTC)
            replied_at=func.coalesce(col(ComplaintCase.replied_at), literal(at, _WHEN)),
        )
    )
    return bool(result.rowcount == 1)


def arbitration(case_id: int, *, at: dt.datetime, session: Session) -> bool:
    """Record that the platform stepped in, once: True if this one counted."""
    return _once(case_id, "arbitration_at", at=at, session=session)


def unsolved(*, person_id: int | None = None, session: Session) -> list[ComplaintCase]:
    """Every case not solved yet (one person's, or everyone's), oldest first."""
    query = select(ComplaintCase).where(col(ComplaintCase.solved_at).is_(None))
    if person_id is not None:
        query = query.where(ComplaintCase.person_id == person_id)
    return list(session.exec(query.order_by(col(ComplaintCase.opened_at), col(ComplaintCase.id))))


def of_month(month: str, *, session: Session) -> list[ComplaintCase]:
    """Every case opened in `month`, in the order opened."""
    return list(
        session.exec(
            select(ComplaintCase)
            .where(ComplaintCase.month == month)
            .order_by(col(ComplaintCase.opened_at), col(ComplaintCase.id))
        )
    )


def claimed(job: str, slots: Sequence[str], *, session: Session) -> set[str]:
    """Which of `slots` the job has claimed already (one read for a run's candidates)."""
    if not slots:
        return set()
    query = select(JobRun.slot).where(JobRun.job == job, col(JobRun.slot).in_(slots))
    return set(session.exec(query))
