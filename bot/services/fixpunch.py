"""Make-up punches (`/fixpunch`, 补卡): an agent asks for a forgotten clock-in or
clock-out, a supervisor approves by button, and the approved time goes into the work
session — so lateness, early leave and days worked follow [issue 16, part 4].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from bot import buttons, notices
from bot.notices import Note, Notices
from bot.services import Refusal
from bot.services.people import People
from bot.services.roster import Roster
from rules import attendance as attendance_rules
from rules import fixpunch as rules
from rules import parse as parse_rules
from rules.policy import Policy, Shift
from storage import attendance as attendance_store
from storage import fixpunch as fixpunch_store
from storage import payroll as payroll_store
from storage import people as people_store
from storage.attendance import AlreadyOpen
from storage.db import Database
from storage.models import Person, PunchFix, WorkSession
from storage.unique import Duplicate

APPROVED, DENIED, WITHDRAWN = rules.APPROVED, rules.DENIED, rules.WITHDRAWN


@dataclass(frozen=True)
class Asked:
    """A request as stored, with the shift it was placed in."""

    fix: PunchFix
    shift: str
    left: int  # how many more the month allows


@dataclass(frozen=True)
class Settled:
    """The outcome of a press (approve, deny, withdraw): `new` if this press decided it."""

    fix: PunchFix
    person: Person
    decided_by: Person | None
    new: bool
    work: WorkSession | None = None  # the session an approval changed or opened
    opened: bool = False  # an approved `in` that opened a session (the `out` is the shift's end)
    early: int = 0  # an approved `out`: minutes before the shift's end, 0 within the grace


@dataclass(frozen=True)
class FixPunches:
    """Make-up punch use-cases over one database and policy."""

    db: Database
    policy: Policy
    people: People
    notices: Notices
    roster: Roster

    def shift_name(self, key: str | None) -> str:
        """A shift's name in the team's language (the key if the policy dropped it)."""
        shift = self.policy.shifts.get(key or "")
        return shift.name.in_(self.notices.texts.language) if shift else key or ""

    def _close_minutes(self) -> int:
        return self.policy.schedule.clockout_close_minutes

    async def _placed(self, person: Person, day: dt.date, kind: str, time: dt.time) -> rules.Punch:
        """The punch placed in the day's rostered shift, or any shift on a day off."""
        planned = await self.roster.shift_of(person, day)
        shifts: dict[str, Shift] = (
            {planned.shift: self.policy.shifts[planned.shift]}
            if planned.shift in self.policy.shifts
            else dict(self.policy.shifts)
        )
        return rules.place(
            kind, day, time, shifts, self.policy.tz, self.policy.attendance, self._close_minutes()
        )

    def _day_sessions(
        self, person_id: int, punch: rules.Punch, *, session: Session
    ) -> list[WorkSession]:
        """The person's sessions that belong to the punch's shift occurrence."""
        early = dt.timedelta(hours=self.policy.attendance.early_window_hours)
        found = attendance_store.sessions_of(
            person_id, punch.slot.start - early, punch.slot.end, session=session
        )
        return found

    def _check(self, kind: str, punch: rules.Punch, found: list[WorkSession]) -> None:
        rules.check_missing(
            kind, punch, [rules.Recorded(w.started_at, w.ended_at, w.auto_closed) for w in found]
        )

    def _unlocked(self, day: dt.date, *, session: Session) -> None:
        month = rules.month_of(day)
        if payroll_store.lock_of(month, session=session) is not None:
            raise Refusal("month_locked", month=month)

    async def ask(
        self,
        person: Person,
        day_text: str,
        kind_text: str,
        time_text: str,
        reason: str,
        *,
        at: dt.datetime,
    ) -> Asked:
        """`/fixpunch <YYYY-MM-DD> <in|out> <HH:MM> <reason>`: checked, stored, and passed
        on to the supervisors with Approve / Deny."""
        if not person.is_agent:
            raise Refusal("agents_only")
        day = parse_rules.date(day_text)
        kind = rules.kind(kind_text)
        time = parse_rules.clock_time(time_text)
        if not parse_rules.visible(reason):
            raise Refusal("fixpunch_usage")
        rules.check_day(day, at.astimezone(self.policy.tz).date(), self.policy.fixpunch)
        punch = await self._placed(person, day, kind, time)
        rules.check_not_future(punch, at)

        def work(session: Session) -> Asked:
            self._unlocked(day, session=session)
            earlier = fixpunch_store.pending_for(person.id, day, kind, session=session)
            if earlier is not None:
                raise Refusal("fixpunch_twice", fix=earlier)
            month = rules.month_of(day)
            used = fixpunch_store.counted(person.id, month, rules.COUNTED, session=session)
            rules.check_quota(used, self.policy.fixpunch, month)
            found = self._day_sessions(person.id, punch, session=session)
            self._check(kind, punch, found)
            row = fixpunch_store.add(
                PunchFix(
                    person_id=person.id,
                    day=day,
                    month=month,
                    kind=kind,
                    punched_at=punch.at,
                    reason=reason.strip(),
                    asked_at=at,
                ),
                session=session,
            )
            if isinstance(row, Duplicate):  # the same request, pressed twice at once
                earlier = fixpunch_store.pending_for(person.id, day, kind, session=session)
                raise Refusal("fixpunch_twice", fix=earlier)
            assert row.id is not None
            card = Note(
                f"fixpunch:{row.id}",
                notices.To(bosses=True, but=person.id),
                "fixpunch_card",
                {
                    "fix": row,
                    "person": person,
                    "shift": self.shift_name(punch.shift),
                    "slot": punch.slot,
                    "sessions": found,
                },
                buttons=(
                    (
                        "fixpunch_approve_button",
                        buttons.PunchFixDecision(row.id, APPROVED).encode(),
                    ),
                    ("fixpunch_deny_button", buttons.PunchFixDecision(row.id, DENIED).encode()),
                ),
            )
            self.notices.record(session, [card], at=at)
            return Asked(row, punch.shift, self.policy.fixpunch.per_month - used - 1)

        return await self.db.run(work)

    async def withdraw(self, person: Person, fix_id: int, *, at: dt.datetime) -> Settled:
        """The agent takes back a pending request of theirs (a later press is told)."""

        def work(session: Session) -> Settled:
            row = fixpunch_store.get(fix_id, session=session)
            if row is None or row.person_id != person.id:
                raise Refusal("fixpunch_unknown", fix_id=fix_id)
            new = fixpunch_store.settle(
                fix_id, status=WITHDRAWN, by=person.id, at=at, session=session
            )
            return self._settled(row, new, session=session)

        return await self.db.run(work)

    def _settled(self, row: PunchFix, new: bool, *, session: Session) -> Settled:
        person = people_store.get(row.person_id, session=session)
        by = people_store.get(row.decided_by, session=session) if row.decided_by else None
        assert person is not None
        return Settled(row, person, by, new)

    async def decide(self, actor: Person, fix_id: int, status: str, *, at: dt.datetime) -> Settled:
        """A supervisor's approve or deny; the first press wins. An approval writes the
        time into the day's work session, audited; the agent is told either way."""
        if not self.people.is_supervisor(actor):
            raise Refusal("decide_not_allowed", what="fixpunch")
        first = await self.db.read(lambda session: fixpunch_store.get(fix_id, session=session))
        if first is None:
            raise Refusal("fixpunch_unknown", fix_id=fix_id)
        person = await self.people.get(first.person_id)
        assert person is not None
        punch = None
        if status == APPROVED and first.status == rules.PENDING:
            time = first.punched_at.astimezone(self.policy.tz).time()
            punch = await self._placed(person, first.day, first.kind, time)

        def work(session: Session) -> Settled:
            if punch is not None:
                self._unlocked(first.day, session=session)
            new = fixpunch_store.settle(fix_id, status=status, by=actor.id, at=at, session=session)
            row = fixpunch_store.get(fix_id, session=session)
            assert row is not None
            settled = self._settled(row, new, session=session)
            if not new:
                return settled
            if punch is not None:
                settled = self._apply(actor, settled, punch, at=at, session=session)
            key, to = f"fixpunch-decided:{fix_id}", notices.person(person.id)
            told = Note(key, to, "fixpunch_decided_dm", {"decision": settled})
            self.notices.record(session, [told], at=at)
            return settled

        return await self.db.run(work)

    def _apply(
        self,
        actor: Person,
        settled: Settled,
        punch: rules.Punch,
        *,
        at: dt.datetime,
        session: Session,
    ) -> Settled:
        """Write an approved punch into the day's session (or open one), audited."""
        fix = settled.fix
        found = self._day_sessions(fix.person_id, punch, session=session)
        self._check(fix.kind, punch, found)  # still missing (a clock-in since says otherwise)
        if fix.kind == rules.IN:
            work, opened, old = self._apply_in(fix, punch, found, at=at, session=session)
            early = 0
        else:
            current = max(found, key=lambda w: w.started_at)
            old = current.ended_at
            assert current.id is not None
            ended = attendance_store.punch_end(current.id, punch.at, session=session)
            assert ended is not None
            work, opened = ended, False
            early = rules.early_minutes(punch.at, work.shift_end, self.policy.attendance)
        assert work.id is not None and fix.id is not None
        fixpunch_store.link(fix.id, work.id, session=session)
        people_store.audit(
            at=at,
            actor_id=actor.id,
            action="fixpunch",
            subject_id=fix.person_id,
            detail=(
                f"#{fix.id} session {work.id}: {fix.kind} "
                f"{old.isoformat() if old else 'none'} -> {punch.at.isoformat()}"
            ),
            session=session,
        )
        return Settled(
            fix, settled.person, settled.decided_by, True, work=work, opened=opened, early=early
        )

    def _apply_in(
        self,
        fix: PunchFix,
        punch: rules.Punch,
        found: list[WorkSession],
        *,
        at: dt.datetime,
        session: Session,
    ) -> tuple[WorkSession, bool, dt.datetime | None]:
        """An approved `in`: the day's session starts then, or a session is opened (still
        running if the shift is, else closed by the bot at the shift's end)."""
        shift = self.policy.shifts[punch.shift]
        check = attendance_rules.assess_clock_in(
            shift, punch.at, self.policy.tz, self.policy.attendance
        )
        start = WorkSession(
            person_id=fix.person_id,
            started_at=punch.at,
            shift=punch.shift,
            shift_start=check.slot.start if check.slot else None,
            shift_end=check.slot.end if check.slot else None,
            late_minutes=check.late_minutes,
            outside_shift=check.outside_shift,
            chat_id=fix.person_id,
        )
        if found:
            current = min(found, key=lambda w: w.started_at)
            assert current.id is not None
            old = current.started_at
            return attendance_store.restart(current.id, start, session=session), False, old
        if punch.slot.end > at:
            opened = attendance_store.start_session(start, session=session)
            if not isinstance(opened, AlreadyOpen):
                return opened, True, None
        start.ended_at, start.auto_closed = punch.slot.end, True
        return attendance_store.add_closed(start, session=session), True, None

    async def of_month(self, month: str) -> list[PunchFix]:
        """Every request for days of the month (the export's sheet)."""
        return await self.db.read(lambda session: fixpunch_store.of_month(month, session=session))
