"""Discounts (`/discount`): recorded at once within the limit, or pending until a
supervisor approves or denies them [000]."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage.models import Discount


def add(row: Discount, *, session: Session) -> Discount:
    """Insert a discount and flush it (its id is known)."""
    session.add(row)
    session.flush()
    return row


def get(discount_id: int, *, session: Session) -> Discount | None:
    """One discount by id."""
    return session.get(Discount, discount_id)


def settle(discount_id: int, *, status: str, by: int, at: dt.datetime, session: Session) -> bool:
    """Approve or deny a pending discount unless it was settled already; True if this
    one counted (the first press wins)."""
    result = session.exec(
        update(Discount)
        .where(col(Discount.id) == discount_id, col(Discount.status) == "pending")
        .values(status=status, decided_by=by, decided_at=at)
    )
    return bool(result.rowcount == 1)


def totals(
    person_id: int, month: str, statuses: tuple[str, ...], *, session: Session
) -> tuple[int, int]:
    """How many of the person's discounts of `month` have one of `statuses`, and their fen."""
    count, fen = session.exec(
        select(func.count(), func.coalesce(func.sum(Discount.amount_fen), 0)).where(
            Discount.person_id == person_id,
            Discount.month == month,
            col(Discount.status).in_(statuses),
        )
    ).one()
    return int(count), int(fen)


def of_month(month: str, *, session: Session) -> list[Discount]:
    """Every discount of `month`, in the order given."""
    return list(
        session.exec(
            select(Discount)
            .where(Discount.month == month)
            .order_by(col(Discount.asked_at), col(Discount.id))
        )
    )
