"""Complaints on the clock as tables of cases (cases/complaints.toml): which reminders
and alerts are due for a case at a moment, and how `/complaint` reads its order number."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rules import complaints
from rules.errors import Refusal
from rules.policy import Casework
from tests.support.cases import table

SH = ZoneInfo("Asia/Shanghai")
RULES = Casework()
OPENED = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH)


def moment(text: str | None) -> dt.datetime | None:
    """`"HH:MM D"`: that time on November D, 2026, team time."""
    if text is None:
        return None
    clock, day = text.split()
    return dt.datetime.combine(dt.date(2026, 11, int(day)), dt.time.fromisoformat(clock), SH)


@table("complaints", "due", "now, replied, solved, due", optional="replied, solved")
def test_due(now: str, replied: str | None, solved: str | None, due: list[str]) -> None:
    case = complaints.Clock(OPENED, moment(replied), moment(solved))
    at = moment(now)
    assert at is not None
    found = complaints.due(case, at, RULES)
    assert [one.slot for one in found] == due
    deadlines = complaints.deadlines(OPENED, RULES)
    for one in found:
        assert one.by == {"answer": deadlines.answer_by, "solve": deadlines.solve_by}[one.deadline]


def test_the_deadlines_follow_the_policy() -> None:
    rules = Casework(answer_hours=2, solve_hours=8, remind_minutes=0)
    limits = complaints.deadlines(OPENED, rules)
    assert (limits.answer_by, limits.solve_by) == (
        OPENED + dt.timedelta(hours=2),
        OPENED + dt.timedelta(hours=8),
    )
    # No reminders at 0 minutes; the alerts still come.
    assert (
        complaints.due(complaints.Clock(OPENED), OPENED + dt.timedelta(hours=1, minutes=59), rules)
        == []
    )
    late = complaints.due(complaints.Clock(OPENED), OPENED + dt.timedelta(hours=2), rules)
    assert [one.slot for one in late] == ["answer:late"]


@table("complaints", "split", "words, order, rest, refusal")
def test_split_order(words: str, order: str, rest: str, refusal: str) -> None:
    if refusal:
        with pytest.raises(Refusal) as caught:
            complaints.split_order(words, RULES)
        assert caught.value.key == refusal
        return
    assert complaints.split_order(words, RULES) == (order, rest)


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("  refund sent  ", ""),
        ("\u200b \u2060", "solved_usage"),
        ("call her on 138 1234 5678", "personal_data"),
    ],
)
def test_free_text(text: str, refusal: str) -> None:
    if refusal:
        with pytest.raises(Refusal) as caught:
            complaints.free_text(text, "solved_usage")
        assert caught.value.key == refusal
        return
    assert complaints.free_text(text, "solved_usage") == text.strip()
