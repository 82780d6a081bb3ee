"""The Mini App's pay [issue 18]: the month's payroll and an agent's payslips as the pages
show them, every line explained in the payslip's own words.

The words are the payslip's: the macros of `templates/<language>/_pay.html` that
`payslip_dm` uses, rendered as plain text, so the app and the DM cannot drift apart.
The figures are `Payroll`'s: a locked month's stored snapshots, else the live draft.
Pay is private: only the Mini App's own endpoints read these, and they answer in a JSON
body, never in a URL or the log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from bot.services.payroll import MonthCards, Payroll
from bot.texts import Texts, visible
from rules.close import Card
from storage import payroll as payroll_store
from storage.models import Person
from storage.payroll import Slip


@dataclass(frozen=True)
class PayslipMonth:
    """One of an agent's payslips in their list: the month, its total, when received."""

    month: str
    total: Decimal
    received_at: dt.datetime | None


def _plain(markup: Markup) -> str:
    """A macro's HTML as it reads."""
    return visible(str(markup)).strip()


class Paysheets:
    """Read models of pay for the Mini App, over the month close's own use-cases."""

    def __init__(self, payroll: Payroll, texts: Texts) -> None:
        self.payroll = payroll
        self.texts = texts

    async def team(self, month: str) -> MonthCards:
        """The month's cards as `/payroll` previews them, sorted by name; refused when
        nobody was an agent then."""
        found = await self.payroll.preview(month)
        cards = sorted(found.cards, key=lambda card: (card.name.casefold(), card.person_id))
        return replace(found, cards=cards)

    async def months(self, person: Person) -> list[PayslipMonth]:
        """The agent's payslips, newest first: one per locked month (a month not locked
        has none yet)."""
        stored = await self.payroll.db.read(
            lambda session: payroll_store.slips_for(person.id, session=session)
        )
        found = [PayslipMonth(s.month, Card.from_json(s.card).total, s.received_at) for s in stored]
        return sorted(found, key=lambda one: one.month, reverse=True)

    async def payslip(self, person: Person, month: str) -> tuple[Card, Slip] | None:
        """One locked month's payslip and its stored row (None: the month is not locked,
        or the person had no payslip in it)."""
        if not await self.payroll.is_locked(month):
            return None
        found = await self.payroll.own(person, month)
        if found is None or found[1] is None:
            return None
        return found[0], found[1]

    def when(self, moment: dt.datetime | None) -> dt.datetime | None:
        """A moment in team time (the pages show it as it is)."""
        return None if moment is None else moment.astimezone(self.payroll.policy.tz)

    def explained(
        self, card: Card, *, received: dt.datetime | None = None, detail: bool = False
    ) -> dict[str, Any]:
        """A card as the pages show it: the figures, and each line with its explanation
        and the records behind it, in the payslip's words; with `detail`, the KPIs too."""
        pay = self.texts.catalog("_pay")
        data: dict[str, Any] = {
            "agent": card.person_id,
            "name": card.name,
            "username": card.username,
            "month": card.month,
            "locked": card.locked,
            "total": card.total,
            "score": card.score,
            "grade": card.grade,
            "ledger_score": card.ledger_score,
            "probation": card.probation,
            "first_month": card.first_month,
            "received_at": self.when(received),
            "headline": _plain(pay.headline(card)),
            "employed": _plain(pay.employed(card)),
            "lines": [
                {
                    "code": line.code,
                    "amount": line.amount,
                    "label": _plain(pay.line_label(line, card)),
                    "items": [_plain(pay.item(money)) for money in line.items],
                    "sources": list(line.sources),
                }
                for line in card.lines
            ],
        }
        if detail:
            data["kpis"] = [_plain(pay.kpi_line(kpi)) for kpi in card.kpis]
            data["kpi_sum"] = _plain(pay.kpi_sum(card))
            data["rounding"] = _plain(pay.rounding())
            data["policy_version"] = card.policy_version
        return data
