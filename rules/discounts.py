"""Discounts an agent gives on an order [000: a discount over 30 yuan needs a
supervisor's approval; under it the agent may give one but notes why on the order].

`given` reads what the agent typed — the order number, the yuan, the reason — and
says whether the discount stands at once (`recorded`, up to the policy's limit, the
limit itself included) or waits for a supervisor (`pending`). Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rules import casework, parse
from rules.errors import Refusal
from rules.policy import Casework

RECORDED, PENDING, APPROVED, DENIED = "recorded", "pending", "approved", "denied"
COUNTED = (RECORDED, APPROVED)  # what the month's discounts count: given and standing
# The most a discount can be: what the fen column holds (not a policy number).
HIGHEST = Decimal(parse.INT32_MAX // 100)


@dataclass(frozen=True, slots=True)
class Given:
    """A discount as typed and checked: the order, the yuan, why, and its status."""

    order_no: str
    amount: Decimal
    reason: str
    status: str


def status_of(amount: Decimal, rules: Casework) -> str:
    """`recorded` up to the limit (the limit itself included), `pending` above it [000]."""
    return RECORDED if amount <= rules.discount_limit else PENDING


def given(order_text: str, yuan_text: str, reason: str, rules: Casework) -> Given:
    """The discount `/discount <order-no> <yuan> <reason>` asks for: an order number
    (`bad_order_no`), a positive amount with at most two decimals (`bad_yuan`), a reason
    with visible text (`discount_usage`) and no phone number (`personal_data`)."""
    order_no = casework.order_no(order_text, rules.order_no_max)
    amount = parse.yuan(yuan_text, high=HIGHEST)
    if not parse.visible(reason):
        raise Refusal("discount_usage")
    casework.no_personal_data(reason)
    return Given(order_no, amount, reason.strip(), status_of(amount, rules))
