"""Follow-ups by hand [000: contacted again within 3 days]: the due day in team time,
due / overdue / later, the buyer's account name and the yuan recovered, refused when
malformed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rules import followups
from rules.errors import Refusal

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("recorded", "days", "due"),
    [
        # Monday morning in Shanghai: due Thursday
        (dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH), 3, dt.date(2026, 11, 26)),
        # 23:59 on the 30th: team time counts, across the month's end
        (dt.datetime(2026, 11, 30, 23, 59, tzinfo=SH), 3, dt.date(2026, 12, 3)),
        # 17:30 UTC on the 23rd is 01:30 on the 24th in Shanghai
        (dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC), 3, dt.date(2026, 11, 27)),
        # a policy of 0 days: due the same day
        (dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH), 0, dt.date(2026, 11, 23)),
    ],
)
def test_due_on(recorded: dt.datetime, days: int, due: dt.date) -> None:
    assert followups.due_on(recorded, SH, days) == due


@pytest.mark.parametrize(
    ("due", "today", "standing", "late"),
    [
        (dt.date(2026, 11, 26), dt.date(2026, 11, 25), followups.LATER, 0),
        (dt.date(2026, 11, 26), dt.date(2026, 11, 26), followups.DUE, 0),
        (dt.date(2026, 11, 26), dt.date(2026, 11, 27), followups.OVERDUE, 1),
        (dt.date(2026, 11, 29), dt.date(2026, 12, 2), followups.OVERDUE, 3),
    ],
)
def test_due_and_overdue(due: dt.date, today: dt.date, standing: str, late: int) -> None:
    assert followups.standing(due, today) == standing
    assert followups.days_late(due, today) == late


@pytest.mark.parametrize(
    ("typed", "fen"),
    [(None, 0), ("0", 0), ("120", 12000), ("49.5", 4950), ("０.０１", 1), ("¥300", 30000)],
)
def test_recovered_yuan(typed: str | None, fen: int) -> None:
    assert followups.recovered_fen(typed) == fen


@pytest.mark.parametrize("typed", ["-5", "abc", "1.234", "1e3", "nan", "1000000.01", ""])
def test_recovered_yuan_refused(typed: str) -> None:
    with pytest.raises(Refusal) as refused:
        followups.recovered_fen(typed)
    assert refused.value.key == "followup_bad_yuan"


@pytest.mark.parametrize("typed", ["tb_小王", "  buyer-01 ", "买家123"])
def test_buyer_accepted(typed: str) -> None:
    assert followups.buyer(typed, 40) == typed.strip()


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("two words", "followup_bad_buyer"),
        ("x" * 41, "followup_bad_buyer"),
        ("\u200b", "followup_bad_buyer"),
        ("13812345678", "personal_data"),
    ],
)
def test_buyer_refused(typed: str, key: str) -> None:
    with pytest.raises(Refusal) as refused:
        followups.buyer(typed, 40)
    assert refused.value.key == key


def test_reason_needs_visible_text_and_no_phone() -> None:
    assert followups.reason(" wanted a discount ") == "wanted a discount"
    for typed, key in (("\u3000 ", "followup_usage"), ("call 138 1234 5678", "personal_data")):
        with pytest.raises(Refusal) as refused:
            followups.reason(typed)
        assert refused.value.key == key
