"""Follow-ups: a shopper who asked but did not buy, contacted again within the policy's
days [000: 询单未下单的顾客, 列出原因, 3 天内跟进], and any sale it recovered [004
attachment 2: 协助跟进服务, the presale KPI in yuan]. Pure functions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from rules import parse
from rules.casework import no_personal_data
from rules.errors import Refusal

LATER, DUE, OVERDUE = "later", "due", "overdue"
# A sane ceiling for one recovered sale: the column holds fen as a 32-bit integer.
LARGEST_YUAN = Decimal(1_000_000)


def buyer(text: str, longest: int) -> str:
    """A buyer's account name: one token of visible characters, at most `longest` (the
    policy's `order_no_max`), and nothing that looks like a phone number [000, 003:
    customer data stays confidential: the account name only]."""
    token = text.strip()
    printable = all(char.isprintable() for char in token)
    if not parse.visible(token) or len(token.split()) != 1 or len(token) > longest or not printable:
        raise Refusal("followup_bad_buyer", given=text[: longest + 10], longest=longest)
    no_personal_data(token)
    return token


def reason(text: str) -> str:
    """Why the shopper did not buy: visible text, no phone number [000: 列出原因]."""
    if not parse.visible(text):
        raise Refusal("followup_usage")
    return no_personal_data(text.strip())


def due_on(created_at: dt.datetime, tz: ZoneInfo, days: int) -> dt.date:
    """The day, in team time, by which the shopper is contacted again: `days` after the
    day it was recorded [000: within 3 days]."""
    return created_at.astimezone(tz).date() + dt.timedelta(days=days)


def standing(due: dt.date, today: dt.date) -> str:
    """`due` on its day, `overdue` after it, `later` before it."""
    if due < today:
        return OVERDUE
    return DUE if due == today else LATER


def days_late(due: dt.date, today: dt.date) -> int:
    """Whole days past the due day (0 on it or before)."""
    return max((today - due).days, 0)


def recovered_fen(token: str | None) -> int:
    """The sale a follow-up recovered, in fen: absent or 0 is none; a negative or
    non-numeric amount, more than two decimals or over `LARGEST_YUAN` is refused."""
    if token is None:
        return 0
    text = token.strip().removeprefix("¥").removesuffix("元")
    try:
        amount = parse.yuan(text, high=LARGEST_YUAN, zero=True)
    except Refusal:
        raise Refusal("followup_bad_yuan", given=token, high=LARGEST_YUAN) from None
    return int(amount * 100)
