"""Monthly exam results [000, 004]: one per agent, kind and month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage import unique
from storage.models import Exam
from storage.unique import Duplicate


@dataclass(frozen=True)
class ExamRecord:
    """An exam result as stored."""

    id: int
    person_id: int
    month: str
    kind: str
    score: int
    entry_id: int | None
    taken_at: dt.datetime


def _record(row: Exam) -> ExamRecord:
    assert row.id is not None
    return ExamRecord(
        row.id, row.person_id, row.month, row.kind, row.score, row.entry_id, row.taken_at
    )


def add(
    person_id: int,
    month: str,
    kind: str,
    score: int,
    *,
    at: dt.datetime,
    by: int,
    chat_id: int,
    session: Session,
) -> ExamRecord | None:
    """Store a result; None when the agent has one of this kind for the month already."""
    row = Exam(
        person_id=person_id,
        month=month,
        kind=kind,
        score=score,
        taken_at=at,
        recorded_by=by,
        chat_id=chat_id,
    )
    created = unique.insert(row, session=session)
    return None if isinstance(created, Duplicate) else _record(created)


def set_entry(exam_id: int, entry_id: int, *, session: Session) -> None:
    """Remember the ledger entry a result logged."""
    row = session.get(Exam, exam_id)
    assert row is not None
    row.entry_id = entry_id
    session.add(row)
    session.flush()


def of(person_id: int, month: str, kind: str, *, session: Session) -> ExamRecord | None:
    """The agent's result of one kind for the month."""
    query = select(Exam).where(Exam.person_id == person_id, Exam.month == month, Exam.kind == kind)
    row = session.exec(query).first()
    return None if row is None else _record(row)


def by_person(
    month: str, *, session: Session, only: int | None = None
) -> dict[int, list[ExamRecord]]:
    """The month's results, by agent, in the order they were taken."""
    query = select(Exam).where(Exam.month == month)
    if only is not None:
        query = query.where(Exam.person_id == only)
    found: dict[int, list[ExamRecord]] = defaultdict(list)
    for row in session.exec(query.order_by(col(Exam.id))):
        found[row.person_id].append(_record(row))
    return found
