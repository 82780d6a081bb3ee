"""People, team settings and the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditLog, Person, Setting

GROUP_KEY = "team_group_chat_id"


@dataclass(frozen=True)
class Seen:
    """A Telegram user as an update shows them."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert


async def record_seen(
    session: AsyncSession, *, user: Seen, at: dt.datetime, in_private: bool
) -> Person:
    """Insert or refresh a person from an update (names, username, DM open)."""
    values: dict[str, Any] = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "username_lower": user.username.lower() if user.username else None,
        "language_code": user.language_code,
        "last_seen": at,
    }
    statement = _insert(session)(Person).values(
        id=user.id, first_seen=at, dm_open=in_private, **values
    )
    if in_private:
        values["dm_open"] = True
    statement = statement.on_conflict_do_update(index_elements=[Person.id], set_=values)
    await session.exec(statement)
    if user.username:
        # A username moves with its owner: forget it on anyone who had it before.
        stale = await session.exec(
            select(Person).where(
                Person.username_lower == user.username.lower(), Person.id != user.id
            )
        )
        for other in stale:
            other.username = other.username_lower = None
            session.add(other)
    person = await session.get(Person, user.id, populate_existing=True)
    assert person is not None
    return person


async def get(session: AsyncSession, person_id: int) -> Person | None:
    """A person by Telegram id."""
    return await session.get(Person, person_id)


async def by_username(session: AsyncSession, username: str) -> Person | None:
    """A person by @username, case-insensitive."""
    found = await session.exec(
        select(Person).where(Person.username_lower == username.lstrip("@").lower())
    )
    return found.first()


async def agents(session: AsyncSession) -> list[Person]:
    """Every enrolled agent, by name."""
    found = await session.exec(
        select(Person).where(col(Person.is_agent)).order_by(Person.first_name, Person.id)
    )
    return list(found)


async def supervisors(session: AsyncSession) -> list[Person]:
    """Every supervisor, by name."""
    found = await session.exec(
        select(Person).where(col(Person.is_supervisor)).order_by(Person.first_name, Person.id)
    )
    return list(found)


async def team(session: AsyncSession) -> list[Person]:
    """Everyone who is an agent or a supervisor."""
    found = await session.exec(
        select(Person).where(col(Person.is_agent) | col(Person.is_supervisor))
    )
    return list(found)


async def get_setting(session: AsyncSession, key: str) -> str | None:
    """A team setting's value, or None."""
    row = await session.get(Setting, key)
    return row.value if row else None


async def put_setting(
    session: AsyncSession, key: str, value: str, *, at: dt.datetime, by: int | None
) -> None:
    """Set a team setting."""
    row = await session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value, updated_at=at, updated_by=by)
    else:
        row.value, row.updated_at, row.updated_by = value, at, by
    session.add(row)


async def audit(
    session: AsyncSession,
    *,
    at: dt.datetime,
    actor_id: int | None,
    action: str,
    subject_id: int | None = None,
    detail: str = "",
) -> None:
    """Append one line to the audit log."""
    session.add(
        AuditLog(at=at, actor_id=actor_id, action=action, subject_id=subject_id, detail=detail)
    )
