"""Rhythm use-cases: rest days, leave requests and decisions, weekly reports, the roster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from bot import buttons, notices
from bot.notices import Note, Notices
from bot.services import Refusal
from bot.services.people import PatternSet, People, Target
from bot.services.roster import Roster
from rules import attendance as attendance_rules
from rules import parse as parse_rules
from rules import rhythm as rhythm_rules
from rules import roster as roster_rules
from rules.policy import Policy
from storage import attendance as attendance_store
from storage import people as people_store
from storage import rhythm as rhythm_store
from storage import slots as slots_store
from storage.db import Database
from storage.models import LeaveRequest, Meeting, MeetingReply, Person, WeeklyReport
from storage.unique import Duplicate

APPROVED, DENIED = buttons.APPROVED, buttons.DENIED
ABSENCE_CHECK = "absence-check"
LATE_CHECK = "late-check"


@dataclass(frozen=True)
class LeaveDecided:
    """The outcome of pressing approve or deny."""

    leave: LeaveRequest
    person: Person
    decided_by: Person | None
    new: bool


@dataclass(frozen=True)
class MeetingCall:
    """A meeting day: who is rostered and who stays on duty."""

    meeting: Meeting
    rostered: list[Person]
    duty: Person | None


@dataclass(frozen=True)
class Turnout:
    """A shift's start on a day: the agents rostered for it (or a selection of them) and
    when each who came clocked in."""

    day: dt.date
    start: dt.datetime
    rostered: list[Person]
    came: dict[int, dt.datetime]


@dataclass(frozen=True)
class Reported:
    """A weekly report as stored; `replaced` when it replaced an earlier one."""

    report: WeeklyReport
    replaced: bool


class Rhythm:
    """Rhythm use-cases over one database and policy."""

    def __init__(
        self, db: Database, policy: Policy, people: People, notices: Notices, roster: Roster
    ) -> None:
        self.db = db
        self.policy = policy
        self.people = people
        self.notices = notices
        self.rostered = roster

    async def set_rest_day(
        self,
        actor: Person,
        target: Target,
        weekday: str,
        *,
        at: dt.datetime,
        since: str | None = None,
    ) -> tuple[PatternSet, int]:
        """`/restday @agent <weekday> [YYYY-MM-DD]`: the agent's weekly rest day, from a
        day on (today unless given); the agent's roster days from then give way to it."""
        day = rhythm_rules.parse_weekday(weekday)
        first = rhythm_rules.pattern_from(since, at.astimezone(self.policy.tz).date())
        person = await self.people.resolve_agent(target, at=at)

        def work(session: Session) -> PatternSet:
            row = people_store.set_rest_day(person.id, day, session=session)
            done = self.people.pattern_applies(session, actor, row, first, "restday", str(day), at)
            self.people.tell(
                session, done.change, actor, row, "restday_set_dm", at, day=day, done=done
            )
            return done

        return await self.db.run(work), day

    async def _leave_start(self, person: Person, day: dt.date) -> dt.datetime:
        """The start of the shift the roster gives `person` on `day` (midnight without a
        shift); a day the agent is off (rest, holiday) takes no leave [issue 16]."""
        plan = await self.rostered.shift_of(person, day)
        if plan.source in (roster_rules.REST_DAY, roster_rules.HOLIDAY_OFF) or (
            plan.source == roster_rules.ROSTER and plan.shift is None
        ):
            raise Refusal("leave_day_off", day=day, why=plan.source)
        shift = self.policy.shifts.get(plan.shift or "")
        if shift is None:
            return dt.datetime.combine(day, dt.time(), tzinfo=self.policy.tz)
        return attendance_rules.slot_on(shift, day, self.policy.tz).start

    async def request_leave(
        self, person: Person, day_text: str, reason: str, *, at: dt.datetime
    ) -> LeaveRequest:
        """`/leave <YYYY-MM-DD> <reason>`: passed on to the supervisors, marked late if
        late (against the rostered shift's start); refused on a day off."""
        if not person.is_agent:
            raise Refusal("agents_only")
        if not parse_rules.visible(reason):
            raise Refusal("leave_usage")
        today = at.astimezone(self.policy.tz).date()
        day = rhythm_rules.parse_leave_day(day_text, today, self.policy.leave)
        start = await self._leave_start(person, day)
        timing = rhythm_rules.leave_timing(start, at, self.policy.leave)

        def work(session: Session) -> LeaveRequest:
            earlier = rhythm_store.leave_on(person.id, day, session=session)
            if earlier is not None:
                raise Refusal("leave_twice", day=day, status=earlier.status)
            row = LeaveRequest(
                person_id=person.id,
                day=day,
                reason=reason.strip(),
                timing=timing,
                requested_at=at,
            )
            if isinstance(rhythm_store.add_leave(row, session=session), Duplicate):
                raise Refusal("leave_twice", day=day, status="pending")  # asked just now
            assert row.id is not None
            note = Note(
                f"leave:{row.id}",
                notices.To(bosses=True, but=person.id),
                "leave_card",
                {"leave": row, "person": person},
                buttons=(
                    ("leave_approve_button", buttons.LeaveDecision(row.id, APPROVED).encode()),
                    ("leave_deny_button", buttons.LeaveDecision(row.id, DENIED).encode()),
                ),
            )
            self.notices.record(session, [note], at=at)
            return row

        return await self.db.run(work)

    async def decide_leave(
        self, actor: Person, leave_id: int, status: str, *, at: dt.datetime
    ) -> LeaveDecided:
        """A supervisor's approve or deny; the first press wins."""
        if not self.people.is_supervisor(actor):
            raise Refusal("decide_not_allowed", what="leave")

        def work(session: Session) -> LeaveDecided:
            new = rhythm_store.decide_leave(
                leave_id, status=status, by=actor.id, at=at, session=session
            )
            leave = rhythm_store.leave(leave_id, session=session)
            if leave is None:
                raise Refusal("leave_unknown")
            person = people_store.get(leave.person_id, session=session)
            decider = (
                people_store.get(leave.decided_by, session=session) if leave.decided_by else None
            )
            assert person is not None
            decision = LeaveDecided(leave, person, decider, new)
            if new:
                note = Note(
                    f"leave-decided:{leave_id}",
                    notices.person(person.id),
                    "leave_decided_dm",
                    {"decision": decision},
                )
                self.notices.record(session, [note], at=at)
            return decision

        return await self.db.run(work)

    async def report(self, person: Person, text: str, *, at: dt.datetime) -> Reported:
        """`/report <text>`: this week's report; a second one replaces the first [004]."""
        if not person.is_agent:
            raise Refusal("agents_only")
        if not parse_rules.visible(text):
            raise Refusal("report_empty")
        week = rhythm_rules.week_of(at, self.policy.tz).isoformat()

        def work(session: Session) -> Reported:
            row = rhythm_store.save_report(person.id, week, text.strip(), at=at, session=session)
            return Reported(row, replaced=row.replaced > 0)

        return await self.db.run(work)

    async def roster(self, day: dt.date) -> list[Person]:
        """The agents expected at work on a day: on a shift by the roster (or their weekly
        pattern), no approved leave."""
        return [one.person for one in await self.rostered.expected(day)]

    async def missing_reports(self, week: dt.date) -> list[Person]:
        """The agents who have not sent the report for the week starting on `week`."""

        def work(session: Session) -> list[Person]:
            sent = rhythm_store.reporters(week.isoformat(), session=session)
            return [agent for agent in people_store.agents(session=session) if agent.id not in sent]

        return await self.db.read(work)

    def week_of(self, at: dt.datetime) -> dt.date:
        """The Monday of the week, team time."""
        return rhythm_rules.week_of(at, self.policy.tz)

    def absence_check(self, shift_key: str) -> str:
        """The job name of a shift's absence check (its slot is the day)."""
        return f"{ABSENCE_CHECK}:{shift_key}"

    async def absence_reported(self, day: dt.date) -> bool:
        """True once an absence check of some shift went out for `day` (its card exists)."""
        jobs = [self.absence_check(key) for key in self.policy.shifts]
        return await self.db.read(
            lambda session: slots_store.was_run(jobs, day.isoformat(), session=session)
        )

    async def _turnout(self, shift_key: str, at: dt.datetime) -> Turnout:
        """The shift's last start by `at`: its rostered agents and their clock-ins."""
        shift = self.policy.shifts[shift_key]
        early = dt.timedelta(hours=self.policy.attendance.early_window_hours)
        slot = attendance_rules.slot_for(shift, at, self.policy.tz, early)
        if slot.start > at:  # the check runs after the start: take the slot that began
            slot = attendance_rules.slot_on(
                shift, slot.start.date() - dt.timedelta(days=1), self.policy.tz
            )
        day = slot.start.date()
        rostered = [
            one.person for one in await self.rostered.expected(day) if one.shift == shift_key
        ]

        def work(session: Session) -> dict[int, dt.datetime]:
            came: dict[int, dt.datetime] = {}
            shifts = attendance_store.sessions_between(slot.start - early, at, session=session)
            for one in sorted(shifts, key=lambda w: w.work.started_at):
                came.setdefault(one.work.person_id, one.work.started_at)  # the first one
            return came

        return Turnout(day, slot.start, rostered, await self.db.read(work))

    async def absent(self, shift_key: str, at: dt.datetime) -> tuple[dt.date, list[Person]]:
        """The shift's rostered agents with no clock-in by `at` (2 hours after its start)."""
        turnout = await self._turnout(shift_key, at)
        return turnout.day, [p for p in turnout.rostered if p.id not in turnout.came]

    def late_check(self, shift_key: str) -> str:
        """The job name of a shift's late check (its slot is the day)."""
        return f"{LATE_CHECK}:{shift_key}"

    async def late(self, shift_key: str, at: dt.datetime) -> Turnout:
        """The shift's rostered agents more than the policy's minutes late by `at`: each
        with their clock-in, or none yet (`rules.attendance.late_alert`)."""
        turnout = await self._turnout(shift_key, at)
        rules = self.policy.attendance
        late = [
            p
            for p in turnout.rostered
            if attendance_rules.late_alert(turnout.start, turnout.came.get(p.id), at, rules)
        ]
        return Turnout(turnout.day, turnout.start, late, turnout.came)

    async def record_leave(
        self, actor: Person, person_id: int, day: dt.date, *, at: dt.datetime
    ) -> None:
        """A supervisor records a day as leave (approved), e.g. for an absence reported late."""

        def work(session: Session) -> None:
            rhythm_store.record_leave(
                person_id,
                day,
                status=APPROVED,
                reason="recorded by a supervisor",
                timing="late",
                by=actor.id,
                at=at,
                session=session,
            )

        await self.db.run(work)

    async def meeting_roster(self, day: dt.date) -> list[Person]:
        """The agents expected at the day's meeting: rostered, and at work when it starts
        (an evening shift is not there for a morning meeting) [000]."""
        meeting, tz = self.policy.schedule.meeting, self.policy.tz
        return [
            one.person
            for one in await self.rostered.expected(day)
            if rhythm_rules.at_meeting(self.policy.shifts.get(one.shift or ""), day, meeting, tz)
        ]

    async def call_meeting(self, day: dt.date, at: dt.datetime) -> MeetingCall | None:
        """The day's meeting, with the agent on duty by a fair rotation among those at work
        when it starts (the same on a rerun); None, and no meeting, when no agent is."""
        rostered = await self.meeting_roster(day)
        if not rostered:
            return None

        def work(session: Session) -> Meeting:
            meeting = rhythm_store.meeting_on(day, session=session)
            if meeting is not None:
                return meeting
            history = rhythm_store.duty_history(session=session)
            duty = rhythm_rules.on_duty([p.id for p in rostered], history.counts, history.last)
            called = Meeting(day=day, duty_person_id=duty, created_at=at)
            if not isinstance(rhythm_store.add_meeting(called, session=session), Duplicate):
                return called
            meeting = rhythm_store.meeting_on(day, session=session)  # another process called it now
            assert meeting is not None
            return meeting

        meeting = await self.db.run(work)
        duty = next((p for p in rostered if p.id == meeting.duty_person_id), None)
        return MeetingCall(meeting, rostered, duty)

    async def reply_meeting(
        self, person: Person, meeting_id: int, answer: str, *, at: dt.datetime
    ) -> MeetingReply:
        """An agent's answer to the reminder; pressing again changes the answer."""
        if not person.is_agent:
            raise Refusal("agents_only")

        def work(session: Session) -> MeetingReply:
            if rhythm_store.meeting(meeting_id, session=session) is None:
                raise Refusal("button_invalid")
            return rhythm_store.put_reply(meeting_id, person.id, answer, at=at, session=session)

        return await self.db.run(work)

    async def unconfirmed(self, day: dt.date) -> tuple[Meeting | None, list[Person]]:
        """The agents expected at the day's meeting who did not answer its reminder; the
        agent on duty stays at work during it, so is never missing from it."""
        rostered = await self.meeting_roster(day)

        def work(session: Session) -> tuple[Meeting | None, set[int]]:
            meeting = rhythm_store.meeting_on(day, session=session)
            if meeting is None or meeting.id is None:
                return None, set()
            return meeting, set(rhythm_store.replies(meeting.id, session=session))

        meeting, answered = await self.db.read(work)
        if meeting is None:
            return None, []
        excused = answered | {meeting.duty_person_id}
        return meeting, [p for p in rostered if p.id not in excused]
