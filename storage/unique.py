"""Inserts that a unique rule may refuse: a savepoint, and a result instead of an exception.

Two presses at once, a retried job, a second replica: the database's unique
indexes decide which insert counts. The loser's insert is rolled back to a
savepoint, so the caller's unit of work goes on (and may read the winner's row)
and gets `Duplicate`, not an exception to catch around its whole transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

Row = TypeVar("Row", bound=SQLModel)


@dataclass(frozen=True)
class Duplicate:
    """The row was there already: a unique rule refused this insert; nothing of it is kept."""


DUPLICATE = Duplicate()


def insert_into(session: Session) -> Any:
    """The dialect's INSERT, which can skip rows a unique index refuses
    (`.on_conflict_do_nothing`), for this session's engine."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def insert(row: Row, *, session: Session) -> Row | Duplicate:
    """Insert and flush `row` in a savepoint: the row (with its id), or `DUPLICATE`."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return DUPLICATE
    return row
