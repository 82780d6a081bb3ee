"""Daily chat-tool figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, col, select

from storage.models import DailyMetric

FIELDS = (
    "consults",
    "received",
    "reply_rate_bp",
    "avg_response_ms",
    "inquiries",
    "orders",
    "payers",
    "sales_fen",
)


@dataclass(frozen=True)
class Saved:
    """What `save` did: rows inserted, rows whose figures it replaced."""

    added: int
    updated: int


def _existing_keys(
    person_ids: set[int], first: dt.date, last: dt.date, *, session: Session
) -> set[tuple[int, dt.date]]:
    """(person, day) pairs already stored within a span of days."""
    query = select(col(DailyMetric.person_id), col(DailyMetric.day)).where(
        col(DailyMetric.day).between(first, last)
    )
    return {(person, day) for person, day in session.exec(query) if person in person_ids}


def save(rows: list[dict[str, Any]], *, session: Session) -> Saved:
    """Insert new (person, day) rows and replace the figures of stored ones, in bulk."""
    if not rows:
        return Saved(0, 0)
    days = [row["day"] for row in rows]
    existing = _existing_keys(
        {row["person_id"] for row in rows}, min(days), max(days), session=session
    )
    new = [row for row in rows if (row["person_id"], row["day"]) not in existing]
    old = [row for row in rows if (row["person_id"], row["day"]) in existing]
    table = DailyMetric.__table__  # type: ignore[attr-defined]
    if new:
        session.connection().execute(insert(table), new)
    if old:
        values: dict[str, Any] = {
            name: bindparam(f"v_{name}")
            for name in (*FIELDS, "imported_at", "imported_by", "source")
        }
        statement = (
            update(table)
            .where(table.c.person_id == bindparam("k_person"), table.c.day == bindparam("k_day"))
            .values(**values)
        )
        session.connection().execute(
            statement,
            [
                {
                    "k_person": row["person_id"],
                    "k_day": row["day"],
                    **{
                        f"v_{name}": row[name]
                        for name in (*FIELDS, "imported_at", "imported_by", "source")
                    },
                }
                for row in old
            ],
        )
    return Saved(added=len(new), updated=len(old))


def on_day(day: dt.date, *, session: Session) -> list[DailyMetric]:
    """Every agent's figures for one day."""
    return list(session.exec(select(DailyMetric).where(DailyMetric.day == day)))
