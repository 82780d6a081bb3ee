"""Work sessions, breaks and handovers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from sqlmodel import Session, col, or_, select

from storage import unique
from storage.models import BreakPeriod, Handover, HandoverAck, Person, WorkSession
from storage.unique import Duplicate


@dataclass(frozen=True)
class AlreadyOpen:
    """The person's shift (or break) was open already: the unique index on open ones said so."""

    since: dt.datetime


@dataclass(frozen=True)
class Worked:
    """A work session with its breaks, in order."""

    work: WorkSession
    breaks: list[BreakPeriod]


@dataclass(frozen=True)
class OnDuty:
    """An open work session, and its running break if the agent is on one."""

    work: WorkSession
    rest: BreakPeriod | None


class Waiting(NamedTuple):
    """A handover waiting for someone, with its author (unpacks as `note, author`)."""

    note: Handover
    author: Person


def open_session(person_id: int, *, session: Session) -> WorkSession | None:
    """The person's work session that has not ended, if any."""
    found = session.exec(
        select(WorkSession).where(
            WorkSession.person_id == person_id, col(WorkSession.ended_at).is_(None)
        )
    )
    return found.first()


def open_break(person_id: int, *, session: Session) -> BreakPeriod | None:
    """The person's break that has not ended, if any."""
    found = session.exec(
        select(BreakPeriod).where(
            BreakPeriod.person_id == person_id, col(BreakPeriod.ended_at).is_(None)
        )
    )
    return found.first()


def breaks_of(session_id: int, *, session: Session) -> list[BreakPeriod]:
    """The breaks of one work session, in order."""
    found = session.exec(
        select(BreakPeriod)
        .where(BreakPeriod.session_id == session_id)
        .order_by(col(BreakPeriod.started_at))
    )
    return list(found)


Opened = TypeVar("Opened", WorkSession, BreakPeriod)


def _start(
    row: Opened, running: Callable[..., Opened | None], *, session: Session
) -> Opened | AlreadyOpen:
    """Insert `row`; `AlreadyOpen` (since the running one began) if the unique index on
    open rows refuses it. No look-up first: the index decides."""
    if isinstance(unique.insert(row, session=session), Duplicate):
        existing = running(row.person_id, session=session)
        return AlreadyOpen(existing.started_at if existing else row.started_at)
    return row


def start_session(row: WorkSession, *, session: Session) -> WorkSession | AlreadyOpen:
    """Open a work session; `AlreadyOpen` if one is open."""
    return _start(row, open_session, session=session)


def start_break(row: BreakPeriod, *, session: Session) -> BreakPeriod | AlreadyOpen:
    """Start a break; `AlreadyOpen` if one is running."""
    return _start(row, open_break, session=session)


def add_handover(row: Handover, *, session: Session) -> None:
    """Insert a handover note and flush it (its id is known)."""
    session.add(row)
    session.flush()


def on_duty(*, session: Session) -> list[OnDuty]:
    """Every open work session with its open break, if any."""
    found = session.exec(
        select(WorkSession, BreakPeriod)
        .join(
            BreakPeriod,
            (col(BreakPeriod.session_id) == WorkSession.id) & col(BreakPeriod.ended_at).is_(None),
            isouter=True,
        )
        .where(col(WorkSession.ended_at).is_(None))
    )
    return [OnDuty(work, rest) for work, rest in found]


def pending_handovers(*, person: Person, since: dt.datetime, session: Session) -> list[Waiting]:
    """Handovers for this person's shift since `since`, by others, not yet acknowledged.

    One plain query for the common case (none); authors and acks only when some exist.
    """
    query = select(Handover).where(Handover.created_at >= since, Handover.author_id != person.id)
    if person.shift is not None:
        query = query.where(
            or_(col(Handover.to_shift).is_(None), Handover.to_shift == person.shift)
        )
    notes = list(session.exec(query.order_by(col(Handover.created_at))))
    if not notes:
        return []
    ids = [note.id for note in notes]
    acked = set(
        session.exec(
            select(HandoverAck.handover_id).where(
                HandoverAck.person_id == person.id, col(HandoverAck.handover_id).in_(ids)
            )
        )
    )
    authors = {
        author.id: author
        for author in session.exec(
            select(Person).where(col(Person.id).in_({note.author_id for note in notes}))
        )
    }
    return [Waiting(note, authors[note.author_id]) for note in notes if note.id not in acked]


def get_handover(handover_id: int, *, session: Session) -> Handover | None:
    """One handover by id."""
    return session.get(Handover, handover_id)


def ack_of(handover_id: int, person_id: int, *, session: Session) -> HandoverAck | None:
    """A person's acknowledgement of a handover, if given."""
    found = session.exec(
        select(HandoverAck).where(
            HandoverAck.handover_id == handover_id, HandoverAck.person_id == person_id
        )
    )
    return found.first()


def add_ack(
    handover_id: int, person_id: int, *, at: dt.datetime, session: Session
) -> HandoverAck | Duplicate:
    """Record an acknowledgement; `Duplicate` if the person's was recorded already."""
    ack = HandoverAck(handover_id=handover_id, person_id=person_id, acked_at=at)
    return unique.insert(ack, session=session)


def started_between(first: dt.datetime, last: dt.datetime, *, session: Session) -> set[int]:
    """The people with a work session started in [first, last)."""
    return set(
        session.exec(
            select(col(WorkSession.person_id))
            .where(WorkSession.started_at >= first, WorkSession.started_at < last)
            .distinct()
        )
    )


