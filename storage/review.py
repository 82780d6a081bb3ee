"""The annual review [000 第十一条]: each agent's draft of a year, and its confirmation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert as sa_insert
from sqlalchemy import update
from sqlmodel import Session, col, select

from rules.review import Applied
from storage.models import AnnualReview, Person, display_name

BP = Decimal(10000)


@dataclass(frozen=True)
class ReviewRow:
    """One agent's review of a year as stored, with their name."""

    person_id: int
    name: str
    year: int
    months: int
    mean: Decimal | None
    grade: str
    adjustment: Decimal | None
    confirmed_at: dt.datetime | None
    confirmed_by: int | None


def save_drafts(rows: list[dict[str, Any]], *, session: Session) -> None:
    """Store a year's drafts in one statement (each: year, person_id, months, mean_cents,
    grade, adjustment_bp, drafted_at)."""
    if rows:
        session.execute(sa_insert(AnnualReview.__table__), rows)  # type: ignore[attr-defined]


def of_year(year: int, *, session: Session, only: int | None = None) -> list[ReviewRow]:
    """The year's reviews, by name."""
    query = (
        select(AnnualReview, Person.first_name, Person.last_name)
        .join(Person, col(Person.id) == AnnualReview.person_id)
        .where(AnnualReview.year == year)
        .order_by(col(Person.first_name), col(Person.id))
    )
    if only is not None:
        query = query.where(AnnualReview.person_id == only)
    return [
        ReviewRow(
            row.person_id,
            display_name(first, last),
            row.year,
            row.months,
            None if row.mean_cents is None else Decimal(row.mean_cents) / 100,
            row.grade,
            None if row.adjustment_bp is None else Decimal(row.adjustment_bp) / BP,
            row.confirmed_at,
            row.confirmed_by,
        )
        for row, first, last in session.exec(query)
    ]


def confirm(year: int, *, at: dt.datetime, by: int, session: Session) -> int:
    """Confirm the year's drafts; how many this call confirmed (0: confirmed before)."""
    result = session.execute(
        update(AnnualReview)
        .where(col(AnnualReview.year) == year, col(AnnualReview.confirmed_at).is_(None))
        .values(confirmed_at=at, confirmed_by=by)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def confirmed(year: int, *, session: Session, only: int | None = None) -> dict[int, Applied]:
    """The year's confirmed reviews that move pay (assessed agents), by agent."""
    query = select(AnnualReview).where(
        AnnualReview.year == year,
        col(AnnualReview.confirmed_at).is_not(None),
        col(AnnualReview.adjustment_bp).is_not(None),
    )
    if only is not None:
        query = query.where(AnnualReview.person_id == only)
    return {
        row.person_id: Applied(row.year, row.grade, Decimal(row.adjustment_bp or 0) / BP)
        for row in session.exec(query)
    }
