"""Shift swaps: `/swap @colleague <day> [<other day>]` — the colleague accepts by button,
then a supervisor approves and the roster changes [002: agreed with a colleague, then
approved by the supervisor; issue 16 part 3].

The plans come from `Roster` (the roster's entry, else the weekly pattern); the checks
are `rules.swaps`; every move of a swap is a conditional update, so the first press wins
and a second (or a stale card) is told what became of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from bot import buttons, notices
from bot.notices import Note, Notices
from bot.services import Refusal
from bot.services.people import People, Target
from bot.services.roster import Roster
from rules import parse as parse_rules
from rules import swaps as swap_rules
from rules.policy import Policy, Shift
from rules.swaps import ACCEPTED, APPROVED, ASKED, DECLINED, PENDING, REFUSED, WITHDRAWN
from storage import payroll as payroll_store
from storage import people as people_store
from storage import roster as roster_store
from storage import swaps as swaps_store
from storage.db import Database
from storage.models import Person, ShiftSwap


@dataclass(frozen=True)
class Line:
    """One agent's day as the swap changes it: the shift before and after (None: rest)."""

    person: Person
    day: dt.date
    before: Shift | None
    after: Shift | None


@dataclass(frozen=True)
class SwapView:
    """A swap with its two agents, its changes, who last moved it and whether this call
    did (`new`; False: someone else had already)."""

    swap: ShiftSwap
    asker: Person
    colleague: Person
    lines: Sequence[Line]
    by: Person | None = None
    new: bool = True

    def of(self, person: Person) -> list[Line]:
        """One agent's own lines."""
        return [line for line in self.lines if line.person.id == person.id]

    def other(self, person: Person) -> Person:
        """The agent on the other side of the swap from `person`."""
        return self.colleague if person.id == self.asker.id else self.asker


def ask_of(row: ShiftSwap) -> swap_rules.Ask:
    """The rules' view of a stored swap."""
    return swap_rules.Ask(row.asker_id, row.colleague_id, row.day, row.other_day)


