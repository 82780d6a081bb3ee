"""Shift swaps (`/swap`): asked, answered by the colleague, decided by a supervisor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from storage.models import Notice, ShiftSwap


def add(row: ShiftSwap, *, session: Session) -> ShiftSwap:
    """Store a new swap request (its id set)."""
    session.add(row)
    session.flush()
    return row


def get(swap_id: int, *, session: Session) -> ShiftSwap | None:
    """A swap by id."""
    return session.get(ShiftSwap, swap_id)


def involving(
    people: Collection[int],
    days: Collection[dt.date],
    statuses: Collection[str],
    *,
    session: Session,
) -> list[ShiftSwap]:
    """The swaps in `statuses` between any of `people` touching any of `days`."""
    who, when = list(people), list(days)
    query = select(ShiftSwap).where(
        col(ShiftSwap.status).in_(list(statuses)),
        or_(col(ShiftSwap.asker_id).in_(who), col(ShiftSwap.colleague_id).in_(who)),
        or_(col(ShiftSwap.day).in_(when), col(ShiftSwap.other_day).in_(when)),
    )
    return list(session.exec(query))


def move(swap_id: int, *, start: Collection[str], to: str, session: Session, **values: Any) -> bool:
    """Move a swap from one of `start` to `to` (and set `values`) unless someone moved it
    first; True if this move counted."""
    result = session.exec(
        update(ShiftSwap)
        .where(col(ShiftSwap.id) == swap_id, col(ShiftSwap.status).in_(list(start)))
        .values(status=to, **values)
    )
    session.expire_all()
    return bool(result.rowcount == 1)


def between(first: dt.date, last: dt.date, *, session: Session) -> list[ShiftSwap]:
    """Every swap with a day from `first` to `last`, oldest first (the export)."""
    in_span = (col(ShiftSwap.day) >= first) & (col(ShiftSwap.day) <= last)
    other = (col(ShiftSwap.other_day) >= first) & (col(ShiftSwap.other_day) <= last)
    query = select(ShiftSwap).where(or_(in_span, other)).order_by(col(ShiftSwap.id))
    return list(session.exec(query))


def cards(key: str, *, session: Session) -> list[tuple[int, int]]:
    """(chat, message id) of every sent copy of the notice recorded under `key`."""
    query = select(col(Notice.chat_id), col(Notice.message_id)).where(
        col(Notice.key).startswith(f"{key}>"), col(Notice.message_id).is_not(None)
    )
    return [(chat, message) for chat, message in session.exec(query) if message is not None]
