"""Shift swaps between two agents [002: 调班须与同事协商一致后报主管批准 — a swap is agreed
with a colleague, then approved by the supervisor; issue 16 part 3].

`/swap @colleague <day> [<other day>]`: on one day the two agents exchange that day's
roster (day ↔ evening, a shift ↔ rest); on two days the colleague takes the asker's
first day and the asker the colleague's second — each day's entries are exchanged, so
both agents keep their count of working days. Pure functions: the service hands in the
plans (the roster's entry, else the weekly pattern), the locked months and how many open
swaps already touch those days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from rules.errors import Refusal

# A swap's life: asked → accepted (by the colleague) → approved (by a supervisor), or
# declined, refused, withdrawn on the way.
ASKED, ACCEPTED, APPROVED = "asked", "accepted", "approved"
DECLINED, REFUSED, WITHDRAWN = "declined", "refused", "withdrawn"
OPEN = (ASKED, ACCEPTED, APPROVED)  # a swap that still holds its days
PENDING = (ASKED, ACCEPTED)  # not approved yet: either agent may withdraw

# person → day → shift key (None: not working — rest, a holiday, gone)
Plans = Mapping[int, Mapping[dt.date, str | None]]


@dataclass(frozen=True)
class Ask:
    """Who asks whom, for which day (and the colleague's day given back)."""

    asker_id: int
    colleague_id: int
    day: dt.date
    other_day: dt.date | None = None

    @property
    def days(self) -> tuple[dt.date, ...]:
        """The days whose entries change hands."""
        return (self.day,) if self.other_day is None else (self.day, self.other_day)

    @property
    def given(self) -> dt.date:
        """The day the colleague gives up: the same day, or the second one."""
        return self.day if self.other_day is None else self.other_day


@dataclass(frozen=True)
class Change:
    """One agent's day as the swap changes it."""

    person_id: int
    day: dt.date
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Facts:
    """What the checks need beyond the plans."""

    today: dt.date
    colleague_name: str
    colleague_until: dt.date | None  # the colleague's last working day, if leaving
    locked: Collection[str] = ()  # the locked months (YYYY-MM) among the swap's days
    open_swaps: int = 0  # open swaps already involving either agent on either day


def changes(ask: Ask, plans: Plans) -> list[Change]:
    """On each of the swap's days each agent takes the other's plan; the days where the
    two differ, the asker's change first."""
    found: list[Change] = []
    for day in ask.days:
        mine, theirs = plans[ask.asker_id][day], plans[ask.colleague_id][day]
        if mine != theirs:
            found += [
                Change(ask.asker_id, day, mine, theirs),
                Change(ask.colleague_id, day, theirs, mine),
            ]
    return found


def check(ask: Ask, plans: Plans, facts: Facts) -> list[Change]:
    """The swap's changes, or the refusal that explains why it cannot be asked."""
    name = facts.colleague_name
    if ask.asker_id == ask.colleague_id:
        raise Refusal("swap_self")
    if ask.other_day == ask.day:
        raise Refusal("swap_same_days", day=ask.day)
    locked = [day for day in ask.days if day.strftime("%Y-%m") in facts.locked]
    if locked:
        raise Refusal("month_locked", month=locked[0].strftime("%Y-%m"))
    past = [day for day in ask.days if day < facts.today]
    if past:
        raise Refusal("swap_past", day=past[0])
    if facts.colleague_until is not None and facts.colleague_until < max(ask.days):
        raise Refusal("swap_colleague_gone", name=name, day=facts.colleague_until)
    if plans[ask.asker_id][ask.day] is None:
        raise Refusal("swap_not_rostered", day=ask.day)
    if plans[ask.colleague_id][ask.given] is None:
        raise Refusal("swap_colleague_off", name=name, day=ask.given)
    found = changes(ask, plans)
    if not found:
        raise Refusal("swap_no_change", name=name)
    if facts.open_swaps:
        raise Refusal("swap_pending", name=name)
    return found


def approvable(ask: Ask, today: dt.date) -> None:
    """A swap whose day has passed while it waited cannot be approved any more."""
    if min(ask.days) < today:
        raise Refusal("swap_day_passed", day=min(ask.days))