@dataclass
class Swaps:
    """Swap use-cases over one database and policy: the people (who is who), the notices
    (the cards and DMs), the roster (each agent's plan)."""

    db: Database
    policy: Policy
    people: People
    notices: Notices
    roster: Roster

    def _today(self, at: dt.datetime) -> dt.date:
        return at.astimezone(self.policy.tz).date()

    def _plans(
        self, ask: swap_rules.Ask, people: list[Person], session: Session
    ) -> dict[int, dict[dt.date, str | None]]:
        """Each agent's shift on each of the swap's days (None: rest, or gone by then)."""
        found: dict[int, dict[dt.date, str | None]] = {p.id: {} for p in people}
        for day in ask.days:
            plans = self.roster.plans(people, day, day, session=session)
            for person in people:
                gone = person.left_on is not None and person.left_on < day
                found[person.id][day] = None if gone else plans[person.id][day].shift
        return found

    def _lines(self, changes: list[swap_rules.Change], people: dict[int, Person]) -> list[Line]:
        shifts = self.policy.shifts
        return [
            Line(
                people[c.person_id],
                c.day,
                shifts.get(c.before) if c.before else None,
                shifts.get(c.after) if c.after else None,
            )
            for c in changes
        ]

    def _load(
        self, swap_id: int, session: Session, by: int | None = None
    ) -> tuple[ShiftSwap, Person, Person, Person | None]:
        row = swaps_store.get(swap_id, session=session)
        if row is None:
            raise Refusal("swap_unknown", swap_id=swap_id)
        asker = people_store.get(row.asker_id, session=session)
        colleague = people_store.get(row.colleague_id, session=session)
        assert asker is not None and colleague is not None
        return row, asker, colleague, people_store.get(by, session=session) if by else None

    def _view(
        self, swap_id: int, session: Session, *, new: bool, changes: list[swap_rules.Change]
    ) -> SwapView:
        """The swap as it now stands, `changes` shown as its lines."""
        row = swaps_store.get(swap_id, session=session)
        assert row is not None
        mover = {
            DECLINED: row.colleague_id,
            ACCEPTED: row.colleague_id,
            WITHDRAWN: row.withdrawn_by,
        }
        by = mover.get(row.status, row.decided_by)
        _, asker, colleague, by_person = self._load(swap_id, session, by)
        people = {asker.id: asker, colleague.id: colleague}
        return SwapView(row, asker, colleague, self._lines(changes, people), by_person, new)

    def _current(self, row: ShiftSwap, session: Session) -> list[swap_rules.Change]:
        """The changes the swap would make to the roster as it stands now."""
        _, asker, colleague, _ = self._load(row.id or 0, session)
        ask = ask_of(row)
        return swap_rules.changes(ask, self._plans(ask, [asker, colleague], session))

    async def ask(
        self, asker: Person, target: Target, days: list[str], *, at: dt.datetime
    ) -> SwapView:
        """`/swap @colleague <day> [<other day>]`: checked, stored, the colleague's card sent."""
        if not asker.is_agent:
            raise Refusal("agents_only")
        day = parse_rules.date(days[0])
        other = parse_rules.date(days[1]) if len(days) > 1 else None
        colleague = await self.people.resolve_agent(target, at=at)
        ask = swap_rules.Ask(asker.id, colleague.id, day, other)

        def work(session: Session) -> SwapView:
            for person_id in sorted({asker.id, colleague.id}):  # one ask at a time per pair
                people_store.lock(person_id, session=session)
            months = {d.strftime("%Y-%m") for d in ask.days}
            facts = swap_rules.Facts(
                today=self._today(at),
                colleague_name=colleague.full_name,
                colleague_until=colleague.left_on,
                locked={m for m in months if payroll_store.lock_of(m, session=session)},
                open_swaps=len(
                    swaps_store.involving(
                        {asker.id, colleague.id}, ask.days, swap_rules.OPEN, session=session
                    )
                ),
            )
            changes = swap_rules.check(ask, self._plans(ask, [asker, colleague], session), facts)
            row = ShiftSwap(
                asker_id=asker.id, colleague_id=colleague.id, day=day, other_day=other, asked_at=at
            )
            swaps_store.add(row, session=session)
            assert row.id is not None
            view = self._view(row.id, session, new=True, changes=changes)
            note = Note(
                f"swap:{row.id}",
                notices.person(colleague.id),
                "swap_card",
                {"v": view},
                buttons=(
                    ("swap_accept_button", buttons.SwapAnswer(row.id, buttons.ACCEPT).encode()),
                    ("swap_decline_button", buttons.SwapAnswer(row.id, buttons.DECLINE).encode()),
                ),
            )
            self.notices.record(session, [note], at=at)
            return view

        return await self.db.run(work)

    async def answer(
        self, actor: Person, swap_id: int, action: str, *, at: dt.datetime
    ) -> SwapView:
        """The colleague accepts (the supervisors get the approval card) or declines."""
        accept = action == buttons.ACCEPT

        def work(session: Session) -> SwapView:
            row, _, _, _ = self._load(swap_id, session)
            if actor.id != row.colleague_id:
                raise Refusal("swap_not_yours", swap_id=swap_id)
            if accept and row.status == ASKED:
                swap_rules.approvable(ask_of(row), self._today(at))
            changes = self._current(row, session)
            to = ACCEPTED if accept else DECLINED
            new = swaps_store.move(swap_id, start=(ASKED,), to=to, answered_at=at, session=session)
            view = self._view(swap_id, session, new=new, changes=changes)
            if new:
                self.notices.record(session, self._answered(view), at=at)
            return view

        return await self.db.run(work)

    def _answered(self, view: SwapView) -> list[Note]:
        swap_id = view.swap.id or 0
        told = Note(
            f"swap-answered:{swap_id}",
            notices.person(view.asker.id),
            "swap_answered_dm",
            {"v": view},
        )
        if view.swap.status != ACCEPTED:
            return [told]
        card = Note(
            f"swap-ok:{swap_id}",
            notices.To(bosses=True),
            "swap_approval_card",
            {"v": view},
            buttons=(
                ("swap_approve_button", buttons.SwapDecision(swap_id, buttons.APPROVE).encode()),
                ("swap_refuse_button", buttons.SwapDecision(swap_id, buttons.REFUSE).encode()),
            ),
        )
        return [told, card]

    async def decide(
        self, actor: Person, swap_id: int, action: str, *, at: dt.datetime
    ) -> SwapView:
        """A supervisor approves (the roster changes, audited) or refuses; first press wins."""
        if not self.people.is_supervisor(actor):
            raise Refusal("decide_not_allowed", what="swap")
        approve = action == buttons.APPROVE

        def work(session: Session) -> SwapView:
            row, _, _, _ = self._load(swap_id, session)
            if approve and row.status == ACCEPTED:
                swap_rules.approvable(ask_of(row), self._today(at))
            changes = self._current(row, session)
            to = APPROVED if approve else REFUSED
            new = swaps_store.move(
                swap_id,
                start=(ACCEPTED,),
                to=to,
                decided_by=actor.id,
                decided_at=at,
                session=session,
            )
            if new and approve:
                self._apply(swap_id, changes, actor, at, session)
            view = self._view(swap_id, session, new=new, changes=changes)
            if new:
                self.notices.record(session, self._told_both(view, "swap-decided"), at=at)
            return view

        return await self.db.run(work)

    def _apply(
        self,
        swap_id: int,
        changes: list[swap_rules.Change],
        actor: Person,
        at: dt.datetime,
        session: Session,
    ) -> None:
        """Write the approved swap into the roster, each change audited."""
        if not changes:
            raise Refusal("swap_nothing_left", swap_id=swap_id)
        for c in changes:
            roster_store.set_day(
                c.person_id, c.day, c.after, source="swap", at=at, by=actor.id, session=session
            )
            people_store.audit(
                at=at,
                actor_id=actor.id,
                action="swap",
                subject_id=c.person_id,
                detail=f"#{swap_id} {c.day}: {c.before or 'rest'} -> {c.after or 'rest'}",
                session=session,
            )

    def _told_both(self, view: SwapView, key: str) -> list[Note]:
        swap_id = view.swap.id or 0
        return [
            Note(
                f"{key}:{swap_id}:{p.id}",
                notices.person(p.id),
                "swap_decided_dm",
                {"v": view, "me": p},
            )
            for p in (view.asker, view.colleague)
        ]

    async def withdraw(self, actor: Person, swap_id: int, *, at: dt.datetime) -> SwapView:
        """Either agent withdraws before the approval; the other (and, once the card went
        out, the supervisors) are told. Refused once approved or otherwise settled."""

        def work(session: Session) -> SwapView:
            row, _, _, _ = self._load(swap_id, session)
            if actor.id not in (row.asker_id, row.colleague_id):
                raise Refusal("swap_not_yours", swap_id=swap_id)
            was = row.status
            changes = self._current(row, session)
            new = swaps_store.move(
                swap_id,
                start=PENDING,
                to=WITHDRAWN,
                withdrawn_by=actor.id,
                decided_at=at,
                session=session,
            )
            view = self._view(swap_id, session, new=new, changes=changes)
            if not new:
                raise Refusal(
                    "swap_withdraw_approved" if view.swap.status == APPROVED else "swap_closed",
                    v=view,
                )
            other = view.other(actor)
            audience = [notices.person(other.id)] + ([notices.BOSSES] if was == ACCEPTED else [])
            self.notices.record(
                session,
                [
                    Note(f"swap-withdrawn:{swap_id}", to, "swap_withdrawn_dm", {"v": view})
                    for to in audience
                ],
                at=at,
            )
            return view

        return await self.db.run(work)

    async def cancel(self, actor: Person, id_text: str, *, at: dt.datetime) -> SwapView:
        """`/swap cancel <id>`: `withdraw` by the swap's number."""
        return await self.withdraw(actor, parse_rules.entry_id(id_text), at=at)

    async def between(self, first: dt.date, last: dt.date) -> list[ShiftSwap]:
        """Every swap with a day in the span (the export)."""
        return await self.db.read(lambda session: swaps_store.between(first, last, session=session))

    async def cards(self, swap_id: int) -> list[tuple[int, int]]:
        """(chat, message id) of each card the bot sent about a swap: the colleague's and
        the supervisors' (to settle the others once one is pressed)."""

        def read(session: Session) -> list[tuple[int, int]]:
            keys = (f"swap:{swap_id}", f"swap-ok:{swap_id}")
            return [card for key in keys for card in swaps_store.cards(key, session=session)]

        return await self.db.read(read)
