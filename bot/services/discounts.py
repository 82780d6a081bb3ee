"""Discounts (`/discount`): an agent records one on an order; up to the policy's limit it
stands at once, above it every supervisor gets Approve / Deny and the first press
decides [000: over 30 yuan a supervisor approves; under it the agent notes why]."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlmodel import Session

from bot import buttons, notices
from bot.notices import Note, Notices
from bot.services import Refusal, local
from bot.services.people import People
from rules import discounts as rules
from rules import ledger as ledger_rules
from rules.policy import Policy
from storage import discounts as discounts_store
from storage import people as people_store
from storage.db import Database
from storage.models import Discount, Person

RECORDED, PENDING, APPROVED, DENIED = rules.RECORDED, rules.PENDING, rules.APPROVED, rules.DENIED
COLUMNS = ["id", "agent_id", "name", "order_no", "yuan", "reason", "status", "asked_at"]
COLUMNS += ["decided_by", "decided_at"]


class Sheet(NamedTuple):
    """A sheet of the monthly export: its title, header and rows."""

    title: str
    header: list[str]
    rows: list[list[Any]]


def tell(
    outbox: Notices,
    actor: Person,
    person: Person,
    action: str,
    detail: str,
    note: Note,
    *,
    at: dt.datetime,
    session: Session,
) -> None:
    """A decision about `person`'s record: audited, and `note` recorded for them."""
    people_store.audit(
        at=at,
        actor_id=actor.id,
        action=action,
        subject_id=person.id,
        detail=detail,
        session=session,
    )
    outbox.record(session, [note], at=at)


@dataclass(frozen=True)
class Settled:
    """A discount after a press: `new` if this press decided it."""

    discount: Discount
    person: Person
    decided_by: Person | None
    new: bool


@dataclass(frozen=True)
class MonthDiscounts:
    """An agent's discounts of a month: given (recorded or approved) and still pending."""

    count: int = 0
    fen: int = 0
    pending: int = 0
    pending_fen: int = 0


@dataclass(frozen=True)
class Discounts:
    """Discount use-cases over one database and policy."""

    db: Database
    policy: Policy
    people: People
    notices: Notices

    async def give(
        self,
        person: Person,
        order_text: str,
        yuan_text: str,
        reason: str,
        *,
        chat_id: int,
        at: dt.datetime,
    ) -> Discount:
        """`/discount <order-no> <yuan> <reason>`: checked and stored, audited; above the
        limit it waits, and every supervisor gets its card with Approve / Deny."""
        if not person.is_agent:
            raise Refusal("agents_only")
        given = rules.given(order_text, yuan_text, reason, self.policy.casework)

        def work(session: Session) -> Discount:
            row = discounts_store.add(
                Discount(
                    person_id=person.id,
                    month=ledger_rules.month_of(at, self.policy.tz),
                    order_no=given.order_no,
                    amount_fen=ledger_rules.to_fen(given.amount),
                    reason=given.reason,
                    status=given.status,
                    asked_at=at,
                    chat_id=chat_id,
                ),
                session=session,
            )
            assert row.id is not None
            people_store.audit(
                at=at,
                actor_id=person.id,
                action="discount",
                subject_id=person.id,
                detail=f"#{row.id} {given.status}: order {row.order_no} {given.amount} yuan",
                session=session,
            )
            if row.status == PENDING:
                self.notices.record(session, [self._card(row, person)], at=at)
            return row

        return await self.db.run(work)

    def _card(self, row: Discount, person: Person) -> Note:
        assert row.id is not None
        return Note(
            f"discount:{row.id}",
            notices.To(bosses=True, but=person.id),
            "discount_card",
            {"discount": row, "person": person, "limit": self.policy.casework.discount_limit},
            buttons=(
                ("discount_approve_button", buttons.DiscountDecision(row.id, APPROVED).encode()),
                ("discount_deny_button", buttons.DiscountDecision(row.id, DENIED).encode()),
            ),
        )

    async def decide(
        self, actor: Person, discount_id: int, status: str, *, at: dt.datetime
    ) -> Settled:
        """A supervisor's approve or deny; the first press wins, audited, and the agent is
        told by DM."""
        if not self.people.is_supervisor(actor):
            raise Refusal("decide_not_allowed", what="discount")

        def work(session: Session) -> Settled:
            new = discounts_store.settle(
                discount_id, status=status, by=actor.id, at=at, session=session
            )
            row = discounts_store.get(discount_id, session=session)
            if row is None:
                raise Refusal("discount_unknown", discount_id=discount_id)
            person = people_store.get(row.person_id, session=session)
            by = people_store.get(row.decided_by, session=session) if row.decided_by else None
            assert person is not None
            settled = Settled(row, person, by, new)
            if new:
                told = Note(
                    f"discount-decided:{discount_id}",
                    notices.person(person.id),
                    "discount_decided_dm",
                    {"decision": settled},
                )
                detail = f"#{discount_id} {status}"
                tell(self.notices, actor, person, "discount", detail, told, at=at, session=session)
            return settled

        return await self.db.run(work)

    async def of_month(self, person: Person, month: str) -> MonthDiscounts:
        """The agent's discounts of `month` (the scorecard's lines)."""

        def read(session: Session) -> MonthDiscounts:
            count, fen = discounts_store.totals(person.id, month, rules.COUNTED, session=session)
            waiting = discounts_store.totals(person.id, month, (PENDING,), session=session)
            return MonthDiscounts(count, fen, *waiting)

        return await self.db.read(read)

    async def sheet(self, month: str) -> Sheet:
        """The export's `discounts` sheet: every discount of the month, yuan and team time."""
        tz = self.policy.tz

        def read(session: Session) -> Sheet:
            names = {p.id: p.full_name for p in people_store.team(session=session)}
            rows = [
                [
                    d.id,
                    d.person_id,
                    names.get(d.person_id, ""),
                    d.order_no,
                    ledger_rules.to_yuan(d.amount_fen),
                    d.reason,
                    d.status,
                    local(d.asked_at, tz),
                    d.decided_by,
                    local(d.decided_at, tz),
                ]
                for d in discounts_store.of_month(month, session=session)
            ]
            return Sheet("discounts", COLUMNS, rows)

        return await self.db.read(read)
