"""Attendance use-cases: clock in and out, breaks, handovers, who is on shift."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from bot.services import Refusal
from rules import attendance as rules
from rules.policy import Policy
from storage import attendance as store
from storage import people as people_store
from storage.db import Database
from storage.models import BreakPeriod, Handover, HandoverAck, Person, WorkSession

HANDOVER_WINDOW = dt.timedelta(hours=24)
HANDOVERS_SHOWN = 10


@dataclass(frozen=True)
class ClockedIn:
    """A clock-in as recorded, with the handovers waiting for this agent."""

    session: WorkSession
    assessment: rules.ClockIn
    handovers: list[tuple[Handover, Person]]


@dataclass(frozen=True)
class ClockedOut:
    """A clock-out as recorded, with its summary."""

    session: WorkSession
    summary: rules.SessionSummary


@dataclass(frozen=True)
class BackFromBreak:
    """A break that ended."""

    rest: BreakPeriod
    length: dt.timedelta
    over_by: dt.timedelta


@dataclass(frozen=True)
class TeamStatus:
    """Who is on shift, on break (and for how long) and off."""

    working: list[tuple[Person, WorkSession]]
    resting: list[tuple[Person, BreakPeriod, dt.timedelta]]
    off: list[Person]


@dataclass(frozen=True)
class Acked:
    """The result of pressing a handover's acknowledge button."""

    handover: Handover
    ack: HandoverAck
    new: bool


class Attendance:
    """Attendance use-cases over one database and policy."""

    def __init__(self, db: Database, policy: Policy) -> None:
        self.db = db
        self.policy = policy

    def _agent(self, person: Person) -> None:
        if not person.is_agent:
            raise Refusal("agents_only")

    async def clock_in(self, person: Person, *, at: dt.datetime, chat_id: int) -> ClockedIn:
        """Open a work session; late arrival is assessed against the agent's shift."""
        self._agent(person)
        shift = self.policy.shifts.get(person.shift) if person.shift else None
        assessment = rules.assess_clock_in(shift, at, self.policy.tz, self.policy.attendance)
        try:
            async with self.db.session() as session, session.begin():
                existing = await store.open_session(session, person.id)
                if existing is not None:
                    raise Refusal("already_clocked_in", since=existing.started_at)
                work = WorkSession(
                    person_id=person.id,
                    started_at=at,
                    shift=person.shift if shift else None,
                    shift_start=assessment.slot.start if assessment.slot else None,
                    shift_end=assessment.slot.end if assessment.slot else None,
                    late_minutes=assessment.late_minutes,
                    outside_shift=assessment.outside_shift,
                    chat_id=chat_id,
                )
                await store.add(session, work)
                handovers = await store.pending_handovers(
                    session, person=person, since=at - HANDOVER_WINDOW
                )
        except IntegrityError:
            # Two clock-ins at once: the unique index let only one through.
            async with self.db.session() as session:
                existing = await store.open_session(session, person.id)
            raise Refusal(
                "already_clocked_in", since=existing.started_at if existing else at
            ) from None
        return ClockedIn(work, assessment, handovers[-HANDOVERS_SHOWN:])

    async def clock_out(self, person: Person, *, at: dt.datetime) -> ClockedOut:
        """Close the work session (and a break left open) and sum it up."""
        self._agent(person)
        async with self.db.session() as session, session.begin():
            work = await store.open_session(session, person.id)
            if work is None:
                raise Refusal("not_clocked_in")
            assert work.id is not None
            breaks = await store.breaks_of(session, work.id)
            for rest in breaks:
                if rest.ended_at is None:
                    rest.ended_at = at
                    session.add(rest)
            work.ended_at = at
            session.add(work)
        shift_end = None if work.outside_shift else work.shift_end
        summary = rules.summarize_session(
            work.started_at,
            at,
            [rules.Stretch(b.started_at, b.ended_at) for b in breaks],
            self.policy.attendance,
            shift_end,
        )
        return ClockedOut(work, summary)

    async def start_break(self, person: Person, *, at: dt.datetime) -> BreakPeriod:
        """Start a break; only while clocked in, one at a time."""
        self._agent(person)
        try:
            async with self.db.session() as session, session.begin():
                work = await store.open_session(session, person.id)
                if work is None:
                    raise Refusal("not_clocked_in")
                current = await store.open_break(session, person.id)
                if current is not None:
                    raise Refusal("already_on_break", since=current.started_at)
                assert work.id is not None
                rest = BreakPeriod(session_id=work.id, person_id=person.id, started_at=at)
                await store.add(session, rest)
                return rest
        except IntegrityError:
            raise Refusal("already_on_break", since=at) from None

    async def end_break(self, person: Person, *, at: dt.datetime) -> BackFromBreak:
        """End the running break; says how long it was and by how much it ran over."""
        self._agent(person)
        async with self.db.session() as session, session.begin():
            rest = await store.open_break(session, person.id)
            if rest is None:
                raise Refusal("no_break")
            rest.ended_at = at
            session.add(rest)
        return BackFromBreak(
            rest,
            at - rest.started_at,
            rules.break_over_by(rest.started_at, at, self.policy.attendance),
        )

    async def hand_over(
        self, person: Person, text: str, *, at: dt.datetime, chat_id: int
    ) -> Handover:
        """Store a note for the next shift (the caller posts it to the team group)."""
        self._agent(person)
        if not text.strip():
            raise Refusal("handover_empty")
        async with self.db.session() as session, session.begin():
            work = await store.open_session(session, person.id)
            from_shift = (work.shift if work else None) or person.shift
            note = Handover(
                author_id=person.id,
                session_id=work.id if work else None,
                text=text.strip(),
                created_at=at,
                from_shift=from_shift,
                to_shift=rules.next_shift(self.policy.shifts, from_shift, at, self.policy.tz),
                chat_id=chat_id,
            )
            await store.add(session, note)
            return note

    async def acknowledge(self, handover_id: int, person: Person, *, at: dt.datetime) -> Acked:
        """Record that `person` has read a handover; pressing again changes nothing."""
        self._agent(person)
        try:
            async with self.db.session() as session, session.begin():
                note = await store.get_handover(session, handover_id)
                if note is None:
                    raise Refusal("handover_unknown")
                if note.author_id == person.id:
                    raise Refusal("handover_own")
                earlier = await store.ack_of(session, handover_id, person.id)
                if earlier is not None:
                    return Acked(note, earlier, new=False)
                ack = HandoverAck(handover_id=handover_id, person_id=person.id, acked_at=at)
                await store.add_ack(session, ack)
                return Acked(note, ack, new=True)
        except IntegrityError:
            return await self.acknowledge(handover_id, person, at=at)

    async def team(self, *, at: dt.datetime) -> TeamStatus:
        """Every agent: working, on break (with the time so far), or off."""
        async with self.db.session() as session:
            agents = await people_store.agents(session)
            duty = {work.person_id: (work, rest) for work, rest in await store.on_duty(session)}
        working: list[tuple[Person, WorkSession]] = []
        resting: list[tuple[Person, BreakPeriod, dt.timedelta]] = []
        off: list[Person] = []
        for agent in agents:
            if agent.id not in duty:
                off.append(agent)
                continue
            work, rest = duty[agent.id]
            if rest is None:
                working.append((agent, work))
            else:
                resting.append((agent, rest, at - rest.started_at))
        return TeamStatus(working, resting, off)
