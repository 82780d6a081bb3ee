"""Attendance use-cases: clock in and out, breaks, handovers, who is on shift."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from bot import notices
from bot.notices import Note, Notices
from bot.services import Refusal
from bot.services.roster import Roster
from rules import attendance as attendance_rules
from rules import leaving as leaving_rules
from rules import parse as parse_rules
from rules.policy import Policy
from storage import attendance as attendance_store
from storage import people as people_store
from storage.attendance import AlreadyOpen, Waiting, Worked
from storage.db import Database
from storage.models import BreakPeriod, Handover, HandoverAck, Person, WorkSession
from storage.unique import Duplicate

DAY = dt.timedelta(days=1)
HANDOVER_WINDOW = dt.timedelta(hours=24)
HANDOVERS_SHOWN = 10


@dataclass(frozen=True)
class ClockedIn:
    """A clock-in as recorded, with the handovers waiting for this agent."""

    session: WorkSession
    assessment: attendance_rules.ClockIn
    handovers: list[Waiting]  # each unpacks as (note, author)


@dataclass(frozen=True)
class ClockedOut:
    """A clock-out as recorded, with its summary."""

    session: WorkSession
    summary: attendance_rules.SessionSummary


@dataclass(frozen=True)
class BackFromBreak:
    """A break that ended."""

    rest: BreakPeriod
    length: dt.timedelta
    over_by: dt.timedelta


@dataclass(frozen=True)
class Due:
    """An agent the roster expects today who has not clocked in yet."""

    person: Person
    shift: str
    start: dt.datetime


# Names `/team` lists in each part; the rest are counted ("… and 4 950 more"): a chat
# reply stays a few messages, not sixty, for a team of thousands [issue 16].
TEAM_SHOWN = 50
_PARTS = ("working", "resting", "waiting", "off", *attendance_rules.OFF_REASONS)


@dataclass(frozen=True)
class TeamStatus:
    """Who is on shift, on break (and for how long), expected today but not yet in, off
    today and why (rest, holiday, leave), and otherwise off (done for the day, no shift):
    the first `TEAM_SHOWN` of each part by name, and each part's full count."""

    working: list[tuple[Person, WorkSession]]
    resting: list[tuple[Person, BreakPeriod, dt.timedelta]]
    off: list[Person]
    waiting: list[Due] = field(default_factory=list)
    away: dict[str, list[Person]] = field(default_factory=dict)  # REST, HOLIDAY, LEAVE
    totals: dict[str, int] = field(default_factory=dict)  # part → everyone in it

    def count(self, part: str) -> int:
        """Everyone in a part ("working", "resting", "waiting", "off", or a reason)."""
        shown = (
            self.away.get(part, []) if part in attendance_rules.OFF_REASONS else getattr(self, part)
        )
        return self.totals.get(part, len(shown))

    def more(self, part: str) -> int:
        """How many of a part are counted but not named."""
        shown = (
            self.away.get(part, []) if part in attendance_rules.OFF_REASONS else getattr(self, part)
        )
        return self.count(part) - len(shown)

    @property
    def off_count(self) -> int:
        """Everyone not on duty and not expected any more today."""
        return self.count("off") + sum(self.count(why) for why in attendance_rules.OFF_REASONS)


@dataclass(frozen=True)
class Acked:
    """The result of pressing a handover's acknowledge button."""

    handover: Handover
    ack: HandoverAck
    new: bool
    author: Person


def _agent(person: Person) -> None:
    if not person.is_agent:
        raise Refusal("agents_only")


