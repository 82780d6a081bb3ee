"""Ledger use-cases: fines and bonuses, adjustments, voids, appeals, scorecards.

Each use-case checks with `rules.ledger`, saves in one unit of work, and returns
what the handlers need to tell the supervisor, the agent, the team group and,
when it escalates, every supervisor and admin.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from bot import buttons, notices
from bot.notices import Note, Notices
from bot.services import Refusal
from bot.services.people import People, Target
from rules import ledger as ledger_rules
from rules import parse as parse_rules
from rules.policy import Entry, Policy
from storage import ledger as ledger_store
from storage import payroll as payroll_store
from storage import people as people_store
from storage.db import Database
from storage.ledger import LedgerLine
from storage.models import Appeal, LedgerEntry, LedgerVoid, Person
from storage.unique import Duplicate

ADJUST, CARRY, DEDUCTION = ledger_rules.ADJUST, ledger_rules.CARRY, ledger_rules.DEDUCTION
# The names of entries outside the catalogue (a carry keeps its entry's name, if it had one).
_KIND_NAMES = {
    ADJUST: {"en": "Month-end adjustment", "zh": "月末调整"},
    CARRY: {"en": "Correction", "zh": "更正"},
    DEDUCTION: {"en": "Deduction", "zh": "扣款"},
}
UPHOLD, VOID = buttons.UPHOLD, buttons.VOID


@dataclass(frozen=True)
class Standing:
    """An agent's month so far [domain.md §4]."""

    person: Person
    month: str
    lines: list[LedgerLine]
    score: int
    points: int
    cash: Decimal  # cash fines by the catalogue's ladders
    demerits: int
    open_appeals: list[LedgerLine]
    deductions: Decimal = Decimal("0.00")  # `/deduct`: money paid back, a line of its own


@dataclass(frozen=True)
class Logged:
    """A new entry, and what it means for the agent."""

    entry: LedgerEntry
    person: Person
    step: ledger_rules.Step
    deadline: dt.datetime
    standing: Standing
    alert: bool


@dataclass(frozen=True)
class Voided:
    """A void just recorded."""

    line: LedgerLine
    person: Person


@dataclass(frozen=True)
class Filed:
    """An appeal just filed."""

    appeal: Appeal
    line: LedgerLine


@dataclass(frozen=True)
class Decision:
    """The outcome of pressing uphold or void on an appeal."""

    appeal: Appeal
    line: LedgerLine
    person: Person
    decided_by: Person | None
    new: bool


def snapshot(code: str | None, entry: Entry | None, policy: Policy) -> str:
    """The policy values an entry is computed with, kept with it (JSON)."""
    data: dict[str, object] = {"base": policy.ledger.base, "cap": policy.ledger.cap}
    if code is not None and entry is not None:
        data.update(
            code=code,
            name={"zh": entry.name.zh, "en": entry.name.en},
            kind=entry.kind,
            class_=entry.class_,
            points=list(entry.range),
            cash=list(entry.cash),
            demerit=entry.demerit,
            dismissal=entry.dismissal,
            seed=entry.seed,
        )
    return json.dumps(data, ensure_ascii=False)


def entry_name(entry: LedgerEntry, language: str) -> str:
    """The name the entry was logged under (from its snapshot, not today's policy)."""
    name = json.loads(entry.rule).get("name")
    if isinstance(name, dict) and language in name:
        return str(name[language])
    return kind_name(entry.kind, entry.code, language)


def kind_name(kind: str, code: str | None, language: str) -> str:
    """The name of an entry outside the catalogue (adjust, deduction, carry); a catalogue
    entry stored without its name goes by its code."""
    names = _KIND_NAMES.get(kind)
    if names is None:
        return code or "?"
    return names["zh" if language == "zh" else "en"]


def _yuan(lines: Iterable[LedgerLine]) -> Decimal:
    """The cash of these entries, in yuan."""
    return sum((ledger_rules.to_yuan(line.entry.cash_fen) for line in lines), Decimal("0.00"))


