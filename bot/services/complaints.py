"""Complaints on the clock [000: answer within 24 h, solve within 48 h; issue 17, part 2]:
a case opened by its agent (or assigned by a supervisor), its first answer, its solving,
the platform's arbitration; reminders before each deadline and the supervisors' alert
after one passes, recorded once each by the periodic clock job. The month's cases feed
the aftersales KPIs (`storage.payroll.casework_facts`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from bot import notices
from bot.notices import ALERT, Note, Notices
from bot.services import Refusal
from bot.services.people import People, Target
from rules import complaints as rules
from rules import parse
from rules.policy import Policy
from storage import complaints as complaints_store
from storage import people as people_store
from storage import slots as slots_store
from storage.db import Database
from storage.models import ComplaintCase, Person

JOB = "complaint-clock"
REPLIED, SOLVED, ARBITRATION = "replied", "solved", "arbitration"


@dataclass(frozen=True)
class CaseView:
    """A case with its agent and deadlines; `new`: this command changed it."""

    case: ComplaintCase
    person: Person
    answer_by: dt.datetime
    solve_by: dt.datetime
    new: bool = True


@dataclass(frozen=True)
class Complaints:
    """Complaint-case use-cases over one database and policy."""

    db: Database
    policy: Policy
    people: People
    notices: Notices

    def _view(self, case: ComplaintCase, person: Person, new: bool = True) -> CaseView:
        limits = rules.deadlines(case.opened_at, self.policy.casework)
        return CaseView(case, person, limits.answer_by, limits.solve_by, new)

    async def open(
        self, actor: Person, target: Target | None, words: str, *, at: dt.datetime
    ) -> CaseView:
        """`/complaint [@agent] <order-no> <text>`: a case for the agent who typed it, or
        (a supervisor's) for the agent named, who is told by DM. Audited."""
        if target is not None and not self.people.is_supervisor(actor):
            raise Refusal("supervisors_only")
        if target is None and not actor.is_agent:
            raise Refusal("complaint_usage")
        order, rest = rules.split_order(words, self.policy.casework)
        text = rules.free_text(rest, "complaint_usage")
        agent = actor if target is None else await self.people.resolve_agent(target, at=at)
        month = at.astimezone(self.policy.tz).strftime("%Y-%m")

        def work(session: Session) -> CaseView:
            row = complaints_store.add(
                ComplaintCase(
                    person_id=agent.id,
                    month=month,
                    order_no=order,
                    text=text,
                    opened_at=at,
                    opened_by=actor.id,
                ),
                session=session,
            )
            people_store.audit(
                at=at,
                actor_id=actor.id,
                action="complaint",
                subject_id=agent.id,
                detail=f"#{row.id} order {order}",
                session=session,
            )
            view = self._view(row, agent)
            if agent.id != actor.id:
                told = Note(
                    f"complaint-assigned:{row.id}",
                    notices.person(agent.id),
                    "complaint_assigned_dm",
                    {"v": view, "by": actor},
                )
                self.notices.record(session, [told], at=at)
            return view

        return await self.db.run(work)

    async def replied(self, actor: Person, case_text: str, *, at: dt.datetime) -> CaseView:
        """`/replied <case>`: the first answer, once (again: when it was)."""
        return await self._act(actor, case_text, REPLIED, at, complaints_store.replied)

    async def solved(self, actor: Person, case_text: str, how: str, *, at: dt.datetime) -> CaseView:
        """`/solved <case> [how]`: closed, once (a second time: when it was)."""
        note = rules.free_text(how, "solved_usage") if parse.visible(how) else None

        def solve(case_id: int, *, at: dt.datetime, session: Session) -> bool:
            return complaints_store.solved(case_id, note, at=at, session=session)

        return await self._act(actor, case_text, SOLVED, at, solve)

    async def arbitration(self, actor: Person, case_text: str, *, at: dt.datetime) -> CaseView:
        """`/arbitration <case>`: the platform stepped in, recorded once."""
        return await self._act(actor, case_text, ARBITRATION, at, complaints_store.arbitration)

    async def _act(
        self,
        actor: Person,
        case_text: str,
        what: str,
        at: dt.datetime,
        change: Callable[..., bool],
    ) -> CaseView:
        """One step on a case of the actor's own (any case, for a supervisor); a case that
        is not there or not theirs is refused alike, its contents unsaid. Audited."""
        case_id = parse.entry_id(case_text)
        boss = self.people.is_supervisor(actor)

        def work(session: Session) -> CaseView:
            row = complaints_store.get(case_id, session=session)
            if row is None or not (boss or row.person_id == actor.id):
                raise Refusal("complaint_unknown", case_id=case_id)
            if not change(case_id, at=at, session=session):
                done = {REPLIED: row.replied_at, SOLVED: row.solved_at}.get(what)
                raise Refusal(f"complaint_{what}_twice", case=row, at=done or row.arbitration_at)
            people_store.audit(
                at=at,
                actor_id=actor.id,
                action=f"complaint_{what}",
                subject_id=row.person_id,
                detail=f"#{case_id}",
                session=session,
            )
            session.refresh(row)
            return self._view(row, self._agent(row, session=session))

        return await self.db.run(work)

    async def unsolved(self, actor: Person) -> list[CaseView]:
        """`/cases`: the open cases — an agent's own; every agent's, for a supervisor."""
        mine = None if self.people.is_supervisor(actor) else actor.id

        def read(session: Session) -> list[CaseView]:
            rows = complaints_store.unsolved(person_id=mine, session=session)
            return [self._view(row, self._agent(row, session=session)) for row in rows]

        return await self.db.read(read)

    async def clock(self, *, at: dt.datetime) -> int:
        """The periodic job: every reminder and alert due now for an unsolved case,
        recorded once each (claimed in `job_run`, in the unit of work of its notice) —
        a restart, a replica or an overlapping run records nothing twice. How many."""
        casework = self.policy.casework

        def work(session: Session) -> int:
            due: list[tuple[ComplaintCase, rules.Due]] = []
            for row in complaints_store.unsolved(session=session):
                clock = rules.Clock(row.opened_at, row.replied_at, row.solved_at)
                due.extend((row, one) for one in rules.due(clock, at, casework))
            slots = [f"{row.id}:{one.slot}" for row, one in due]
            done = complaints_store.claimed(JOB, slots, session=session)
            notes = [
                self._note(row, one, session=session)
                for (row, one), slot in zip(due, slots, strict=True)
                if slot not in done and slots_store.claim(JOB, slot, at=at, session=session)
            ]
            self.notices.record(session, notes, at=at)
            return len(notes)

        return await self.db.run(work)

    def _agent(self, row: ComplaintCase, *, session: Session) -> Person:
        person = people_store.get(row.person_id, session=session)
        assert person is not None
        return person

    def _note(self, row: ComplaintCase, due: rules.Due, *, session: Session) -> Note:
        data = {"v": self._view(row, self._agent(row, session=session)), "due": due}
        key = f"complaint-{due.kind}:{row.id}:{due.deadline}"
        if due.kind == rules.REMIND:
            return Note(key, notices.person(row.person_id), "complaint_remind_dm", data)
        return Note(key, notices.BOSSES, "complaint_late_alert", data, lane=ALERT)

    async def of_month(self, month: str) -> list[ComplaintCase]:
        """Every case opened in the month (the export's sheet)."""
        return await self.db.read(lambda session: complaints_store.of_month(month, session=session))
