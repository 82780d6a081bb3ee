"""The problem log (`/problem`, `/problems`, `/answer`) [000: each agent notes every
problem or idea met at work and hands the notebook to the lead weekly]: noted by an
agent, reviewed by the supervisors each week (a card per agent, an Answer button per
open problem), answered once, the answer sent to its author by DM."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from bot import buttons, notices
from bot.notices import Note, Notices
from bot.services import Refusal, local
from bot.services.discounts import Sheet, tell
from bot.services.people import People
from rules import ledger as ledger_rules
from rules import problems as rules
from rules import rhythm as rhythm_rules
from rules.policy import Policy
from storage import people as people_store
from storage import problems as problems_store
from storage.db import Database
from storage.models import Person, Problem

REVIEW = "problem-review"  # the weekly job; its slot is the review's day
SHOWN = 30  # open problems listed by /problems; the rest are counted
PER_CARD = 4  # problems on one review card (its Answer buttons fit one row)
COLUMNS = ["id", "agent_id", "name", "week", "text", "created_at", "answer", "answered_by"]
COLUMNS += ["answered_at"]


@dataclass(frozen=True)
class Answered:
    """A problem after an answer: `new` if this one was recorded (else it had one)."""

    problem: Problem
    author: Person
    by: Person | None
    new: bool


@dataclass(frozen=True)
class OpenProblems:
    """The oldest open problems, grouped by author, and how many are open in all."""

    groups: list[tuple[Person, list[Problem]]]
    shown: int
    total: int


def _loaded(problem_id: int, *, session: Session) -> tuple[Problem, Person, Person | None]:
    """A problem, its author and who answered it; `problem_unknown` if there is none."""
    row = problems_store.get(problem_id, session=session)
    if row is None:
        raise Refusal("problem_unknown", problem_id=problem_id)
    author = people_store.get(row.person_id, session=session)
    by = people_store.get(row.answered_by, session=session) if row.answered_by else None
    assert author is not None
    return row, author, by


def _people(ids: set[int], *, session: Session) -> dict[int, Person]:
    found = {pid: people_store.get(pid, session=session) for pid in ids}
    return {pid: p for pid, p in found.items() if p is not None}


@dataclass(frozen=True)
class Problems:
    """Problem-log use-cases over one database and policy."""

    db: Database
    policy: Policy
    people: People
    notices: Notices

    async def note(self, person: Person, typed: str, *, at: dt.datetime) -> Problem:
        """`/problem <text>`: kept for the week (its Monday, team time), audited."""
        if not person.is_agent:
            raise Refusal("agents_only")
        text = rules.text(typed, "problem_usage")
        week = rhythm_rules.week_of(at, self.policy.tz)

        def work(session: Session) -> Problem:
            row = problems_store.add(
                Problem(person_id=person.id, week=week.isoformat(), text=text, created_at=at),
                session=session,
            )
            people_store.audit(
                at=at,
                actor_id=person.id,
                action="problem",
                subject_id=person.id,
                detail=f"#{row.id} noted, week {row.week}",
                session=session,
            )
            return row

        return await self.db.run(work)

    async def get(self, problem_id: int) -> tuple[Problem, Person, Person | None]:
        """A problem, its author and who answered it; `problem_unknown` if there is none."""

        def read(session: Session) -> tuple[Problem, Person, Person | None]:
            return _loaded(problem_id, session=session)

        return await self.db.read(read)

    async def answer(
        self, actor: Person, problem_id: int, typed: str, *, at: dt.datetime
    ) -> Answered:
        """`/answer <id> <text>`: a supervisor's answer, once; audited, and sent to the
        author by DM. A second answer is not kept (`new` False: who answered first)."""
        if not self.people.is_supervisor(actor):
            raise Refusal("supervisors_only")
        text = rules.text(typed, "answer_usage")

        def work(session: Session) -> Answered:
            new = problems_store.answer(problem_id, text, by=actor.id, at=at, session=session)
            answered = Answered(*_loaded(problem_id, session=session), new)
            if new:
                told = Note(
                    f"problem-answer:{problem_id}",
                    notices.person(answered.author.id),
                    "problem_answered_dm",
                    {"answered": answered},
                )
                detail = f"#{problem_id} answered"
                tell(
                    self.notices,
                    actor,
                    answered.author,
                    "problem-answer",
                    detail,
                    told,
                    at=at,
                    session=session,
                )
            return answered

        return await self.db.run(work)

    async def open_list(self) -> OpenProblems:
        """`/problems`: the oldest open problems (at most `SHOWN`), grouped by author."""

        def read(session: Session) -> OpenProblems:
            rows, total = problems_store.open_ones(SHOWN, session=session)
            authors = _people({r.person_id for r in rows}, session=session)
            groups = rules.by_author(rows, lambda r: r.person_id)
            return OpenProblems([(authors[pid], found) for pid, found in groups], len(rows), total)

        return await self.db.read(read)

    async def review(self, at: dt.datetime) -> tuple[str, list[Note]]:
        """The weekly review due at `at`: its slot, and a card per agent (per `PER_CARD`
        problems) to the supervisors, an Answer button on each open problem."""
        start, end = rules.review_window(at, self.policy.casework, self.policy.tz)
        slot = end.date().isoformat()

        def read(session: Session) -> list[Note]:
            rows = problems_store.between(start, end, session=session)
            authors = _people({r.person_id for r in rows}, session=session)
            cards = []
            for pid, found in rules.by_author(rows, lambda r: r.person_id):
                for part, chunk in enumerate(rules.chunks(found, PER_CARD)):
                    waiting = [p for p in chunk if p.answered_at is None]
                    cards.append(
                        Note(
                            f"{REVIEW}:{slot}:{pid}:{part}",
                            notices.BOSSES,
                            "problem_review_card",
                            {"person": authors[pid], "problems": chunk, "since": start},
                            buttons=[
                                ("problem_answer_button", buttons.ProblemAnswer(p.id).encode())
                                for p in waiting
                                if p.id is not None
                            ],
                            labels=[{"problem": p} for p in waiting],
                        )
                    )
            return cards

        return slot, await self.db.read(read)

    async def sheet(self, month: str) -> Sheet:
        """The export's `problems` sheet: the problems noted in the month, team time."""
        tz = self.policy.tz
        start, end = ledger_rules.month_span(month, tz)

        def read(session: Session) -> Sheet:
            names = {p.id: p.full_name for p in people_store.team(session=session)}
            rows = [
                [
                    p.id,
                    p.person_id,
                    names.get(p.person_id, ""),
                    p.week,
                    p.text,
                    local(p.created_at, tz),
                    p.answer,
                    p.answered_by,
                    local(p.answered_at, tz),
                ]
                for p in problems_store.between(start, end, session=session)
            ]
            return Sheet("problems", COLUMNS, rows)

        return await self.db.read(read)
