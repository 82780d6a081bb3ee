"""Work sessions, breaks and handovers."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import BreakPeriod, Handover, HandoverAck, Person, WorkSession


async def open_session(session: AsyncSession, person_id: int) -> WorkSession | None:
    """The person's work session that has not ended, if any."""
    found = await session.exec(
        select(WorkSession).where(
            WorkSession.person_id == person_id, col(WorkSession.ended_at).is_(None)
        )
    )
    return found.first()


async def open_break(session: AsyncSession, person_id: int) -> BreakPeriod | None:
    """The person's break that has not ended, if any."""
    found = await session.exec(
        select(BreakPeriod).where(
            BreakPeriod.person_id == person_id, col(BreakPeriod.ended_at).is_(None)
        )
    )
    return found.first()


async def breaks_of(session: AsyncSession, session_id: int) -> list[BreakPeriod]:
    """The breaks of one work session, in order."""
    found = await session.exec(
        select(BreakPeriod)
        .where(BreakPeriod.session_id == session_id)
        .order_by(BreakPeriod.started_at)
    )
    return list(found)


async def add(session: AsyncSession, row: WorkSession | BreakPeriod | Handover) -> None:
    """Insert a row and flush it, so a broken uniqueness rule shows at once."""
    session.add(row)
    await session.flush()


async def on_duty(session: AsyncSession) -> list[tuple[WorkSession, BreakPeriod | None]]:
    """Every open work session with its open break, if any."""
    found = await session.exec(
        select(WorkSession, BreakPeriod)
        .join(
            BreakPeriod,
            (col(BreakPeriod.session_id) == WorkSession.id) & col(BreakPeriod.ended_at).is_(None),
            isouter=True,
        )
        .where(col(WorkSession.ended_at).is_(None))
    )
    return [(work, rest) for work, rest in found]


async def pending_handovers(
    session: AsyncSession, *, person: Person, since: dt.datetime
) -> list[tuple[Handover, Person]]:
    """Handovers for this person's shift since `since`, by others, not yet acknowledged."""
    acked = select(HandoverAck.handover_id).where(HandoverAck.person_id == person.id)
    query = (
        select(Handover, Person)
        .join(Person, col(Person.id) == Handover.author_id)
        .where(
            Handover.created_at >= since,
            Handover.author_id != person.id,
            col(Handover.id).not_in(acked),
        )
        .order_by(col(Handover.created_at))
    )
    if person.shift is not None:
        query = query.where(
            or_(col(Handover.to_shift).is_(None), Handover.to_shift == person.shift)
        )
    found = await session.exec(query)
    return [(note, author) for note, author in found]


async def get_handover(session: AsyncSession, handover_id: int) -> Handover | None:
    """One handover by id."""
    return await session.get(Handover, handover_id)


async def ack_of(session: AsyncSession, handover_id: int, person_id: int) -> HandoverAck | None:
    """A person's acknowledgement of a handover, if given."""
    found = await session.exec(
        select(HandoverAck).where(
            HandoverAck.handover_id == handover_id, HandoverAck.person_id == person_id
        )
    )
    return found.first()


async def add_ack(session: AsyncSession, ack: HandoverAck) -> None:
    """Record an acknowledgement."""
    session.add(ack)
    await session.flush()
