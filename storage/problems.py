"""The problem log (`/problem`): noted by agents, answered by a supervisor [000]."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage.models import Problem


def add(row: Problem, *, session: Session) -> Problem:
    """Insert a problem and flush it (its id is known)."""
    session.add(row)
    session.flush()
    return row


def get(problem_id: int, *, session: Session) -> Problem | None:
    """One problem by id."""
    return session.get(Problem, problem_id)


def answer(problem_id: int, text: str, *, by: int, at: dt.datetime, session: Session) -> bool:
    """Record the answer unless the problem has one already; True if this one counted."""
    result = session.exec(
        update(Problem)
        .where(col(Problem.id) == problem_id, col(Problem.answered_at).is_(None))
        .values(answer=text, answered_by=by, answered_at=at)
    )
    return bool(result.rowcount == 1)


def open_ones(limit: int, *, session: Session) -> tuple[list[Problem], int]:
    """The oldest `limit` problems without an answer, and how many there are in all."""
    unanswered = col(Problem.answered_at).is_(None)
    rows = session.exec(
        select(Problem)
        .where(unanswered)
        .order_by(col(Problem.created_at), col(Problem.id))
        .limit(limit)
    )
    total = session.exec(select(func.count()).select_from(Problem).where(unanswered)).one()
    return list(rows), int(total)


def between(start: dt.datetime, end: dt.datetime, *, session: Session) -> list[Problem]:
    """The problems noted in [start, end), oldest first."""
    return list(
        session.exec(
            select(Problem)
            .where(col(Problem.created_at) >= start, col(Problem.created_at) < end)
            .order_by(col(Problem.created_at), col(Problem.id))
        )
    )