class Ledgers:
    """Ledger use-cases over one database and policy."""

    def __init__(self, db: Database, policy: Policy, people: People, notices: Notices) -> None:
        self.db = db
        self.policy = policy
        self.people = people
        self.notices = notices

    def _told(self, session: Session, logged: Logged, actor: Person) -> None:
        """The notices of a new entry, in its transaction: the agent by DM (with how to
        appeal), the team group (no yuan; may merge into a digest), and every supervisor
        and admin if it escalates."""
        entry = logged.entry
        name = entry_name(entry, self.notices.texts.language)
        notes = [
            Note(
                f"entry:{entry.id}:dm",
                notices.person(logged.person.id),
                "entry_dm",
                {
                    "entry": entry,
                    "name": name,
                    "step": logged.step,
                    "standing": logged.standing,
                    "deadline": logged.deadline,
                    "by": actor,
                },
                report_to=actor.id,
            )
        ]
        if self.policy.ledger.announce:
            data = {"entry": entry, "person": logged.person, "name": name}
            notes.append(
                Note(
                    f"entry:{entry.id}:group", notices.GROUP, "entry_announce", data, coalesce=True
                )
            )
        if logged.alert:
            data = {
                "entry": entry,
                "person": logged.person,
                "name": name,
                "standing": logged.standing,
                "step": logged.step,
            }
            notes.append(
                Note(
                    f"entry:{entry.id}:alert",
                    notices.BOSSES,
                    "escalation",
                    data,
                    lane=notices.ALERT,
                )
            )
        self.notices.record(session, notes, at=entry.logged_at)

    def _standing(self, session: Session, person: Person, month: str) -> Standing:
        lines = ledger_store.month_lines(person.id, month, session=session)
        standing = [line for line in lines if line.counts]
        points = [line.entry.points for line in standing]
        return Standing(
            person=person,
            month=month,
            lines=lines,
            score=ledger_rules.month_score(self.policy.ledger, points),
            points=sum(points),
            cash=_yuan(line for line in standing if line.entry.kind != DEDUCTION),
            deductions=_yuan(line for line in standing if line.entry.kind == DEDUCTION),
            demerits=sum(1 for line in standing if line.entry.demerit),
            open_appeals=[
                line for line in lines if line.appeal is not None and line.appeal.decided_at is None
            ],
        )

    async def log(
        self,
        actor: Person,
        target: Target,
        *,
        kind: str,
        code: str,
        points: int | None,
        note: str,
        at: dt.datetime,
        chat_id: int,
    ) -> Logged:
        """`/fine` or `/bonus`: an entry from the catalogue, its cash by the month's ladder."""
        catalogue = self.policy.catalogue
        code = code.lower()
        entry = catalogue.get(code)
        if entry is None:
            near = ledger_rules.closest_codes(
                code, [c for c, e in catalogue.items() if e.kind == kind]
            )
            raise Refusal("unknown_code", given=code, near=near, kind=kind)
        if entry.kind != kind:
            raise Refusal("wrong_kind", code=code, kind=entry.kind)
        signed = ledger_rules.signed_points(code, entry, points)
        person = await self.people.resolve_agent(target, at=at)
        return await self.log_for(
            actor, person, code=code, points=signed, note=note, at=at, chat_id=chat_id
        )

    async def log_for(
        self,
        actor: Person,
        person: Person,
        *,
        code: str,
        points: int | None = None,
        note: str = "",
        at: dt.datetime,
        chat_id: int,
    ) -> Logged:
        """An entry from the catalogue for a known agent (also used by scheduled checks)."""

        def work(session: Session) -> Logged:
            return self.log_in(
                session, actor, person, code=code, points=points, note=note, at=at, chat_id=chat_id
            )

        return await self.db.run(work)

    def log_in(
        self,
        session: Session,
        actor: Person,
        person: Person,
        *,
        code: str,
        points: int | None = None,
        note: str = "",
        at: dt.datetime,
        chat_id: int,
    ) -> Logged:
        """`log_for` within the caller's unit of work (an exam logs its entry with it)."""
        entry = self.policy.catalogue[code]
        signed = points if points is not None else ledger_rules.signed_points(code, entry, None)
        kind = entry.kind
        month = ledger_rules.month_of(at, self.policy.tz)
        people_store.lock(person.id, session=session)
        offence = ledger_store.offences(person.id, code, month, session=session) + 1
        step = ledger_rules.ladder_step(entry, offence) if entry.cash else ledger_rules.NO_CASH
        row = LedgerEntry(
            person_id=person.id,
            kind=kind,
            code=code,
            points=signed,
            cash_fen=ledger_rules.to_fen(step.cash),
            offence=offence,
            warning=step.warning,
            demerit=entry.demerit,
            dismissal_review=step.dismissal_review or entry.dismissal,
            note=note,
            month=month,
            logged_at=at,
            logged_by=actor.id,
            chat_id=chat_id,
            rule=snapshot(code, entry, self.policy),
        )
        ledger_store.add_entry(row, session=session)
        standing = self._standing(session, person, month)
        alert = ledger_rules.should_alert(step, entry, standing.demerits, self.policy.ledger)
        logged = Logged(
            row,
            person,
            step,
            ledger_rules.appeal_deadline(self.policy.ledger, at),
            standing,
            alert,
        )
        self._told(session, logged, actor)
        return logged

    async def adjust(
        self,
        actor: Person,
        target: Target,
        *,
        delta: int,
        reason: str,
        at: dt.datetime,
        chat_id: int,
    ) -> Logged:
        """`/adjust`: the month-end discretionary −5…+5, with a written reason [004]."""
        if not parse_rules.visible(reason):
            raise Refusal("adjust_usage", limit=self.policy.ledger.adjust_limit)
        person = await self.people.resolve_agent(target, at=at)

        def work(session: Session) -> Logged:
            people_store.lock(person.id, session=session)
            logged = self._outside_catalogue(
                session, actor, person, ADJUST, delta, 0, reason, at=at, chat_id=chat_id
            )
            # Checked against the month's standing read once, with this entry in it: a
            # refusal rolls the entry back with the rest of the unit of work.
            adjusted = sum(
                line.entry.points
                for line in logged.standing.lines
                if line.counts and line.entry.kind == ADJUST
            )
            ledger_rules.check_adjust(self.policy.ledger, adjusted - delta, delta)
            self._told(session, logged, actor)
            return logged

        return await self.db.run(work)

    def _outside_catalogue(
        self,
        session: Session,
        actor: Person,
        person: Person,
        kind: str,
        points: int,
        cash_fen: int,
        reason: str,
        *,
        at: dt.datetime,
        chat_id: int,
    ) -> Logged:
        """An entry that is not in the catalogue (an adjustment, a deduction), stored."""
        month = ledger_rules.month_of(at, self.policy.tz)
        row = LedgerEntry(
            person_id=person.id,
            kind=kind,
            points=points,
            cash_fen=cash_fen,
            note=reason.strip(),
            month=month,
            logged_at=at,
            logged_by=actor.id,
            chat_id=chat_id,
            rule=snapshot(None, None, self.policy),
        )
        ledger_store.add_entry(row, session=session)
        standing = self._standing(session, person, month)
        deadline = ledger_rules.appeal_deadline(self.policy.ledger, at)
        return Logged(row, person, ledger_rules.NO_CASH, deadline, standing, alert=False)

    async def deduct(
        self,
        actor: Person,
        target: Target,
        *,
        amount: Decimal,
        reason: str,
        at: dt.datetime,
        chat_id: int,
    ) -> Logged:
        """`/deduct`: money taken from pay outside the catalogue, with a written reason
        [004: an agent who changed a price without approval pays it back]. It is an entry
        of the ledger (no points), so it is appealed and voided like one."""
        high = self.policy.pay.largest_deduction
        if not parse_rules.visible(reason) or not 0 < amount <= high:
            raise Refusal("deduct_usage", high=high)
        person = await self.people.resolve_agent(target, at=at)

        def work(session: Session) -> Logged:
            people_store.lock(person.id, session=session)
            fen = ledger_rules.to_fen(amount)
            logged = self._outside_catalogue(
                session, actor, person, DEDUCTION, 0, fen, reason, at=at, chat_id=chat_id
            )
            data = {"entry": logged.entry, "standing": logged.standing, "by": actor}
            note = Note(
                f"entry:{logged.entry.id}:dm",
                notices.person(person.id),
                "deduction_dm",
                {**data, "deadline": logged.deadline},
                report_to=actor.id,
            )
            self.notices.record(session, [note], at=at)
            return logged

        return await self.db.run(work)

    async def void(self, actor: Person, entry_id: int, reason: str, *, at: dt.datetime) -> Voided:
        """`/void`: cancel an entry; it stays, marked void, with who, when and why."""
        if not parse_rules.visible(reason):
            raise Refusal("void_usage")

        def work(session: Session) -> Voided:
            found = ledger_store.line(entry_id, session=session)
            if found is None:
                raise Refusal("entry_unknown", id=entry_id)
            if found.void is not None:
                raise Refusal("entry_void", id=entry_id, void=found.void)
            void = LedgerVoid(
                entry_id=entry_id, reason=reason.strip(), voided_at=at, voided_by=actor.id
            )
            if isinstance(ledger_store.add_void(void, session=session), Duplicate):
                # voided at the same moment by someone else
                raise Refusal("entry_void", id=entry_id, void=None)
            self._carry_if_locked(session, found.entry, at=at, by=actor.id)
            person = people_store.get(found.entry.person_id, session=session)
            assert person is not None
            line = LedgerLine(found.entry, void, found.appeal)
            name = entry_name(found.entry, self.notices.texts.language)
            note = Note(
                f"void:{entry_id}",
                notices.person(person.id),
                "voided_dm",
                {"line": line, "name": name, "by": actor},
                report_to=actor.id,
            )
            self.notices.record(session, [note], at=at)
            return Voided(line, person)

        return await self.db.run(work)

    async def appeal(self, person: Person, entry_id: int, reason: str, *, at: dt.datetime) -> Filed:
        """`/appeal`: contest an entry about oneself, within the window [004: 1 day]."""
        if not parse_rules.visible(reason):
            raise Refusal("appeal_usage", hours=self.policy.ledger.appeal_hours)

        def work(session: Session) -> Filed:
            found = ledger_store.line(entry_id, session=session)
            if found is None:
                raise Refusal("entry_unknown", id=entry_id)
            if (no := self.appeal_refused(found, person, at=at)) is not None:
                raise no
            filed = Appeal(
                entry_id=entry_id, person_id=person.id, reason=reason.strip(), filed_at=at
            )
            if isinstance(ledger_store.add_appeal(filed, session=session), Duplicate):
                raise Refusal("appeal_twice", id=entry_id, appeal=None)  # filed just now
            logger = people_store.get(found.entry.logged_by, session=session)
            assert filed.id is not None
            data = {
                "appeal": filed,
                "entry": found.entry,
                "person": person,
                "name": entry_name(found.entry, self.notices.texts.language),
                "logger": logger,
            }
            choices = (
                ("appeal_uphold_button", buttons.AppealDecision(filed.id, UPHOLD).encode()),
                ("appeal_void_button", buttons.AppealDecision(filed.id, VOID).encode()),
            )
            cards = [
                Note(f"appeal:{filed.id}", notices.person(judge), "appeal_card", data, choices)
                for judge in self._deciders(session, found.entry, appellant=person.id)
            ]
            self.notices.record(session, cards, at=at)
            return Filed(filed, LedgerLine(found.entry, None, filed))

        return await self.db.run(work)

    def appeal_refused(
        self, line: LedgerLine, person: Person, *, at: dt.datetime
    ) -> Refusal | None:
        """Why `person` may not appeal this entry at `at` (None: they may): not theirs,
        voided, appealed already, or the window closed [004: 1 day]."""
        entry_id = line.entry.id
        if line.entry.person_id != person.id:
            return Refusal("appeal_foreign", id=entry_id)
        if line.void is not None:
            return Refusal("entry_void", id=entry_id, void=line.void)
        if line.appeal is not None:
            return Refusal("appeal_twice", id=entry_id, appeal=line.appeal)
        deadline = self.appeal_deadline(line)
        if at > deadline:
            return Refusal("appeal_late", id=entry_id, deadline=deadline)
        return None

    def appeal_deadline(self, line: LedgerLine) -> dt.datetime:
        """When the time to appeal this entry ends."""
        return ledger_rules.appeal_deadline(self.policy.ledger, line.entry.logged_at)

    def _deciders(self, session: Session, entry: LedgerEntry, *, appellant: int) -> list[int]:
        """Who decides an appeal of `entry` (`rules.ledger.appeal_deciders`): reachable
        means a DM with the bot is open."""
        admins = self.people.admins
        seen = people_store.bosses(admins, session=session)  # one read, not one per boss
        bosses = sorted({boss.id for boss in seen} | admins)
        reachable = {boss.id for boss in seen if boss.dm_open}
        return ledger_rules.appeal_deciders(
            bosses, reachable, appellant=appellant, logger=entry.logged_by
        )

    async def decide(
        self, actor: Person, appeal_id: int, outcome: str, *, at: dt.datetime
    ) -> Decision:
        """A supervisor's button on an appeal: the first decision wins, later ones are told.
        Only the appeal's deciders press (`rules.ledger.appeal_deciders`): the one who
        logged the entry is refused while someone else can decide."""
        if not self.people.is_supervisor(actor):
            raise Refusal("decide_not_allowed", what="appeal")

        def work(session: Session) -> Decision:
            found = ledger_store.appeal(appeal_id, session=session)
            if found is None:
                raise Refusal("entry_unknown", id=appeal_id)
            if found.person_id == actor.id:
                raise Refusal("decide_own")
            before = ledger_store.line(found.entry_id, session=session)
            assert before is not None
            if actor.id not in self._deciders(session, before.entry, appellant=found.person_id):
                raise Refusal("decide_logged", id=found.entry_id)
            new = ledger_store.decide(
                appeal_id, outcome=outcome, by=actor.id, at=at, session=session
            )
            found = ledger_store.appeal(appeal_id, session=session)  # the decision that stands
            assert found is not None
            if new and outcome == VOID and before.void is None:
                void = LedgerVoid(
                    entry_id=found.entry_id,
                    reason=found.reason,
                    voided_at=at,
                    voided_by=actor.id,
                    appeal_id=appeal_id,
                )
                # A /void at the same moment voided it already: no second carry.
                if not isinstance(ledger_store.add_void(void, session=session), Duplicate):
                    self._carry_if_locked(session, before.entry, at=at, by=actor.id)
            line = ledger_store.line(found.entry_id, session=session)
            person = people_store.get(found.person_id, session=session)
            decider = (
                people_store.get(found.decided_by, session=session) if found.decided_by else None
            )
            assert line is not None and person is not None
            decision = Decision(found, line, person, decider, new)
            if new:
                name = entry_name(line.entry, self.notices.texts.language)
                data = {"decision": decision, "name": name}
                notes = [
                    Note(
                        f"decided:{appeal_id}", notices.person(person.id), "appeal_decided_dm", data
                    )
                ]
                if line.entry.logged_by != actor.id:
                    notes.append(
                        Note(
                            f"decided:{appeal_id}:logger",
                            notices.person(line.entry.logged_by),
                            "appeal_decided_logger",
                            data,
                        )
                    )
                self.notices.record(session, notes, at=at)
            return decision

        return await self.db.run(work)

    def _carry_if_locked(
        self, session: Session, entry: LedgerEntry, *, at: dt.datetime, by: int
    ) -> None:
        """A void after the entry's month was locked leaves the locked payslip as it is and
        gives the points and cash back in the open month instead [issue 6]."""
        if payroll_store.lock_of(entry.month, session=session) is None:
            return
        ledger_store.add_entry(
            LedgerEntry(
                person_id=entry.person_id,
                kind=CARRY,
                code=None,
                points=-entry.points,
                cash_fen=-entry.cash_fen,
                note=f"#{entry.id} {entry.month}",
                month=ledger_rules.month_of(at, self.policy.tz),
                logged_at=at,
                logged_by=by,
                chat_id=entry.chat_id,
                rule=entry.rule,
            ),
            session=session,
        )

    async def standing(self, person: Person, month: str) -> Standing:
        """An agent's month: entries, score, cash, demerits, open appeals."""
        return await self.db.read(lambda session: self._standing(session, person, month))

    def this_month(self, at: dt.datetime) -> str:
        """The current month in team time."""
        return ledger_rules.month_of(at, self.policy.tz)
