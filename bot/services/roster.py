"""The roster as the rest of the bot reads it: who is expected on which shift, by day.

Everything that asks "who should be here" — the late and absence checks, meeting
duty, forgotten clock-outs, `/team`, leave requests, the month's expected days —
reads `Roster` (`rules.roster.planned`: the roster's entry, else the weekly pattern,
a holiday off) [issue 16].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from rules import holidays as holiday_rules
from rules import roster as roster_rules
from rules.policy import Policy
from storage import people as people_store
from storage import rhythm as rhythm_store
from storage import roster as roster_store
from storage.db import Database
from storage.models import Person


@dataclass(frozen=True)
class OnDay:
    """One agent's day: the plan (shift or not, and why) and approved leave."""

    person: Person
    planned: roster_rules.Planned
    on_leave: bool

    @property
    def shift(self) -> str | None:
        """The shift key the agent is expected on (None: rest or holiday)."""
        return self.planned.shift

    @property
    def expected(self) -> bool:
        """Expected at work: on a shift and not on approved leave."""
        return self.planned.works and not self.on_leave


def pattern(person: Person) -> roster_rules.Pattern:
    """The weekly pattern `/shift` and `/restday` set."""
    return roster_rules.Pattern(person.shift, person.rest_day)


class Roster:
    """Reads of the roster over one database and policy."""

    def __init__(self, db: Database, policy: Policy) -> None:
        self.db = db
        self.policy = policy
        self.calendar = holiday_rules.calendar(policy.holidays)

    def plans(
        self, people: list[Person], first: dt.date, last: dt.date, *, session: Session
    ) -> dict[int, dict[dt.date, roster_rules.Planned]]:
        """Each person's plan for each day from `first` to `last`, in a unit of work."""
        rows = roster_store.entries(first, last, session=session, people=[p.id for p in people])
        span = roster_rules.days(first, last)
        return {
            p.id: roster_rules.month_plan(pattern(p), rows.get(p.id, {}), span, self.calendar)
            for p in people
        }

    def day_in(self, day: dt.date, *, session: Session) -> list[OnDay]:
        """Every agent employed on `day` with their plan and leave, in a unit of work."""
        plans = self.plans_on(day, session=session)
        people = people_store.many([pid for pid, _, _ in plans], session=session)
        return [OnDay(people[pid], plan, away) for pid, plan, away in plans]

    def plans_on(
        self, day: dt.date, *, session: Session
    ) -> list[tuple[int, roster_rules.Planned, bool]]:
        """(person id, plan, on leave) of every agent employed on `day`, by name, without
        loading whole rows: what a view of a large team counts before it names a few."""
        rows = roster_store.entries(day, day, session=session)
        away = rhythm_store.approved_leave(day, session=session)
        return [
            (
                one.id,
                roster_rules.planned(
                    roster_rules.Pattern(one.shift, one.rest_day),
                    rows.get(one.id, {}),
                    day,
                    self.calendar,
                ),
                one.id in away,
            )
            for one in people_store.agent_patterns(session=session, on=day)
        ]

    async def day(self, day: dt.date) -> list[OnDay]:
        """Every agent employed on `day` with their plan and leave."""
        return await self.db.read(lambda session: self.day_in(day, session=session))

    async def expected(self, day: dt.date) -> list[OnDay]:
        """The agents expected at work on `day`: on a shift, not on leave."""
        return [one for one in await self.day(day) if one.expected]

    async def shift_of(self, person: Person, day: dt.date) -> roster_rules.Planned:
        """One agent's plan for one day."""

        def work(session: Session) -> roster_rules.Planned:
            rows = roster_store.entries(day, day, session=session, people=[person.id])
            return roster_rules.planned(
                pattern(person), rows.get(person.id, {}), day, self.calendar
            )

        return await self.db.read(work)
