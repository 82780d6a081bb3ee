"""Holidays and a day's plan: the library's calendar, the policy's days, the weekly
pattern and the roster's entries (cases/holidays.toml)."""

from __future__ import annotations

import datetime as dt

from bot.settings import default_policy_data
from rules import holidays, roster
from rules.policy import build_policy
from tests.support.cases import table

POLICY = build_policy(default_policy_data())
CN = holidays.calendar(POLICY.holidays)


@table("holidays", "plan", "day, shift, rest_day, entry, expect, source")
def test_a_days_plan(
    day: str, shift: str, rest_day: int | str, entry: str, expect: str, source: str
) -> None:
    date = dt.date.fromisoformat(day)
    pattern = roster.Pattern(shift or None, None if rest_day == "" else int(rest_day))
    entries = {} if entry == "-" else {date: entry or None}
    found = roster.planned(pattern, entries, date, CN)
    assert (found.shift or "", found.source) == (expect, source)
    assert found.works is bool(expect)


def test_the_library_knows_2026_and_not_2027() -> None:
    assert CN.is_holiday(dt.date(2026, 10, 1)) and CN.is_holiday(dt.date(2026, 2, 17))
    assert CN.kind(dt.date(2026, 9, 20)) == holidays.WORKDAY
    assert CN.kind(dt.date(2026, 11, 25)) is None
    assert CN.knows(dt.date(2026, 12, 31)) and not CN.knows(dt.date(2027, 1, 1))
    assert holidays.unknown_months(CN, [dt.date(2026, 12, 1), dt.date(2027, 1, 1)]) == ["2027-01"]


def test_the_policys_days_win_and_make_their_year_known() -> None:
    shop = build_policy(
        default_policy_data(),
        {"holidays": {"days": {"2027-01-01": "holiday", "2026-10-08": "workday"}}},
    )
    cal = holidays.calendar(shop.holidays)
    assert cal.is_holiday(dt.date(2027, 1, 1)) and cal.knows(dt.date(2027, 6, 1))
    assert cal.kind(dt.date(2026, 10, 8)) == holidays.WORKDAY  # the shop's own day wins
    assert cal.is_holiday(dt.date(2026, 10, 7))  # the library's others stay


def test_a_shop_without_public_holidays_knows_every_year() -> None:
    none = build_policy(default_policy_data(), {"holidays": {"calendar": "none"}})
    cal = holidays.calendar(none.holidays)
    assert not cal.is_holiday(dt.date(2026, 10, 1)) and cal.knows(dt.date(2031, 1, 1))
    assert cal.in_month(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == {}


def test_a_month_lists_its_holidays_and_adjusted_working_days() -> None:
    october = CN.in_month(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [d.day for d, kind in october.items() if kind == holidays.HOLIDAY] == list(range(1, 8))
    assert [d.day for d, kind in october.items() if kind == holidays.WORKDAY] == [10]
