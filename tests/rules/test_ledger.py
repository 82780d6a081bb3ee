"""Ledger arithmetic as tables of cases [domain.md §4, §7]; the cases are in cases/ledger.toml."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.settings import default_policy_data
from rules import ledger, parse
from rules.errors import Refusal
from rules.policy import build_policy
from tests.support.cases import table

POLICY = build_policy(default_policy_data())
CAT = POLICY.catalogue
RULES = POLICY.ledger


@table("ledger", "signed_points", "code, requested, points", optional="requested")
def test_signed_points(code: str, requested: int | None, points: int) -> None:
    assert ledger.signed_points(code, CAT[code], requested) == points


@table("ledger", "points_refused", "code, requested, refusal")
def test_points_refused(code: str, requested: int, refusal: str) -> None:
    with pytest.raises(Refusal) as caught:
        ledger.signed_points(code, CAT[code], requested)
    assert caught.value.key == refusal


@table("ledger", "cash_ladders", "code, offence, cash, warning, review")
def test_cash_ladders(code: str, offence: int, cash: str, warning: bool, review: bool) -> None:
    step = ledger.ladder_step(CAT[code], offence)
    assert (step.cash, step.warning, step.dismissal_review) == (Decimal(cash), warning, review)


@table("ledger", "month_score", "points, score")
def test_month_score(points: list[int], score: int) -> None:
    assert ledger.month_score(RULES, points) == score


@table("ledger", "adjust", "so_far, delta, ok")
def test_adjust_stays_within_five(so_far: int, delta: int, ok: bool) -> None:
    if ok:
        ledger.check_adjust(RULES, so_far, delta)
    else:
        with pytest.raises(Refusal):
            ledger.check_adjust(RULES, so_far, delta)


def test_alerts() -> None:
    first = ledger.ladder_step(CAT["unrelated-browsing"], 1)
    third = ledger.ladder_step(CAT["unrelated-browsing"], 3)
    none = ledger.ladder_step(CAT["sleeping-on-duty"], 1)
    assert not ledger.should_alert(first, CAT["unrelated-browsing"], 0, RULES)
    assert ledger.should_alert(third, CAT["unrelated-browsing"], 0, RULES)
    assert not ledger.should_alert(none, CAT["sleeping-on-duty"], 1, RULES)  # first demerit
    assert ledger.should_alert(none, CAT["sleeping-on-duty"], 2, RULES)  # the second
    assert ledger.should_alert(none, CAT["second-job"], 0, RULES)  # dismissal


def test_windows_months_and_ids() -> None:
    sh = ZoneInfo("Asia/Shanghai")
    at = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)  # already December 1st in Shanghai
    assert ledger.month_of(at, sh) == "2026-12"
    assert ledger.appeal_deadline(RULES, at) == at + dt.timedelta(hours=24)
    assert parse.month("2026-3") == "2026-03"
    assert parse.entry_id("#42") == 42 and parse.entry_id("42") == 42
    for bad in ("2026-13", "26-01", "nov"):
        with pytest.raises(Refusal):
            parse.month(bad)
    for bad in ("#", "x1", "#-3"):
        with pytest.raises(Refusal):
            parse.entry_id(bad)
    assert ledger.closest_codes("unrelated-browse", list(CAT))[0] == "unrelated-browsing"
    assert ledger.to_fen(Decimal("10.5")) == 1050 and ledger.to_yuan(1050) == Decimal("10.50")


def test_the_pinned_catalogue() -> None:
    """domain.md §7: the codes outside suites and users rely on, with their numbers."""
    pinned = {
        "unrelated-browsing": (2, 2),
        "late": (2, 5),
        "early-leave": (2, 5),
        "absent": (10, 10),
        "incomplete-handover": (2, 2),
        "no-handover": (2, 2),
        "away-from-post": (5, 5),
        "missed-meeting": (5, 5),
        "late-report": (2, 2),
        "customer-complaint": (10, 10),
        "snacks": (0, 0),
        "games-or-films": (5, 5),
        "unapproved-price-change": (10, 10),
        "sleeping-on-duty": (10, 10),
    }
    for code, magnitudes in pinned.items():
        assert CAT[code].kind == "violation" and CAT[code].range == magnitudes, code
    bonuses = {
        "full-attendance": (5, 5),
        "cover-shift": (5, 5),
        "customer-praise": (1, 2),
        "extra-work": (1, 5),
        "exam-full-marks": (5, 5),
        "zero-cost-aftersales": (5, 5),
        "satisfaction-90": (5, 5),
        "good-suggestion": (10, 10),
        "process-error-found": (2, 5),
        "emergency-handled": (2, 5),
        "most-served": (2, 5),
        "best-conversion": (5, 5),
    }
    for code, magnitudes in bonuses.items():
        assert CAT[code].kind == "bonus" and CAT[code].range == magnitudes, code
    assert CAT["unrelated-browsing"].cash == ("10", "30", "dismissal-review")
    assert CAT["customer-complaint"].cash == ("30", "60", "dismissal-review")
    assert CAT["snacks"].cash == ("warning", "10")
    assert CAT["unapproved-price-change"].demerit and CAT["sleeping-on-duty"].demerit
    assert (RULES.base, RULES.cap, RULES.appeal_hours, RULES.adjust_limit) == (80, 100, 24, 5)


@table("ledger", "appeal_deciders", "bosses, reachable, appellant, logger, deciders")
def test_appeal_deciders(
    bosses: list[int], reachable: list[int], appellant: int, logger: int, deciders: list[int]
) -> None:
    found = ledger.appeal_deciders(bosses, reachable, appellant=appellant, logger=logger)
    assert found == deciders
