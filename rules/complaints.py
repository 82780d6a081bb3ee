"""Complaints on the clock [000: 顾客投诉 24 小时内回复, 48 小时内解决 — a shopper's
complaint answered within 24 hours and solved within 48; 001: the aftersales KPI bands
read the cases, see `rules.casework`].

A case's two deadlines count from its opening (`answer_hours`, `solve_hours` of the
policy's `[casework]`); `remind_minutes` before each one the agent is reminded, unless
it is met; once one passes unmet, the supervisors are told. `due` says which of those
four moments have come for a case at a given time — the job records each once.
Pure functions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rules import casework, parse
from rules.errors import Refusal
from rules.policy import Casework

ANSWER, SOLVE = "answer", "solve"  # the two deadlines
REMIND, LATE = "remind", "late"  # before one (the agent), after one (the supervisors)
# A group of an order number typed with spaces (`2026 1123 0001`): three digits or more.
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_GROUP = re.compile(r"[0-9]{3,}", re.ASCII)


@dataclass(frozen=True, slots=True)
class Clock:
    """What the deadlines of one case depend on."""

    opened_at: dt.datetime
    replied_at: dt.datetime | None = None
    solved_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Deadlines:
    """When a case must be answered and solved by."""

    answer_by: dt.datetime
    solve_by: dt.datetime


@dataclass(frozen=True, slots=True)
class Due:
    """One moment come for a case: a reminder before, or an alert after, a deadline."""

    deadline: str  # ANSWER | SOLVE
    kind: str  # REMIND | LATE
    by: dt.datetime  # the deadline itself

    @property
    def slot(self) -> str:
        """Its name within the case (`answer:remind`), once per case."""
        return f"{self.deadline}:{self.kind}"


def deadlines(opened_at: dt.datetime, rules: Casework) -> Deadlines:
    """The answer and solve deadlines of a case opened at `opened_at` [000: 24 h, 48 h]."""
    return Deadlines(
        opened_at + dt.timedelta(hours=rules.answer_hours),
        opened_at + dt.timedelta(hours=rules.solve_hours),
    )


def _one(deadline: str, by: dt.datetime, met: bool, now: dt.datetime, remind: int) -> list[Due]:
    if met:
        return []
    if now >= by:
        return [Due(deadline, LATE, by)]
    if remind and now >= by - dt.timedelta(minutes=remind):
        return [Due(deadline, REMIND, by)]
    return []


def due(case: Clock, now: dt.datetime, rules: Casework) -> list[Due]:
    """The reminders and alerts due for `case` at `now`: a reminder from `remind_minutes`
    before a deadline until it (none once past: the alert replaces it), an alert from the
    deadline on — each only while the deadline is unmet. A solved case owes nothing (a
    solve answers too)."""
    limits = deadlines(case.opened_at, rules)
    solved = case.solved_at is not None
    remind = rules.remind_minutes
    return [
        *_one(ANSWER, limits.answer_by, solved or case.replied_at is not None, now, remind),
        *_one(SOLVE, limits.solve_by, solved, now, remind),
    ]


def split_order(text: str, rules: Casework) -> tuple[str, str]:
    """`<order-no> <text>` read: the order number (checked, `casework.order_no`) and the
    rest. An order number typed in groups of digits (`2026 1123 0001 …`) is refused as
    one with spaces, never read as a number and a text beginning with digits."""
    words = text.split()
    if not words:
        raise Refusal("complaint_usage")
    first, count = parse.ascii_digits(words[0]), 1
    if _DIGITS.fullmatch(first):
        while count < len(words) and _GROUP.fullmatch(parse.ascii_digits(words[count])):
            count += 1
    if count > 1:
        spaced = " ".join(words[:count])
        raise Refusal(
            "bad_order_no", given=spaced[: rules.order_no_max + 10], longest=rules.order_no_max
        )
    order = casework.order_no(words[0], rules.order_no_max)
    rest = text.strip()[len(words[0]) :]
    return order, rest


def free_text(text: str, usage: str) -> str:
    """Something a person typed about a case (the complaint, how it was solved): visible
    text, stripped, without personal data [000: customer data stays confidential]."""
    if not parse.visible(text):
        raise Refusal(usage)
    return casework.no_personal_data(text.strip())
