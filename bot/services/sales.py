"""The shop's public sales [000 第10条: 公共销售业绩总额], for the shared commission.

`/publicsales <YYYY-MM> <yuan>` sets a month's figure (a second one replaces the
first, and says what it replaced; audited). An import's `shop` rows set days or
months the same way (`bot.services.metrics`). The close reads the month's figure
(`storage.payroll.public_sales`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from bot.services import Refusal
from rules import ledger as ledger_rules
from rules.policy import Policy
from storage import payroll as payroll_store
from storage import people as people_store
from storage.db import Database
from storage.models import Person

# Public sales are stored in fen in a BIGINT column; a month's figure is at most this.
LARGEST = Decimal(10) ** 12


@dataclass(frozen=True)
class SalesEntered:
    """A month's public sales just entered, and the figure it replaced (None: none)."""

    month: str
    amount: Decimal
    old: Decimal | None
    rate: Decimal  # the shared commission's rate: 0 when the payslip has no such line


class PublicSales:
    """Public-sales use-cases over one database."""

    def __init__(self, db: Database, policy: Policy) -> None:
        self.db = db
        pay = policy.pay
        on = "shared_commission" in pay.components
        self.rate = pay.shared_commission_rate if on else Decimal(0)

    async def enter(
        self, actor: Person, month: str, amount: Decimal, *, at: dt.datetime
    ) -> SalesEntered:
        """`/publicsales <YYYY-MM> <yuan>`: the month's public sales; a locked month is
        refused (its payslips are frozen)."""

        def work(session: Session) -> SalesEntered:
            if payroll_store.lock_of(month, session=session) is not None:
                raise Refusal("month_locked", month=month)
            before = payroll_store.public_sales(month, session=session)
            payroll_store.set_public_sales(
                month,
                ledger_rules.to_fen(amount),
                source="",
                at=at,
                by=actor.id,
                session=session,
            )
            old = None if before is None else ledger_rules.to_yuan(before)
            people_store.audit(
                session=session,
                at=at,
                actor_id=actor.id,
                action="publicsales",
                detail=f"{month} {'-' if old is None else old} -> {amount}",
            )
            return SalesEntered(month, amount, old, self.rate)

        return await self.db.run(work)
