"""Casework as the KPI sheets read it: complaint cases and follow-ups [issue 17].

The aftersales sheet [001] scores the time to respond to and track a complaint (≤24 h
100, ≤48 h 80, more 50) and the platform arbitrations (at most 1 100, 2 80, 3 or more
50); the presale sheet [004 attachment 2] scores the follow-up service in yuan
recovered (≥300 100, ≥200 80, ≥100 60). The bands are the policy's; these functions
give each its value from the month's records, or None when the agent has none (the
KPI's weight is then shared out among the others). Pure functions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from rules import parse
from rules.errors import Refusal

HOUR = Decimal(3600)
# A mainland mobile number (11 digits from 13… to 19…, spaces or dashes allowed between
# digits), or a landline with its area code: customer data stays out of the bot
# [000, 003, 004: customer data is confidential].
PHONE = re.compile(r"(?<![0-9])(?:1[3-9][0-9](?:[ -]?[0-9]){8}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])")
ORDER_NO = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


def no_personal_data(text: str) -> str:
    """`text` as given, unless it holds what looks like a phone number: refused, saying
    that the bot keeps an order number or a buyer's account name only."""
    if PHONE.search(parse.ascii_digits(text)):
        raise Refusal("personal_data")
    return text


def order_no(text: str, longest: int) -> str:
    """An order number: letters, digits, - and _ only (no spaces), at most `longest`."""
    token = parse.ascii_digits(text.strip())
    if not ORDER_NO.fullmatch(token) or len(token) > longest:
        raise Refusal("bad_order_no", given=text[: longest + 10], longest=longest)
    no_personal_data(token)
    return token


@dataclass(frozen=True, slots=True)
class CaseFact:
    """One complaint case of the month: when it was opened and solved, and whether the
    platform stepped in."""

    opened_at: dt.datetime
    solved_at: dt.datetime | None = None
    arbitration: bool = False


@dataclass(frozen=True, slots=True)
class CaseworkFacts:
    """An agent's month of casework: the complaint cases opened in it (to `month_end`,
    the next month's first moment), the follow-ups opened or closed in it and the yuan
    they recovered (in fen)."""

    month_end: dt.datetime | None = None
    cases: tuple[CaseFact, ...] = ()
    follow_ups: int = 0
    recovered_fen: int = 0


NO_CASEWORK = CaseworkFacts()


def handling_hours(case: CaseFact, month_end: dt.datetime) -> Decimal:
    """A case's hours from opening to solving; one still open counts to the month's end
    [001: time to respond to and track a complaint]."""
    end = case.solved_at if case.solved_at is not None else month_end
    return Decimal(max(int((end - case.opened_at).total_seconds()), 0)) / HOUR


def complaint_time(facts: CaseworkFacts) -> Decimal | None:
    """The month's mean handling hours over its cases (to two decimals); None: no case."""
    if not facts.cases or facts.month_end is None:
        return None
    end = facts.month_end
    total = sum((handling_hours(case, end) for case in facts.cases), Decimal(0))
    return (total / len(facts.cases)).quantize(Decimal("0.01"))


def arbitrations(facts: CaseworkFacts) -> Decimal | None:
    """How many of the month's cases the platform stepped into; None: no case [001]."""
    if not facts.cases:
        return None
    return Decimal(sum(1 for case in facts.cases if case.arbitration))


def follow_up_yuan(facts: CaseworkFacts) -> Decimal | None:
    """The yuan the month's follow-ups recovered [004 attachment 2: 协助跟进服务]; None:
    no follow-up opened or closed in the month."""
    if not facts.follow_ups:
        return None
    return Decimal(facts.recovered_fen) / 100