def late_starts(
    first: dt.datetime, last: dt.datetime, *, session: Session
) -> dict[int, tuple[int, dt.datetime]]:
    """Each person's first late clock-in in [first, last): (minutes late, when), from
    light rows (the Mini App's board at thousands of agents)."""
    found = session.exec(
        select(WorkSession.person_id, WorkSession.late_minutes, WorkSession.started_at)
        .where(
            WorkSession.started_at >= first,
            WorkSession.started_at < last,
            WorkSession.late_minutes > 0,
        )
        .order_by(col(WorkSession.started_at))
    )
    late: dict[int, tuple[int, dt.datetime]] = {}
    for person_id, minutes, started in found:
        late.setdefault(person_id, (minutes, started))
    return late


def sessions_between(first: dt.datetime, last: dt.datetime, *, session: Session) -> list[Worked]:
    """Work sessions started in [first, last), each with its breaks."""
    shifts = list(
        session.exec(
            select(WorkSession).where(
                WorkSession.started_at >= first, WorkSession.started_at < last
            )
        )
    )
    if not shifts:
        return []
    ids = [shift.id for shift in shifts]
    breaks: dict[int, list[BreakPeriod]] = {}
    for rest in session.exec(select(BreakPeriod).where(col(BreakPeriod.session_id).in_(ids))):
        breaks.setdefault(rest.session_id, []).append(rest)
    return [Worked(shift, breaks.get(shift.id or 0, [])) for shift in shifts]


def open_breaks(*, session: Session) -> list[BreakPeriod]:
    """Every break still running."""
    return list(session.exec(select(BreakPeriod).where(col(BreakPeriod.ended_at).is_(None))))


def get_break(break_id: int, *, session: Session) -> BreakPeriod | None:
    """One break by id."""
    return session.get(BreakPeriod, break_id)


def last_auto_closed(person_id: int, *, session: Session) -> WorkSession | None:
    """The person's latest shift that the bot closed after a forgotten clock-out."""
    return session.exec(
        select(WorkSession)
        .where(WorkSession.person_id == person_id, col(WorkSession.auto_closed))
        .order_by(col(WorkSession.started_at).desc())
    ).first()


def get_session(session_id: int, *, session: Session) -> WorkSession | None:
    """One work session by id."""
    return session.get(WorkSession, session_id)


def end_session(person_id: int, *, at: dt.datetime, session: Session) -> Worked | None:
    """Clock out: the person's open work session (and a break left open) ends at `at`;
    None if none is open (or the bot's own close ended it just now)."""
    current = open_session(person_id, session=session)
    if current is None or current.id is None:
        return None
    return close_session(current.id, at=at, automatic=False, session=session)


def close_session(
    session_id: int, *, at: dt.datetime, automatic: bool, session: Session
) -> Worked | None:
    """End a work session still open (and its running break) at `at`, or at its start if
    `at` is earlier; None if it was closed already. The row is locked first, so a clock-out
    and the bot's own close do not both end it."""
    current = session.get(WorkSession, session_id, with_for_update=True)
    if current is None or current.ended_at is not None:
        return None
    breaks = breaks_of(session_id, session=session)
    for rest in breaks:
        if rest.ended_at is None:
            rest.ended_at = max(at, rest.started_at)
            session.add(rest)
    current.ended_at = max(at, current.started_at)
    current.auto_closed = automatic
    session.add(current)
    return Worked(current, breaks)


def end_break(person_id: int, *, at: dt.datetime, session: Session) -> BreakPeriod | None:
    """The person's running break ends at `at`; None if none is running."""
    rest = open_break(person_id, session=session)
    if rest is None:
        return None
    rest.ended_at = at
    session.add(rest)
    return rest


def correct_end(session_id: int, end: dt.datetime, *, session: Session) -> WorkSession:
    """A closed work session ends at `end` instead; breaks that ran past it end there too."""
    work = session.get(WorkSession, session_id)
    assert work is not None
    for rest in breaks_of(session_id, session=session):
        if rest.ended_at is not None and rest.ended_at > end:
            rest.ended_at = max(end, rest.started_at)
            session.add(rest)
    work.ended_at = end
    session.add(work)
    return work


def sessions_of(
    person_id: int, first: dt.datetime, last: dt.datetime, *, session: Session
) -> list[WorkSession]:
    """One person's work sessions started in [first, last), in order."""
    return list(
        session.exec(
            select(WorkSession)
            .where(
                WorkSession.person_id == person_id,
                WorkSession.started_at >= first,
                WorkSession.started_at < last,
            )
            .order_by(col(WorkSession.started_at))
        )
    )


def restart(session_id: int, start: WorkSession, *, session: Session) -> WorkSession:
    """A work session begins as `start` says instead (a make-up clock-in): its start and
    the shift it is assessed against, with its lateness."""
    work = session.get(WorkSession, session_id, with_for_update=True)
    assert work is not None
    work.started_at = start.started_at
    work.shift, work.shift_start, work.shift_end = start.shift, start.shift_start, start.shift_end
    work.late_minutes, work.outside_shift = start.late_minutes, start.outside_shift
    session.add(work)
    return work


def add_closed(row: WorkSession, *, session: Session) -> WorkSession:
    """Insert a work session that has ended already (a make-up clock-in for a past shift)."""
    assert row.ended_at is not None
    session.add(row)
    session.flush()
    return row


def punch_end(session_id: int, end: dt.datetime, *, session: Session) -> WorkSession | None:
    """A make-up clock-out: the session (open, or closed by the bot) ends at `end`, as if
    the agent had clocked out then (no longer `auto_closed`); None if it is gone."""
    work = session.get(WorkSession, session_id, with_for_update=True)
    if work is None:
        return None
    if work.ended_at is None:
        closed = close_session(session_id, at=end, automatic=False, session=session)
        return None if closed is None else closed.work
    corrected = correct_end(session_id, end, session=session)
    corrected.auto_closed = False
    session.add(corrected)
    return corrected
