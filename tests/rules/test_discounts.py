"""The discount rule by hand [000: over 30 yuan a supervisor approves; under it the
agent may give one, noting why] and the problem log's pure parts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.settings import default_policy_data
from rules import discounts, problems
from rules.errors import Refusal
from rules.policy import build_policy

POLICY = build_policy(default_policy_data())
RULES = POLICY.casework
TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("yuan", "amount", "status"),
    [
        ("0.01", Decimal("0.01"), "recorded"),
        ("29.99", Decimal("29.99"), "recorded"),
        ("30", Decimal("30"), "recorded"),  # the limit itself needs no approval
        ("30.00", Decimal("30.00"), "recorded"),
        ("30.01", Decimal("30.01"), "pending"),
        ("３１", Decimal("31"), "pending"),  # full-width digits read as digits
        ("500", Decimal("500"), "pending"),
    ],
)
def test_the_limit_decides_who_approves(yuan: str, amount: Decimal, status: str) -> None:
    given = discounts.given("TB-001_a", yuan, "  box crushed ", RULES)
    assert (given.order_no, given.amount, given.reason, given.status) == (
        "TB-001_a",
        amount,
        "box crushed",
        status,
    )


def test_a_shop_with_another_limit() -> None:
    rules = RULES.model_copy(update={"discount_limit": Decimal(50)})
    assert discounts.status_of(Decimal("50"), rules) == "recorded"
    assert discounts.status_of(Decimal("50.01"), rules) == "pending"


@pytest.mark.parametrize(
    ("order", "yuan", "reason", "key"),
    [
        ("TB1", "-5", "x", "bad_yuan"),
        ("TB1", "0", "x", "bad_yuan"),
        ("TB1", "0.00", "x", "bad_yuan"),
        ("TB1", "abc", "x", "bad_yuan"),
        ("TB1", "12.345", "x", "bad_yuan"),
        ("TB1", "1e3", "x", "bad_yuan"),
        ("TB1", "NaN", "x", "bad_yuan"),
        ("TB1", "1,000", "x", "bad_yuan"),
        ("TB1", "99999999", "x", "bad_yuan"),  # beyond what the fen column holds
        ("TB 1", "5", "x", "bad_order_no"),
        ("TB#1", "5", "x", "bad_order_no"),
        ("T" * 41, "5", "x", "bad_order_no"),
        ("13812345678", "5", "x", "personal_data"),
        ("TB1", "5", "\u200b ", "discount_usage"),
        ("TB1", "5", "buyer 138 1234 5678 asked", "personal_data"),
    ],
)
def test_bad_input_is_refused(order: str, yuan: str, reason: str, key: str) -> None:
    with pytest.raises(Refusal) as refused:
        discounts.given(order, yuan, reason, RULES)
    assert refused.value.key == key


def test_a_problem_needs_visible_text_and_no_phone_number() -> None:
    assert problems.text("  the return address is old ", "problem_usage") == (
        "the return address is old"
    )
    for typed, key in (
        ("\u200b\u2060 ", "problem_usage"),
        ("call 021-12345678 back", "personal_data"),
    ):
        with pytest.raises(Refusal) as refused:
            problems.text(typed, "problem_usage")
        assert refused.value.key == key


@pytest.mark.parametrize(
    ("at", "start", "end"),
    [
        # Friday 17:00 on time: from the Friday before at 17:00
        (
            dt.datetime(2026, 11, 27, 17, 0),
            dt.datetime(2026, 11, 20, 17),
            dt.datetime(2026, 11, 27, 17),
        ),
        # run late (a restart) the same day: the same week
        (
            dt.datetime(2026, 11, 27, 17, 40),
            dt.datetime(2026, 11, 20, 17),
            dt.datetime(2026, 11, 27, 17),
        ),
    ],
)
def test_the_review_takes_the_week_before_its_slot(
    at: dt.datetime, start: dt.datetime, end: dt.datetime
) -> None:
    assert problems.review_window(at.replace(tzinfo=TZ), RULES, TZ) == (
        start.replace(tzinfo=TZ),
        end.replace(tzinfo=TZ),
    )


def test_grouped_by_author_in_order_and_in_chunks() -> None:
    rows = [(1, "a"), (2, "b"), (1, "c"), (3, "d"), (2, "e")]
    assert problems.by_author(rows, lambda r: r[0]) == [
        (1, [(1, "a"), (1, "c")]),
        (2, [(2, "b"), (2, "e")]),
        (3, [(3, "d")]),
    ]
    assert problems.chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert problems.chunks([], 4) == []
