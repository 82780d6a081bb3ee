"""The outbox: every message that is not a direct reply, from recording to sent.

pending -> sending -> sent | failed; a row a crash left `sending` becomes
`uncertain` and is never sent again; a row found moot as it was about to be
sent is `withdrawn`. A row is written in the caller's unit of
work, so it commits (or not) with the fact it announces; its `key` is unique, so
recording the same notice twice (a retried job, a second replica) keeps one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage import unique
from storage.models import Notice

PENDING, SENDING, SENT, FAILED, UNCERTAIN = "pending", "sending", "sent", "failed", "uncertain"
WITHDRAWN = "withdrawn"
# A row claimed this long ago and never marked was cut off by a crash (no send takes it).
STRANDED_AFTER = dt.timedelta(minutes=2)
ROWS_PER_INSERT = 500  # per statement: SQLite binds at most 32 766 values


@dataclass(frozen=True)
class Due:
    """What the engine needs to schedule a row, without its text."""

    id: int
    chat_id: int
    is_group: bool
    coalesce: bool
    size: int


def add(rows: list[dict[str, Any]], *, session: Session) -> int:
    """Insert rows whose key is new (another writer may have recorded some just now);
    how many were new."""
    added = 0
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[start : start + ROWS_PER_INSERT]
        statement = unique.insert_into(session)(Notice).values(chunk)
        result = session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))
        added += int(result.rowcount)  # type: ignore[attr-defined]
    return added


def due(now: dt.datetime, *, limit: int, session: Session) -> list[Due]:
    """Pending rows that may go now: alerts first, then in the order they were written."""
    columns = (
        col(Notice.id),
        col(Notice.chat_id),
        col(Notice.is_group),
        col(Notice.coalesce),
        func.length(Notice.text),
    )
    query = (
        sa_select(*columns)
        .where(col(Notice.status) == PENDING, col(Notice.not_before) <= now)
        .order_by(col(Notice.lane), col(Notice.id))
        .limit(limit)
    )
    return [
        Due(int(i), int(c), bool(g), bool(m), int(n or 0))
        for i, c, g, m, n in session.execute(query)
    ]


def claim(ids: list[int], now: dt.datetime, *, session: Session) -> list[Notice]:
    """pending -> sending for the rows no other sender took first; those rows, in order."""
    token = uuid.uuid4().hex
    session.execute(
        update(Notice)
        .where(col(Notice.id).in_(ids), col(Notice.status) == PENDING)
        .values(status=SENDING, attempts=Notice.attempts + 1, updated_at=now, claimed_by=token)
    )
    query = select(Notice).where(col(Notice.id).in_(ids), Notice.claimed_by == token)
    return list(session.exec(query.order_by(col(Notice.id))))


def sent(ids: list[int], now: dt.datetime, message_id: int, *, session: Session) -> None:
    """The rows went out (a digest: all of them in one message)."""
    session.execute(
        update(Notice)
        .where(col(Notice.id).in_(ids))
        .values(status=SENT, sent_at=now, updated_at=now, message_id=message_id, error="")
    )


def again(
    ids: list[int],
    *,
    not_before: dt.datetime,
    error: str,
    done: int,
    now: dt.datetime,
    session: Session,
) -> None:
    """Back to pending, to be tried at `not_before`, `done` steps already sent."""
    session.execute(
        update(Notice)
        .where(col(Notice.id).in_(ids), col(Notice.status) == SENDING)
        .values(status=PENDING, not_before=not_before, error=error[:500], updated_at=now)
    )
    if done:
        session.execute(update(Notice).where(col(Notice.id) == ids[0]).values(done=done))


def withdrawn(ids: list[int], now: dt.datetime, *, session: Session) -> None:
    """Claimed rows that are moot now: never sent (this sender holds their claim)."""
    session.execute(
        update(Notice)
        .where(col(Notice.id).in_(ids), col(Notice.status) == SENDING)
        .values(status=WITHDRAWN, updated_at=now)
    )


def failed(ids: list[int], error: str, now: dt.datetime, *, session: Session) -> None:
    """Final: 400, 403, or the deadline passed."""
    session.execute(
        update(Notice)
        .where(col(Notice.id).in_(ids))
        .values(status=FAILED, error=error[:500], updated_at=now)
    )


def strand(now: dt.datetime, *, older_than: dt.datetime, session: Session) -> list[Notice]:
    """Rows a crash left `sending` become `uncertain` (never sent again); a claim newer
    than `older_than` may be in flight on another replica and is left alone."""
    query = select(Notice).where(Notice.status == SENDING, col(Notice.updated_at) < older_than)
    rows = list(session.exec(query.order_by(col(Notice.id))))
    if rows:
        session.execute(
            update(Notice)
            .where(col(Notice.id).in_([r.id for r in rows]), col(Notice.status) == SENDING)
            .values(status=UNCERTAIN, updated_at=now)
        )
    return rows


def counts(broadcast_id: int, *, session: Session) -> dict[str, int]:
    """How many of a run's rows are in each status."""
    query = (
        select(Notice.status, func.count())
        .where(Notice.broadcast_id == broadcast_id)
        .group_by(col(Notice.status))
    )
    return {status: int(count) for status, count in session.exec(query)}


def of_run(broadcast_id: int, *statuses: str, session: Session) -> list[Notice]:
    """A run's rows in these statuses, in order."""
    query = select(Notice).where(
        Notice.broadcast_id == broadcast_id, col(Notice.status).in_(statuses)
    )
    return list(session.exec(query.order_by(col(Notice.id))))