class Attendance:
    """Attendance use-cases over one database and policy."""

    def __init__(self, db: Database, policy: Policy, notices: Notices, roster: Roster) -> None:
        self.db = db
        self.policy = policy
        self.notices = notices
        self.roster = roster

    def shift_name(self, key: str | None) -> str | None:
        """A shift's name in the team's language."""
        shift = self.policy.shifts.get(key) if key else None
        return shift.name.in_(self.notices.texts.language) if shift else None

    async def clock_in(self, person: Person, *, at: dt.datetime, chat_id: int) -> ClockedIn:
        """Open a work session; late arrival is assessed against the shift the roster
        gives for the day (the day before's or after's when the clock-in belongs to it);
        on a day off there is none. After the last working day it is refused, even
        before the leavers' job ran."""
        _agent(person)
        today = at.astimezone(self.policy.tz).date()
        if leaving_rules.has_left(person.left_on, today):
            raise Refusal("left_team", day=person.left_on)

        def work(session: Session) -> ClockedIn:
            plans = self.roster.plans([person], today - DAY, today + DAY, session=session)
            found = attendance_rules.rostered_slot(
                {day: plan.shift for day, plan in plans[person.id].items()},
                self.policy.shifts,
                at,
                self.policy.tz,
                dt.timedelta(hours=self.policy.attendance.early_window_hours),
            )
            assessment = attendance_rules.assess_rostered(found, at, self.policy.attendance)
            opened = WorkSession(
                person_id=person.id,
                started_at=at,
                shift=found.key if found else None,
                shift_start=assessment.slot.start if assessment.slot else None,
                shift_end=assessment.slot.end if assessment.slot else None,
                late_minutes=assessment.late_minutes,
                outside_shift=assessment.outside_shift,
                chat_id=chat_id,
            )
            started = attendance_store.start_session(opened, session=session)
            if isinstance(started, AlreadyOpen):
                raise Refusal("already_clocked_in", since=started.since)
            notes = attendance_store.pending_handovers(
                person=person, since=at - HANDOVER_WINDOW, session=session
            )
            return ClockedIn(started, assessment, notes[-HANDOVERS_SHOWN:])

        return await self.db.run(work)

    async def clock_out(self, person: Person, *, at: dt.datetime) -> ClockedOut:
        """Close the work session (and a break left open) and sum it up."""
        _agent(person)

        def work(session: Session) -> Worked:
            closed = attendance_store.end_session(person.id, at=at, session=session)
            if closed is None:
                raise Refusal("not_clocked_in")
            return closed

        closed = await self.db.run(work)
        summary = attendance_rules.summarize_session(
            closed.work.started_at,
            at,
            [attendance_rules.Stretch(b.started_at, b.ended_at) for b in closed.breaks],
            self.policy.attendance,
            None if closed.work.outside_shift else closed.work.shift_end,
        )
        return ClockedOut(closed.work, summary)

    async def start_break(self, person: Person, *, at: dt.datetime) -> BreakPeriod:
        """Start a break; only while clocked in, one at a time."""
        _agent(person)

        def work(session: Session) -> BreakPeriod:
            current = attendance_store.open_session(person.id, session=session)
            if current is None:
                raise Refusal("not_clocked_in")
            running = attendance_store.open_break(person.id, session=session)
            if running is not None:
                raise Refusal("already_on_break", since=running.started_at)
            assert current.id is not None
            rest = BreakPeriod(session_id=current.id, person_id=person.id, started_at=at)
            started = attendance_store.start_break(rest, session=session)
            if isinstance(started, AlreadyOpen):  # started at the same moment elsewhere
                raise Refusal("already_on_break", since=started.since)
            return started

        return await self.db.run(work)

    async def end_break(self, person: Person, *, at: dt.datetime) -> BackFromBreak:
        """End the running break; says how long it was and by how much it ran over."""
        _agent(person)

        def work(session: Session) -> BreakPeriod:
            rest = attendance_store.end_break(person.id, at=at, session=session)
            if rest is None:
                raise Refusal("no_break")
            return rest

        rest = await self.db.run(work)
        return BackFromBreak(
            rest,
            at - rest.started_at,
            attendance_rules.break_over_by(rest.started_at, at, self.policy.attendance),
        )

    async def hand_over(
        self, person: Person, text: str, *, at: dt.datetime, chat_id: int
    ) -> Handover:
        """Store a note for the next shift (the caller posts it to the team group)."""
        _agent(person)
        if not parse_rules.visible(text):
            raise Refusal("handover_empty")

        def work(session: Session) -> Handover:
            current = attendance_store.open_session(person.id, session=session)
            from_shift = (current.shift if current else None) or person.shift
            note = Handover(
                author_id=person.id,
                session_id=current.id if current else None,
                text=text.strip(),
                created_at=at,
                from_shift=from_shift,
                to_shift=attendance_rules.next_shift(
                    self.policy.shifts, from_shift, at, self.policy.tz
                ),
                chat_id=chat_id,
            )
            attendance_store.add_handover(note, session=session)
            data = {
                "note": note,
                "author": person,
                "from_shift": self.shift_name(note.from_shift),
                "to_shift": self.shift_name(note.to_shift),
            }
            post = Note(f"handover:{note.id}", notices.GROUP, "handover_post", data)
            self.notices.record(session, [post], at=at)  # with the note, or not at all
            return note

        return await self.db.run(work)

    async def acknowledge(self, handover_id: int, person: Person, *, at: dt.datetime) -> Acked:
        """Record that `person` has read a handover, and tell its author (by DM, once);
        pressing again changes nothing."""
        _agent(person)

        def work(session: Session) -> Acked:
            note = attendance_store.get_handover(handover_id, session=session)
            if note is None:
                raise Refusal("handover_unknown")
            if note.author_id == person.id:
                raise Refusal("handover_own")
            author = people_store.get(note.author_id, session=session)
            assert author is not None
            earlier = attendance_store.ack_of(handover_id, person.id, session=session)
            if earlier is not None:
                return Acked(note, earlier, False, author)
            ack = attendance_store.add_ack(handover_id, person.id, at=at, session=session)
            if isinstance(ack, Duplicate):  # pressed twice at once: the other press recorded it
                earlier = attendance_store.ack_of(handover_id, person.id, session=session)
                assert earlier is not None
                return Acked(note, earlier, False, author)
            told = Note(
                f"handover-ack:{handover_id}:{person.id}",
                notices.person(author.id),
                "handover_acked_dm",
                {"note": note, "by": person, "ack": ack},
            )
            self.notices.record(session, [told], at=at)
            return Acked(note, ack, True, author)

        return await self.db.run(work)

    def parts_in(self, at: dt.datetime, *, session: Session) -> dict[str, list[tuple[int, Any]]]:
        """Every agent's id in one part of the day at `at`, from light rows, by name:
        "working" and "resting" (with their `OnDuty`), "waiting" (with the shift's key and
        start, by start), "off", and each reason of `OFF_REASONS` (with None)."""
        today = at.astimezone(self.policy.tz).date()
        midnight = dt.datetime.combine(today, dt.time(), tzinfo=self.policy.tz)
        duty = {row.work.person_id: row for row in attendance_store.on_duty(session=session)}
        came = attendance_store.started_between(midnight, at, session=session)
        parts: dict[str, list[tuple[int, Any]]] = {part: [] for part in _PARTS}
        starts = {
            key: attendance_rules.slot_on(shift, today, self.policy.tz).start
            for key, shift in self.policy.shifts.items()
        }
        for pid, plan, on_leave in self.roster.plans_on(today, session=session):
            on = duty.get(pid)
            if on is not None:
                parts["working" if on.rest is None else "resting"].append((pid, on))
            elif (why := attendance_rules.off_reason(plan, on_leave)) is not None:
                parts[why].append((pid, None))
            elif plan.shift in starts and pid not in came:
                parts["waiting"].append((pid, (plan.shift, starts[plan.shift])))
            else:
                parts["off"].append((pid, None))
        parts["waiting"].sort(key=lambda item: item[1][1])  # by start, then by name
        return parts

    async def team(self, *, at: dt.datetime) -> TeamStatus:
        """Every agent: working, on break (with the time so far), expected by the roster
        today and not yet in (with the shift's start), or off (and why) [issue 16]. The
        team is sorted from light rows; only the people named are loaded."""

        def work(session: Session) -> TeamStatus:
            parts = self.parts_in(at, session=session)
            shown = {part: found[:TEAM_SHOWN] for part, found in parts.items()}
            people = people_store.many(
                [pid for part in shown.values() for pid, _ in part], session=session
            )
            return TeamStatus(
                working=[(people[pid], on.work) for pid, on in shown["working"]],
                resting=[
                    (people[pid], on.rest, at - on.rest.started_at) for pid, on in shown["resting"]
                ],
                off=[people[pid] for pid, _ in shown["off"]],
                waiting=[Due(people[pid], key, start) for pid, (key, start) in shown["waiting"]],
                away={
                    why: [people[pid] for pid, _ in shown[why]]
                    for why in attendance_rules.OFF_REASONS
                    if shown[why]
                },
                totals={part: len(found) for part, found in parts.items()},
            )

        return await self.db.read(work)

    async def running_break(self, break_id: int) -> tuple[BreakPeriod, Person] | None:
        """A break that is still running, with its agent (None once it ended)."""

        def work(session: Session) -> tuple[BreakPeriod, Person] | None:
            rest = attendance_store.get_break(break_id, session=session)
            if rest is None or rest.ended_at is not None:
                return None
            person = people_store.get(rest.person_id, session=session)
            return (rest, person) if person is not None else None

        return await self.db.read(work)

    async def open_breaks(self) -> list[BreakPeriod]:
        """Every break still running (to rebuild their timers at start)."""
        return await self.db.read(lambda session: attendance_store.open_breaks(session=session))

    async def break_by_id(self, break_id: int) -> BreakPeriod | None:
        """One break, running or not."""
        return await self.db.read(
            lambda session: attendance_store.get_break(break_id, session=session)
        )

    async def open_session_by_id(self, session_id: int) -> tuple[WorkSession, Person] | None:
        """A work session that is still open, with its agent (None once closed)."""

        def work(session: Session) -> tuple[WorkSession, Person] | None:
            found = attendance_store.get_session(session_id, session=session)
            if found is None or found.ended_at is not None:
                return None
            person = people_store.get(found.person_id, session=session)
            return (found, person) if person is not None else None

        return await self.db.read(work)

    async def clockout_moot(self, session_id: int, *, at: dt.datetime) -> bool:
        """True when "still working?" about a session no longer makes sense at `at`: the
        session is closed, or due to be closed by the bot (`clockout_close_minutes` after
        its shift's end), which tells the agent instead."""
        found = await self.db.read(
            lambda session: attendance_store.get_session(session_id, session=session)
        )
        if found is None or found.ended_at is not None or found.shift_end is None:
            return True
        close = dt.timedelta(minutes=self.policy.schedule.clockout_close_minutes)
        return at >= found.shift_end + close

    async def open_sessions(self) -> list[WorkSession]:
        """Every work session still open (to rebuild their timers at start)."""
        return await self.db.read(
            lambda session: [row.work for row in attendance_store.on_duty(session=session)]
        )

    async def close_at(
        self, session_id: int, *, at: dt.datetime, automatic: bool
    ) -> ClockedOut | None:
        """Close a session still open at `at` (its shift's end, say); None if already closed."""

        closed = await self.db.run(
            lambda session: attendance_store.close_session(
                session_id, at=at, automatic=automatic, session=session
            )
        )
        if closed is None:
            return None
        assert closed.work.ended_at is not None
        summary = attendance_rules.summarize_session(
            closed.work.started_at,
            closed.work.ended_at,
            [attendance_rules.Stretch(b.started_at, b.ended_at) for b in closed.breaks],
            self.policy.attendance,
            None,
        )
        return ClockedOut(closed.work, summary)

    async def correct_end(
        self, actor: Person, person: Person, end_time: dt.time, *, at: dt.datetime
    ) -> WorkSession:
        """`/fixshift`: a supervisor sets the real end of a shift the bot closed itself."""
        tz = self.policy.tz

        def work(session: Session) -> WorkSession:
            found = attendance_store.last_auto_closed(person.id, session=session)
            if found is None or found.ended_at is None:
                raise Refusal("no_auto_closed", person=person)
            day = (found.shift_end or found.ended_at).astimezone(tz).date()
            end = dt.datetime.combine(day, end_time, tzinfo=tz)
            if end <= found.started_at:
                end += dt.timedelta(days=1)
            if end > at:
                raise Refusal("end_in_future", end=end)
            old = found.ended_at
            assert found.id is not None
            corrected = attendance_store.correct_end(found.id, end, session=session)
            people_store.audit(
                at=at,
                actor_id=actor.id,
                action="fixshift",
                subject_id=person.id,
                detail=f"session {found.id}: end {old.isoformat()} -> {end.isoformat()}",
                session=session,
            )
            return corrected

        return await self.db.run(work)
