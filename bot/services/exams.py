"""Monthly exams [000: 产品知识, 平台规则; 004: under 60 → B −5, full marks → +5].

`/exam @agent <kind> <score>` stores the month's result of that kind; a score under
the pass mark or full marks logs its catalogue entry through the ledger's use-case in
the same unit of work (the agent gets the usual entry DM, the group its post), and the
agent is told every result by DM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from bot import notices
from bot.notices import Note, Notices
from bot.services import Refusal
from bot.services.ledger import Ledgers, Logged
from bot.services.people import People, Target
from rules import exams as exam_rules
from rules import ledger as ledger_rules
from rules.policy import Names, Policy
from storage import exams as exams_store
from storage.db import Database
from storage.exams import ExamRecord
from storage.models import Person


@dataclass(frozen=True)
class Taken:
    """An exam result just recorded, and the ledger entry it logged (if any)."""

    exam: ExamRecord
    person: Person
    kind: Names
    logged: Logged | None


class Exams:
    """Exam use-cases over one database and policy."""

    def __init__(
        self, db: Database, policy: Policy, people: People, ledger: Ledgers, notices_: Notices
    ) -> None:
        self.db = db
        self.policy = policy
        self.people = people
        self.ledger = ledger
        self.notices = notices_

    def kind(self, word: str) -> str:
        """The exam kind a word names; refused with the kinds there are."""
        exams = self.policy.exams
        found = exam_rules.kind_of(word, exams)
        if found is None:
            raise Refusal("exam_kind", given=word, kinds=list(exams.kinds.items()))
        return found

    async def record(
        self,
        actor: Person,
        target: Target,
        kind: str,
        score: int,
        *,
        at: dt.datetime,
        chat_id: int,
    ) -> Taken:
        """`/exam @agent <kind> <score>`: the month's result of that kind, once."""
        exams = self.policy.exams
        names = exams.kinds[kind].name
        person = await self.people.resolve_agent(target, at=at)
        month = ledger_rules.month_of(at, self.policy.tz)

        def work(session: Session) -> Taken:
            exam = exams_store.add(
                person.id, month, kind, score, at=at, by=actor.id, chat_id=chat_id, session=session
            )
            if exam is None:
                found = exams_store.of(person.id, month, kind, session=session)
                assert found is not None
                raise Refusal("exam_twice", person=person, kind=names, exam=found)
            code = exam_rules.entry_for(score, exams, self.policy.catalogue)
            logged = None
            if code is not None:
                note = f"{names.in_(self.policy.language)} {score}"
                logged = self.ledger.log_in(
                    session, actor, person, code=code, note=note, at=at, chat_id=chat_id
                )
                assert logged.entry.id is not None
                exams_store.set_entry(exam.id, logged.entry.id, session=session)
            taken = Taken(exam, person, names, logged)
            dm = Note(
                f"exam:{exam.id}:dm",
                notices.person(person.id),
                "exam_dm",
                {"taken": taken, "fail_below": exams.fail_below},
                report_to=actor.id,
            )
            self.notices.record(session, [dm], at=at)
            return taken

        return await self.db.run(work)

    async def of_month(self, person: Person, month: str) -> list[tuple[ExamRecord, Names]]:
        """The agent's exams of the month, each with its kind's name (an old kind: its key)."""
        found = await self.db.read(
            lambda session: exams_store.by_person(month, session=session, only=person.id)
        )
        kinds = self.policy.exams.kinds
        return [
            (
                exam,
                kinds[exam.kind].name if exam.kind in kinds else Names(zh=exam.kind, en=exam.kind),
            )
            for exam in found.get(person.id, [])
        ]
