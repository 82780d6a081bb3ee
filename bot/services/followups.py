"""Follow-ups [000: shoppers who asked but did not buy, listed with the reason and
contacted again within 3 days; issue 17, part 3]: `/followup` records one, due the
policy's days later; each morning an agent with follow-ups due or overdue gets one DM
listing them; `/followed` closes one with any sale it recovered — the month's recovered
yuan is the presale KPI "follow-up service" [004 attachment 2].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from sqlmodel import Session

from bot import notices
from bot.notices import Note
from bot.services import Refusal
from rules import followups as rules
from rules.ledger import month_of, to_yuan
from rules.policy import Policy
from storage import followups as followups_store
from storage import people as people_store
from storage.db import Database
from storage.followups import Due
from storage.models import FollowUp, Person

JOB = "followups-due"


@dataclass(frozen=True)
class Line:
    """A follow-up as a list shows it: due today, overdue (by how many days) or later."""

    follow: FollowUp | Due
    standing: str
    late: int


@dataclass(frozen=True)
class Closed:
    """A follow-up closed by `/followed`."""

    follow: FollowUp
    recovered_fen: int


def _audit(session: Session, person: Person, action: str, detail: str, *, at: dt.datetime) -> None:
    """An agent's own follow-up, recorded or closed, in the audit log."""
    people_store.audit(
        at=at,
        actor_id=person.id,
        action=action,
        subject_id=person.id,
        detail=detail,
        session=session,
    )


@dataclass(frozen=True)
class FollowUps:
    """Follow-up use-cases over one database and policy."""

    db: Database
    policy: Policy
    notices: notices.Notices

    def today(self, at: dt.datetime) -> dt.date:
        """The day in team time."""
        return at.astimezone(self.policy.tz).date()

    def lines(self, found: Sequence[FollowUp | Due], today: dt.date) -> list[Line]:
        """Each follow-up with its standing on `today`."""
        return [
            Line(f, rules.standing(f.due_on, today), rules.days_late(f.due_on, today))
            for f in found
        ]

    async def record(
        self, person: Person, buyer_text: str, reason_text: str, *, at: dt.datetime
    ) -> FollowUp:
        """`/followup <buyer> <reason>`: stored, due `followup_days` later, audited."""
        casework = self.policy.casework
        buyer = rules.buyer(buyer_text, casework.order_no_max)
        reason = rules.reason(reason_text)
        due = rules.due_on(at, self.policy.tz, casework.followup_days)

        def work(session: Session) -> FollowUp:
            row = followups_store.add(
                FollowUp(
                    person_id=person.id,
                    month=month_of(at, self.policy.tz),
                    buyer=buyer,
                    reason=reason,
                    created_at=at,
                    due_on=due,
                ),
                session=session,
            )
            _audit(session, person, "followup", f"#{row.id} recorded, due {due}", at=at)
            return row

        return await self.db.run(work)

    async def close(
        self, person: Person, follow_id: int, amount: str | None, *, at: dt.datetime
    ) -> Closed:
        """`/followed <id> [yuan]`: the agent's own open follow-up closed, with the sale
        it recovered (none by default), in the month of the closing; audited. Someone
        else's, an unknown one or one closed already is refused, nothing changed."""
        fen = rules.recovered_fen(amount)

        def work(session: Session) -> Closed:
            row = followups_store.get(follow_id, session=session)
            if row is None or row.person_id != person.id:
                raise Refusal("followup_unknown", follow_id=follow_id)
            month = month_of(at, self.policy.tz)
            if not followups_store.close(
                follow_id, at=at, month=month, recovered_fen=fen, session=session
            ):
                raise Refusal("followup_closed", follow=row)
            closed = f"#{follow_id} closed in {month}, recovered {to_yuan(fen)} yuan"
            _audit(session, person, "followed", closed, at=at)
            session.refresh(row)
            return Closed(row, fen)

        return await self.db.run(work)

    async def open_of(self, person: Person, *, at: dt.datetime) -> list[Line]:
        """The person's open follow-ups, the earliest due first (`/followups`)."""
        found = await self.db.read(
            lambda session: followups_store.open_of(person.id, session=session)
        )
        return self.lines(found, self.today(at))

    async def morning(self, at: dt.datetime) -> tuple[dt.date, list[Note]]:
        """The day, and one DM per agent with follow-ups due that day or overdue, listing
        them (an agent with none gets nothing)."""
        today = self.today(at)
        found = await self.db.read(lambda session: followups_store.due_by(today, session=session))
        notes = [
            Note(
                f"{JOB}:{today.isoformat()}:{person_id}",
                notices.person(person_id),
                "followups_due_dm",
                {"lines": self.lines(list(rows), today), "today": today},
            )
            for person_id, rows in groupby(found, key=lambda f: f.person_id)
        ]
        return today, notes

    async def of_month(self, month: str) -> list[FollowUp]:
        """Every follow-up recorded or closed in the month (the export's sheet)."""
        return await self.db.read(lambda session: followups_store.of_month(month, session=session))
