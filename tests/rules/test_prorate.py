"""Joining and leaving mid-month: the pro-rated payslip, cases as data (cases/prorate.toml).

Every figure in the data file is computed by hand; the tests only read it, close the
month and compare every line, in order, to the fen.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rules import close
from rules.policy import Policy
from tests.rules.test_close import POLICY, facts

CASES = tomllib.loads((Path(__file__).parent / "cases" / "prorate.toml").read_text("utf-8"))
IDS = [c["name"] for c in CASES["case"]]


def policy(case: dict[str, Any]) -> Policy:
    """The default policy, with the case's [pay] values."""
    changes = {key: Decimal(value) for key, value in case.get("pay", {}).items()}
    return POLICY.model_copy(update={"pay": POLICY.pay.model_copy(update=changes)})


def card_of(case: dict[str, Any]) -> close.Card:
    return close.close(facts(case["facts"]), policy(case), case["month"], "v1")


@pytest.mark.parametrize("case", CASES["case"], ids=IDS)
def test_every_line_is_pro_rated_as_computed_by_hand(case: dict[str, Any]) -> None:
    card = card_of(case)
    want = case["card"]
    assert [[line.code, str(line.amount)] for line in card.lines] == want["lines"]
    assert card.total == Decimal(want["total"]) == sum(line.amount for line in card.lines)
    assert card.score == Decimal(want["score"])
    assert (card.probation, card.first_month) == (want["probation"], want["first_month"])
    assert (card.days_employed, card.joined_on, card.left_on) == (
        want["days_employed"],
        want.get("joined_on"),
        want.get("left_on"),
    )


@pytest.mark.parametrize("case", CASES["case"], ids=IDS)
def test_each_pro_rated_line_says_its_days(case: dict[str, Any]) -> None:
    """A pro-rated line keeps "18 of 30 days"; a whole month's keeps no such keys ("")."""
    lines = {line.code: line for line in card_of(case).lines}
    for code, reason in case["card"]["why"].items():
        assert {key: lines[code].reason.get(key, "") for key in reason} == reason, code


@pytest.mark.parametrize("case", CASES["case"], ids=IDS)
def test_a_partial_month_survives_its_snapshot(case: dict[str, Any]) -> None:
    card = card_of(case)
    assert close.Card.from_json(card.to_json()) == card


def test_a_snapshot_from_before_reads_as_a_whole_month() -> None:
    card = card_of(CASES["case"][1])
    old = json.loads(card.to_json())
    for key in ("days_employed", "joined_on", "left_on"):
        del old[key]
    read = close.Card.from_json(json.dumps(old))
    assert (read.days_employed, read.employed, read.partial) == (None, 30, False)
    assert (card.employed, card.month_days, card.partial) == (18, 30, True)


def test_an_agent_who_left_before_the_month_is_not_assessed() -> None:
    gone = facts(CASES["case"][1]["facts"])  # last day 2026-11-18
    assert close.assessed(gone, "2026-11", POLICY)
    assert not close.assessed(gone, "2026-12", POLICY)
    assert close.close_month([gone], POLICY, "2026-12", "v1") == []


def test_days_employed_count_calendar_days_both_ends_included() -> None:
    month = facts(CASES["case"][2]["facts"])  # 5th to 20th November
    span = close.employment(month, "2026-11")
    assert (span.first, span.last, span.days, span.month_days) == (
        dt.date(2026, 11, 5),
        dt.date(2026, 11, 20),
        16,
        30,
    )
    assert span.days_until(dt.date(2026, 11, 9)) == 5
    assert span.days_until(dt.date(2026, 11, 1)) == 0
    assert span.days_until(None) == 0
